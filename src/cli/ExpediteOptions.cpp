// The command line of expedite: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/MessagesCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_expedite_commands(CLI::App& app, CommandLine& line) {
    auto* expedite = app.add_subcommand("expedite", "requests to ship faster and how they were answered");
    expedite->require_subcommand(1);
    auto& list_options = line.make<ExpediteListOptions>();
    auto* list = expedite->add_subcommand("list", "every expedite request, from mail, CSV logs and manual records");
    list->add_flag("--json", list_options.json, "a JSON array");
    list->callback([&] { line.command = [&](Session& s) { run_expedite_list(s, list_options); }; });
    auto& add_options = line.make<ExpediteAddOptions>();
    auto* add = expedite->add_subcommand("add", "record a request whose messages are not in mail");
    add->add_option("ORDER-ID", add_options.order_id, "the order, or its last digits (at least 7)")->required();
    add->add_option("--requested-at", add_options.requested_at,
                    "when the buyer asked (2026-10-10T09:12, local time unless an offset is given)")
        ->required();
    auto* declined = add->add_option("--declined-at", add_options.declined_at, "when you declined");
    add->add_option("--accepted-at", add_options.accepted_at, "when you agreed")->excludes(declined);
    add->add_option("--note", add_options.note, "a note for yourself");
    add->callback([&] { line.command = [&](Session& s) { run_expedite_add(s, add_options); }; });
    auto& reply_options = line.make<ExpediteReplyOptions>();
    auto* reply = expedite->add_subcommand("reply", "draft your answer to a request to ship faster");
    reply->add_option("ORDER-ID", reply_options.order_id, "the order, or its last digits (at least 7)")->required();
    auto* accept_flag = reply->add_flag("--accept", reply_options.accept, "agree and give the new ship date");
    reply->add_flag("--decline", reply_options.decline, "decline politely with the ship-by date (the default)")->excludes(accept_flag);
    reply->callback([&] { line.command = [&](Session& s) { run_expedite_reply(s, reply_options); }; });
}

}  // namespace fbtrack
