#include "analysis/MonthlyReport.h"
#include "app/MonthlyReport.h"
#include "catalogue/DataFiles.h"
#include "drafts/DraftWriter.h"
#include "report/Charts.h"
#include "report/HtmlReport.h"

#include "TestSupport.h"
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

using fbtrack::test::sample_shop;
using fbtrack::test::shipped_data;
using namespace fbtrack;

namespace {

class Report : public ::testing::Test {
protected:
    Report() : data_(shipped_data()), jp_(load_marketplace(data_, "jp")), shop_(sample_shop(data_)), store_(":memory:") {
        OrderLine o;
        o.order_id = order_;
        o.purchased_at = "2026-10-09T12:14:05Z";
        o.fulfillment = "merchant";
        o.sku = "SKU";
        store_.upsert(o);
    }
    std::string render(const std::string& comment, const std::string& lang = "ja") {
        store_.upsert(FeedbackEntry{order_, "2026-10-14", 1, comment, std::nullopt});
        const AppContext context{store_, data_, jp_, shop_, lang,
                                 utc_of_local(from_iso_date("2026-10-31"), boost::posix_time::hours(12), jp_.zone), {}};
        const auto report = monthly_report(context, ReportRequest{from_iso_date("2026-10-01"), from_iso_date("2026-10-31")});
        return render_html_report(report, jp_, shop_, data_, lang);
    }
    static std::size_t count(const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    }

    const Catalogue& data_;
    Marketplace jp_;
    ShopSettings shop_;
    Store store_;
    std::string order_ = "503-2417785-6630118";
};

}  // namespace

TEST_F(Report, HasEverySectionAndACardWithItsDrafts) {
    const std::string html = render("箸の長さが思っていたより短かった。");
    for (const char* id : {"id=\"summary\"", "id=\"trend\"", "id=\"ratings\"", "id=\"risk\"", "id=\"outcomes\""})
        EXPECT_NE(html.find(id), std::string::npos) << id;
    EXPECT_EQ(count(html, "<article class=\"card\""), 1u);
    EXPECT_EQ(count(html, "<textarea"), 6u);  // removal, reply, buyer × ja, en
    EXPECT_EQ(count(html, "<script"), 1u);
    EXPECT_NE(html.find("<html lang=\"ja\">"), std::string::npos);
    EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
    EXPECT_EQ(html.find("https://"), std::string::npos);
}

TEST_F(Report, TheCspAllowsExactlyTheInlineStyleAndScript) {
    const std::string html = render("遅い");
    const auto css = data_.text("templates/report.css");
    const auto js = data_.text("templates/report.js");
    EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
    EXPECT_NE(html.find("style-src '" + csp_hash(css) + "'"), std::string::npos);
    EXPECT_NE(html.find("script-src '" + csp_hash(js) + "'"), std::string::npos);
    EXPECT_NE(html.find("<style>" + css + "</style>"), std::string::npos);
    EXPECT_NE(html.find("<script>" + js + "</script>"), std::string::npos);
    EXPECT_EQ(html.find(" style=\""), std::string::npos);  // inline style attributes would be blocked
    EXPECT_EQ(html.find(" onclick="), std::string::npos);
}

TEST_F(Report, CspHashesAreBase64OfSha256) {
    // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
    EXPECT_EQ(csp_hash("alert(1)"), "sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=");
}

TEST_F(Report, BuyerTextIsEscapedEverywhere) {
    const std::string hostile = "<script>alert(1)</script>\"'&</textarea><img src=x>";
    const std::string html = render(hostile);
    EXPECT_EQ(html.find(hostile), std::string::npos);
    EXPECT_EQ(count(html, "<script"), 1u);
    EXPECT_EQ(count(html, "</textarea>"), count(html, "<textarea"));
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;&lt;/textarea&gt;"), std::string::npos);
}

TEST_F(Report, RandomCommentsNeverBecomeMarkup) {
    // Property: whatever a buyer writes, the page keeps its own structure and no raw '<' of the
    // comment survives.
    std::mt19937 random(20261127);
    const std::vector<std::string> pieces = {"<", ">", "&", "\"", "'", "/", "script", "textarea", "=", " ", "発送", "①",
                                             "<!--", "-->", "]]>", "{{", "}}", "\\", "\n", "&amp;", "<svg", "onload"};
    for (int round = 0; round < 40; ++round) {
        std::string comment;
        const int length = 1 + static_cast<int>(random() % 12);
        for (int i = 0; i < length; ++i) comment += pieces[random() % pieces.size()];
        const std::string html = render(comment);
        EXPECT_EQ(count(html, "<script"), 1u) << comment;
        EXPECT_EQ(count(html, "<textarea"), count(html, "</textarea>")) << comment;
        EXPECT_EQ(count(html, "<svg"), 2u) << comment;
        EXPECT_EQ(count(html, "<article"), count(html, "</article>")) << comment;
        if (comment.find('<') != std::string::npos) {
            EXPECT_EQ(html.find(comment), std::string::npos) << comment;
        }
    }
}

TEST_F(Report, SpeaksEnglishWithLangEn) {
    const std::string html = render("slow", "en");
    EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
    EXPECT_NE(html.find("fbtrack monthly report"), std::string::npos);
    EXPECT_NE(html.find("no share of positive ratings is shown"), std::string::npos);
}

TEST_F(Report, TheToDoListLinksToEachOpenRatingsCard) {
    const std::string html = render("箸の長さが思っていたより短かった。");
    const auto todo = html.find("<section id=\"todo\">");
    ASSERT_NE(todo, std::string::npos);
    EXPECT_LT(todo, html.find("<section id=\"summary\">"));  // at the top
    EXPECT_NE(html.find("<a href=\"#case-" + order_ + "\">"), std::string::npos);
    EXPECT_EQ(count(html, "id=\"case-" + order_ + "\""), 1u);
    EXPECT_NE(html.find("削除依頼: 未提出"), std::string::npos);
}

TEST_F(Report, ACardSaysWhereItsRemovalRequestStands) {
    store_.upsert(FeedbackEntry{order_, "2026-10-14", 1, "遅い", std::nullopt});
    store_.feedback().mark_appeal(order_, "submitted", "2026-10-20");
    EXPECT_NE(render("遅い").find("status-submitted\">削除依頼: 提出済み"), std::string::npos);
    store_.feedback().mark_appeal(order_, "refused", "2026-10-25");
    const std::string refused = render("遅い", "en");
    EXPECT_NE(refused.find("status-refused\">Removal request: refused"), std::string::npos);
    // Decided by Amazon: nothing left to do about it.
    EXPECT_EQ(refused.find("<a href=\"#case-" + order_ + "\">"), std::string::npos);
}

TEST_F(Report, TheFirstDraftStandsOpenAndTheOthersWaitBehindADisclosure) {
    const std::string html = render("箸の長さが思っていたより短かった。");
    const auto first = html.find("<div class=\"draft first\">");
    const auto others = html.find("<details class=\"other-drafts\">");
    ASSERT_NE(first, std::string::npos);
    ASSERT_NE(others, std::string::npos);
    EXPECT_LT(first, others);
    EXPECT_EQ(count(html, "<div class=\"draft first\">"), 1u);
    // The removal request in Japanese, before the disclosure; the English behind it.
    EXPECT_NE(html.substr(first, others - first).find("削除依頼 (ja)"), std::string::npos);
    EXPECT_EQ(html.substr(first, others - first).find("(en)"), std::string::npos);
    EXPECT_EQ(count(html.substr(others), "<textarea"), 5u);
}

TEST_F(Report, TextBoxesAreAsTallAsTheirText) {
    const std::string html = render("遅い");
    for (std::size_t at = html.find("<textarea"); at != std::string::npos; at = html.find("<textarea", at + 1)) {
        const auto open_end = html.find('>', at);
        const auto close = html.find("</textarea>", open_end);
        const std::string tag = html.substr(at, open_end - at);
        const std::string text = html.substr(open_end + 1, close - open_end - 1);
        const auto rows_at = tag.find("rows=\"");
        ASSERT_NE(rows_at, std::string::npos) << tag;
        const int rows = std::stoi(tag.substr(rows_at + 6));
        EXPECT_GE(rows, static_cast<int>(count(text, "\n")));  // every line shows
        EXPECT_LE(rows, static_cast<int>(count(text, "\n")) * 3 + 2);
    }
}

TEST(ReportPeriod, WithoutAMonthTheLastCompleteMonth) {
    const auto october = last_complete_month(from_iso_date("2026-11-01"));
    EXPECT_EQ(to_iso_date(october.from), "2026-10-01");
    EXPECT_EQ(to_iso_date(october.to), "2026-10-31");
    EXPECT_EQ(to_iso_date(last_complete_month(from_iso_date("2026-10-31")).to), "2026-09-30");
    const auto december = last_complete_month(from_iso_date("2027-01-15"));
    EXPECT_EQ(to_iso_date(december.from), "2026-12-01");
    EXPECT_EQ(to_iso_date(december.to), "2026-12-31");
    EXPECT_EQ(to_iso_date(last_complete_month(from_iso_date("2028-03-01")).to), "2028-02-29");
    EXPECT_EQ(period_name(october), "2026-10");
    EXPECT_EQ(period_name(ReportRequest{from_iso_date("2026-10-01"), from_iso_date("2026-10-15")}), "2026-10-01_2026-10-15");
}

TEST(ReportPeriod, TheShopsNameMadeSafeAsAFileName) {
    EXPECT_EQ(shop_file_name("さくら雑貨"), "さくら雑貨");
    EXPECT_EQ(shop_file_name("Sakura Goods"), "Sakura Goods");
    EXPECT_EQ(shop_file_name("../../etc/passwd"), "etc_passwd");
    EXPECT_EQ(shop_file_name("a\x1b[2Jb\u202Ec\x07"), "a_[2Jb_c");
    EXPECT_EQ(shop_file_name(".hidden"), "hidden");
    EXPECT_EQ(shop_file_name("-rf"), "rf");
    EXPECT_EQ(shop_file_name("\xff\xfe"), "");
    EXPECT_EQ(shop_file_name("/"), "");
    EXPECT_EQ(shop_file_name(""), "");
    const std::string long_name = shop_file_name(std::string(60, 'x') + std::string("雑貨") + std::string(100, 'y'));
    EXPECT_LE(long_name.size(), 100u);
    EXPECT_EQ(long_name.substr(60, 6), "雑貨");
}

TEST(Charts, TrendChartHasAxesLabelsAndTwelveMonths) {
    std::vector<MonthCount> months;
    for (int m = 1; m <= 12; ++m) months.push_back({"2026-" + std::string(m < 10 ? "0" : "") + std::to_string(m), 100 + m, m % 3, m % 2});
    const std::string svg = trend_chart_svg(months, {"Orders", "Negative <ratings>", "Requests", "orders", "count", "Trend"});
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    EXPECT_NE(svg.find("26-01"), std::string::npos);
    EXPECT_NE(svg.find("26-12"), std::string::npos);
    EXPECT_NE(svg.find("Negative &lt;ratings&gt;"), std::string::npos);
    std::size_t bars = 0;
    for (std::size_t at = svg.find("<rect class=\"orders\""); at != std::string::npos; at = svg.find("<rect class=\"orders\"", at + 1)) ++bars;
    EXPECT_EQ(bars, 12u);
}

namespace {

// The report's figures read from the database by range: each range's edges, in Japan's local time.
class ReportFigures : public ::testing::Test {
protected:
    ReportFigures() : data_(shipped_data()), jp_(load_marketplace(data_, "jp")), shop_(sample_shop(data_)), store_(":memory:") {}
    void order(const std::string& id, const std::string& purchased_at, const std::optional<std::string>& fulfillment) {
        OrderLine o;
        o.order_id = id;
        o.purchased_at = purchased_at;
        o.fulfillment = fulfillment;
        o.status = "Shipped";
        o.sku = "SKU";
        store_.upsert(o);
    }
    void message(const std::string& key, const std::string& order_id, const std::string& sent_at, const std::string& direction) {
        BuyerMessage m;
        m.message_key = key;
        m.order_id = order_id;
        m.sent_at = sent_at;
        m.direction = direction;
        m.buyer_alias = "alias-" + order_id;
        m.source = "mail";
        store_.upsert(m);
    }
    MonthlyReport build(const std::string& from, const std::string& to, const std::string& today) {
        Correlator correlator(store_, jp_, shop_, data_, "en", from_iso_date(today));
        RiskFinder risks(store_, jp_, shop_, data_, "en", from_iso_date(today));
        return build_monthly_report(store_, correlator, risks, jp_, from_iso_date(from), from_iso_date(to), from_iso_date(today));
    }
    static const MonthCount& month(const MonthlyReport& r, const std::string& m) {
        for (const auto& c : r.trend)
            if (c.month == m) return c;
        throw std::runtime_error("no month " + m);
    }

    const Catalogue& data_;
    Marketplace jp_;
    ShopSettings shop_;
    Store store_;
};

}  // namespace

TEST_F(ReportFigures, CountsOrdersByLocalMonthAndThePeriodsByFulfillment) {
    order("A-1", "2026-09-30T14:59:59Z", "merchant");  // 23:59:59 on 30 September in Japan
    order("A-2", "2026-09-30T15:00:00Z", "merchant");  // 00:00 on 1 October
    order("A-3", "2026-10-15T03:00:00Z", "amazon");
    order("A-4", "2026-10-31T14:59:59Z", std::nullopt);
    order("A-5", "2026-10-31T15:00:00Z", "merchant");  // 1 November
    const auto r = build("2026-10-01", "2026-10-31", "2026-11-30");
    EXPECT_EQ(r.orders_merchant, 1);
    EXPECT_EQ(r.orders_amazon, 1);
    EXPECT_EQ(r.orders_unknown, 1);
    ASSERT_EQ(r.trend.size(), 12u);
    EXPECT_EQ(r.trend.front().month, "2025-11");
    EXPECT_EQ(month(r, "2026-09").orders, 1);
    EXPECT_EQ(month(r, "2026-10").orders, 3);
}

TEST_F(ReportFigures, APeriodEndingMidMonthCountsItsOrdersToItsLastDayAndItsMonthsRatings) {
    order("B-1", "2026-10-10T03:00:00Z", "merchant");
    order("B-2", "2026-10-20T03:00:00Z", "merchant");
    store_.upsert(FeedbackEntry{"B-1", "2026-10-14", 1, "bad", std::nullopt});
    store_.upsert(FeedbackEntry{"B-2", "2026-10-25", 2, "bad", std::nullopt});
    const auto r = build("2026-10-01", "2026-10-15", "2026-10-31");
    EXPECT_EQ(r.orders_merchant, 1);
    EXPECT_EQ(month(r, "2026-10").orders, 1);
    EXPECT_EQ(r.negative, 1u);
    EXPECT_EQ(month(r, "2026-10").negative, 2);  // the month's trend holds the later rating too
}

TEST_F(ReportFigures, CountsRatingsOfThePeriodByStars) {
    for (int i = 1; i <= 5; ++i) {
        order("C-" + std::to_string(i), "2026-10-01T03:00:00Z", "merchant");
        store_.upsert(FeedbackEntry{"C-" + std::to_string(i), "2026-10-0" + std::to_string(i + 1), i, "x", std::nullopt});
    }
    store_.upsert(FeedbackEntry{"C-outside", "2026-11-01", 1, "x", std::nullopt});
    const auto r = build("2026-10-01", "2026-10-31", "2026-11-30");
    EXPECT_EQ(r.negative, 2u);
    EXPECT_EQ(r.neutral, 1u);
}

TEST_F(ReportFigures, OdrWindowsCountNegativeRatingsByTheirOrdersLocalPurchaseDate) {
    // today 2026-10-31: the 30-day window starts on 2 October, 00:00 in Japan (1 October 15:00 UTC).
    order("D-1", "2026-10-01T14:59:59Z", "merchant");  // 1 October: in the 60-day window, not the 30
    order("D-2", "2026-10-01T15:00:00Z", "merchant");  // 2 October: in every window
    order("D-3", "2026-10-20T03:00:00Z", "merchant");  // rated 3 stars: not negative
    order("D-4", "2026-10-31T15:00:00Z", "merchant");  // after today
    store_.upsert(FeedbackEntry{"D-1", "2026-10-05", 1, "x", std::nullopt});
    store_.upsert(FeedbackEntry{"D-2", "2026-10-06", 2, "x", std::nullopt});
    store_.upsert(FeedbackEntry{"D-3", "2026-10-25", 3, "x", std::nullopt});
    store_.upsert(FeedbackEntry{"D-4", "2026-10-31", 1, "x", std::nullopt});
    const auto r = build("2026-10-01", "2026-10-31", "2026-10-31");
    ASSERT_EQ(r.odr.size(), 4u);
    EXPECT_EQ(r.odr[0].days, 30);
    EXPECT_EQ(r.odr[0].orders, 2);
    EXPECT_EQ(r.odr[0].negative, 1);
    EXPECT_EQ(r.odr[1].orders, 3);
    EXPECT_EQ(r.odr[1].negative, 2);
    EXPECT_EQ(r.odr[3].negative, 2);
}

TEST_F(ReportFigures, AReplyMoreThanAWeekAfterThePeriodDoesNotCountAsAnAnswer) {
    message("m1", "E-1", "2026-10-10T01:00:00Z", "buyer");
    message("m2", "E-1", "2026-10-10T05:00:00Z", "seller");  // within 24 hours
    message("m3", "E-2", "2026-10-30T01:00:00Z", "buyer");
    message("m4", "E-2", "2026-11-07T15:00:00Z", "seller");  // 8 November in Japan: a day too late
    message("m5", "E-3", "2026-10-30T02:00:00Z", "buyer");
    message("m6", "E-3", "2026-11-07T14:00:00Z", "seller");  // 7 November: late, but counted
    const auto r = build("2026-10-01", "2026-10-31", "2026-11-30");
    EXPECT_EQ(r.replies.buyer_messages, 3u);
    EXPECT_EQ(r.replies.within_24h, 1u);
    EXPECT_EQ(r.replies.later, 1u);
    EXPECT_EQ(r.replies.open_overdue, 1u);
}

TEST(RiskFinder, WarnsAboutRemovalWindowsClosingWithinTwoWeeks) {
    const auto [from, to] = RiskFinder::removal_warning_range(from_iso_date("2026-10-31"));
    EXPECT_EQ(to_iso_date(from), "2026-08-02");  // its 90 days end today
    EXPECT_EQ(to_iso_date(to), "2026-08-16");    // its 90 days end in 14 days
}
