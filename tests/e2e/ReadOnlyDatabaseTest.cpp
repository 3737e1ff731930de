// A database the seller may not write (a shared or backed-up copy) still gives status and reports.
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace fs = std::filesystem;
using namespace fbtrack::test;

namespace {

// The sample month imported, then the database made read-only to the user fbtrack runs as.
class ReadOnlyDatabase : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(run_fbtrack({"--db", db.string(), "import", project_data_samples().string()}).exit_code, 0);
        let_unprivileged_user_in(dir.path());
        make_read_only_for_fbtrack(db);
        as_reader.unprivileged = true;
    }
    TempDir dir;
    const fs::path db = dir / "fbtrack.db";
    RunOptions as_reader;
};

}  // namespace

TEST_F(ReadOnlyDatabase, StillGivesStatusAndTheReport) {
    const std::string before = read_file(db);

    const auto status = run_fbtrack({"--db", db.string(), "--lang", "en", "status"}, as_reader);
    EXPECT_EQ(status.exit_code, 0) << status.err;
    EXPECT_NE(status.out.find("Orders:"), std::string::npos) << status.out;
    const auto report = run_fbtrack({"--db", db.string(), "--today", "2026-10-31", "report", "--month", "2026-10",
                                     "--out", (dir / "report.html").string()},
                                    as_reader);
    EXPECT_EQ(report.exit_code, 0) << report.err;
    EXPECT_TRUE(fs::exists(dir / "report.html"));
    EXPECT_TRUE(read_file(db) == before);
}

// SQLite makes the side files of a run on a read-only database read-only too: once the seller
// makes the database writable again, the message names the side file to mend, and mending it is
// enough.
TEST_F(ReadOnlyDatabase, ASideFileLeftReadOnlyIsNamedOnceTheDatabaseIsWritable) {
    const RunOptions& as_seller = as_reader;
    ASSERT_EQ(run_fbtrack({"--db", db.string(), "status"}, as_seller).exit_code, 0);
    const fs::path shm = db.string() + "-shm";
    if (!fs::exists(shm)) GTEST_SKIP() << "this SQLite left no -shm file after reading a read-only database";

    fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write);
    const fs::path month = dir / "month";
    ASSERT_EQ(generate_month(month, 50, 3).exit_code, 0);
    let_unprivileged_user_in(month);
    const auto refused = run_fbtrack({"--lang", "en", "--db", db.string(), "import", (month / "all_orders.txt").string()}, as_seller);
    EXPECT_EQ(refused.exit_code, 73) << refused.err;
    EXPECT_NE(refused.err.find(shm.string() + " is read-only"), std::string::npos) << refused.err;

    for (const auto& side : {shm, fs::path(db.string() + "-wal")})
        if (fs::exists(side)) fs::permissions(side, fs::perms::owner_write, fs::perm_options::add);
    const auto imported = run_fbtrack({"--db", db.string(), "import", (month / "all_orders.txt").string()}, as_seller);
    EXPECT_EQ(imported.exit_code, 0) << imported.err;
}
