#pragma once
// What the monthly report shows for a period, as of the context's day: the figures and rating
// cases of the period, today's risks, and every draft they call for, written once here for any
// renderer (the HTML page today).
#include "analysis/MonthlyReport.h"
#include "app/AppContext.h"
#include "app/Ratings.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct ReportRequest {
    Date from, to;  // local dates, inclusive
};

// The period `report` covers when the seller names none: the last complete month as of `today`
// (the marketplace's local day), so that a report made on the 1st is of the month just ended.
ReportRequest last_complete_month(const Date& today);
// The period as it stands in a file name: YYYY-MM for a whole month, else FROM_TO.
std::string period_name(const ReportRequest& period);

// The report's file when the seller gives no --out: SHOP-PERIOD.html in the fbtrack folder of
// the documents folder (~/Documents/fbtrack), where a seller looks for it. SHOP is
// shop_file_name(shop_name), or `database_stem` for a shop without a name yet.
std::filesystem::path default_report_file(const std::string& shop_name, const std::string& database_stem,
                                          const ReportRequest& period);
// The shop's name made safe as a file name: no slash, control, bidi or other invisible character
// (each such run becomes one '_'), no leading '.' (a hidden file) or '-', up to 100 bytes of whole
// UTF-8 characters; "" when nothing is left.
std::string shop_file_name(const std::string& shop_name);

// One line of the report's to-do list, pointing at the card or risk row it is about.
struct ReportTask {
    enum class Kind {
        rating,              // a rating of the period whose removal window is open and Amazon has not decided
        unanswered_request,  // a request to ship faster the seller has not answered
        unanswered_message,  // a buyer message past Amazon's 24 hours
    };
    Kind kind = Kind::rating;
    std::size_t index = 0;  // into figures.cases (rating) or figures.risks (the others)
};

struct ReportContents {
    MonthlyReport figures;  // its risks with their drafts filled
    // For each of figures.cases, the drafts it calls for: each kind in the context's language,
    // then in the other one; the first kind is the one its verdict calls for first.
    std::vector<std::vector<DraftAttempt>> case_drafts;
    // What to do, in order: the ratings by verdict (removable first) and then by the last day
    // to request removal, then the unanswered requests and messages by their due day.
    std::vector<ReportTask> tasks;
};

ReportContents monthly_report(const AppContext& context, const ReportRequest& request);

}  // namespace fbtrack
