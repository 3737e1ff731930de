// The command line of report: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/ReportCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_report_commands(CLI::App& app, CommandLine& line) {
    auto& report_options = line.make<ReportOptions>();
    auto* report = app.add_subcommand("report", "write the monthly HTML report and print its path");
    report->add_option("--month", report_options.month, "the month to report (YYYY-MM; default: the last complete month)");
    report->add_option("--from", report_options.from, "first day of a custom period (YYYY-MM-DD)");
    report->add_option("--to", report_options.to, "last day of a custom period (YYYY-MM-DD)");
    report->add_option("--out", report_options.out, "the file (default: ~/Documents/fbtrack/SHOP-PERIOD.html, as xdg-user-dir DOCUMENTS names the folder)");
    report->add_flag("--open", report_options.open, "open the report in the browser (xdg-open)");
    report->callback([&] { line.command = [&](Session& s) { run_report(s, report_options); }; });
}

}  // namespace fbtrack
