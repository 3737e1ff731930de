#pragma once
// The monthly report as one self-contained HTML page: inline CSS, SVG and a little script allowed
// by hash in a Content-Security-Policy that permits nothing else. Every imported string is escaped.
#include "app/MonthlyReport.h"
#include "catalogue/Marketplace.h"
#include "catalogue/ShopSettings.h"

#include <filesystem>
#include <ostream>
#include <string>

namespace fbtrack {

// Streams the page to `out`, one rating card at a time.
void write_html_report(std::ostream& out, const ReportContents& report, const Marketplace& marketplace,
                       const ShopSettings& shop, const Catalogue& data, const std::string& lang);
std::string render_html_report(const ReportContents& report, const Marketplace& marketplace, const ShopSettings& shop,
                               const Catalogue& data, const std::string& lang);

// "sha256-…" of a text, as a CSP source expression.
std::string csp_hash(const std::string& text);

}  // namespace fbtrack
