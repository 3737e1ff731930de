#pragma once
// Sends one plain-text mail through the seller's SMTP server with libcurl: SMTPS, or STARTTLS
// required on a plain port, the certificate verified (a private CA through cacert), never in the
// clear.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct SmtpServer {
    std::string url;  // smtps://HOST[:PORT] or smtp://HOST[:PORT] (STARTTLS)
    std::optional<std::string> user, password;
    std::optional<std::filesystem::path> cacert;
};

// Throws UsageError for anything but smtp:// or smtps:// with a host.
void check_smtp_url(const std::string& url);

// A UTF-8 text/plain message (quoted-printable), with Date, Message-ID and Auto-Submitted.
std::string build_mail(const std::string& from, const std::vector<std::string>& to, const std::string& subject,
                       const std::string& text);

// Refused login: PermissionError; unreachable, untrusted, timed out: UnavailableError.
void send_mail(const SmtpServer& server, const std::string& from, const std::vector<std::string>& to,
               const std::string& message, std::chrono::seconds timeout);

}  // namespace fbtrack
