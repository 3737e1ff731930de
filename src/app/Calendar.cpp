#include "app/Calendar.h"

#include "core/Errors.h"
#include "text/Dates.h"

#include <algorithm>
#include <cctype>

namespace fbtrack {

namespace {

bool is_clock(const std::string& text) {
    return text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) &&
           std::isdigit(static_cast<unsigned char>(text[1])) && std::isdigit(static_cast<unsigned char>(text[3])) &&
           std::isdigit(static_cast<unsigned char>(text[4])) && std::stoi(text.substr(0, 2)) <= 24 && std::stoi(text.substr(3)) <= 59;
}

// Saves the edited settings; `c.shop` then holds them.
SettingsChange saved(AppContext& c, const ShopSettings& shop) {
    SettingsChange change;
    change.first_save = save_shop(c.store, shop);
    c.shop = shop;
    return change;
}

}  // namespace

const std::vector<std::string>& weekday_names() {
    static const std::vector<std::string> names = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    return names;
}

std::string weekday_name(const Date& d) { return weekday_names()[static_cast<std::size_t>(d.day_of_week().as_number())]; }

CalendarYear calendar_year(const AppContext& c, const CalendarRequest& request) {
    CalendarYear answer;
    const ShopCalendar calendar(c.shop, c.marketplace, c.data, c.lang);
    answer.year = request.year.value_or(c.today().year());
    if (answer.year < 1980 || answer.year > 2099) {
        answer.year_out_of_range = true;
        return answer;
    }
    const Date first(static_cast<unsigned short>(answer.year), 1, 1), last(static_cast<unsigned short>(answer.year), 12, 31);
    answer.closed = calendar.closed_days(first, last);
    answer.holidays = calendar.holidays(answer.year);
    return answer;
}

SettingsChange set_calendar(AppContext& c, const CalendarSetRequest& request) {
    ShopSettings shop = c.shop;
    if (request.closed_weekdays) {
        const auto& weekdays = weekday_names();
        std::vector<std::string> days;
        std::string list = *request.closed_weekdays;
        for (auto& ch : list) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (list != "none") {
            std::size_t pos = 0;
            while (pos <= list.size()) {
                const std::size_t comma = std::min(list.find(',', pos), list.size());
                const std::string day = list.substr(pos, comma - pos);
                const auto it = std::find_if(weekdays.begin(), weekdays.end(),
                                             [&](const std::string& w) { return !day.empty() && w.rfind(day, 0) == 0 && day.size() >= 3; });
                if (it == weekdays.end()) return {SettingsRefusal::unknown_weekday, day};
                if (std::find(days.begin(), days.end(), *it) == days.end()) days.push_back(*it);
                pos = comma + 1;
            }
        }
        shop.closed_weekdays = days;
    }
    if (request.holidays_closed) {
        if (*request.holidays_closed != "yes" && *request.holidays_closed != "no")
            return {SettingsRefusal::holidays_closed_not_yes_no, *request.holidays_closed};
        shop.holidays_closed = *request.holidays_closed == "yes";
    }
    if (request.handling_days) {
        if (*request.handling_days < 0 || *request.handling_days > 30) return {SettingsRefusal::handling_days_out_of_range, {}};
        shop.handling_days = *request.handling_days;
    }
    if (request.reply_hours) {
        const auto dash = request.reply_hours->find('-');
        if (dash == std::string::npos) return {SettingsRefusal::reply_hours_not_a_range, *request.reply_hours};
        const std::string from = request.reply_hours->substr(0, dash), until = request.reply_hours->substr(dash + 1);
        for (const auto& time : {from, until})
            if (!is_clock(time)) return {SettingsRefusal::reply_time_not_a_clock, time};
        if (until <= from) return {SettingsRefusal::reply_hours_end_first, *request.reply_hours};
        shop.reply_from = from;
        shop.reply_until = until;
    }
    return saved(c, shop);
}

SettingsChange add_closed_range(AppContext& c, const ClosedRangeRequest& request) {
    ShopSettings shop = c.shop;
    const auto from = typed_date(request.from);
    if (!from) return {SettingsRefusal::range_from_not_a_date, request.from};
    const auto to = typed_date(request.to);
    if (!to) return {SettingsRefusal::range_to_not_a_date, request.to};
    if (*to < *from) return {SettingsRefusal::range_ends_first, {}};
    if ((*to - *from).days() > 366) return {SettingsRefusal::range_longer_than_a_year, {}};
    if (request.label.empty()) return {SettingsRefusal::range_without_label, {}};
    shop.closed_ranges.push_back({request.from, request.to, request.label});
    std::sort(shop.closed_ranges.begin(), shop.closed_ranges.end(),
              [](const ClosedRange& a, const ClosedRange& b) { return a.from < b.from; });
    return saved(c, shop);
}

ClosedRangeRemoval remove_closed_range(AppContext& c, const std::string& from_or_label) {
    ShopSettings shop = c.shop;
    const auto before = shop.closed_ranges.size();
    std::erase_if(shop.closed_ranges, [&](const ClosedRange& r) { return r.from == from_or_label || r.label == from_or_label; });
    if (shop.closed_ranges.size() == before) return {{SettingsRefusal::no_such_range, from_or_label}, 0};
    ClosedRangeRemoval removal;
    removal.removed = before - shop.closed_ranges.size();
    removal.change = saved(c, shop);
    return removal;
}

ClosedRangeRemoval remove_closed_range(AppContext& c, const ClosedRange& exact) {
    ShopSettings shop = c.shop;
    const auto it = std::find_if(shop.closed_ranges.begin(), shop.closed_ranges.end(), [&](const ClosedRange& r) {
        return r.from == exact.from && r.to == exact.to && r.label == exact.label;
    });
    if (it == shop.closed_ranges.end()) return {{SettingsRefusal::no_such_range, exact.from}, 0};
    shop.closed_ranges.erase(it);
    ClosedRangeRemoval removal;
    removal.removed = 1;
    removal.change = saved(c, shop);
    return removal;
}

}  // namespace fbtrack
