#include "analysis/MonthlyReport.h"

#include <boost/date_time/local_time/local_time.hpp>

#include <map>

namespace fbtrack {

namespace {

std::string month_of(const Date& d) { return to_iso_date(d).substr(0, 7); }

// Local date of a stored UTC time, fast where the zone has no daylight saving (Japan).
class LocalDates {
public:
    explicit LocalDates(const boost::local_time::time_zone_ptr& zone) : zone_(zone) {}
    Date of(const std::string& utc) const {
        const auto t = from_iso_utc(utc);
        if (!zone_->has_dst()) return (t + zone_->base_utc_offset()).date();
        return local_date_of(t, zone_);
    }

private:
    boost::local_time::time_zone_ptr zone_;
};

}  // namespace

AppealCounts count_appeals(const std::vector<AppealOutcome>& appeals) {
    AppealCounts c;
    for (const auto& a : appeals) {
        if (a.submitted_on || a.outcome) ++c.submitted;
        if (a.outcome == std::optional<std::string>("removed")) ++c.removed;
        if (a.outcome == std::optional<std::string>("refused")) ++c.refused;
    }
    return c;
}

MonthlyReport build_monthly_report(Store& store, Correlator& correlator, RiskFinder& risks,
                                   const Marketplace& marketplace, const Date& from, const Date& to, const Date& today) {
    using boost::gregorian::days;
    using boost::gregorian::months;
    const auto& zone = marketplace.zone;
    const LocalDates local(zone);
    auto utc_start = [&](const Date& d) { return to_iso_utc(utc_of_local(d, boost::posix_time::hours(0), zone)); };

    MonthlyReport r;
    r.from = from;
    r.to = to;
    r.today = today;

    // Twelve months of orders, counted in one pass; the period's own counts come from the same rows.
    const Date trend_first = Date(to.year(), to.month(), 1) - months(11);
    std::map<std::string, MonthCount> trend;
    for (Date m = trend_first; m <= to; m += months(1)) trend[month_of(m)].month = month_of(m);
    const Date scan_from = std::min(trend_first, from);
    store.for_each_order(utc_start(scan_from), utc_start(to + days(1)),
                         [&](const std::string& purchased_at, const std::optional<std::string>& fulfillment) {
                             const Date d = local.of(purchased_at);
                             if (auto it = trend.find(month_of(d)); it != trend.end()) ++it->second.orders;
                             if (d < from || d > to) return;
                             if (fulfillment == std::optional<std::string>("merchant")) ++r.orders_merchant;
                             else if (fulfillment == std::optional<std::string>("amazon")) ++r.orders_amazon;
                             else ++r.orders_unknown;
                         });

    // Ratings: the period's, each month's, and the ODR windows by order date.
    const auto rated = store.rated_orders();
    for (const auto& ro : rated) {
        const Date on = from_iso_date(ro.rated_on);
        if (on >= from && on <= to) {
            if (ro.rating <= 2) ++r.negative;
            else if (ro.rating == 3) ++r.neutral;
        }
        if (ro.rating <= 2)
            if (auto it = trend.find(month_of(on)); it != trend.end()) ++it->second.negative;
    }
    for (const int window : {30, 60, 90, 365}) {
        OdrWindow w;
        w.days = window;
        const Date first = today - days(window - 1);
        w.orders = store.count_orders(utc_start(first), utc_start(today + days(1)));
        for (const auto& ro : rated) {
            if (ro.rating > 2 || !ro.purchased_at) continue;
            const Date ordered = local.of(*ro.purchased_at);
            if (ordered >= first && ordered <= today) ++w.negative;
        }
        if (w.orders > 0) w.per_100_orders = 100.0 * static_cast<double>(w.negative) / static_cast<double>(w.orders);
        r.odr.push_back(w);
    }

    // Messages: requests and replies in the period, and how fast buyers were answered. Scoped, so
    // that they are freed before the risk finder loads them again.
    {
        const auto messages = store.messages(std::nullopt, false);
        const auto pairs = pair_replies(messages);
        for (const auto& e : expedite_requests(messages, pairs, store.manual_expedites())) {
            const Date on = local.of(e.requested_at);
            if (auto it = trend.find(month_of(on)); it != trend.end()) ++it->second.expedite;
            if (on < from || on > to) continue;
            ++r.expedite.total;
            if (e.reply == "declined") ++r.expedite.declined;
            else if (e.reply == "accepted") ++r.expedite.accepted;
            else if (e.reply == "other") ++r.expedite.other;
            else ++r.expedite.none;
        }
        std::vector<StoredMessage> in_period;
        for (const auto& m : messages) {
            const Date on = local.of(m.sent_at);
            if (on >= from && on <= to + days(7)) in_period.push_back(m);  // replies may come after the period
        }
        std::vector<ReplyPairing> period_pairs;
        for (const auto& p : pair_replies(in_period))
            if (local.of(in_period[p.buyer].sent_at) <= to) period_pairs.push_back(p);
        r.replies = reply_stats(in_period, period_pairs,
                                std::min(utc_of_local(to + days(1), boost::posix_time::hours(0), zone),
                                         utc_of_local(today + days(1), boost::posix_time::hours(0), zone)));
    }

    for (auto& [month, count] : trend) r.trend.push_back(count);
    r.cases = correlator.cases(from, to);
    r.risks = risks.find(correlator.cases(today - days(90), today));
    r.appeals = store.appeal_outcomes();
    r.appeal_counts = count_appeals(r.appeals);
    return r;
}

}  // namespace fbtrack
