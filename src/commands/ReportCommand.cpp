#include "commands/ReportCommand.h"

#include "app/MailGaps.h"
#include "app/MonthlyReport.h"
#include "catalogue/Sentences.h"
#include "commands/Hints.h"
#include "core/DesktopPrograms.h"
#include "core/Errors.h"
#include "core/PrivateFiles.h"
#include "report/HtmlReport.h"
#include "text/TerminalText.h"

#include <ostream>
#include <sstream>

namespace fbtrack {

namespace {

// Hands the page to the desktop's opener and says what happened; never fails the command, whose
// report is written either way. The sentences are the report's (templates/report.LANG.json).
void open_report(Session& session, const std::filesystem::path& file) {
    const Sentences t(session.data(), "templates/report." + session.lang() + ".json");
    const auto opener = find_on_path("xdg-open");
    // xdg-open returns once the browser has the file; a browser it starts may keep it waiting, so
    // it gets two seconds and is then left to itself.
    if (!opener)
        session.err() << t("open_no_opener") << " " << for_terminal(file.string()) << "\n";
    else if (start_program(*opener, {std::filesystem::absolute(file).string()}, std::chrono::seconds(2)))
        session.err() << t("open_opened") << "\n";
    else
        session.err() << t("open_failed") << " " << for_terminal(file.string()) << "\n";
}

}  // namespace

void run_report(Session& session, const ReportOptions& options) {
    if (options.month && (options.from || options.to)) throw UsageError(say("report.month_or_range"));
    if (options.from.has_value() != options.to.has_value()) throw UsageError(say("report.from_and_to"));
    ReportRequest period = last_complete_month(local_date_of(session.clock().now_utc(), session.marketplace().zone));
    if (options.month) {
        std::tie(period.from, period.to) = month_option("--month", *options.month);
    } else if (options.from) {
        period.from = date_option("--from", *options.from);
        period.to = date_option("--to", *options.to);
        if (period.to < period.from) throw UsageError(say("report.to_before_from", {{"to", *options.to}, {"from", *options.from}}));
    }
    const AppContext context = session.app_context();
    // By default where a seller looks for documents, never in the current folder or a hidden one.
    const std::filesystem::path out = options.out ? std::filesystem::path(*options.out)
                                                  : default_report_file(context.shop.shop_name,
                                                                        session.options().db_path.stem().string(), period);

    const ReportContents report = monthly_report(context, period);
    // The seller's alone (0600 in a 0700 folder), written whole or not at all.
    std::ostringstream html;
    write_html_report(html, report, context.marketplace, context.shop, context.data, context.lang);
    write_private_file(out, html.view(), say("hint.another_place_out"));  // not copied: a big month is megabytes
    session.out() << for_terminal(out.string()) << "\n";
    // Beside the path, which scripts read from stdout: what the report lacks.
    print_mail_gaps(session.err(), months_without_mail(context, period.from, period.to), session.data(), context.lang);
    session.tell_if_unnamed(context.shop);  // the report's drafts are signed with the name
    if (options.open) open_report(session, out);
}

}  // namespace fbtrack
