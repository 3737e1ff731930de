#include "commands/ReportCommand.h"
#include "core/PrivateFiles.h"
#include "text/TerminalText.h"

#include "analysis/MonthlyReport.h"
#include "app/Risks.h"
#include "commands/FeedbackCommand.h"
#include "core/Errors.h"
#include "catalogue/ShopSettings.h"
#include "drafts/DraftWriter.h"
#include "report/HtmlReport.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <ostream>
#include <sstream>

namespace fbtrack {

void run_report(Session& session, const ReportOptions& options) {
    const Date today = local_date_of(session.clock().now_utc(), session.marketplace().zone);
    if (options.month && (options.from || options.to)) throw UsageError("report: give --month or --from/--to, not both");
    if (options.from.has_value() != options.to.has_value()) throw UsageError("report: --from and --to go together");
    Date from = Date(today.year(), today.month(), 1), to = today.end_of_month();
    std::string name = to_iso_date(from).substr(0, 7);
    if (options.month) {
        std::tie(from, to) = month_range(*options.month);
        name = *options.month;
    } else if (options.from) {
        from = date_option("--from", *options.from);
        to = date_option("--to", *options.to);
        if (to < from) throw UsageError("report: --to (" + *options.to + ") is before --from (" + *options.from + ")");
        name = *options.from + "_" + *options.to;
    }
    // By default beside the database, never in the current folder: ~/.local/share/fbtrack/reports/SHOP-PERIOD.html.
    const auto& db = session.options().db_path;
    const std::filesystem::path out = options.out ? std::filesystem::path(*options.out)
                                                  : db.parent_path() / "reports" / (db.stem().string() + "-" + name + ".html");

    const ShopSettings shop = session.shop();
    Correlator correlator(session.store(), session.marketplace(), shop, session.data(), session.lang(), today);
    RiskFinder risks(session.store(), session.marketplace(), shop, session.data(), session.lang(), today);
    MonthlyReport report = build_monthly_report(session.store(), correlator, risks, session.marketplace(), from, to, today);
    const DraftWriter drafts(session.data(), session.marketplace(), shop);
    draft_risks(session.app_context(), report.risks, drafts);

    // The seller's alone (0600 in a 0700 folder), written whole or not at all.
    std::ostringstream html;
    write_html_report(html, report, drafts, session.marketplace(), shop, session.data(), session.lang());
    write_private_file(out, html.view(), "choose another place with --out");  // not copied: a big month is megabytes
    session.out() << for_terminal(out.string()) << "\n";
}

}  // namespace fbtrack
