// The command line of calendar: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/CalendarCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_calendar_commands(CLI::App& app, CommandLine& line) {
    auto& calendar_options = line.make<CalendarOptions>();
    auto* calendar = app.add_subcommand("calendar", "the shop's closed days and public holidays; set/add/remove edit them");
    calendar->add_option("--year", calendar_options.year, "the year to list (default: this year)");
    calendar->add_flag("--json", calendar_options.json, "a JSON array of closed days and holidays");
    calendar->callback([&] {
        if (!line.command) line.command = [&](Session& s) { run_calendar(s, calendar_options); };
    });
    auto& set_options = line.make<CalendarSetOptions>();
    auto* set = calendar->add_subcommand("set", "change the weekly closed days, holidays, handling time or reply hours");
    set->add_option("--closed-weekdays", set_options.closed_weekdays, "e.g. sun or sun,sat (none: open all week)");
    set->add_option("--holidays-closed", set_options.holidays_closed, "yes or no");
    set->add_option("--handling-days", set_options.handling_days, "business days from order to shipment");
    set->add_option("--reply-hours", set_options.reply_hours, "when you answer messages, e.g. 09:00-18:00");
    set->callback([&] { line.command = [&](Session& s) { run_calendar_set(s, set_options); }; });
    auto& range_options = line.make<CalendarRangeOptions>();
    auto* add_range = calendar->add_subcommand("add", "close the shop from one date to another");
    add_range->add_option("FROM", range_options.from, "first closed day (YYYY-MM-DD)")->required();
    add_range->add_option("TO", range_options.to, "last closed day (YYYY-MM-DD)")->required();
    add_range->add_option("--label", range_options.label, "what it is, e.g. 年末年始, お盆")->required();
    add_range->callback([&] { line.command = [&](Session& s) { run_calendar_add(s, range_options); }; });
    auto& remove_key = line.make<std::string>();
    auto* remove_range = calendar->add_subcommand("remove", "delete a closed range by its first day or its label");
    remove_range->add_option("FROM-OR-LABEL", remove_key, "the range's first day or label")->required();
    remove_range->callback([&] { line.command = [&](Session& s) { run_calendar_remove(s, remove_key); }; });
}

}  // namespace fbtrack
