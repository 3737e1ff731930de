#include "app/JsonViews.h"

#include "core/Json.h"
#include "text/Dates.h"

#include <Poco/JSON/Array.h>

#include <cmath>

namespace fbtrack {

Poco::JSON::Object status_json(const ShopStatus& s, const std::string& marketplace) {
    const StoreCounts& c = s.counts;
    const ReplyStats& replies = s.replies;
    const auto share = replies.share_within_24h();
    Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
    root.set("marketplace", marketplace);
    root.set("orders", c.orders);
    root.set("order_items", c.order_items);
    root.set("shipments", c.shipments);
    root.set("feedback", c.feedback);
    root.set("messages", c.messages);
    root.set("imports", c.imports);
    root.set("rejected_rows", c.rejected_rows);
    root.set("buyer_messages", replies.buyer_messages);
    root.set("replied_within_24h", replies.within_24h);
    root.set("replied_later", replies.later);
    root.set("unanswered_over_24h", replies.open_overdue);
    root.set("replied_within_24h_share", share ? Poco::Dynamic::Var(std::round(*share * 1000) / 1000) : Poco::Dynamic::Var());
    Poco::JSON::Object appeals(Poco::JSON_PRESERVE_KEY_ORDER);
    appeals.set("submitted", s.appeals.submitted);
    appeals.set("removed", s.appeals.removed);
    appeals.set("refused", s.appeals.refused);
    appeals.set("success_rate",
                s.appeals.decided() ? Poco::Dynamic::Var(std::round(s.appeals.success_rate() * 1000) / 1000) : Poco::Dynamic::Var());
    root.set("appeals", appeals);
    Poco::JSON::Array entries;
    for (const auto& e : s.journal) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("file", e.file_name);
        o.set("sha256", e.sha256);
        o.set("kind", e.kind);
        o.set("layout", e.layout);
        o.set("encoding", e.encoding);
        o.set("added", e.counts.added);
        o.set("updated", e.counts.updated);
        o.set("unchanged", e.counts.unchanged);
        o.set("rejected", e.counts.rejected);
        o.set("ignored", e.counts.ignored);
        o.set("conflicting", e.counts.conflicting);
        o.set("imported_at", e.imported_at);
        entries.add(o);
    }
    root.set("journal", entries);
    Poco::JSON::Array own;
    for (const auto& [address, from] : s.shop_addresses) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("address", address);
        o.set("learnt_from", from);
        own.add(o);
    }
    root.set("shop_addresses", own);
    Poco::JSON::Array gaps;
    for (const auto& g : s.months_without_mail) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("month", g.month);
        o.set("ratings", g.ratings);
        o.set("orders", g.orders);
        gaps.add(o);
    }
    root.set("months_without_mail", gaps);
    return root;
}

Poco::JSON::Object rating_case_json(const RatingCase& c) {
    using Poco::Dynamic::Var;
    auto date_or_null = [](const std::optional<Date>& d) { return d ? Var(to_iso_date(*d)) : Var(); };
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("order_id", c.rating.order_id);
    o.set("date", c.rating.rated_on);
    o.set("rating", c.rating.rating);
    o.set("comment", c.rating.comment);
    const auto f = c.fulfillment();
    o.set("fulfillment", json_or_null(f));
    o.set("expedite_requested", c.expedite_requested);
    o.set("expedite_declined", c.expedite_declined);
    o.set("expedite_accepted", c.expedite_accepted);
    o.set("reply_hours", json_or_null(c.reply_hours));
    o.set("ordered", date_or_null(c.ordered_on));
    o.set("ship_by", date_or_null(c.ship_by));
    o.set("shipped", date_or_null(c.shipped_on));
    o.set("ship_by_estimated", c.ship_by_estimated);
    o.set("shipped_on_time", json_or_null(c.shipped_on_time));
    o.set("buy_shipping", c.buy_shipping);
    Poco::JSON::Array grounds;
    for (const auto& g : c.grounds) grounds.add(g);
    o.set("grounds", grounds);
    o.set("verdict", c.verdict);
    o.set("request_by", to_iso_date(c.request_by));
    o.set("days_left_to_request", c.days_left_to_request);
    o.set("odr_window_ends", date_or_null(c.odr_window_ends));
    Poco::JSON::Array reasons;
    for (const auto& r : c.reasons) reasons.add(r);
    o.set("reasons", reasons);
    Poco::JSON::Object topics(Poco::JSON_PRESERVE_KEY_ORDER);
    topics.set("delivery", json_or_null(c.topics.delivery));
    topics.set("product", json_or_null(c.topics.product));
    topics.set("service", json_or_null(c.topics.service));
    o.set("topics", topics);
    Poco::JSON::Array timeline;
    for (const auto& e : c.timeline) {
        Poco::JSON::Object event(Poco::JSON_PRESERVE_KEY_ORDER);
        event.set("when", e.when);
        event.set("event", e.event);
        event.set("detail", e.detail);
        timeline.add(event);
    }
    o.set("timeline", timeline);
    if (c.outcome) {
        Poco::JSON::Object outcome(Poco::JSON_PRESERVE_KEY_ORDER);
        outcome.set("submitted_on", json_or_null(c.outcome->submitted_on));
        outcome.set("outcome", json_or_null(c.outcome->outcome));
        outcome.set("decided_on", json_or_null(c.outcome->decided_on));
        o.set("appeal", outcome);
    } else {
        o.set("appeal", Var());
    }
    return o;
}

Poco::JSON::Object::Ptr risk_json(const RiskItem& r) {
    using Poco::Dynamic::Var;
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("kind", r.kind);
    o->set("order_id", r.order_id.empty() ? Var() : Var(r.order_id));
    o->set("due", r.due ? Var(to_iso_date(*r.due)) : Var());
    o->set("action", r.action);
    o->set("note", json_or_null(r.note));
    o->set("draft", json_or_null(r.draft));
    return o;
}

}  // namespace fbtrack
