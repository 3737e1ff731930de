#include "analysis/RatingCase.h"
#include "core/DataFiles.h"
#include "drafts/DraftWriter.h"

#include <gtest/gtest.h>

using namespace fbtrack;

namespace {

// A store holding one rated order, built up by each test.
class Verdicts : public ::testing::Test {
protected:
    Verdicts()
        : data_(find_data_dir()), jp_(load_marketplace(data_, "jp")), shop_(ShopSettings::load(data_)), store_(":memory:") {}

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

    std::filesystem::path data_;
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
