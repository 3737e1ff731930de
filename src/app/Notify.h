#pragma once
// Alerts by mail: where they go (kept in the shop's database, never a password), what is due and
// not yet sent, and sending it once. The use-cases behind `notify set`, `notify`, each round of
// `watch`, and the mail page's test alert. The caller holds the shop's lock for a send.
#include "app/Alerts.h"
#include "app/AppContext.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct NotifySettings {
    std::string smtp, from;
    std::vector<std::string> to;
    std::optional<std::string> user, password_command, cacert;
};

// The settings kept, none when alerts were never set up.
std::optional<NotifySettings> notify_settings(const AppContext& context);
// Checks the settings (the SMTP address, plain mail addresses, the password command run once, the
// CA file read) and keeps them; UsageError for one that cannot be used. Returns what was kept
// (the CA file as an absolute path).
NotifySettings save_notify_settings(const AppContext& context, const NotifySettings& settings);

// The alerts due now that were not sent before, most urgent first, and their mail.
struct AlertsDue {
    std::vector<Alert> alerts;
    AlertMail mail;
};
AlertsDue alerts_due(const AppContext& context);

// Sends the mail through the settings' server within `deadline`, then records its alerts as
// sent. A crash in between, or a server silent after the message, sends it again next time
// (with the same Message-ID), which is better than an alert never sent.
void send_alerts(const AppContext& context, const NotifySettings& settings, const AlertsDue& due,
                 std::chrono::seconds deadline);

// A test mail through the settings' server, for the seller to see that alerts arrive (the mail
// page's test alert): its subject and text from templates/notify.LANG.json, nothing recorded.
void send_test_alert(const AppContext& context, const NotifySettings& settings, std::chrono::seconds deadline);

}  // namespace fbtrack
