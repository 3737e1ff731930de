#pragma once
// The mailboxes fetch reads, kept in the shop's database with the command that prints each
// password (never the password): add, list with how far each folder was read, remove.
#include "app/AppContext.h"
#include "store/Store.h"

#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct MailAccountRequest {
    std::string name, url, user, password_command;
    std::vector<std::string> folders{"INBOX", "Sent"};
    std::optional<std::string> cacert;  // a private CA's certificate file, as given
};

// Checks the request (the password command is run once; the CA file read) and keeps the account.
// UsageError for a value that cannot be used or a name taken already.
MailAccount add_mail_account(const AppContext& context, const MailAccountRequest& request);

struct MailAccountState {
    MailAccount account;
    std::vector<FolderPosition> positions;  // the folders read so far
};
std::vector<MailAccountState> mail_accounts(const AppContext& context);

// UsageError when there is no account of that name. The mail it brought stays.
void remove_mail_account(const AppContext& context, const std::string& name);

// A --cacert file about to be stored, as an absolute path: refused (MissingInputError) when it
// cannot be read, (UsageError) when it holds no PEM certificate. `command` names the command.
std::string checked_ca_file(const std::string& file, const std::string& command);

}  // namespace fbtrack
