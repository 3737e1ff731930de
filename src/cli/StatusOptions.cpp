// The command line of status and messages: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/StatusCommand.h"
#include "commands/MessagesCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_status_commands(CLI::App& app, CommandLine& line) {
    auto& status_options = line.make<StatusOptions>();
    auto* status = app.add_subcommand("status", "counts and the import journal");
    status->add_flag("--json", status_options.json, "one JSON object");
    status->callback([&] { line.command = [&](Session& s) { run_status(s, status_options); }; });

    auto& messages_options = line.make<MessagesOptions>();
    auto* messages = app.add_subcommand("messages", "buyer-seller messages with their classification and reply times");
    messages->add_option("--order", messages_options.order_id, "only this order's messages (its ID, or its last digits)");
    messages->add_flag("--json", messages_options.json, "a JSON array, with bodies");
    messages->callback([&] { line.command = [&](Session& s) { run_messages(s, messages_options); }; });
}

}  // namespace fbtrack
