#pragma once
// Inline SVG charts: readable axes and labels, no scripts, no external resources. Every label is
// escaped; everything else is numbers.
#include "analysis/MonthlyReport.h"

#include <string>

namespace fbtrack {

struct TrendLabels {
    std::string orders, negative, expedite, axis_left, axis_right, title;
};

std::string trend_chart_svg(const std::vector<MonthCount>& months, const TrendLabels& labels);

// Horizontal bars of negative ratings per 100 orders, with the 1 % target drawn.
std::string odr_chart_svg(const std::vector<OdrWindow>& windows, const std::vector<std::string>& window_labels,
                          const std::string& target_label, const std::string& title);

std::string escape_html(const std::string& text);

}  // namespace fbtrack
