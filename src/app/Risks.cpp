#include "app/Risks.h"

namespace fbtrack {

void draft_risks(const AppContext& c, std::vector<RiskItem>& risks, const DraftWriter& drafts) {
    fill_risk_drafts(risks, drafts, c.lang);
}

namespace {

// The risks as of the context's day, not drafted yet.
std::vector<RiskItem> found_risks(const AppContext& c, Correlator& correlator, const MessageTimeline& timeline) {
    RiskFinder finder(c.store, c.marketplace, c.shop, c.data, c.lang, c.today());
    // Only the ratings whose removal window closes soon can be a risk.
    const auto [warn_from, warn_to] = RiskFinder::removal_warning_range(c.today());
    return finder.find(correlator.cases(warn_from, warn_to), timeline);
}

int urgency(const RiskItem& risk) {
    if (risk.kind == "expedite_no_rating" && risk.unanswered) return 0;
    if (risk.kind == "unanswered") return 1;
    if (risk.kind == "removal_deadline") return 2;
    if (risk.kind == "closed_days") return 3;
    return 4;
}

}  // namespace

std::vector<RiskItem> drafted_risks(const AppContext& c, Correlator& correlator, const MessageTimeline& timeline,
                                    const DraftWriter& drafts) {
    auto risks = found_risks(c, correlator, timeline);
    draft_risks(c, risks, drafts);
    return risks;
}

UrgentRisks most_urgent_risks(const AppContext& c, std::size_t most, bool unanswered_only) {
    Correlator correlator(c.store, c.marketplace, c.shop, c.data, c.lang, c.today());
    std::vector<RiskItem> risks = found_risks(c, correlator, load_message_timeline(c.store));
    if (unanswered_only) std::erase_if(risks, [](const RiskItem& r) { return !r.unanswered; });
    const Date never(boost::gregorian::max_date_time);
    std::stable_sort(risks.begin(), risks.end(), [&](const RiskItem& a, const RiskItem& b) {
        if (urgency(a) != urgency(b)) return urgency(a) < urgency(b);
        return a.due.value_or(never) < b.due.value_or(never);
    });
    UrgentRisks urgent;
    if (risks.size() > most) {
        urgent.more = risks.size() - most;
        risks.resize(most);
    }
    draft_risks(c, risks, DraftWriter(c.data, c.marketplace, c.shop));
    urgent.first = std::move(risks);
    return urgent;
}

std::vector<RiskItem> todays_risks(const AppContext& c) {
    Correlator correlator(c.store, c.marketplace, c.shop, c.data, c.lang, c.today());
    const DraftWriter drafts(c.data, c.marketplace, c.shop);
    return drafted_risks(c, correlator, load_message_timeline(c.store), drafts);
}

}  // namespace fbtrack
