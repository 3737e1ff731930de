// The error catalogue: every user-facing error, its exact message and exit code, and the promise
// that the database is left exactly as it was (tests/errors/catalogue.json lists the cases).
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <SQLiteCpp/Database.h>
#include <sqlite3.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace fs = std::filesystem;
using namespace fbtrack::test;

namespace {

const fs::path errors_dir = fs::path(FBTRACK_TEST_FIXTURES).parent_path() / "errors";

struct Case {
    std::string id, file, make;
    std::vector<std::string> args;
    int exit_code = 0;
    bool changes_database = false;
};

// How GoogleTest and CTest show a case: its id, not its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.id; }

std::vector<Case> load_cases() {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(read_file(errors_dir / "catalogue.json")).extract<Poco::JSON::Object::Ptr>();
    std::vector<Case> cases;
    const auto list = root->getArray("cases");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto o = list->getObject(static_cast<unsigned>(i));
        Case c;
        c.id = o->getValue<std::string>("id");
        c.file = o->optValue<std::string>("file", "");
        c.make = o->optValue<std::string>("make", "");
        const auto args = o->getArray("args");
        for (std::size_t k = 0; k < args->size(); ++k) c.args.push_back(args->getElement<std::string>(static_cast<unsigned>(k)));
        c.exit_code = o->getValue<int>("exit");
        c.changes_database = o->optValue<bool>("changes_database", false);
        cases.push_back(c);
    }
    return cases;
}


// A real small file system (tmpfs) for a disk that is really full, not a page cap. Mounting
// needs the right to (root, as in CI); without it the case is skipped and says why.
class SmallDisk {
public:
    SmallDisk(const fs::path& at, std::size_t bytes) : at_(at) {
        fs::create_directories(at);
        const std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
        if (::mount("tmpfs", at.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) mounted_ = true;
        else why_not_ = std::string("cannot mount a small tmpfs here (") + std::strerror(errno) + "); run the tests as root";
    }
    ~SmallDisk() {
        if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;
    const std::string& why_not() const { return why_not_; }

    // Mounts it again read-only, as a snapshot or a backup disk is.
    void make_read_only() {
        ASSERT_EQ(::mount("tmpfs", at_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr), 0)
            << std::strerror(errno);
    }

    // Fills the disk with zeros until it refuses, then gives `room` bytes back.
    void fill(std::size_t room) {
        const fs::path filler = at_ / "filler";
        const int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ASSERT_GE(fd, 0);
        const std::string zeros(1 << 16, '\0');
        std::size_t written = 0;
        for (;;) {
            const ssize_t n = ::write(fd, zeros.data(), zeros.size());
            if (n <= 0) break;
            written += static_cast<std::size_t>(n);
        }
        EXPECT_EQ(errno, ENOSPC);
        if (room) {
            EXPECT_EQ(::ftruncate(fd, static_cast<off_t>(written > room ? written - room : 0)), 0);
        }
        ::close(fd);
    }

private:
    fs::path at_;
    bool mounted_ = false;
    std::string why_not_;
};

// A page in the middle of the file overwritten, as a failing disk or a bad copy leaves it.
// Another program's SQLite file, as a mistyped --db may name one.
void make_foreign_sqlite_file(const fs::path& path) {
    SQLite::Database d(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    d.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes(text) VALUES ('my notes')");
}

void set_schema_version(const fs::path& db, int version) {
    SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
    d.exec("PRAGMA user_version = " + std::to_string(version));
}

std::size_t page_count(const fs::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    return static_cast<std::size_t>(d.execAndGet("PRAGMA page_count").getInt());
}

// An English sentence in a line meant to be Japanese: three or more ASCII words in a row, once
// the facts are taken out: what stands in 「」 or in quotes (what was found in a file, a command
// line), a full-width parenthesis holding only ASCII (what SQLite or the system said), paths
// (with a slash), option names (-x, --name) and numbers. Returns the words found, or "".
std::string english_sentence(const std::string& line) {
    std::string text = line;
    const auto cut_between = [&](const std::string& open, const std::string& close, bool only_ascii) {
        for (std::size_t from = 0;;) {
            const auto a = text.find(open, from);
            if (a == std::string::npos) return;
            const auto b = text.find(close, a + open.size());
            if (b == std::string::npos) return;
            const std::string inside = text.substr(a + open.size(), b - a - open.size());
            const bool ascii = std::all_of(inside.begin(), inside.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
            if (only_ascii && !ascii) {
                from = a + open.size();
                continue;
            }
            text.replace(a, b + close.size() - a, " ");
            from = a + 1;
        }
    };
    cut_between("「", "」", false);
    cut_between("（", "）", true);
    cut_between("'", "'", false);
    cut_between("\"", "\"", false);
    std::string run, longest;
    std::size_t words = 0;
    std::istringstream tokens(text);
    for (std::string t; tokens >> t;) {
        // A word is ASCII letters, with at most a comma or a full stop after them.
        std::string bare = t;
        if (!bare.empty() && (bare.back() == ',' || bare.back() == '.' || bare.back() == ';' || bare.back() == ':')) bare.pop_back();
        const bool word = !bare.empty() && bare.find('/') == std::string::npos && bare[0] != '-' &&
                          std::all_of(bare.begin(), bare.end(), [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) != 0; });
        if (word) {
            run += (words++ ? " " : "") + bare;
            if (words >= 3 && run.size() > longest.size()) longest = run;
        } else {
            run.clear();
            words = 0;
        }
    }
    return longest;
}

// The check above finds today's English messages: it is not one that nothing fails.
TEST(ErrorCatalogueLanguage, EnglishSentenceCheckFindsTheEnglishMessages) {
    EXPECT_EQ(english_sentence("fbtrack: {file}: no such file or folder"), "no such file or folder");
    EXPECT_EQ(english_sentence("fbtrack: /tmp/a.txt：そのようなファイルもフォルダもありません"), "");
    std::size_t flagged = 0, with_message = 0;
    for (const auto& c : load_cases()) {
        const std::string english = read_file(errors_dir / "messages" / (c.id + ".txt"));
        if (english.empty()) continue;
        ++with_message;
        std::istringstream lines(english);
        bool found = false;
        for (std::string line; std::getline(lines, line);) found = found || !english_sentence(line).empty();
        if (found) ++flagged;
        else ADD_FAILURE() << c.id << ": the check finds no English sentence in " << english;
    }
    EXPECT_EQ(flagged, with_message);
}

class ErrorCatalogue : public ::testing::TestWithParam<Case> {
protected:
    // The sample month, imported once; every case starts from a copy.
    static void SetUpTestSuite() {
        baseline_dir_ = std::make_unique<TempDir>();
        // Named as the sample month's seller names it, so that the drafting commands draft.
        ASSERT_EQ(name_sample_shop(*baseline_dir_ / "baseline.db").exit_code, 0);
        const auto r = run_fbtrack({"--db", (*baseline_dir_ / "baseline.db").string(), "import",
                                    project_data_samples().string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() { baseline_dir_.reset(); }

    // Builds what a "make" case names; returns the input file for {file}.
    fs::path make(const Case& c, RunOptions& options) {
        const fs::path generated = dir_ / "input.txt";
        if (c.make == "ten_megabyte_field") {
            // A real Unshipped row whose product name is 10 MB long.
            std::string bytes = read_file(errors_dir / "fixtures" / "header_only.txt");
            std::string row = read_file(project_data_samples() / "2026-10-10_unshipped.txt");
            row = row.substr(row.find('\n') + 1);
            row = row.substr(0, row.find('\n'));
            std::size_t start = 0;
            for (int tab = 0; tab < 13; ++tab) start = row.find('\t', start) + 1;
            row.replace(start, row.find('\t', start) - start, std::string(10u << 20, 'A'));
            write_file(generated, bytes + row + "\n");
            return generated;
        }
        if (c.make == "missing_file") return dir_ / "no_such_report.txt";
        if (c.make == "nothing") return {};  // the case names its paths itself
        if (c.make == "output_under_a_file") {
            // An output path whose "folder" is a file: cannot be made, whoever runs fbtrack.
            write_file(dir_ / "a_file", "not a folder\n");
            return dir_ / "a_file";
        }
        if (c.make == "database_not_sqlite") {
            fs::copy_file(errors_dir / "fixtures" / "not_a_database.db", db_, fs::copy_options::overwrite_existing);
            return {};
        }
        if (c.make == "fifo") {
            // A pipe nobody writes to: reading it would wait for ever, holding the write lock.
            const fs::path fifo = dir_ / "export.txt";
            if (::mkfifo(fifo.c_str(), 0600) != 0) ADD_FAILURE() << "mkfifo failed";
            return fifo;
        }
        if (c.make == "dev_zero") return "/dev/zero";
        if (c.make == "database_damaged") {
            damage_middle_page(db_);
            // Rows to write (a file imported already is skipped without writing): the month's
            // orders with a blank line more, so other bytes.
            const fs::path file = dir_ / "all_orders.txt";
            write_file(file, read_file(project_data_samples() / "2026-10_all_orders.txt") + "\n");
            return file;
        }
        if (c.make == "database_foreign") {
            fs::remove(db_);
            make_foreign_sqlite_file(db_);
            return project_data_samples() / "2026-10_all_orders.txt";
        }
        if (c.make == "database_foreign_with_log") {
            // Another program's database in write-ahead-log mode, its last write still in the log.
            fs::remove(db_);
            SQLite::Database d(db_.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            d.exec("PRAGMA journal_mode = WAL");
            d.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)");
            sqlite3_db_config(d.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
            d.exec("PRAGMA wal_autocheckpoint = 0");
            d.exec("INSERT INTO notes(text) VALUES ('in the log')");
            return {};
        }
        if (c.make == "database_newer") {
            set_schema_version(db_, 999);
            return {};
        }
        // Files offered to 'fbtrack restore' as backups.
        const fs::path backup = dir_ / "backup.db";
        if (c.make == "backup_foreign") {
            make_foreign_sqlite_file(backup);
            return backup;
        }
        if (c.make == "backup_cut_short") {
            write_file(backup, read_file(db_).substr(0, 20000));  // a copy that stopped half way
            return backup;
        }
        if (c.make == "database_too_damaged_to_open") {
            // A good backup, and the database's first page (the schema) overwritten after the header.
            fs::copy_file(db_, backup);
            std::string bytes = read_file(db_);
            for (std::size_t i = 100; i < 4096; ++i) bytes[i] = static_cast<char>(0xFF);
            write_file(db_, bytes);
            return backup;
        }
        if (c.make == "backup_damaged" || c.make == "backup_newer") {
            fs::copy_file(db_, backup);
            if (c.make == "backup_damaged") damage_middle_page(backup);
            else set_schema_version(backup, 999);
            return backup;
        }
        // The rest write new orders: a month of generated orders no earlier import has seen.
        const fs::path month = dir_ / "generated";
        const auto made = generate_month(month, 300, 7);
        EXPECT_EQ(made.exit_code, 0) << made.err;
        if (c.make == "read_only_database") {
            options.unprivileged = true;
            let_unprivileged_user_in(dir_.path());
            make_read_only_for_fbtrack(db_);
        } else if (c.make == "disk_full") {
            // Room for two more pages: the import needs many more, as on a disk that fills up.
            options.env.push_back("FBTRACK_MAX_DB_PAGES=" + std::to_string(page_count(db_) + 2));
        } else if (c.make == "disk_really_full" || c.make == "disk_fills_up" || c.make == "disk_really_full_with_log" ||
                   c.make == "disk_read_only" || c.make == "disk_read_only_with_log") {
            // The database on a disk of its own, filled to the last byte, or with room for a
            // start (the write-ahead log's index fits, the month's pages do not).
            disk_.emplace(dir_ / "disk", fs::file_size(db_) + (1u << 20));
            if (!disk_->why_not().empty()) {
                skip_ = disk_->why_not();
                return {};
            }
            const fs::path moved = dir_ / "disk" / "fbtrack.db";
            fs::copy_file(db_, moved);
            fs::remove(db_);
            db_ = moved;
            if (c.make == "disk_really_full_with_log" || c.make == "disk_read_only_with_log") {
                // A write committed to the write-ahead log and not yet copied into the file, as
                // a run killed before it closed leaves it.
                SQLite::Database d(db_.string(), SQLite::OPEN_READWRITE);
                sqlite3_db_config(d.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
                d.exec("PRAGMA wal_autocheckpoint = 0");
                d.exec("INSERT INTO settings(key, value) VALUES ('left_in_the_log', 'yes')");
            }
            // Without its -shm (a copy of the files, say) SQLite cannot read the log on a read-only disk.
            if (c.make == "disk_read_only_with_log") fs::remove(db_.string() + "-shm");
            if (c.make.rfind("disk_read_only", 0) == 0) disk_->make_read_only();
            else disk_->fill(c.make == "disk_fills_up" ? 96u << 10 : 0);
        } else {
            ADD_FAILURE() << "catalogue.json names an unknown 'make': " << c.make;
        }
        return month / "all_orders.txt";
    }

    void check(const Case& c, const char* lang) {
        fs::copy_file(*baseline_dir_ / "baseline.db", db_);
        RunOptions options;
        fs::path input = c.file.empty() ? make(c, options) : errors_dir / "fixtures" / c.file;
        if (!skip_.empty()) GTEST_SKIP() << skip_;
        const std::string db_before = read_file(db_);

        // English by --lang; Japanese as the shop's own language, without --lang.
        std::vector<std::string> args{"--db", db_.string()};
        if (std::string(lang) == "en") args.insert(args.end(), {"--lang", "en"});
        for (const auto& a : c.args) args.push_back(replace_all(replace_all(a, "{file}", input.string()), "{db}", db_.string()));
        const auto r = run_fbtrack(args, options);

        // The message as catalogued: the paths of this run stand in as {file}, {db} and {dir}, the
        // database's folder.
        std::string message = replace_all(replace_all(r.err, input.string(), "{file}"), db_.string(), "{db}");
        message = replace_all(message, db_.parent_path().string(), "{dir}");
        const fs::path expected_path = errors_dir / (std::string(lang) == "en" ? "messages" : "messages.ja") / (c.id + ".txt");
        if (std::string(lang) == "ja") {
            std::istringstream lines(r.err);
            for (std::string line; std::getline(lines, line);)
                EXPECT_EQ(english_sentence(line), "") << "an English sentence in: " << line;
        }
        if (std::getenv("FBTRACK_UPDATE_GOLDEN")) {
            fs::create_directories(expected_path.parent_path());
            write_file(expected_path, message);
        }
        EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
        EXPECT_EQ(message, read_file(expected_path)) << "stdout: " << r.out;
        if (!c.changes_database) {
            EXPECT_TRUE(read_file(db_) == db_before) << "the database file changed";
        }
        // Nothing half-written is left for the next run to find either.
        EXPECT_FALSE(fs::exists(db_.string() + "-journal"));
    }

    static inline std::unique_ptr<TempDir> baseline_dir_;
    TempDir dir_;
    fs::path db_ = dir_ / "fbtrack.db";
    std::optional<SmallDisk> disk_;  // unmounted before dir_ is removed
    std::string skip_;  // why this machine cannot hold the case
};

TEST_P(ErrorCatalogue, GivesItsMessageAndExitCodeAndKeepsTheDatabase) { check(GetParam(), "en"); }

// The same in Japanese, as a jp shop's seller meets it (the sample month's shop is one).
TEST_P(ErrorCatalogue, SaysItInJapaneseForAJapaneseShop) { check(GetParam(), "ja"); }

INSTANTIATE_TEST_SUITE_P(Errors, ErrorCatalogue, ::testing::ValuesIn(load_cases()),
                         [](const auto& info) { return info.param.id; });

}  // namespace
