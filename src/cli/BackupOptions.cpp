// The command line of backup and restore: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/BackupCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_backup_commands(CLI::App& app, CommandLine& line) {
    auto& backup_options = line.make<BackupOptions>();
    auto* backup = app.add_subcommand("backup", "copy the shop's database, safely while in use, to a file of your own (0600)");
    backup->add_option("FILE", backup_options.file, "where to write it (default: backups/ beside the database)");
    backup->callback([&] { line.command = [&](Session& s) { run_backup(s, backup_options); }; });
    auto& restore_file = line.make<std::filesystem::path>();
    auto* restore = app.add_subcommand("restore", "replace the shop's database with a backup (the one replaced is kept in backups/)");
    restore->add_option("FILE", restore_file, "a file 'fbtrack backup' wrote")->required();
    restore->callback([&] {
        line.restoring = true;
        line.command = [&](Session& s) { run_restore(s, restore_file); };
    });
}

}  // namespace fbtrack
