#include "commands/NotifyCommand.h"

#include "commands/MailCommand.h"
#include "core/Errors.h"
#include "core/Json.h"
#include "core/ShopLock.h"
#include "core/StopSignals.h"
#include "app/Alerts.h"
#include "notify/SmtpSender.h"
#include "text/TerminalText.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>


#include <algorithm>
#include <cctype>
#include <ostream>
#include <sstream>

namespace fbtrack {

namespace {

const char* const settings_key = "notify";

struct NotifySettings {
    std::string smtp, from;
    std::vector<std::string> to;
    std::optional<std::string> user, password_command, cacert;
};

// An address that can go into a header and an SMTP envelope as it is: no spaces, brackets, quotes,
// commas or control characters that could add a recipient or a header line.
bool is_plain_address(const std::string& a) {
    const auto at = a.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= a.size() || a.find('@', at + 1) != std::string::npos) return false;
    return std::none_of(a.begin(), a.end(), [](unsigned char c) {
        return c <= 0x20 || c >= 0x7F || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '(' || c == ')' ||
               c == '\\' || c == '[' || c == ']' || c == ':';
    });
}

std::optional<NotifySettings> load_settings(Store& store) {
    const auto text = store.settings().get(settings_key);
    if (!text) return std::nullopt;
    const auto o = Poco::JSON::Parser().parse(*text).extract<Poco::JSON::Object::Ptr>();
    NotifySettings s;
    s.smtp = o->getValue<std::string>("smtp");
    s.from = o->getValue<std::string>("from");
    for (const auto& v : *o->getArray("to")) s.to.push_back(v.toString());
    if (o->has("user")) s.user = o->getValue<std::string>("user");
    if (o->has("password_command")) s.password_command = o->getValue<std::string>("password_command");
    if (o->has("cacert")) s.cacert = o->getValue<std::string>("cacert");
    return s;
}

std::string now_local_text(Session& session) {
    return to_local_minutes(session.clock().now_utc(), session.marketplace().zone);
}

// The mail's text as a terminal shows it: each line through for_terminal.
void print_lines(std::ostream& out, const std::string& text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t eol = std::min(text.find('\n', pos), text.size());
        out << for_terminal(std::string_view(text).substr(pos, eol - pos)) << "\n";
        pos = eol + 1;
    }
}

}  // namespace

void run_notify_set(Session& session, const NotifySetOptions& options) {
    check_smtp_url(options.smtp);
    if (!is_plain_address(options.from)) throw UsageError("notify set --from: \"" + for_terminal(options.from, 100) + "\" is not a plain mail address");
    if (options.to.empty()) throw UsageError("notify set --to: give the address the alerts go to");
    for (const auto& t : options.to)
        if (!is_plain_address(t)) throw UsageError("notify set --to: \"" + for_terminal(t, 100) + "\" is not a plain mail address");
    if (options.user.has_value() != options.password_command.has_value())
        throw UsageError("notify set: give --user and --password-command together (or neither, for a server that needs no login)");
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("smtp", options.smtp);
    o.set("from", options.from);
    Poco::JSON::Array to;
    for (const auto& t : options.to) to.add(t);
    o.set("to", to);
    if (options.user) {
        check_password_command(*options.password_command, "notify", "notify set");
        o.set("user", *options.user);
        o.set("password_command", *options.password_command);
    }
    if (options.cacert) o.set("cacert", checked_ca_file(*options.cacert, "notify set"));
    std::ostringstream json;
    o.stringify(json);
    Store::Transaction tx(session.store());
    session.store().settings().set(settings_key, json.str());
    tx.commit();
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
    Store& store = session.store();
    std::optional<ShopLock> lock;
    if (options.lock_shop && !options.dry_run) lock.emplace(session.options().db_path, "notify");
    const auto settings = load_settings(store);
    if (!settings && !options.dry_run)
        throw MissingInputError("notify: no mail server to send alerts through. Hint: fbtrack notify set --smtp smtps://HOST "
                                "--from ADDR --to ADDR");
    const ShopSettings shop = session.shop();
    const auto now = session.clock().now_utc();
    std::vector<Alert> fresh;
    for (auto& a : find_alerts(session.app_context()))
        if (!store.mail().notice_sent(a.key)) fresh.push_back(std::move(a));
    if (fresh.empty()) {
        out << "Nothing new to tell as of " << now_local_text(session) << ".\n";
        return 0;
    }
    const AlertMail mail = compose_alert_mail(fresh, session.data(), session.lang(), shop.shop_name, now_local_text(session));
    if (options.dry_run) {
        out << "Would send " << fresh.size() << (fresh.size() == 1 ? " alert" : " alerts");
        if (settings) {
            std::string recipients;
            for (const auto& t : settings->to) recipients += (recipients.empty() ? "" : ", ") + t;
            out << " to " << recipients;
        }
        out << " (dry run: nothing sent, nothing recorded):\nSubject: " << for_terminal(mail.subject) << "\n\n";
        print_lines(out, mail.text);
        return fresh.size();
    }
    SmtpServer server;
    server.url = settings->smtp;
    server.user = settings->user;
    if (settings->password_command) server.password = run_password_command(*settings->password_command, "notify");
    if (settings->cacert) server.cacert = *settings->cacert;
    const std::string message_id = alert_message_id(shop.shop_name, fresh);
    send_mail(server, settings->from, settings->to, build_mail(settings->from, settings->to, mail.subject, mail.text, message_id),
              options.smtp_deadline);
    // Recorded once the server took the mail: a crash in between, or a server silent after the
    // message, sends it again next time (with the same Message-ID), which is better than an alert
    // never sent.
    Store::Transaction tx(store);
    const std::string sent_at = to_iso_utc(now);
    for (const auto& a : fresh) store.mail().record_notice(a.key, a.kind, a.order_id, sent_at);
    tx.commit();
    out << "Sent " << fresh.size() << (fresh.size() == 1 ? " alert" : " alerts") << ": " << for_terminal(mail.subject) << "\n";
    return fresh.size();
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
                    FetchOptions fetch = options.fetch;
                    fetch.lock_shop = false;
                    fetch.limits.deadline = std::chrono::steady_clock::now() + options.round_timeout;
                    const auto n = run_fetch(s, fetch);
                    line += std::to_string(n) + (n == 1 ? " new message" : " new messages");
                }
            } catch (const Error& e) {
                line += "fetch failed (exit " + std::to_string(static_cast<int>(e.code())) + "): " + one_line(problems.str() + e.what());
            }
            try {
                if (s.store().settings().get(settings_key)) {
                    NotifyOptions notify;
                    notify.lock_shop = false;
                    notify.smtp_deadline = options.smtp_deadline;
                    const auto n = run_notify(s, notify);
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
