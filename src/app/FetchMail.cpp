#include "app/FetchMail.h"

#include "core/PasswordCommand.h"
#include "core/StopSignals.h"
#include "importers/MailReader.h"
#include "text/Dates.h"
#include "text/TerminalText.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace fbtrack {

namespace {

// Messages committed together by fetch: few enough that a lost connection costs little, many
// enough that a first fetch of years of mail is not thousands of transactions.
constexpr std::size_t fetch_batch = 200;
// ...and at most this many bytes of them, waiting in the spool beside the database.
constexpr std::size_t batch_bytes = 64 * 1024 * 1024;
// UIDs listed at a time: the list of a first fetch of a huge folder stays small.
constexpr std::size_t listing_most = 20000;

// Fetched messages wait here, beside the database (the seller's own folder, mode 0700), until they
// are imported; gone when the fetch ends, however it ends short of a crash.
class SpoolFolder {
public:
    explicit SpoolFolder(const std::filesystem::path& beside) {
        remove_abandoned(beside);
        std::string pattern = (beside / (".fetch-" + std::to_string(::getpid()) + "-XXXXXX")).string();
        if (!mkdtemp(pattern.data()))
            throw OutputError(say("fetch.spool_folder", {{"folder", for_terminal(beside.string())}, {"reason", std::strerror(errno)}}));
        path_ = pattern;
    }
    ~SpoolFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    SpoolFolder(const SpoolFolder&) = delete;
    SpoolFolder& operator=(const SpoolFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    // A fetch that was killed leaves its folder behind: removed once its process is gone (a fetch
    // running beside this one keeps its own).
    static void remove_abandoned(const std::filesystem::path& folder) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind(".fetch-", 0) != 0) continue;
            const auto dash = name.find('-', 7);
            if (dash == std::string::npos) continue;
            const long pid = std::strtol(name.substr(7, dash - 7).c_str(), nullptr, 10);
            if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) std::filesystem::remove_all(entry.path(), ec);
        }
    }
    std::filesystem::path path_;
};

void write_spool_file(const std::filesystem::path& path, const std::string& bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw OutputError(say("file.cannot_write_plain", {{"file", for_terminal(path.string())}, {"reason", std::strerror(errno)}}));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            throw OutputError(say("file.cannot_write_plain", {{"file", for_terminal(path.string())}, {"reason", std::strerror(e)}}));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

// The journal's name for a message of an IMAP folder, as the importer records it.
std::string imap_source(const MailAccount& account, const std::string& folder, std::uint32_t uidvalidity, std::uint32_t uid) {
    return "imap " + account.name + " " + folder + " " + std::to_string(uidvalidity) + "/" + std::to_string(uid);
}

// A message the server would not give: kept on record as unreadable, as the importer keeps a
// message it cannot read, and named in the summary; once, however often it is asked for.
void record_unreadable(Store& store, const std::string& source, const std::string& why, const std::string& at) {
    const std::string key = "skipped:" + source;
    if (store.imports().find_import(key)) return;
    JournalEntry skipped;
    skipped.file_name = source;
    skipped.sha256 = key;
    skipped.imported_at = at;
    store.imports().record_unreadable(skipped, why, "(the whole message)");
}

AccountFetch fetch_account(const AppContext& context, const MailAccount& account, const ImapLimits& limits,
                           const ImportRules& rules, FetchListener& listener) {
    Store& store = context.store;
    const auto endpoint = parse_imap_url(account.url);
    const std::string password = run_password_command(account.password_command, account.name);
    std::optional<std::filesystem::path> cacert;
    if (account.cacert) cacert = *account.cacert;
    ImapSession imap(endpoint, cacert, limits, account.name);
    imap.login(account.user, password);

    const auto stored = store.mail().folder_positions(account.name);
    const std::string now = to_iso_utc(context.now);
    const auto now_seconds = (context.now - boost::posix_time::ptime(boost::gregorian::date(1970, 1, 1))).total_seconds();
    std::vector<std::string> missing;
    AccountFetch done{account.name};
    for (const std::string& folder : account.folders) {
        StopSignals::check();
        ImapFolder state;
        try {
            state = imap.examine(folder);
        } catch (const MissingInputError&) {
            // The other folders are still read; the account ends in an error naming this one.
            missing.push_back(folder);
            listener.folder_missing(account.name, folder);
            continue;
        }
        const auto old = std::find_if(stored.begin(), stored.end(), [&](const FolderPosition& p) { return p.folder == folder; });
        std::uint32_t last = 0;
        if (old != stored.end() && old->uidvalidity == state.uidvalidity) {
            last = static_cast<std::uint32_t>(old->last_uid);
            // A position past UIDNEXT came from a server that listed a UID it never had (an
            // older fbtrack followed it): what lies below is read again, nothing stored is lost.
            if (state.uidnext != 0 && old->last_uid >= state.uidnext) {
                listener.folder_read_again({FolderReadAgain::Reason::position_past_next_uid, account.name, folder,
                                            old->last_uid, state.uidnext});
                last = 0;
            }
        } else if (old != stored.end()) {
            listener.folder_read_again({FolderReadAgain::Reason::renumbered, account.name, folder, old->uidvalidity,
                                        state.uidvalidity});
        }
        // Committed a batch at a time, each with the folder's position after it: a connection
        // lost (or a kill) in the middle of a large first fetch keeps the batches before, and the
        // next fetch goes on from there. The position moves in UID order over messages stored,
        // and over those the server would not give once they were asked for a second time: the
        // first time, such a message holds the position so that it is asked for again. Without
        // the server's UIDNEXT the position never passes the last message stored, so that a UID
        // a server makes up cannot carry it beyond mail still to come.
        FolderFetch run{account.name, folder};
        std::uint32_t position = last, listed_to = last;
        bool held = false, listed_any = false;
        std::uint32_t last_stored = last;
        auto passed = [&](std::uint32_t uid, bool stored) {
            if (stored) last_stored = uid;
            if (!held && (stored || state.uidnext != 0 || uid <= last_stored)) position = uid;
        };
        for (;;) {
            // Listed a window at a time, so the list stays small however large the folder.
            const auto uids = imap.uids_after(listed_to, state, listing_most);
            if (uids.empty()) break;
            listed_any = true;
            listed_to = uids.back();
            for (std::size_t start = 0; start < uids.size();) {
                SpoolFolder spool(context.work_folder);
                std::filesystem::create_directories(spool.path() / "cur");
                ImportRequest import;
                import.kind = ImportKind::messages;
                import.rules = &rules;
                std::vector<std::pair<std::uint32_t, std::string>> unreadable;  // UID, why
                std::optional<ImapConnectionError> lost;
                std::size_t spooled = 0, k = start;
                // A batch ends at its count or its bytes, so the spool beside the database stays small.
                for (; k < uids.size() && k - start < fetch_batch && spooled < batch_bytes; ++k) {
                    StopSignals::check();
                    ImapMessage message;
                    try {
                        message = imap.fetch(uids[k], max_message_bytes);
                    } catch (const ImapConnectionError& e) {
                        // What was read before the connection went stays: it is imported below. A
                        // server that sends more than was asked for would do so every time: that
                        // message is kept on record as unreadable and passed over.
                        lost = e;
                        if (e.oversized()) {
                            unreadable.emplace_back(uids[k], "the server sent more than the " +
                                                                 std::to_string(max_message_bytes >> 20) +
                                                                 " MiB asked for; the message was not read");
                            passed(uids[k], false);
                        }
                        break;
                    }
                    if (message.reading != ImapMessage::Reading::read) {
                        const std::string source = imap_source(account, folder, state.uidvalidity, uids[k]);
                        const bool again = store.imports().find_import("skipped:" + source).has_value();
                        std::string why = message.reading == ImapMessage::Reading::gone
                                              ? "the server listed it, then gave nothing for it (deleted meanwhile?)"
                                              : "the server answered without the message's content";
                        if (!message.refusal.empty()) why = message.refusal;
                        unreadable.emplace_back(uids[k], why);
                        if (again) passed(uids[k], false);
                        else held = true;
                        continue;
                    }
                    if (message.truncated) ++run.truncated;
                    // A Maildir-like name: the leading seconds are the server's delivery time, which
                    // dates a message that names no date of its own.
                    const auto file = spool.path() / "cur" /
                                      (std::to_string(message.delivered_at ? message.delivered_at : now_seconds) + ".U" +
                                       std::to_string(uids[k]) + ".fbtrack:2,");
                    write_spool_file(file, message.bytes);
                    spooled += message.bytes.size();
                    import.files.push_back({file, folder, imap_source(account, folder, state.uidvalidity, uids[k]), true, {}});
                    passed(uids[k], true);
                }
                start = k;
                run.unreadable += unreadable.size();
                auto record = [&](Store& s) {
                    for (const auto& [uid, why] : unreadable)
                        record_unreadable(s, imap_source(account, folder, state.uidvalidity, uid), why, now);
                };
                const FolderPosition folder_position{folder, state.uidvalidity, position, now};
                run.fetched += import.files.size();
                if (import.files.empty()) {
                    Store::Transaction tx(store);
                    record(store);
                    store.mail().set_folder_position(account.name, folder_position);
                    tx.commit();
                } else {
                    // The position moves in the import's transaction: a crash before it commits
                    // leaves it where it was, and the next fetch reads the same messages again.
                    import.before_commit = [&](Store& s) {
                        record(s);
                        s.mail().set_folder_position(account.name, folder_position);
                    };
                    listener.batch_imported(import_files(context, import, listener));
                }
                if (lost) {
                    done.fetched += run.fetched;
                    FolderCutShort cut{account.name, folder, run.fetched, std::nullopt};
                    if (lost->oversized()) cut.oversized_uid = unreadable.back().first;
                    listener.folder_cut_short(cut);
                    throw *lost;
                }
            }
            if (uids.size() < listing_most) break;
        }
        if (!listed_any) {
            // Nothing to read; the position still records the folder's UIDVALIDITY.
            Store::Transaction tx(store);
            store.mail().set_folder_position(account.name, {folder, state.uidvalidity, last, now});
            tx.commit();
        }
        done.fetched += run.fetched;
        done.truncated += run.truncated;
        listener.folder_done(run);
    }
    imap.logout();
    listener.account_done(done);
    if (!missing.empty()) {
        std::string names;
        for (const auto& f : missing) names += (names.empty() ? "\"" : ", \"") + for_terminal(f, 200) + "\"";
        throw MissingInputError(say("fetch.no_such_folder", {{"account", account.name}, {"folders", names}}));
    }
    return done;
}

}  // namespace

FetchReport fetch_mail(const AppContext& context, const FetchRequest& request, FetchListener& listener) {
    const auto all = context.store.mail().mail_accounts();
    if (all.empty())
        throw MissingInputError(say("fetch.no_accounts"));
    std::vector<MailAccount> accounts;
    for (const auto& name : request.accounts) {
        const auto a = std::find_if(all.begin(), all.end(), [&](const MailAccount& x) { return x.name == name; });
        if (a == all.end()) throw UsageError(say("fetch.no_such_account", {{"account", for_terminal(name, 100)}}));
        accounts.push_back(*a);
    }
    if (request.accounts.empty()) accounts = all;
    std::optional<ImportRules> own_rules;
    if (!request.rules) own_rules.emplace(ImportRules::load(context.data));
    const ImportRules& rules = request.rules ? *request.rules : *own_rules;
    FetchReport report;
    for (const auto& account : accounts) {
        try {
            report.fetched +=
                report.accounts.emplace_back(fetch_account(context, account, request.limits, rules, listener)).fetched;
        } catch (const Error& e) {
            // The other accounts are still fetched; this one is tried again next time.
            if (accounts.size() == 1) throw;
            listener.account_failed(account.name, e);
            report.failed.emplace_back(account.name, e);
        }
    }
    return report;
}

}  // namespace fbtrack
