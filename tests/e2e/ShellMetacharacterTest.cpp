// File names are data: a path full of shell syntax is opened as that one file, never run.
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace fbtrack::test;

TEST(ShellMetacharacters, PathsAreOpenedLiterallyAndNeverRun) {
    TempDir dir;
    // A shell would create this file in its working folder: the test's, or fbtrack's (the same).
    const std::string touch = "touch fbtrack-pwned-marker";
    const fs::path marker = fs::current_path() / "fbtrack-pwned-marker";
    fs::remove(marker);
    const std::string hostile = "$(" + touch + ");`" + touch + "`;|&>'\"*?.txt";
    const fs::path report = dir / hostile;
    fs::copy_file(project_data_samples() / "2026-10_feedback.txt", report);
    const fs::path db = dir / ("db $(" + touch + ") ;.db");

    const auto r = run_fbtrack({"--db", db.string(), "import", report.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(hostile), std::string::npos) << r.out;  // named as given
    EXPECT_FALSE(fs::exists(marker)) << "a shell ran part of a file name";
    ASSERT_TRUE(fs::exists(db));
    struct stat st {};
    ASSERT_EQ(::stat(db.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    const auto missing = run_fbtrack({"--db", db.string(), "import", (dir / ("x; " + touch)).string()});
    EXPECT_EQ(missing.exit_code, 66);
    EXPECT_FALSE(fs::exists(marker));
}
