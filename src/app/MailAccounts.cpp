#include "app/MailAccounts.h"

#include "core/Errors.h"
#include "core/PasswordCommand.h"
#include "importers/ImapClient.h"
#include "text/Dates.h"
#include "text/TerminalText.h"

#include <algorithm>
#include <fstream>

namespace fbtrack {

namespace {

bool is_account_name(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '@';
    });
}

bool has_control_characters(const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; });
}

}  // namespace

std::string checked_ca_file(const std::string& file, const std::string& command) {
    std::error_code ec;
    const auto path = std::filesystem::absolute(file, ec);
    std::ifstream probe(path);
    if (ec || !probe) throw MissingInputError(say("mail.cacert_unreadable", {{"command", command}, {"file", for_terminal(file)}}));
    if (const auto problem = ca_file_problem(path))
        throw UsageError(say("mail.cacert_problem", {{"command", command}, {"file", for_terminal(path.string())}, {"problem", *problem}}));
    return path.string();
}


MailAccount add_mail_account(const AppContext& context, const MailAccountRequest& options) {
    if (!is_account_name(options.name))
        throw UsageError(say("mail.bad_account_name", {{"name", for_terminal(options.name, 100)}}));
    MailAccount account;
    account.name = options.name;
    parse_imap_url(options.url);
    account.url = options.url;
    if (options.user.empty() || has_control_characters(options.user)) throw UsageError(say("mail.user_missing"));
    account.user = options.user;
    if (options.password_command.empty() || has_control_characters(options.password_command))
        throw UsageError(say("mail.password_command_missing"));
    account.password_command = options.password_command;
    check_password_command(account.password_command, account.name, "mail add");
    for (const auto& f : options.folders) {
        if (f.empty() || has_control_characters(f))
            throw UsageError(say("mail.bad_folder", {{"folder", for_terminal(f, 100)}}));
        if (std::find(account.folders.begin(), account.folders.end(), f) == account.folders.end()) account.folders.push_back(f);
    }
    if (account.folders.empty()) throw UsageError(say("mail.no_folders"));
    if (options.cacert) account.cacert = checked_ca_file(*options.cacert, "mail add");
    account.added_at = to_iso_utc(context.now);
    Store::Transaction tx(context.store);
    if (!context.store.mail().add_mail_account(account))
        throw UsageError(say("mail.account_exists", {{"account", account.name}}));
    tx.commit();
    return account;
}

std::vector<MailAccountState> mail_accounts(const AppContext& context) {
    std::vector<MailAccountState> states;
    for (auto& a : context.store.mail().mail_accounts()) {
        auto positions = context.store.mail().folder_positions(a.name);
        states.push_back({std::move(a), std::move(positions)});
    }
    return states;
}

void remove_mail_account(const AppContext& context, const std::string& name) {
    Store::Transaction tx(context.store);
    if (!context.store.mail().remove_mail_account(name))
        throw UsageError(say("mail.no_such_account", {{"account", for_terminal(name, 100)}}));
    tx.commit();
}

}  // namespace fbtrack
