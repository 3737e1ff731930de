#pragma once
// Sends one plain-text mail through the seller's SMTP server with libcurl: SMTPS, or STARTTLS
// required on a plain port, the certificate verified (a private CA through cacert), never in the
// clear beyond this machine: plain SMTP only to a mail server on loopback (a local relay).
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct SmtpServer {
    std::string url;  // smtps://HOST[:PORT] or smtp://HOST[:PORT] (STARTTLS; plain to loopback)
    std::optional<std::string> user, password;
    std::optional<std::filesystem::path> cacert;
};

// Throws UsageError for anything but smtp:// or smtps:// with a host.
void check_smtp_url(const std::string& url);

// Whether `host` (IPv6 without brackets) is this machine: 127.0.0.0/8 written out in full, ::1,
// or localhost. Any other name counts as elsewhere, whatever it resolves to.
bool is_loopback_host(const std::string& host);

// How an alert travels to a checked URL: smtps:// with TLS from the first byte; smtp:// with
// STARTTLS, required; smtp:// to a loopback host as plain SMTP, since it never leaves the machine
// (a local Postfix offers STARTTLS with a certificate no one can verify) - unless a CA to verify
// it by is given (`cacert`): then STARTTLS there too.
enum class SmtpSecurity { tls, starttls, plain_loopback };
SmtpSecurity smtp_security(const std::string& url, bool cacert);

// A UTF-8 text/plain message (quoted-printable), with Date, Message-ID and Auto-Submitted. The
// Message-ID is `message_id` ("<...@...>"), or a random one when it is empty.
std::string build_mail(const std::string& from, const std::vector<std::string>& to, const std::string& subject,
                       const std::string& text, const std::string& message_id = {});

// Everything, from connecting to the server's answer to the message, within `deadline`.
// Refused login: PermissionError; unreachable, untrusted, out of time: UnavailableError, whose
// message says whether the server may have the message.
void send_mail(const SmtpServer& server, const std::string& from, const std::vector<std::string>& to,
               const std::string& message, std::chrono::seconds deadline);

}  // namespace fbtrack
