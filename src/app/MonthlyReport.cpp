#include "app/MonthlyReport.h"

#include "app/Risks.h"
#include "core/UserDirs.h"
#include "drafts/DraftWriter.h"
#include "text/Encoding.h"
#include "text/TerminalText.h"

#include <algorithm>

namespace fbtrack {

namespace {

int verdict_rank(const std::string& verdict) {
    if (verdict == "removable") return 0;
    if (verdict == "strike_through") return 1;
    if (verdict == "context_only") return 2;
    return 3;
}

std::vector<ReportTask> tasks_of(const MonthlyReport& figures) {
    std::vector<ReportTask> ratings, replies;
    for (std::size_t i = 0; i < figures.cases.size(); ++i) {
        const RatingCase& c = figures.cases[i];
        if (c.days_left_to_request < 0 || (c.outcome && c.outcome->outcome)) continue;  // closed or decided
        ratings.push_back(ReportTask{ReportTask::Kind::rating, i});
    }
    std::stable_sort(ratings.begin(), ratings.end(), [&](const ReportTask& a, const ReportTask& b) {
        const RatingCase& x = figures.cases[a.index];
        const RatingCase& y = figures.cases[b.index];
        const int rx = verdict_rank(x.verdict), ry = verdict_rank(y.verdict);
        return rx != ry ? rx < ry : x.request_by < y.request_by;
    });
    // The risks come sorted by their due day already.
    for (std::size_t i = 0; i < figures.risks.size(); ++i) {
        const RiskItem& risk = figures.risks[i];
        if (!risk.unanswered) continue;
        replies.push_back(ReportTask{risk.kind == "unanswered" ? ReportTask::Kind::unanswered_message
                                                               : ReportTask::Kind::unanswered_request,
                                     i});
    }
    ratings.insert(ratings.end(), replies.begin(), replies.end());
    return ratings;
}

}  // namespace

ReportRequest last_complete_month(const Date& today) {
    const Date first_of_this_month(today.year(), today.month(), 1);
    const Date last = first_of_this_month - boost::gregorian::days(1);
    return ReportRequest{Date(last.year(), last.month(), 1), last};
}

std::string period_name(const ReportRequest& period) {
    const bool whole_month = period.from.day() == 1 && period.to == period.from.end_of_month();
    return whole_month ? to_iso_date(period.from).substr(0, 7) : to_iso_date(period.from) + "_" + to_iso_date(period.to);
}

std::string shop_file_name(const std::string& shop_name) {
    std::string name;
    bool replaced = false;  // the last thing written stands for characters left out
    for (std::size_t i = 0; i < shop_name.size();) {
        const CodePoint c = code_point_at(shop_name, i);
        const bool unsafe = !c.valid || c.value == '/' || c.value == '\\' || is_invisible(c.value);
        if (unsafe) {
            if (!replaced && !name.empty()) name += '_';
            replaced = true;
        } else {
            name.append(shop_name, i, c.length);
            replaced = false;
        }
        i += c.length;
    }
    // Not hidden, not taken for an option, no blank ends.
    const auto start = name.find_first_not_of(". -_");
    name = start == std::string::npos ? "" : name.substr(start);
    while (!name.empty() && (name.back() == ' ' || name.back() == '_')) name.pop_back();
    if (name.size() > 100) name.resize(whole_utf8_prefix(std::string_view(name).substr(0, 100)));
    return name;
}

std::filesystem::path default_report_file(const std::string& shop_name, const std::string& database_stem,
                                          const ReportRequest& period) {
    std::string shop = shop_file_name(shop_name);
    if (shop.empty()) shop = shop_file_name(database_stem);
    if (shop.empty()) shop = "fbtrack";
    return user_documents_dir() / "fbtrack" / (shop + "-" + period_name(period) + ".html");
}

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
    r.tasks = tasks_of(r.figures);
    return r;
}

}  // namespace fbtrack
