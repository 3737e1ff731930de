#include "app/Notify.h"

#include "core/Errors.h"
#include "core/PasswordCommand.h"
#include "app/MailAccounts.h"
#include "catalogue/Sentences.h"
#include "notify/SmtpSender.h"
#include "text/Dates.h"
#include "text/TerminalText.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

namespace fbtrack {

namespace {

const char* const settings_key = "notify";

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

}  // namespace

std::optional<NotifySettings> notify_settings(const AppContext& context) {
    const auto text = context.store.settings().get(settings_key);
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

NotifySettings save_notify_settings(const AppContext& context, const NotifySettings& settings) {
    check_smtp_url(settings.smtp);
    if (!is_plain_address(settings.from))
        throw UsageError("notify set --from: \"" + for_terminal(settings.from, 100) + "\" is not a plain mail address");
    if (settings.to.empty()) throw UsageError("notify set --to: give the address the alerts go to");
    for (const auto& t : settings.to)
        if (!is_plain_address(t)) throw UsageError("notify set --to: \"" + for_terminal(t, 100) + "\" is not a plain mail address");
    if (settings.user.has_value() != settings.password_command.has_value())
        throw UsageError("notify set: give --user and --password-command together (or neither, for a server that needs no login)");
    NotifySettings kept = settings;
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("smtp", settings.smtp);
    o.set("from", settings.from);
    Poco::JSON::Array to;
    for (const auto& t : settings.to) to.add(t);
    o.set("to", to);
    if (settings.user) {
        check_password_command(*settings.password_command, "notify", "notify set");
        o.set("user", *settings.user);
        o.set("password_command", *settings.password_command);
    }
    if (settings.cacert) {
        kept.cacert = checked_ca_file(*settings.cacert, "notify set");
        o.set("cacert", *kept.cacert);
    }
    std::ostringstream json;
    o.stringify(json);
    Store::Transaction tx(context.store);
    context.store.settings().set(settings_key, json.str());
    tx.commit();
    return kept;
}

AlertsDue alerts_due(const AppContext& context) {
    AlertsDue due;
    for (auto& a : find_alerts(context))
        if (!context.store.mail().notice_sent(a.key)) due.alerts.push_back(std::move(a));
    if (!due.alerts.empty())
        // A shop not named yet is greeted with the mark its drafts hold, which says what to do.
        due.mail = compose_alert_mail(due.alerts, context.data, context.lang,
                                      context.shop.has_name() ? context.shop.shop_name
                                                              : Sentences(context.data, "templates/setup." + context.lang + ".json")("shop_name_not_set"),
                                      to_local_minutes(context.now, context.marketplace.zone));
    return due;
}

namespace {

SmtpServer server_of(const NotifySettings& settings) {
    SmtpServer server;
    server.url = settings.smtp;
    server.user = settings.user;
    if (settings.password_command) server.password = run_password_command(*settings.password_command, "notify");
    if (settings.cacert) server.cacert = *settings.cacert;
    return server;
}

}  // namespace

void send_test_alert(const AppContext& context, const NotifySettings& settings, std::chrono::seconds deadline) {
    const Sentences texts(context.data, "templates/notify." + context.lang + ".json");
    const std::string now = to_local_minutes(context.now, context.marketplace.zone);
    const Sentences::Facts facts{{"shop", context.shop.shop_name}, {"now", now}};
    std::string stamp = to_iso_utc(context.now);
    stamp.erase(std::remove_if(stamp.begin(), stamp.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }),
                stamp.end());
    send_mail(server_of(settings), settings.from, settings.to,
              build_mail(settings.from, settings.to, texts("test_subject", facts), texts("test_text", facts), "<test." + stamp + "@fbtrack>"),
              deadline);
}

void send_alerts(const AppContext& context, const NotifySettings& settings, const AlertsDue& due,
                 std::chrono::seconds deadline) {
    const SmtpServer server = server_of(settings);
    const std::string message_id = alert_message_id(context.shop.shop_name, due.alerts);
    send_mail(server, settings.from, settings.to,
              build_mail(settings.from, settings.to, due.mail.subject, due.mail.text, message_id), deadline);
    // Recorded once the server took the mail.
    Store::Transaction tx(context.store);
    const std::string sent_at = to_iso_utc(context.now);
    for (const auto& a : due.alerts) context.store.mail().record_notice(a.key, a.kind, a.order_id, sent_at);
    tx.commit();
}

}  // namespace fbtrack
