#include "notify/SmtpSender.h"

#include "core/Errors.h"
#include "text/TerminalText.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>
#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <sstream>

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

}  // namespace

void check_smtp_url(const std::string& url) {
    const std::string hint = " Hint: give smtps://HOST (TLS, port 465) or smtp://HOST:587 (STARTTLS)";
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
                       const std::string& text) {
    Poco::Net::MailMessage m;
    m.setSender(from);
    for (const auto& r : to) m.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, r));
    m.setSubject(encoded_subject(subject));
    m.set("MIME-Version", "1.0");
    m.setDate(Poco::Timestamp());
    m.set("Message-ID", "<" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString() + "@fbtrack>");
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
               const std::string& message, std::chrono::seconds timeout) {
    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) throw InternalError("libcurl could not start");
    std::unique_ptr<curl_slist, SlistFree> recipients;
    for (const auto& r : to) recipients.reset(curl_slist_append(recipients.release(), ("<" + r + ">").c_str()));
    Upload upload{&message};
    char error[CURL_ERROR_SIZE] = {};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, server.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // STARTTLS on smtp://, or fail: an alert names orders, and a password may go with it.
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
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
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout.count() * 2));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    const CURLcode r = curl_easy_perform(c);
    if (r == CURLE_OK) return;
    const std::string why = for_terminal(error[0] ? error : curl_easy_strerror(r), 300);
    const std::string where = "the mail server " + host_of(server.url);
    if (r == CURLE_LOGIN_DENIED)
        throw PermissionError(where + " refused the login (" + why + "). Hint: check --user and the password command of 'fbtrack notify set'");
    if (r == CURLE_PEER_FAILED_VERIFICATION || r == CURLE_SSL_CACERT_BADFILE || r == CURLE_SSL_CONNECT_ERROR)
        throw UnavailableError(where + " is not the server it claims to be, or TLS failed (" + why +
                               "); nothing was sent. Hint: for a private CA, give its certificate with 'fbtrack notify set ... --cacert FILE'");
    if (r == CURLE_USE_SSL_FAILED)
        throw UnavailableError(where + " does not offer STARTTLS, and fbtrack sends nothing unencrypted. Hint: use smtps://");
    throw UnavailableError(where + " could not take the alert (" + why + "); it is sent next time. Hint: check --smtp of 'fbtrack notify set'");
}

}  // namespace fbtrack
