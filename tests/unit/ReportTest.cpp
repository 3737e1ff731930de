#include "analysis/MonthlyReport.h"
#include "core/DataFiles.h"
#include "drafts/DraftWriter.h"
#include "report/Charts.h"
#include "report/HtmlReport.h"

#include <gtest/gtest.h>

#include <random>

using namespace fbtrack;

namespace {

class Report : public ::testing::Test {
protected:
    Report() : data_(find_data_dir()), jp_(load_marketplace(data_, "jp")), shop_(ShopSettings::load(data_)), store_(":memory:") {
        OrderLine o;
        o.order_id = order_;
        o.purchased_at = "2026-10-09T12:14:05Z";
        o.fulfillment = "merchant";
        o.sku = "SKU";
        store_.upsert(o);
    }
    std::string render(const std::string& comment, const std::string& lang = "ja") {
        store_.upsert(FeedbackEntry{order_, "2026-10-14", 1, comment, std::nullopt});
        const Date today = from_iso_date("2026-10-31");
        Correlator correlator(store_, jp_, shop_, data_, lang, today);
        RiskFinder risks(store_, jp_, shop_, data_, lang, today);
        const auto report = build_monthly_report(store_, correlator, risks, jp_, from_iso_date("2026-10-01"),
                                                 from_iso_date("2026-10-31"), today);
        const DraftWriter drafts(data_, jp_, shop_);
        return render_html_report(report, drafts, jp_, shop_, data_, lang);
    }
    static std::size_t count(const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    }

    std::filesystem::path data_;
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
    const auto css = read_text_file(data_ / "templates" / "report.css");
    const auto js = read_text_file(data_ / "templates" / "report.js");
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
