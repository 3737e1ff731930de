// A database the seller may not write (a shared or backed-up copy) still gives status and reports.
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace fs = std::filesystem;
using namespace fbtrack::test;

TEST(ReadOnlyDatabase, StillGivesStatusAndTheReport) {
    TempDir dir;
    const fs::path db = dir / "fbtrack.db";
    ASSERT_EQ(run_fbtrack({"--db", db.string(), "import", project_data_samples().string()}).exit_code, 0);
    let_unprivileged_user_in(dir.path());
    make_read_only_for_fbtrack(db);
    const std::string before = read_file(db);
    RunOptions as_reader;
    as_reader.unprivileged = true;

    const auto status = run_fbtrack({"--db", db.string(), "status"}, as_reader);
    EXPECT_EQ(status.exit_code, 0) << status.err;
    EXPECT_NE(status.out.find("Orders:"), std::string::npos) << status.out;
    const auto report = run_fbtrack({"--db", db.string(), "--today", "2026-10-31", "report", "--month", "2026-10",
                                     "--out", (dir / "report.html").string()},
                                    as_reader);
    EXPECT_EQ(report.exit_code, 0) << report.err;
    EXPECT_TRUE(fs::exists(dir / "report.html"));
    EXPECT_TRUE(read_file(db) == before);
}
