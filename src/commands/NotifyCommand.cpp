#include "commands/NotifyCommand.h"

#include "commands/MailCommand.h"
#include "core/Errors.h"
#include "core/ShopLock.h"
#include "core/StopSignals.h"
#include "app/FetchMail.h"
#include "app/Notify.h"
#include "notify/SmtpSender.h"
#include "text/TerminalText.h"

#include <algorithm>
#include <cctype>
#include <ostream>
#include <sstream>

namespace fbtrack {

namespace {

std::string now_local_text(Session& session) {
    return to_local_minutes(session.clock().now_utc(), session.marketplace().zone);
}

}  // namespace

void run_notify_set(Session& session, const NotifySettings& options) {
    save_notify_settings(session.app_context(), options);
    std::string recipients;
    for (const auto& t : options.to) recipients += (recipients.empty() ? "" : ", ") + t;
    const char* how = "";
    switch (smtp_security(options.smtp, options.cacert.has_value())) {
    case SmtpSecurity::tls: how = "TLS"; break;
    case SmtpSecurity::starttls: how = "STARTTLS required"; break;
    case SmtpSecurity::plain_loopback: how = "plain SMTP: a mail server on this machine"; break;
    }
    session.out() << "Alerts go to " << recipients << " from " << options.from << " through " << for_terminal(options.smtp)
                  << " (" << how << "). 'fbtrack notify --dry-run' shows what the next one would hold.\n";
}

std::size_t run_notify(Session& session, const NotifyOptions& options) {
    auto& out = session.out();
    std::optional<ShopLock> lock;
    if (!options.dry_run) lock.emplace(session.options().db_path, "notify");
    const AppContext context = session.app_context();
    session.tell_if_unnamed(context.shop);  // the alerts' drafts are signed with the name
    const auto settings = notify_settings(context);
    if (!settings && !options.dry_run)
        throw MissingInputError("notify: no mail server to send alerts through. Hint: fbtrack notify set --smtp smtps://HOST "
                                "--from ADDR --to ADDR");
    const AlertsDue due = alerts_due(context);
    if (due.alerts.empty()) {
        out << "Nothing new to tell as of " << now_local_text(session) << ".\n";
        return 0;
    }
    const auto count = due.alerts.size();
    if (options.dry_run) {
        out << "Would send " << count << (count == 1 ? " alert" : " alerts");
        if (settings) {
            std::string recipients;
            for (const auto& t : settings->to) recipients += (recipients.empty() ? "" : ", ") + t;
            out << " to " << recipients;
        }
        out << " (dry run: nothing sent, nothing recorded):\nSubject: " << for_terminal(due.mail.subject) << "\n\n";
        out << for_terminal_lines(due.mail.text);
        return count;
    }
    send_alerts(context, *settings, due, options.smtp_deadline);
    out << "Sent " << count << (count == 1 ? " alert" : " alerts") << ": " << for_terminal(due.mail.subject) << "\n";
    return count;
}

std::chrono::seconds parse_interval(const std::string& text) {
    const std::string hint = ". Hint: e.g. 10m, 30s, 1h or 1h30m (at least 10s)";
    long long total = 0;
    std::size_t i = 0;
    if (text.empty()) throw UsageError("--every: give an interval" + hint);
    while (i < text.size()) {
        std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        if (i == start || i - start > 6 || i >= text.size()) throw UsageError("--every: \"" + for_terminal(text, 50) + "\" is not an interval" + hint);
        const long long n = std::stoll(text.substr(start, i - start));
        const char unit = text[i++];
        if (unit == 'h') total += n * 3600;
        else if (unit == 'm') total += n * 60;
        else if (unit == 's') total += n;
        else throw UsageError("--every: \"" + for_terminal(text, 50) + "\" is not an interval" + hint);
    }
    if (total < 10) throw UsageError("--every: \"" + for_terminal(text, 50) + "\" is too short" + hint);
    return std::chrono::seconds(total);
}

void run_watch(Session& session, const WatchOptions& options) {
    auto& out = session.out();
    // One watch per shop, for as long as it runs; its fetch and notify run under this lock.
    ShopLock lock(session.options().db_path, "watch");
    out << "Watching: a round every " << options.every.count() << " s; stop with Ctrl-C or SIGTERM.\n" << std::flush;
    // Made at the first round that has mail to read, then kept: the data files do not change under a run.
    std::optional<ImportRules> rules;
    const auto import_rules = [&]() -> const ImportRules& {
        if (!rules) rules.emplace(ImportRules::load(session.data()));
        return *rules;
    };
    for (int round = 1;; ++round) {
        std::ostringstream details, problems;
        std::string line;
        try {
            Session s(session.options(), session.data(), details, problems);
            auto one_line = [](std::string text) {
                std::replace(text.begin(), text.end(), '\n', ' ');
                return for_terminal(text, 400);
            };
            try {
                if (s.store().mail().mail_accounts().empty()) {
                    line += "no mail accounts";
                } else {
                    // The whole round has a deadline: a server that keeps talking or drips a byte
                    // at a time cannot hold the next round back for longer.
                    FetchRequest fetch{options.fetch.accounts, options.fetch.limits, &import_rules()};
                    fetch.limits.deadline = std::chrono::steady_clock::now() + options.round_timeout;
                    FetchPrinter printer(s);
                    const auto n = fetched_or_failure(fetch_mail(s.app_context(), fetch, printer));
                    line += std::to_string(n) + (n == 1 ? " new message" : " new messages");
                }
            } catch (const Error& e) {
                line += "fetch failed (exit " + std::to_string(static_cast<int>(e.code())) + "): " + one_line(problems.str() + e.what());
            }
            try {
                const AppContext context = s.app_context();
                if (const auto settings = notify_settings(context)) {
                    const AlertsDue due = alerts_due(context);
                    if (!due.alerts.empty()) send_alerts(context, *settings, due, options.smtp_deadline);
                    const auto n = due.alerts.size();
                    line += "; " + std::to_string(n) + (n == 1 ? " alert sent" : " alerts sent");
                } else {
                    line += "; alerts not set up (fbtrack notify set)";
                }
            } catch (const Error& e) {
                line += "; notify failed (exit " + std::to_string(static_cast<int>(e.code())) + "): " + one_line(e.what());
            }
        } catch (const StopRequested& stop) {
            // Ended at a safe point: the batch under way was rolled back, its spool removed.
            out << to_iso_utc(session.clock().now_utc()) << " round " << round << ": " << line
                << (line.empty() ? "" : "; ") << "stopped by signal " << stop.signal
                << " (what was under way is fetched again next time)\n"
                << std::flush;
            return;
        } catch (const std::exception& e) {
            line += "round failed: " + for_terminal(e.what(), 400);
        }
        out << to_iso_utc(session.clock().now_utc()) << " round " << round << ": " << line << "\n" << std::flush;
        if (options.rounds && round >= *options.rounds) return;
        if (StopSignals::wait_for(options.every)) {
            out << "Stopped by signal " << StopSignals::requested() << ".\n";
            return;
        }
    }
}

}  // namespace fbtrack
