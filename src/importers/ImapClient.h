#pragma once
// Reading a seller's mailbox over IMAP, read-only: folders are opened with EXAMINE and messages
// fetched with BODY.PEEK, so nothing on the server is marked seen, moved or deleted. TLS always
// (IMAPS, or STARTTLS on a plain port), the server's certificate verified before the password is
// sent. The protocol is libetpan's.
#include "core/Errors.h"

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
    std::uint32_t uidnext = 0;  // 0: the server gave none
    std::uint32_t exists = 0;
};

// What a server may take of fbtrack, in time and bytes. Each step (connect and greeting, login,
// opening a folder, one window of the listing, one message) has its own deadline, and the whole
// fetch one more; a step past its deadline, or a server sending more than a step asks for, ends
// the connection (UnavailableError) rather than holding a round of watch or the machine's memory.
struct ImapLimits {
    std::chrono::seconds step{30};
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    // A message may take `step` plus what of it has arrived, at this rate: a slow line earns time,
    // a server that announces much and drips a byte at a time does not.
    std::size_t bytes_per_second = 64 * 1024;
    std::size_t greeting_bytes = 8 * 1024;
    std::size_t line_bytes = 64 * 1024;
    // One UID SEARCH answers for at most `listing_window` UIDs, in at most `listing_bytes`.
    std::uint32_t listing_window = 20000;
    std::size_t listing_bytes = 256 * 1024;
};

struct ImapMessage {
    // read: the bytes are here; gone: the server no longer has the UID (expunged meanwhile);
    // no_body: it answered for the UID without the message's content.
    enum class Reading { read, gone, no_body };
    std::uint32_t uid = 0;
    Reading reading = Reading::gone;
    std::string bytes;
    std::int64_t delivered_at = 0;  // the server's INTERNALDATE, seconds since 1970 (0: not given)
    bool truncated = false;  // longer than the cap; the rest stays on the server
    std::string refusal;     // no_body: what the server said when it refused it, if it did
};

// A connection lost or dropped by fbtrack in the middle of a step: UnavailableError, with
// `oversized` set when the server sent more than was asked for (a message that can never be
// read whole from this server, as opposed to a line that dropped).
class ImapConnectionError : public UnavailableError {
public:
    ImapConnectionError(const std::string& message, bool oversized) : UnavailableError(message), oversized_(oversized) {}
    bool oversized() const { return oversized_; }

private:
    bool oversized_;
};

class ImapSession {
public:
    // Connects, checks the certificate and reads the greeting. `account` names the account in
    // every error. Failures to connect, a certificate that is not trusted, a step past its
    // deadline: UnavailableError. A stop asked for (SIGINT, SIGTERM): StopRequested.
    ImapSession(const ImapEndpoint& endpoint, const std::optional<std::filesystem::path>& cacert,
                const ImapLimits& limits, std::string account);
    ~ImapSession();
    ImapSession(const ImapSession&) = delete;
    ImapSession& operator=(const ImapSession&) = delete;

    // A refused login: PermissionError.
    void login(const std::string& user, const std::string& password);
    // Opens the folder read-only (EXAMINE). A folder the server does not have: MissingInputError.
    ImapFolder examine(const std::string& folder);
    // UIDs above `last_uid` and below the folder's UIDNEXT in the folder examined last, ascending,
    // at most `most` of them, asked for in windows (UID SEARCH) so that no answer is larger than
    // the limits allow.
    std::vector<std::uint32_t> uids_after(std::uint32_t last_uid, const ImapFolder& folder, std::size_t most);
    // The message's bytes, at most `cap` of them (BODY.PEEK[]<0.cap+1>).
    ImapMessage fetch(std::uint32_t uid, std::size_t cap);
    void logout() noexcept;

    struct Guard;  // the deadline and byte budget every read goes through (ImapClient.cpp)

private:
    [[noreturn]] void fail(int code, const std::string& doing);
    void open_stream(const ImapEndpoint& endpoint, const std::optional<std::filesystem::path>& cacert);
    struct Free {
        void operator()(mailimap* imap) const;
    };
    ImapLimits limits_;
    std::string account_;
    std::string host_;
    std::string folder_;
    std::unique_ptr<Guard> guard_;  // outlives the stream, which reads through it
    std::unique_ptr<mailimap, Free> imap_;
};

}  // namespace fbtrack
