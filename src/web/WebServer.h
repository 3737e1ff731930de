#pragma once
// `fbtrack serve`: the seller's shops in the browser, from a server on this machine only
// (127.0.0.1). Poco's HTTP server answers; each request opens its own connection to the shop's
// database and renders what the use-cases of src/app return (web/Pages.h).
//
// It holds buyers' data and can change the shop's records, so every request must carry the
// session (a secret token printed at the start, exchanged once for a cookie), name this server
// in its Host header (DNS rebinding), and every change is a POST with the session's CSRF token
// from this server's own pages (Origin checked).
#include "app/FetchMail.h"
#include "catalogue/Catalogue.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace fbtrack {

struct ServeOptions {
    int port = 8150;  // 0: a free one
    bool open_browser = true;
    std::filesystem::path database;      // the shop shown first; the other shops are beside it
    std::optional<std::string> lang;     // the pages' language; else each shop's
    std::optional<std::string> today;    // YYYY-MM-DD instead of the clock (tests)
    // Limits against a request that would fill the disk or hold the server.
    std::uint64_t max_upload_bytes = std::uint64_t{2} << 30;  // a year's mbox of a busy shop fits
    std::size_t max_upload_files = 1000;
    int threads = 48;  // connections served at once: a browser's tabs each keep one
    // An upload may take this long, and a second per MiB allowed, before it is cut off.
    int timeout_seconds = 30;
    // The mail page's Fetch now and test alert, bounded as `fetch` and `notify` are.
    ImapLimits imap_limits;
    std::chrono::seconds smtp_deadline{60};
};

// Serves until SIGINT or SIGTERM (a StopSignals must live), finishing an import under way.
// `out` gets the address line; `err` what went wrong with requests that could not be answered.
void serve(const Catalogue& data, const ServeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace fbtrack
