// End-to-end: fetch over IMAP from a real Dovecot, notify through a real SMTP server (aiosmtpd),
// both started on loopback by the test. Nothing here is a mock.
#include "MailServers.h"
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/MailMessage.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <csignal>
#include <thread>
#include <sstream>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

const char* const today = "2026-10-31";

// The messages of an mbox file, split at its "From " lines, without them.
std::vector<std::string> mbox_messages(const fs::path& mbox) {
    std::istringstream in(read_file(mbox));
    std::vector<std::string> out;
    std::string line;
    bool open = false;
    while (std::getline(in, line)) {
        if (line.rfind("From ", 0) == 0) {
            out.emplace_back();
            open = true;
            continue;
        }
        if (!open) continue;
        if (line.rfind(">From ", 0) == 0) line.erase(0, 1);
        out.back() += line + "\r\n";
    }
    return out;
}

std::string header_of(const std::string& message, const std::string& name) {
    std::istringstream in(message);
    std::string line;
    while (std::getline(in, line) && line != "\r" && !line.empty())
        if (line.rfind(name + ":", 0) == 0) return line.substr(name.size() + 1);
    return {};
}

// A buyer's request to ship faster, as Amazon forwards it, for an order of the sample month.
std::string buyer_request(const std::string& order_id, const std::string& date, const std::string& id) {
    return "From: abc123buyer@marketplace.amazon.co.jp\r\n"
           "To: shop@sakura-zakka.example\r\n"
           "Date: " + date + "\r\n"
           "Message-ID: <" + id + "@test.invalid>\r\n"
           "Subject: =?UTF-8?B?" + std::string("55m66YCB44KS5pep44KB44KL44GT44Go44Gr44Gk44GE44Gm44Gu44GK5ZWP44GE5ZCI44KP44Gb") + "?=\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=UTF-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n"
           "\r\n"
           "注文番号: " + order_id + "\r\n\r\n急ぎで必要なので、発送を早めていただけないでしょうか。\r\n";
}

class MailWatch : public ::testing::Test {
protected:
    void SetUp() override {
        if (const auto why = DovecotServer::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
        server_ = std::make_unique<DovecotServer>("seller", "s3cret-Pw");
        write_file(dir_ / "pw", "s3cret-Pw\n");
        ASSERT_EQ(fbtrack({"import", (project_data_samples() / "2026-10_all_orders.txt").string()}).exit_code, 0);
    }
    RunResult fbtrack(std::vector<std::string> args, const RunOptions& options = {}) {
        args.insert(args.begin(), {"--db", db().string(), "--today", today});
        RunOptions o = options;
        o.env.push_back("HOME=" + (dir_ / "home").string());
        return run_fbtrack(args, o);
    }
    fs::path db() const { return dir_ / "shop.db"; }
    RunResult add_account(const std::string& name = "shop", const std::string& password_file = "pw",
                          bool trusted = true, const std::string& url = "") {
        std::vector<std::string> args{"mail", "add", name, "--url", url.empty() ? server_->url() : url, "--user", "seller",
                                      "--password-command", "cat " + (dir_ / password_file).string()};
        if (trusted) args.insert(args.end(), {"--cacert", server_->tls().ca.string()});
        return fbtrack(args);
    }
    Poco::JSON::Array::Ptr expedite_list() {
        const auto r = fbtrack({"expedite", "list", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>();
    }
    // The sample month's mail on the server: buyer mail in INBOX, the shop's replies in Sent.
    void deliver_sample_month() {
        for (const auto& m : mbox_messages(project_data_samples() / "2026-10_mail.mbox"))
            server_->deliver(header_of(m, "From").find("marketplace.amazon") != std::string::npos ? "INBOX" : "Sent", m);
    }

    TempDir dir_;
    std::unique_ptr<DovecotServer> server_;
};

}  // namespace

TEST_F(MailWatch, AFetchGivesTheSameRequestsAndRepliesAsImportingTheMailboxFile) {
    deliver_sample_month();
    const auto before_inbox = server_->flags("INBOX");
    const auto before_sent = server_->flags("Sent");
    ASSERT_EQ(add_account().exit_code, 0);
    const auto r = fbtrack({"fetch"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

    TempDir other;
    const auto from_file = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", (other / "file.db").string(), "--today", today});
        return run_fbtrack(args);
    };
    ASSERT_EQ(from_file({"import", (project_data_samples() / "2026-10_all_orders.txt").string(),
                         (project_data_samples() / "2026-10_mail.mbox").string()})
                  .exit_code,
              0);
    const auto expected = from_file({"expedite", "list", "--json"});
    const auto fetched = fbtrack({"expedite", "list", "--json"});
    ASSERT_EQ(fetched.exit_code, 0);
    EXPECT_EQ(fetched.out, expected.out);
    EXPECT_EQ(expedite_list()->size(), 3u);
    // Read-only: no message marked seen, moved or deleted on the server.
    EXPECT_EQ(server_->flags("INBOX"), before_inbox);
    EXPECT_EQ(server_->flags("Sent"), before_sent);
}

TEST_F(MailWatch, ASecondFetchBringsNothingAndANewRequestComesNextRound) {
    deliver_sample_month();
    ASSERT_EQ(add_account().exit_code, 0);
    ASSERT_EQ(fbtrack({"fetch"}).exit_code, 0);
    const auto again = fbtrack({"fetch", "shop"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("shop INBOX: nothing new"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("shop Sent: nothing new"), std::string::npos) << again.out;

    server_->deliver("INBOX", buyer_request("503-1111111-2222222", "Sat, 31 Oct 2026 09:15:00 +0900", "new-request"));
    const auto next = fbtrack({"fetch"});
    ASSERT_EQ(next.exit_code, 0) << next.err;
    EXPECT_NE(next.out.find("shop INBOX: 1 new message"), std::string::npos) << next.out;
    bool found = false;
    const auto requests = expedite_list();
    for (const auto& v : *requests)
        if (v.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("order_id") == "503-1111111-2222222") found = true;
    EXPECT_TRUE(found);
}

TEST_F(MailWatch, ANewUidValidityReadsTheFolderAgainWithoutDuplicates) {
    deliver_sample_month();
    ASSERT_EQ(add_account().exit_code, 0);
    ASSERT_EQ(fbtrack({"fetch"}).exit_code, 0);
    const auto messages_before = fbtrack({"messages", "--json"}).out;
    server_->renew_uidvalidity("INBOX");
    const auto r = fbtrack({"fetch"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("numbered the folder anew"), std::string::npos) << r.out;
    EXPECT_EQ(fbtrack({"messages", "--json"}).out, messages_before);
}

TEST_F(MailWatch, AFetchKilledBeforeItCommitsIsReadAgainWhole) {
    // Enough mail that reading it takes a while: the fetch is killed while messages wait in its
    // spool folder, after some were read from the server and before anything was committed.
    for (int i = 0; i < 400; ++i)
        server_->deliver("INBOX", buyer_request("503-2417785-6630118", "Sat, 31 Oct 2026 08:00:00 +0900", "bulk-" + std::to_string(i)));
    ASSERT_EQ(add_account().exit_code, 0);
    RunOptions options;
    options.env.push_back("HOME=" + (dir_ / "home").string());
    FbtrackProcess p({"--db", db().string(), "--today", today, "fetch"}, options);
    bool spooled = false;
    for (int i = 0; i < 2000 && !spooled && p.running(); ++i) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir_.path(), ec))
            if (e.path().filename().string().rfind(".fetch-", 0) == 0 && !fs::is_empty(e.path() / "cur", ec) && !ec)
                spooled = true;
        if (!spooled) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(spooled) << "the fetch ended before it could be killed";
    p.kill(SIGKILL);
    p.wait();

    const auto list = fbtrack({"mail", "list"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("INBOX: not fetched yet"), std::string::npos) << list.out;
    const auto none = fbtrack({"messages", "--json"});
    EXPECT_EQ(Poco::JSON::Parser().parse(none.out).extract<Poco::JSON::Array::Ptr>()->size(), 0u);

    const auto r = fbtrack({"fetch"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("shop INBOX: 400 new messages"), std::string::npos) << r.out;
    const auto all = fbtrack({"messages", "--json"});
    EXPECT_EQ(Poco::JSON::Parser().parse(all.out).extract<Poco::JSON::Array::Ptr>()->size(), 400u);
    // The killed fetch's spool folder is gone too.
    for (const auto& e : fs::directory_iterator(dir_.path()))
        EXPECT_NE(e.path().filename().string().rfind(".fetch-", 0), 0u) << e.path();
}

TEST_F(MailWatch, AFetchKilledAfterItsFirstBatchGoesOnFromThere) {
    // 200 messages are committed at a time, with the folder's position: a kill in the second
    // batch keeps the first, and the next fetch reads only the rest.
    for (int i = 0; i < 400; ++i)
        server_->deliver("INBOX", buyer_request("503-2417785-6630118", "Sat, 31 Oct 2026 08:00:00 +0900", "batch-" + std::to_string(i)));
    ASSERT_EQ(add_account().exit_code, 0);
    RunOptions options;
    options.env.push_back("HOME=" + (dir_ / "home").string());
    FbtrackProcess p({"--db", db().string(), "--today", today, "fetch"}, options);
    // The first batch's spool folder goes once it is committed; the second batch's is another.
    std::set<std::string> spools;
    for (int i = 0; i < 4000 && spools.size() < 2 && p.running(); ++i) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir_.path(), ec))
            if (e.path().filename().string().rfind(".fetch-", 0) == 0) spools.insert(e.path().filename().string());
        if (spools.size() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_EQ(spools.size(), 2u) << "the fetch ended before its second batch";
    p.kill(SIGKILL);
    p.wait();

    const auto list = fbtrack({"mail", "list"});
    EXPECT_NE(list.out.find("INBOX: fetched 2026-10-31T12:00:00Z, up to UID 200"), std::string::npos) << list.out;
    const auto first = fbtrack({"messages", "--json"});
    EXPECT_EQ(Poco::JSON::Parser().parse(first.out).extract<Poco::JSON::Array::Ptr>()->size(), 200u);
    const auto r = fbtrack({"fetch"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("shop INBOX: 200 new messages"), std::string::npos) << r.out;
    const auto all = fbtrack({"messages", "--json"});
    EXPECT_EQ(Poco::JSON::Parser().parse(all.out).extract<Poco::JSON::Array::Ptr>()->size(), 400u);
}

TEST_F(MailWatch, AWrongPasswordExits77NamingTheAccount) {
    write_file(dir_ / "wrong", "not-the-password\n");
    ASSERT_EQ(add_account("shop", "wrong").exit_code, 0);
    const auto r = fbtrack({"fetch"});
    EXPECT_EQ(r.exit_code, 77) << r.err;
    EXPECT_NE(r.err.find("mail account shop"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("refused the login"), std::string::npos) << r.err;
}

TEST_F(MailWatch, AnUntrustedCertificateExits69AndSendsNoPassword) {
    ASSERT_EQ(add_account("shop", "pw", /*trusted=*/false).exit_code, 0);
    const auto r = fbtrack({"fetch"});
    EXPECT_EQ(r.exit_code, 69) << r.err;
    EXPECT_NE(r.err.find("not trusted"), std::string::npos) << r.err;
    EXPECT_EQ(server_->log().find("user=<seller>"), std::string::npos) << "a login reached the server";
}

TEST_F(MailWatch, AServerDownExits69Quickly) {
    ASSERT_EQ(add_account().exit_code, 0);
    server_->stop();
    const auto start = std::chrono::steady_clock::now();
    const auto r = fbtrack({"fetch"});
    EXPECT_EQ(r.exit_code, 69) << r.err;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
    EXPECT_NE(r.err.find("cannot connect"), std::string::npos) << r.err;
}

TEST_F(MailWatch, StartTlsOnThePlainPortWorksToo) {
    deliver_sample_month();
    ASSERT_EQ(add_account("plain", "pw", true, server_->url("imap")).exit_code, 0);
    const auto r = fbtrack({"fetch"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(expedite_list()->size(), 3u);
}

TEST_F(MailWatch, ThePasswordIsNowhereInTheDatabase) {
    deliver_sample_month();
    ASSERT_EQ(add_account().exit_code, 0);
    ASSERT_EQ(fbtrack({"fetch"}).exit_code, 0);
    for (const auto* suffix : {"", "-wal"}) {
        const fs::path file = db().string() + suffix;
        if (fs::exists(file)) {
            EXPECT_EQ(read_file(file).find("s3cret-Pw"), std::string::npos) << file;
        }
    }
    // A command that holds the password itself is refused: it would be stored.
    const auto r = fbtrack({"mail", "add", "echo", "--url", server_->url(), "--user", "seller", "--password-command",
                            "echo s3cret-Pw"});
    EXPECT_EQ(r.exit_code, 64) << r.err;
}

TEST_F(MailWatch, AFolderTheServerLacksIsNamedAndTheOthersAreStillFetched) {
    deliver_sample_month();
    ASSERT_EQ(fbtrack({"mail", "add", "shop", "--url", server_->url(), "--user", "seller", "--password-command",
                       "cat " + (dir_ / "pw").string(), "--cacert", server_->tls().ca.string(), "--folders",
                       "INBOX,Sent,Sent Mail"})
                  .exit_code,
              0);
    const auto r = fbtrack({"fetch"});
    EXPECT_EQ(r.exit_code, 66) << r.err;
    EXPECT_NE(r.err.find("\"Sent Mail\""), std::string::npos) << r.err;
    EXPECT_EQ(expedite_list()->size(), 3u);
}

TEST_F(MailWatch, AReplyForgedIntoTheInboxDoesNotAnswerTheBuyer) {
    // Anyone can write the shop's address into a From and mail the shop: only the sent folder
    // holds the shop's own replies.
    server_->deliver("INBOX", buyer_request("503-2417785-6630118", "Sat, 31 Oct 2026 08:00:00 +0900", "real-request"));
    server_->deliver("INBOX", "From: shop@sakura-zakka.example\r\nTo: abc123buyer@marketplace.amazon.co.jp\r\n"
                              "Date: Sat, 31 Oct 2026 09:00:00 +0900\r\nMessage-ID: <forged@evil.invalid>\r\n"
                              "Subject: Re: order 503-2417785-6630118\r\n\r\nWe cannot ship sooner.\r\n");
    ASSERT_EQ(add_account().exit_code, 0);
    ASSERT_EQ(fbtrack({"fetch"}).exit_code, 0);
    const auto requests = expedite_list();
    bool unanswered = false;
    for (const auto& v : *requests) {
        const auto o = v.extract<Poco::JSON::Object::Ptr>();
        if (o->getValue<std::string>("requested_at") == "2026-10-30T23:00:00Z") unanswered = o->getValue<std::string>("reply") == "none";
    }
    EXPECT_TRUE(unanswered);
}

TEST_F(MailWatch, ACaFileThatHoldsNoCertificateIsRefusedAtOnce) {
    const auto r = fbtrack({"mail", "add", "shop", "--url", server_->url(), "--user", "seller", "--password-command",
                            "cat " + (dir_ / "pw").string(), "--cacert", (dir_ / "pw").string()});
    EXPECT_EQ(r.exit_code, 64) << r.err;
    EXPECT_NE(r.err.find("PEM"), std::string::npos) << r.err;
}

class Notify : public MailWatch {
protected:
    void SetUp() override {
        MailWatch::SetUp();
        if (IsSkipped()) return;
        if (const auto why = SmtpSink::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
        sink_ = std::make_unique<SmtpSink>(true);
        // Named as a seller names a shop: the alerts' drafts are signed with it.
        ASSERT_EQ(fbtrack({"shop", "set", "--name", "さくら雑貨"}).exit_code, 0);
        ASSERT_EQ(fbtrack({"notify", "set", "--smtp", sink_->url(), "--from", "fbtrack@shop.example", "--to",
                           "owner@shop.example", "--cacert", sink_->tls().ca.string()})
                      .exit_code,
                  0);
    }
    static std::string text_of(const std::string& raw) {
        std::istringstream in(raw);
        Poco::Net::MailMessage m;
        m.read(in);
        return m.getContent();
    }
    std::unique_ptr<SmtpSink> sink_;
};

TEST_F(Notify, ANewRequestGivesOneAlertWithTheDraftedReplyAndASecondNotifySendsNothing) {
    ASSERT_EQ(add_account().exit_code, 0);
    ASSERT_EQ(fbtrack({"fetch"}).exit_code, 0);
    ASSERT_EQ(fbtrack({"notify"}).exit_code, 0);
    const auto baseline = sink_->received().size();

    // 503-2417785-6630118 is an order of the sample month.
    server_->deliver("INBOX", buyer_request("503-2417785-6630118", "Sat, 31 Oct 2026 18:00:00 +0900", "fresh"));
    ASSERT_EQ(fbtrack({"fetch"}).exit_code, 0);
    const auto dry = fbtrack({"notify", "--dry-run"});
    ASSERT_EQ(dry.exit_code, 0) << dry.err;
    EXPECT_NE(dry.out.find("503-2417785-6630118"), std::string::npos) << dry.out;
    EXPECT_EQ(sink_->received().size(), baseline) << "a dry run sent mail";

    const auto sent = fbtrack({"notify"});
    ASSERT_EQ(sent.exit_code, 0) << sent.err;
    const auto received = sink_->received();
    ASSERT_EQ(received.size(), baseline + 1);
    const std::string text = text_of(received.back());
    EXPECT_NE(text.find("503-2417785-6630118"), std::string::npos) << text;
    EXPECT_NE(text.find("発送を早める依頼"), std::string::npos) << text;
    EXPECT_NE(text.find("返信案"), std::string::npos) << text;

    const auto again = fbtrack({"notify"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("Nothing new"), std::string::npos) << again.out;
    EXPECT_EQ(sink_->received().size(), baseline + 1);
}

TEST_F(Notify, WatchFetchesAndNotifiesInOneRoundAndLogsOneLine) {
    ASSERT_EQ(add_account().exit_code, 0);
    server_->deliver("INBOX", buyer_request("503-2417785-6630118", "Sat, 31 Oct 2026 18:00:00 +0900", "watched"));
    const auto r = fbtrack({"watch", "--every", "10s", "--rounds", "1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("round 1: 1 new message; "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(" sent"), std::string::npos) << r.out;
    ASSERT_EQ(sink_->received().size(), 1u);
    EXPECT_NE(text_of(sink_->received().front()).find("503-2417785-6630118"), std::string::npos);
}

TEST_F(Notify, WatchLogsAServerDownAndGoesOn) {
    ASSERT_EQ(add_account().exit_code, 0);
    server_->stop();
    const auto r = fbtrack({"watch", "--every", "10s", "--rounds", "1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("round 1: fetch failed (exit 69)"), std::string::npos) << r.out;
}

TEST_F(Notify, ARequestForAnOrderNotImportedStillGetsADeclineDraftWithoutADate) {
    ASSERT_EQ(add_account().exit_code, 0);
    server_->deliver("INBOX", buyer_request("503-9999999-0000001", "Sat, 31 Oct 2026 19:00:00 +0900", "unknown-order"));
    ASSERT_EQ(fbtrack({"fetch"}).exit_code, 0);
    const auto r = fbtrack({"notify"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(sink_->received().size(), 1u);
    const std::string text = text_of(sink_->received().front());
    EXPECT_NE(text.find("503-9999999-0000001"), std::string::npos) << text;
    EXPECT_NE(text.find("お約束した発送期限までに発送いたします"), std::string::npos) << text;
    EXPECT_EQ(text.find("{{"), std::string::npos) << text;
}

TEST_F(Notify, EnglishShopsGetEnglishAlerts) {
    ASSERT_EQ(add_account().exit_code, 0);
    server_->deliver("INBOX", buyer_request("503-2417785-6630118", "Sat, 31 Oct 2026 18:00:00 +0900", "english"));
    ASSERT_EQ(fbtrack({"fetch"}).exit_code, 0);
    const auto r = fbtrack({"--lang", "en", "notify"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(sink_->received().size(), 1u);
    const std::string text = text_of(sink_->received().front());
    EXPECT_NE(text.find("A buyer asked you to ship faster."), std::string::npos) << text;
    EXPECT_NE(sink_->received().front().find("\r\nSubject: ["), std::string::npos) << sink_->received().front();
}

TEST_F(Notify, AMailServerThatRefusesTheLoginExits77AndRecordsNothing) {
    SmtpSink strict(true, "alerts", "right-one");
    write_file(dir_ / "smtp-pw", "wrong-one\n");
    ASSERT_EQ(fbtrack({"notify", "set", "--smtp", strict.url(), "--from", "fbtrack@shop.example", "--to", "owner@shop.example",
                       "--user", "alerts", "--password-command", "cat " + (dir_ / "smtp-pw").string(), "--cacert",
                       strict.tls().ca.string()})
                  .exit_code,
              0);
    ASSERT_EQ(add_account().exit_code, 0);
    server_->deliver("INBOX", buyer_request("503-2417785-6630118", "Sat, 31 Oct 2026 18:00:00 +0900", "refused"));
    ASSERT_EQ(fbtrack({"fetch"}).exit_code, 0);
    const auto r = fbtrack({"notify"});
    EXPECT_EQ(r.exit_code, 77) << r.err;
    EXPECT_TRUE(strict.received().empty());
    // Nothing was recorded as sent: with the right password, the alert goes out.
    write_file(dir_ / "smtp-pw", "right-one\n");
    const auto again = fbtrack({"notify"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(strict.received().size(), 1u);
}

TEST_F(Notify, TwoWatchersOnOneShopFetchAndAlertOnceTheSecondExits75) {
    ASSERT_EQ(add_account().exit_code, 0);
    server_->deliver("INBOX", buyer_request("503-2417785-6630118", "Sat, 31 Oct 2026 18:00:00 +0900", "twice"));
    RunOptions o;
    o.env.push_back("HOME=" + (dir_ / "home").string());
    const std::vector<std::string> args{"--db", db().string(), "--today", today, "watch", "--every", "10m"};
    FbtrackProcess first(args, o), second(args, o);
    // One of them holds the shop; the other says so at once.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (first.running() && second.running() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    FbtrackProcess& loser = first.running() ? second : first;
    FbtrackProcess& winner = first.running() ? first : second;
    const auto refused = loser.wait();
    EXPECT_EQ(refused.exit_code, 75) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("watch, pid " + std::to_string(winner.pid())), std::string::npos) << refused.err;
    while (sink_->received().empty() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::seconds(1));
    winner.kill(SIGTERM);
    const auto kept = winner.wait();
    EXPECT_EQ(kept.exit_code, 0) << kept.out << kept.err;
    EXPECT_EQ(sink_->received().size(), 1u);
    EXPECT_EQ(expedite_list()->size(), 1u);
}
