#include "cli/CommandLine.h"

#include "commands/NotifyCommand.h"
#include "core/Errors.h"
#include "text/TerminalText.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace fbtrack {

namespace {

// A whole number written in digits alone, or nothing for anything else (a sign, a unit, spaces).
std::optional<long long> whole_number(const char* text) {
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(text, &end, 10);
    if (!std::isdigit(static_cast<unsigned char>(text[0])) || *end != '\0' || errno == ERANGE) return std::nullopt;
    return n;
}

}  // namespace

// A positive number from the environment (`what` names its unit), or nothing when it is unset.
std::optional<long long> positive_number_from(const char* variable, const char* what) {
    const char* env = std::getenv(variable);
    if (!env || !*env) return std::nullopt;
    const auto n = whole_number(env);
    if (!n || *n <= 0)
        throw UsageError(say("usage.env_positive_number", {{"variable", variable}, {"found", for_terminal(env, 50)}, {"unit", say(std::string("unit.") + what)}}));
    return n;
}

// Deadlines against the seller's servers, settable for the tests of hostile servers (and for a
// very slow line): FBTRACK_SERVER_TIMEOUT, seconds one step with a server may take (default 30);
// FBTRACK_ROUND_TIMEOUT, seconds a whole fetch or round of watch may take (default 3600).
ImapLimits server_limits() {
    ImapLimits limits;
    if (const auto n = positive_number_from("FBTRACK_SERVER_TIMEOUT", "seconds"))
        limits.step = std::chrono::seconds(std::min<long long>(*n, 24 * 3600));
    return limits;
}
std::chrono::seconds round_timeout() {
    const auto n = positive_number_from("FBTRACK_ROUND_TIMEOUT", "seconds");
    return std::chrono::seconds(n ? std::min<long long>(*n, 7 * 24 * 3600) : 3600);
}

// $FBTRACK_SMTP_DEADLINE: how long one alert mail may take, in whole seconds (1 to an hour).
std::chrono::seconds smtp_deadline() {
    const char* env = std::getenv("FBTRACK_SMTP_DEADLINE");
    if (!env || !*env) return default_smtp_deadline;
    const auto n = whole_number(env);
    if (!n || *n < 1 || *n > 3600)
        throw UsageError(say("usage.smtp_deadline", {{"found", for_terminal(env, 50)}, {"default", std::to_string(default_smtp_deadline.count())}}));
    return std::chrono::seconds(*n);
}

}  // namespace fbtrack
