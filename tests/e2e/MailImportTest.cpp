// End-to-end: mail into the store, and the expedite requests and reply times that come out.
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

class MailImport : public ::testing::Test {
protected:
    RunResult fbtrack(std::vector<std::string> args) {
        // In English: the lines these tests read are its words (JapaneseOutputTest reads the Japanese).
        args.insert(args.begin(), {"--db", (dir_ / "fbtrack.db").string(), "--today", "2026-10-31", "--lang", "en"});
        return run_fbtrack(args);
    }
    Poco::JSON::Array::Ptr json_array(const std::vector<std::string>& args) {
        const auto r = fbtrack(args);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>();
    }
    Poco::JSON::Object::Ptr status() {
        const auto r = fbtrack({"status", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
    }
    static std::string fixture(const std::string& name) {
        return (fs::path(FBTRACK_TEST_FIXTURES) / "mail" / name).string();
    }
    static std::string sample_mbox() { return (project_data_samples() / "2026-10_mail.mbox").string(); }

    TempDir dir_;
};

}  // namespace

TEST_F(MailImport, FindsTheDeclinedAcceptedAndUnansweredRequestsOfTheSampleMonth) {
    const auto r = fbtrack({"import", sample_mbox()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("8 added"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 ignored"), std::string::npos) << r.out;  // the shop's newsletter

    const auto requests = json_array({"expedite", "list", "--json"});
    ASSERT_EQ(requests->size(), 3u);
    const auto declined = requests->getObject(0);
    EXPECT_EQ(declined->getValue<std::string>("order_id"), "503-2417785-6630118");
    EXPECT_EQ(declined->getValue<std::string>("requested_at"), "2026-10-09T13:30:12Z");
    EXPECT_EQ(declined->getValue<std::string>("reply"), "declined");
    EXPECT_EQ(declined->getValue<std::string>("replied_at"), "2026-10-10T00:05:40Z");
    EXPECT_DOUBLE_EQ(declined->getValue<double>("reply_hours"), 10.6);
    // Friday 22:30 to Saturday 09:05, with reply hours from 09:00: five minutes of the shop's time.
    EXPECT_DOUBLE_EQ(declined->getValue<double>("reply_working_hours"), 0.1);
    EXPECT_EQ(declined->getValue<std::string>("source"), "mail");
    EXPECT_FALSE(declined->getValue<std::string>("phrase").empty());

    const auto accepted = requests->getObject(1);
    EXPECT_EQ(accepted->getValue<std::string>("order_id"), "503-2342762-9604038");  // found in the Shift_JIS body
    EXPECT_EQ(accepted->getValue<std::string>("reply"), "accepted");
    EXPECT_DOUBLE_EQ(accepted->getValue<double>("reply_hours"), 13.6);

    const auto open = requests->getObject(2);
    EXPECT_EQ(open->getValue<std::string>("reply"), "none");
    EXPECT_TRUE(open->isNull("replied_at"));
    EXPECT_TRUE(open->isNull("reply_hours"));
}

TEST_F(MailImport, ImportingTheMailboxAgainChangesNothing) {
    ASSERT_EQ(fbtrack({"import", sample_mbox()}).exit_code, 0);
    const std::string before = read_file(dir_ / "fbtrack.db");
    // The same mail in another file (a different export) must not double either.
    std::string copy = read_file(sample_mbox());
    write_file(dir_ / "again.mbox", copy + "\n");
    const auto r = fbtrack({"import", sample_mbox(), (dir_ / "again.mbox").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("already imported"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("0 added, 0 updated, 8 unchanged"), std::string::npos) << r.out;
    EXPECT_EQ(status()->getValue<int>("messages"), 8);
}

TEST_F(MailImport, StatusShowsTheShareAnsweredWithin24Hours) {
    ASSERT_EQ(fbtrack({"import", sample_mbox()}).exit_code, 0);
    const auto s = status();
    EXPECT_EQ(s->getValue<int>("buyer_messages"), 5);
    EXPECT_EQ(s->getValue<int>("replied_within_24h"), 2);
    EXPECT_EQ(s->getValue<int>("replied_later"), 1);
    EXPECT_EQ(s->getValue<int>("unanswered_over_24h"), 2);
    EXPECT_DOUBLE_EQ(s->getValue<double>("replied_within_24h_share"), 0.4);
    const auto text = fbtrack({"status"});
    EXPECT_NE(text.out.find("answered within 24 hours"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("40.0 %"), std::string::npos) << text.out;
}

TEST_F(MailImport, StoresNoBuyerNameOrAddress) {
    ASSERT_EQ(fbtrack({"import", sample_mbox(), fixture("us_ship_faster.eml"), fixture("us_ship_faster_reply.eml")}).exit_code, 0);
    const auto all = fbtrack({"messages", "--json"});
    ASSERT_EQ(all.exit_code, 0);
    for (const char* personal : {"山田", "世田谷", "佐藤", "Jane", "Elm Street", "Springfield"})
        EXPECT_EQ(all.out.find(personal), std::string::npos) << personal;
    EXPECT_EQ(read_file(dir_ / "fbtrack.db").find("Jane"), std::string::npos);
}

TEST_F(MailImport, ReadsAUsShipFasterInquiryAndItsReply) {
    ASSERT_EQ(fbtrack({"--marketplace", "us", "import", fixture("us_ship_faster.eml"), fixture("us_ship_faster_reply.eml")}).exit_code, 0);
    const auto requests = json_array({"expedite", "list", "--json"});
    ASSERT_EQ(requests->size(), 1u);
    const auto r = requests->getObject(0);
    EXPECT_EQ(r->getValue<std::string>("order_id"), "111-2223334-5556667");
    EXPECT_EQ(r->getValue<std::string>("requested_at"), "2026-10-05T15:00:00Z");
    EXPECT_EQ(r->getValue<std::string>("reply"), "declined");
    EXPECT_DOUBLE_EQ(r->getValue<double>("reply_hours"), 6.5);
}

TEST_F(MailImport, IgnoresMailThatIsNotBuyerSellerAndKeepsMailWithManyHeaders) {
    const auto r = fbtrack({"import", fixture("newsletter.eml"), fixture("many_headers.eml")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1 ignored"), std::string::npos) << r.out;
    const auto messages = json_array({"messages", "--json"});
    ASSERT_EQ(messages->size(), 1u);
    EXPECT_EQ(messages->getObject(0)->getValue<std::string>("order_id"), "111-2223334-5556667");
}

TEST_F(MailImport, DamagedMailIsReadAsMailClientsReadItAndNeverStopsTheMailbox) {
    // A boundary that the parts never use, a charset nobody knows, a part header over Poco's limit:
    // each message is read best effort and marked, and the sample month beside it imports whole.
    for (const char* name : {"broken_boundary.eml", "unknown_charset.eml", "long_part_header.mbox"}) {
        fs::remove(dir_ / "fbtrack.db");
        const auto r = fbtrack({"import", sample_mbox(), fixture(name)});
        ASSERT_EQ(r.exit_code, 0) << name << r.err;
        EXPECT_NE(r.out.find("8 added"), std::string::npos) << r.out;
        EXPECT_EQ(status()->getValue<int>("messages"), 9) << name;
        EXPECT_EQ(status()->getValue<int>("rejected_rows"), 0) << name;
        if (std::string(name) == "long_part_header.mbox") continue;  // nothing wrong but its size
        const auto messages = json_array({"messages", "--order", "111-2223334-5556667", "--json"});
        ASSERT_EQ(messages->size(), 1u);
        EXPECT_FALSE(messages->getObject(0)->isNull("decoding_note")) << name;
    }
}

TEST_F(MailImport, ReadsAMaildirFolder) {
    fs::create_directories(dir_ / "Maildir" / "cur");
    fs::create_directories(dir_ / "Maildir" / "new");
    fs::create_directories(dir_ / "Maildir" / "tmp");
    fs::copy_file(fixture("us_ship_faster.eml"), dir_ / "Maildir" / "cur" / "1760000000.M1P1.host:2,S");
    fs::copy_file(fixture("us_ship_faster_reply.eml"), dir_ / "Maildir" / "new" / "1760000001.M2P1.host");
    ASSERT_EQ(fbtrack({"--marketplace", "us", "import", (dir_ / "Maildir").string()}).exit_code, 0);
    EXPECT_EQ(status()->getValue<int>("messages"), 2);
}

TEST_F(MailImport, ImportsTheCsvMessageLog) {
    write_file(dir_ / "log.csv", "order_id,sent_at,direction,subject,body\n"
                                 "503-2417785-6630118,2026-10-09 22:30,buyer,発送を早めることについてのお問い合わせ,\"急ぎです。\n明日までに\"\n"
                                 "503-2417785-6630118,2026-10-10 09:05,seller,Re: お問い合わせ,ご希望に沿えず申し訳ございません\n");
    const auto r = fbtrack({"import", (dir_ / "log.csv").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto requests = json_array({"expedite", "list", "--json"});
    ASSERT_EQ(requests->size(), 1u);
    EXPECT_EQ(requests->getObject(0)->getValue<std::string>("source"), "csv");
    EXPECT_EQ(requests->getObject(0)->getValue<std::string>("reply"), "declined");
    EXPECT_EQ(requests->getObject(0)->getValue<std::string>("requested_at"), "2026-10-09T13:30:00Z");
    ASSERT_EQ(fbtrack({"import", (dir_ / "log.csv").string()}).exit_code, 0);
    EXPECT_EQ(status()->getValue<int>("messages"), 2);
}

TEST_F(MailImport, RecordsManualExpediteRequests) {
    auto r = fbtrack({"expedite", "add", "250-6672019-3381455", "--requested-at", "2026-10-12T18:00", "--declined-at",
                      "2026-10-12T20:30", "--note", "by phone"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(fbtrack({"expedite", "add", "250-6672019-3381455", "--requested-at", "2026-10-12T18:00"}).exit_code, 0);
    const auto requests = json_array({"expedite", "list", "--json"});
    ASSERT_EQ(requests->size(), 1u);  // the second call updated the same request
    EXPECT_EQ(requests->getObject(0)->getValue<std::string>("source"), "manual");
    EXPECT_EQ(requests->getObject(0)->getValue<std::string>("requested_at"), "2026-10-12T09:00:00Z");
    EXPECT_EQ(requests->getObject(0)->getValue<std::string>("reply"), "none");

    EXPECT_EQ(fbtrack({"expedite", "add", "not-an-order", "--requested-at", "2026-10-12T18:00"}).exit_code, 64);
    EXPECT_EQ(fbtrack({"expedite", "add", "250-6672019-3381455", "--requested-at", "2026-10-12T18:00",
                       "--declined-at", "2026-10-11T18:00"}).exit_code, 64);
    EXPECT_EQ(fbtrack({"expedite", "add", "250-6672019-3381455", "--requested-at", "2026-10-12T18:00",
                       "--declined-at", "2026-10-12T19:00", "--accepted-at", "2026-10-12T19:00"}).exit_code, 64);
}

TEST_F(MailImport, EditedPhraseListsReclassifyStoredMessages) {
    // A private copy of data/ where the seller has removed the phrase that made the reply a decline.
    fs::copy(fs::path(FBTRACK_SOURCE_DATA_DIR), dir_ / "data", fs::copy_options::recursive);
    ASSERT_EQ(fbtrack({"import", sample_mbox()}).exit_code, 0);
    // (A list must keep a phrase: an empty one would switch finding declines off altogether.)
    write_file(dir_ / "data" / "phrases" / "decline.ja.txt", "# edited by the seller\n出荷は致しかねる次第（編集済み）\n");
    RunResult r;
    {
        std::vector<std::string> args = {"--db", (dir_ / "fbtrack.db").string(), "--lang", "en", "import", fixture("newsletter.eml")};
        ::setenv("FBTRACK_DATA", (dir_ / "data").c_str(), 1);
        r = run_fbtrack(args);
        ::unsetenv("FBTRACK_DATA");
    }
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("classified again"), std::string::npos) << r.out;
    const auto requests = json_array({"expedite", "list", "--json"});
    EXPECT_EQ(requests->getObject(0)->getValue<std::string>("reply"), "other");
}

// A buyer's Date header can name any time: one that is 1899 in UTC is dated like a message
// without a date, and every command still reads the shop afterwards.
TEST_F(MailImport, ADateHeaderShiftedBefore1900IsNoDateAndTheShopStaysReadable) {
    const fs::path mail = dir_ / "old.eml";
    write_file(mail, "From: b7x@marketplace.amazon.co.jp\r\nTo: shop@sakura-zakka.example\r\n"
                     "Date: Mon, 01 Jan 1900 00:00:00 +0900\r\nMessage-ID: <old-1900@test.invalid>\r\n"
                     "Subject: 249-8830124-5512907\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                     "発送を早めていただけないでしょうか。\r\n");
    const auto r = fbtrack({"import", mail.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const std::vector<std::string>& args : {std::vector<std::string>{"status"}, std::vector<std::string>{"messages"},
                                                 std::vector<std::string>{"expedite", "list"}, std::vector<std::string>{"risk"}}) {
        const auto after = fbtrack(args);
        EXPECT_EQ(after.exit_code, 0) << args.front() << ": " << after.err;
    }
}
