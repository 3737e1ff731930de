#include "commands/ReportCommand.h"

#include "app/MailGaps.h"
#include "app/MonthlyReport.h"
#include "commands/Hints.h"
#include "core/Errors.h"
#include "core/PrivateFiles.h"
#include "report/HtmlReport.h"
#include "text/TerminalText.h"

#include <ostream>
#include <sstream>

namespace fbtrack {

void run_report(Session& session, const ReportOptions& options) {
    const Date today = local_date_of(session.clock().now_utc(), session.marketplace().zone);
    if (options.month && (options.from || options.to)) throw UsageError("report: give --month or --from/--to, not both");
    if (options.from.has_value() != options.to.has_value()) throw UsageError("report: --from and --to go together");
    ReportRequest period{Date(today.year(), today.month(), 1), today.end_of_month()};
    std::string name = to_iso_date(period.from).substr(0, 7);
    if (options.month) {
        std::tie(period.from, period.to) = month_option("--month", *options.month);
        name = *options.month;
    } else if (options.from) {
        period.from = date_option("--from", *options.from);
        period.to = date_option("--to", *options.to);
        if (period.to < period.from) throw UsageError("report: --to (" + *options.to + ") is before --from (" + *options.from + ")");
        name = *options.from + "_" + *options.to;
    }
    // By default beside the database, never in the current folder: ~/.local/share/fbtrack/reports/SHOP-PERIOD.html.
    const auto& db = session.options().db_path;
    const std::filesystem::path out = options.out ? std::filesystem::path(*options.out)
                                                  : db.parent_path() / "reports" / (db.stem().string() + "-" + name + ".html");

    const AppContext context = session.app_context();
    const ReportContents report = monthly_report(context, period);
    // The seller's alone (0600 in a 0700 folder), written whole or not at all.
    std::ostringstream html;
    write_html_report(html, report, context.marketplace, context.shop, context.data, context.lang);
    write_private_file(out, html.view(), "choose another place with --out");  // not copied: a big month is megabytes
    session.out() << for_terminal(out.string()) << "\n";
    // Beside the path, which scripts read from stdout: what the report lacks.
    print_mail_gaps(session.err(), months_without_mail(context, period.from, period.to), session.data(), context.lang);
    session.tell_if_unnamed(context.shop);  // the report's drafts are signed with the name
}

}  // namespace fbtrack
