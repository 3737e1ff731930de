// End-to-end: the sample month's ratings, their verdicts and the drafts a seller pastes.
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdlib>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

class FeedbackCommand : public ::testing::Test {
protected:
    void SetUp() override {
        // Named as the sample month's seller names it: a new shop writes no draft without a name.
        ASSERT_EQ(fbtrack({"init", "--marketplace", "jp", "--name", "さくら雑貨", "--staff", "田中", "--own-addresses", "shop@sakura-zakka.example"}).exit_code, 0);
        const auto r = fbtrack({"import", project_data_samples().string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    RunResult fbtrack(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", (dir_ / "fbtrack.db").string(), "--today", "2026-10-31"});
        return run_fbtrack(args);
    }
    Poco::JSON::Object::Ptr rating_of(const std::string& order_id) {
        const auto r = fbtrack({"feedback", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const auto list = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < list->size(); ++i)
            if (list->getObject(i)->getValue<std::string>("order_id") == order_id) return list->getObject(i);
        ADD_FAILURE() << "no rating for " << order_id;
        return new Poco::JSON::Object;
    }
    static std::vector<std::string> grounds(const Poco::JSON::Object::Ptr& o) {
        std::vector<std::string> out;
        const auto a = o->getArray("grounds");
        for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(i));
        return out;
    }
    // Compares with tests/golden/NAME; FBTRACK_UPDATE_GOLDEN=1 rewrites the file instead.
    static void expect_golden(const std::string& name, const std::string& actual) {
        const fs::path path = fs::path(FBTRACK_TEST_FIXTURES).parent_path() / "golden" / name;
        if (std::getenv("FBTRACK_UPDATE_GOLDEN")) {
            fs::create_directories(path.parent_path());
            write_file(path, actual);
            return;
        }
        EXPECT_EQ(actual, read_file(path)) << "golden file " << path << " differs";
    }

    TempDir dir_;
};

const std::string declined_order = "503-2417785-6630118";
const std::string amazon_sentence = "発送を早めるリクエストをすることはできますが、出品者は、そのリクエストに応じる義務を負いません。";

}  // namespace

TEST_F(FeedbackCommand, ADeclinedRequestShippedOnTimeIsContextOnly) {
    const auto o = rating_of(declined_order);
    EXPECT_EQ(o->getValue<std::string>("date"), "2026-10-14");
    EXPECT_EQ(o->getValue<int>("rating"), 1);
    EXPECT_EQ(o->getValue<std::string>("fulfillment"), "merchant");
    EXPECT_TRUE(o->getValue<bool>("expedite_requested"));
    EXPECT_TRUE(o->getValue<bool>("expedite_declined"));
    EXPECT_DOUBLE_EQ(o->getValue<double>("reply_hours"), 10.6);
    EXPECT_EQ(o->getValue<std::string>("ship_by"), "2026-10-11");
    EXPECT_EQ(o->getValue<std::string>("shipped"), "2026-10-11");
    EXPECT_TRUE(o->getValue<bool>("shipped_on_time"));
    EXPECT_TRUE(grounds(o).empty());
    EXPECT_EQ(o->getValue<std::string>("verdict"), "context_only");
    EXPECT_EQ(o->getValue<std::string>("request_by"), "2027-01-12");
    EXPECT_GT(o->getArray("reasons")->size(), 3u);
}

TEST_F(FeedbackCommand, TheOtherSampleRatingsGetTheirGrounds) {
    const auto product = rating_of("249-8830124-5512907");
    EXPECT_EQ(grounds(product), std::vector<std::string>{"product_review"});
    EXPECT_EQ(product->getValue<std::string>("verdict"), "removable");
    const auto phone = rating_of("250-6672019-3381455");
    EXPECT_EQ(grounds(phone), std::vector<std::string>{"personal_info"});
    const auto fba = rating_of("503-9105532-1176240");
    EXPECT_EQ(fba->getValue<std::string>("fulfillment"), "amazon");
    EXPECT_EQ(grounds(fba), std::vector<std::string>{"fba_fulfillment"});
    EXPECT_EQ(fba->getValue<std::string>("verdict"), "strike_through");
}

TEST_F(FeedbackCommand, WithBuyShippingTheDeclinedCaseIsStruckThrough) {
    ASSERT_EQ(fbtrack({"shop", "set", "--buy-shipping", "yes"}).exit_code, 0);
    const auto o = rating_of(declined_order);
    EXPECT_EQ(grounds(o), std::vector<std::string>{"buy_shipping_on_time"});
    EXPECT_EQ(o->getValue<std::string>("verdict"), "strike_through");
}

TEST_F(FeedbackCommand, TheMonthFilterSelectsByRatingDate) {
    const auto r = fbtrack({"feedback", "--json", "--month", "2026-09"});
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_EQ(Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>()->size(), 0u);
    EXPECT_EQ(fbtrack({"feedback", "--month", "2026-13"}).exit_code, 64);
}

TEST_F(FeedbackCommand, TheJapaneseAppealQuotesAmazonVerbatim) {
    const auto r = fbtrack({"appeal", declined_order, "--lang", "ja"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(declined_order), std::string::npos);
    EXPECT_NE(r.out.find(amazon_sentence), std::string::npos);
    for (const char* date : {"2026-10-09", "2026-10-11", "2026-10-14"}) EXPECT_NE(r.out.find(date), std::string::npos) << date;
    EXPECT_NE(r.err.find("文字"), std::string::npos);  // the length, on stderr so it is not pasted
}

TEST_F(FeedbackCommand, DraftsMatchTheirGoldenFiles) {
    for (const std::string& order : {declined_order, std::string("249-8830124-5512907"), std::string("250-6672019-3381455")})
        for (const char* kind : {"removal", "reply", "buyer"})
            for (const char* lang : {"ja", "en"}) {
                const auto r = fbtrack({"--lang", lang, "appeal", order, "--kind", kind});
                ASSERT_EQ(r.exit_code, 0) << r.err;
                expect_golden(order + "-" + kind + "." + lang + ".txt", r.out);
            }
}

TEST_F(FeedbackCommand, NoRemovalDraftWhereNoGroundApplies) {
    write_file(dir_ / "fb.txt", "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n"
                                "2026/10/20\t3\tまあまあでした\t\t503-4723356-2553575\tx@marketplace.amazon.co.jp\n");
    ASSERT_EQ(fbtrack({"import", (dir_ / "fb.txt").string()}).exit_code, 0);
    const auto r = fbtrack({"--lang", "en", "appeal", "503-4723356-2553575"});
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_NE(r.err.find("speculative"), std::string::npos) << r.err;
    EXPECT_EQ(fbtrack({"appeal", "503-4723356-2553575", "--kind", "reply"}).exit_code, 0);
    EXPECT_EQ(fbtrack({"appeal", "111-0000000-0000000"}).exit_code, 66);
}

TEST_F(FeedbackCommand, AppealsWritesEveryOpenCaseAndOutcomesAreRecorded) {
    const auto r = fbtrack({"appeals", "--out", (dir_ / "drafts").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // A jp shop's drafts are Japanese only; --lang en gives the English ones instead.
    EXPECT_TRUE(fs::exists(dir_ / "drafts" / (declined_order + "-removal.ja.txt")));
    EXPECT_TRUE(fs::exists(dir_ / "drafts" / (declined_order + "-buyer.ja.txt")));
    EXPECT_FALSE(fs::exists(dir_ / "drafts" / (declined_order + "-buyer.en.txt")));
    EXPECT_NE(read_file(dir_ / "drafts" / (declined_order + "-removal.ja.txt")).find(amazon_sentence), std::string::npos);
    EXPECT_NE(r.out.find("未決の評価 4 件の文面 12 件を"), std::string::npos) << r.out;
    const auto en = fbtrack({"--lang", "en", "appeals", "--out", (dir_ / "drafts-en").string()});
    ASSERT_EQ(en.exit_code, 0) << en.err;
    EXPECT_TRUE(fs::exists(dir_ / "drafts-en" / (declined_order + "-buyer.en.txt")));
    EXPECT_FALSE(fs::exists(dir_ / "drafts-en" / (declined_order + "-removal.ja.txt")));
    EXPECT_NE(en.out.find("12 drafts for 4 open ratings"), std::string::npos) << en.out;

    ASSERT_EQ(fbtrack({"appeal", "249-8830124-5512907", "--mark", "submitted"}).exit_code, 0);
    ASSERT_EQ(fbtrack({"appeal", "249-8830124-5512907", "--mark", "removed"}).exit_code, 0);
    ASSERT_EQ(fbtrack({"appeal", "250-6672019-3381455", "--mark", "submitted"}).exit_code, 0);
    const auto status = fbtrack({"status", "--json"});
    const auto s = Poco::JSON::Parser().parse(status.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(s->getObject("appeals")->getValue<int>("submitted"), 2);
    EXPECT_EQ(s->getObject("appeals")->getValue<int>("removed"), 1);
    EXPECT_EQ(s->getObject("appeals")->getValue<int>("refused"), 0);
    EXPECT_DOUBLE_EQ(s->getObject("appeals")->getValue<double>("success_rate"), 1.0);
    const auto again = fbtrack({"appeals", "--out", (dir_ / "drafts2").string()});
    EXPECT_NE(again.out.find("未決の評価 3 件の"), std::string::npos) << again.out;  // the removed one is closed
}

TEST_F(FeedbackCommand, AnOrderIsNamedByItsLastDigits) {
    const auto whole = fbtrack({"appeal", "249-8830124-5512907"});
    const auto end = fbtrack({"appeal", "5512907"});
    ASSERT_EQ(end.exit_code, 0) << end.err;
    EXPECT_EQ(end.out, whole.out);
    EXPECT_EQ(fbtrack({"appeal", "5512907", "--mark", "submitted"}).exit_code, 0);
    const auto status = fbtrack({"status", "--json"});
    const auto s = Poco::JSON::Parser().parse(status.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(s->getObject("appeals")->getValue<int>("submitted"), 1);
    // Fewer than 7 digits, or digits that end no order: the command's own "not found".
    EXPECT_EQ(fbtrack({"appeal", "512907"}).exit_code, 66);
    EXPECT_EQ(fbtrack({"appeal", "0000000"}).exit_code, 66);
}

TEST_F(FeedbackCommand, DigitsThatEndSeveralOrdersListThemAndExit64) {
    // Two ratings, one of them of an order whose report was never imported, end in the same digits.
    write_file(dir_ / "fb.txt", "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n"
                                "2026/10/20\t2\t届くのが遅い\t\t111-0000001-7777777\tx@marketplace.amazon.co.jp\n"
                                "2026/10/21\t2\t届くのが遅い\t\t222-0000002-7777777\ty@marketplace.amazon.co.jp\n");
    ASSERT_EQ(fbtrack({"import", (dir_ / "fb.txt").string()}).exit_code, 0);
    const auto r = fbtrack({"appeal", "7777777", "--kind", "reply"});
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_NE(r.err.find("\n  111-0000001-7777777\n  222-0000002-7777777"), std::string::npos) << r.err;
    EXPECT_EQ(fbtrack({"messages", "--order", "7777777"}).exit_code, 64);
    EXPECT_EQ(fbtrack({"appeal", "0000001-7777777", "--kind", "reply"}).exit_code, 66);  // digits only
    // feedback names them whole, as their end names neither alone.
    const auto listed = fbtrack({"--lang", "en", "feedback"});
    EXPECT_NE(listed.out.find("→ draft: fbtrack appeal 111-0000001-7777777 --kind reply\n"), std::string::npos) << listed.out;
}

// An ending shared by many orders (a hostile export's 5,000) lists the first 20 and counts the rest.
TEST_F(FeedbackCommand, DigitsThatEndManyOrdersListTheFirstTwentyAndCountTheRest) {
    std::string rows = "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n";
    for (int i = 100; i < 125; ++i)
        rows += "2026/10/20\t2\t届くのが遅い\t\t" + std::to_string(i) + "-0000001-7777777\tx@marketplace.amazon.co.jp\n";
    write_file(dir_ / "fb.txt", rows);
    ASSERT_EQ(fbtrack({"import", (dir_ / "fb.txt").string()}).exit_code, 0);
    const auto r = fbtrack({"--lang", "en", "appeal", "7777777", "--kind", "reply"});
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_NE(r.err.find("7777777 is the end of 25 orders"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("\n  119-0000001-7777777\n  … and 5 more\n"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("120-0000001-7777777"), std::string::npos) << r.err;
}

TEST_F(FeedbackCommand, FeedbackEndsEachRatingWithTheCommandThatDraftsIt) {
    const auto r = fbtrack({"--lang", "en", "feedback"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("→ draft: fbtrack appeal 5512907\n"), std::string::npos) << r.out;        // removable
    EXPECT_NE(r.out.find("→ draft: fbtrack appeal 6630118 --kind reply\n"), std::string::npos) << r.out;  // context only
    const auto ja = fbtrack({"--lang", "ja", "feedback"});
    EXPECT_NE(ja.out.find("→ 文面：fbtrack appeal 5512907\n"), std::string::npos) << ja.out;
}

TEST_F(FeedbackCommand, AppealSaysWhereTheDraftGoesAndWhichComesFirst) {
    const auto removal = fbtrack({"--lang", "en", "appeal", "5512907"});
    ASSERT_EQ(removal.exit_code, 0) << removal.err;
    EXPECT_NE(removal.err.find("Feedback Manager → Request removal — https://sellercentral.amazon.co.jp/feedback-manager/"),
              std::string::npos) << removal.err;
    EXPECT_NE(removal.err.find("calls for this draft first"), std::string::npos) << removal.err;
    const auto buyer = fbtrack({"--lang", "ja", "appeal", "6630118", "--kind", "buyer"});
    ASSERT_EQ(buyer.exit_code, 0) << buyer.err;
    EXPECT_NE(buyer.err.find("https://sellercentral.amazon.co.jp/orders-v3/order/503-2417785-6630118"), std::string::npos) << buyer.err;
    EXPECT_NE(buyer.err.find("公開コメントが先です：fbtrack appeal 6630118 --kind reply"), std::string::npos) << buyer.err;
    EXPECT_EQ(buyer.out.find("sellercentral"), std::string::npos);  // never in what is pasted
}

TEST_F(FeedbackCommand, AppealCopyHandsTheDraftToTheDesktopsClipboardTool) {
    const fs::path bin = dir_ / "bin";
    fs::create_directories(bin);
    const fs::path copied = dir_ / "copied.txt";
    write_file(bin / "wl-copy", "#!/bin/sh\ncat > '" + copied.string() + "'\n");
    fs::permissions(bin / "wl-copy", fs::perms::owner_all);
    std::vector<std::string> args{"--db", (dir_ / "fbtrack.db").string(), "--today", "2026-10-31", "--lang", "en",
                                  "appeal", "5512907", "--copy"};
    RunOptions with_wayland;
    with_wayland.env = {"PATH=" + bin.string() + ":/usr/bin:/bin", "WAYLAND_DISPLAY=wayland-test", "DISPLAY="};
    const auto r = run_fbtrack(args, with_wayland);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(copied), r.out);  // the draft as printed, and printed still
    EXPECT_NE(r.err.find("The draft is on the clipboard (wl-copy).\n"), std::string::npos) << r.err;

    // Under X, xclip; without a desktop nor a terminal, it says the draft is not on the clipboard.
    fs::rename(bin / "wl-copy", bin / "xclip");
    fs::remove(copied);
    RunOptions with_x;
    with_x.env = {"PATH=" + bin.string() + ":/usr/bin:/bin", "WAYLAND_DISPLAY=", "DISPLAY=:0"};
    const auto x = run_fbtrack(args, with_x);
    ASSERT_EQ(x.exit_code, 0) << x.err;
    EXPECT_EQ(read_file(copied), x.out);
    EXPECT_NE(x.err.find("(xclip)"), std::string::npos) << x.err;
    RunOptions no_desktop;
    no_desktop.env = {"PATH=" + bin.string() + ":/usr/bin:/bin", "WAYLAND_DISPLAY=", "DISPLAY="};
    const auto none = run_fbtrack(args, no_desktop);
    EXPECT_EQ(none.exit_code, 0) << none.err;
    EXPECT_NE(none.err.find("is not on the clipboard"), std::string::npos) << none.err;
    EXPECT_EQ(none.out.find("\x1b]52"), std::string::npos);  // no OSC 52 into a pipe
}

// The outcome the pages' status control sets: the same record as --mark, with "not submitted" to
// take a mistaken click back, and a new submission after a refusal clearing Amazon's old answer.
TEST_F(FeedbackCommand, AnAppealRecordIsTakenBackAndSubmittedAgainAfterARefusal) {
    const auto appeal_of = [&](const std::string& order) { return rating_of(order)->get("appeal"); };
    ASSERT_EQ(fbtrack({"appeal", "5512907", "--mark", "refused"}).exit_code, 0);
    EXPECT_EQ(appeal_of("249-8830124-5512907").extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("outcome"), "refused");
    ASSERT_EQ(fbtrack({"appeal", "5512907", "--mark", "submitted"}).exit_code, 0);
    const auto again = appeal_of("249-8830124-5512907").extract<Poco::JSON::Object::Ptr>();
    EXPECT_TRUE(again->isNull("outcome")) << "a new submission still carried the refusal";
    EXPECT_EQ(again->getValue<std::string>("submitted_on"), "2026-10-31");
    const auto back = fbtrack({"appeal", "5512907", "--mark", "not_submitted"});
    ASSERT_EQ(back.exit_code, 0) << back.err;
    EXPECT_NE(back.out.find("未提出に戻しました"), std::string::npos) << back.out;
    EXPECT_TRUE(appeal_of("249-8830124-5512907").isEmpty()) << "the record was not taken back";
    const auto status = fbtrack({"status", "--json"});
    const auto s = Poco::JSON::Parser().parse(status.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(s->getObject("appeals")->getValue<int>("submitted"), 0);
}
