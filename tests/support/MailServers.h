#pragma once
// Real mail servers for the tests of `fbtrack fetch` (IMAP) and `fbtrack notify` (SMTP): Debian's
// Dovecot and python3-aiosmtpd, started by a test on loopback and stopped after it. Everything a
// server writes (configuration, sockets, logs, mail) lives in a temporary folder it owns; the
// system's own Dovecot, if one runs, is neither used nor disturbed.
#include "TestSupport.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack::test {

// A CA and a server certificate signed by it, for localhost, 127.0.0.1 and 127.0.0.2.
struct TlsFiles {
    std::filesystem::path ca, cert, key;
};
// Makes a fresh CA and server certificate with the openssl CLI into `dir` (RSA 2048, valid 2 days,
// SAN DNS:localhost, IP:127.0.0.1, IP:127.0.0.2). Throws with openssl's message if it fails.
TlsFiles make_test_certificates(const std::filesystem::path& dir);

// A TCP port free on `address` now (bound to port 0, read, closed). Another process may take it
// before the server binds it: the servers below retry their first start on fresh ports.
int free_loopback_port(const std::string& address = "127.0.0.1");

// Runs an installed program (found in PATH, /usr/sbin or /sbin) to the end and collects its
// output: curl and openssl for the tests. Exit code 127 when it cannot be run.
RunResult run_tool(const std::string& program, const std::vector<std::string>& args);

// A server process in its own process group, with its output appended to a file. It receives
// SIGTERM when the test process dies without running destructors (PR_SET_PDEATHSIG).
class ServerProcess {
public:
    ServerProcess() = default;
    ~ServerProcess() { stop(); }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    void start(const std::vector<std::string>& argv, const std::filesystem::path& output);
    bool running();  // reaps it when it has exited
    // SIGTERM, then waits for it up to `grace`; then SIGKILL. Also kills whatever is left of its
    // process group (children it could not stop). Does nothing when it is not running.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(10)) noexcept;

private:
    int pid_ = -1;
};

// Dovecot 2.3 serving one user's Maildir++ over IMAPS on 127.0.0.1 and over plain IMAP, which
// offers only STARTTLS before login, on 127.0.0.2 (see url()).
class DovecotServer {
public:
    // Empty when it can run here; otherwise why not, for GTEST_SKIP.
    static std::string unavailable_reason();

    // Starts `dovecot -F -c <config>` and waits, up to 10 s, until both ports accept connections;
    // throws with the log's tail otherwise. The password may hold any character; the user name no
    // ':' or line break.
    explicit DovecotServer(std::string user = "seller", std::string password = "s3cret");
    ~DovecotServer();
    DovecotServer(const DovecotServer&) = delete;
    DovecotServer& operator=(const DovecotServer&) = delete;

    int imaps_port() const { return imaps_port_; }
    int imap_port() const { return imap_port_; }  // plain IMAP that requires STARTTLS before login
    const TlsFiles& tls() const { return tls_; }
    const std::string& user() const { return user_; }
    const std::string& password() const { return password_; }
    // "imaps://127.0.0.1:PORT", or for "imap" "imap://127.0.0.2:PORT": Dovecot counts a connection
    // whose two ends share an address (127.0.0.1 to 127.0.0.1) as secured and lets it log in
    // without TLS, whatever `ssl = required` says; from 127.0.0.1 to 127.0.0.2 it does not.
    std::string url(const std::string& scheme = "imaps") const;

    // Puts a message into a folder ("INBOX", "Sent" or another, created if missing) as a new file
    // owned by the mail user, the way a delivery agent does (tmp/, then renamed): into new/, or
    // with `maildir_flags` (letters in ASCII order: "S" seen, "FS" flagged and seen, "" none)
    // into cur/ as "NAME:2,FLAGS". Returns its path. The server notices it at its next sync.
    std::filesystem::path deliver(const std::string& folder, const std::string& bytes,
                                  std::optional<std::string> maildir_flags = std::nullopt);
    // Every message file of the folder: its name without the ":2,..." part -> "new:" or "cur:"
    // followed by the flag letters ("new:" delivered and untouched, "cur:S" seen, "cur:" moved to
    // cur/ without flags). Equal maps before and after a fetch mean it changed no flags.
    std::map<std::string, std::string> flags(const std::string& folder) const;
    // Stops the server, deletes the folder's dovecot-uidlist and index files (and the mailbox list
    // index), starts it again on the same ports: the folder then has a new, larger UIDVALIDITY.
    void renew_uidvalidity(const std::string& folder);

    // For "server down" tests: stop(), and later start() again on the same ports.
    void stop() noexcept;
    void start();
    std::string log() const;  // Dovecot's log and the master's own output, for failure messages

    std::filesystem::path maildir() const;  // the user's Maildir++ root (INBOX)

private:
    std::filesystem::path folder_path(const std::string& folder) const;
    void write_config() const;
    bool launch();  // false when the master exited during start-up (a port taken, say)

    TempDir dir_;
    std::string user_, password_;
    TlsFiles tls_;
    int imaps_port_ = 0, imap_port_ = 0;
    unsigned deliveries_ = 0;
    ServerProcess master_;
};

// python3 -m aiosmtpd's SMTP server, run by a small script that keeps every message it receives.
class SmtpSink {
public:
    static std::string unavailable_reason();

    // Starts it on 127.0.0.1 and a free port and waits, up to 10 s, until it listens. With `tls`:
    // STARTTLS offered with tls()'s certificate and required before anything but EHLO/NOOP/QUIT.
    // With a `user`: AUTH PLAIN and LOGIN offered (after STARTTLS when `tls`), required before
    // MAIL, and only that user and password accepted.
    explicit SmtpSink(bool tls = true, std::string user = "", std::string password = "");
    ~SmtpSink();
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    int port() const { return port_; }
    const TlsFiles& tls() const { return tls_; }  // empty paths without `tls`
    std::string url() const;                      // "smtp://127.0.0.1:PORT"
    // The raw messages received (as after DATA, dot-stuffing undone, CRLF line ends), in arrival
    // order. A message is here once the server has answered 250 to its final dot.
    std::vector<std::string> received() const;
    // RCPT TO addresses of every received message, in arrival order.
    std::vector<std::string> envelope_recipients() const;
    std::string log() const;  // the server's output, for failure messages

private:
    bool launch();

    TempDir dir_;
    TlsFiles tls_;
    std::string user_, password_;
    int port_ = 0;
    ServerProcess server_;
};

}  // namespace fbtrack::test

// The tests on real mail servers skip, visibly, where the server cannot run.
#define REQUIRE_DOVECOT()                                                                      \
    do {                                                                                       \
        if (const auto why = ::fbtrack::test::DovecotServer::unavailable_reason(); !why.empty()) \
            GTEST_SKIP() << why;                                                               \
    } while (0)
#define REQUIRE_SMTP_SINK()                                                                   \
    do {                                                                                      \
        if (const auto why = ::fbtrack::test::SmtpSink::unavailable_reason(); !why.empty())   \
            GTEST_SKIP() << why;                                                              \
    } while (0)

namespace fbtrack::test {

// tests/support/hostile_imap.py: a small scripted IMAP server that misbehaves as `scenario` says
// (an endless greeting, a literal of 4 GiB, a FETCH without a body, ...), over IMAPS on
// 127.0.0.1 or, with `starttls`, plain IMAP that offers STARTTLS. Its certificate is signed by
// tls().ca. Messages are put in with add_message(); commands() lists what the client asked.
class HostileImapServer {
public:
    static std::string unavailable_reason();
    explicit HostileImapServer(const std::string& scenario, bool starttls = false);
    ~HostileImapServer();
    HostileImapServer(const HostileImapServer&) = delete;
    HostileImapServer& operator=(const HostileImapServer&) = delete;

    void add_message(std::uint32_t uid, const std::string& bytes);
    std::string url() const;  // imaps://127.0.0.1:PORT or imap://127.0.0.1:PORT
    const TlsFiles& tls() const { return tls_; }
    std::vector<std::string> commands() const;
    std::string log() const;

private:
    TempDir dir_;
    TlsFiles tls_;
    bool starttls_;
    int port_ = 0;
    ServerProcess server_;
};

}  // namespace fbtrack::test

#define REQUIRE_HOSTILE_IMAP()                                                                   \
    do {                                                                                         \
        if (const auto why = ::fbtrack::test::HostileImapServer::unavailable_reason(); !why.empty()) \
            GTEST_SKIP() << why;                                                                 \
    } while (0)
