// The command line of risk: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/RiskCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_risk_commands(CLI::App& app, CommandLine& line) {
    auto& risk_options = line.make<RiskOptions>();
    auto* risk = app.add_subcommand("risk", "what needs doing as of --today: closures, open requests, unanswered messages, deadlines");
    risk->add_flag("--json", risk_options.json, "a JSON array");
    risk->callback([&] { line.command = [&](Session& s) { run_risk(s, risk_options); }; });
}

}  // namespace fbtrack
