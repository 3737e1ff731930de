// fbtrack backup and restore: a backup is a whole, private, self-contained copy; a restore brings
// the shop back to it exactly, mends a damaged database, and keeps what it replaced.
#include "TestSupport.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <sys/stat.h>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

fs::perms mode(const fs::path& p) { return fs::status(p).permissions() & fs::perms::all; }

std::int64_t orders_in(const fs::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    return d.execAndGet("SELECT count(*) FROM orders").getInt64();
}

std::vector<fs::path> files_in(const fs::path& folder) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(folder)) out.push_back(e.path());
    return out;
}

class BackupRestore : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(run_fbtrack({"--db", db_.string(), "import", project_data_samples().string()}).exit_code, 0);
        ASSERT_EQ(generate_month(dir_ / "later", 200, 11).exit_code, 0);
    }
    RunResult fbtrack(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_.string()});
        return run_fbtrack(args);
    }
    TempDir dir_;
    fs::path db_ = dir_ / "shop.db";
};

TEST_F(BackupRestore, ABackupIsPrivateWholeAndOneFile) {
    const fs::path backup = dir_ / "usb" / "october.db";
    const mode_t previous = ::umask(0);
    const auto r = fbtrack({"backup", backup.string()});
    ::umask(previous);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("28 orders"), std::string::npos) << r.out;
    EXPECT_EQ(mode(backup), fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(mode(backup.parent_path()), fs::perms::owner_all);
    EXPECT_EQ(files_in(backup.parent_path()), std::vector<fs::path>{backup}) << "a journal or temporary file was left";
    SQLite::Database d(backup.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(d.execAndGet("PRAGMA journal_mode").getString(), "delete") << "a backup needs no -wal file beside it";
    EXPECT_EQ(d.execAndGet("PRAGMA quick_check").getString(), "ok");
    EXPECT_EQ(d.execAndGet("PRAGMA application_id").getInt(), 0x66627472);
    EXPECT_EQ(d.execAndGet("SELECT count(*) FROM orders").getInt(), 28);
}

TEST_F(BackupRestore, WithoutAFileItGoesToBackupsBesideTheDatabase) {
    const auto r = fbtrack({"backup"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto made = files_in(dir_ / "backups");
    ASSERT_EQ(made.size(), 1u);
    EXPECT_EQ(made[0].filename().string().rfind("shop-", 0), 0u) << made[0];
    // The command to go back names this database, whichever shop or --db the backup was made of.
    EXPECT_NE(r.out.find("fbtrack --db " + db_.string() + " restore " + made[0].string()), std::string::npos) << r.out;
}

// What a backup file holds is a buyer's text and anyone's edit: shown escaped, and a marketplace
// this fbtrack does not know is refused before it could make the shop unusable.
TEST_F(BackupRestore, WhatABackupHoldsIsShownEscapedAndAnUnknownMarketplaceRefused) {
    const fs::path backup = dir_ / "edited.db";
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0);
    {
        SQLite::Database d(backup.string(), SQLite::OPEN_READWRITE);
        d.exec("UPDATE imports SET imported_at = '2026\x1b[31m' || char(8238) || char(13) || 'X'");
    }
    const auto r = fbtrack({"restore", backup.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('\r'), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\u202e"), std::string::npos) << r.out;

    {
        SQLite::Database d(backup.string(), SQLite::OPEN_READWRITE);
        d.exec("UPDATE settings SET value = 'xx' WHERE key = 'marketplace'");
    }
    const fs::path fresh = dir_ / "new.db";
    const auto refused = run_fbtrack({"--lang", "en", "--db", fresh.string(), "restore", backup.string()});
    EXPECT_EQ(refused.exit_code, 65) << refused.err;
    EXPECT_NE(refused.err.find("does not know"), std::string::npos) << refused.err;
    EXPECT_EQ(run_fbtrack({"--db", fresh.string(), "status"}).exit_code, 0) << "the new database was left unusable";
}

TEST_F(BackupRestore, RestoreBringsTheShopBackExactlyAndKeepsWhatItReplaced) {
    const fs::path backup = dir_ / "october.db";
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0);
    const auto before = fbtrack({"status", "--json"});
    const auto report_before = fbtrack({"--today", "2026-10-31", "report", "--month", "2026-10", "--out", (dir_ / "a.html").string()});
    ASSERT_EQ(report_before.exit_code, 0) << report_before.err;

    ASSERT_EQ(fbtrack({"import", (dir_ / "later").string()}).exit_code, 0);
    const std::int64_t grown = orders_in(db_);
    ASSERT_GT(grown, 28);

    const auto r = fbtrack({"restore", backup.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(fbtrack({"status", "--json"}).out, before.out);
    ASSERT_EQ(fbtrack({"--today", "2026-10-31", "report", "--month", "2026-10", "--out", (dir_ / "b.html").string()}).exit_code, 0);
    EXPECT_TRUE(read_file(dir_ / "a.html") == read_file(dir_ / "b.html")) << "the report differs after the restore";

    // What the restore replaced is kept, whole, and named in what it printed.
    const auto kept = files_in(dir_ / "backups");
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_NE(r.out.find(kept[0].string()), std::string::npos) << r.out;
    EXPECT_EQ(orders_in(kept[0]), grown);
    EXPECT_EQ(mode(kept[0]), fs::perms::owner_read | fs::perms::owner_write);

    // And the later month imports again into the restored database: nothing of it is on record.
    const auto again = fbtrack({"import", (dir_ / "later").string()});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out.find("already imported"), std::string::npos) << again.out;
    EXPECT_EQ(orders_in(db_), grown);
}

TEST_F(BackupRestore, RestoreMendsADamagedDatabase) {
    const fs::path backup = dir_ / "october.db";
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0);
    damage_middle_page(db_);
    ASSERT_EQ(fbtrack({"import", (dir_ / "later").string()}).exit_code, 65) << "the damage went unnoticed";

    const auto r = fbtrack({"restore", backup.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(SQLite::Database(db_.string(), SQLite::OPEN_READONLY).execAndGet("PRAGMA quick_check").getString(), "ok");
    EXPECT_EQ(fbtrack({"import", (dir_ / "later").string()}).exit_code, 0);
    // The damaged one is kept as it was, damage and all, for whoever wants to look at it.
    const auto kept = files_in(dir_ / "backups");
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_NE(SQLite::Database(kept[0].string(), SQLite::OPEN_READONLY).execAndGet("PRAGMA quick_check").getString(), "ok");
}

TEST_F(BackupRestore, ABackupReplacesAnEarlierBackupAndNothingElse) {
    const fs::path backup = dir_ / "latest.db";
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0);
    ASSERT_EQ(fbtrack({"import", (dir_ / "later").string()}).exit_code, 0);
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0) << "an earlier backup of the same name is replaced";
    EXPECT_EQ(orders_in(backup), orders_in(db_));

    const fs::path victim = dir_ / "victim.txt";
    write_file(victim, "the seller's own file\n");
    const fs::path link = dir_ / "planted.db";
    fs::create_symlink(victim, link);
    EXPECT_EQ(fbtrack({"backup", link.string()}).exit_code, 73);
    EXPECT_EQ(read_file(victim), "the seller's own file\n");
    EXPECT_TRUE(fs::is_symlink(link)) << "what was there is left as it was";
}

// A restore is undone by restoring what it kept, however often and with the clock pinned: the
// kept files never take each other's names or the name of the backup being restored.
TEST_F(BackupRestore, ARestoreIsUndoneByRestoringWhatItKept) {
    const fs::path backup = dir_ / "october.db";
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0);
    ASSERT_EQ(fbtrack({"import", (dir_ / "later").string()}).exit_code, 0);
    const std::int64_t grown = orders_in(db_);

    ASSERT_EQ(fbtrack({"--today", "2026-11-29", "restore", backup.string()}).exit_code, 0);
    ASSERT_EQ(fbtrack({"--today", "2026-11-29", "restore", backup.string()}).exit_code, 0);
    auto kept = files_in(dir_ / "backups");
    ASSERT_EQ(kept.size(), 2u) << "the second restore replaced what the first one kept";
    std::sort(kept.begin(), kept.end(), [](const fs::path& a, const fs::path& b) { return orders_in(a) > orders_in(b); });
    EXPECT_EQ(orders_in(kept[0]), grown);

    const auto undo = fbtrack({"--today", "2026-11-29", "restore", kept[0].string()});
    ASSERT_EQ(undo.exit_code, 0) << undo.err;
    EXPECT_EQ(orders_in(db_), grown);
    EXPECT_TRUE(fs::exists(kept[0])) << "the backup being restored was replaced";
    EXPECT_EQ(orders_in(kept[0]), grown);
}

// Settings and records made by hand are the shop's too: a restore keeps them in its copy.
TEST_F(BackupRestore, ADatabaseOfSettingsAloneIsKeptToo) {
    const fs::path backup = dir_ / "october.db";
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0);
    const fs::path other = dir_ / "settings-only.db";
    ASSERT_EQ(run_fbtrack({"--db", other.string(), "shop", "set", "--name", "My Shop"}).exit_code, 0);
    const auto r = run_fbtrack({"--db", other.string(), "restore", backup.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto kept = files_in(dir_ / "backups");
    ASSERT_EQ(kept.size(), 1u) << r.out;
    SQLite::Database d(kept[0].string(), SQLite::OPEN_READONLY);
    EXPECT_NE(d.execAndGet("SELECT value FROM settings WHERE key = 'shop'").getString().find("My Shop"), std::string::npos);
}

TEST_F(BackupRestore, ABackupOfAnotherMarketplacesShopIsRefused) {
    const fs::path us = dir_ / "us.db";
    ASSERT_EQ(run_fbtrack({"--db", us.string(), "--marketplace", "us", "shop", "set", "--name", "Maple Goods"}).exit_code, 0);
    ASSERT_EQ(run_fbtrack({"--db", us.string(), "--marketplace", "us", "import", (fs::path(FBTRACK_TEST_FIXTURES) / "mail" / "us_ship_faster.eml").string()}).exit_code, 0);
    const fs::path backup = dir_ / "us-backup.db";
    ASSERT_EQ(run_fbtrack({"--db", us.string(), "backup", backup.string()}).exit_code, 0);
    const std::string before = read_file(db_);
    const auto r = fbtrack({"--lang", "en", "restore", backup.string()});
    EXPECT_EQ(r.exit_code, 65) << r.err;
    EXPECT_NE(r.err.find("marketplace 'us'"), std::string::npos) << r.err;
    EXPECT_TRUE(read_file(db_) == before);
}

// Another shop's database is an fbtrack database, but never a backup to be replaced.
TEST_F(BackupRestore, ABackupNeverReplacesAnotherShopsDatabase) {
    const fs::path other = dir_ / "other-shop.db";
    ASSERT_EQ(name_sample_shop(other).exit_code, 0);
    ASSERT_EQ(run_fbtrack({"--db", other.string(), "import", (dir_ / "later").string()}).exit_code, 0);
    const std::string before = read_file(other);
    const auto r = fbtrack({"backup", other.string()});
    EXPECT_EQ(r.exit_code, 73) << r.err;
    EXPECT_TRUE(read_file(other) == before);
    EXPECT_FALSE(fs::exists(other.string() + "-wal") || fs::exists(other.string() + "-shm")) << "looking made files beside it";
    // Nor is a name SQLite would take for a side file of the database beside it.
    EXPECT_EQ(fbtrack({"backup", (dir_ / "other-shop.db-journal").string()}).exit_code, 64);
    EXPECT_FALSE(fs::exists(dir_ / "other-shop.db-journal"));
    // A folder takes the backup under a name of its own.
    fs::create_directories(dir_ / "usb");
    ASSERT_EQ(fbtrack({"backup", (dir_ / "usb").string()}).exit_code, 0);
    EXPECT_EQ(files_in(dir_ / "usb").size(), 1u);
}

// A backup made with another page size (a VACUUM elsewhere) is still a good backup.
TEST_F(BackupRestore, ABackupWithAnotherPageSizeRestores) {
    const fs::path backup = dir_ / "october.db";
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0);
    {
        SQLite::Database d(backup.string(), SQLite::OPEN_READWRITE);
        d.exec("PRAGMA page_size = 8192");
        d.exec("VACUUM");
        ASSERT_EQ(d.execAndGet("PRAGMA page_size").getInt(), 8192);
    }
    ASSERT_EQ(fbtrack({"import", (dir_ / "later").string()}).exit_code, 0);
    const auto r = fbtrack({"restore", backup.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(orders_in(db_), 28);
    SQLite::Database d(db_.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(d.execAndGet("PRAGMA journal_mode").getString(), "wal");
    EXPECT_EQ(d.execAndGet("PRAGMA quick_check").getString(), "ok");
}

// A restore while another fbtrack imports: the import's rows end in the restored database (the
// import came after) or in the copy the restore kept (it came before), never in neither; or the
// restore waited its 5 s and gave up, busy, leaving the import's rows where they are.
TEST_F(BackupRestore, ARestoreDuringAnImportLosesNeither) {
    const fs::path backup = dir_ / "october.db";
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0);
    const fs::path big = dir_ / "big";
    ASSERT_EQ(generate_month(big, 60000, 12).exit_code, 0);
    const fs::path reference = dir_ / "reference.db";
    fs::copy_file(db_, reference);
    ASSERT_EQ(run_fbtrack({"--db", reference.string(), "import", (big / "all_orders.txt").string()}).exit_code, 0);
    const std::int64_t with_import = orders_in(reference);

    FbtrackProcess import({"--db", db_.string(), "import", (big / "all_orders.txt").string()});
    // Once the import has the database open it is about to take the write lock, or has it.
    const fs::path fds = "/proc/" + std::to_string(import.pid()) + "/fd";
    const auto has_it_open = [&] {
        std::error_code ec;
        for (auto it = fs::directory_iterator(fds, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
            if (fs::read_symlink(it->path(), ec) == big / "all_orders.txt") return true;
        return false;
    };
    while (import.running() && !has_it_open()) std::this_thread::sleep_for(std::chrono::microseconds(200));
    const auto restored = fbtrack({"restore", backup.string()});
    const auto imported = import.wait();
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    if (restored.exit_code == 75) {
        // The import held the lock past the restore's 5 s wait (a slow machine, a sanitizer
        // build): the restore gave up before it changed or kept anything.
        EXPECT_EQ(orders_in(db_), with_import);
        EXPECT_FALSE(fs::exists(dir_ / "backups"));
        return;
    }
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    const auto kept = files_in(dir_ / "backups");
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_TRUE(orders_in(db_) == with_import || orders_in(kept[0]) == with_import)
        << "the import's orders are in neither: restored " << orders_in(db_) << ", kept " << orders_in(kept[0])
        << ", expected " << with_import;
}

}  // namespace

// Before anything is replaced the seller reads what goes and what comes: each one's shop,
// marketplace, counts and last import, and whether the file is a backup at all.
TEST_F(BackupRestore, RestoreSaysWhatItReplacesWithWhatFirst) {
    ASSERT_EQ(fbtrack({"shop", "set", "--name", "もみじ堂"}).exit_code, 0);
    const fs::path backup = dir_ / "october.db";
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0);
    ASSERT_EQ(fbtrack({"import", (dir_ / "later").string()}).exit_code, 0);
    const std::string grown = std::to_string(orders_in(db_)) + " orders";

    const auto r = fbtrack({"restore", backup.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto replacing = r.out.find("Replacing " + db_.string() + ": the shop \"もみじ堂\" on amazon.co.jp, " + grown);
    const auto with = r.out.find("with " + backup.string() + ": a backup of " + db_.string() + " at ");
    const auto restored = r.out.find("Restored ");
    ASSERT_NE(replacing, std::string::npos) << r.out;
    ASSERT_NE(with, std::string::npos) << r.out;
    EXPECT_LT(replacing, with);
    EXPECT_LT(with, restored) << r.out;
    const std::string with_line = r.out.substr(with, r.out.find('\n', with) - with);
    EXPECT_NE(with_line.find("the shop \"もみじ堂\" on amazon.co.jp, 28 orders"), std::string::npos) << with_line;
    EXPECT_NE(with_line.find("(the last on 20"), std::string::npos) << with_line;

    // Another shop's database restores too, but is not called a backup.
    const fs::path other = dir_ / "other-shop.db";
    ASSERT_EQ(name_sample_shop(other).exit_code, 0);
    ASSERT_EQ(run_fbtrack({"--db", other.string(), "import", (dir_ / "later").string()}).exit_code, 0);
    const auto plain = fbtrack({"restore", other.string()});
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    EXPECT_NE(plain.out.find("with " + other.string() + ": a database, not a backup that 'fbtrack backup' made; the shop "),
              std::string::npos)
        << plain.out;
}

// A database that records no marketplace cannot be told for whose shop it is: restored, it would
// become a shop of whatever --marketplace says.
TEST_F(BackupRestore, ADatabaseWithoutAMarketplaceIsRefusedAndNothingChanges) {
    const fs::path backup = dir_ / "october.db";
    ASSERT_EQ(fbtrack({"backup", backup.string()}).exit_code, 0);
    {
        SQLite::Database d(backup.string(), SQLite::OPEN_READWRITE);
        d.exec("DELETE FROM settings WHERE key = 'marketplace'");
    }
    ASSERT_EQ(fbtrack({"import", (dir_ / "later").string()}).exit_code, 0);
    const std::string before = read_file(db_);
    const auto r = fbtrack({"--lang", "en", "restore", backup.string()});
    EXPECT_EQ(r.exit_code, 65) << r.err;
    EXPECT_NE(r.err.find(backup.string() + ": an fbtrack database that records no marketplace"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing was restored"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("Replacing"), std::string::npos) << r.out;
    EXPECT_TRUE(read_file(db_) == before);
    EXPECT_FALSE(fs::exists(dir_ / "backups")) << "a copy was kept of a database that was not replaced";
}
