#include "cli/Cli.h"

#include "cli/CommandLine.h"
#include "cli/Manual.h"
#include "commands/DataChecks.h"

#include <cctype>
#include <cerrno>

#include "commands/BackupCommand.h"
#include "commands/CalendarCommand.h"
#include "commands/FeedbackCommand.h"
#include "commands/ImportCommand.h"
#include "commands/MailCommand.h"
#include "commands/NotifyCommand.h"
#include "commands/MessagesCommand.h"
#include "commands/ReportCommand.h"
#include "commands/RiskCommand.h"
#include "commands/Session.h"
#include "commands/ShopCommand.h"
#include "commands/StatusCommand.h"
#include "catalogue/DataFiles.h"
#include "catalogue/ErrorWords.h"
#include "catalogue/JsonNode.h"
#include "catalogue/Marketplace.h"
#include "core/Errors.h"
#include "core/StopSignals.h"
#include "core/UserDirs.h"
#include "text/Encoding.h"
#include "text/TerminalText.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <ostream>

namespace fbtrack {

namespace {

std::string default_shop() {
    if (const char* env = std::getenv("FBTRACK_SHOP"); env && *env) return env;
    return "default";
}

// --db, else $FBTRACK_DB, else the shop's own database in the seller's data folder (made 0700).
std::filesystem::path database_of(const GlobalOptions& global, std::ostream& err) {
    if (!global.db_path.empty()) return global.db_path;
    if (const char* env = std::getenv("FBTRACK_DB"); env && *env) return env;
    const auto path = shop_database(global.shop);
    // Versions before the shops kept data/fbtrack.db in the current folder: say where it went.
    std::error_code exists;
    if (!std::filesystem::exists(path, exists) && std::filesystem::is_regular_file("data/fbtrack.db", exists))
        err << "fbtrack: note: data/fbtrack.db here is where earlier versions kept the database; this run uses " << path.string()
            << ". To go on with the old one, give --db data/fbtrack.db, or copy it to that path\n";
    std::error_code ec;
    if (!std::filesystem::exists(path.parent_path(), ec)) {
        std::filesystem::create_directories(path.parent_path(), ec);
        std::filesystem::permissions(path.parent_path(), std::filesystem::perms::owner_all, ec);
        if (ec) throw OutputError("cannot make " + path.parent_path().string() + ": " + ec.message());
    }
    return path;
}

// An error message names files and quotes what was found in them, which may be anything: each
// of its lines is shown as for_terminal shows text, its own line breaks kept.
std::string terminal_lines(std::string_view message) {
    std::string out;
    for (std::size_t from = 0;;) {
        const std::size_t at = message.find('\n', from);
        out += for_terminal(message.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
        if (at == std::string_view::npos) break;
        out += '\n';
        from = at + 1;
    }
    return out;
}

// Arguments end up in the database (labels, notes), in messages and in drafts: bytes that are
// not UTF-8 (a CP932 terminal, a file name from an old archive) and control characters (a line
// break or an escape sequence pasted into a label) are refused before anything runs.
std::optional<std::string> bad_argument(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        const std::string shown = "argument " + std::to_string(i) + " ('" + for_terminal(arg, 200) + "')";
        const std::size_t bad = find_invalid_utf8(arg);
        if (bad != std::string_view::npos) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(arg[bad]));
            return shown + " is not UTF-8: found byte " + byte + " at offset " + std::to_string(bad) +
                   ", expected UTF-8 text. Hint: set the terminal to UTF-8 (LANG=ja_JP.UTF-8 or C.UTF-8); for a file whose "
                   "name is not UTF-8, rename it or give the folder that holds it";
        }
        // C0 controls and DEL, and the C1 controls (U+0080-U+009F, 0xC2 0x80-0x9F in UTF-8).
        for (std::size_t k = 0; k < arg.size(); ++k) {
            const auto b = static_cast<unsigned char>(arg[k]);
            const auto next = k + 1 < arg.size() ? static_cast<unsigned char>(arg[k + 1]) : 0;
            const bool c1 = b == 0xC2 && next >= 0x80 && next <= 0x9F;
            if (b >= 0x20 && b != 0x7F && !c1) continue;
            char code[12];
            std::snprintf(code, sizeof code, "U+%04X", c1 ? static_cast<unsigned>(next) : static_cast<unsigned>(b));
            return shown + " holds a control character (" + code + ") at offset " + std::to_string(k) +
                   ", expected text on one line. Hint: retype it; for a file whose name holds one, rename it or give the "
                   "folder that holds it";
        }
    }
    return std::nullopt;
}

// The language errors are said in: --lang, else the shop's (once its database is open), else that
// of the marketplace given or the one a new shop starts with (jp): a seller meets the first errors
// before any shop is known, and the program is made for Japanese shops. English where even the
// data files cannot be read, as the sentences of other languages are there.
std::string error_lang(const GlobalOptions& global, const Catalogue* data, const Session* session) {
    if (global.lang && (*global.lang == "ja" || *global.lang == "en")) return *global.lang;
    if (session) return session->lang();
    if (!data) return "en";
    try {
        return load_marketplace(*data, global.marketplace.value_or(new_shop_marketplace)).default_lang;
    } catch (const Error&) {
        return "en";
    }
}

// --lang as typed, for a command line CLI11 could not read through.
std::optional<std::string> lang_argument(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg == "--lang" && i + 1 < argc) return std::string(argv[i + 1]);
        if (arg.rfind("--lang=", 0) == 0) return std::string(arg.substr(7));
    }
    return std::nullopt;
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"fbtrack: links negative seller ratings to declined ship-faster requests, drafts removal "
                 "requests and reports risk, for merchant-fulfilled Amazon sellers."};
    app.set_version_flag("--version", std::string("fbtrack ") + FBTRACK_VERSION);
    app.require_subcommand(1);
    app.fallthrough();  // the global options may also follow the command: "fbtrack appeal ID --lang ja"

    CommandLine line{GlobalOptions{}, {}, {}, false, false, out, {}};
    GlobalOptions& global = line.global;
    global.shop = default_shop();
    app.add_option("--shop", global.shop, "the shop whose database to use (default: $FBTRACK_SHOP or 'default'); "
                                          "each shop's database is ~/.local/share/fbtrack/SHOP.db");
    app.add_option("--db", global.db_path, "this database file instead of the shop's (default: $FBTRACK_DB)");
    app.add_option("--marketplace", global.marketplace, "jp or us; remembered in the database once set")
        ->check(CLI::IsMember({"jp", "us"}));
    app.add_option("--lang", global.lang, "ja or en (default: the marketplace's language)")
        ->check(CLI::IsMember({"ja", "en"}));
    app.add_option("--today", global.today, "YYYY-MM-DD: use this date instead of the clock; what is dated later is left out");

    add_init_commands(app, line);
    add_import_commands(app, line);
    add_status_commands(app, line);
    add_expedite_commands(app, line);
    add_feedback_commands(app, line);
    add_report_commands(app, line);
    add_calendar_commands(app, line);
    add_shop_commands(app, line);
    add_backup_commands(app, line);
    add_mail_commands(app, line);
    add_notify_commands(app, line);
    add_risk_commands(app, line);
    add_serve_commands(app, line);

    // For the build: the manual page and the bash completion, from this very definition.
    app.add_flag_callback("--man", [&] {
           write_manual(out, app);
           throw CLI::Success();
       })->group("");
    app.add_flag_callback("--bash-completion", [&] {
           write_bash_completion(out, app);
           throw CLI::Success();
       })->group("");

    if (const auto problem = bad_argument(argc, argv)) {
        err << "fbtrack: " << *problem << "\n";
        return static_cast<int>(ExitCode::usage);
    }
    // Before the command runs, errors are said with the data files read for them alone.
    const auto say_early = [&](const Error& e) {
        if (!global.lang) global.lang = lang_argument(argc, argv);
        std::optional<Catalogue> data;
        try {
            data.emplace(find_data_dir(), own_data_dir());
        } catch (const Error&) {
        }
        const Catalogue* files = data ? &*data : nullptr;
        return worded(e, files, error_lang(global, files, nullptr));
    };
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) {  // --help, --version
            app.exit(e, out, err);
            return 0;
        }
        // CLI11 says what is wrong in its own English, kept as the fact of a sentence of ours.
        err << "fbtrack: " << terminal_lines(say_early(UsageError(say("usage.command_line", {{"detail", std::string(e.what())}}))))
            << "\n" << say_early(UsageError(say("usage.run_help"))) << "\n";
        return static_cast<int>(ExitCode::usage);
    } catch (const Error& e) {
        // From the option callbacks, which check what they read (watch --every, the environment).
        err << "fbtrack: " << terminal_lines(say_early(e)) << "\n";
        return static_cast<int>(e.code());
    } catch (const std::exception& e) {
        err << "fbtrack: internal error: " << terminal_lines(e.what()) << ". Please report this with the command you ran.\n";
        return static_cast<int>(ExitCode::internal);
    }

    // Kept out here so that an error is said in the shop's language.
    std::optional<Catalogue> catalogue_read;
    std::optional<Session> opened;
    try {
        try {
            if (line.without_database) {
                line.without_database();
                return 0;
            }
            global.max_db_pages = positive_number_from("FBTRACK_MAX_DB_PAGES", "pages");
            global.db_path = database_of(global, err);
            // Every data file is found, read and checked once for the whole run (a watch's rounds too).
            const Catalogue& catalogue = catalogue_read.emplace(find_data_dir(), own_data_dir());
            // Once per run, as the files are read once: a copy of the wrong shape stops every
            // command, never switches a rule off (a watch's rounds share this check).
            check_own_copies(catalogue);
            try {
                opened.emplace(global, catalogue, out, err);
            } catch (const InputError& e) {
                // A database too damaged to open at all is out of a restore's reach too; once it is
                // moved aside, the restore makes the database anew.
                if (!line.restoring) throw;
                throw InputError(joined({e.said(), say("restore.move_aside_first", {{"db", global.db_path.string()}})}));
            }
            Session& session = *opened;
            std::optional<StopSignals> stop;
            if (line.stoppable) stop.emplace();
            try {
                line.command(session);
            } catch (const SQLite::Exception& e) {
                session.store().database().rethrow(e);  // with what the system said of it (a full disk)
            } catch (const StopRequested& s) {
                err << "fbtrack: stopped by signal " << s.signal
                    << "; what was under way was not kept, and the next run does it again\n";
            }
            return 0;
        } catch (const SQLite::Exception& e) {
            rethrow_database_error(e, global.db_path);
        }
    } catch (const Error& e) {
        if (!catalogue_read) {  // an error before the data files were read (the environment's settings)
            try {
                catalogue_read.emplace(find_data_dir(), own_data_dir());
            } catch (const Error&) {
            }
        }
        const Catalogue* data = catalogue_read ? &*catalogue_read : nullptr;
        const std::string lang = error_lang(global, data, opened ? &*opened : nullptr);
        err << "fbtrack: " << terminal_lines(worded(e, data, lang)) << "\n";
        return static_cast<int>(e.code());
    } catch (const std::bad_alloc&) {
        err << "fbtrack: out of memory\n";
        return static_cast<int>(ExitCode::internal);
    } catch (const std::exception& e) {
        err << "fbtrack: internal error: " << terminal_lines(e.what()) << ". Please report this with the command you ran.\n";
        return static_cast<int>(ExitCode::internal);
    }
}

}  // namespace fbtrack
