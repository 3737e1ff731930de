#pragma once
// Reading the seller's mailboxes over IMAP: each folder's new messages, imported a batch at a
// time (app/ImportFiles.h) with the folder's position. The use-case behind `fetch`, each round of
// `watch`, and the mail page's Fetch now. The caller holds the shop's lock (core/ShopLock.h).
#include "app/AppContext.h"
#include "app/ImportFiles.h"
#include "core/Errors.h"
#include "importers/ImapClient.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fbtrack {

struct FetchRequest {
    std::vector<std::string> accounts;  // empty: every account
    ImapLimits limits;                  // deadlines and byte budgets against the server
    const ImportRules* rules = nullptr;  // made once per fetch when none is given (watch keeps one)
};

// One folder of an account, as far as this fetch read it.
struct FolderFetch {
    std::string account, folder;
    std::size_t fetched = 0;     // messages kept
    std::size_t unreadable = 0;  // messages the server would not give: kept on record
    std::size_t truncated = 0;   // messages longer than max_message_bytes: their first part kept
};

// Why a folder is read from its start again; messages stored already stay as they are.
struct FolderReadAgain {
    enum class Reason {
        position_past_next_uid,  // the position kept lies past the server's UIDNEXT
        renumbered,              // the server's UIDVALIDITY changed
    };
    Reason reason;
    std::string account, folder;
    std::int64_t was = 0;  // the position kept / the old UIDVALIDITY
    std::int64_t now = 0;  // the server's UIDNEXT / its new UIDVALIDITY
};

// The connection ended in the middle of a folder: what was read before is kept.
struct FolderCutShort {
    std::string account, folder;
    std::size_t kept = 0;
    std::optional<std::uint32_t> oversized_uid;  // a message larger than asked for, kept on record
};

struct AccountFetch {
    std::string account;
    std::size_t fetched = 0, truncated = 0;
};

struct FetchReport {
    std::size_t fetched = 0;  // new messages read, in every account
    std::vector<AccountFetch> accounts;
    // Accounts that failed when several were fetched (the others were still read): the name and
    // the error. With one account its failure is thrown.
    std::vector<std::pair<std::string, Error>> failed;
};

// What a front end may show while a fetch goes on.
class FetchListener : public ImportListener {
public:
    virtual void folder_missing(const std::string& account, const std::string& folder) { (void)account, (void)folder; }
    virtual void folder_read_again(const FolderReadAgain& what) { (void)what; }
    // A batch imported (in its own transaction, with the folder's position).
    virtual void batch_imported(const ImportReport& report) { (void)report; }
    virtual void folder_cut_short(const FolderCutShort& what) { (void)what; }
    virtual void folder_done(const FolderFetch& folder) { (void)folder; }
    virtual void account_done(const AccountFetch& account) { (void)account; }
    virtual void account_failed(const std::string& account, const Error& error) { (void)account, (void)error; }
};

// Each account in turn, each folder a batch at a time (200 messages or 64 MiB), each batch in a
// transaction of its own with the folder's position: an account that fails (a server down, a
// password refused) leaves the others fetched, and a batch cut short keeps those before it. A
// stop asked for (StopRequested) ends it at the next message, the batch under way not kept.
FetchReport fetch_mail(const AppContext& context, const FetchRequest& request, FetchListener& listener);

}  // namespace fbtrack
