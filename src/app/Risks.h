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
// Drafts filled into risks found elsewhere (the monthly report finds its own, for its period).
void draft_risks(const AppContext& c, std::vector<RiskItem>& risks, const DraftWriter& drafts);

}  // namespace fbtrack
