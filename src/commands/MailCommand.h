#pragma once
// The seller's mailboxes, read over IMAP: `mail add/list/remove` keep the accounts in the shop's
// database (never a password), `fetch` brings each folder's new mail through the mail importer.
#include "commands/Session.h"
#include "importers/ImapClient.h"

#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct MailAddOptions {
    std::string name, url, user, password_command;
    std::vector<std::string> folders{"INBOX", "Sent"};
    std::optional<std::string> cacert;
};

void run_mail_add(Session& session, const MailAddOptions& options);
void run_mail_list(Session& session);
void run_mail_remove(Session& session, const std::string& name);

struct FetchOptions {
    std::vector<std::string> accounts;  // empty: every account
    ImapLimits limits;                  // deadlines and byte budgets against the server
    bool lock_shop = true;              // false when the caller (watch) holds the shop's lock
};

// Each account in turn, each in a transaction of its own: an account that fails (a server down, a
// password refused) leaves the others fetched. The first failure is thrown at the end. Returns how
// many new messages were read. Takes the shop's lock (BusyError when another fetch or watch holds
// it). A stop asked for (StopRequested) ends it at the next message, the batch under way not kept.
std::size_t run_fetch(Session& session, const FetchOptions& options);

// Runs the seller's password command (as mbsync's PassCmd: "pass show shop") through /bin/sh,
// with the terminal for its prompts, and returns the first line it prints.
std::string run_password_command(const std::string& command, const std::string& account);
// For a command about to be stored (mail add, notify set): runs it once, so that one that does
// not work is found now, and refuses (UsageError) one that is plainly the password, which would
// then be kept in the database with it: the password itself, or a command that only prints text
// written in it (echo, printf, cat <<<). `option` names the command in the message.
void check_password_command(const std::string& command, const std::string& account, const std::string& option);
// A --cacert file about to be stored, as an absolute path: refused (MissingInputError) when it
// cannot be read, (UsageError) when it holds no PEM certificate. `command` names the command.
std::string checked_ca_file(const std::string& file, const std::string& command);

}  // namespace fbtrack
