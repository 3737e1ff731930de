#pragma once
// What may go wrong next, as of today: unshipped orders whose ship-by window crosses closed days,
// requests to ship faster whose buyer can still rate, messages left unanswered past 24 hours,
// removal windows about to close, and the follow-ups careful sellers send.
#include "analysis/RatingCase.h"
#include "analysis/ShopCalendar.h"
#include "catalogue/Marketplace.h"
#include "catalogue/Sentences.h"
#include "store/Store.h"
#include "text/Dates.h"


#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fbtrack {

struct RiskItem {
    std::string kind;  // closed_days, expedite_no_rating, unanswered, removal_deadline, follow_up
    std::string order_id;
    std::optional<Date> due;
    std::string action;
    std::optional<std::string> note;        // a caution to read beside the draft
    std::string draft_template;             // data/templates/NAME.*.txt for the draft, or ""
    std::map<std::string, std::string> facts;  // what the template is filled with
    std::optional<std::string> draft;       // filled by the drafts module
    bool unanswered = false;                // a buyer's request or message the seller has not answered
};

class RiskFinder {
public:
    RiskFinder(Store& store, const Marketplace& marketplace, const ShopSettings& shop,
               const Catalogue& data, const std::string& lang, const Date& today);

    // `recent_cases`: rating cases whose removal window may still be open; only those rated in
    // removal_warning_range() can give an item.
    std::vector<RiskItem> find(const std::vector<RatingCase>& recent_cases);
    // The same with the messages already loaded and paired (the report reads them too).
    std::vector<RiskItem> find(const std::vector<RatingCase>& recent_cases, const MessageTimeline& timeline);
    // The rating dates whose removal window closes within removal_warning_days of `today`.
    static std::pair<Date, Date> removal_warning_range(const Date& today);

    static constexpr int removal_warning_days = 14;
    static constexpr int rating_window_days = 90;  // a buyer may rate within 90 days of the order
    static constexpr int shipment_notice_days = 3;  // how long a shipment notice stays worth sending
    static constexpr int assumed_transit_days = 3;  // when no delivery promise is known
    static constexpr int arrival_check_days = 7;

private:
    std::string text(const std::string& key, const std::vector<std::pair<std::string, std::string>>& values) const;
    void closed_day_risks(std::vector<RiskItem>& out) const;

    Store& store_;
    const Marketplace& marketplace_;
    ShopCalendar calendar_;
    Date today_;
    Sentences texts_;
};

}  // namespace fbtrack
