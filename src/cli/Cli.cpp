#include "cli/Cli.h"

#include "cli/Manual.h"

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

// A positive number from the environment (`what` names its unit), or nothing when it is unset.
std::optional<long long> positive_number_from(const char* variable, const char* what) {
    const char* env = std::getenv(variable);
    if (!env || !*env) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(env, &end, 10);
    if (!std::isdigit(static_cast<unsigned char>(env[0])) || *end != '\0' || errno == ERANGE || n <= 0)
        throw UsageError(std::string(variable) + ": found '" + env + "', expected a positive number of " + what);
    return n;
}

// Deadlines against the seller's servers, settable for the tests of hostile servers (and for a
// very slow line): FBTRACK_SERVER_TIMEOUT, seconds one step with a server may take (default 30);
// FBTRACK_ROUND_TIMEOUT, seconds a whole fetch or round of watch may take (default 3600).
ImapLimits server_limits() {
    ImapLimits limits;
    if (const auto n = positive_number_from("FBTRACK_SERVER_TIMEOUT", "seconds"))
        limits.step = std::chrono::seconds(std::min<long long>(*n, 24 * 3600));
    return limits;
}
std::chrono::seconds round_timeout() {
    const auto n = positive_number_from("FBTRACK_ROUND_TIMEOUT", "seconds");
    return std::chrono::seconds(n ? std::min<long long>(*n, 7 * 24 * 3600) : 3600);
}

// $FBTRACK_SMTP_DEADLINE: how long one alert mail may take, in whole seconds (1 to an hour).
std::chrono::seconds smtp_deadline() {
    const char* env = std::getenv("FBTRACK_SMTP_DEADLINE");
    if (!env || !*env) return default_smtp_deadline;
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(env, &end, 10);
    if (!std::isdigit(static_cast<unsigned char>(env[0])) || *end != '\0' || errno == ERANGE || n < 1 || n > 3600)
        throw UsageError("FBTRACK_SMTP_DEADLINE: found '" + for_terminal(env, 50) +
                         "', expected whole seconds from 1 to 3600. Hint: unset it for the default, " +
                         std::to_string(default_smtp_deadline.count()) + " s");
    return std::chrono::seconds(n);
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

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"fbtrack: links negative seller ratings to declined ship-faster requests, drafts removal "
                 "requests and reports risk, for merchant-fulfilled Amazon sellers."};
    app.set_version_flag("--version", std::string("fbtrack ") + FBTRACK_VERSION);
    app.require_subcommand(1);
    app.fallthrough();  // the global options may also follow the command: "fbtrack appeal ID --lang ja"

    GlobalOptions global;
    global.shop = default_shop();
    app.add_option("--shop", global.shop, "the shop whose database to use (default: $FBTRACK_SHOP or 'default'); "
                                          "each shop's database is ~/.local/share/fbtrack/SHOP.db");
    app.add_option("--db", global.db_path, "this database file instead of the shop's (default: $FBTRACK_DB)");
    app.add_option("--marketplace", global.marketplace, "jp or us; remembered in the database once set")
        ->check(CLI::IsMember({"jp", "us"}));
    app.add_option("--lang", global.lang, "ja or en (default: the marketplace's language)")
        ->check(CLI::IsMember({"ja", "en"}));
    app.add_option("--today", global.today, "YYYY-MM-DD: use this date instead of the clock; what is dated later is left out");

    std::function<void(Session&)> command;
    std::function<void()> without_database;  // commands that open no database of their own
    bool stoppable = false;  // talks to servers: SIGINT and SIGTERM stop it at a safe point, exit 0

    ImportOptions import_options;
    std::string kind;
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
        global.may_create_database = !import_options.dry_run;
        command = [&](Session& s) {
            if (const auto run = positive_number_from("FBTRACK_SORT_RUN_BYTES", "bytes"))
                import_options.sort_run_bytes = static_cast<std::size_t>(*run);
            run_import(s, import_options);
        };
    });

    StatusOptions status_options;
    auto* status = app.add_subcommand("status", "counts and the import journal");
    status->add_flag("--json", status_options.json, "one JSON object");
    status->callback([&] { command = [&](Session& s) { run_status(s, status_options); }; });

    MessagesOptions messages_options;
    auto* messages = app.add_subcommand("messages", "buyer-seller messages with their classification and reply times");
    messages->add_option("--order", messages_options.order_id, "only this order's messages");
    messages->add_flag("--json", messages_options.json, "a JSON array, with bodies");
    messages->callback([&] { command = [&](Session& s) { run_messages(s, messages_options); }; });

    auto* expedite = app.add_subcommand("expedite", "requests to ship faster and how they were answered");
    expedite->require_subcommand(1);
    ExpediteListOptions list_options;
    auto* list = expedite->add_subcommand("list", "every expedite request, from mail, CSV logs and manual records");
    list->add_flag("--json", list_options.json, "a JSON array");
    list->callback([&] { command = [&](Session& s) { run_expedite_list(s, list_options); }; });
    ExpediteAddOptions add_options;
    auto* add = expedite->add_subcommand("add", "record a request whose messages are not in mail");
    add->add_option("ORDER-ID", add_options.order_id, "the order")->required();
    add->add_option("--requested-at", add_options.requested_at,
                    "when the buyer asked (2026-10-10T09:12, local time unless an offset is given)")
        ->required();
    auto* declined = add->add_option("--declined-at", add_options.declined_at, "when you declined");
    add->add_option("--accepted-at", add_options.accepted_at, "when you agreed")->excludes(declined);
    add->add_option("--note", add_options.note, "a note for yourself");
    add->callback([&] { command = [&](Session& s) { run_expedite_add(s, add_options); }; });
    ExpediteReplyOptions reply_options;
    auto* reply = expedite->add_subcommand("reply", "draft your answer to a request to ship faster");
    reply->add_option("ORDER-ID", reply_options.order_id, "the order")->required();
    auto* accept_flag = reply->add_flag("--accept", reply_options.accept, "agree and give the new ship date");
    reply->add_flag("--decline", reply_options.decline, "decline politely with the ship-by date (the default)")->excludes(accept_flag);
    reply->callback([&] { command = [&](Session& s) { run_expedite_reply(s, reply_options); }; });

    FeedbackOptions feedback_options;
    auto* feedback = app.add_subcommand("feedback", "negative and neutral ratings with the evidence and an honest verdict");
    feedback->add_flag("--json", feedback_options.json, "a JSON array");
    feedback->add_option("--month", feedback_options.month, "only ratings posted in this month (YYYY-MM)");
    feedback->callback([&] { command = [&](Session& s) { run_feedback(s, feedback_options); }; });

    AppealOptions appeal_options;
    auto* appeal = app.add_subcommand("appeal", "print a draft to paste into Seller Central, or record an outcome");
    appeal->add_option("ORDER-ID", appeal_options.order_id, "the rated order")->required();
    appeal->add_option("--kind", appeal_options.kind, "removal (default), reply or buyer")
        ->check(CLI::IsMember({"removal", "reply", "buyer"}));
    appeal->add_option("--mark", appeal_options.mark, "record that the request was submitted, or its outcome")
        ->check(CLI::IsMember({"submitted", "removed", "refused"}));
    appeal->callback([&] { command = [&](Session& s) { run_appeal(s, appeal_options); }; });

    AppealsOptions appeals_options;
    auto* appeals = app.add_subcommand("appeals", "write every open rating's drafts, in Japanese and English, as .txt files");
    appeals->add_option("--out", appeals_options.out_dir, "folder for the files")->required();
    appeals->callback([&] { command = [&](Session& s) { run_appeals(s, appeals_options); }; });

    ReportOptions report_options;
    auto* report = app.add_subcommand("report", "write the monthly HTML report and print its path");
    report->add_option("--month", report_options.month, "the month to report (YYYY-MM; default: this month)");
    report->add_option("--from", report_options.from, "first day of a custom period (YYYY-MM-DD)");
    report->add_option("--to", report_options.to, "last day of a custom period (YYYY-MM-DD)");
    report->add_option("--out", report_options.out, "the file (default: reports/SHOP-PERIOD.html beside the database)");
    report->callback([&] { command = [&](Session& s) { run_report(s, report_options); }; });

    CalendarOptions calendar_options;
    auto* calendar = app.add_subcommand("calendar", "the shop's closed days and public holidays; set/add/remove edit them");
    calendar->add_option("--year", calendar_options.year, "the year to list (default: this year)");
    calendar->add_flag("--json", calendar_options.json, "a JSON array of closed days and holidays");
    calendar->callback([&] {
        if (!command) command = [&](Session& s) { run_calendar(s, calendar_options); };
    });
    CalendarSetOptions set_options;
    auto* set = calendar->add_subcommand("set", "change the weekly closed days, holidays, handling time or reply hours");
    set->add_option("--closed-weekdays", set_options.closed_weekdays, "e.g. sun or sun,sat (none: open all week)");
    set->add_option("--holidays-closed", set_options.holidays_closed, "yes or no");
    set->add_option("--handling-days", set_options.handling_days, "business days from order to shipment");
    set->add_option("--reply-hours", set_options.reply_hours, "when you answer messages, e.g. 09:00-18:00");
    set->callback([&] { command = [&](Session& s) { run_calendar_set(s, set_options); }; });
    CalendarRangeOptions range_options;
    auto* add_range = calendar->add_subcommand("add", "close the shop from one date to another");
    add_range->add_option("FROM", range_options.from, "first closed day (YYYY-MM-DD)")->required();
    add_range->add_option("TO", range_options.to, "last closed day (YYYY-MM-DD)")->required();
    add_range->add_option("--label", range_options.label, "what it is, e.g. 年末年始, お盆")->required();
    add_range->callback([&] { command = [&](Session& s) { run_calendar_add(s, range_options); }; });
    std::string remove_key;
    auto* remove_range = calendar->add_subcommand("remove", "delete a closed range by its first day or its label");
    remove_range->add_option("FROM-OR-LABEL", remove_key, "the range's first day or label")->required();
    remove_range->callback([&] { command = [&](Session& s) { run_calendar_remove(s, remove_key); }; });

    bool shops_json = false;
    auto* shops = app.add_subcommand("shops", "the shops in ~/.local/share/fbtrack, with marketplace, counts and last import");
    shops->add_flag("--json", shops_json, "a JSON array");
    shops->callback([&] { without_database = [&] { run_shops(out, shops_json); }; });

    auto* shop = app.add_subcommand("shop", "this shop's settings: show lists them, set changes them");
    shop->require_subcommand(1);
    bool shop_json = false;
    auto* shop_show = shop->add_subcommand("show", "name, staff names, own addresses, Buy Shipping and calendar");
    shop_show->add_flag("--json", shop_json, "one JSON object");
    shop_show->callback([&] { command = [&](Session& s) { run_shop_show(s, shop_json); }; });
    ShopSetOptions shop_set_options;
    auto* shop_set = shop->add_subcommand("set", "change the shop's name, staff names, own addresses or Buy Shipping");
    shop_set->add_option("--name", shop_set_options.name, "the shop's name as buyers see it (signs the drafts)");
    shop_set->add_option("--staff", shop_set_options.staff, "staff names, comma separated (a rating naming one holds personal information)")
        ->delimiter(',');
    shop_set->add_option("--own-addresses", shop_set_options.own_addresses,
                         "the shop's own mail addresses, comma separated (mail from them is the seller's)")
        ->delimiter(',');
    shop_set->add_option("--buy-shipping", shop_set_options.buy_shipping, "yes if every order ships with Amazon's Buy Shipping, else no");
    shop_set->callback([&] { command = [&](Session& s) { run_shop_set(s, shop_set_options); }; });

    bool data_check = false;
    auto* data = app.add_subcommand("data", "where each data file comes from: shipped, or your copy in ~/.config/fbtrack");
    data->add_flag("--check", data_check, "read and check every data file, shipped and yours, and say what is wrong");
    data->callback([&] {
        without_database = [&] {
            if (data_check) run_data_check(out, find_data_dir(), user_config_dir());
            else run_data(out, find_data_dir(), user_config_dir());
        };
    });

    BackupOptions backup_options;
    auto* backup = app.add_subcommand("backup", "copy the shop's database, safely while in use, to a file of your own (0600)");
    backup->add_option("FILE", backup_options.file, "where to write it (default: backups/ beside the database)");
    backup->callback([&] { command = [&](Session& s) { run_backup(s, backup_options); }; });
    std::filesystem::path restore_file;
    bool restoring = false;
    auto* restore = app.add_subcommand("restore", "replace the shop's database with a backup (the one replaced is kept in backups/)");
    restore->add_option("FILE", restore_file, "a file 'fbtrack backup' wrote")->required();
    restore->callback([&] {
        restoring = true;
        command = [&](Session& s) { run_restore(s, restore_file); };
    });

    auto* mail = app.add_subcommand("mail", "the mailboxes fetch reads over IMAP: add, list, remove");
    mail->require_subcommand(1);
    MailAddOptions mail_add_options;
    std::vector<std::string> mail_folders;
    auto* mail_add = mail->add_subcommand("add", "add a mailbox (IMAPS or STARTTLS; the password is never stored)");
    mail_add->add_option("NAME", mail_add_options.name, "a name for the account (letters, digits, - _ . @)")->required();
    mail_add->add_option("--url", mail_add_options.url, "imaps://HOST[:PORT], or imap://HOST[:PORT] for STARTTLS")->required();
    mail_add->add_option("--user", mail_add_options.user, "the login name")->required();
    mail_add->add_option("--password-command", mail_add_options.password_command,
                         "a command that prints the password (e.g. \"pass show shop\"); run at each fetch")
        ->required();
    mail_add->add_option("--folders", mail_folders, "the folders to read, comma-separated (default: INBOX,Sent)")->delimiter(',');
    mail_add->add_option("--cacert", mail_add_options.cacert, "a private CA's certificate (PEM) to trust for this server alone");
    mail_add->callback([&] {
        if (!mail_folders.empty()) mail_add_options.folders = mail_folders;
        command = [&](Session& s) { run_mail_add(s, mail_add_options); };
    });
    auto* mail_list = mail->add_subcommand("list", "the mailboxes, their folders and how far each was fetched");
    mail_list->callback([&] { command = [&](Session& s) { run_mail_list(s); }; });
    std::string mail_remove_name;
    auto* mail_remove = mail->add_subcommand("remove", "forget a mailbox (the mail it brought stays)");
    mail_remove->add_option("NAME", mail_remove_name, "the account's name")->required();
    mail_remove->callback([&] { command = [&](Session& s) { run_mail_remove(s, mail_remove_name); }; });

    FetchOptions fetch_options;
    auto* fetch = app.add_subcommand("fetch", "read the new mail of each mailbox (or those named) over IMAP, read-only");
    fetch->add_option("NAME", fetch_options.accounts, "the accounts to fetch (default: all)");
    fetch->callback([&] {
        fetch_options.limits = server_limits();
        fetch_options.limits.deadline = std::chrono::steady_clock::now() + round_timeout();
        stoppable = true;
        command = [&](Session& s) { run_fetch(s, fetch_options); };
    });

    NotifyOptions notify_options;
    auto* notify = app.add_subcommand("notify", "mail the seller what is new: requests to ship faster, unanswered messages, ratings, deadlines");
    notify->add_flag("--dry-run", notify_options.dry_run, "print the mail that would be sent; send and record nothing");
    NotifySetOptions notify_set_options;
    auto* notify_set = notify->add_subcommand("set", "where alerts go: the SMTP server (SMTPS, STARTTLS, or a relay on this machine), from and to");
    notify_set->add_option("--smtp", notify_set_options.smtp,
                           "smtps://HOST[:PORT], or smtp://HOST[:PORT] for STARTTLS; smtp://localhost (127.0.0.1, [::1]) "
                           "is plain SMTP to this machine, unless --cacert is given")
        ->required();
    notify_set->add_option("--from", notify_set_options.from, "the sender address")->required();
    notify_set->add_option("--to", notify_set_options.to, "where alerts go (comma-separated for several)")->required()->delimiter(',');
    notify_set->add_option("--user", notify_set_options.user, "the SMTP login, if the server wants one");
    notify_set->add_option("--password-command", notify_set_options.password_command, "a command that prints the SMTP password");
    notify_set->add_option("--cacert", notify_set_options.cacert, "a private CA's certificate (PEM) to trust for this server alone");
    notify_set->callback([&] { command = [&](Session& s) { run_notify_set(s, notify_set_options); }; });
    notify->callback([&] {
        if (command) return;  // notify set
        notify_options.smtp_deadline = smtp_deadline();
        stoppable = true;
        command = [&](Session& s) { run_notify(s, notify_options); };
    });

    WatchOptions watch_options;
    std::string every = "10m";
    auto* watch = app.add_subcommand("watch", "fetch and notify every few minutes until stopped; one log line per round");
    watch->add_option("--every", every, "the time between rounds: 10m (default), 30s, 1h, 1h30m");
    watch->add_option("--rounds", watch_options.rounds, "stop after this many rounds")->check(CLI::PositiveNumber);
    watch->callback([&] {
        watch_options.every = parse_interval(every);
        watch_options.fetch.limits = server_limits();
        watch_options.round_timeout = round_timeout();
        stoppable = true;
        watch_options.smtp_deadline = smtp_deadline();
        command = [&](Session& s) { run_watch(s, watch_options); };
    });

    RiskOptions risk_options;
    auto* risk = app.add_subcommand("risk", "what needs doing as of --today: closures, open requests, unanswered messages, deadlines");
    risk->add_flag("--json", risk_options.json, "a JSON array");
    risk->callback([&] { command = [&](Session& s) { run_risk(s, risk_options); }; });

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
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) {  // --help, --version
            app.exit(e, out, err);
            return 0;
        }
        err << "fbtrack: " << terminal_lines(e.what()) << "\nRun 'fbtrack --help' for the commands and their options.\n";
        return static_cast<int>(ExitCode::usage);
    } catch (const Error& e) {
        // From the option callbacks, which check what they read (watch --every, the environment).
        err << "fbtrack: " << terminal_lines(e.what()) << "\n";
        return static_cast<int>(e.code());
    } catch (const std::exception& e) {
        err << "fbtrack: internal error: " << terminal_lines(e.what()) << ". Please report this with the command you ran.\n";
        return static_cast<int>(ExitCode::internal);
    }

    try {
        try {
            if (without_database) {
                without_database();
                return 0;
            }
            global.max_db_pages = positive_number_from("FBTRACK_MAX_DB_PAGES", "pages");
            global.db_path = database_of(global, err);
            // Every data file is found, read and checked once for the whole run (a watch's rounds too).
            const Catalogue catalogue(find_data_dir(), own_data_dir());
            std::optional<Session> opened;
            try {
                opened.emplace(global, catalogue, out, err);
            } catch (const InputError& e) {
                // A database too damaged to open at all is out of a restore's reach too; once it is
                // moved aside, the restore makes the database anew.
                if (!restoring) throw;
                throw InputError(std::string(e.what()) + "\nTo restore it, move it aside first: mv " + global.db_path.string() +
                                 " " + global.db_path.string() + ".damaged; then run the restore again");
            }
            Session& session = *opened;
            std::optional<StopSignals> stop;
            if (stoppable) stop.emplace();
            try {
                command(session);
            } catch (const SQLite::Exception& e) {
                session.store().rethrow(e);  // with what the system said of it (a full disk)
            } catch (const StopRequested& s) {
                err << "fbtrack: stopped by signal " << s.signal
                    << "; what was under way was not kept, and the next run does it again\n";
            }
            return 0;
        } catch (const SQLite::Exception& e) {
            rethrow_database_error(e, global.db_path);
        }
    } catch (const Error& e) {
        err << "fbtrack: " << terminal_lines(e.what()) << "\n";
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
