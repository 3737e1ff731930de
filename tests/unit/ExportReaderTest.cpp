#include "TestSupport.h"
#include "catalogue/DataFiles.h"
#include "core/Errors.h"
#include "importers/ExportReader.h"

#include <gtest/gtest.h>

using fbtrack::test::shipped_data;
using namespace fbtrack;
using fbtrack::test::TempDir;
using fbtrack::test::to_cp932;
using fbtrack::test::write_file;

namespace {

class ExportReaderTest : public ::testing::Test {
protected:
    ExportReaderTest()
        : catalog_(LayoutCatalog::load(shipped_data())),
          jp_(load_marketplace(shipped_data(), "jp")),
          us_(load_marketplace(shipped_data(), "us")) {}

    struct Result {
        std::string layout;
        std::vector<Record> records;
        std::vector<RowProblem> problems;
    };
    Result read(const std::filesystem::path& p, const Marketplace& m, std::optional<ImportKind> kind = {}) {
        ExportReader reader(p, catalog_, kind, m);
        Result r;
        r.layout = reader.layout().name;
        ImportedRow row;
        while (reader.next(row)) {
            if (row.record) r.records.push_back(*row.record);
            if (row.problem) r.problems.push_back(*row.problem);
        }
        return r;
    }
    Result read_bytes(const std::string& bytes, const Marketplace& m, std::optional<ImportKind> kind = {}) {
        write_file(dir_ / "f.txt", bytes);
        return read(dir_ / "f.txt", m, kind);
    }

    TempDir dir_;
    LayoutCatalog catalog_;
    Marketplace jp_, us_;
};

const std::string unshipped_header =
    "order-id\torder-item-id\tpurchase-date\tpayments-date\treporting-date\tpromise-date\tdays-past-promise\t"
    "buyer-email\tbuyer-name\tbuyer-phone-number\tsku\tproduct-name\tquantity-purchased\tship-service-level\t"
    "recipient-name\tship-address-1\tship-city\tship-state\tship-postal-code\tship-country\tis-prime\n";

}  // namespace

TEST_F(ExportReaderTest, ReadsBothRealAllOrdersLayouts) {
    REQUIRE_SHARED_SAMPLES();
    const auto old_layout = read(test::shared_samples() / "jp_all_orders_by_order_date_2022-10_cp932_excerpt.txt", jp_);
    const auto new_layout = read(test::shared_samples() / "jp_all_orders_by_order_date_2023-04_cp932_excerpt.txt", jp_);
    EXPECT_EQ(old_layout.layout, "all-orders");
    EXPECT_EQ(new_layout.layout, "all-orders");
    EXPECT_EQ(old_layout.records.size(), 15u);
    EXPECT_EQ(new_layout.records.size(), 15u);
    EXPECT_TRUE(old_layout.problems.empty());
    EXPECT_TRUE(new_layout.problems.empty());

    const auto& first = std::get<OrderLine>(old_layout.records.front());
    EXPECT_EQ(first.order_id, "250-7384857-6069418");
    EXPECT_EQ(first.purchased_at, "2022-10-29T18:00:54Z");
    EXPECT_EQ(first.fulfillment, "amazon");
    EXPECT_EQ(first.ship_state, "宮城県");
    EXPECT_EQ(first.product_name.value().rfind("【Smart-KM】S017 網タイツ", 0), 0u);

    const auto& merchant = std::get<OrderLine>(new_layout.records.front());
    EXPECT_EQ(merchant.fulfillment, "merchant");
    EXPECT_EQ(merchant.buy_shipping, true);
    EXPECT_EQ(merchant.ssa_carrier, "郵便局");
    EXPECT_NE(merchant.product_name.value().find("（2012, 2013, 2015,2016バージョン全適応）"), std::string::npos);
}

TEST_F(ExportReaderTest, RecognisesRealUnshippedHeadersAsAnEmptyMonth) {
    REQUIRE_SHARED_SAMPLES();
    for (const char* name : {"jp_unshipped_orders_2022-10_cp932_header_only.txt", "jp_unshipped_orders_2023-04_cp932_header_only.txt"}) {
        const auto r = read(test::shared_samples() / name, jp_);
        EXPECT_EQ(r.layout, "unshipped") << name;
        EXPECT_TRUE(r.records.empty());
    }
}

TEST_F(ExportReaderTest, TakesShipByFromUnshippedPromiseDateAndNeverPersonalColumns) {
    const auto r = read_bytes(to_cp932(unshipped_header +
                                       "503-2417785-6630118\t12345678901234\t2026-10-09T12:14:05+00:00\t\t\t"
                                       "2026-10-12T14:59:59+00:00\t-2\tabc@marketplace.amazon.co.jp\t山田 太郎\t"
                                       "090-1111-2222\tSZ-MUG-01\tマグカップ\t1\tStandard\t山田 太郎\t本町1-2-3\t金沢市\t石川県\t"
                                       "920-0000\tJP\tfalse\n"),
                              jp_);
    EXPECT_EQ(r.layout, "unshipped");
    ASSERT_EQ(r.records.size(), 1u);
    const auto& o = std::get<OrderLine>(r.records[0]);
    EXPECT_EQ(o.ship_by, "2026-10-12T14:59:59Z");
    EXPECT_EQ(o.fulfillment, "merchant");
    EXPECT_EQ(o.order_item_id, "12345678901234");
    EXPECT_EQ(o.ship_state, "石川県");
}

TEST_F(ExportReaderTest, BlanksPersonalColumnsInRejectedRows) {
    const auto r = read_bytes(unshipped_header +
                                  "503-2417785-6630118\t12345678901234\t2026-02-30T12:14:05+00:00\t\t\t"
                                  "2026-10-12T14:59:59+00:00\t-2\tabc@example.com\tTaro Yamada\t090-1111-2222\t"
                                  "SKU\tMug\t1\tStandard\tTaro Yamada\t1-2-3 Honmachi\tKanazawa\tIshikawa\t920-0000\tJP\tfalse\n",
                              jp_);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(r.problems[0].reason.find("purchase-date"), std::string::npos) << r.problems[0].reason;
    EXPECT_NE(r.problems[0].reason.find("2026-02-30"), std::string::npos);
    for (const char* personal : {"abc@example.com", "Taro Yamada", "090-1111-2222", "1-2-3 Honmachi", "Kanazawa", "920-0000"})
        EXPECT_EQ(r.problems[0].text.find(personal), std::string::npos) << personal;
    EXPECT_NE(r.problems[0].text.find("Ishikawa"), std::string::npos);  // the prefecture stays
}

TEST_F(ExportReaderTest, ReadsTheJapaneseShippingTemplateWithThreeHeaderRows) {
    const auto r = read_bytes(
        to_cp932("TemplateType=OrderFulfillment\tVersion=2011.1102\tこの行はAmazonが使用しますので変更や削除しないでください。\n"
                 "注文番号\t注文商品番号\t出荷数\t出荷日\t配送業者コード\t配送業者名\tお問い合わせ伝票番号\t配送方法\t代金引換\n"
                 "order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\ttracking-number\tship-method\tcod-collection-method\n"
                 "503-2417785-6630118\t\t1\t2026-10-11\tOther\tヤマト運輸\t1234-5678-9012\t宅配便\t\n"),
        jp_);
    EXPECT_EQ(r.layout, "shipping-confirmation");
    ASSERT_EQ(r.records.size(), 1u);
    const auto& s = std::get<Shipment>(r.records[0]);
    EXPECT_EQ(s.ship_date, "2026-10-11");
    EXPECT_EQ(s.carrier_name, "ヤマト運輸");
    EXPECT_EQ(s.tracking_number, "1234-5678-9012");
    EXPECT_FALSE(s.order_item_id);
}

TEST_F(ExportReaderTest, ReadsTheMinimalShippingConfirmationWithAFullTimestamp) {
    const auto r = read_bytes("order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\ttracking-number\tship-method\n"
                              "111-1234567-1234567\t12345678901234\t1\t2026-10-11T20:00:00-07:00\tUSPS\t\t9400\tPriority\n",
                              us_);
    ASSERT_EQ(r.records.size(), 1u);
    EXPECT_EQ(std::get<Shipment>(r.records[0]).ship_date, "2026-10-11");  // the US seller's day
}

TEST_F(ExportReaderTest, RecognisesTheFeedbackReportByShapeWhateverTheHeaderLanguage) {
    const auto r = read_bytes(to_cp932("日付\t評価\tコメント\t回答\t注文番号\tメール\n"
                                       "2026/10/14\t1\t発送が遅い\t\t503-2417785-6630118\tx@marketplace.amazon.co.jp\n"),
                              jp_);
    EXPECT_EQ(r.layout, "feedback");
    ASSERT_EQ(r.records.size(), 1u);
    const auto& f = std::get<FeedbackEntry>(r.records[0]);
    EXPECT_EQ(f.rated_on, "2026-10-14");
    EXPECT_EQ(f.rating, 1);
    EXPECT_EQ(f.comment, "発送が遅い");
}

TEST_F(ExportReaderTest, ReadsTheLegacyNineColumnFeedbackLayout) {
    const auto r = read_bytes("Date\tRating\tComments\tYour Response\tArrived on Time\tItem as Described\tCustomer Service\tOrder ID\tRater Email\n"
                              "10/2/23\t2\tslow\t\tNo\tYes\tNo\t111-1234567-1234567\tabc@marketplace.amazon.com\n",
                              us_);
    EXPECT_EQ(r.layout, "feedback-legacy");
    ASSERT_EQ(r.records.size(), 1u);
    EXPECT_EQ(std::get<FeedbackEntry>(r.records[0]).rated_on, "2023-10-02");
}

TEST_F(ExportReaderTest, RejectsTheSyntheticRowsOfThePublicFeedbackFixture) {
    REQUIRE_SHARED_SAMPLES();
    // Its header is the real US header; its rows repeat header words, so they are not ratings.
    const auto r = read(test::shared_samples() / "airbyte_fixture_GET_SELLER_FEEDBACK_DATA.tsv", us_);
    EXPECT_EQ(r.layout, "feedback");
    EXPECT_TRUE(r.records.empty());
    ASSERT_EQ(r.problems.size(), 2u);
    EXPECT_EQ(r.problems[0].line, 2u);
    EXPECT_NE(r.problems[0].reason.find("Order ID"), std::string::npos) << r.problems[0].reason;
}

TEST_F(ExportReaderTest, NamesTheFirstHeaderFieldsOfAnUnknownFile) {
    try {
        read_bytes("sku\tprice\tquantity\nA\t1\t2\n", jp_);
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("'sku', 'price', 'quantity'"), std::string::npos) << m;
        EXPECT_NE(m.find("All Orders report"), std::string::npos) << m;
    }
}

TEST_F(ExportReaderTest, RefusesExcelMangledIdsWithANamedError) {
    try {
        read_bytes(unshipped_header + "503-2417785-6630118\t1.23457E+13\t2026-10-09T12:14:05+00:00\t\t\t"
                                      "2026-10-12T14:59:59+00:00\t-2\t\t\t\tSKU\tMug\t1\tStandard\t\t\t\t\t\tJP\tfalse\n",
                   jp_);
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("1.23457E+13"), std::string::npos) << m;
        EXPECT_NE(m.find("Excel"), std::string::npos) << m;
        EXPECT_NE(m.find(":2:2"), std::string::npos) << m;
    }
}

TEST_F(ExportReaderTest, RefusesAFileCutOffInTheMiddleOfARow) {
    EXPECT_THROW(read_bytes("Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n10/2/23\t2\tslo", us_), InputError);
}

TEST_F(ExportReaderTest, ReportsRowsWithTheWrongNumberOfFields) {
    const auto r = read_bytes("Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n"
                              "10/2/23\t2\tslow\t111-1234567-1234567\n"
                              "10/3/23\t1\tbad\t\t111-1234567-7654321\tx\n",
                              us_);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].line, 2u);
    EXPECT_NE(r.problems[0].reason.find("expected 6 fields"), std::string::npos);
    EXPECT_EQ(r.records.size(), 1u);
}

TEST_F(ExportReaderTest, TakesShipByAndDeliveryPromisesFromTheOrderReport) {
    const auto r = read_bytes("order-id\torder-item-id\tpurchase-date\tpayments-date\tbuyer-email\tbuyer-name\tsku\t"
                              "product-name\tquantity-purchased\tship-service-level\trecipient-name\tship-address-1\t"
                              "ship-state\tship-country\tearliest-ship-date\tlatest-ship-date\tearliest-delivery-date\t"
                              "latest-delivery-date\tdelivery-Instructions\tis-prime\n"
                              "111-1234567-1234567\t01234567890123\t2026-10-01T10:00:00-07:00\t\tx@y.com\tJane Doe\tSKU-1\t"
                              "Mug\t2\tStandard\tJane Doe\t1 Main St\tWA\tUS\t2026-10-02T07:00:00Z\t2026-10-03T06:59:59Z\t"
                              "2026-10-06T07:00:00Z\t2026-10-09T06:59:59Z\tLeave at door\ttrue\n",
                              us_);
    EXPECT_EQ(r.layout, "order-report");
    ASSERT_EQ(r.records.size(), 1u);
    const auto& o = std::get<OrderLine>(r.records[0]);
    EXPECT_EQ(o.order_item_id, "01234567890123");  // the leading zero stays
    EXPECT_EQ(o.ship_by, "2026-10-03T06:59:59Z");
    EXPECT_EQ(o.deliver_by, "2026-10-09T06:59:59Z");
    EXPECT_EQ(o.purchased_at, "2026-10-01T17:00:00Z");
    EXPECT_EQ(o.quantity, 2);
    EXPECT_EQ(o.is_prime, true);
    EXPECT_EQ(o.ship_state, "WA");
}
