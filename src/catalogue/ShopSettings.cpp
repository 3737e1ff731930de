#include "catalogue/ShopSettings.h"

#include "core/Errors.h"
#include "catalogue/JsonNode.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <limits>
#include <sstream>

namespace fbtrack {

namespace {

// Left out, a setting keeps its default (the example shop.json holds them all); present, it must
// be of its shape: a list written as a string ("a,b") is refused, not read as empty.
ShopSettings from_object(const JsonNode& o) {
    ShopSettings s;
    s.shop_name = o.optional_string("shop_name").value_or("");
    s.staff_names = o.optional_strings("staff_names").value_or(std::vector<std::string>{});
    s.own_addresses = o.optional_strings("own_addresses").value_or(std::vector<std::string>{});
    s.buy_shipping_always = o.optional_boolean("buy_shipping_always").value_or(false);
    s.closed_weekdays = o.optional_strings("closed_weekdays").value_or(std::vector<std::string>{});
    if (const auto ranges = o.optional_objects("closed_ranges"))
        for (const auto& r : *ranges) s.closed_ranges.push_back({r.string("from"), r.string("to"), r.optional_string("label").value_or("")});
    s.holidays_closed = o.optional_boolean("holidays_closed").value_or(true);
    // Its range is checked with the other settings (Session), wherever they come from.
    s.handling_days = static_cast<int>(o.optional_integer("handling_days", std::numeric_limits<int>::min(), std::numeric_limits<int>::max()).value_or(2));
    if (const auto hours = o.optional_object("reply_hours")) {
        s.reply_from = hours->optional_string("from").value_or(s.reply_from);
        s.reply_until = hours->optional_string("until").value_or(s.reply_until);
    }
    return s;
}

}  // namespace

ShopSettings ShopSettings::load(const Catalogue& data) { return from_object(data.json("shop.json")); }

ShopSettings ShopSettings::from_json(const std::string& json) {
    const std::string what = "the shop settings in the database";
    Poco::Dynamic::Var parsed;
    try {
        parsed = Poco::JSON::Parser().parse(json);
    } catch (const Poco::Exception& e) {
        throw InternalError(what + " are not valid JSON: " + e.displayText());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) throw InternalError(what + " are not a JSON object");
    return from_object(JsonNode::written_by_fbtrack(parsed.extract<Poco::JSON::Object::Ptr>(), what));
}

Poco::JSON::Object::Ptr ShopSettings::to_json_object() const {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("shop_name", shop_name);
    Poco::JSON::Array staff, addresses, weekdays, ranges;
    for (const auto& n : staff_names) staff.add(n);
    for (const auto& a : own_addresses) addresses.add(a);
    for (const auto& w : closed_weekdays) weekdays.add(w);
    for (const auto& r : closed_ranges) {
        Poco::JSON::Object range(Poco::JSON_PRESERVE_KEY_ORDER);
        range.set("from", r.from);
        range.set("to", r.to);
        range.set("label", r.label);
        ranges.add(range);
    }
    o->set("staff_names", staff);
    o->set("own_addresses", addresses);
    o->set("buy_shipping_always", buy_shipping_always);
    o->set("closed_weekdays", weekdays);
    o->set("closed_ranges", ranges);
    o->set("holidays_closed", holidays_closed);
    o->set("handling_days", handling_days);
    Poco::JSON::Object hours(Poco::JSON_PRESERVE_KEY_ORDER);
    hours.set("from", reply_from);
    hours.set("until", reply_until);
    o->set("reply_hours", hours);
    return o;
}

std::string ShopSettings::to_json() const {
    std::ostringstream out;
    to_json_object()->stringify(out);
    return out.str();
}

}  // namespace fbtrack
