#include "analysis/RatingCase.h"
#include "catalogue/DataFiles.h"
#include "drafts/DraftWriter.h"

#include "TestSupport.h"
#include <gtest/gtest.h>

#include <random>

using fbtrack::test::sample_shop;
using fbtrack::test::shipped_data;
using namespace fbtrack;

namespace {

// A store holding one rated order, built up by each test.
class Verdicts : public ::testing::Test {
protected:
    Verdicts()
        : data_(shipped_data()), jp_(load_marketplace(data_, "jp")), shop_(sample_shop(data_)), store_(":memory:") {}

    void order(const std::string& fulfillment = "merchant", bool buy_shipping = false) {
        OrderLine o;
        o.order_id = id_;
        o.purchased_at = "2026-10-09T12:14:05Z";  // 21:14 JST
        o.last_updated_at = "2026-10-09T12:20:00Z";
        o.fulfillment = fulfillment;
        o.buy_shipping = buy_shipping;
        o.sku = "SZ-MUG-01";
        o.ship_by = "2026-10-11T14:59:59Z";  // 2026-10-11 23:59:59 JST
        store_.upsert(o);
    }
    void shipped(const std::string& date) {
        Shipment s;
        s.order_id = id_;
        s.ship_date = date;
        s.carrier_name = "ヤマト運輸";
        s.tracking_number = "1234-5678-9012";
        store_.upsert(s);
    }
    void message(const std::string& at, const std::string& direction, const std::string& label) {
        BuyerMessage m;
        m.message_key = at + direction;
        m.order_id = id_;
        m.sent_at = at;
        m.direction = direction;
        m.buyer_alias = "k3m8x2q7w9r4t1z";
        m.source = "mail";
        m.classification = label;
        store_.upsert(m);
    }
    void declined() {
        message("2026-10-09T13:30:12Z", "buyer", "expedite_request");
        message("2026-10-10T00:05:40Z", "seller", "decline");
    }
    RatingCase rated(const std::string& comment, int stars = 1, const std::string& on = "2026-10-14",
                     const std::string& lang = "en") {
        store_.upsert(FeedbackEntry{id_, on, stars, comment, std::nullopt});
        Correlator correlator(store_, jp_, shop_, data_, lang, from_iso_date("2026-10-31"));
        return *correlator.case_for(id_);
    }

    const Catalogue& data_;
    Marketplace jp_;
    ShopSettings shop_;
    Store store_;
    std::string id_ = "503-2417785-6630118";
};

}  // namespace

TEST_F(Verdicts, ADeclinedRequestShippedOnTimeIsContextOnly) {
    order();
    shipped("2026-10-11");
    declined();
    const auto c = rated("発送が遅すぎる。");
    EXPECT_TRUE(c.expedite_requested);
    EXPECT_TRUE(c.expedite_declined);
    EXPECT_EQ(c.shipped_on_time, true);
    EXPECT_TRUE(c.grounds.empty());
    EXPECT_EQ(c.verdict, "context_only");
    EXPECT_EQ(c.reply_hours, 10.6);
    EXPECT_NE(std::find(c.reasons.begin(), c.reasons.end(), "shipped 2026-10-11, ship-by 2026-10-11: on time"), c.reasons.end());
}

TEST_F(Verdicts, WithBuyShippingTheSameRatingIsStruckThrough) {
    order("merchant", true);
    shipped("2026-10-11");
    declined();
    const auto c = rated("発送が遅すぎる。");
    EXPECT_EQ(c.grounds, std::vector<std::string>{"buy_shipping_on_time"});
    EXPECT_EQ(c.verdict, "strike_through");
}

TEST_F(Verdicts, ALateShipmentIsNeverContext) {
    order("merchant", true);
    shipped("2026-10-12");
    declined();
    const auto c = rated("発送が遅すぎる。");
    EXPECT_EQ(c.shipped_on_time, false);
    EXPECT_TRUE(c.grounds.empty());  // not on time, so no Buy Shipping ground either
    EXPECT_EQ(c.verdict, "none");
}

TEST_F(Verdicts, AnAcceptedRequestIsNotContext) {
    order();
    shipped("2026-10-11");
    message("2026-10-09T13:30:12Z", "buyer", "expedite_request");
    message("2026-10-10T00:05:40Z", "seller", "acceptance");
    const auto c = rated("発送が遅すぎる。");
    EXPECT_TRUE(c.expedite_accepted);
    EXPECT_FALSE(c.expedite_declined);
    EXPECT_EQ(c.verdict, "none");
}

TEST_F(Verdicts, UnknownShipByMeansUnknownOnTime) {
    OrderLine o;
    o.order_id = id_;
    o.purchased_at = "2026-10-09T12:14:05Z";
    store_.upsert(o);
    shipped("2026-10-11");
    declined();
    const auto c = rated("発送が遅い");
    EXPECT_FALSE(c.shipped_on_time.has_value());
    EXPECT_EQ(c.verdict, "none");  // the on-time shipment cannot be shown
}

TEST_F(Verdicts, AProductOnlyCommentIsAProductReview) {
    order();
    const auto c = rated("箸の長さが思っていたより短かった。", 2);
    EXPECT_EQ(c.grounds, std::vector<std::string>{"product_review"});
    EXPECT_EQ(c.verdict, "removable");
}

TEST_F(Verdicts, AMixedCommentIsNotAProductReview) {
    order();
    const auto c = rated("サイズが小さいうえに、届くのも遅かった。", 2);
    EXPECT_TRUE(c.topics.product);
    EXPECT_TRUE(c.topics.delivery);
    EXPECT_TRUE(c.grounds.empty());
    EXPECT_EQ(c.verdict, "none");
}

TEST_F(Verdicts, PhoneNumbersEmailsAndStaffNamesArePersonalInformation) {
    order();
    EXPECT_EQ(rated("対応が悪い。担当者に電話してください 090-1234-5678").grounds, std::vector<std::string>{"personal_info"});
    EXPECT_EQ(rated("Call me at (555) 123-4567").grounds, std::vector<std::string>{"personal_info"});
    EXPECT_EQ(rated("連絡先 ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ").grounds, std::vector<std::string>{"personal_info"});
    EXPECT_EQ(rated("田中さんの対応が最悪").grounds, std::vector<std::string>{"personal_info"});  // shop.json lists 田中
    EXPECT_TRUE(rated("注文番号 503-2417785-6630118 の件").grounds.empty());  // an order ID is no phone number
}

TEST_F(Verdicts, ObsceneWordsAreAGround) {
    order();
    const auto c = rated("This seller is shit.");
    EXPECT_NE(std::find(c.grounds.begin(), c.grounds.end(), "obscene"), c.grounds.end());
    EXPECT_EQ(c.verdict, "removable");
}

TEST_F(Verdicts, AnFbaDeliveryComplaintIsStruckThrough) {
    order("amazon");
    const auto c = rated("届くのが遅かった", 2);
    EXPECT_EQ(c.fulfillment(), "amazon");
    EXPECT_EQ(c.grounds, std::vector<std::string>{"fba_fulfillment"});
    EXPECT_EQ(c.verdict, "strike_through");
}

TEST_F(Verdicts, RequestsAfterTheRatingDoNotCount) {
    order();
    shipped("2026-10-11");
    message("2026-10-20T01:00:00Z", "buyer", "expedite_request");
    const auto c = rated("発送が遅い");
    EXPECT_FALSE(c.expedite_requested);
}

TEST_F(Verdicts, DeadlinesCountFromTheRatingAndTheOrder) {
    order();
    const auto c = rated("遅い", 1, "2026-10-14");
    EXPECT_EQ(to_iso_date(c.request_by), "2027-01-12");
    EXPECT_EQ(c.days_left_to_request, 73);  // from 2026-10-31
    EXPECT_EQ(to_iso_date(*c.odr_window_ends), "2026-12-08");  // ordered 2026-10-09 JST
}

TEST_F(Verdicts, TheTimelineRunsFromOrderToRating) {
    order();
    shipped("2026-10-11");
    declined();
    const auto c = rated("遅い");
    std::vector<std::string> events;
    for (const auto& e : c.timeline) events.push_back(e.event);
    EXPECT_EQ(events, (std::vector<std::string>{"ordered", "expedite_request", "reply", "ship_by", "shipped", "rated"}));
    EXPECT_EQ(c.timeline.front().when, "2026-10-09 21:14");
}

TEST_F(Verdicts, DraftsNeverRepeatPersonalDataAndNeverOfferAnything) {
    order();
    const auto c = rated("対応が悪い。担当者に電話してください 090-1234-5678");
    const DraftWriter writer(data_, jp_, shop_);
    for (const auto& kind : DraftWriter::kinds())
        for (const char* lang : {"ja", "en"}) {
            const auto d = writer.write(c, kind, lang);
            EXPECT_EQ(d.text.find("090-1234-5678"), std::string::npos) << kind << lang;
            EXPECT_EQ(d.characters, count_characters(d.text));
            EXPECT_LT(d.characters, 2000u);
        }
    EXPECT_NE(writer.write(c, "removal", "ja").text.find("[電話番号]"), std::string::npos);
}

TEST_F(Verdicts, TheLintRefusesIncentivesAndPersonalData) {
    const DraftWriter writer(data_, jp_, shop_);
    EXPECT_THROW(writer.lint("評価を削除していただければ全額返金いたします。", {}, "buyer"), DraftLintError);
    EXPECT_THROW(writer.lint("We will send you a coupon.", {}, "buyer"), DraftLintError);
    EXPECT_THROW(writer.lint("Contact jane@example.com", {}, "reply"), DraftLintError);
    EXPECT_NO_THROW(writer.lint("ご注文は期限内に発送いたしました。", {}, "reply"));
    // Amazon's own words and the buyer's comment are quoted, not offered.
    EXPECT_NO_THROW(writer.lint("「必ず対応しなければ」 「返金して」", {"「必ず対応しなければ」", "「返金して」"}, "removal"));
    try {
        writer.lint("返金とクーポンを差し上げます", {}, "buyer");
    } catch (const DraftLintError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("返金"), std::string::npos);
        EXPECT_NE(m.find("クーポン"), std::string::npos);
        EXPECT_NE(m.find("data/templates"), std::string::npos);
    }
}

TEST_F(Verdicts, NoRemovalDraftWithoutAGroundOrContext) {
    order();
    const auto c = rated("残念でした");
    EXPECT_EQ(c.verdict, "none");
    EXPECT_FALSE(DraftWriter::applies(c, "removal"));
    EXPECT_TRUE(DraftWriter::applies(c, "reply"));
    EXPECT_TRUE(DraftWriter::applies(c, "buyer"));
}

// ---- Issue 13: a comment can never leave its quotation marks ----

namespace {

// Code points that must never reach a draft: they break its lines or hide what it says.
bool breaks_or_hides(char32_t cp) {
    return (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
           cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

// The code points of well-formed UTF-8; a malformed byte yields 0xFFFF, which breaks_or_hides refuses.
std::vector<char32_t> decode(const std::string& s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) {
            out.push_back(0xFFFF);
            ++i;
            continue;
        }
        char32_t cp = len == 1 ? b : b & (0x7Fu >> len);
        for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
        out.push_back(cp);
        i += len;
    }
    return out;
}

std::string quote_opener(const std::string& lang) { return lang == "ja" ? "評価のコメント：「" : "Comment: \""; }

}  // namespace

TEST(QuotableComment, EveryLineOrParagraphSeparatorBecomesOneSpace) {
    for (const std::string sep : {"\n", "\r", "\r\n", "\v", "\f", "\xC2\x85", "\u2028", "\u2029", "\n\n\r\n\u2028"})
        EXPECT_EQ(quotable_comment("遅い" + sep + "・返金します", "ja"), "遅い ・返金します") << static_cast<unsigned>(decode(sep).front());
    EXPECT_EQ(quotable_comment("\n\nlate\n\n", "en"), "late");
    EXPECT_EQ(quotable_comment("late \n box", "en"), "late box");
}

TEST(QuotableComment, HiddenCharactersAreDroppedBehindOneVisibleMarkerInTheDraftsLanguage) {
    EXPECT_EQ(quotable_comment("abc\u202Efed\u202C", "en"), "abc[removed]fed[removed]");
    EXPECT_EQ(quotable_comment("遅\u200B\u200D\uFEFFい", "ja"), "遅〔削除〕い");
    EXPECT_EQ(quotable_comment("a\x1B[2Jb", "en"), "a[removed][2Jb");
    for (const std::string hidden : {"\u2066", "\u2069", "\u200E", "\u200F", "\u202A", "\xC2\x9B", "\x7F", "\x01",
                                     "\uFFFE", "\uFFFF"})
        EXPECT_EQ(quotable_comment("a" + hidden + "b", "en"), "a[removed]b") << std::hex << static_cast<unsigned>(decode(hidden).front());
    EXPECT_EQ(quotable_comment("箱が潰れていた", "ja"), "箱が潰れていた");  // ordinary text is untouched
}

TEST(QuotableComment, InvalidUtf8BecomesReplacementCharactersAndTheRestSurvives) {
    EXPECT_EQ(quotable_comment("a\xFF" "b", "en"), "a\uFFFD" "b");
    EXPECT_EQ(quotable_comment("a\xE3\x81", "en"), "a\uFFFD");                       // cut short
    EXPECT_EQ(quotable_comment("a\xC0\xAF" "b", "en"), "a\uFFFD\uFFFD" "b");          // overlong
    EXPECT_EQ(quotable_comment("a\xED\xA0\x80" "b", "en"), "a\uFFFD\uFFFD\uFFFD" "b");  // a surrogate
    EXPECT_EQ(quotable_comment("\xE3\x81" "あ", "ja"), "\uFFFD" "あ");  // the bad prefix never eats the next character
}

TEST(QuotableComment, A64KiBCommentOfAnyCharacterClassTakesWellUnderASecond) {
    for (const std::string unit : {"a", "\n", "\u2028", "あ", "\u202E", "\xFF", "\r\n"}) {
        std::string comment;
        while (comment.size() + unit.size() <= 65536) comment += unit;
        // No timer (machines are noisy): a pass that is not linear would not end within the test's time.
        const std::string quoted = quotable_comment(comment, "ja");
        EXPECT_EQ(quoted.find('\n'), std::string::npos);
    }
}

TEST_F(Verdicts, AnInjectedBulletStaysInsideTheQuoteAndTheLintLooksEverywhereElse) {
    order();
    shipped("2026-10-11");
    declined();
    const auto c = rated("遅い\n・当店は返金とクーポンをお約束しますので評価を削除してください。");
    const DraftWriter writer(data_, jp_, shop_);
    const auto d = writer.write(c, "removal", "ja");
    EXPECT_NE(d.text.find("評価のコメント：「遅い ・当店は返金とクーポンをお約束しますので評価を削除してください。」\n"),
              std::string::npos)
        << d.text;
    EXPECT_EQ(d.text.find("\n・当店は"), std::string::npos);
}

TEST_F(Verdicts, TheCommentsExemptionCoversOnlyItsQuoteNotTheSameWordsElsewhere) {
    // The shop's own name holds a forbidden word; a comment repeating it must not hide it from the lint.
    shop_.shop_name = "返金堂";
    order();
    shipped("2026-10-11");
    declined();
    const auto c = rated("返金堂");
    const DraftWriter writer(data_, jp_, shop_);
    try {
        writer.write(c, "removal", "ja");
        ADD_FAILURE() << "the shop name's forbidden word went unchecked";
    } catch (const DraftLintError& e) {
        EXPECT_NE(std::string(e.what()).find("返金"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find(id_), std::string::npos) << "the failure does not name the order";
        EXPECT_NE(std::string(e.what()).find("shop name"), std::string::npos) << "the template is blamed: " << e.what();
    }
}

TEST_F(Verdicts, NoRandomMixOfSeparatorsControlsBidiAndBulletsPutsCommentTextOutsideTheQuote) {
    order();
    shipped("2026-10-11");
    declined();
    const DraftWriter writer(data_, jp_, shop_);
    const std::vector<std::string> invisible = {"\n",     "\r\n",   "\r",     "\u2028",   "\u2029", "\xC2\x85",
                                                "\v",     "\f",     "\t",     "\x1B",     "\u202E", "\u2066",
                                                "\u200B", "\uFEFF", "\u200F", "\xC2\x9B", "\x7F",   "\xFF"};
    // Visible text a buyer could pass off as the seller's; none of it is in any template.
    const std::vector<std::string> visible = {"・当店は返金とクーポンをお約束します", "・評価を消してくれたら返金",
                                              "- We promise a refund", "* Remove this rating", "箱が潰れていた",
                                              "ylno sdrow"};
    std::mt19937 random(13);
    for (int n = 0; n < 200; ++n) {
        std::string comment;
        std::vector<std::string> used;
        const int length = 2 + static_cast<int>(random() % 10);
        for (int i = 0; i < length; ++i) {
            if (random() % 2) {
                comment += invisible[random() % invisible.size()];
            } else {
                used.push_back(visible[random() % visible.size()]);
                comment += used.back();
            }
        }
        const auto c = rated(comment);
        for (const auto& kind : DraftWriter::kinds()) {
            if (!DraftWriter::applies(c, kind)) continue;
            for (const std::string lang : {"ja", "en"}) {
                const auto d = writer.write(c, kind, lang);
                for (char32_t cp : decode(d.text)) ASSERT_FALSE(breaks_or_hides(cp)) << "comment #" << n << ": U+" << std::hex << static_cast<unsigned>(cp);
                std::size_t from = 0;
                for (std::size_t at; (at = d.text.find('\n', from)) != std::string::npos; from = at + 1) {
                    const std::string line = d.text.substr(from, at - from);
                    if (line.rfind(quote_opener(lang), 0) == 0) {
                        const std::string close = lang == "ja" ? "」" : "\"";
                        EXPECT_EQ(line.substr(line.size() - close.size()), close) << "comment #" << n;
                        continue;
                    }
                    for (const auto& text : used)
                        ASSERT_EQ(line.find(text), std::string::npos)
                            << "comment #" << n << ", " << kind << "." << lang << ": '" << text << "' outside the quote: " << line;
                }
            }
        }
    }
}
