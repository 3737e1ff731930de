// End-to-end: the shop calendar, the risks it creates, and the answers careful sellers send.
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdlib>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

// Each test works on its own copy of data/, so that calendar edits stay in the test.
class CalendarRisk : public ::testing::Test {
protected:
    void SetUp() override {
        fs::copy(fs::path(FBTRACK_SOURCE_DATA_DIR), dir_ / "data", fs::copy_options::recursive);
        ::setenv("FBTRACK_DATA", (dir_ / "data").c_str(), 1);
    }
    void TearDown() override { ::unsetenv("FBTRACK_DATA"); }
    RunResult fbtrack(std::vector<std::string> args, const std::string& today = "2026-11-21") {
        args.insert(args.begin(), {"--db", (dir_ / "fbtrack.db").string(), "--marketplace", "jp", "--today", today});
        return run_fbtrack(args);
    }
    Poco::JSON::Array::Ptr json(const std::vector<std::string>& args, const std::string& today = "2026-11-21") {
        const auto r = fbtrack(args, today);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>();
    }
    // A Saturday order, still unshipped, and a buyer who asked to ship faster and was declined.
    void import_saturday_order() {
        write_file(dir_ / "orders.txt",
                   "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsku\tquantity\n"
                   "503-1111111-2222222\t2026-11-21T10:00:00+09:00\t2026-11-21T10:00:05+09:00\tPending\tMerchant\tSZ-MUG-01\t1\n"
                   "503-3333333-4444444\t2026-11-20T09:00:00+09:00\t2026-11-20T09:00:05+09:00\tPending\tMerchant\tSZ-TNG-02\t1\n");
        write_file(dir_ / "log.csv", "order_id,sent_at,direction,subject,body\n"
                                     "503-3333333-4444444,2026-11-20 12:00,buyer,発送を早めることについてのお問い合わせ,明日までに届けてほしいです\n"
                                     "503-3333333-4444444,2026-11-20 15:00,seller,Re,申し訳ございませんが、ご希望に沿えず発送を早めることはいたしかねます\n");
        ASSERT_EQ(fbtrack({"init", "--name", "さくら雑貨"}).exit_code, 0);
        const auto r = fbtrack({"import", (dir_ / "orders.txt").string(), (dir_ / "log.csv").string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    Poco::JSON::Object::Ptr risk_of(const Poco::JSON::Array::Ptr& list, const std::string& kind, const std::string& order) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto o = list->getObject(i);
            if (o->getValue<std::string>("kind") == kind && !o->isNull("order_id") &&
                o->getValue<std::string>("order_id") == order)
                return o;
        }
        return nullptr;
    }

    TempDir dir_;
};

}  // namespace

TEST_F(CalendarRisk, TheCalendarListsThe18HolidaysAndTheShopsOwnClosedDays) {
    const auto days = json({"calendar", "--year", "2026", "--json"});
    std::size_t holidays = 0, sundays = 0, year_end = 0;
    for (std::size_t i = 0; i < days->size(); ++i) {
        const auto d = days->getObject(i);
        if (!d->isNull("holiday")) ++holidays;
        if (d->getValue<std::string>("weekday") == "sunday") ++sundays;
        const auto reasons = d->getArray("reasons");
        for (std::size_t k = 0; k < reasons->size(); ++k)
            if (reasons->getElement<std::string>(k).find("年末年始") != std::string::npos) ++year_end;
        EXPECT_TRUE(d->getValue<bool>("closed"));
    }
    EXPECT_EQ(holidays, 18u);
    EXPECT_EQ(sundays, 52u);
    EXPECT_EQ(year_end, 3u);  // 2026-12-29 to 12-31 (the range runs on into 2027)
}

// The calendar commands edit the shop's own settings, in its database: the data folder (the
// shipped example) stays as it was.
TEST_F(CalendarRisk, CalendarCommandsEditTheShopSettings) {
    const std::string shipped = read_file(dir_ / "data" / "shop.json");
    ASSERT_EQ(fbtrack({"calendar", "set", "--closed-weekdays", "sun,sat", "--handling-days", "3", "--reply-hours", "10:00-17:00"}).exit_code, 0);
    ASSERT_EQ(fbtrack({"calendar", "add", "2026-08-13", "2026-08-16", "--label", "お盆"}).exit_code, 0);
    const auto shown = fbtrack({"shop", "show", "--json"});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    const std::string shop = shown.out;
    EXPECT_NE(shop.find("\"saturday\""), std::string::npos);
    EXPECT_NE(shop.find("お盆"), std::string::npos);
    EXPECT_EQ(read_file(dir_ / "data" / "shop.json"), shipped) << "the calendar wrote into the data folder";
    const auto settings = Poco::JSON::Parser().parse(shop).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(settings->getValue<int>("handling_days"), 3);
    EXPECT_EQ(settings->getObject("reply_hours")->getValue<std::string>("from"), "10:00");
    const auto days = json({"calendar", "--year", "2026", "--json"});
    bool obon = false;
    for (std::size_t i = 0; i < days->size(); ++i)
        if (days->getObject(i)->getValue<std::string>("date") == "2026-08-14") obon = true;
    EXPECT_TRUE(obon);
    ASSERT_EQ(fbtrack({"calendar", "remove", "お盆"}).exit_code, 0);
    EXPECT_EQ(fbtrack({"shop", "show", "--json"}).out.find("お盆"), std::string::npos);
    EXPECT_EQ(fbtrack({"calendar", "remove", "お盆"}).exit_code, 64);
    EXPECT_EQ(fbtrack({"calendar", "add", "2026-08-16", "2026-08-13", "--label", "x"}).exit_code, 64);
    EXPECT_EQ(fbtrack({"calendar", "set", "--closed-weekdays", "someday"}).exit_code, 64);
}

TEST_F(CalendarRisk, ASaturdayOrderBeforeClosedSundayAndHolidayGetsAProactiveNotice) {
    import_saturday_order();
    const auto risks = json({"risk", "--json"});
    const auto closed = risk_of(risks, "closed_days", "503-1111111-2222222");
    ASSERT_TRUE(closed) << "no closed_days risk";
    EXPECT_EQ(closed->getValue<std::string>("due"), "2026-11-21");  // tell the buyer today, before Sunday
    const std::string draft = closed->getValue<std::string>("draft");
    EXPECT_NE(draft.find("2026-11-22"), std::string::npos) << draft;
    EXPECT_NE(draft.find("2026-11-23"), std::string::npos) << draft;
    EXPECT_NE(draft.find("勤労感謝の日"), std::string::npos) << draft;
    EXPECT_NE(draft.find("2026-11-25"), std::string::npos) << draft;  // the estimated ship-by date
}

TEST_F(CalendarRisk, ADeclinedRequestWithoutRatingGetsAFollowUpDraft) {
    import_saturday_order();
    const auto risks = json({"risk", "--json"});
    const auto follow = risk_of(risks, "expedite_no_rating", "503-3333333-4444444");
    ASSERT_TRUE(follow);
    EXPECT_EQ(follow->getValue<std::string>("due"), "2027-02-18");  // 90 days from the order
    const std::string draft = follow->getValue<std::string>("draft");
    EXPECT_NE(draft.find("お応えできず"), std::string::npos) << draft;
    EXPECT_NE(draft.find("2026-11-24"), std::string::npos) << draft;  // Friday order: Sat, then Tue after Sun + holiday
    for (const char* forbidden : {"返金", "クーポン"}) EXPECT_EQ(draft.find(forbidden), std::string::npos);
}

TEST_F(CalendarRisk, ExpediteRepliesNameTheShipByDateAndTheClosure) {
    import_saturday_order();
    const auto decline = fbtrack({"expedite", "reply", "503-1111111-2222222"});
    ASSERT_EQ(decline.exit_code, 0) << decline.err;
    EXPECT_NE(decline.out.find("2026-11-25までに発送"), std::string::npos) << decline.out;
    EXPECT_NE(decline.out.find("2026-11-22から2026-11-23まで"), std::string::npos) << decline.out;
    EXPECT_NE(decline.err.find("推定"), std::string::npos);
    const auto accept = fbtrack({"--lang", "en", "expedite", "reply", "503-1111111-2222222", "--accept"}, "2026-11-22");
    ASSERT_EQ(accept.exit_code, 0) << accept.err;
    EXPECT_NE(accept.out.find("We will ship your order on 2026-11-24"), std::string::npos) << accept.out;
    EXPECT_EQ(fbtrack({"expedite", "reply", "111-0000000-0000000"}).exit_code, 66);
}

TEST_F(CalendarRisk, TheReportShowsTheSameRisks) {
    import_saturday_order();
    const auto r = fbtrack({"report", "--month", "2026-11", "--out", (dir_ / "r.html").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string html = read_file(dir_ / "r.html");
    EXPECT_NE(html.find("休業日をまたぐ発送期限"), std::string::npos);
    EXPECT_NE(html.find("503-1111111-2222222"), std::string::npos);
    EXPECT_NE(html.find("依頼後まだ評価なし"), std::string::npos);
}
