// The password command of `mail add` and `notify set` is stored in the database, the password
// never: a command that is plainly the password is refused, one that merely shares its letters
// is not. Neither needs a server: the command is checked before anything is stored.
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

class PasswordCommand : public ::testing::Test {
protected:
    RunResult mail_add(const std::string& name, const std::string& command) {
        return run_fbtrack({"--db", db_.string(), "mail", "add", name, "--url", "imaps://127.0.0.1:1", "--user", "seller",
                            "--password-command", command});
    }
    bool database_holds(const std::string& text) const {
        for (const auto* suffix : {"", "-wal"})
            if (fs::exists(db_.string() + suffix) && read_file(db_.string() + suffix).find(text) != std::string::npos) return true;
        return false;
    }
    TempDir dir_;
    fs::path db_ = dir_ / "shop.db";
};

}  // namespace

TEST_F(PasswordCommand, ACommandThatOnlyPrintsThePasswordWrittenInItIsRefused) {
    for (const std::string command : {"echo s3cret-Pw", "printf %s s3cret-Pw", "printf '%s\\n' 's3cret-Pw'", "/bin/echo \"s3cret-Pw\"",
                                      "printf %s%s s3cr et-Pw"}) {
        const auto r = mail_add("shop", command);
        EXPECT_EQ(r.exit_code, 64) << command << ": " << r.err;
        EXPECT_NE(r.err.find("stores the command (not the password) in the database"), std::string::npos) << r.err;
        EXPECT_FALSE(database_holds("s3cr")) << command;
    }
    // bash's here-string: refused as the others where /bin/sh is bash; dash (Debian's sh) cannot
    // run it at all. Stored it is not, either way.
    const auto here_string = mail_add("shop", "cat <<< s3cret-Pw");
    EXPECT_TRUE(here_string.exit_code == 64 || here_string.exit_code == 78) << here_string.err;
    EXPECT_FALSE(database_holds("s3cr"));
    // A command whose own text is what it prints: the command is the password.
    const fs::path script = dir_ / "pw.sh";
    write_file(script, "#!/bin/sh\necho \"$0\"\n");
    fs::permissions(script, fs::perms::owner_all);
    const auto same = mail_add("shop", script.string());
    EXPECT_EQ(same.exit_code, 64) << same.err;
    EXPECT_FALSE(database_holds("pw.sh"));
}

// "pass show shop" for the password "shop" keeps the password out of the database.
TEST_F(PasswordCommand, ACommandThatMerelyHasThePasswordsLettersIsAccepted) {
    fs::create_directories(dir_ / "shop");
    write_file(dir_ / "shop" / "shop", "shop\n");
    const std::string command = "cat " + (dir_ / "shop" / "shop").string();
    const auto r = mail_add("shop", command);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("The password is not kept"), std::string::npos) << r.out;
    // The same check stands before notify set stores its command.
    const auto notify = run_fbtrack({"--db", db_.string(), "notify", "set", "--smtp", "smtps://127.0.0.1:1", "--from", "shop@example.com",
                                     "--to", "me@example.com", "--user", "shop", "--password-command", command});
    EXPECT_EQ(notify.exit_code, 0) << notify.err;
    const auto refused = run_fbtrack({"--db", db_.string(), "notify", "set", "--smtp", "smtps://127.0.0.1:1", "--from", "shop@example.com",
                                      "--to", "me@example.com", "--user", "shop", "--password-command", "echo shop"});
    EXPECT_EQ(refused.exit_code, 64) << refused.err;
    EXPECT_NE(refused.err.find("notify set: --password-command: "), std::string::npos) << refused.err;
}
