#pragma once
// The seller's feedback: ratings, and the outcomes of the removal requests made for them.
#include "model/Records.h"
#include "store/Database.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct Rating {
    std::string order_id, rated_on;  // local date
    int rating = 0;
    std::string comment;
    std::optional<std::string> response;
};

// Where a removal request stands: submitted, then removed or refused.
struct AppealOutcome {
    std::string order_id;
    std::optional<std::string> submitted_on, outcome, decided_on;  // local dates
};

struct RatedOrder {
    std::string order_id, rated_on;
    int rating = 0;
    std::optional<std::string> purchased_at;  // none when the order is not imported
};

class FeedbackTables {
public:
    explicit FeedbackTables(Database& database) : database_(database) {}

    RowOutcome upsert(const FeedbackEntry& feedback);

    // Ratings of 1-3 stars rated within [from, to] (local dates, both optional), oldest first.
    std::vector<Rating> ratings(const std::optional<std::string>& from, const std::optional<std::string>& to);
    std::optional<Rating> rating(const std::string& order_id);
    // Every rating with its order's purchase time (the feedback report holds 1-3 stars only).
    std::vector<RatedOrder> rated_orders();
    // The bounded reads of the monthly report: each touches only the rows of the range it counts.
    // Ratings rated in [from, to] (local dates), by their number of stars (index 1-5).
    std::array<std::int64_t, 6> count_ratings(const std::string& from, const std::string& to);
    // 1-2 star ratings rated in [from, to] (local dates), by month (YYYY-MM).
    std::map<std::string, std::int64_t> count_negative_by_month(const std::string& from, const std::string& to);
    // Purchase times (UTC, ascending) of the orders bought in [from, to) that hold a 1-2 star rating.
    std::vector<std::string> negative_purchase_times(const std::string& from_utc, const std::string& to_utc);

    std::optional<AppealOutcome> appeal_outcome(const std::string& order_id);
    std::vector<AppealOutcome> appeal_outcomes();
    void mark_appeal(const std::string& order_id, const std::string& mark, const std::string& on);

private:
    Database& database_;
};

}  // namespace fbtrack
