#include "analysis/RatingCase.h"

#include "analysis/PersonalInfo.h"
#include "catalogue/DataFiles.h"
#include "core/Errors.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace fbtrack {


std::optional<std::string> RatingCase::fulfillment() const {
    if (order && order->fulfillment) return order->fulfillment;
    for (const auto& s : shipments)
        if (s.fulfillment) return s.fulfillment;
    return std::nullopt;
}

bool RatingCase::has_ground(const std::string& g) const {
    return std::find(grounds.begin(), grounds.end(), g) != grounds.end();
}

Correlator::Correlator(Store& store, const Marketplace& marketplace, const ShopSettings& shop,
                       const Catalogue& phrases, const std::string& lang, const Date& today)
    : store_(store), marketplace_(marketplace), shop_(shop), calendar_(shop, marketplace, phrases, lang), today_(today),
      reasons_(phrases, "templates/reasons." + lang + ".json") {
    delivery_ = PhraseList::load(phrases, "topic_delivery");
    product_ = PhraseList::load(phrases, "topic_product");
    service_ = PhraseList::load(phrases, "topic_service");
    obscene_ = PhraseList::load(phrases, "obscene");
    negations_ = Negations::load(phrases);
}

std::string Correlator::reason(const std::string& key,
                               const std::vector<std::pair<std::string, std::string>>& values) const {
    return reasons_(key, values);
}

std::vector<RatingCase> Correlator::cases(const std::optional<Date>& from, const std::optional<Date>& to) {
    std::vector<RatingCase> out;
    for_each_case(from, to, [&](RatingCase c) { out.push_back(std::move(c)); });
    return out;
}

void Correlator::for_each_case(const std::optional<Date>& from, const std::optional<Date>& to,
                               const std::function<void(RatingCase)>& visit) {
    const auto ratings = store_.feedback().ratings(from ? std::optional(to_iso_date(*from)) : std::nullopt,
                                        to ? std::optional(to_iso_date(*to)) : std::nullopt);
    for (const auto& r : ratings) visit(build(r));
}

std::optional<RatingCase> Correlator::case_for(const std::string& order_id) {
    const auto r = store_.feedback().rating(order_id);
    if (!r) return std::nullopt;
    return build(*r);
}

RatingCase Correlator::build(const Rating& rating) {
    const auto& zone = marketplace_.zone;
    RatingCase c;
    c.rating = rating;
    c.rated_on = from_iso_date(rating.rated_on);
    c.request_by = c.rated_on + boost::gregorian::days(request_window_days);
    c.days_left_to_request = (c.request_by - today_).days();
    c.order = store_.orders().order(rating.order_id);
    c.items = store_.orders().items(rating.order_id);
    c.shipments = store_.orders().shipments(rating.order_id);
    c.outcome = store_.feedback().appeal_outcome(rating.order_id);

    if (c.order && c.order->purchased_at) {
        c.ordered_on = local_date_of(from_iso_utc(*c.order->purchased_at), zone);
        c.odr_window_ends = *c.ordered_on + boost::gregorian::days(60);
        c.timeline.push_back({to_local_minutes(from_iso_utc(*c.order->purchased_at), zone), "ordered",
                              c.order->service_level.value_or("")});
    }
    // Where no report gave the promise, a merchant order's is estimated from the shop's calendar.
    if (c.order && (c.order->ship_by || (c.ordered_on && c.order->fulfillment == std::optional<std::string>("merchant")))) {
        const auto ship_by = calendar_.ship_by_of(*c.order);
        c.ship_by = ship_by.date;
        c.ship_by_estimated = ship_by.estimated;
        c.timeline.push_back({to_iso_date(ship_by.date), "ship_by", ship_by.estimated ? "estimated" : ""});
    }
    if (c.order && c.order->deliver_by) c.promised_delivery = local_date_of(from_iso_utc(*c.order->deliver_by), zone);
    for (const auto& s : c.shipments) {
        const Date d = from_iso_date(s.ship_date);
        if (!c.shipped_on || d < *c.shipped_on) c.shipped_on = d;
        std::string detail = s.carrier_name.value_or(s.carrier_code.value_or(""));
        if (s.ship_method) detail += (detail.empty() ? "" : " ") + *s.ship_method;
        c.timeline.push_back({s.ship_date, "shipped", detail});
        if (!c.promised_delivery && s.promised_delivery) c.promised_delivery = local_date_of(from_iso_utc(*s.promised_delivery), zone);
    }
    if (c.promised_delivery) c.timeline.push_back({to_iso_date(*c.promised_delivery), "promised_delivery", ""});
    if (c.ship_by && c.shipped_on) c.shipped_on_time = *c.shipped_on <= *c.ship_by;

    // Requests and replies made before the rating (up to the end of its day).
    const auto messages = store_.messaging().messages(rating.order_id, false);
    const auto all = expedite_requests(messages, pair_replies(messages), store_.messaging().manual_expedites(rating.order_id));
    for (const auto& r : all) {
        if (local_date_of(from_iso_utc(r.requested_at), zone) > c.rated_on) continue;
        ExpediteRequest kept = r;
        if (kept.replied_at && local_date_of(from_iso_utc(*kept.replied_at), zone) > c.rated_on) {
            kept.reply = "none";
            kept.replied_at.reset();
            kept.reply_hours.reset();
        }
        c.expedite_requested = true;
        c.expedite_declined = c.expedite_declined || kept.reply == "declined";
        c.expedite_accepted = c.expedite_accepted || kept.reply == "accepted";
        if (!c.reply_hours && kept.reply_hours) c.reply_hours = kept.reply_hours;
        c.timeline.push_back({to_local_minutes(from_iso_utc(kept.requested_at), zone), "expedite_request", kept.source});
        if (kept.replied_at)
            c.timeline.push_back({to_local_minutes(from_iso_utc(*kept.replied_at), zone), "reply", kept.reply});
        c.expedite_requests.push_back(std::move(kept));
    }
    c.timeline.push_back({to_iso_date(c.rated_on), "rated", std::to_string(rating.rating)});
    std::stable_sort(c.timeline.begin(), c.timeline.end(),
                     [](const TimelineEvent& a, const TimelineEvent& b) { return a.when < b.when; });

    c.buy_shipping = shop_.buy_shipping_always || (c.order && c.order->buy_shipping.value_or(false)) ||
                     (c.order && c.order->ssa_carrier && !c.order->ssa_carrier->empty());
    const std::string folded = fold_for_matching(rating.comment);
    c.topics.delivery = delivery_.find(folded, &negations_);
    c.topics.product = product_.find(folded, &negations_);
    c.topics.service = service_.find(folded, &negations_);
    judge(c);
    return c;
}

void Correlator::judge(RatingCase& c) const {
    auto& why = c.reasons;

    // The facts first: shipment, requests, what the comment is about.
    if (!c.shipped_on && c.fulfillment() == std::optional<std::string>("amazon"))
        why.push_back(reason("fba_order", {}));
    else if (!c.shipped_on)
        why.push_back(reason("not_shipped", {}));
    else if (!c.ship_by)
        why.push_back(reason("ship_by_unknown", {}));
    else if (*c.shipped_on_time && c.ship_by_estimated)
        why.push_back(reason("shipped_on_time_estimated", {{"shipped", date_text(c.shipped_on)},
                                                           {"ship_by", date_text(c.ship_by)},
                                                           {"days", std::to_string(calendar_.handling_days())}}));
    else if (*c.shipped_on_time)
        why.push_back(reason("shipped_on_time", {{"shipped", date_text(c.shipped_on)}, {"ship_by", date_text(c.ship_by)}}));
    else
        why.push_back(reason(c.ship_by_estimated ? "shipped_late_estimated" : "shipped_late", {{"shipped", date_text(c.shipped_on)},
                                              {"ship_by", date_text(c.ship_by)},
                                              {"days", std::to_string((*c.shipped_on - *c.ship_by).days())}}));
    if (c.expedite_requests.empty()) why.push_back(reason("no_expedite", {}));
    for (const auto& r : c.expedite_requests) {
        const std::vector<std::pair<std::string, std::string>> v = {
            {"requested", to_local_minutes(from_iso_utc(r.requested_at), marketplace_.zone)},
            {"replied", r.replied_at ? to_local_minutes(from_iso_utc(*r.replied_at), marketplace_.zone) : ""},
            {"hours", r.reply_hours ? format_one_decimal(*r.reply_hours) : ""}};
        why.push_back(reason(r.reply == "declined"   ? "expedite_declined"
                             : r.reply == "accepted" ? "expedite_accepted"
                             : r.reply == "other"    ? "expedite_other_reply"
                                                     : "expedite_unanswered",
                             v));
    }
    std::string topics;
    auto add_topic = [&](const char* key, const std::optional<std::string>& phrase) {
        if (!phrase) return;
        topics += (topics.empty() ? "" : reason("separator", {})) + reason(key, {{"phrase", *phrase}});
    };
    add_topic("topic_delivery", c.topics.delivery);
    add_topic("topic_product", c.topics.product);
    add_topic("topic_service", c.topics.service);
    why.push_back(reason("topics", {{"topics", topics.empty() ? reason("topic_none", {}) : topics}}));

    // Amazon's grounds (domain.md §3), each named with its evidence.
    if (auto word = obscene_.find(fold_for_matching(c.rating.comment), nullptr)) {
        c.grounds.push_back("obscene");
        why.push_back(reason("ground_obscene", {{"phrase", *word}}));
    }
    const auto personal = find_personal_info(c.rating.comment, shop_.staff_names);
    if (!personal.empty()) {
        c.grounds.push_back("personal_info");
        std::string what;
        for (const auto& p : personal) {
            const std::string kind = reason("what_" + p.kind, {});
            if (what.find(kind) == std::string::npos) what += (what.empty() ? "" : reason("and", {})) + kind;
        }
        why.push_back(reason("ground_personal_info", {{"what", what}}));
    }
    const bool about_delivery_or_service = c.topics.delivery || c.topics.service;
    if (c.topics.product && !about_delivery_or_service) {
        c.grounds.push_back("product_review");
        why.push_back(reason("ground_product_review", {{"phrase", *c.topics.product}}));
    } else if (c.topics.product) {
        why.push_back(reason("mixed_product", {{"product", *c.topics.product}}));
    }
    if (c.fulfillment() == std::optional<std::string>("amazon") && about_delivery_or_service) {
        if (!c.topics.product) {
            c.grounds.push_back("fba_fulfillment");
            why.push_back(reason("ground_fba", {}));
        } else {
            why.push_back(reason("fba_mixed", {}));
        }
    }
    if (c.buy_shipping && c.shipped_on_time == std::optional<bool>(true) && c.topics.delivery) {
        if (!c.topics.product && !c.topics.service) {
            c.grounds.push_back("buy_shipping_on_time");
            why.push_back(reason("ground_buy_shipping", {}));
        } else {
            why.push_back(reason("buy_shipping_not_only_delay", {}));
        }
    }

    const bool removable = c.has_ground("obscene") || c.has_ground("personal_info") || c.has_ground("product_review");
    const bool strike = c.has_ground("fba_fulfillment") || c.has_ground("buy_shipping_on_time");
    if (removable) {
        c.verdict = "removable";
    } else if (strike) {
        c.verdict = "strike_through";
    } else if (c.expedite_declined && c.shipped_on_time == std::optional<bool>(true)) {
        c.verdict = "context_only";
    } else {
        c.verdict = "none";
        if (c.expedite_declined && c.shipped_on_time == std::optional<bool>(false))
            why.push_back(reason("late_shipment_no_context", {}));
    }
    why.push_back(reason("verdict_" + c.verdict, {}));
    if (c.days_left_to_request >= 0)
        why.push_back(reason("request_by", {{"date", to_iso_date(c.request_by)}, {"days", std::to_string(c.days_left_to_request)}}));
    else
        why.push_back(reason("request_window_closed", {{"date", to_iso_date(c.request_by)}}));
    if (c.odr_window_ends) why.push_back(reason("odr_window", {{"date", to_iso_date(*c.odr_window_ends)}}));
}

}  // namespace fbtrack
