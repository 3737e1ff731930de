#include "analysis/MonthlyReport.h"

#include <boost/date_time/local_time/local_time.hpp>

#include <algorithm>
#include <map>
#include <tuple>

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

    // Orders: counted in the database, month by month, from the purchase-time index alone; only
    // the period's own orders are read, for their fulfillment. Local months start at a UTC time,
    // and stored times sort as they compare.
    const Date trend_first = Date(to.year(), to.month(), 1) - months(11);
    std::map<std::string, MonthCount> trend;
    for (Date m = trend_first; m <= to; m += months(1)) {
        auto& count = trend[month_of(m)];
        count.month = month_of(m);
        count.orders = store.orders().count_orders(utc_start(m), utc_start(std::min(m.end_of_month(), to) + days(1)));
    }
    const auto orders = store.orders().count_orders_by_fulfillment(utc_start(from), utc_start(to + days(1)));
    r.orders_merchant = orders.merchant;
    r.orders_amazon = orders.amazon;
    r.orders_unknown = orders.unknown;

    // Ratings: the period's, each month's, and the ODR windows by order date.
    const auto stars = store.feedback().count_ratings(to_iso_date(from), to_iso_date(to));
    r.negative = static_cast<std::size_t>(stars[1] + stars[2]);
    r.neutral = static_cast<std::size_t>(stars[3]);
    // A rating counts in its month's trend even when it came after a period that ends mid-month.
    for (const auto& [month, n] : store.feedback().count_negative_by_month(to_iso_date(trend_first), to_iso_date(to.end_of_month())))
        if (auto it = trend.find(month); it != trend.end()) it->second.negative = n;
    const int longest_window = 365;
    const auto end_of_today = utc_start(today + days(1));
    const auto negative_purchases = store.feedback().negative_purchase_times(utc_start(today - days(longest_window - 1)), end_of_today);
    for (const int window : {30, 60, 90, longest_window}) {
        OdrWindow w;
        w.days = window;
        const auto window_start = utc_start(today - days(window - 1));
        w.orders = store.orders().count_orders(window_start, end_of_today);
        w.negative = negative_purchases.end() -
                     std::lower_bound(negative_purchases.begin(), negative_purchases.end(), window_start);
        if (w.orders > 0) w.per_100_orders = 100.0 * static_cast<double>(w.negative) / static_cast<double>(w.orders);
        r.odr.push_back(w);
    }

    // Messages: loaded and paired once, for the report's requests and replies and the risk finder.
    const MessageTimeline timeline = load_message_timeline(store);
    for (const auto& e : timeline.requests) {
        const Date on = local.of(e.requested_at);
        if (auto it = trend.find(month_of(on)); it != trend.end()) ++it->second.expedite;
        if (on < from || on > to) continue;
        ++r.expedite.total;
        if (e.reply == "declined") ++r.expedite.declined;
        else if (e.reply == "accepted") ++r.expedite.accepted;
        else if (e.reply == "other") ++r.expedite.other;
        else ++r.expedite.none;
    }
    // Buyer messages of the period; a reply counts when it came within a week after the period.
    // A buyer message's reply is the first matching seller message after it, so the pairing of
    // all messages, cut at that week, is the pairing of the period's messages alone.
    const std::string replies_until = utc_start(to + days(8));
    std::vector<ReplyPairing> period_pairs;
    for (const auto& p : timeline.pairs) {
        const Date on = local.of(timeline.messages[p.buyer].sent_at);
        if (on < from || on > to) continue;
        ReplyPairing kept = p;
        if (kept.reply && timeline.messages[*kept.reply].sent_at >= replies_until) {
            kept.reply.reset();
            kept.hours.reset();
        }
        period_pairs.push_back(kept);
    }
    r.replies = reply_stats(timeline.messages, period_pairs,
                            std::min(utc_of_local(to + days(1), boost::posix_time::hours(0), zone),
                                     utc_of_local(today + days(1), boost::posix_time::hours(0), zone)));

    for (auto& [month, count] : trend) r.trend.push_back(count);
    r.cases = correlator.cases(from, to);
    // The risk finder warns about removal windows that close soon: the cases rated in those days,
    // taken from the period's where it covers them, built here for the rest.
    const auto [warn_from, warn_to] = RiskFinder::removal_warning_range(today);
    std::vector<RatingCase> warn_cases;
    for (const auto& c : r.cases)
        if (c.rated_on >= warn_from && c.rated_on <= warn_to) warn_cases.push_back(c);
    auto add_cases = [&](const Date& a, const Date& b) {
        if (a > b) return;
        for (auto& c : correlator.cases(a, b)) warn_cases.push_back(std::move(c));
    };
    if (to < warn_from || from > warn_to) {
        add_cases(warn_from, warn_to);
    } else {
        add_cases(warn_from, std::min(warn_to, from - days(1)));
        add_cases(std::max(warn_from, to + days(1)), warn_to);
    }
    // In the order the store gives ratings: by date, then order ID.
    std::stable_sort(warn_cases.begin(), warn_cases.end(), [](const RatingCase& a, const RatingCase& b) {
        return std::tie(a.rating.rated_on, a.rating.order_id) < std::tie(b.rating.rated_on, b.rating.order_id);
    });
    r.risks = risks.find(warn_cases, timeline);
    r.appeals = store.feedback().appeal_outcomes();
    r.appeal_counts = count_appeals(r.appeals);
    return r;
}

}  // namespace fbtrack
