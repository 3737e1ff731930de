// The command line of mail and fetch: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/MailCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_mail_commands(CLI::App& app, CommandLine& line) {
    auto* mail = app.add_subcommand("mail", "the mailboxes fetch reads over IMAP: add, list, remove");
    mail->require_subcommand(1);
    auto& mail_add_options = line.make<MailAccountRequest>();
    auto& mail_folders = line.make<std::vector<std::string>>();
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
        line.command = [&](Session& s) { run_mail_add(s, mail_add_options); };
    });
    auto* mail_list = mail->add_subcommand("list", "the mailboxes, their folders and how far each was fetched");
    mail_list->callback([&] { line.command = [&](Session& s) { run_mail_list(s); }; });
    auto& mail_remove_name = line.make<std::string>();
    auto* mail_remove = mail->add_subcommand("remove", "forget a mailbox (the mail it brought stays)");
    mail_remove->add_option("NAME", mail_remove_name, "the account's name")->required();
    mail_remove->callback([&] { line.command = [&](Session& s) { run_mail_remove(s, mail_remove_name); }; });

    auto& fetch_options = line.make<FetchOptions>();
    auto* fetch = app.add_subcommand("fetch", "read the new mail of each mailbox (or those named) over IMAP, read-only");
    fetch->add_option("NAME", fetch_options.accounts, "the accounts to fetch (default: all)");
    fetch->callback([&] {
        fetch_options.limits = server_limits();
        fetch_options.limits.deadline = std::chrono::steady_clock::now() + round_timeout();
        line.stoppable = true;
        line.command = [&](Session& s) { run_fetch(s, fetch_options); };
    });
}

}  // namespace fbtrack
