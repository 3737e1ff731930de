#pragma once
// The figures of the monthly report, computed from the store for a period and as of a day.
#include "analysis/Conversations.h"
#include "analysis/RatingCase.h"
#include "analysis/Risks.h"

#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct OdrWindow {
    int days = 0;
    std::int64_t orders = 0;    // orders purchased in the window
    std::int64_t negative = 0;  // 1-2 star ratings on those orders
    std::optional<double> per_100_orders;
};

struct MonthCount {
    std::string month;  // YYYY-MM
    std::int64_t orders = 0, negative = 0, expedite = 0;
};

struct ExpediteSummary {
    std::size_t total = 0, declined = 0, accepted = 0, other = 0, none = 0;
};

// Removal requests recorded with `appeal --mark`, and how many of the decided ones were removed.
struct AppealCounts {
    std::size_t submitted = 0, removed = 0, refused = 0;
    bool decided() const { return removed + refused > 0; }
    double success_rate() const {  // only meaningful when decided()
        return decided() ? static_cast<double>(removed) / static_cast<double>(removed + refused) : 0.0;
    }
};
AppealCounts count_appeals(const std::vector<AppealOutcome>& appeals);

struct MonthlyReport {
    Date from, to, today;
    std::int64_t orders_merchant = 0, orders_amazon = 0, orders_unknown = 0;
    std::size_t negative = 0, neutral = 0;  // ratings posted in the period
    std::vector<OdrWindow> odr;             // 30, 60, 90, 365 days up to today, by order date
    std::vector<MonthCount> trend;          // the 12 months ending with the period's last month
    ExpediteSummary expedite;               // requests made in the period
    ReplyStats replies;                     // buyer messages sent in the period
    std::vector<RatingCase> cases;          // ratings posted in the period
    std::vector<RiskItem> risks;            // as of today, whatever the period
    AppealCounts appeal_counts;
    std::vector<AppealOutcome> appeals;
};

MonthlyReport build_monthly_report(Store& store, Correlator& correlator, RiskFinder& risks,
                                   const Marketplace& marketplace, const Date& from, const Date& to, const Date& today);

}  // namespace fbtrack
