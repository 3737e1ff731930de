#pragma once
// The shop's calendar: its closed days and the public holidays of a year (`calendar`), and the
// edits of its weekly closed days, handling time, reply hours and closed ranges (`calendar set`,
// `calendar add`, `calendar remove`).
#include "analysis/PublicHolidays.h"
#include "analysis/ShopCalendar.h"
#include "app/AppContext.h"
#include "app/Shop.h"

#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

// sunday … saturday, as the settings name them.
const std::vector<std::string>& weekday_names();
std::string weekday_name(const Date& d);

struct CalendarRequest {
    std::optional<int> year;  // else the context's
};
struct CalendarYear {
    bool year_out_of_range = false;  // before 1980 or after 2099: nothing else is filled
    int year = 0;
    std::vector<ClosedDay> closed;  // every day the shop is closed, in order
    std::vector<Holiday> holidays;  // every public holiday, whether the shop closes on it or not
};
CalendarYear calendar_year(const AppContext& c, const CalendarRequest& request);

// As the seller types them: a refusal names what was given (SettingsChange::found).
struct CalendarSetRequest {
    std::optional<std::string> closed_weekdays;  // "sun,sat" (at least three letters each) or "none"
    std::optional<std::string> holidays_closed;  // yes / no
    std::optional<int> handling_days;
    std::optional<std::string> reply_hours;  // 09:00-18:00
};
SettingsChange set_calendar(AppContext& c, const CalendarSetRequest& request);

struct ClosedRangeRequest {
    std::string from, to, label;  // YYYY-MM-DD
};
SettingsChange add_closed_range(AppContext& c, const ClosedRangeRequest& request);

// Removes every closed range that starts on `from_or_label` or is labelled so.
struct ClosedRangeRemoval {
    SettingsChange change;
    std::size_t removed = 0;
};
ClosedRangeRemoval remove_closed_range(AppContext& c, const std::string& from_or_label);
// Removes the one closed range with these dates and label (the pages' remove button beside it).
ClosedRangeRemoval remove_closed_range(AppContext& c, const ClosedRange& exact);

}  // namespace fbtrack
