#include "analysis/Risks.h"

#include "catalogue/DataFiles.h"
#include "core/Errors.h"


#include <algorithm>
#include <set>

namespace fbtrack {

namespace {
using boost::gregorian::days;
}

RiskFinder::RiskFinder(Store& store, const Marketplace& marketplace, const ShopSettings& shop,
                       const Catalogue& data, const std::string& lang, const Date& today)
    : store_(store), marketplace_(marketplace), calendar_(shop, marketplace, data, lang), today_(today),
      texts_(data, "templates/risk." + lang + ".json") {}

std::string RiskFinder::text(const std::string& key, const std::vector<std::pair<std::string, std::string>>& values) const {
    return texts_(key, values);
}

void RiskFinder::closed_day_risks(std::vector<RiskItem>& out) const {
    const auto& zone = marketplace_.zone;
    const auto since = to_iso_utc(utc_of_local(today_ - days(30), boost::posix_time::hours(0), zone));
    for (const auto& o : store_.orders().unshipped_orders(since)) {
        if (!o.purchased_at) continue;
        const Date ordered = local_date_of(from_iso_utc(*o.purchased_at), zone);
        const auto [ship_by, estimated] = calendar_.ship_by_of(o);
        if (ship_by < today_) continue;  // already late: a different problem
        // Closed days still ahead inside the window from the order to its ship-by date.
        const auto stretches = calendar_.closed_stretches(std::max(ordered, today_), ship_by);
        if (stretches.empty()) continue;
        const auto& first = stretches.front();
        RiskItem item;
        item.kind = "closed_days";
        item.order_id = o.order_id;
        item.due = first.first > today_ ? first.first - days(1) : today_;  // tell the buyer before the closure
        item.action = text("closed_days", {{"ordered", to_iso_date(ordered)},
                                           {"closed_from", to_iso_date(first.first)},
                                           {"closed_to", to_iso_date(first.last)},
                                           {"ship_by", to_iso_date(ship_by) + (estimated ? text("estimated", {}) : "")}});
        item.draft_template = "closed_notice";
        item.facts = {{"closed_from", to_iso_date(first.first)},
                      {"closed_to", to_iso_date(first.last)},
                      {"closed_reasons", calendar_.reasons_of(first)},
                      {"ship_by", to_iso_date(ship_by)},
                      {"estimated", estimated ? "yes" : ""}};
        out.push_back(std::move(item));
    }
}

std::pair<Date, Date> RiskFinder::removal_warning_range(const Date& today) {
    const Date first = today - days(Correlator::request_window_days);
    return {first, first + days(removal_warning_days)};
}

std::vector<RiskItem> RiskFinder::find(const std::vector<RatingCase>& recent_cases) {
    return find(recent_cases, load_message_timeline(store_));
}

std::vector<RiskItem> RiskFinder::find(const std::vector<RatingCase>& recent_cases, const MessageTimeline& timeline) {
    std::vector<RiskItem> out;
    const auto& zone = marketplace_.zone;
    const auto now = utc_of_local(today_, boost::posix_time::hours(23) + boost::posix_time::minutes(59), zone);
    // As of today: what happened later has not happened yet. Asked only for the requests whose
    // buyer could still rate, not read for every rating ever made.
    auto rated = [&](const std::string& order_id) {
        const auto rating = store_.feedback().rating(order_id);
        return rating && from_iso_date(rating->rated_on) <= today_;
    };

    closed_day_risks(out);

    const auto& messages = timeline.messages;
    const auto& pairs = timeline.pairs;
    std::set<std::string> followed_up;  // orders whose shipment a risk item already reports
    std::set<std::string> unanswered_requests;  // reported above; not again as plain unanswered messages
    for (auto r : timeline.requests) {
        if (r.order_id.empty() || from_iso_utc(r.requested_at) > now) continue;
        if (r.replied_at && from_iso_utc(*r.replied_at) > now) {
            r.reply = "none";
            r.replied_at.reset();
        }
        const auto order = store_.orders().order(r.order_id);
        const auto ordered = order && order->purchased_at ? local_date_of(from_iso_utc(*order->purchased_at), zone)
                                                          : local_date_of(from_iso_utc(r.requested_at), zone);
        const auto shipments = store_.orders().shipments(r.order_id);
        std::map<std::string, std::string> shipment_facts;
        std::optional<Date> shipped_on, delivery;
        if (!shipments.empty()) {
            const auto& s = shipments.front();
            shipped_on = from_iso_date(s.ship_date);
            std::string carrier = s.carrier_name.value_or(s.carrier_code.value_or(""));
            if (carrier == "Other") carrier.clear();
            shipment_facts = {{"shipped_on", s.ship_date}, {"carrier", carrier}, {"tracking", s.tracking_number.value_or("")}};
            if (order && order->deliver_by) delivery = local_date_of(from_iso_utc(*order->deliver_by), zone);
            else if (s.promised_delivery) delivery = local_date_of(from_iso_utc(*s.promised_delivery), zone);
            else delivery = *shipped_on + days(assumed_transit_days);
        }
        const std::string requested = to_local_minutes(from_iso_utc(r.requested_at), zone);

        // The buyer can still rate: the request is a risk until then.
        const Date rating_due = ordered + days(rating_window_days);
        if (r.reply != "accepted" && rating_due >= today_ && !rated(r.order_id)) {
            RiskItem item;
            item.kind = "expedite_no_rating";
            item.order_id = r.order_id;
            item.due = r.reply == "none" ? local_date_of(from_iso_utc(r.requested_at) + boost::posix_time::hours(24), zone)
                                         : rating_due;
            const std::string key = r.reply == "declined" ? "expedite_no_rating_declined"
                                    : r.reply == "none"   ? "expedite_no_rating_unanswered"
                                                          : "expedite_no_rating_other";
            item.action = text(key, {{"requested", requested}, {"due", to_iso_date(rating_due)}});
            if (r.reply == "declined") {
                item.draft_template = "expedite_follow_up";
                item.facts = shipment_facts;
                item.facts["declined"] = "yes";
                if (!shipped_on && order) item.facts["ship_by"] = to_iso_date(calendar_.ship_by_of(*order).date);
                if (shipped_on) followed_up.insert(r.order_id);
            } else if (r.reply == "none") {
                item.unanswered = true;
                unanswered_requests.insert(r.order_id);
                if (shipped_on) {  // already on its way: say so, with the tracking number
                    item.draft_template = "expedite_follow_up";
                    item.facts = shipment_facts;
                } else if (order && order->purchased_at) {
                    const auto ship_by = calendar_.ship_by_of(*order);
                    if (ship_by.date >= today_) {  // a polite decline that names the ship-by date
                        item.draft_template = "expedite_decline";
                        item.facts = {{"ship_by", to_iso_date(ship_by.date)}, {"estimated", ship_by.estimated ? "yes" : ""}};
                    }
                }
            }
            out.push_back(std::move(item));
        }
        // Careful sellers tell every such buyer when the order ships and check it arrived.
        if (shipped_on && *shipped_on <= today_ && (r.reply == "declined" || r.reply == "accepted")) {
            if (!followed_up.count(r.order_id) && today_ >= *shipped_on && today_ <= *shipped_on + days(shipment_notice_days)) {
                RiskItem item;
                item.kind = "follow_up";
                item.order_id = r.order_id;
                item.due = *shipped_on;
                item.action = text("follow_up_shipped", {{"shipped", to_iso_date(*shipped_on)}});
                item.draft_template = "follow_up_shipped";
                item.facts = shipment_facts;
                out.push_back(std::move(item));
            }
            if (delivery && today_ >= *delivery && today_ <= *delivery + days(arrival_check_days)) {
                RiskItem item;
                item.kind = "follow_up";
                item.order_id = r.order_id;
                item.due = *delivery;
                item.action = text("follow_up_arrival", {{"delivery", to_iso_date(*delivery)}});
                item.note = text("feedback_line_rule", {});
                item.draft_template = "follow_up_arrival";
                item.facts = shipment_facts;
                out.push_back(std::move(item));
            }
        }
    }
    // Buyer messages past Amazon's 24 hours, from the last 90 days.
    for (const auto& p : pairs) {
        if (p.reply && from_iso_utc(messages[*p.reply].sent_at) <= now) continue;
        const auto& m = messages[p.buyer];
        if (from_iso_utc(m.sent_at) > now) continue;
        if (m.classification == "expedite_request" && m.order_id && unanswered_requests.count(*m.order_id)) continue;
        const auto sent = from_iso_utc(m.sent_at);
        if (now - sent <= boost::posix_time::hours(24)) continue;
        const Date due = local_date_of(sent + boost::posix_time::hours(24), zone);
        if ((today_ - due).days() > rating_window_days) continue;
        RiskItem item;
        item.kind = "unanswered";
        item.unanswered = true;
        item.order_id = m.order_id.value_or("");
        item.due = due;
        item.action = text("unanswered", {{"sent", to_local_minutes(sent, zone)}, {"due", to_iso_date(due)}});
        out.push_back(std::move(item));
    }
    // Removal windows that close within two weeks, for ratings with something to ask for.
    for (const auto& c : recent_cases) {
        if (c.verdict == "none" || (c.outcome && c.outcome->outcome)) continue;
        if (c.days_left_to_request < 0 || c.days_left_to_request > removal_warning_days) continue;
        RiskItem item;
        item.kind = "removal_deadline";
        item.order_id = c.rating.order_id;
        item.due = c.request_by;
        item.action = text("removal_deadline", {{"due", to_iso_date(c.request_by)},
                                                {"days", std::to_string(c.days_left_to_request)},
                                                {"verdict", text("verdict_" + c.verdict, {})}});
        out.push_back(std::move(item));
    }
    std::stable_sort(out.begin(), out.end(), [](const RiskItem& a, const RiskItem& b) {
        return a.due.value_or(Date(boost::gregorian::pos_infin)) < b.due.value_or(Date(boost::gregorian::pos_infin));
    });
    return out;
}

}  // namespace fbtrack
