#include "analysis/ShopCalendar.h"

#include "catalogue/DataFiles.h"
#include "core/Errors.h"

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>

namespace fbtrack {

namespace {

const std::vector<std::string> weekday_names = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

boost::posix_time::time_duration clock_time(const std::string& text, const std::string& what) {
    const auto colon = text.find(':');
    try {
        if (colon == std::string::npos) throw std::invalid_argument(text);
        const int h = std::stoi(text.substr(0, colon)), m = std::stoi(text.substr(colon + 1));
        if (h < 0 || h > 24 || m < 0 || m > 59) throw std::invalid_argument(text);
        return boost::posix_time::hours(h) + boost::posix_time::minutes(m);
    } catch (const std::exception&) {
        throw UsageError("data/shop.json: " + what + " is '" + text + "', expected a time such as 09:00");
    }
}

}  // namespace

ShopCalendar::ShopCalendar(const ShopSettings& shop, const Marketplace& marketplace, const Catalogue& data_dir,
                           const std::string& lang)
    : shop_(shop), marketplace_(marketplace), holidays_(PublicHolidays::load(data_dir, marketplace.code)),
      texts_(data_dir, "templates/calendar." + lang + ".json") {
    for (const auto& w : shop.closed_weekdays) {
        const auto it = std::find(weekday_names.begin(), weekday_names.end(), w);
        if (it == weekday_names.end())
            throw UsageError("data/shop.json: closed_weekdays holds '" + w + "', expected sunday, monday, … saturday");
        closed_weekdays_.push_back(static_cast<int>(it - weekday_names.begin()));
    }
    for (const auto& r : shop.closed_ranges)
        if (from_iso_date(r.to) < from_iso_date(r.from))
            throw UsageError("data/shop.json: the closed range '" + r.label + "' ends (" + r.to + ") before it starts (" + r.from + ")");
}

std::optional<ClosedDay> ShopCalendar::closed(const Date& d) const {
    auto text = [&](const std::string& key, const std::string& name, const std::string& value) {
        return texts_(key, {{name, value}});
    };
    ClosedDay day;
    day.date = d;
    const int wd = d.day_of_week().as_number();
    if (std::find(closed_weekdays_.begin(), closed_weekdays_.end(), wd) != closed_weekdays_.end()) {
        day.kinds.push_back("weekly");
        day.reasons.push_back(text("weekly", "weekday", texts_(weekday_names[static_cast<std::size_t>(wd)])));
    }
    day.holiday = holidays_.name_of(d);
    if (!day.holiday.empty() && shop_.holidays_closed) {
        day.kinds.push_back("holiday");
        day.reasons.push_back(text("holiday", "name", day.holiday));
    }
    for (const auto& r : shop_.closed_ranges)
        if (d >= from_iso_date(r.from) && d <= from_iso_date(r.to)) {
            day.kinds.push_back("range");
            day.reasons.push_back(text("range", "label", r.label));
        }
    if (day.kinds.empty()) return std::nullopt;
    return day;
}

bool ShopCalendar::is_open(const Date& d) const { return !closed(d).has_value(); }

std::vector<ClosedDay> ShopCalendar::closed_days(const Date& from, const Date& to) const {
    std::vector<ClosedDay> out;
    for (Date d = from; d <= to; d += boost::gregorian::days(1))
        if (auto c = closed(d)) out.push_back(std::move(*c));
    return out;
}

std::vector<ClosedStretch> ShopCalendar::closed_stretches(const Date& from, const Date& to) const {
    std::vector<ClosedStretch> out;
    for (Date d = from; d <= to; d += boost::gregorian::days(1)) {
        const auto c = closed(d);
        if (!c) continue;
        Date first = d, last = d;
        while (!is_open(first - boost::gregorian::days(1)) && (from - first).days() < 60) first -= boost::gregorian::days(1);
        while (!is_open(last + boost::gregorian::days(1)) && (last - to).days() < 60) last += boost::gregorian::days(1);
        out.push_back({first, last, c->reasons.front()});
        d = last;
    }
    return out;
}

ShipBy ShopCalendar::ship_by_of(const OrderFacts& order) const {
    const auto& zone = marketplace_.zone;
    if (order.ship_by) return {local_date_of(from_iso_utc(*order.ship_by), zone), false};
    if (!order.purchased_at) throw InternalError("order " + order.order_id + " has neither a ship-by date nor a purchase time");
    return {estimated_ship_by(local_date_of(from_iso_utc(*order.purchased_at), zone)), true};
}

std::string ShopCalendar::reasons_of(const ClosedStretch& stretch) const {
    std::vector<std::string> seen;
    std::string joined;
    for (const auto& day : closed_days(stretch.first, stretch.last))
        for (const auto& r : day.reasons)
            if (std::find(seen.begin(), seen.end(), r) == seen.end()) {
                joined += (seen.empty() ? "" : texts_("separator")) + r;
                seen.push_back(r);
            }
    return joined;
}

Date ShopCalendar::next_open_day(Date d) const {
    for (int guard = 0; guard < 400 && !is_open(d); ++guard) d += boost::gregorian::days(1);
    return d;
}

Date ShopCalendar::add_business_days(const Date& start, int n) const {
    Date d = next_open_day(start);
    for (int i = 0; i < n; ++i) d = next_open_day(d + boost::gregorian::days(1));
    return d;
}

double ShopCalendar::working_hours_between(const UtcTime& from, const UtcTime& to) const {
    if (to <= from) return 0;
    const auto open_at = clock_time(shop_.reply_from, "reply_hours.from");
    const auto close_at = clock_time(shop_.reply_until, "reply_hours.until");
    double seconds = 0;
    const Date first = local_date_of(from, marketplace_.zone), last = local_date_of(to, marketplace_.zone);
    for (Date d = first; d <= last && (d - first).days() < 366; d += boost::gregorian::days(1)) {
        if (!is_open(d)) continue;
        const UtcTime day_open = utc_of_local(d, open_at, marketplace_.zone);
        const UtcTime day_close = utc_of_local(d, close_at, marketplace_.zone);
        const UtcTime a = std::max(day_open, from), b = std::min(day_close, to);
        if (b > a) seconds += static_cast<double>((b - a).total_seconds());
    }
    return seconds / 3600.0;
}

}  // namespace fbtrack
