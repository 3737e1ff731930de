#include "report/Charts.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace fbtrack {

std::string escape_html(const std::string& text) { return kainjow::mustache::html_escape(text); }

namespace {

// A round axis maximum (1, 2, 5 × 10^n) at or above `value`.
double nice_ceiling(double value) {
    if (value <= 0) return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 5.0, 10.0})
        if (step * magnitude >= value) return step * magnitude;
    return 10 * magnitude;
}

std::string number(double v) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(v == std::floor(v) ? 0 : 1);
    s << v;
    return s.str();
}

}  // namespace

std::string trend_chart_svg(const std::vector<MonthCount>& months, const TrendLabels& labels) {
    const double width = 720, height = 280, left = 48, right = 48, top = 36, bottom = 48;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    std::int64_t max_orders = 0, max_small = 0;
    for (const auto& m : months) {
        max_orders = std::max(max_orders, m.orders);
        max_small = std::max({max_small, m.negative, m.expedite});
    }
    // Four grid steps of a round size, so every tick is a whole count.
    const double orders_top = 4 * std::max(1.0, nice_ceiling(static_cast<double>(max_orders) / 4.0));
    const double small_top = 4 * std::max(1.0, nice_ceiling(static_cast<double>(max_small) / 4.0));
    const double slot = months.empty() ? plot_w : plot_w / static_cast<double>(months.size());
    auto x_mid = [&](std::size_t i) { return left + slot * (static_cast<double>(i) + 0.5); };
    auto y_orders = [&](double v) { return top + plot_h - plot_h * v / orders_top; };
    auto y_small = [&](double v) { return top + plot_h - plot_h * v / small_top; };

    std::ostringstream s;
    s << R"(<svg viewBox="0 0 )" << width << " " << height << R"(" role="img" aria-label=")" << escape_html(labels.title)
      << R"(" xmlns="http://www.w3.org/2000/svg">)";
    s << "<title>" << escape_html(labels.title) << "</title>";
    for (int g = 0; g <= 4; ++g) {
        const double y = top + plot_h * g / 4.0;
        s << R"(<line class="grid" x1=")" << left << R"(" x2=")" << left + plot_w << R"(" y1=")" << y << R"(" y2=")" << y << R"("/>)";
        s << R"(<text x=")" << left - 6 << R"(" y=")" << y + 4 << R"(" text-anchor="end">)" << number(orders_top * (4 - g) / 4.0) << "</text>";
        s << R"(<text x=")" << left + plot_w + 6 << R"(" y=")" << y + 4 << R"(">)" << number(small_top * (4 - g) / 4.0) << "</text>";
    }
    s << R"(<line class="axis" x1=")" << left << R"(" x2=")" << left << R"(" y1=")" << top << R"(" y2=")" << top + plot_h << R"("/>)";
    s << R"(<line class="axis" x1=")" << left << R"(" x2=")" << left + plot_w << R"(" y1=")" << top + plot_h << R"(" y2=")" << top + plot_h << R"("/>)";
    s << R"(<text x=")" << left - 40 << R"(" y=")" << top - 12 << R"(">)" << escape_html(labels.axis_left) << "</text>";
    s << R"(<text x=")" << left + plot_w + 40 << R"(" y=")" << top - 12 << R"(" text-anchor="end">)" << escape_html(labels.axis_right) << "</text>";
    for (std::size_t i = 0; i < months.size(); ++i) {
        const auto& m = months[i];
        const double bar_w = slot * 0.6, y = y_orders(static_cast<double>(m.orders));
        s << R"(<rect class="orders" x=")" << x_mid(i) - bar_w / 2 << R"(" y=")" << y << R"(" width=")" << bar_w
          << R"(" height=")" << top + plot_h - y << R"("><title>)" << escape_html(m.month + " " + labels.orders + ": " + std::to_string(m.orders))
          << "</title></rect>";
        s << R"(<text x=")" << x_mid(i) << R"(" y=")" << top + plot_h + 16 << R"(" text-anchor="middle">)"
          << escape_html(m.month.substr(2)) << "</text>";
    }
    auto line = [&](const char* cls, auto value, const std::string& name) {
        std::string points;
        for (std::size_t i = 0; i < months.size(); ++i)
            points += (i ? " " : "") + number(x_mid(i)) + "," + number(y_small(static_cast<double>(value(months[i]))));
        s << R"(<polyline class=")" << cls << R"(" points=")" << points << R"("/>)";
        for (std::size_t i = 0; i < months.size(); ++i)
            s << R"(<circle class=")" << cls << R"(-dot" cx=")" << x_mid(i) << R"(" cy=")" << y_small(static_cast<double>(value(months[i])))
              << R"(" r="3"><title>)" << escape_html(months[i].month + " " + name + ": " + std::to_string(value(months[i])))
              << "</title></circle>";
    };
    line("negative", [](const MonthCount& m) { return m.negative; }, labels.negative);
    line("expedite", [](const MonthCount& m) { return m.expedite; }, labels.expedite);
    // Legend
    const double ly = height - 12;
    s << R"(<rect class="legend-orders" x=")" << left << R"(" y=")" << ly - 9 << R"(" width="14" height="10"/>)";
    s << R"(<text x=")" << left + 18 << R"(" y=")" << ly << R"(">)" << escape_html(labels.orders) << "</text>";
    s << R"(<line class="negative" x1=")" << left + 200 << R"(" x2=")" << left + 218 << R"(" y1=")" << ly - 4 << R"(" y2=")" << ly - 4 << R"("/>)";
    s << R"(<text x=")" << left + 222 << R"(" y=")" << ly << R"(">)" << escape_html(labels.negative) << "</text>";
    s << R"(<line class="expedite" x1=")" << left + 400 << R"(" x2=")" << left + 418 << R"(" y1=")" << ly - 4 << R"(" y2=")" << ly - 4 << R"("/>)";
    s << R"(<text x=")" << left + 422 << R"(" y=")" << ly << R"(">)" << escape_html(labels.expedite) << "</text>";
    s << "</svg>";
    return s.str();
}

std::string odr_chart_svg(const std::vector<OdrWindow>& windows, const std::vector<std::string>& window_labels,
                          const std::string& target_label, const std::string& title) {
    const double width = 720, row = 26, left = 90, right = 70, top = 24;
    const double height = top + row * static_cast<double>(windows.size()) + 30;
    double max_value = 2.0;  // always show the 1 % target with room to spare
    for (const auto& w : windows) max_value = std::max(max_value, w.per_100_orders.value_or(0) * 1.1);
    const double plot_w = width - left - right;
    auto x = [&](double v) { return left + plot_w * v / max_value; };
    std::ostringstream s;
    s << R"(<svg viewBox="0 0 )" << width << " " << height << R"(" role="img" aria-label=")" << escape_html(title)
      << R"(" xmlns="http://www.w3.org/2000/svg"><title>)" << escape_html(title) << "</title>";
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const double y = top + row * static_cast<double>(i);
        const double v = windows[i].per_100_orders.value_or(0);
        s << R"(<text x=")" << left - 8 << R"(" y=")" << y + 15 << R"(" text-anchor="end">)" << escape_html(window_labels[i]) << "</text>";
        s << R"(<rect class="bar" x=")" << left << R"(" y=")" << y + 4 << R"(" width=")" << std::max(0.0, x(v) - left)
          << R"(" height="14"/>)";
        s << R"(<text x=")" << x(v) + 6 << R"(" y=")" << y + 15 << R"(">)"
          << (windows[i].per_100_orders ? number(std::round(v * 100) / 100) : std::string("–")) << "</text>";
    }
    const double bottom = top + row * static_cast<double>(windows.size());
    s << R"(<line class="axis" x1=")" << left << R"(" x2=")" << left << R"(" y1=")" << top << R"(" y2=")" << bottom << R"("/>)";
    s << R"(<line class="target" x1=")" << x(1.0) << R"(" x2=")" << x(1.0) << R"(" y1=")" << top - 8 << R"(" y2=")" << bottom + 4 << R"("/>)";
    s << R"(<text x=")" << x(1.0) + 4 << R"(" y=")" << bottom + 20 << R"(">)" << escape_html(target_label) << "</text>";
    s << "</svg>";
    return s.str();
}

}  // namespace fbtrack
