#include "app/Risks.h"

namespace fbtrack {

void draft_risks(const AppContext& c, std::vector<RiskItem>& risks, const DraftWriter& drafts) {
    fill_risk_drafts(risks, drafts, c.lang);
}

std::vector<RiskItem> drafted_risks(const AppContext& c, Correlator& correlator, const MessageTimeline& timeline,
                                    const DraftWriter& drafts) {
    const Date today = c.today();
    RiskFinder finder(c.store, c.marketplace, c.shop, c.data, c.lang, today);
    // Only the ratings whose removal window closes soon can be a risk.
    const auto [warn_from, warn_to] = RiskFinder::removal_warning_range(today);
    auto risks = finder.find(correlator.cases(warn_from, warn_to), timeline);
    draft_risks(c, risks, drafts);
    return risks;
}

std::vector<RiskItem> todays_risks(const AppContext& c) {
    Correlator correlator(c.store, c.marketplace, c.shop, c.data, c.lang, c.today());
    const DraftWriter drafts(c.data, c.marketplace, c.shop);
    return drafted_risks(c, correlator, load_message_timeline(c.store), drafts);
}

}  // namespace fbtrack
