// The command line of notify and watch: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/NotifyCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_notify_commands(CLI::App& app, CommandLine& line) {
    auto& notify_options = line.make<NotifyOptions>();
    auto* notify = app.add_subcommand("notify", "mail the seller what is new: requests to ship faster, unanswered messages, ratings, deadlines");
    notify->add_flag("--dry-run", notify_options.dry_run, "print the mail that would be sent; send and record nothing");
    auto& notify_set_options = line.make<NotifySettings>();
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
    notify_set->callback([&] { line.command = [&](Session& s) { run_notify_set(s, notify_set_options); }; });
    notify->callback([&] {
        if (line.command) return;  // notify set
        notify_options.smtp_deadline = smtp_deadline();
        line.stoppable = true;
        line.command = [&](Session& s) { run_notify(s, notify_options); };
    });

    auto& watch_options = line.make<WatchOptions>();
    auto& every = line.make<std::string>("10m");
    auto* watch = app.add_subcommand("watch", "fetch and notify every few minutes until stopped; one log line per round");
    watch->add_option("--every", every, "the time between rounds: 10m (default), 30s, 1h, 1h30m");
    watch->add_option("--rounds", watch_options.rounds, "stop after this many rounds")->check(CLI::PositiveNumber);
    watch->callback([&] {
        watch_options.every = parse_interval(every);
        watch_options.fetch.limits = server_limits();
        watch_options.round_timeout = round_timeout();
        line.stoppable = true;
        watch_options.smtp_deadline = smtp_deadline();
        line.command = [&](Session& s) { run_watch(s, watch_options); };
    });
}

}  // namespace fbtrack
