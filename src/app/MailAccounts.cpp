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
    if (ec || !probe) throw MissingInputError(command + ": --cacert: cannot read " + for_terminal(file));
    if (const auto problem = ca_file_problem(path))
        throw UsageError(command + ": --cacert: " + for_terminal(path.string()) + ": " + *problem);
    return path.string();
}


MailAccount add_mail_account(const AppContext& context, const MailAccountRequest& options) {
    if (!is_account_name(options.name))
        throw UsageError("mail add: \"" + for_terminal(options.name, 100) +
                         "\" cannot name an account. Hint: use letters, digits, '-', '_', '.' or '@' (at most 64)");
    MailAccount account;
    account.name = options.name;
    parse_imap_url(options.url);
    account.url = options.url;
    if (options.user.empty() || has_control_characters(options.user)) throw UsageError("mail add: --user: give the login name");
    account.user = options.user;
    if (options.password_command.empty() || has_control_characters(options.password_command))
        throw UsageError("mail add: --password-command: give a command that prints the password (e.g. \"pass show shop\")");
    account.password_command = options.password_command;
    check_password_command(account.password_command, account.name, "mail add");
    for (const auto& f : options.folders) {
        if (f.empty() || has_control_characters(f))
            throw UsageError("mail add: --folders: \"" + for_terminal(f, 100) + "\" cannot name a folder");
        if (std::find(account.folders.begin(), account.folders.end(), f) == account.folders.end()) account.folders.push_back(f);
    }
    if (account.folders.empty()) throw UsageError("mail add: --folders: name at least one folder (INBOX, and the sent folder)");
    if (options.cacert) account.cacert = checked_ca_file(*options.cacert, "mail add");
    account.added_at = to_iso_utc(context.now);
    Store::Transaction tx(context.store);
    if (!context.store.mail().add_mail_account(account))
        throw UsageError("mail add: there is an account named " + account.name +
                         " already. Hint: 'fbtrack mail remove " + account.name + "' first to change it");
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
        throw UsageError("mail remove: there is no account named " + for_terminal(name, 100) + ". Hint: 'fbtrack mail list'");
    tx.commit();
}

}  // namespace fbtrack
