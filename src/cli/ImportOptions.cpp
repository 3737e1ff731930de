// The command line of import: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/ImportCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_import_commands(CLI::App& app, CommandLine& line) {
    auto& import_options = line.make<ImportOptions>();
    auto& kind = line.make<std::string>();
    auto* import = app.add_subcommand("import", "import Seller Central exports (orders, shipments, feedback)");
    import->add_option("--kind", kind, "orders, shipments, feedback or messages, when the file cannot tell")
        ->check(CLI::IsMember({"orders", "shipments", "feedback", "messages"}));
    import->add_flag("--dry-run", import_options.dry_run, "check and count everything, write nothing");
    import->add_flag("--timings", import_options.timings, "print to stderr how long each phase took (read, decode, parse, hash, sort, insert, index, commit)");
    import->add_flag("--skip-bad-rows", import_options.skip_bad_rows,
                     "import the good rows and record the bad ones instead of refusing the file");
    import->add_option("PATH", import_options.paths,
                       "export files, mail (mbox, .eml, Maildir) or folders of them (taken in name order)")
        ->required();
    import->callback([&] {
        import_options.kind = kind_from_name(kind);
        line.global.may_create_database = !import_options.dry_run;
        line.command = [&](Session& s) {
            if (const auto run = positive_number_from("FBTRACK_SORT_RUN_BYTES", "bytes"))
                import_options.sort_run_bytes = static_cast<std::size_t>(*run);
            run_import(s, import_options);
        };
    });
}

}  // namespace fbtrack
