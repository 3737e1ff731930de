// The database file and the files imported into it: a new database is announced, an older
// fbtrack database is marked as fbtrack's, and a file that changes while it is read is refused
// whole, so that the next run imports all of it.
#include "TestSupport.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <sys/stat.h>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

constexpr int fbtrack_application_id = 0x66627472;

int application_id(const fs::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    return d.execAndGet("PRAGMA application_id").getInt();
}

TEST(DatabaseFile, ANewDatabaseIsAnnouncedAndMarkedAsFbtracks) {
    TempDir dir;
    const fs::path db = dir / "mistyped.db";
    const auto r = run_fbtrack({"--db", db.string(), "--lang", "en", "status"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("created a new database, " + db.string()), std::string::npos) << r.err;
    EXPECT_EQ(application_id(db), fbtrack_application_id);
    EXPECT_EQ(run_fbtrack({"--db", db.string(), "--lang", "en", "status"}).err.find("created"), std::string::npos) << "announced twice";
}

TEST(DatabaseFile, AnOlderFbtrackDatabaseIsMarkedNotRefused) {
    TempDir dir;
    const fs::path db = dir / "older.db";
    ASSERT_EQ(run_fbtrack({"--db", db.string(), "import", project_data_samples().string()}).exit_code, 0);
    {
        SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
        d.exec("PRAGMA application_id = 0");  // as databases were before fbtrack marked them
    }
    const auto r = run_fbtrack({"--db", db.string(), "status"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(application_id(db), fbtrack_application_id);
}

// A download still being written: the file grows while fbtrack reads it. Nothing of it may be
// kept under the hash of what it was at first, or its rest could never be imported.
TEST(DatabaseFile, AFileThatChangesWhileReadIsRefusedWholeAndImportsWholeNextTime) {
    TempDir dir;
    const fs::path db = dir / "fbtrack.db";
    const fs::path month = dir / "month";
    ASSERT_EQ(generate_month(month, 30000, 5).exit_code, 0);
    const fs::path file = month / "all_orders.txt";
    const std::string whole = read_file(file);
    const std::size_t cut = whole.rfind('\n', whole.size() / 2) + 1;
    // The first half is there when the import starts; the rest arrives while it reads.
    write_file(file, whole.substr(0, cut));
    FbtrackProcess import({"--lang", "en", "--db", db.string(), "import", file.string()});
    // Once fbtrack has the file open it has taken the file's size and time: the rest arrives now.
    const fs::path fds = "/proc/" + std::to_string(import.pid()) + "/fd";
    const auto has_it_open = [&] {
        std::error_code ec;
        for (auto it = fs::directory_iterator(fds, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
            if (fs::read_symlink(it->path(), ec) == file) return true;
        return false;
    };
    while (import.running() && !has_it_open()) std::this_thread::sleep_for(std::chrono::microseconds(200));
    {
        std::ofstream out(file, std::ios::binary | std::ios::app);
        out << whole.substr(cut);
    }
    const auto r = import.wait();
    if (r.exit_code == 0) GTEST_SKIP() << "the import had read the whole file before it changed: nothing to test";
    EXPECT_EQ(r.exit_code, 65) << r.err;
    EXPECT_NE(r.err.find("changed while it was being read"), std::string::npos) << r.err;

    // Nothing of it was kept: the whole file imports now, every order of it.
    const auto again = run_fbtrack({"--db", db.string(), "import", file.string()});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out.find("already imported"), std::string::npos) << again.out;
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(d.execAndGet("SELECT count(*) FROM imports").getInt(), 1);
}

// A download cut short (a lost connection, a full Downloads disk): whether the cut falls inside a
// row (refused) or between rows (its rows imported), the whole file imports completely later.
TEST(DatabaseFile, AFileCutShortImportsWholeOnceComplete) {
    TempDir dir;
    const fs::path month = dir / "month";
    ASSERT_EQ(generate_month(month, 400, 9).exit_code, 0);
    const std::string whole = read_file(month / "all_orders.txt");
    const std::size_t row_end = whole.rfind('\n', whole.size() / 2) + 1;
    const auto orders_in = [](const fs::path& db) {
        SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
        return d.execAndGet("SELECT count(*) || '/' || (SELECT count(*) FROM order_items) FROM orders").getString();
    };
    const fs::path reference = dir / "reference.db";
    ASSERT_EQ(run_fbtrack({"--db", reference.string(), "import", (month / "all_orders.txt").string()}).exit_code, 0);
    for (const std::size_t cut : {row_end + 25, row_end}) {
        const fs::path db = dir / ("cut" + std::to_string(cut) + ".db");
        const fs::path file = dir / "all_orders.txt";
        write_file(file, whole.substr(0, cut));
        const auto partial = run_fbtrack({"--db", db.string(), "import", file.string()});
        EXPECT_EQ(partial.exit_code, cut == row_end ? 0 : 65) << partial.err;
        write_file(file, whole);
        const auto complete = run_fbtrack({"--db", db.string(), "import", file.string()});
        ASSERT_EQ(complete.exit_code, 0) << complete.err;
        EXPECT_EQ(complete.out.find("already imported"), std::string::npos) << complete.out;
        EXPECT_EQ(orders_in(db), orders_in(reference)) << "cut at byte " << cut;
    }
}

TEST(DatabaseFile, ADryRunCreatesNoDatabase) {
    TempDir dir;
    const fs::path db = dir / "not-yet.db";
    const auto r = run_fbtrack({"--db", db.string(), "--lang", "en", "import", "--dry-run", project_data_samples().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Dry run: nothing was written"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(db));
    EXPECT_EQ(r.err.find("created"), std::string::npos) << r.err;
    // Against an existing database a dry run still sees what is imported already.
    ASSERT_EQ(run_fbtrack({"--db", db.string(), "import", project_data_samples().string()}).exit_code, 0);
    const std::string before = read_file(db);
    const auto again = run_fbtrack({"--db", db.string(), "--lang", "en", "import", "--dry-run", project_data_samples().string()});
    EXPECT_NE(again.out.find("already imported"), std::string::npos) << again.out;
    EXPECT_TRUE(read_file(db) == before);
}

// Reports and drafts hold what buyers wrote: the seller's alone whatever the umask, and never
// written through a link planted where they go.
TEST(DatabaseFile, ReportsAndDraftsAreTheSellersAloneAndNeverWrittenThroughALink) {
    TempDir dir;
    const fs::path db = dir / "fbtrack.db";
    ASSERT_EQ(name_sample_shop(db).exit_code, 0);
    ASSERT_EQ(run_fbtrack({"--db", db.string(), "import", project_data_samples().string()}).exit_code, 0);
    const fs::path victim = dir / "victim.txt";
    write_file(victim, "the seller's own file\n");
    const fs::path drafts = dir / "drafts";
    fs::create_directories(drafts);
    fs::create_symlink(victim, drafts / "503-2417785-6630118-removal.ja.txt");
    const fs::path report = dir / "new" / "folder" / "report.html";
    fs::create_directories(report.parent_path().parent_path());

    const mode_t previous = ::umask(0);
    const auto appeals = run_fbtrack({"--db", db.string(), "--today", "2026-10-31", "appeals", "--out", drafts.string()});
    const auto written = run_fbtrack({"--db", db.string(), "--today", "2026-10-31", "report", "--month", "2026-10", "--out", report.string()});
    ::umask(previous);
    ASSERT_EQ(appeals.exit_code, 0) << appeals.err;
    ASSERT_EQ(written.exit_code, 0) << written.err;

    EXPECT_EQ(read_file(victim), "the seller's own file\n") << "a draft was written through a planted link";
    EXPECT_FALSE(fs::is_symlink(drafts / "503-2417785-6630118-removal.ja.txt"));
    const auto mode = [](const fs::path& p) { return fs::status(p).permissions() & fs::perms::all; };
    for (const auto& e : fs::directory_iterator(drafts)) EXPECT_EQ(mode(e.path()), fs::perms::owner_read | fs::perms::owner_write) << e.path();
    EXPECT_EQ(mode(report), fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(mode(report.parent_path()), fs::perms::owner_all);
    for (const auto& e : fs::directory_iterator(report.parent_path())) EXPECT_EQ(e.path(), report) << "a temporary file was left";

    // What is not a file where a report should go (a pipe, a device, a folder) is refused, never replaced.
    const fs::path pipe = dir / "pipe.html";
    ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);
    for (const fs::path& target : {pipe, dir.path()}) {
        const auto refused = run_fbtrack({"--db", db.string(), "--today", "2026-10-31", "report", "--month", "2026-10", "--out", target.string()});
        EXPECT_EQ(refused.exit_code, 73) << refused.err;
    }
    EXPECT_TRUE(fs::is_fifo(pipe));
}

}  // namespace
