#include "notify/SmtpSender.h"

#include "core/Errors.h"
#include "core/StopSignals.h"
#include "text/TerminalText.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>
#include <curl/curl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <sstream>
#include <string_view>

namespace fbtrack {

namespace {

struct CurlFree {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Upload {
    const std::string* bytes;
    std::size_t sent = 0;
};

int stop_asked(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return StopSignals::requested() ? 1 : 0; }

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* u = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, u->bytes->size() - u->sent);
    std::memcpy(buffer, u->bytes->data() + u->sent, n);
    u->sent += n;
    return n;
}

// RFC 2047 B-encoded words of whole UTF-8 characters (at most 45 bytes each, so a folded line
// stays under 76), one per line: a word never ends inside a character, as Poco's encodeWord does.
std::string encoded_subject(const std::string& text) {
    if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7F; })) return text;
    std::string out, chunk;
    auto flush = [&] {
        if (chunk.empty()) return;
        std::ostringstream b64;
        Poco::Base64Encoder encoder(b64);
        encoder.rdbuf()->setLineLength(0);
        encoder << chunk;
        encoder.close();
        out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") + b64.str() + "?=";
        chunk.clear();
    };
    for (std::size_t i = 0; i < text.size();) {
        std::size_t len = 1;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        if (chunk.size() + len > 45) flush();
        chunk.append(text, i, len);
        i += len;
    }
    flush();
    return out;
}

std::string host_of(const std::string& url) {
    try {
        return Poco::URI(url).getHost();
    } catch (const Poco::Exception&) {
        return url;
    }
}

// For plain SMTP: the connection goes only to a loopback address, whatever a name resolved to,
// so that a password and the alert never cross a network in the clear.
struct LoopbackOnly {
    std::string refused;  // the address refused, for the message
};

curl_socket_t open_loopback_socket(void* user, curlsocktype, curl_sockaddr* address) {
    auto* guard = static_cast<LoopbackOnly*>(user);
    sockaddr_storage at{};
    std::memcpy(&at, &address->addr, std::min<std::size_t>(address->addrlen, sizeof at));
    char shown[INET6_ADDRSTRLEN] = "?";
    bool loopback = false;
    if (address->family == AF_INET) {
        const auto& a = reinterpret_cast<const sockaddr_in&>(at).sin_addr;
        loopback = (ntohl(a.s_addr) >> 24) == 127;
        ::inet_ntop(AF_INET, &a, shown, sizeof shown);
    } else if (address->family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(at).sin6_addr;
        loopback = IN6_IS_ADDR_LOOPBACK(&a) || (IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127);
        ::inet_ntop(AF_INET6, &a, shown, sizeof shown);
    }
    if (!loopback) {
        guard->refused = shown;
        return CURL_SOCKET_BAD;
    }
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// The value of a header of `message` (the first of that name), or "".
std::string header_value(const std::string& message, const std::string& name) {
    for (std::size_t at = 0; at < message.size();) {
        const std::size_t eol = std::min(message.find("\r\n", at), message.size());
        if (eol == at) break;  // the blank line before the body
        const std::string_view line(message.data() + at, eol - at);
        if (line.size() > name.size() && line[name.size()] == ':' &&
            std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            })) {
            std::string_view value = line.substr(name.size() + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            return std::string(value);
        }
        at = eol + 2;
    }
    return {};
}

}  // namespace

bool is_loopback_host(const std::string& host) {
    std::string lower = host;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "localhost") return true;
    // inet_pton takes only the full dotted quad: "127.1" or "2130706433", which a resolver may
    // read as loopback too, count as names here, and so as elsewhere.
    in_addr v4{};
    if (::inet_pton(AF_INET, lower.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (::inet_pton(AF_INET6, lower.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
    return false;
}

SmtpSecurity smtp_security(const std::string& url, bool cacert) {
    try {
        const Poco::URI uri(url);
        if (uri.getScheme() == "smtps") return SmtpSecurity::tls;
        return is_loopback_host(uri.getHost()) && !cacert ? SmtpSecurity::plain_loopback : SmtpSecurity::starttls;
    } catch (const Poco::Exception&) {
        return SmtpSecurity::starttls;  // the safe side; libcurl then names what is wrong with it
    }
}

void check_smtp_url(const std::string& url) {
    const std::string hint = " Hint: give smtps://HOST (TLS, port 465), smtp://HOST:587 (STARTTLS) or, for a mail server on "
                             "this machine, smtp://localhost";
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception&) {
        throw UsageError("--smtp: \"" + for_terminal(url, 200) + "\" is not a URL." + hint);
    }
    if (uri.getScheme() != "smtp" && uri.getScheme() != "smtps")
        throw UsageError("--smtp: \"" + for_terminal(url, 200) + "\" is not an SMTP address." + hint);
    if (uri.getHost().empty()) throw UsageError("--smtp: \"" + for_terminal(url, 200) + "\" names no host." + hint);
    if (!uri.getUserInfo().empty())
        throw UsageError("--smtp: give the user with --user and the password through --password-command, not in the URL");
}

std::string build_mail(const std::string& from, const std::vector<std::string>& to, const std::string& subject,
                       const std::string& text, const std::string& message_id) {
    Poco::Net::MailMessage m;
    m.setSender(from);
    for (const auto& r : to) m.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, r));
    m.setSubject(encoded_subject(subject));
    m.set("MIME-Version", "1.0");
    m.setDate(Poco::Timestamp());
    m.set("Message-ID", !message_id.empty() ? message_id
                                            : "<" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString() + "@fbtrack>");
    // RFC 3834: an automatic message; vacation responders do not answer it.
    m.set("Auto-Submitted", "auto-generated");
    m.setContentType("text/plain; charset=UTF-8");
    // SMTP carries lines ending in CRLF; a bare LF is a mail server's to mangle.
    std::string crlf;
    for (const char c : text) {
        if (c == '\n') crlf += '\r';
        if (c != '\r') crlf += c;
    }
    m.setContent(crlf, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    std::ostringstream out;
    m.write(out);
    return out.str();
}

void send_mail(const SmtpServer& server, const std::string& from, const std::vector<std::string>& to,
               const std::string& message, std::chrono::seconds deadline) {
    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) throw InternalError("libcurl could not start");
    std::unique_ptr<curl_slist, SlistFree> recipients;
    for (const auto& r : to) recipients.reset(curl_slist_append(recipients.release(), ("<" + r + ">").c_str()));
    Upload upload{&message};
    LoopbackOnly guard;
    char error[CURL_ERROR_SIZE] = {};
    const SmtpSecurity security = smtp_security(server.url, server.cacert.has_value());
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, server.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (security == SmtpSecurity::plain_loopback) {
        // A relay on this machine: nothing crosses a network, and a local MTA's certificate is
        // often the distribution's self-signed one. The socket check keeps it to loopback.
        curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
        curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_loopback_socket);
        curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
    } else {
        // STARTTLS on smtp://, or fail: an alert names orders, and a password may go with it.
        curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    }
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (server.cacert) curl_easy_setopt(c, CURLOPT_CAINFO, server.cacert->c_str());
    if (server.user) curl_easy_setopt(c, CURLOPT_USERNAME, server.user->c_str());
    if (server.password) curl_easy_setopt(c, CURLOPT_PASSWORD, server.password->c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + from + ">").c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    const auto deadline_ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline).count();
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(deadline_ms, 30'000)));
    // The whole send, the wait for the answer to the final dot included.
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(deadline_ms));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    // A stop asked for (Ctrl-C, SIGTERM) ends the send at once; nothing is recorded as sent.
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, stop_asked);
    const CURLcode r = curl_easy_perform(c);
    // libcurl says QUIT when the handle is cleaned up and then waits up to two minutes for the
    // answer, deadline or not: a server gone silent would hold notify that long. The QUIT still
    // goes out; its answer, which changes nothing, is not waited for.
    curl_socket_t open = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(c, CURLINFO_ACTIVESOCKET, &open) == CURLE_OK && open != CURL_SOCKET_BAD) ::shutdown(open, SHUT_RD);
    if (r == CURLE_OK) return;
    StopSignals::check();
    const std::string why = for_terminal(error[0] ? error : curl_easy_strerror(r), 300);
    const std::string where = "the mail server " + for_terminal(host_of(server.url), 200);
    if (!guard.refused.empty())
        throw UnavailableError(where + " is at " + guard.refused + ", not on this machine, and fbtrack sends plain SMTP to this "
                               "machine only; nothing was sent. Hint: for another server, give smtps://HOST or smtp://HOST:587 "
                               "(STARTTLS) with 'fbtrack notify set'");
    if (r == CURLE_LOGIN_DENIED)
        throw PermissionError(where + " refused the login (" + why + "). Hint: check --user and the password command of 'fbtrack notify set'");
    if (r == CURLE_PEER_FAILED_VERIFICATION || r == CURLE_SSL_CACERT_BADFILE || r == CURLE_SSL_CONNECT_ERROR)
        throw UnavailableError(where + " is not the server it claims to be, or TLS failed (" + why +
                               "); nothing was sent. Hint: for a private CA, give its certificate with 'fbtrack notify set ... --cacert FILE'");
    if (r == CURLE_USE_SSL_FAILED)
        throw UnavailableError(where + " does not offer STARTTLS, and fbtrack sends nothing unencrypted beyond this machine. "
                                       "Hint: use smtps://");
    if (r == CURLE_OPERATION_TIMEDOUT) {
        const std::string limit = std::to_string(deadline.count()) + " s";
        const std::string more_time = " Hint: a slow server may need more time: FBTRACK_SMTP_DEADLINE=SECONDS (now " + limit + ")";
        // All of it read from us: only the answer to the final dot can be missing, and the server
        // may have delivered the mail before it went silent.
        if (upload.sent == message.size())
            throw UnavailableError(where + " went silent after the alert was handed over (no answer within " + limit +
                                   "): it may or may not have been delivered. fbtrack sends it again next time with the same "
                                   "Message-ID, " + for_terminal(header_value(message, "Message-ID"), 200) +
                                   ", so that a mail program can tell it is the same mail." + more_time);
        throw UnavailableError(where + " did not answer in time (" + why + "); it does not have the alert, which is sent "
                               "next time." + more_time);
    }
    throw UnavailableError(where + " could not take the alert (" + why + "); it is sent next time. Hint: check --smtp of 'fbtrack notify set'");
}

}  // namespace fbtrack
