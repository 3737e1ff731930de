#pragma once
// The monthly report as one self-contained HTML page: inline CSS, SVG and a little script allowed
// by hash in a Content-Security-Policy that permits nothing else. Every imported string is escaped.
#include "app/MonthlyReport.h"
#include "catalogue/Marketplace.h"
#include "catalogue/Sentences.h"
#include "catalogue/ShopSettings.h"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace fbtrack {

// Streams the page to `out`, one rating card at a time.
void write_html_report(std::ostream& out, const ReportContents& report, const Marketplace& marketplace,
                       const ShopSettings& shop, const Catalogue& data, const std::string& lang);
std::string render_html_report(const ReportContents& report, const Marketplace& marketplace, const ShopSettings& shop,
                               const Catalogue& data, const std::string& lang);

// The page's templates, read and parsed as the report does, without data: DataFileError naming
// the file if the report could not use it.
const std::vector<std::string>& report_template_names();  // templates/report.html, …
void check_report_template(const Catalogue& data, const std::string& name);

// A rating case's facts in the words of templates/report.LANG.json (`t`), as the report's card and
// the rating page of `serve` show them: no code reaches a page.
struct CaseShown {
    std::string grounds, deadline;
    struct Event {
        std::string when, label, detail;  // detail may be empty
    };
    std::vector<Event> timeline;
};
CaseShown case_shown(const RatingCase& c, const Sentences& t);

// "sha256-…" of a text, as a CSP source expression.
std::string csp_hash(const std::string& text);

}  // namespace fbtrack
