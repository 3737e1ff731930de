#pragma once
// Orders, their items and their shipments, as the order reports and shipment exports tell them.
#include "model/Records.h"
#include "store/Database.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct OrderFacts {
    std::string order_id;
    std::optional<std::string> purchased_at, status, fulfillment, service_level, ship_state, ssa_carrier;
    std::optional<bool> buy_shipping, is_prime;
    std::optional<std::string> ship_by, deliver_by;  // UTC
};

struct ItemFacts {
    std::optional<std::string> sku, asin, product_name;
    std::optional<long long> quantity;
};

struct ShipmentFacts {
    std::string ship_date;  // local date
    std::optional<std::string> carrier_code, carrier_name, tracking_number, ship_method, fulfillment,
        promised_delivery;
};

// Orders by how they were fulfilled; unknown when no report said.
struct FulfillmentCounts {
    std::int64_t merchant = 0, amazon = 0, unknown = 0;
};

class OrderTables {
public:
    explicit OrderTables(Database& database) : database_(database) {}

    RowOutcome upsert(const OrderLine& line);
    RowOutcome upsert(const Shipment& shipment);

    std::optional<OrderFacts> order(const std::string& order_id);
    std::vector<ItemFacts> items(const std::string& order_id);
    std::vector<ShipmentFacts> shipments(const std::string& order_id);
    // The order IDs ending in `digits` (at least 7 of them), sorted, from the orders and from the
    // ratings (a rating may name an order whose report was never imported). By the index on the
    // last 7 characters: feedback asks once per rating, so a scan per call grew with ratings × orders.
    std::vector<std::string> order_ids_ending_in(const std::string& digits);

    // Orders purchased in [from, to) (UTC), streamed: a large shop's history never sits in memory.
    void for_each_order(const std::string& from_utc, const std::string& to_utc,
                        const std::function<void(const std::string& purchased_at,
                                                 const std::optional<std::string>& fulfillment)>& visit);
    std::int64_t count_orders(const std::string& from_utc, const std::string& to_utc);
    // Of those, the orders with a shipment recorded: what a month's shipping confirmations added.
    std::int64_t count_shipped_orders(const std::string& from_utc, const std::string& to_utc);
    // Merchant-fulfilled orders bought since `since_utc` that are neither shipped nor cancelled.
    std::vector<OrderFacts> unshipped_orders(const std::string& since_utc);
    // Orders purchased in [from, to) (UTC) by fulfillment: one of the monthly report's bounded reads.
    FulfillmentCounts count_orders_by_fulfillment(const std::string& from_utc, const std::string& to_utc);

    // While one file is imported (Store::Savepoint), the order row stored last is kept as it
    // stands: an export's rows come sorted by order ID, so an order's second and later rows merge
    // with it here instead of trying an insert and reading the row back. Forgotten when it ends.
    void remember_last_order(bool remember) {
        last_order_.reset();
        remember_last_order_ = remember;
    }

private:
    RowOutcome upsert_order(const OrderLine& line, bool& stale);
    RowOutcome upsert_item(const OrderLine& line, bool stale, bool new_order);

    Database& database_;
    struct StoredOrder {
        std::string order_id;
        std::vector<std::optional<std::string>> values;
    };
    std::optional<StoredOrder> last_order_;
    bool remember_last_order_ = false;
};

}  // namespace fbtrack
