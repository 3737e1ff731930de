#pragma once
// What the monthly report shows for a period, as of the context's day: the figures and rating
// cases of the period, today's risks, and every draft they call for, written once here for any
// renderer (the HTML page today).
#include "analysis/MonthlyReport.h"
#include "app/AppContext.h"
#include "app/Ratings.h"

#include <vector>

namespace fbtrack {

struct ReportRequest {
    Date from, to;  // local dates, inclusive
};

struct ReportContents {
    MonthlyReport figures;  // its risks with their drafts filled
    // For each of figures.cases, the drafts it calls for: each kind in the context's language,
    // then in the other one.
    std::vector<std::vector<DraftAttempt>> case_drafts;
};

ReportContents monthly_report(const AppContext& context, const ReportRequest& request);

}  // namespace fbtrack
