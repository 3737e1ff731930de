// The command line of serve: its options, and the server it starts.
#include "cli/CommandLine.h"
#include "core/Errors.h"
#include "web/WebServer.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_serve_commands(CLI::App& app, CommandLine& line) {
    auto& options = line.make<ServeOptions>();
    auto& upload_mb = line.make<std::uint64_t>(options.max_upload_bytes >> 20);
    auto* serve_command = app.add_subcommand("serve", "open the shop in the browser: a server on this machine only (127.0.0.1)");
    serve_command->add_option("--port", options.port, "the port (default 8150; 0 takes a free one)")->check(CLI::Range(0, 65535));
    serve_command->add_flag_callback("--no-open", [&] { options.open_browser = false; },
                                     "print the address only; do not open the browser");
    serve_command->add_option("--max-upload-mb", upload_mb, "the most one upload of the import page may hold, in MiB (default 2048)")
        ->check(CLI::Range(1, 1 << 20));
    serve_command->callback([&] {
        line.stoppable = true;  // Ctrl-C or SIGTERM: the import under way finishes, then the server stops
        line.command = [&](Session& s) {
            options.database = s.options().db_path;
            options.lang = s.options().lang;
            options.today = s.options().today;
            options.max_upload_bytes = upload_mb << 20;
            options.imap_limits = server_limits();
            options.smtp_deadline = smtp_deadline();
            serve(s.data(), options, s.out(), s.err());
        };
    });
}

}  // namespace fbtrack
