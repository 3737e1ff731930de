#include "analysis/Risks.h"

#include "core/DataFiles.h"
#include "core/Errors.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <set>

namespace fbtrack {

RiskFinder::RiskFinder(Store& store, const Marketplace& marketplace, const std::filesystem::path& data_dir,
                       const std::string& lang, const Date& today)
    : store_(store), marketplace_(marketplace), today_(today),
      texts_(load_json_object(data_dir / "templates" / ("risk." + lang + ".json"))) {}

std::string RiskFinder::text(const std::string& key, const std::vector<std::pair<std::string, std::string>>& values) const {
    if (!texts_->has(key)) throw InternalError("data/templates/risk.*.json has no sentence '" + key + "'");
    kainjow::mustache::mustache tmpl(texts_->getValue<std::string>(key));
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    kainjow::mustache::data data;
    for (const auto& [k, v] : values) data.set(k, v);
    return tmpl.render(data);
}

std::vector<RiskItem> RiskFinder::find(const std::vector<RatingCase>& recent_cases) {
    std::vector<RiskItem> out;
    const auto& zone = marketplace_.zone;
    const auto now = utc_of_local(today_, boost::posix_time::hours(23) + boost::posix_time::minutes(59), zone);
    std::set<std::string> rated;
    for (const auto& r : store_.rated_orders()) rated.insert(r.order_id);

    const auto messages = store_.messages(std::nullopt, false);
    const auto pairs = pair_replies(messages);
    // Requests to ship faster whose buyer has not rated and still can.
    for (const auto& r : expedite_requests(messages, pairs, store_.manual_expedites())) {
        if (r.order_id.empty() || rated.count(r.order_id) || r.reply == "accepted") continue;
        const auto order = store_.order(r.order_id);
        const auto ordered = order && order->purchased_at ? local_date_of(from_iso_utc(*order->purchased_at), zone)
                                                          : local_date_of(from_iso_utc(r.requested_at), zone);
        const Date due = ordered + boost::gregorian::days(rating_window_days);
        if (due < today_) continue;
        const std::string requested = to_local_minutes(from_iso_utc(r.requested_at), zone);
        const std::string key = r.reply == "declined" ? "expedite_no_rating_declined"
                                : r.reply == "none"   ? "expedite_no_rating_unanswered"
                                                      : "expedite_no_rating_other";
        out.push_back({"expedite_no_rating", r.order_id, due, text(key, {{"requested", requested}, {"due", to_iso_date(due)}}),
                       std::nullopt});
    }
    // Buyer messages past Amazon's 24 hours, from the last 90 days.
    for (const auto& p : pairs) {
        if (p.reply) continue;
        const auto& m = messages[p.buyer];
        const auto sent = from_iso_utc(m.sent_at);
        if (now - sent <= boost::posix_time::hours(24)) continue;
        const Date due = local_date_of(sent + boost::posix_time::hours(24), zone);
        if ((today_ - due).days() > rating_window_days) continue;
        out.push_back({"unanswered", m.order_id.value_or(""), due,
                       text("unanswered", {{"sent", to_local_minutes(sent, zone)}, {"due", to_iso_date(due)}}), std::nullopt});
    }
    // Removal windows that close within two weeks, for ratings with something to ask for.
    for (const auto& c : recent_cases) {
        if (c.verdict == "none" || (c.outcome && c.outcome->outcome)) continue;
        if (c.days_left_to_request < 0 || c.days_left_to_request > removal_warning_days) continue;
        out.push_back({"removal_deadline", c.rating.order_id, c.request_by,
                       text("removal_deadline", {{"due", to_iso_date(c.request_by)},
                                                 {"days", std::to_string(c.days_left_to_request)},
                                                 {"verdict", text("verdict_" + c.verdict, {})}}),
                       std::nullopt});
    }
    std::stable_sort(out.begin(), out.end(), [](const RiskItem& a, const RiskItem& b) {
        return a.due.value_or(Date(boost::gregorian::pos_infin)) < b.due.value_or(Date(boost::gregorian::pos_infin));
    });
    return out;
}

Poco::JSON::Object::Ptr risk_json(const RiskItem& r) {
    using Poco::Dynamic::Var;
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("kind", r.kind);
    o->set("order_id", r.order_id.empty() ? Var() : Var(r.order_id));
    o->set("due", r.due ? Var(to_iso_date(*r.due)) : Var());
    o->set("action", r.action);
    o->set("draft", r.draft ? Var(*r.draft) : Var());
    return o;
}

}  // namespace fbtrack
