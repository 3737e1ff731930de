#pragma once
// The seller's own settings: who the shop is, and when it works. Each shop keeps them in its own
// database; the shipped data/shop.json (or the seller's copy of it) is the default of a new shop,
// which names no shop, staff or own address: `fbtrack init` sets them.
#include "catalogue/Catalogue.h"

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fbtrack {

struct ClosedRange {
    std::string from, to;  // YYYY-MM-DD, inclusive
    std::string label;     // 年末年始, お盆, …
};

struct ShopSettings {
    std::string shop_name;  // empty until the seller sets it: drafts are not written without it
    std::vector<std::string> staff_names;
    // The shop's own mail addresses: only mail from one of them to a marketplace alias is the
    // seller's reply. fbtrack also learns them from mail (see MailSource.h).
    std::vector<std::string> own_addresses;
    bool buy_shipping_always = false;

    std::vector<std::string> closed_weekdays;  // "sunday", …
    std::vector<ClosedRange> closed_ranges;
    bool holidays_closed = true;
    int handling_days = 2;          // business days from order to shipment
    std::string reply_from = "09:00", reply_until = "18:00";  // when the shop answers messages

    // Whether the seller has named the shop: every draft is signed with the name.
    bool has_name() const { return !shop_name.empty(); }

    // data/shop.json: the default of a shop whose database holds no settings yet.
    static ShopSettings load(const Catalogue& data);
    // As kept in a shop's database.
    static ShopSettings from_json(const std::string& json);
    std::string to_json() const;
    Poco::JSON::Object::Ptr to_json_object() const;
};

}  // namespace fbtrack
