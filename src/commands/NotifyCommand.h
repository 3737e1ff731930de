#pragma once
// Alerts by mail (notify) and the loop that fetches and notifies until stopped (watch).
#include "app/Notify.h"
#include "commands/MailCommand.h"
#include "commands/Session.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

void run_notify_set(Session& session, const NotifySettings& options);

// How long one alert mail may take to send, all of it (FBTRACK_SMTP_DEADLINE changes it).
constexpr std::chrono::seconds default_smtp_deadline{60};

struct NotifyOptions {
    bool dry_run = false;  // print the mail that would be sent; send and record nothing
    std::chrono::seconds smtp_deadline = default_smtp_deadline;
};
// Sends what is new since the last notice in one mail, and records it as sent. Returns how many
// alerts it sent (or would send).
std::size_t run_notify(Session& session, const NotifyOptions& options);

struct WatchOptions {
    std::chrono::seconds every{600};
    std::optional<int> rounds;  // stop after this many rounds (else: until SIGINT or SIGTERM)
    FetchOptions fetch;         // its limits against the server
    std::chrono::seconds round_timeout{3600};  // the most one round's fetch may take
    std::chrono::seconds smtp_deadline = default_smtp_deadline;  // for each round's notify
};
// "10m", "30s", "2h", "1h30m": a UsageError for anything else or for less than 10 seconds.
std::chrono::seconds parse_interval(const std::string& text);
// Each round: fetch every mail account, then notify (when set up), each on a fresh session, one
// log line on `session.out()`. A failure is logged and the next round tries again. Holds the
// shop's lock while it runs; a stop asked for (SIGINT, SIGTERM, with a StopSignals living) ends
// the round under way at its next safe point, and the watch.
void run_watch(Session& session, const WatchOptions& options);

}  // namespace fbtrack
