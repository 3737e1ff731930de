// The command line of init: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/InitCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_init_commands(CLI::App& app, CommandLine& line) {
    auto& options = line.make<InitOptions>();
    auto* init = app.add_subcommand("init", "set up the shop: marketplace, name, staff names and own mail addresses "
                                            "(asked on a terminal; without one, give them as options)");
    // The global option, offered here too: `fbtrack init --marketplace us` reads as it should.
    init->add_option("--marketplace", line.global.marketplace, "jp or us (asked on a terminal; a new shop needs it without one)")
        ->check(CLI::IsMember({"jp", "us"}));
    init->add_option("--name", options.name, "the shop's name as buyers see it (signs the drafts)");
    init->add_option("--staff", options.staff, "staff names, comma separated (a rating naming one holds personal information)")
        ->delimiter(',');
    init->add_option("--own-addresses", options.own_addresses,
                     "the shop's own mail addresses, comma separated (mail from them is the seller's)")
        ->delimiter(',');
    init->callback([&] { line.command = [&](Session& s) { run_init(s, options); }; });
}

}  // namespace fbtrack
