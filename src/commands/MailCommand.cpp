#include "commands/MailCommand.h"

#include "commands/ImportCommand.h"
#include "core/Errors.h"
#include "core/ShopLock.h"
#include "core/StopSignals.h"
#include "importers/ImapClient.h"
#include "importers/MailReader.h"
#include "text/Dates.h"
#include "text/TerminalText.h"


#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <ostream>

namespace fbtrack {

namespace {

// Messages committed together by fetch: few enough that a lost connection costs little, many
// enough that a first fetch of years of mail is not thousands of transactions.
constexpr std::size_t fetch_batch = 200;
// ...and at most this many bytes of them, waiting in the spool beside the database.
constexpr std::size_t batch_bytes = 64 * 1024 * 1024;
// UIDs listed at a time: the list of a first fetch of a huge folder stays small.
constexpr std::size_t listing_most = 20000;
// Long enough to type a passphrase into pinentry.
constexpr std::chrono::seconds password_command_timeout{120};

bool is_account_name(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '@';
    });
}

bool has_control_characters(const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; });
}

// Fetched messages wait here, beside the database (the seller's own folder, mode 0700), until they
// are imported; gone when the fetch ends, however it ends short of a crash.
class SpoolFolder {
public:
    explicit SpoolFolder(const std::filesystem::path& beside) {
        remove_abandoned(beside);
        std::string pattern = (beside / (".fetch-" + std::to_string(::getpid()) + "-XXXXXX")).string();
        if (!mkdtemp(pattern.data()))
            throw OutputError("cannot make a folder for fetched mail in " + for_terminal(beside.string()) + ": " +
                              std::strerror(errno));
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

void write_private_file(const std::filesystem::path& path, const std::string& bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw OutputError("cannot write " + for_terminal(path.string()) + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            throw OutputError("cannot write " + for_terminal(path.string()) + ": " + std::strerror(e));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

std::filesystem::path database_folder(const Session& session) {
    const auto& db = session.options().db_path;
    return db.has_parent_path() ? db.parent_path() : std::filesystem::path(".");
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

struct FolderRun {
    std::size_t fetched = 0, unreadable = 0, truncated = 0;
};

std::size_t fetch_account(Session& session, const MailAccount& account, const ImapLimits& limits) {
    auto& out = session.out();
    Store& store = session.store();
    const auto endpoint = parse_imap_url(account.url);
    const std::string password = run_password_command(account.password_command, account.name);
    std::optional<std::filesystem::path> cacert;
    if (account.cacert) cacert = *account.cacert;
    ImapSession imap(endpoint, cacert, limits, account.name);
    imap.login(account.user, password);

    const auto stored = store.mail().folder_positions(account.name);
    const std::string now = to_iso_utc(session.clock().now_utc());
    const auto now_seconds = (session.clock().now_utc() - boost::posix_time::ptime(boost::gregorian::date(1970, 1, 1))).total_seconds();
    std::vector<std::string> missing;
    std::size_t truncated = 0, fetched_in_all = 0;
    for (const std::string& folder : account.folders) {
        StopSignals::check();
        ImapFolder state;
        try {
            state = imap.examine(folder);
        } catch (const MissingInputError&) {
            // The other folders are still read; the account ends in an error naming this one.
            missing.push_back(folder);
            out << account.name << " " << for_terminal(folder) << ": the server has no such folder; skipped\n";
            continue;
        }
        const auto old = std::find_if(stored.begin(), stored.end(), [&](const FolderPosition& p) { return p.folder == folder; });
        std::uint32_t last = 0;
        if (old != stored.end() && old->uidvalidity == state.uidvalidity) {
            last = static_cast<std::uint32_t>(old->last_uid);
            // A position past UIDNEXT came from a server that listed a UID it never had (an
            // older fbtrack followed it): what lies below is read again, nothing stored is lost.
            if (state.uidnext != 0 && old->last_uid >= state.uidnext) {
                out << account.name << " " << for_terminal(folder) << ": the position kept (UID " << old->last_uid
                    << ") lies past the server's next UID (" << state.uidnext
                    << "), so the folder is read again; messages stored already stay as they are\n";
                last = 0;
            }
        } else if (old != stored.end()) {
            out << account.name << " " << for_terminal(folder) << ": the server numbered the folder anew (UIDVALIDITY "
                << old->uidvalidity << " is now " << state.uidvalidity
                << "), so all of it is read again; messages stored already stay as they are\n";
        }
        // Committed a batch at a time, each with the folder's position after it: a connection
        // lost (or a kill) in the middle of a large first fetch keeps the batches before, and the
        // next fetch goes on from there. The position moves in UID order over messages stored,
        // and over those the server would not give once they were asked for a second time: the
        // first time, such a message holds the position so that it is asked for again. Without
        // the server's UIDNEXT the position never passes the last message stored, so that a UID
        // a server makes up cannot carry it beyond mail still to come.
        FolderRun run;
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
                SpoolFolder spool(database_folder(session));
                std::filesystem::create_directories(spool.path() / "cur");
                ImportOptions import;
                import.kind = ImportKind::messages;
                import.line_per_file = false;
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
                    write_private_file(file, message.bytes);
                    spooled += message.bytes.size();
                    import.files.push_back({file, folder, imap_source(account, folder, state.uidvalidity, uids[k]), true});
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
                    run_import(session, import);
                }
                if (lost) {
                    fetched_in_all += run.fetched;
                    out << account.name << " " << for_terminal(folder) << ": " << run.fetched
                        << (run.fetched == 1 ? " new message kept" : " new messages kept") << " before the connection ended";
                    if (lost->oversized())
                        out << "; message " << unreadable.back().first
                            << " cannot be read from this server and is kept on record as unreadable ('fbtrack status')";
                    out << "\n";
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
        fetched_in_all += run.fetched;
        truncated += run.truncated;
        out << account.name << " " << for_terminal(folder) << ": "
            << (run.fetched == 0 ? std::string("nothing new")
                                 : std::to_string(run.fetched) + (run.fetched == 1 ? " new message" : " new messages"));
        if (run.unreadable)
            out << "; " << run.unreadable << (run.unreadable == 1 ? " message" : " messages")
                << " the server would not give (kept on record; asked for again next time, once; 'fbtrack status' lists "
                   "them)";
        out << "\n";
    }
    imap.logout();
    if (truncated)
        out << truncated << (truncated == 1 ? " message was" : " messages were") << " longer than "
            << (max_message_bytes >> 20) << " MiB; only the first " << (max_message_bytes >> 20) << " MiB were read\n";
    if (!missing.empty()) {
        std::string names;
        for (const auto& f : missing) names += (names.empty() ? "\"" : ", \"") + for_terminal(f, 200) + "\"";
        throw MissingInputError("mail account " + account.name + ": the server has no folder " + names +
                                "; the other folders were fetched. Hint: name the folders as the server does (Gmail: "
                                "\"[Gmail]/Sent Mail\" or \"[Gmail]/送信済みメール\"), with 'fbtrack mail remove " +
                                account.name + "' and 'fbtrack mail add ... --folders INBOX,SENT-FOLDER'");
    }
    return fetched_in_all;
}

}  // namespace

std::string run_password_command(const std::string& command, const std::string& account) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw DataFileError("mail account " + account + ": the password command could not be run: " + std::strerror(errno));
    // stdin and stderr stay the terminal's: gpg's pinentry, say, may ask for a passphrase. With no
    // terminal (cron, a timer, watch in the background) the command gets a process group of its
    // own, so that a timeout stops all of it, pipelines included.
    const bool interactive = ::isatty(STDIN_FILENO);
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawnattr_init(&attributes);
    if (!interactive) {
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attributes, 0);
    }
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid = -1;
    const int spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(fds[1]);
    if (spawned != 0) {
        ::close(fds[0]);
        throw DataFileError("mail account " + account + ": the password command could not be run: " + std::strerror(spawned));
    }
    // Bounded: a command waiting for a terminal that is not there would otherwise stop every
    // round of watch for good.
    std::string printed;
    bool timed_out = false;
    const auto deadline = std::chrono::steady_clock::now() + password_command_timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{fds[0], POLLIN, 0};
        const int ready = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
        if (StopSignals::requested()) {
            ::kill(interactive ? pid : -pid, SIGKILL);
            ::close(fds[0]);
            while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
            }
            StopSignals::check();
        }
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            timed_out = true;
            ::kill(interactive ? pid : -pid, SIGKILL);
            break;
        }
        char buffer[4096];
        const auto n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (printed.size() < 64 * 1024) printed.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out)
        throw DataFileError("mail account " + account + ": the password command gave no password within " +
                            std::to_string(password_command_timeout.count()) +
                            " s and was stopped. Hint: run it yourself; under cron or a timer it cannot ask at a terminal");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw DataFileError("mail account " + account + ": the password command " +
                            (WIFEXITED(status) ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                               : std::string("was killed by a signal")) +
                            ". Hint: run it yourself to see why; change it with 'fbtrack mail remove " + account +
                            "' and 'fbtrack mail add'");
    const auto end = printed.find_first_of("\r\n");
    std::string password = printed.substr(0, end);
    if (password.empty())
        throw DataFileError("mail account " + account + ": the password command printed no password on its first line");
    return password;
}

namespace {

// Whether a command only prints text written in it: echo or printf with literal words, or cat
// with a here-string (cat <<< WORD). What such a command prints is in the command itself, and
// so in the database. Anything the shell would expand or run ($, `, a glob, a pipe, a
// redirection) makes it a command that fetches its text, which is what a password command is for.
bool prints_only_its_own_words(const std::string& command) {
    std::vector<std::string> words;
    bool here_string = false, in_word = false;
    std::string word;
    const auto end_word = [&] {
        if (in_word) words.push_back(word);
        word.clear();
        in_word = false;
    };
    for (std::size_t i = 0; i < command.size(); ++i) {
        const char c = command[i];
        if (c == ' ' || c == '\t') {
            end_word();
        } else if (c == '\'') {
            const auto close = command.find('\'', i + 1);
            if (close == std::string::npos) return false;
            word += command.substr(i + 1, close - i - 1);
            in_word = true;
            i = close;
        } else if (c == '"') {
            const auto close = command.find('"', i + 1);
            if (close == std::string::npos) return false;
            const std::string inside = command.substr(i + 1, close - i - 1);
            if (inside.find_first_of("$`\\") != std::string::npos) return false;
            word += inside;
            in_word = true;
            i = close;
        } else if (c == '\\' && i + 1 < command.size()) {
            word += command[++i];
            in_word = true;
        } else if (c == '#' && !in_word) {
            break;  // the rest is a comment
        } else if (command.compare(i, 3, "<<<") == 0 && !here_string) {
            end_word();
            here_string = true;
            i += 2;
        } else if (std::string_view("|&;<>()$`*?[~{").find(c) != std::string_view::npos) {
            return false;
        } else {
            word += c;
            in_word = true;
        }
    }
    end_word();
    if (words.empty()) return false;
    // /bin/echo and /usr/bin/printf print as the shell's own do.
    std::string program = words.front();
    if (const auto slash = program.rfind('/'); slash != std::string::npos) program = program.substr(slash + 1);
    if (program == "cat") return here_string && (words.size() == 2 || (words.size() == 3 && words[1] == "-"));
    return !here_string && (program == "echo" || program == "printf");
}

}  // namespace

void check_password_command(const std::string& command, const std::string& account, const std::string& option) {
    const std::string password = run_password_command(command, account);
    const auto trimmed = [](std::string text) {
        text.erase(0, text.find_first_not_of(" \t"));
        text.erase(text.find_last_not_of(" \t") + 1);
        return text;
    };
    // Only what is plainly the password is refused: a command that merely has the password's
    // letters in it ("pass show shop" for the password "shop") keeps it out of the database.
    if (trimmed(command) == trimmed(password) || prints_only_its_own_words(command))
        throw UsageError(option + ": --password-command: the command prints a password written in the command itself. fbtrack "
                         "stores the command (not the password) in the database, so the password would be stored with it. "
                         "Hint: keep the password where only you can read it and give a command that reads it from there, "
                         "e.g. --password-command \"pass show shop\" or --password-command \"cat ~/.config/fbtrack/shop.pw\" "
                         "(a file of mode 0600)");
}

std::string checked_ca_file(const std::string& file, const std::string& command) {
    std::error_code ec;
    const auto path = std::filesystem::absolute(file, ec);
    std::ifstream probe(path);
    if (ec || !probe) throw MissingInputError(command + ": --cacert: cannot read " + for_terminal(file));
    if (const auto problem = ca_file_problem(path))
        throw UsageError(command + ": --cacert: " + for_terminal(path.string()) + ": " + *problem);
    return path.string();
}

void run_mail_add(Session& session, const MailAddOptions& options) {
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
    account.added_at = to_iso_utc(session.clock().now_utc());
    Store::Transaction tx(session.store());
    if (!session.store().mail().add_mail_account(account))
        throw UsageError("mail add: there is an account named " + account.name +
                         " already. Hint: 'fbtrack mail remove " + account.name + "' first to change it");
    tx.commit();
    std::string folders;
    for (const auto& f : account.folders) folders += (folders.empty() ? "" : ", ") + for_terminal(f);
    session.out() << "Mail account " << account.name << " added: " << for_terminal(account.url) << ", user "
                  << for_terminal(account.user) << ", folders " << folders
                  << ". The password is not kept; the command runs at each fetch. 'fbtrack fetch " << account.name
                  << "' reads its mail.\n";
}

void run_mail_list(Session& session) {
    auto& out = session.out();
    const auto accounts = session.store().mail().mail_accounts();
    if (accounts.empty()) {
        out << "No mail accounts. Add one with: fbtrack mail add NAME --url imaps://HOST --user USER --password-command CMD\n";
        return;
    }
    for (const auto& a : accounts) {
        out << a.name << "  " << for_terminal(a.url) << "  user " << for_terminal(a.user) << "  password from: "
            << for_terminal(a.password_command) << "\n";
        if (a.cacert) out << "  CA certificate: " << for_terminal(*a.cacert) << "\n";
        const auto positions = session.store().mail().folder_positions(a.name);
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
    Store::Transaction tx(session.store());
    if (!session.store().mail().remove_mail_account(name))
        throw UsageError("mail remove: there is no account named " + for_terminal(name, 100) + ". Hint: 'fbtrack mail list'");
    tx.commit();
    session.out() << "Mail account " << name << " removed; the mail it brought stays.\n";
}

std::size_t run_fetch(Session& session, const FetchOptions& options) {
    const auto all = session.store().mail().mail_accounts();
    if (all.empty())
        throw MissingInputError("fetch: no mail accounts. Hint: add one with 'fbtrack mail add NAME --url imaps://HOST "
                                "--user USER --password-command CMD'");
    std::vector<MailAccount> accounts;
    for (const auto& name : options.accounts) {
        const auto a = std::find_if(all.begin(), all.end(), [&](const MailAccount& x) { return x.name == name; });
        if (a == all.end()) throw UsageError("fetch: there is no mail account named " + for_terminal(name, 100) + ". Hint: 'fbtrack mail list'");
        accounts.push_back(*a);
    }
    if (options.accounts.empty()) accounts = all;
    std::optional<ShopLock> lock;
    if (options.lock_shop) lock.emplace(session.options().db_path, "fetch");
    std::optional<Error> first_failure;
    std::size_t fetched = 0;
    for (const auto& account : accounts) {
        try {
            fetched += fetch_account(session, account, options.limits);
        } catch (const Error& e) {
            // The other accounts are still fetched; this one is tried again next time.
            if (accounts.size() == 1) throw;
            session.err() << "fbtrack: " << e.what() << "\n";
            if (!first_failure) first_failure = e;
        }
    }
    if (first_failure) throw Error(first_failure->code(), "fetch: an account could not be fetched (see above)");
    return fetched;
}

}  // namespace fbtrack
