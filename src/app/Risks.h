#pragma once
// What needs doing next, each with its draft where one helps: the one place the risk pipeline
// runs (rating cases → risks → drafts), for `risk`, the alerts and the monthly report.
#include "analysis/Conversations.h"
#include "analysis/RatingCase.h"
#include "analysis/Risks.h"
#include "app/AppContext.h"
#include "drafts/DraftWriter.h"

#include <vector>

namespace fbtrack {

// The risks that `recent_cases` (ratings whose removal window may close soon) and the shop's
// orders and messages give as of the context's day, with their drafts filled.
std::vector<RiskItem> drafted_risks(const AppContext& c, Correlator& correlator, const MessageTimeline& timeline,
                                    const DraftWriter& drafts);
// The same with everything loaded here: what `risk` shows.
std::vector<RiskItem> todays_risks(const AppContext& c);
// Today's risks for a page that shows the most urgent: requests to ship faster not answered, then
// other buyer messages past 24 hours, removal windows closing, closures to announce, the rest; each
// kind by its due day. Only the first `most` are drafted and kept; `more` counts the others (a shop
// of a million orders a month has tens of thousands of requests open to a rating).
struct UrgentRisks {
    std::vector<RiskItem> first;
    std::size_t more = 0;
};
UrgentRisks most_urgent_risks(const AppContext& c, std::size_t most, bool unanswered_only = false);

// Drafts filled into risks found elsewhere (the monthly report finds its own, for its period).
void draft_risks(const AppContext& c, std::vector<RiskItem>& risks, const DraftWriter& drafts);

}  // namespace fbtrack
