#include "store/OrderTables.h"

#include "store/Columns.h"

#include <algorithm>

namespace fbtrack {

using sql::bind_value;
using sql::bool_value;
using sql::column_value;
using sql::int_value;
using sql::join;
using sql::placeholders;
using sql::text_of;
using Value = sql::Value;
using Values = sql::Values;

namespace {

const std::vector<std::string> order_columns = {
    "purchased_at", "last_updated_at", "status", "fulfillment", "sales_channel", "service_level", "ship_state",
    "ship_country", "ssa_carrier", "buy_shipping", "is_prime", "ship_by", "deliver_by"};
constexpr std::size_t order_last_updated = 1;
constexpr std::size_t order_first_promise = 11;  // ship_by, deliver_by: the latest report wins

const std::vector<std::string> item_columns = {"order_item_id", "sku",      "asin",     "product_name",
                                               "item_status",   "quantity", "currency", "item_price"};
const std::vector<std::string> shipment_columns = {"ship_date",    "shipped_at",  "quantity",
                                                   "carrier_code", "carrier_name", "ship_method",
                                                   "fulfillment",  "promised_delivery"};

}  // namespace

RowOutcome OrderTables::upsert(const OrderLine& line) {
    bool stale = false;
    const RowOutcome order = upsert_order(line, stale);
    const RowOutcome item = line.has_item() ? upsert_item(line, stale, order == RowOutcome::added) : RowOutcome::unchanged;
    if (order == RowOutcome::added || item == RowOutcome::added) return RowOutcome::added;
    if (order == RowOutcome::updated || item == RowOutcome::updated) return RowOutcome::updated;
    return RowOutcome::unchanged;
}

RowOutcome OrderTables::upsert_order(const OrderLine& o, bool& stale) {
    const Values incoming = {o.purchased_at,  o.last_updated_at, o.status,       o.fulfillment,
                             o.sales_channel, o.service_level,   o.ship_state,   o.ship_country,
                             o.ssa_carrier,   text_of(o.buy_shipping), text_of(o.is_prime), o.ship_by,
                             o.deliver_by};
    const auto merge = [&](const Values& existing) {
        // A report older than what we hold must not undo a newer one; it may still fill gaps.
        const auto& old_stamp = existing[order_last_updated];
        const auto& new_stamp = incoming[order_last_updated];
        stale = old_stamp && new_stamp && *new_stamp < *old_stamp;
        Values merged = existing;
        for (std::size_t i = 0; i < incoming.size(); ++i)
            if (incoming[i] && (i >= order_first_promise || !stale || !existing[i])) merged[i] = incoming[i];
        return merged;
    };
    const Database::RowKey key{"orders", {{"order_id", o.order_id}}};
    if (last_order_ && last_order_->order_id == o.order_id) {
        Values merged = merge(last_order_->values);
        if (merged == last_order_->values) return RowOutcome::unchanged;
        database_.update_row(key, order_columns, merged);
        last_order_->values = std::move(merged);
        return RowOutcome::updated;
    }
    if (!remember_last_order_) return database_.upsert_row(key, order_columns, incoming, merge);
    Values stored;
    const RowOutcome outcome = database_.upsert_row(key, order_columns, incoming, merge, true, &stored);
    last_order_ = StoredOrder{o.order_id, std::move(stored)};
    return outcome;
}

RowOutcome OrderTables::upsert_item(const OrderLine& o, bool stale, bool new_order) {
    const Values incoming = {o.order_item_id, o.sku,      o.asin,     o.product_name,
                             o.item_status,   text_of(o.quantity), o.currency, o.item_price};
    // The item's natural key is order-item-id; reports without it (All Orders) match by SKU.
    std::optional<std::int64_t> item_id;
    static const std::string by_item_id = "SELECT item_id FROM order_items WHERE order_id = ? AND order_item_id = ? LIMIT 1";
    static const std::string by_sku_without_id =
        "SELECT item_id FROM order_items WHERE order_id = ? AND sku = ? AND order_item_id IS NULL LIMIT 1";
    static const std::string by_sku = "SELECT item_id FROM order_items WHERE order_id = ? AND sku = ? LIMIT 1";
    static const std::string by_asin = "SELECT item_id FROM order_items WHERE order_id = ? AND asin = ? AND sku IS NULL LIMIT 1";
    static const std::string insert_item = "INSERT INTO order_items(order_id, " + join(item_columns, "", ", ") +
                                           ") VALUES(" + placeholders(item_columns.size() + 1) + ")";
    auto try_find = [&](const std::string& sql, const std::string& value) {
        if (item_id || new_order) return;  // a new order has no items yet
        auto& find = database_.statement(sql);
        find.bind(1, o.order_id);
        find.bind(2, value);
        if (find.executeStep()) item_id = find.getColumn(0).getInt64();
        find.reset();
    };
    if (o.order_item_id) {
        try_find(by_item_id, *o.order_item_id);
        if (o.sku) try_find(by_sku_without_id, *o.sku);
    } else if (o.sku) {
        try_find(by_sku, *o.sku);
    } else if (o.asin) {
        try_find(by_asin, *o.asin);
    }
    if (!item_id) {
        auto& insert = database_.statement(insert_item);
        insert.bind(1, o.order_id);
        for (std::size_t i = 0; i < incoming.size(); ++i) bind_value(insert, static_cast<int>(i) + 2, incoming[i]);
        insert.exec();
        return RowOutcome::added;
    }
    return database_.upsert_row({"order_items", {{"item_id", std::to_string(*item_id)}}}, item_columns, incoming,
                                [&](const Values& existing) {
                                    Values merged = existing;
                                    for (std::size_t i = 0; i < incoming.size(); ++i)
                                        if (incoming[i] && (!stale || !existing[i])) merged[i] = incoming[i];
                                    return merged;
                                },
                                false);  // the item exists: it was just found
}

RowOutcome OrderTables::upsert(const Shipment& s) {
    const Values incoming = {s.ship_date,    s.shipped_at,  text_of(s.quantity), s.carrier_code,
                             s.carrier_name, s.ship_method, s.fulfillment,       s.promised_delivery};
    const Database::RowKey key{"shipments",
                     {{"order_id", s.order_id},
                      {"order_item_id", s.order_item_id.value_or("")},
                      {"tracking_number", s.tracking_number.value_or("")}}};
    return database_.upsert_row(key, shipment_columns, incoming, [&](const Values& existing) {
        Values merged = existing;
        for (std::size_t i = 0; i < incoming.size(); ++i)
            if (incoming[i]) merged[i] = incoming[i];
        return merged;
    });
}

std::optional<OrderFacts> OrderTables::order(const std::string& order_id) {
    auto& s = database_.statement(
        "SELECT purchased_at, status, fulfillment, service_level, ship_state, ssa_carrier, buy_shipping, is_prime, "
        "ship_by, deliver_by FROM orders WHERE order_id = ? AND coalesce(purchased_at, '') < ?");
    s.bind(1, order_id);
    s.bind(2, database_.as_of().end_utc);
    std::optional<OrderFacts> found;
    if (s.executeStep()) {
        OrderFacts o;
        o.order_id = order_id;
        o.purchased_at = column_value(s, 0);
        o.status = column_value(s, 1);
        o.fulfillment = column_value(s, 2);
        o.service_level = column_value(s, 3);
        o.ship_state = column_value(s, 4);
        o.ssa_carrier = column_value(s, 5);
        o.buy_shipping = bool_value(s, 6);
        o.is_prime = bool_value(s, 7);
        o.ship_by = column_value(s, 8);
        o.deliver_by = column_value(s, 9);
        found = std::move(o);
    }
    s.reset();
    return found;
}

std::vector<ItemFacts> OrderTables::items(const std::string& order_id) {
    // Sorted here: ORDER BY would make SQLite set up a sorter for every rating's two or three items.
    auto& s = database_.statement("SELECT item_id, sku, asin, product_name, quantity FROM order_items WHERE order_id = ?");
    s.bind(1, order_id);
    std::vector<std::pair<std::int64_t, ItemFacts>> found;
    while (s.executeStep())
        found.emplace_back(s.getColumn(0).getInt64(),
                           ItemFacts{column_value(s, 1), column_value(s, 2), column_value(s, 3), int_value(s, 4)});
    s.reset();
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<ItemFacts> out;
    out.reserve(found.size());
    for (auto& [id, item] : found) out.push_back(std::move(item));
    return out;
}

std::vector<ShipmentFacts> OrderTables::shipments(const std::string& order_id) {
    auto& s = database_.statement(
        "SELECT ship_date, carrier_code, carrier_name, tracking_number, ship_method, fulfillment, promised_delivery "
        "FROM shipments WHERE order_id = ? AND substr(ship_date, 1, 10) <= ? ORDER BY ship_date, tracking_number");
    s.bind(1, order_id);
    s.bind(2, database_.as_of().date);
    std::vector<ShipmentFacts> out;
    while (s.executeStep()) {
        ShipmentFacts f;
        f.ship_date = s.getColumn(0).getString();
        f.carrier_code = column_value(s, 1);
        f.carrier_name = column_value(s, 2);
        const auto tracking = column_value(s, 3);
        if (tracking && !tracking->empty()) f.tracking_number = tracking;
        f.ship_method = column_value(s, 4);
        f.fulfillment = column_value(s, 5);
        f.promised_delivery = column_value(s, 6);
        out.push_back(std::move(f));
    }
    s.reset();
    return out;
}

std::vector<std::string> OrderTables::order_ids_ending_in(const std::string& digits) {
    // substr(order_id, -7) as the indexes have it (migration 10) finds the candidates; the whole
    // ending, which may be longer, decides.
    return database_.texts_of(
        "SELECT order_id FROM orders WHERE substr(order_id, -7) = substr(?1, -7) AND substr(order_id, -length(?1)) = ?1 "
        "AND coalesce(purchased_at, '') < ?2 "
        "UNION SELECT order_id FROM feedback WHERE substr(order_id, -7) = substr(?1, -7) "
        "AND substr(order_id, -length(?1)) = ?1 AND rated_on <= ?3 ORDER BY 1",
        {digits, database_.as_of().end_utc, database_.as_of().date});
}

void OrderTables::for_each_order(const std::string& from_utc, const std::string& to_utc,
                                 const std::function<void(const std::string&, const std::optional<std::string>&)>& visit) {
    auto& s = database_.statement("SELECT purchased_at, fulfillment FROM orders WHERE purchased_at >= ? AND purchased_at < min(?, ?)");
    s.bind(1, from_utc);
    s.bind(2, to_utc);
    s.bind(3, database_.as_of().end_utc);
    while (s.executeStep()) visit(s.getColumn(0).getString(), column_value(s, 1));
    s.reset();
}

std::int64_t OrderTables::count_orders(const std::string& from_utc, const std::string& to_utc) {
    return database_.count_of("SELECT count(*) FROM orders WHERE purchased_at >= ? AND purchased_at < min(?, ?)",
                              {from_utc, to_utc, database_.as_of().end_utc});
}

std::int64_t OrderTables::count_shipped_orders(const std::string& from_utc, const std::string& to_utc) {
    return database_.count_of("SELECT count(*) FROM orders o WHERE purchased_at >= ? AND purchased_at < min(?, ?) "
                              "AND EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.order_id)",
                              {from_utc, to_utc, database_.as_of().end_utc});
}

std::vector<OrderFacts> OrderTables::unshipped_orders(const std::string& since_utc) {
    const std::vector<std::string> ids = database_.texts_of(
        "SELECT order_id FROM orders o WHERE fulfillment = 'merchant' AND purchased_at >= ? AND purchased_at < ? "
        "AND coalesce(status, '') NOT IN ('Shipped', 'Cancelled', 'Canceled') "
        "AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.order_id AND substr(s.ship_date, 1, 10) <= ?) "
        "ORDER BY purchased_at",
        {since_utc, database_.as_of().end_utc, database_.as_of().date});
    std::vector<OrderFacts> out;
    for (const auto& id : ids)
        if (auto o = order(id)) out.push_back(std::move(*o));
    return out;
}

FulfillmentCounts OrderTables::count_orders_by_fulfillment(const std::string& from_utc, const std::string& to_utc) {
    auto& s = database_.statement(
        "SELECT fulfillment, count(*) FROM orders WHERE purchased_at >= ? AND purchased_at < min(?, ?) GROUP BY fulfillment");
    s.bind(1, from_utc);
    s.bind(2, to_utc);
    s.bind(3, database_.as_of().end_utc);
    FulfillmentCounts out;
    while (s.executeStep()) {
        const auto fulfillment = column_value(s, 0);
        const auto n = s.getColumn(1).getInt64();
        if (fulfillment == std::optional<std::string>("merchant")) out.merchant += n;
        else if (fulfillment == std::optional<std::string>("amazon")) out.amazon += n;
        else out.unknown += n;
    }
    s.reset();
    return out;
}

}  // namespace fbtrack
