#pragma once
// What may go wrong next, as of today: requests to ship faster whose buyer can still rate,
// messages left unanswered past 24 hours, removal windows about to close.
#include "analysis/RatingCase.h"
#include "core/Marketplace.h"
#include "store/Store.h"
#include "text/Dates.h"

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct RiskItem {
    std::string kind;  // closed_days, expedite_no_rating, unanswered, removal_deadline, follow_up
    std::string order_id;
    std::optional<Date> due;
    std::string action;
    std::optional<std::string> draft;
};

class RiskFinder {
public:
    RiskFinder(Store& store, const Marketplace& marketplace, const std::filesystem::path& data_dir,
               const std::string& lang, const Date& today);

    // `recent_cases`: rating cases whose removal window may still be open.
    std::vector<RiskItem> find(const std::vector<RatingCase>& recent_cases);

    static constexpr int removal_warning_days = 14;
    static constexpr int rating_window_days = 90;  // a buyer may rate within 90 days of the order

private:
    std::string text(const std::string& key, const std::vector<std::pair<std::string, std::string>>& values) const;

    Store& store_;
    const Marketplace& marketplace_;
    Date today_;
    Poco::JSON::Object::Ptr texts_;
};

Poco::JSON::Object::Ptr risk_json(const RiskItem& r);

}  // namespace fbtrack
