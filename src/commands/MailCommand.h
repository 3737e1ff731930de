#pragma once
// The seller's mailboxes, read over IMAP: `mail add/list/remove` keep the accounts in the shop's
// database (never a password), `fetch` brings each folder's new mail through the mail importer.
// What they do is in app/MailAccounts.h and app/FetchMail.h; here is what they print.
#include "app/FetchMail.h"
#include "app/MailAccounts.h"
#include "commands/ImportCommand.h"
#include "app/Words.h"
#include "commands/Session.h"
#include "importers/ImapClient.h"
#include "importers/MailReader.h"

#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

void run_mail_add(Session& session, const MailAccountRequest& options);
void run_mail_list(Session& session);
void run_mail_remove(Session& session, const std::string& name);

struct FetchOptions {
    std::vector<std::string> accounts;  // empty: every account
    ImapLimits limits;                  // deadlines and byte budgets against the server
};

// What a fetch prints as it goes: a line per folder, the batches' import summaries, an account's
// failure (when several are fetched) on `session.err()`.
class FetchPrinter : public FetchListener {
public:
    explicit FetchPrinter(Session& session) : session_(session), batch_(session.out(), session.err(), output_words(session.data(), session.lang()), false) {}
    void reclassified(std::size_t messages) override { batch_.reclassified(messages); }
    void reading(const std::filesystem::path& file, std::uint64_t done, std::uint64_t size) override {
        batch_.reading(file, done, size);
    }
    void file_done(const ImportedFile& file) override { batch_.file_done(file); }
    void folder_missing(const std::string& account, const std::string& folder) override;
    void folder_read_again(const FolderReadAgain& what) override;
    void batch_imported(const ImportReport& report) override;
    void folder_cut_short(const FolderCutShort& what) override;
    void folder_done(const FolderFetch& folder) override;
    void account_done(const AccountFetch& account) override;
    void account_failed(const std::string& account, const Error& error) override;

private:
    Session& session_;
    ImportPrinter batch_;
};

// The fetched count, or the Error that ends a fetch in which an account failed (the failure
// itself was printed as it happened).
std::size_t fetched_or_failure(const FetchReport& report);

// Takes the shop's lock (BusyError when another fetch or watch holds it) and fetches, printing as
// it goes. An account that failed among several ends it in an Error once the others are read.
std::size_t run_fetch(Session& session, const FetchOptions& options);

}  // namespace fbtrack
