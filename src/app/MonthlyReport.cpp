#include "app/MonthlyReport.h"

#include "app/Risks.h"
#include "drafts/DraftWriter.h"

namespace fbtrack {

ReportContents monthly_report(const AppContext& context, const ReportRequest& request) {
    const Date today = context.today();
    Correlator correlator(context.store, context.marketplace, context.shop, context.data, context.lang, today);
    RiskFinder risks(context.store, context.marketplace, context.shop, context.data, context.lang, today);
    ReportContents r;
    // Each rating case is built once and the messages paired once, for the figures and the risks alike.
    r.figures = build_monthly_report(context.store, correlator, risks, context.marketplace, request.from, request.to, today);
    const DraftWriter drafts(context.data, context.marketplace, context.shop);
    draft_risks(context, r.figures.risks, drafts);
    const std::vector<std::string> langs = {context.lang, context.lang == "ja" ? "en" : "ja"};
    r.case_drafts.reserve(r.figures.cases.size());
    for (const auto& c : r.figures.cases) r.case_drafts.push_back(case_drafts(drafts, c, langs));
    return r;
}

}  // namespace fbtrack
