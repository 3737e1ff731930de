#include "report/HtmlReport.h"

#include "catalogue/DataFiles.h"
#include "core/Errors.h"
#include "catalogue/Sentences.h"
#include "drafts/DraftWriter.h"
#include "report/Charts.h"
#include "text/DisplayWidth.h"
#include "text/TerminalText.h"

#include <Poco/Base64Encoder.h>
#include <Poco/SHA2Engine.h>
#include <kainjow/mustache.hpp>

#include <cmath>
#include <optional>
#include <sstream>

namespace fbtrack {

namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

std::string fixed(double v, int digits) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(digits);
    s << v;
    return s.str();
}

std::string stars_of(int rating) {
    std::string stars;
    for (int i = 0; i < 5; ++i) stars += i < rating ? "★" : "☆";
    return stars;
}

// The page's labels as one Mustache object ({{t.title}}), the internal keys left out.
data all_labels(const Sentences& t) {
    data d;
    for (const auto& n : t.keys())
        if (n[0] != '_') d.set(n, t(n));
    return d;
}

// How many rows a text box needs to show `text` whole at the page's width: each line, once more
// per ~96 columns it runs over (a kana or kanji is two), and the empty line after a final line
// break. The box may still be resized.
std::string rows_for(const std::string& text) {
    constexpr std::size_t columns = 96;
    std::size_t rows = 0;
    // Each line, and the last one (or the empty one a final line break leaves in a text box).
    for (std::size_t from = 0;;) {
        const std::size_t end = text.find('\n', from);
        std::string_view line = std::string_view(text).substr(from, end == std::string::npos ? std::string::npos : end - from);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t width = display_width(line);
        rows += width == 0 ? 1 : (width + columns - 1) / columns;
        if (end == std::string::npos) break;
        from = end + 1;
    }
    return std::to_string(std::max<std::size_t>(rows, 2));
}

data draft_box(const std::string& id, const std::string& text, const std::string& characters) {
    data d;
    d.set("id", id);
    d.set("text", text);
    d.set("rows", rows_for(text));
    d.set("characters", characters);
    return d;
}

std::string card_id(const std::string& order_id) { return "case-" + order_id; }

// The to-do list: each line names what to do and links to the card or risk row about it.
data task_rows(const ReportContents& contents, const Sentences& t) {
    const MonthlyReport& r = contents.figures;
    data rows{data::type::list};
    for (const auto& task : contents.tasks) {
        data row;
        if (task.kind == ReportTask::Kind::rating) {
            const RatingCase& c = r.cases[task.index];
            row.set("kind", "rating");
            row.set("target", card_id(c.rating.order_id));
            row.set("kind_label", t("todo_rating") + " " + std::string(stars_of(c.rating.rating)));
            row.set("order_id", c.rating.order_id);
            row.set("detail", t("verdict_" + c.verdict) + " · " + t("appeal_status") + ": " +
                                  t("status_" + appeal_status_code(appeal_status(c))));
            row.set("due", t("days_left", {{"date", to_iso_date(c.request_by)}, {"days", std::to_string(c.days_left_to_request)}}));
        } else {
            const RiskItem& risk = r.risks[task.index];
            const bool request = task.kind == ReportTask::Kind::unanswered_request;
            row.set("kind", request ? "request" : "message");
            row.set("target", "risk-" + std::to_string(task.index + 1));
            row.set("kind_label", t(request ? "todo_request" : "todo_message"));
            row.set("order_id", risk.order_id);
            row.set("detail", data::type::bool_false);
            const std::string due = risk.due ? to_iso_date(*risk.due) : "";
            row.set("due", risk.due && *risk.due < r.today ? t("todo_overdue", {{"date", due}}) : t("todo_reply_by", {{"date", due}}));
        }
        rows.push_back(row);
    }
    return rows;
}

data timeline_of(const CaseShown& shown) {
    data timeline{data::type::list};
    for (const auto& e : shown.timeline) {
        data event;
        event.set("when", e.when);
        event.set("label", e.label);
        event.set("detail", e.detail.empty() ? data(data::type::bool_false) : data(e.detail));
        timeline.push_back(event);
    }
    return timeline;
}

}  // namespace

CaseShown case_shown(const RatingCase& c, const Sentences& t) {
    CaseShown shown;
    for (const auto& g : c.grounds) shown.grounds += (shown.grounds.empty() ? "" : t("list_separator")) + t("ground_" + g);
    if (shown.grounds.empty()) shown.grounds = t("no_grounds");
    shown.deadline = c.days_left_to_request >= 0
                         ? t("days_left", {{"date", to_iso_date(c.request_by)}, {"days", std::to_string(c.days_left_to_request)}})
                         : t("window_closed", {{"date", to_iso_date(c.request_by)}});
    for (const auto& e : c.timeline) {
        // A detail is the export's own words (the service level, the carrier) or, for the events
        // fbtrack derives, a code worded here.
        std::string detail = e.detail;
        if (e.detail.empty()) detail.clear();
        else if (e.event == "ship_by") detail = t("estimated");
        else if (e.event == "expedite_request") detail = t("source_" + e.detail);
        else if (e.event == "reply") detail = t("expedite_" + e.detail);
        else if (e.event == "rated") detail = stars_of(c.rating.rating);
        shown.timeline.push_back({e.when, t("event_" + e.event), detail});
    }
    return shown;
}

std::string csp_hash(const std::string& text) {
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(text);
    const auto& digest = sha.digest();
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
    encoder.close();
    return "sha256-" + out.str();
}

void write_html_report(std::ostream& out, const ReportContents& contents, const Marketplace& marketplace,
                       const ShopSettings& shop, const Catalogue& files, const std::string& lang) {
    const MonthlyReport& r = contents.figures;
    const Sentences t(files, "templates/report." + lang + ".json");
    const std::string& css = files.text("templates/report.css");
    const std::string& script = files.text("templates/report.js");

    data page;
    page.set("lang", lang);
    page.set("t", all_labels(t));
    page.set("t_copy", t("copy"));
    page.set("t_copied", t("copied"));
    page.set("css", css);
    page.set("script", script);
    page.set("style_hash", csp_hash(css));
    page.set("script_hash", csp_hash(script));
    page.set("period", to_iso_date(r.from) + " – " + to_iso_date(r.to));
    page.set("today", to_iso_date(r.today));
    page.set("shop_name", shop.shop_name);
    page.set("marketplace", marketplace.name);

    page.set("orders_total", std::to_string(r.orders_merchant + r.orders_amazon + r.orders_unknown));
    page.set("orders_merchant", std::to_string(r.orders_merchant));
    page.set("orders_amazon", std::to_string(r.orders_amazon));
    if (r.orders_unknown) page.set("orders_unknown", std::to_string(r.orders_unknown));
    else page.set("orders_unknown", data::type::bool_false);
    page.set("negative", std::to_string(r.negative));
    page.set("neutral", std::to_string(r.neutral));
    page.set("expedite_total", std::to_string(r.expedite.total));
    page.set("expedite_declined", std::to_string(r.expedite.declined));
    page.set("expedite_accepted", std::to_string(r.expedite.accepted));
    page.set("expedite_other", std::to_string(r.expedite.other));
    page.set("expedite_none", std::to_string(r.expedite.none));
    const auto share = r.replies.share_within_24h();
    page.set("replies_share", share ? fixed(*share * 100, 1) + " %" : "–");
    page.set("replies_detail",
             share ? t("replies_detail", {{"within", std::to_string(r.replies.within_24h)},
                                          {"due", std::to_string(r.replies.within_24h + r.replies.later + r.replies.open_overdue)},
                                          {"overdue", std::to_string(r.replies.open_overdue)}})
                   : t("replies_none"));

    data odr{data::type::list};
    std::vector<std::string> window_labels;
    for (const auto& w : r.odr) {
        data row;
        const std::string label = t("odr_days", {{"days", std::to_string(w.days)}});
        window_labels.push_back(label);
        row.set("label", label);
        row.set("days_sort", std::to_string(w.days));
        row.set("orders", std::to_string(w.orders));
        row.set("negative", std::to_string(w.negative));
        row.set("per_100", w.per_100_orders ? fixed(*w.per_100_orders, 2) : "–");
        row.set("per_100_sort", w.per_100_orders ? fixed(*w.per_100_orders, 4) : "-1");
        row.set("over", w.per_100_orders && *w.per_100_orders >= 1.0 ? data::type::bool_true : data::type::bool_false);
        odr.push_back(row);
    }
    page.set("odr", odr);
    page.set("odr_chart", odr_chart_svg(r.odr, window_labels, t("odr_target"), t("odr")));
    page.set("trend_chart", trend_chart_svg(r.trend, TrendLabels{t("trend_orders"), t("trend_negative"), t("trend_expedite"),
                                                                 t("trend_axis_left"), t("trend_axis_right"), t("trend")}));

    page.set("tasks", task_rows(contents, t));
    page.set("has_tasks", contents.tasks.empty() ? data::type::bool_false : data::type::bool_true);
    page.set("cases", r.cases.empty() ? data::type::bool_false : data::type::bool_true);
    int draft_number = 0;

    data risks{data::type::list};
    for (const auto& risk : r.risks) {
        data row;
        row.set("row_id", "risk-" + std::to_string(risks.list_value().size() + 1));
        row.set("due", risk.due ? to_iso_date(*risk.due) : "");
        row.set("kind_label", t("risk_" + risk.kind));
        row.set("order_id", risk.order_id);
        row.set("action", risk.action);
        // What a buyer wrote is shown with its hidden characters made visible, as on a terminal.
        if (risk.note) row.set("note", for_terminal(*risk.note));
        else row.set("note", data::type::bool_false);
        if (risk.draft) {
            row.set("draft", draft_box("draft-" + std::to_string(++draft_number), *risk.draft,
                                       t("characters", {{"count", std::to_string(count_characters(*risk.draft))}})));
        } else {
            row.set("draft", data::type::bool_false);
        }
        risks.push_back(row);
    }
    page.set("risks", risks);
    page.set("has_risks", r.risks.empty() ? data::type::bool_false : data::type::bool_true);

    data appeals{data::type::list};
    for (const auto& a : r.appeals) {
        data row;
        row.set("order_id", a.order_id);
        row.set("submitted_on", a.submitted_on.value_or(""));
        row.set("outcome", a.outcome ? t("outcome_" + *a.outcome) : t("outcome_pending"));
        row.set("decided_on", a.decided_on.value_or(""));
        appeals.push_back(row);
    }
    page.set("appeals", appeals);
    page.set("has_appeals", r.appeals.empty() ? data::type::bool_false : data::type::bool_true);
    page.set("outcomes_summary", t("outcomes_summary", {{"submitted", std::to_string(r.appeal_counts.submitted)},
                                                          {"removed", std::to_string(r.appeal_counts.removed)},
                                                          {"refused", std::to_string(r.appeal_counts.refused)}}));

    mustache tmpl(files.text("templates/report.html"));
    if (!tmpl.is_valid()) data_file_error(files.file("templates/report.html"), tmpl.error_message());
    const std::string html = tmpl.render(page);
    if (!tmpl.is_valid()) data_file_error(files.file("templates/report.html"), tmpl.error_message());
    const std::string marker = "<!-- fbtrack:cards -->";
    const std::size_t at = html.find(marker);
    if (at == std::string::npos) data_file_error(files.file("templates/report.html"), "has no " + marker + " line");
    out << std::string_view(html).substr(0, at);
    // One card at a time, straight to the output: a month of a large shop has hundreds of cards.
    mustache card_template(files.text("templates/report_card.html"));
    if (!card_template.is_valid()) data_file_error(files.file("templates/report_card.html"), card_template.error_message());
    const data labels = all_labels(t);
    for (std::size_t i = 0; i < r.cases.size(); ++i) {
        const RatingCase& c = r.cases[i];
        data card;
        card.set("t", labels);
        card.set("t_copy", t("copy"));
        card.set("t_copied", t("copied"));
        card.set("card_id", card_id(c.rating.order_id));
        card.set("order_id", c.rating.order_id);
        card.set("rated_on", c.rating.rated_on);
        card.set("rating", std::to_string(c.rating.rating));
        card.set("stars", stars_of(c.rating.rating));
        const std::string status = appeal_status_code(appeal_status(c));
        card.set("status", status);
        card.set("status_label", t("status_" + status));
        card.set("comment", for_terminal(c.rating.comment));
        card.set("verdict", c.verdict);
        card.set("verdict_label", t("verdict_" + c.verdict));
        const CaseShown shown = case_shown(c, t);
        card.set("grounds", shown.grounds);
        card.set("deadline", shown.deadline);
        card.set("timeline", timeline_of(shown));
        data reasons{data::type::list};
        for (const auto& text : c.reasons) {
            data item;
            item.set("text", text);
            reasons.push_back(item);
        }
        // The draft the verdict calls for first, in the page's language, stands open; the others
        // and the other language wait behind a disclosure.
        const std::string first_kind = first_draft_kind(c);
        std::optional<data> first;
        data others{data::type::list};
        std::vector<std::string> lint_notes;
        for (const auto& d : contents.case_drafts[i]) {
            if (!d.draft) {
                lint_notes.push_back(d.refused);  // shown with the reasons; the page still gets written
                continue;
            }
            data item = draft_box("draft-" + std::to_string(++draft_number), d.draft->text,
                                  t("characters", {{"count", std::to_string(d.draft->characters)}}));
            item.set("title", t("draft_" + d.kind));
            item.set("lang", d.lang);
            if (!first && d.kind == first_kind && d.lang == lang) first.emplace(std::move(item));
            else others.push_back(item);
        }
        card.set("first", first ? *first : data(data::type::bool_false));
        card.set("has_others", others.list_value().empty() ? data::type::bool_false : data::type::bool_true);
        card.set("others", others);
        for (const auto& note : lint_notes) {
            data item;
            item.set("text", for_terminal(note));
            reasons.push_back(item);
        }
        card.set("reasons", reasons);
        card_template.render(card, [&out](const std::string& chunk) { out << chunk; });
    }

    out << std::string_view(html).substr(at + marker.size());
}

std::string render_html_report(const ReportContents& report, const Marketplace& marketplace, const ShopSettings& shop,
                               const Catalogue& files, const std::string& lang) {
    std::ostringstream out;
    write_html_report(out, report, marketplace, shop, files, lang);
    return out.str();
}

const std::vector<std::string>& report_template_names() {
    static const std::vector<std::string> names{"templates/report.html", "templates/report_card.html", "templates/report.css",
                                                "templates/report.js"};
    return names;
}

void check_report_template(const Catalogue& files, const std::string& name) {
    const std::string& text = files.text(name);
    if (name.ends_with(".html")) {
        const mustache tmpl(text);
        if (!tmpl.is_valid()) data_file_error(files.file(name), tmpl.error_message());
    }
    // The cards go where this line is; the report refuses a page without it.
    const std::string marker = "<!-- fbtrack:cards -->";
    if (name == "templates/report.html" && text.find(marker) == std::string::npos)
        data_file_error(files.file(name), "has no " + marker + " line");
}

}  // namespace fbtrack
