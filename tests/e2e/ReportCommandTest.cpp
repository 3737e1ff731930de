// End-to-end: where `report` puts the page when the seller names no month and no file, and how
// --open hands it to the desktop. HOME, PATH and the desktop's programs are fakes in a temporary
// folder: nothing of the machine's own desktop is read or started.
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <csignal>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

class ReportCommand : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(home());
        fs::create_directories(bin());
        const auto r = fbtrack({"import", project_data_samples().string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto named = fbtrack({"shop", "set", "--name", "さくら雑貨"});
        ASSERT_EQ(named.exit_code, 0) << named.err;
    }
    fs::path home() const { return dir_ / "home"; }
    fs::path bin() const { return dir_ / "bin"; }  // the only folder on PATH
    // A program of the fake desktop: a shell script in bin().
    void fake_program(const std::string& name, const std::string& script) {
        write_file(bin() / name, "#!/bin/sh\n" + script);
        fs::permissions(bin() / name, fs::perms::owner_all);
    }
    RunResult fbtrack(std::vector<std::string> args, const std::string& today = "2026-11-01") {
        args.insert(args.begin(), {"--db", (dir_ / "fbtrack.db").string(), "--today", today});
        RunOptions options;
        options.env = {"HOME=" + home().string(), "PATH=" + bin().string(), "XDG_CONFIG_HOME=", "XDG_DATA_HOME="};
        return run_fbtrack(args, options);
    }
    static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

    TempDir dir_;
};

}  // namespace

TEST_F(ReportCommand, WithoutAMonthItIsTheLastCompleteMonthInTheFolderXdgUserDirNames) {
    const fs::path documents = dir_ / "Dokumente";
    fake_program("xdg-user-dir", "[ \"$1\" = DOCUMENTS ] && echo '" + documents.string() + "'\n");
    const auto r = fbtrack({"report"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path expected = documents / "fbtrack" / "さくら雑貨-2026-10.html";
    EXPECT_EQ(first_line(r.out), expected.string());
    ASSERT_TRUE(fs::is_regular_file(expected));
    const std::string page = read_file(expected);
    EXPECT_NE(page.find("2026-10-01 – 2026-10-31"), std::string::npos);
    EXPECT_NE(page.find("2026-11-01"), std::string::npos);  // as of the day it was made

    // On the last day of a month, that month is not complete yet: the one before it is reported.
    const auto before = fbtrack({"report"}, "2026-10-31");
    ASSERT_EQ(before.exit_code, 0) << before.err;
    EXPECT_EQ(first_line(before.out), (documents / "fbtrack" / "さくら雑貨-2026-09.html").string());
    // A month or a file named still wins.
    const auto named = fbtrack({"report", "--month", "2026-10", "--out", (dir_ / "mine.html").string()}, "2026-10-31");
    ASSERT_EQ(named.exit_code, 0) << named.err;
    EXPECT_NE(read_file(dir_ / "mine.html").find("2026-10-01 – 2026-10-31"), std::string::npos);
}

TEST_F(ReportCommand, WithoutXdgUserDirItReadsUserDirsDirsThenTakesDocuments) {
    fs::create_directories(home() / ".config");
    write_file(home() / ".config" / "user-dirs.dirs", "# written by xdg-user-dirs-update\nXDG_DOCUMENTS_DIR=\"$HOME/書類\"\n");
    const auto listed = fbtrack({"report"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_EQ(first_line(listed.out), (home() / "書類" / "fbtrack" / "さくら雑貨-2026-10.html").string());

    // "$HOME/" switches the folder off: ~/Documents, never the home folder itself.
    write_file(home() / ".config" / "user-dirs.dirs", "XDG_DOCUMENTS_DIR=\"$HOME/\"\n");
    const auto home_only = fbtrack({"report"});
    EXPECT_EQ(first_line(home_only.out), (home() / "Documents" / "fbtrack" / "さくら雑貨-2026-10.html").string());

    fs::remove(home() / ".config" / "user-dirs.dirs");
    const auto plain = fbtrack({"report"});
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    EXPECT_EQ(first_line(plain.out), (home() / "Documents" / "fbtrack" / "さくら雑貨-2026-10.html").string());
    EXPECT_TRUE(fs::is_regular_file(home() / "Documents" / "fbtrack" / "さくら雑貨-2026-10.html"));
}

TEST_F(ReportCommand, XdgUserDirPrintingTheHomeFolderMeansDocuments) {
    fake_program("xdg-user-dir", "echo \"$HOME\"\n");  // what the real one prints when nothing is set
    const auto r = fbtrack({"report"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(first_line(r.out), (home() / "Documents" / "fbtrack" / "さくら雑貨-2026-10.html").string());
}

TEST_F(ReportCommand, TheFileIsNamedBySafeShopName) {
    ASSERT_EQ(fbtrack({"shop", "set", "--name", "../さくら/雑貨"}).exit_code, 0);
    const auto r = fbtrack({"report"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(first_line(r.out), (home() / "Documents" / "fbtrack" / "さくら_雑貨-2026-10.html").string());
}

TEST_F(ReportCommand, OpenHandsTheFileToXdgOpenAndSaysSo) {
    const fs::path record = dir_ / "opened.txt";
    fake_program("xdg-open", "printf '%s\\n' \"$@\" > '" + record.string() + "'\n");
    const auto r = fbtrack({"report", "--open"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(record), first_line(r.out) + "\n");  // one argument: the page's absolute path
    EXPECT_NE(r.err.find("ブラウザーで開きました"), std::string::npos) << r.err;
    const auto en = fbtrack({"--lang", "en", "report", "--open"});
    EXPECT_NE(en.err.find("Opened in your browser."), std::string::npos) << en.err;

    fake_program("xdg-open", "exit 4\n");
    const auto failed = fbtrack({"--lang", "en", "report", "--open"});
    EXPECT_EQ(failed.exit_code, 0) << failed.err;  // the report is written all the same
    EXPECT_NE(failed.err.find("xdg-open could not open the report; open this file in a browser: " + first_line(failed.out)),
              std::string::npos) << failed.err;
}

TEST_F(ReportCommand, OpenWithoutXdgOpenSaysWhereTheFileIs) {
    const auto r = fbtrack({"--lang", "en", "report", "--open"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("xdg-open was not found, so the report was not opened; open this file in a browser: " + first_line(r.out)),
              std::string::npos) << r.err;
}

TEST_F(ReportCommand, OpenDoesNotWaitForAnOpenerThatStays) {
    const fs::path pid_file = dir_ / "opener.pid";
    fake_program("xdg-open", "echo $$ > '" + pid_file.string() + "'\nexec /bin/sleep 60\n");
    const auto started = std::chrono::steady_clock::now();
    const auto r = fbtrack({"report", "--open"});
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_LT(took, std::chrono::seconds(10));
    EXPECT_NE(r.err.find("ブラウザーで開きました"), std::string::npos) << r.err;
    if (fs::exists(pid_file)) ::kill(std::stoi(read_file(pid_file)), SIGKILL);  // the opener this test started
}
