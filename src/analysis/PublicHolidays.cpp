#include "analysis/PublicHolidays.h"

#include "core/Errors.h"
#include "catalogue/JsonNode.h"
#include "text/TerminalText.h"

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <cmath>

namespace fbtrack {

namespace {

using boost::gregorian::days;
using Weekday = boost::date_time::weekdays;

const std::map<std::string, Weekday>& weekdays() {
    static const std::map<std::string, Weekday> names = {
        {"sunday", boost::date_time::Sunday},   {"monday", boost::date_time::Monday},
        {"tuesday", boost::date_time::Tuesday}, {"wednesday", boost::date_time::Wednesday},
        {"thursday", boost::date_time::Thursday}, {"friday", boost::date_time::Friday},
        {"saturday", boost::date_time::Saturday}};
    return names;
}

Date date_at(const JsonNode& node, const std::string& key) {
    const std::string text = node.string(key);
    try {
        if (text.size() == 10) return from_iso_date(text);
    } catch (const ValueError&) {
    }
    node.fail(key, "a date such as 2007-01-01 was expected, \"" + for_terminal(text, 40) + "\" was found");
}

}  // namespace

int PublicHolidays::spring_equinox_day(int year) {
    return static_cast<int>(std::floor(20.8431 + 0.242194 * (year - 1980) - std::floor((year - 1980) / 4.0)));
}

int PublicHolidays::autumn_equinox_day(int year) {
    return static_cast<int>(std::floor(23.2488 + 0.242194 * (year - 1980) - std::floor((year - 1980) / 4.0)));
}

bool PublicHolidays::Rule::in_year(int year) const {
    if ((from && year < *from) || (to && year > *to)) return false;
    return std::find(except.begin(), except.end(), year) == except.end();
}

PublicHolidays PublicHolidays::load(const Catalogue& data, const std::string& code) {
    // Boost's calendar reaches from 1400 to 9999; the rules' years stay inside it.
    constexpr int first_year = 1400, last_year = 9999;
    PublicHolidays h;
    const auto root = data.json("holidays/" + code + ".json");
    for (const auto& r : root.objects("rules")) {
        Rule rule;
        rule.name = r.string("name");
        const std::string kind = r.string("kind");
        // Days up to the 28th of February: a fixed 29th would not exist in most years.
        static constexpr unsigned short month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (kind == "fixed") {
            rule.kind = Rule::Kind::fixed;
            rule.month = static_cast<unsigned short>(r.integer("month", 1, 12));
            rule.day = static_cast<unsigned short>(r.integer("day", 1, month_days[rule.month - 1]));
        } else if (kind == "nth_weekday") {
            rule.kind = Rule::Kind::nth_weekday;
            rule.month = static_cast<unsigned short>(r.integer("month", 1, 12));
            rule.nth = static_cast<int>(r.integer("nth", -1, 5));
            if (rule.nth == 0) r.fail("nth", "1 to 5, or -1 for the last, was expected, 0 was found");
            const std::string weekday = r.string("weekday");
            const auto it = weekdays().find(weekday);
            if (it == weekdays().end()) r.fail("weekday", "sunday, monday, … saturday was expected, \"" + for_terminal(weekday, 40) + "\" was found");
            rule.weekday = it->second;
        } else if (kind == "equinox") {
            rule.kind = Rule::Kind::equinox;
            const std::string season = r.string("season");
            if (season != "spring" && season != "autumn")
                r.fail("season", "spring or autumn was expected, \"" + for_terminal(season, 40) + "\" was found");
            rule.spring = season == "spring";
        } else if (kind == "once") {
            rule.kind = Rule::Kind::once;
            rule.date = date_at(r, "date");
        } else {
            r.fail("kind", "fixed, nth_weekday, equinox or once was expected, \"" + for_terminal(kind, 40) + "\" was found");
        }
        if (const auto from = r.optional_integer("from", first_year, last_year)) rule.from = static_cast<int>(*from);
        if (const auto to = r.optional_integer("to", first_year, last_year)) rule.to = static_cast<int>(*to);
        for (const auto year : r.optional_integers("except", first_year, last_year).value_or(std::vector<std::int64_t>{}))
            rule.except.push_back(static_cast<int>(year));
        h.rules_.push_back(std::move(rule));
    }
    if (const auto sandwich = root.optional_object("sandwich"))
        h.sandwich_ = Sandwich{sandwich->string("name"), date_at(*sandwich, "from"),
                               sandwich->has("sunday_excluded_until") ? date_at(*sandwich, "sunday_excluded_until") : Date(1900, 1, 1)};
    if (const auto substitute = root.optional_object("substitute"))
        h.substitute_ = Substitute{substitute->string("name"), date_at(*substitute, "from"), date_at(*substitute, "next_non_holiday_from")};
    if (const auto observed = root.optional_object("observed")) h.observed_suffix_ = observed->optional_string("suffix").value_or("");
    return h;
}

const std::map<Date, std::string>& PublicHolidays::year_map(int year) const {
    if (auto it = cache_.find(year); it != cache_.end()) return it->second;
    std::map<Date, std::string> days_off;
    const auto y = static_cast<unsigned short>(year);
    for (const auto& rule : rules_) {
        if (!rule.in_year(year)) continue;
        switch (rule.kind) {
            case Rule::Kind::fixed: days_off[Date(y, rule.month, rule.day)] = rule.name; break;
            case Rule::Kind::nth_weekday:
                if (rule.nth < 0) {
                    days_off[boost::gregorian::last_day_of_the_week_in_month(rule.weekday, rule.month).get_date(y)] = rule.name;
                } else {
                    using nth_kday = boost::gregorian::nth_day_of_the_week_in_month;
                    days_off[nth_kday(static_cast<nth_kday::week_num>(rule.nth), rule.weekday, rule.month).get_date(y)] = rule.name;
                }
                break;
            case Rule::Kind::equinox:
                days_off[Date(y, rule.spring ? 3 : 9, static_cast<unsigned short>(rule.spring ? spring_equinox_day(year) : autumn_equinox_day(year)))] =
                    rule.name;
                break;
            case Rule::Kind::once:
                if (rule.date.year() == year) days_off[rule.date] = rule.name;
                break;
        }
    }

    // Japan: 国民の休日, a day between two holidays (before the substitute rule is applied).
    if (sandwich_) {
        std::map<Date, std::string> extra;
        for (const auto& [d, n] : days_off) {
            const Date middle = d + days(1);
            if (middle < sandwich_->from || days_off.count(middle) || !days_off.count(middle + days(1))) continue;
            // Until 2006 neither a Sunday nor a substitute holiday (the Monday after a Sunday holiday) counted.
            if (middle <= sandwich_->sunday_excluded_until &&
                (middle.day_of_week() == boost::date_time::Sunday || d.day_of_week() == boost::date_time::Sunday))
                continue;
            extra[middle] = sandwich_->name;
        }
        days_off.insert(extra.begin(), extra.end());
    }
    // Japan: 振替休日, the next day (from 2007 the next non-holiday) after a holiday on Sunday.
    if (substitute_) {
        std::map<Date, std::string> extra;
        for (const auto& [d, n] : days_off) {
            if (d < substitute_->from || d.day_of_week() != boost::date_time::Sunday) continue;
            Date next = d + days(1);
            if (d >= substitute_->next_non_holiday_from)
                while (days_off.count(next) || extra.count(next)) next += days(1);
            else if (days_off.count(next))
                continue;
            extra[next] = substitute_->name;
        }
        days_off.insert(extra.begin(), extra.end());
    }
    // US: a fixed holiday on a weekend is observed on the nearest weekday.
    if (observed_suffix_) {
        const std::string& suffix = *observed_suffix_;
        std::map<Date, std::string> moved;
        for (const auto& [d, n] : days_off) {
            if (d.day_of_week() == boost::date_time::Saturday) moved[d - days(1)] = n + suffix;
            else if (d.day_of_week() == boost::date_time::Sunday) moved[d + days(1)] = n + suffix;
            else moved[d] = n;
        }
        days_off.swap(moved);
        // Next year's 1 January on a Saturday is observed on this year's 31 December.
        const Date next_new_year(static_cast<unsigned short>(year + 1), 1, 1);
        if (next_new_year.day_of_week() == boost::date_time::Saturday)
            for (const auto& rule : rules_)
                if (rule.kind == Rule::Kind::fixed && rule.month == 1 && rule.day == 1) days_off[Date(y, 12, 31)] = rule.name + suffix;
        for (auto it = days_off.begin(); it != days_off.end();)
            it = it->first.year() != year ? days_off.erase(it) : std::next(it);
    }
    return cache_[year] = std::move(days_off);
}

std::vector<Holiday> PublicHolidays::of_year(int year) const {
    std::vector<Holiday> out;
    for (const auto& [d, n] : year_map(year)) out.push_back({d, n});
    return out;
}

std::string PublicHolidays::name_of(const Date& d) const {
    const auto& m = year_map(d.year());
    const auto it = m.find(d);
    return it == m.end() ? std::string() : it->second;
}

}  // namespace fbtrack
