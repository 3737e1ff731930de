#pragma once
#include "commands/Session.h"

#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct CalendarOptions {
    std::optional<int> year;
    bool json = false;
};
void run_calendar(Session& session, const CalendarOptions& options);

struct CalendarSetOptions {
    std::optional<std::string> closed_weekdays;  // "sunday,saturday" or "none"
    std::optional<std::string> holidays_closed;  // yes / no
    std::optional<int> handling_days;
    std::optional<std::string> reply_hours;  // 09:00-18:00
};
void run_calendar_set(Session& session, const CalendarSetOptions& options);

struct CalendarRangeOptions {
    std::string from, to, label;
};
void run_calendar_add(Session& session, const CalendarRangeOptions& options);
void run_calendar_remove(Session& session, const std::string& from_or_label);

}  // namespace fbtrack
