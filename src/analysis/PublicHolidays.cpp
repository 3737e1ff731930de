#include "analysis/PublicHolidays.h"

#include "core/DataFiles.h"
#include "core/Errors.h"

#include <Poco/JSON/Array.h>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <cmath>

namespace fbtrack {

namespace {

using boost::gregorian::days;
using Weekday = boost::date_time::weekdays;

Weekday weekday_of(const std::string& name) {
    static const std::map<std::string, Weekday> names = {
        {"sunday", boost::date_time::Sunday},   {"monday", boost::date_time::Monday},
        {"tuesday", boost::date_time::Tuesday}, {"wednesday", boost::date_time::Wednesday},
        {"thursday", boost::date_time::Thursday}, {"friday", boost::date_time::Friday},
        {"saturday", boost::date_time::Saturday}};
    const auto it = names.find(name);
    if (it == names.end()) throw InternalError("data/holidays: unknown weekday '" + name + "'");
    return it->second;
}

bool in_years(const Poco::JSON::Object::Ptr& rule, int year) {
    if (rule->has("from") && year < rule->getValue<int>("from")) return false;
    if (rule->has("to") && year > rule->getValue<int>("to")) return false;
    if (const auto except = rule->getArray("except"))
        for (std::size_t i = 0; i < except->size(); ++i)
            if (except->getElement<int>(i) == year) return false;
    return true;
}

}  // namespace

int PublicHolidays::spring_equinox_day(int year) {
    return static_cast<int>(std::floor(20.8431 + 0.242194 * (year - 1980) - std::floor((year - 1980) / 4.0)));
}

int PublicHolidays::autumn_equinox_day(int year) {
    return static_cast<int>(std::floor(23.2488 + 0.242194 * (year - 1980) - std::floor((year - 1980) / 4.0)));
}

PublicHolidays PublicHolidays::load(const std::filesystem::path& data_dir, const std::string& code) {
    PublicHolidays h;
    h.rules_ = load_json_object(data_dir / "holidays" / (code + ".json"));
    return h;
}

const std::map<Date, std::string>& PublicHolidays::year_map(int year) const {
    if (auto it = cache_.find(year); it != cache_.end()) return it->second;
    std::map<Date, std::string> days_off;
    const auto y = static_cast<unsigned short>(year);
    const auto rules = rules_->getArray("rules");
    for (std::size_t i = 0; rules && i < rules->size(); ++i) {
        const auto rule = rules->getObject(static_cast<unsigned>(i));
        if (!in_years(rule, year)) continue;
        const std::string kind = rule->getValue<std::string>("kind");
        const std::string name = rule->getValue<std::string>("name");
        if (kind == "fixed") {
            days_off[Date(y, static_cast<unsigned short>(rule->getValue<int>("month")),
                          static_cast<unsigned short>(rule->getValue<int>("day")))] = name;
        } else if (kind == "nth_weekday") {
            const auto month = static_cast<unsigned short>(rule->getValue<int>("month"));
            const int nth = rule->getValue<int>("nth");
            const auto wd = weekday_of(rule->getValue<std::string>("weekday"));
            if (nth < 0) {
                days_off[boost::gregorian::last_day_of_the_week_in_month(wd, month).get_date(y)] = name;
            } else {
                using nth_kday = boost::gregorian::nth_day_of_the_week_in_month;
                days_off[nth_kday(static_cast<nth_kday::week_num>(nth), wd, month).get_date(y)] = name;
            }
        } else if (kind == "equinox") {
            const bool spring = rule->getValue<std::string>("season") == "spring";
            days_off[Date(y, spring ? 3 : 9, static_cast<unsigned short>(spring ? spring_equinox_day(year) : autumn_equinox_day(year)))] = name;
        } else if (kind == "once") {
            const Date d = from_iso_date(rule->getValue<std::string>("date"));
            if (d.year() == year) days_off[d] = name;
        } else {
            throw InternalError("data/holidays: unknown rule kind '" + kind + "'");
        }
    }

    // Japan: 国民の休日, a day between two holidays (before the substitute rule is applied).
    if (const auto sandwich = rules_->getObject("sandwich")) {
        const Date from = from_iso_date(sandwich->getValue<std::string>("from"));
        const Date sunday_until = from_iso_date(sandwich->optValue<std::string>("sunday_excluded_until", "1900-01-01"));
        std::map<Date, std::string> extra;
        for (const auto& [d, n] : days_off) {
            const Date middle = d + days(1);
            if (middle < from || days_off.count(middle) || !days_off.count(middle + days(1))) continue;
            // Until 2006 neither a Sunday nor a substitute holiday (the Monday after a Sunday holiday) counted.
            if (middle <= sunday_until &&
                (middle.day_of_week() == boost::date_time::Sunday || d.day_of_week() == boost::date_time::Sunday))
                continue;
            extra[middle] = sandwich->getValue<std::string>("name");
        }
        days_off.insert(extra.begin(), extra.end());
    }
    // Japan: 振替休日, the next day (from 2007 the next non-holiday) after a holiday on Sunday.
    if (const auto substitute = rules_->getObject("substitute")) {
        const Date from = from_iso_date(substitute->getValue<std::string>("from"));
        const Date next_free_from = from_iso_date(substitute->getValue<std::string>("next_non_holiday_from"));
        std::map<Date, std::string> extra;
        for (const auto& [d, n] : days_off) {
            if (d < from || d.day_of_week() != boost::date_time::Sunday) continue;
            Date next = d + days(1);
            if (d >= next_free_from)
                while (days_off.count(next) || extra.count(next)) next += days(1);
            else if (days_off.count(next))
                continue;
            extra[next] = substitute->getValue<std::string>("name");
        }
        days_off.insert(extra.begin(), extra.end());
    }
    // US: a fixed holiday on a weekend is observed on the nearest weekday.
    if (const auto observed = rules_->getObject("observed")) {
        const std::string suffix = observed->optValue<std::string>("suffix", "");
        std::map<Date, std::string> moved;
        for (const auto& [d, n] : days_off) {
            if (d.day_of_week() == boost::date_time::Saturday) moved[d - days(1)] = n + suffix;
            else if (d.day_of_week() == boost::date_time::Sunday) moved[d + days(1)] = n + suffix;
            else moved[d] = n;
        }
        days_off.swap(moved);
        // Next year's 1 January on a Saturday is observed on this year's 31 December.
        const Date next_new_year(static_cast<unsigned short>(year + 1), 1, 1);
        if (next_new_year.day_of_week() == boost::date_time::Saturday) {
            const auto rules_list = rules_->getArray("rules");
            for (std::size_t i = 0; rules_list && i < rules_list->size(); ++i) {
                const auto rule = rules_list->getObject(static_cast<unsigned>(i));
                if (rule->getValue<std::string>("kind") == "fixed" && rule->getValue<int>("month") == 1 &&
                    rule->getValue<int>("day") == 1)
                    days_off[Date(y, 12, 31)] = rule->getValue<std::string>("name") + suffix;
            }
        }
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
