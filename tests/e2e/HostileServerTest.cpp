// End-to-end: fetch and watch against an IMAP server that misbehaves on purpose
// (tests/support/hostile_imap.py, started on loopback by each test). Whatever the server does,
// fetch ends within its deadline with its documented exit code, in bounded memory, keeps what it
// had stored and skips no message without recording it.
#include "MailServers.h"
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <thread>

using namespace fbtrack::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Peak resident memory a fetch may reach against any server. Under AddressSanitizer, shadow
// memory and quarantine add their own; the bound there still catches gigabytes.
#if defined(__SANITIZE_ADDRESS__)
constexpr long rss_limit_kib = 512 * 1024;
#else
constexpr long rss_limit_kib = 64 * 1024;
#endif

std::string buyer_message(int n) {
    return "From: buyer" + std::to_string(n) + "@marketplace.amazon.co.jp\r\n"
           "To: shop@sakura-zakka.example\r\n"
           "Date: Sat, 10 Oct 2026 10:0" + std::to_string(n % 10) + ":00 +0900\r\n"
           "Message-ID: <hostile-" + std::to_string(n) + "@test.invalid>\r\n"
           "Subject: =?UTF-8?B?55m66YCB44Gr44Gk44GE44Gm?=\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=UTF-8\r\n"
           "\r\n"
           "注文番号: 249-8830124-551290" + std::to_string(n % 10) + "\r\n\r\n発送を早めていただけないでしょうか。\r\n";
}

long count(const std::vector<std::string>& lines, const std::string& prefix) {
    return std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
}

class HostileServer : public ::testing::Test {
protected:
    void SetUp() override {
        REQUIRE_HOSTILE_IMAP();
        write_file(dir_ / "pw", "s3cret\n");
    }
    void start(const std::string& scenario, bool starttls = false, int messages = 0) {
        server_ = std::make_unique<HostileImapServer>(scenario, starttls);
        for (int i = 1; i <= messages; ++i) server_->add_message(static_cast<std::uint32_t>(i), buyer_message(i));
        const auto r = fbtrack({"mail", "add", "shop", "--url", server_->url(), "--user", "seller", "--password-command",
                                "cat " + (dir_ / "pw").string(), "--folders", "INBOX", "--cacert",
                                server_->tls().ca.string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    RunResult fbtrack(std::vector<std::string> args, std::vector<std::string> env = {}) {
        args.insert(args.begin(), {"--db", db().string(), "--today", "2026-10-31"});
        RunOptions o;
        o.env = std::move(env);
        o.env.push_back("HOME=" + (dir_ / "home").string());
        return run_fbtrack(args, o);
    }
    // A fetch, timed. Whatever the server does, every fetch ends within its deadlines (3 s a
    // step here, 30 s in all at the most) and in bounded memory.
    RunResult fetch(std::vector<std::string> env = {"FBTRACK_SERVER_TIMEOUT=3"}) {
        const auto started = std::chrono::steady_clock::now();
        auto r = fbtrack({"fetch"}, std::move(env));
        elapsed_ = std::chrono::steady_clock::now() - started;
        EXPECT_LT(r.peak_rss_kib, rss_limit_kib) << "peak memory of fetch";
        EXPECT_LT(elapsed_, 30s) << "fetch took that long";
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 69) << r.exit_code << ": " << r.err;
        return r;
    }
    std::size_t stored_messages() {
        const auto r = fbtrack({"messages", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>()->size();
    }
    bool spool_left() const {
        for (const auto& e : fs::directory_iterator(dir_.path()))
            if (e.path().filename().string().rfind(".fetch-", 0) == 0) return true;
        return false;
    }
    fs::path db() const { return dir_ / "shop.db"; }
    // A watch started in the background has taken the shop's lock and written who it is.
    void wait_until_a_watch_holds_the_shop() const {
        const auto lock = fs::path(db().string() + ".lock");
        const auto until = std::chrono::steady_clock::now() + 20s;
        while ((!fs::exists(lock) || read_file(lock).find("watch") == std::string::npos) &&
               std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(50ms);
    }

    TempDir dir_;
    std::unique_ptr<HostileImapServer> server_;
    std::chrono::steady_clock::duration elapsed_{};
};

}  // namespace

TEST_F(HostileServer, AnEndlessGreetingBeforeStartTlsIsCutOffInBoundedMemory) {
    start("endless-greeting", /*starttls=*/true);
    const auto r = fetch();
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    EXPECT_NE(r.err.find("cut off"), std::string::npos) << r.err;
    EXPECT_LT(elapsed_, 15s);
}

TEST_F(HostileServer, AnEndlessGreetingOverTlsIsCutOffInBoundedMemory) {
    start("endless-greeting");
    const auto r = fetch();
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
}

TEST_F(HostileServer, AnEndlessResponseLineIsCutOffInBoundedMemory) {
    start("endless-line", false, 2);
    const auto r = fetch();
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    EXPECT_NE(r.err.find("a line longer than"), std::string::npos) << r.err;
}

TEST_F(HostileServer, AFourGigabyteLiteralIsRefusedWhenAnnouncedAndTheMessageRecordedAsUnreadable) {
    start("huge-literal", false, 2);
    auto r = fetch();
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    EXPECT_NE(r.err.find("where at most 10 MiB"), std::string::npos) << r.err;
    // Each message is asked for once, recorded as unreadable and passed over: the fetches go on.
    r = fetch();
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    r = fetch();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("nothing new"), std::string::npos) << r.out;
    const auto commands = server_->commands();
    EXPECT_EQ(count(commands, "UID FETCH 1 "), 1);
    EXPECT_EQ(count(commands, "UID FETCH 2 "), 1);
    const auto status = fbtrack({"status"});
    EXPECT_NE(status.out.find("the server sent more than the 10 MiB asked for"), std::string::npos) << status.out;
}

TEST_F(HostileServer, ALiteralThatLiesAboutItsSizeIsCutOffInBoundedMemory) {
    start("lying-literal", false, 1);
    const auto r = fetch();
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    EXPECT_EQ(stored_messages(), 0u);
}

TEST_F(HostileServer, AServerThatDripsOneByteAtATimeIsStoppedAtTheStepsDeadline) {
    start("drip", false, 1);
    const auto r = fetch({"FBTRACK_SERVER_TIMEOUT=2"});
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    EXPECT_NE(r.err.find("took longer than 2 s"), std::string::npos) << r.err;
    EXPECT_LT(elapsed_, 10s);
}

TEST_F(HostileServer, TheWholeFetchHasADeadlineToo) {
    start("drip", false, 1);
    const auto r = fetch({"FBTRACK_SERVER_TIMEOUT=600", "FBTRACK_ROUND_TIMEOUT=2"});
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    EXPECT_LT(elapsed_, 10s);
}

TEST_F(HostileServer, ABogusUidInAListingDoesNotMoveThePositionPastLaterMail) {
    start("bogus-uid", false, 2);
    auto r = fetch();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("2 new messages"), std::string::npos) << r.out;
    EXPECT_EQ(count(server_->commands(), "UID FETCH 4294967295"), 0);
    const auto list = fbtrack({"mail", "list"});
    EXPECT_NE(list.out.find("up to UID 2"), std::string::npos) << list.out;
    server_->add_message(3, buyer_message(3));
    r = fetch();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("1 new message"), std::string::npos) << r.out;
    EXPECT_EQ(stored_messages(), 3u);
}

TEST_F(HostileServer, AFetchAnswerWithoutABodyIsRecordedAndAskedForAgainOnce) {
    start("no-body", false, 3);
    auto r = fetch();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("1 message the server would not give"), std::string::npos) << r.out;
    EXPECT_EQ(stored_messages(), 2u);
    const auto status = fbtrack({"status"});
    EXPECT_NE(status.out.find("the server answered without the message's content"), std::string::npos) << status.out;
    EXPECT_NE(fbtrack({"mail", "list"}).out.find("up to UID 1"), std::string::npos);
    // Next time it is asked for again; after that second refusal it is passed over.
    r = fetch();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(count(server_->commands(), "UID FETCH 2 "), 2);
    EXPECT_NE(fbtrack({"mail", "list"}).out.find("up to UID 3"), std::string::npos);
    r = fetch();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(count(server_->commands(), "UID FETCH 2 "), 2);
    EXPECT_EQ(stored_messages(), 2u);
}

TEST_F(HostileServer, AConnectionCutInTheMiddleOfABatchKeepsWhatWasRead) {
    start("drop-after-3", false, 5);
    auto r = fetch();
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    EXPECT_NE(r.out.find("3 new messages kept before the connection ended"), std::string::npos) << r.out;
    EXPECT_EQ(stored_messages(), 3u);
    r = fetch();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(stored_messages(), 5u);
    // The three kept were not downloaded again.
    EXPECT_EQ(count(server_->commands(), "UID FETCH 1 "), 1);
    EXPECT_EQ(count(server_->commands(), "UID FETCH 4 "), 2);
    EXPECT_FALSE(spool_left());
}

TEST_F(HostileServer, AFetchRefusedWithNoIsRecordedAndTheOthersAreStored) {
    // libetpan frees its list on a NO and leaves the pointer: freed twice, that crashed fetch.
    start("fetch-no", false, 3);
    const auto r = fetch();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(stored_messages(), 2u);
    const auto status = fbtrack({"status"});
    EXPECT_NE(status.out.find("the server refused to give it"), std::string::npos) << status.out;
    EXPECT_FALSE(spool_left());
}

TEST_F(HostileServer, ParenthesesNestedThirtyThousandDeepAreCutOffBeforeTheParserSeesThem) {
    start("deep-nesting", false, 1);
    const auto r = fetch();
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    EXPECT_NE(r.err.find("nested parentheses"), std::string::npos) << r.err;
}

TEST_F(HostileServer, AFloodOfShortResponsesIsCutOffInBoundedMemory) {
    start("exists-flood", false, 1);
    const auto r = fetch();
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    EXPECT_NE(r.err.find("of responses to one command"), std::string::npos) << r.err;
}

TEST_F(HostileServer, ALargeMessageDrippedAByteAtATimeEarnsNoMoreTime) {
    start("literal-drip", false, 1);
    const auto r = fetch({"FBTRACK_SERVER_TIMEOUT=2"});
    EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
    EXPECT_LT(elapsed_, 10s);
}

TEST_F(HostileServer, ADateNoServerGivesItsMailDatesNothingAndStopsNothing) {
    start("year-9999", false, 2);
    const auto r = fetch();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(stored_messages(), 2u);
}

TEST_F(HostileServer, ALinkToTheDatabaseIsTheSameShopForTheLock) {
    start("normal", false, 1);
    RunOptions o;
    o.env = {"HOME=" + (dir_ / "home").string()};
    FbtrackProcess first({"--db", db().string(), "watch", "--every", "10m"}, o);
    wait_until_a_watch_holds_the_shop();
    fs::create_symlink(db(), dir_ / "link.db");
    const auto r = run_fbtrack({"--db", (dir_ / "link.db").string(), "fetch"}, o);
    EXPECT_EQ(r.exit_code, 75) << r.out << r.err;
    first.kill(SIGTERM);
    EXPECT_EQ(first.wait().exit_code, 0);
}

TEST_F(HostileServer, SigtermEndsAStuckRoundWithinSecondsAndLeavesNoSpool) {
    // The first message is in the spool when the server stops answering the second.
    start("stall-after-1", false, 2);
    RunOptions o;
    o.env = {"HOME=" + (dir_ / "home").string(), "FBTRACK_SERVER_TIMEOUT=600"};
    FbtrackProcess watch({"--db", db().string(), "watch", "--every", "10m"}, o);
    const auto until = std::chrono::steady_clock::now() + 20s;
    while (count(server_->commands(), "UID FETCH 2 ") == 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(50ms);
    ASSERT_EQ(count(server_->commands(), "UID FETCH 2 "), 1) << server_->log();
    std::this_thread::sleep_for(300ms);
    EXPECT_TRUE(spool_left());
    const auto signalled = std::chrono::steady_clock::now();
    watch.kill(SIGTERM);
    const auto r = watch.wait();
    EXPECT_LT(std::chrono::steady_clock::now() - signalled, 10s);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("stopped by signal 15"), std::string::npos) << r.out;
    EXPECT_FALSE(spool_left());
    // The batch under way was not kept: both messages come with the next fetch.
    EXPECT_EQ(stored_messages(), 0u);
}

TEST_F(HostileServer, SigintEndsAStuckFetchWithExitZero) {
    start("silent", false, 1);
    RunOptions o;
    o.env = {"HOME=" + (dir_ / "home").string(), "FBTRACK_SERVER_TIMEOUT=600"};
    FbtrackProcess fetch({"--db", db().string(), "fetch"}, o);
    const auto until = std::chrono::steady_clock::now() + 20s;
    while (count(server_->commands(), "EXAMINE") == 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(50ms);
    const auto signalled = std::chrono::steady_clock::now();
    fetch.kill(SIGINT);
    const auto r = fetch.wait();
    EXPECT_LT(std::chrono::steady_clock::now() - signalled, 10s);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("stopped by signal 2"), std::string::npos) << r.err;
}

TEST_F(HostileServer, ASecondWatcherOnTheSameShopSaysWhoHoldsItAndExits75) {
    start("normal", false, 1);
    RunOptions o;
    o.env = {"HOME=" + (dir_ / "home").string()};
    FbtrackProcess first({"--db", db().string(), "watch", "--every", "10m"}, o);
    wait_until_a_watch_holds_the_shop();
    auto r = fbtrack({"watch", "--rounds", "1"});
    EXPECT_EQ(r.exit_code, 75) << r.out << r.err;
    EXPECT_NE(r.err.find("watch, pid " + std::to_string(first.pid())), std::string::npos) << r.err;
    r = fbtrack({"fetch"});
    EXPECT_EQ(r.exit_code, 75) << r.out << r.err;
    first.kill(SIGTERM);
    EXPECT_EQ(first.wait().exit_code, 0);
    // Once the first is gone, the shop is free again; its message was fetched once.
    r = fetch();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(count(server_->commands(), "UID FETCH 1 "), 1);
}
