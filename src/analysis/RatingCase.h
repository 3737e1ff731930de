#pragma once
// Everything known about one negative or neutral rating, side by side, and the honest verdict:
// which of Amazon's removal grounds applies, or that none does.
#include "analysis/Conversations.h"
#include "analysis/PhraseList.h"
#include "analysis/ShopCalendar.h"
#include "catalogue/Marketplace.h"
#include "catalogue/Sentences.h"
#include "catalogue/ShopSettings.h"
#include "store/Store.h"
#include "text/Dates.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct TimelineEvent {
    std::string when;    // "2026-10-09 22:30" or "2026-10-11" (marketplace-local)
    std::string event;   // ordered, ship_by, expedite_request, reply, shipped, promised_delivery, rated
    std::string detail;  // carrier, reply kind, stars …
};

struct CommentTopics {
    std::optional<std::string> delivery, product, service;  // the phrase that showed each topic
};

struct RatingCase {
    Rating rating;
    std::optional<OrderFacts> order;
    std::vector<ItemFacts> items;
    std::vector<ShipmentFacts> shipments;
    std::vector<ExpediteRequest> expedite_requests;  // made before the rating

    bool expedite_requested = false, expedite_declined = false, expedite_accepted = false;
    std::optional<double> reply_hours;
    std::optional<Date> ordered_on, ship_by, shipped_on, promised_delivery;
    bool ship_by_estimated = false;  // from the order date and the shop's handling time, not a report
    std::optional<bool> shipped_on_time;
    bool buy_shipping = false;
    CommentTopics topics;

    std::vector<std::string> grounds;  // obscene, personal_info, product_review, fba_fulfillment, buy_shipping_on_time
    std::string verdict;               // removable, strike_through, context_only, none
    std::vector<std::string> reasons;  // in the session's language
    Date rated_on, request_by;
    std::optional<Date> odr_window_ends;
    long days_left_to_request = 0;     // negative once the window has closed
    std::vector<TimelineEvent> timeline;
    std::optional<AppealOutcome> outcome;

    std::optional<std::string> fulfillment() const;  // merchant, amazon, or unknown
    bool has_ground(const std::string& g) const;
};

// Builds rating cases from the store. Phrase lists, the shop's settings and the reason texts are
// read once from data/.
class Correlator {
public:
    Correlator(Store& store, const Marketplace& marketplace, const ShopSettings& shop,
               const Catalogue& data, const std::string& lang, const Date& today);

    // Amazon takes removal requests for 90 days after the rating.
    static constexpr int request_window_days = 90;

    // Ratings of 1-3 stars rated in [from, to] (local dates; open ends allowed).
    std::vector<RatingCase> cases(const std::optional<Date>& from, const std::optional<Date>& to);
    // The same, oldest first, one case at a time: years of ratings never sit in memory as cases.
    void for_each_case(const std::optional<Date>& from, const std::optional<Date>& to,
                       const std::function<void(RatingCase)>& visit);
    std::optional<RatingCase> case_for(const std::string& order_id);

private:
    RatingCase build(const Rating& rating);
    void judge(RatingCase& c) const;
    std::string reason(const std::string& key, const std::vector<std::pair<std::string, std::string>>& values) const;

    Store& store_;
    const Marketplace& marketplace_;
    const ShopSettings& shop_;
    ShopCalendar calendar_;
    Date today_;
    PhraseList delivery_, product_, service_, obscene_;
    Negations negations_;
    Sentences reasons_;
};

}  // namespace fbtrack
