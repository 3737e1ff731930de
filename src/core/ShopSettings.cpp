#include "core/ShopSettings.h"

#include "core/DataFiles.h"
#include "core/Errors.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace fbtrack {

namespace {

ShopSettings from_object(const Poco::JSON::Object::Ptr& o) {
    ShopSettings s;
    s.shop_name = o->optValue<std::string>("shop_name", "");
    s.staff_names = json_strings(o, "staff_names");
    s.own_addresses = json_strings(o, "own_addresses");
    s.buy_shipping_always = o->optValue<bool>("buy_shipping_always", false);
    s.closed_weekdays = json_strings(o, "closed_weekdays");
    if (const auto ranges = o->getArray("closed_ranges"))
        for (std::size_t i = 0; i < ranges->size(); ++i) {
            const auto r = ranges->getObject(static_cast<unsigned>(i));
            s.closed_ranges.push_back({r->getValue<std::string>("from"), r->getValue<std::string>("to"),
                                       r->optValue<std::string>("label", "")});
        }
    s.holidays_closed = o->optValue<bool>("holidays_closed", true);
    s.handling_days = o->optValue<int>("handling_days", 2);
    if (const auto hours = o->getObject("reply_hours")) {
        s.reply_from = hours->optValue<std::string>("from", s.reply_from);
        s.reply_until = hours->optValue<std::string>("until", s.reply_until);
    }
    return s;
}

}  // namespace

ShopSettings ShopSettings::load(const std::filesystem::path& data_dir) { return from_object(load_json_object(data_dir / "shop.json")); }

ShopSettings ShopSettings::from_json(const std::string& json) {
    try {
        Poco::JSON::Parser parser;
        const auto o = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
        if (!o) throw InternalError("the shop settings in the database are not a JSON object");
        return from_object(o);
    } catch (const Poco::Exception& e) {
        throw InternalError("the shop settings in the database are not valid JSON: " + e.displayText());
    }
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
