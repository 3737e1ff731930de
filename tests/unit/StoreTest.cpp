#include "store/Store.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

using namespace fbtrack;

namespace {
OrderLine all_orders_row(const std::string& updated, const std::string& status) {
    OrderLine o;
    o.order_id = "503-2417785-6630118";
    o.purchased_at = "2026-10-09T12:14:05Z";
    o.last_updated_at = updated;
    o.status = status;
    o.fulfillment = "merchant";
    o.sku = "SZ-MUG-01";
    o.product_name = "マグカップ";
    o.quantity = 1;
    return o;
}
}  // namespace

TEST(Store, AddsThenFindsTheSameRowUnchanged) {
    Store store(":memory:");
    const auto row = all_orders_row("2026-10-09T12:20:00Z", "Pending");
    EXPECT_EQ(store.upsert(row), RowOutcome::added);
    EXPECT_EQ(store.upsert(row), RowOutcome::unchanged);
    EXPECT_EQ(store.counts().orders, 1);
    EXPECT_EQ(store.counts().order_items, 1);
}

TEST(Store, LetsTheLaterLastUpdatedDateWin) {
    Store store(":memory:");
    store.upsert(all_orders_row("2026-10-09T12:20:00Z", "Pending"));
    EXPECT_EQ(store.upsert(all_orders_row("2026-10-11T01:00:00Z", "Shipped")), RowOutcome::updated);
    // An older report imported afterwards must not turn the order back to Pending.
    EXPECT_EQ(store.upsert(all_orders_row("2026-10-09T12:20:00Z", "Pending")), RowOutcome::unchanged);
}

TEST(Store, MatchesAnItemFromAReportWithOrderItemIdsToTheSameSku) {
    Store store(":memory:");
    store.upsert(all_orders_row("2026-10-09T12:20:00Z", "Pending"));
    OrderLine unshipped;
    unshipped.order_id = "503-2417785-6630118";
    unshipped.order_item_id = "12345678901234";
    unshipped.sku = "SZ-MUG-01";
    unshipped.ship_by = "2026-10-12T14:59:59Z";
    EXPECT_EQ(store.upsert(unshipped), RowOutcome::updated);
    EXPECT_EQ(store.counts().order_items, 1);
    EXPECT_EQ(store.upsert(unshipped), RowOutcome::unchanged);
}

TEST(Store, KeepsTwoItemsOfOneOrderApart) {
    Store store(":memory:");
    auto a = all_orders_row("2026-10-09T12:20:00Z", "Pending");
    auto b = a;
    b.sku = "SZ-TNG-02";
    store.upsert(a);
    EXPECT_EQ(store.upsert(b), RowOutcome::added);
    EXPECT_EQ(store.counts().orders, 1);
    EXPECT_EQ(store.counts().order_items, 2);
}

TEST(Store, UpdatesARevisedRating) {
    Store store(":memory:");
    FeedbackEntry f{"503-2417785-6630118", "2026-10-14", 1, "遅い", std::nullopt};
    EXPECT_EQ(store.upsert(f), RowOutcome::added);
    EXPECT_EQ(store.upsert(f), RowOutcome::unchanged);
    f.rating = 3;
    EXPECT_EQ(store.upsert(f), RowOutcome::updated);
    EXPECT_EQ(store.counts().feedback, 1);
}

TEST(Store, KeysShipmentsByOrderItemAndTrackingNumber) {
    Store store(":memory:");
    Shipment s;
    s.order_id = "503-2417785-6630118";
    s.ship_date = "2026-10-11";
    s.tracking_number = "1234";
    EXPECT_EQ(store.upsert(s), RowOutcome::added);
    EXPECT_EQ(store.upsert(s), RowOutcome::unchanged);
    s.carrier_name = "ヤマト運輸";
    EXPECT_EQ(store.upsert(s), RowOutcome::updated);
    s.tracking_number = "5678";
    EXPECT_EQ(store.upsert(s), RowOutcome::added);
    EXPECT_EQ(store.counts().shipments, 2);
}

TEST(Store, RollsBackWhatATransactionDidNotCommit) {
    Store store(":memory:");
    {
        Store::Transaction tx(store);
        store.upsert(all_orders_row("2026-10-09T12:20:00Z", "Pending"));
    }
    EXPECT_EQ(store.counts().orders, 0);
}

namespace {
bool has_purchase_time_index(const std::filesystem::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    return d.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'orders_by_purchase_fulfillment'").getInt() == 1;
}
}  // namespace

TEST(Store, BuildsTheIndexByPurchaseTimeOnceAfterAFirstLoad) {
    const auto dir = std::filesystem::temp_directory_path() / ("fbtrack-store-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto db = dir / "shop.db";
    {
        Store store(db);
        {
            Store::Transaction tx(store);
            const auto deferred = store.database().defer_indexes_for_bulk_load(1);
            ASSERT_EQ(deferred.size(), 2u);  // by purchase time, and by the ID's last digits
            store.upsert(all_orders_row("2026-10-09T12:20:00Z", "Pending"));
            // Not committed: the rollback brings the index back with everything else.
        }
        EXPECT_TRUE(has_purchase_time_index(db));
        {
            Store::Transaction tx(store);
            const auto deferred = store.database().defer_indexes_for_bulk_load(1);
            store.upsert(all_orders_row("2026-10-09T12:20:00Z", "Pending"));
            store.database().build_deferred_indexes(deferred);
            tx.commit();
        }
        EXPECT_TRUE(has_purchase_time_index(db));
        // With orders stored, a few more go into the index directly; many more rebuild it.
        Store::Transaction tx(store);
        EXPECT_TRUE(store.database().defer_indexes_for_bulk_load(0).empty());
        EXPECT_EQ(store.database().defer_indexes_for_bulk_load(1).size(), 2u);
    }
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(d.execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_EQ(d.execAndGet("SELECT count(*) FROM orders INDEXED BY orders_by_purchase_fulfillment WHERE purchased_at > ''").getInt(), 1);
    std::filesystem::remove_all(dir);
}

TEST(Store, GivesAllMessagesInTimeOrderThenByKey) {
    Store store(":memory:");
    auto add = [&](const std::string& key, const std::string& sent_at) {
        BuyerMessage m;
        m.message_key = key;
        m.order_id = "O-1";
        m.sent_at = sent_at;
        m.direction = "buyer";
        m.source = "mail";
        store.upsert(m);
    };
    add("c", "2026-10-02T00:00:00Z");
    add("b", "2026-10-01T00:00:00Z");
    add("z", "2026-10-01T00:00:00Z");
    add("a", "2026-10-03T00:00:00Z");
    std::vector<std::string> keys;
    for (const auto& m : store.messaging().messages(std::nullopt, false)) keys.push_back(m.message_key);
    EXPECT_EQ(keys, (std::vector<std::string>{"b", "z", "c", "a"}));
    std::vector<std::string> of_order;
    for (const auto& m : store.messaging().messages(std::string("O-1"), false)) of_order.push_back(m.message_key);
    EXPECT_EQ(of_order, keys);
}
