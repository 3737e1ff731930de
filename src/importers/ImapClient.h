#pragma once
// Reading a seller's mailbox over IMAP, read-only: folders are opened with EXAMINE and messages
// fetched with BODY.PEEK, so nothing on the server is marked seen, moved or deleted. TLS always
// (IMAPS, or STARTTLS on a plain port), the server's certificate verified before the password is
// sent. The protocol is libetpan's.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct mailimap;

namespace fbtrack {

// imaps://HOST[:PORT] (TLS from the start, port 993) or imap://HOST[:PORT] (STARTTLS, port 143).
struct ImapEndpoint {
    bool implicit_tls = true;
    std::string host;
    std::uint16_t port = 993;
};
// Throws UsageError for anything else (a path, a user in the URL, another scheme).
ImapEndpoint parse_imap_url(const std::string& url);

// Checks a server's certificate chain (leaf first, DER) against `cacert` (a private CA: that file
// alone is trusted) or the system's trusted CAs, and the leaf against the host name or IP address.
// Returns what is wrong, or nothing. OpenSSL's verifier does the work.
std::optional<std::string> certificate_problem(const std::vector<std::string>& chain_der, const std::string& host,
                                               const std::optional<std::filesystem::path>& cacert);

// What is wrong with a CA certificate file given with --cacert (not PEM, no certificate), or nothing.
std::optional<std::string> ca_file_problem(const std::filesystem::path& file);

// IMAP's modified UTF-7 for a folder name (RFC 3501 5.1.3): "送信済み" -> "&kAFP4W4IMH8-".
std::string to_imap_utf7(const std::string& utf8);

struct ImapFolder {
    std::uint32_t uidvalidity = 0;
    std::uint32_t uidnext = 0;
    std::uint32_t exists = 0;
};

struct ImapMessage {
    std::uint32_t uid = 0;
    std::string bytes;
    std::int64_t delivered_at = 0;  // the server's INTERNALDATE, seconds since 1970 (0: not given)
    bool truncated = false;  // longer than the cap; the rest stays on the server
};

class ImapSession {
public:
    // Connects and checks the certificate. `account` names the account in every error.
    // Failures to connect, a certificate that is not trusted, a timeout: UnavailableError.
    ImapSession(const ImapEndpoint& endpoint, const std::optional<std::filesystem::path>& cacert,
                std::chrono::seconds timeout, std::string account);
    ~ImapSession();
    ImapSession(const ImapSession&) = delete;
    ImapSession& operator=(const ImapSession&) = delete;

    // A refused login: PermissionError.
    void login(const std::string& user, const std::string& password);
    // Opens the folder read-only (EXAMINE). A folder the server does not have: MissingInputError.
    ImapFolder examine(const std::string& folder);
    // UIDs above `last_uid` in the folder examined last, ascending.
    std::vector<std::uint32_t> uids_after(std::uint32_t last_uid);
    // The message's bytes, at most `cap` of them (BODY.PEEK[]<0.cap+1>).
    ImapMessage fetch(std::uint32_t uid, std::size_t cap);
    void logout() noexcept;

private:
    [[noreturn]] void fail(int code, const std::string& doing);
    struct Free {
        void operator()(mailimap* imap) const;
    };
    std::unique_ptr<mailimap, Free> imap_;
    std::string account_;
    std::string host_;
    std::string folder_;
};

}  // namespace fbtrack
