#include "commands/MailCommand.h"

#include "core/Errors.h"
#include "core/ShopLock.h"
#include "text/TerminalText.h"

#include <algorithm>
#include <ostream>

namespace fbtrack {

void run_mail_add(Session& session, const MailAccountRequest& options) {
    const MailAccount account = add_mail_account(session.app_context(), options);
    std::string folders;
    for (const auto& f : account.folders) folders += (folders.empty() ? "" : ", ") + for_terminal(f);
    session.out() << "Mail account " << account.name << " added: " << for_terminal(account.url) << ", user "
                  << for_terminal(account.user) << ", folders " << folders
                  << ". The password is not kept; the command runs at each fetch. 'fbtrack fetch " << account.name
                  << "' reads its mail.\n";
}

void run_mail_list(Session& session) {
    auto& out = session.out();
    const auto accounts = mail_accounts(session.app_context());
    if (accounts.empty()) {
        out << "No mail accounts. Add one with: fbtrack mail add NAME --url imaps://HOST --user USER --password-command CMD\n";
        return;
    }
    for (const auto& [a, positions] : accounts) {
        out << a.name << "  " << for_terminal(a.url) << "  user " << for_terminal(a.user) << "  password from: "
            << for_terminal(a.password_command) << "\n";
        if (a.cacert) out << "  CA certificate: " << for_terminal(*a.cacert) << "\n";
        for (const auto& f : a.folders) {
            const auto p = std::find_if(positions.begin(), positions.end(), [&](const FolderPosition& x) { return x.folder == f; });
            out << "  " << for_terminal(f) << ": "
                << (p == positions.end() ? std::string("not fetched yet")
                                         : "fetched " + p->fetched_at + ", up to UID " + std::to_string(p->last_uid))
                << "\n";
        }
    }
}

void run_mail_remove(Session& session, const std::string& name) {
    remove_mail_account(session.app_context(), name);
    session.out() << "Mail account " << name << " removed; the mail it brought stays.\n";
}

void FetchPrinter::folder_missing(const std::string& account, const std::string& folder) {
    session_.out() << account << " " << for_terminal(folder) << ": the server has no such folder; skipped\n";
}

void FetchPrinter::folder_read_again(const FolderReadAgain& what) {
    auto& out = session_.out();
    out << what.account << " " << for_terminal(what.folder);
    switch (what.reason) {
    case FolderReadAgain::Reason::position_past_next_uid:
        out << ": the position kept (UID " << what.was << ") lies past the server's next UID (" << what.now
            << "), so the folder is read again; messages stored already stay as they are\n";
        break;
    case FolderReadAgain::Reason::renumbered:
        out << ": the server numbered the folder anew (UIDVALIDITY " << what.was << " is now " << what.now
            << "), so all of it is read again; messages stored already stay as they are\n";
        break;
    }
}

void FetchPrinter::batch_imported(const ImportReport& report) {
    batch_.summary(report, session_.data());
    if (report.adopted_shop_settings) session_.announce_adopted_settings();
}

void FetchPrinter::folder_cut_short(const FolderCutShort& what) {
    auto& out = session_.out();
    out << what.account << " " << for_terminal(what.folder) << ": " << what.kept
        << (what.kept == 1 ? " new message kept" : " new messages kept") << " before the connection ended";
    if (what.oversized_uid)
        out << "; message " << *what.oversized_uid
            << " cannot be read from this server and is kept on record as unreadable ('fbtrack status')";
    out << "\n";
}

void FetchPrinter::folder_done(const FolderFetch& folder) {
    auto& out = session_.out();
    out << folder.account << " " << for_terminal(folder.folder) << ": "
        << (folder.fetched == 0 ? std::string("nothing new")
                                : std::to_string(folder.fetched) + (folder.fetched == 1 ? " new message" : " new messages"));
    if (folder.unreadable)
        out << "; " << folder.unreadable << (folder.unreadable == 1 ? " message" : " messages")
            << " the server would not give (kept on record; asked for again next time, once; 'fbtrack status' lists "
               "them)";
    out << "\n";
}

void FetchPrinter::account_done(const AccountFetch& account) {
    if (account.truncated)
        session_.out() << account.truncated << (account.truncated == 1 ? " message was" : " messages were") << " longer than "
                       << (max_message_bytes >> 20) << " MiB; only the first " << (max_message_bytes >> 20)
                       << " MiB were read\n";
}

void FetchPrinter::account_failed(const std::string& account, const Error& error) {
    (void)account;  // the message names it
    session_.err() << "fbtrack: " << error.what() << "\n";
}

std::size_t fetched_or_failure(const FetchReport& report) {
    if (!report.failed.empty())
        throw Error(report.failed.front().second.code(), "fetch: an account could not be fetched (see above)");
    return report.fetched;
}

std::size_t run_fetch(Session& session, const FetchOptions& options) {
    ShopLock lock(session.options().db_path, "fetch");
    FetchPrinter printer(session);
    return fetched_or_failure(fetch_mail(session.app_context(), {options.accounts, options.limits}, printer));
}

}  // namespace fbtrack
