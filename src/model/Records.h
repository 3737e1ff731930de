#pragma once
// The seller's world as plain values: what the importers hand to the store, already checked and
// converted. The lowest floor with core: it includes nothing else of fbtrack's.
// Times are UTC ISO 8601 ("2022-10-29T18:00:54Z"); dates without time are marketplace-local.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace fbtrack {

enum class ImportKind { orders, shipments, feedback, messages };
std::string_view kind_name(ImportKind kind);
std::optional<ImportKind> kind_from_name(std::string_view name);

// One row of an order report: the order's facts and one of its items.
struct OrderLine {
    std::string order_id;
    std::optional<std::string> purchased_at, last_updated_at;
    std::optional<std::string> status;
    std::optional<std::string> fulfillment;  // "merchant" or "amazon"
    std::optional<std::string> sales_channel, service_level, ship_state, ship_country, ssa_carrier;
    std::optional<bool> buy_shipping, is_prime;
    std::optional<std::string> ship_by, deliver_by;  // promises, UTC

    std::optional<std::string> order_item_id, sku, asin, product_name, item_status, currency, item_price;
    std::optional<long long> quantity;

    bool has_item() const { return order_item_id || sku || asin; }
};

struct Shipment {
    std::string order_id;
    std::optional<std::string> order_item_id;
    std::optional<long long> quantity;
    std::string ship_date;  // local date
    std::optional<std::string> shipped_at;  // UTC, when the file gives a time
    std::optional<std::string> carrier_code, carrier_name, tracking_number, ship_method;
    std::optional<std::string> fulfillment;  // set by FBA shipment reports
    std::optional<std::string> promised_delivery;  // UTC
};

struct FeedbackEntry {
    std::string order_id;
    std::string rated_on;  // local date
    int rating = 0;
    std::string comment;
    std::optional<std::string> response;
};

// A buyer-seller message, from mail or from the seller's CSV log.
struct BuyerMessage {
    std::string message_key;  // Message-ID, else a hash of the content: keeps re-imports idempotent
    std::optional<std::string> order_id;
    std::string sent_at;    // UTC
    std::string direction;  // "buyer" or "seller"
    std::optional<std::string> buyer_alias;
    std::string subject, body;  // with the buyer's name and address blocks removed
    std::string source;         // "mail" or "csv"
    std::optional<std::string> decoding_note;  // how its text was repaired, if it was
    // Set by the classifier before the message is stored.
    std::string classification = "other";
    std::optional<std::string> phrase;
};

using Record = std::variant<OrderLine, Shipment, FeedbackEntry, BuyerMessage>;

}  // namespace fbtrack
