#include "importers/ImapClient.h"

#include "core/Errors.h"
#include "core/StopSignals.h"
#include "importers/ImapReadBudget.h"
#include "text/TerminalText.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <libetpan/libetpan.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <unicode/unistr.h>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <ctime>
#include <sstream>

namespace fbtrack {

namespace {

template <class T, void (*F)(T*)>
struct Freer {
    void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Freer<X509, X509_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Freer<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Freer<X509_STORE_CTX, X509_STORE_CTX_free>>;
void free_cert_stack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
using CertStackPtr = std::unique_ptr<STACK_OF(X509), Freer<STACK_OF(X509), free_cert_stack>>;

X509Ptr from_der(const std::string& der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

bool is_ip_address(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// TLS server name indication: Gmail and most shared hosts choose the certificate by it, and
// without it send one for another name (Gmail: "invalid2.invalid").
void send_server_name(mailstream_ssl_context* context, void* host) {
    const auto* name = static_cast<const std::string*>(host);
    if (!is_ip_address(*name)) mailstream_ssl_set_server_name(context, const_cast<char*>(name->c_str()));
}

}  // namespace

ImapEndpoint parse_imap_url(const std::string& url) {
    const std::string hint = " Hint: give imaps://HOST (TLS, port 993) or imap://HOST (STARTTLS, port 143), with :PORT if another";
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception&) {
        throw UsageError("--url: \"" + for_terminal(url, 200) + "\" is not a URL." + hint);
    }
    ImapEndpoint e;
    if (uri.getScheme() == "imaps") e.implicit_tls = true;
    else if (uri.getScheme() == "imap") e.implicit_tls = false;
    else throw UsageError("--url: \"" + for_terminal(url, 200) + "\" is not an IMAP address." + hint);
    if (uri.getHost().empty()) throw UsageError("--url: \"" + for_terminal(url, 200) + "\" names no host." + hint);
    if (!uri.getUserInfo().empty())
        throw UsageError("--url: give the user with --user and the password through --password-command, not in the URL");
    if (!uri.getPath().empty() && uri.getPath() != "/")
        throw UsageError("--url: \"" + for_terminal(url, 200) + "\" names a folder; give folders with --folders." + hint);
    e.host = uri.getHost();
    e.port = uri.getPort() ? uri.getPort() : (e.implicit_tls ? 993 : 143);
    return e;
}

std::optional<std::string> certificate_problem(const std::vector<std::string>& chain_der, const std::string& host,
                                               const std::optional<std::filesystem::path>& cacert) {
    if (chain_der.empty()) return "the server sent no certificate";
    const X509Ptr leaf = from_der(chain_der.front());
    if (!leaf) return "the server's certificate cannot be read";
    CertStackPtr untrusted(sk_X509_new_null());
    for (std::size_t i = 1; i < chain_der.size(); ++i)
        if (auto c = from_der(chain_der[i])) sk_X509_push(untrusted.get(), c.release());

    StorePtr store(X509_STORE_new());
    if (cacert) {
        if (X509_STORE_load_file(store.get(), cacert->c_str()) != 1)
            return "the CA certificate " + cacert->string() + " cannot be read (a PEM file is expected)";
    } else if (X509_STORE_set_default_paths(store.get()) != 1) {
        return "the system's trusted certificates cannot be read";
    }
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted.get()) != 1)
        return "the certificate cannot be checked";
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    if (is_ip_address(host)) X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    else X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    if (X509_verify_cert(ctx.get()) == 1) return std::nullopt;
    const int code = X509_STORE_CTX_get_error(ctx.get());
    return std::string("its certificate is not trusted: ") + X509_verify_cert_error_string(code);
}

std::optional<std::string> ca_file_problem(const std::filesystem::path& file) {
    StorePtr store(X509_STORE_new());
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return "not a file";
    if (!store || X509_STORE_load_file(store.get(), file.c_str()) != 1 || !X509_STORE_get0_objects(store.get()) ||
        sk_X509_OBJECT_num(X509_STORE_get0_objects(store.get())) == 0)
        return "holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)";
    return std::nullopt;
}

std::string to_imap_utf7(const std::string& utf8) {
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
    std::string out;
    std::u16string pending;  // a run of characters outside printable ASCII
    auto flush = [&] {
        if (pending.empty()) return;
        std::string be;
        for (char16_t c : pending) {
            be += static_cast<char>(c >> 8);
            be += static_cast<char>(c & 0xFF);
        }
        std::ostringstream b64;
        Poco::Base64Encoder encoder(b64);
        encoder.rdbuf()->setLineLength(0);
        encoder << be;
        encoder.close();
        std::string s = b64.str();
        while (!s.empty() && s.back() == '=') s.pop_back();
        for (auto& ch : s)
            if (ch == '/') ch = ',';
        out += "&" + s + "-";
        pending.clear();
    };
    for (int32_t i = 0; i < text.length(); ++i) {
        const char16_t c = text.charAt(i);
        if (c >= 0x20 && c <= 0x7E) {
            flush();
            out += c == '&' ? std::string("&-") : std::string(1, static_cast<char>(c));
        } else {
            pending += c;
        }
    }
    flush();
    return out;
}

// Every read from the server passes here: a watchdog thread ends the step at its deadline or at
// a stop asked for (shutting the socket down wakes any read or write blocked on it, TLS
// handshakes included), and the byte budget drops a server that sends more than was asked for.
struct ImapSession::Guard {
    enum class Trip { none, deadline, stop };

    explicit Guard(const ImapLimits& limits) : limits_(limits), thread_([this] { watch(); }) {}
    ~Guard() {
        {
            std::lock_guard lock(mutex_);
            quit_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

    void set_socket(int fd) {
        std::lock_guard lock(mutex_);
        socket_ = fd;
    }
    // A new step: its byte limits and its deadline (never past the whole fetch's).
    void begin(const ImapReadLimits& read_limits, std::chrono::seconds step, bool message = false) {
        budget_.begin(read_limits);
        problem_.reset();
        message_ = message;
        std::lock_guard lock(mutex_);
        started_ = std::chrono::steady_clock::now();
        step_ = step;
        set_deadline(started_ + step);
    }
    // Bytes read from the server: false when they are more than the step allows.
    bool take(const char* bytes, std::size_t n) {
        if (auto problem = budget_.take(bytes, n)) {
            problem_ = std::move(problem);
            return false;
        }
        // A message's step lasts longer as its bytes arrive at a slow line's rate, never for
        // what a server only announces: a server dripping a byte at a time earns no time.
        if (message_) {
            std::lock_guard lock(mutex_);
            const auto earned = std::chrono::seconds(budget_.received() / std::max<std::size_t>(limits_.bytes_per_second, 1));
            set_deadline(started_ + step_ + earned);
        }
        return true;
    }
    bool stopped() const { return trip_.load() != Trip::none || problem_ || StopSignals::requested(); }
    Trip tripped() const { return trip_.load(); }
    const std::optional<ImapReadBudget::Problem>& problem() const { return problem_; }
    // How long the step was given, and whether the whole fetch's deadline was what ended it.
    std::chrono::seconds step() const {
        std::lock_guard lock(mutex_);
        return std::chrono::duration_cast<std::chrono::seconds>(deadline_ - started_);
    }
    bool round_ended() const {
        std::lock_guard lock(mutex_);
        return round_ended_;
    }

private:
    void watch() {
        std::unique_lock lock(mutex_);
        while (!quit_) {
            wake_.wait_for(lock, std::chrono::milliseconds(50));
            if (socket_ < 0 || trip_.load() != Trip::none) continue;
            if (StopSignals::requested()) trip(Trip::stop);
            else if (std::chrono::steady_clock::now() >= deadline_) trip(Trip::deadline);
        }
    }
    void trip(Trip why) {
        trip_.store(why);
        ::shutdown(socket_, SHUT_RDWR);
    }
    void set_deadline(std::chrono::steady_clock::time_point wanted) {  // with mutex_ held
        round_ended_ = wanted >= limits_.deadline;
        deadline_ = std::min(wanted, limits_.deadline);
    }

    const ImapLimits limits_;
    ImapReadBudget budget_;  // the reading thread's alone
    std::optional<ImapReadBudget::Problem> problem_;
    bool message_ = false;
    bool round_ended_ = false;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    int socket_ = -1;
    bool quit_ = false;
    std::chrono::steady_clock::time_point started_{}, deadline_ = std::chrono::steady_clock::time_point::max();
    std::chrono::seconds step_{0};
    std::atomic<Trip> trip_{Trip::none};
    std::thread thread_;  // last: it starts once everything above is ready
};

namespace {

// libetpan's stream reads through a "low" driver; this one wraps the socket's or TLS's and hands
// each read to the guard before the parser sees it.
struct GuardedLow {
    mailstream_low* inner;
    ImapSession::Guard* guard;
};

GuardedLow* guarded(mailstream_low* s) { return static_cast<GuardedLow*>(s->data); }

ssize_t guarded_read(mailstream_low* s, void* buffer, size_t count) {
    GuardedLow* g = guarded(s);
    if (g->guard->stopped()) return -1;
    const ssize_t n = g->inner->driver->mailstream_read(g->inner, buffer, count);
    if (n > 0 && !g->guard->take(static_cast<const char*>(buffer), static_cast<std::size_t>(n))) return -1;
    return n;
}
ssize_t guarded_write(mailstream_low* s, const void* buffer, size_t count) {
    GuardedLow* g = guarded(s);
    if (g->guard->stopped()) return -1;
    return g->inner->driver->mailstream_write(g->inner, buffer, count);
}
int guarded_close(mailstream_low* s) { return mailstream_low_close(guarded(s)->inner); }
int guarded_get_fd(mailstream_low* s) { return mailstream_low_get_fd(guarded(s)->inner); }
void guarded_free(mailstream_low* s) {
    GuardedLow* g = guarded(s);
    mailstream_low_free(g->inner);
    delete g;
    std::free(s);  // as libetpan's own drivers free their low
}
void guarded_cancel(mailstream_low* s) { mailstream_low_cancel(guarded(s)->inner); }
struct mailstream_cancel* guarded_get_cancel(mailstream_low* s) { return mailstream_low_get_cancel(guarded(s)->inner); }
carray* guarded_certificates(mailstream_low* s) { return mailstream_low_get_certificate_chain(guarded(s)->inner); }
int no_idle(mailstream_low*) { return -1; }

mailstream_low_driver guarded_driver = {guarded_read,   guarded_write,      guarded_close,        guarded_get_fd,
                                        guarded_free,   guarded_cancel,     guarded_get_cancel,   guarded_certificates,
                                        no_idle,        no_idle,            no_idle};

// A TCP connection within `timeout`, given up at once when a stop is asked for. -1 and errno set
// when it cannot be made.
int connect_tcp(const std::string& host, std::uint16_t port, std::chrono::seconds timeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found) return -1;
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, freeaddrinfo);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (addrinfo* a = found; a; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) continue;
        int r = ::connect(fd, a->ai_addr, a->ai_addrlen);
        while (r != 0 && (errno == EINPROGRESS || errno == EINTR)) {
            StopSignals::check();
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                errno = ETIMEDOUT;
                break;
            }
            pollfd p{fd, POLLOUT, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 250)));
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) {
                errno = EINPROGRESS;
                continue;
            }
            int error = 0;
            socklen_t size = sizeof error;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
            r = error ? -1 : 0;
            errno = error;
            break;
        }
        if (r == 0) {
            // libetpan's drivers wait with poll() themselves and expect a blocking socket.
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            return fd;
        }
        const int e = errno;
        ::close(fd);
        errno = e;
    }
    return -1;
}

}  // namespace

void ImapSession::Free::operator()(mailimap* imap) const { mailimap_free(imap); }

ImapSession::ImapSession(const ImapEndpoint& endpoint, const std::optional<std::filesystem::path>& cacert,
                         const ImapLimits& limits, std::string account)
    : limits_(limits), account_(std::move(account)), host_(endpoint.host), guard_(std::make_unique<Guard>(limits)),
      imap_(mailimap_new(0, nullptr)) {
    if (!imap_) throw InternalError("out of memory");
    mailimap_set_timeout(imap_.get(), static_cast<time_t>(limits_.step.count()));
    open_stream(endpoint, cacert);
}

void ImapSession::open_stream(const ImapEndpoint& endpoint, const std::optional<std::filesystem::path>& cacert) {
    const std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
    const auto timeout = static_cast<time_t>(limits_.step.count());
    // The greeting is a line or two; a server that talks on and on is dropped within a few KiB.
    guard_->begin({limits_.greeting_bytes, limits_.greeting_bytes, 0, limits_.greeting_bytes, 16}, limits_.step);
    const int fd = connect_tcp(endpoint.host, endpoint.port, limits_.step);
    if (fd < 0)
        throw UnavailableError("mail account " + account_ + ": cannot connect to " + where +
                               (endpoint.implicit_tls ? " over TLS" : "") + " (" + std::strerror(errno) +
                               "; the server is down, the address or port is wrong, or no network). Hint: check the "
                               "--url given to 'fbtrack mail add'; fetch tries again next round");
    guard_->set_socket(fd);
    mailstream* stream = endpoint.implicit_tls
                             ? mailstream_ssl_open_with_callback_timeout(fd, timeout, send_server_name, &host_)
                             : mailstream_socket_open_timeout(fd, timeout);
    if (!stream) {
        ::close(fd);
        StopSignals::check();
        throw UnavailableError("mail account " + account_ + ": " + where +
                               (endpoint.implicit_tls ? " did not complete a TLS handshake" : " cannot be read") +
                               (guard_->tripped() == Guard::Trip::deadline
                                    ? " within " + std::to_string(limits_.step.count()) + " s"
                                    : std::string()) +
                               ". Hint: check that the port speaks " + (endpoint.implicit_tls ? "IMAPS" : "IMAP") +
                               " (imaps:// is port 993, imap:// port 143)");
    }
    auto* g = new GuardedLow{mailstream_get_low(stream), guard_.get()};
    mailstream_low* low = mailstream_low_new(g, &guarded_driver);
    if (!low) {
        delete g;
        mailstream_close(stream);
        throw InternalError("out of memory");
    }
    mailstream_set_low(stream, low);

    auto check_certificate = [&](const std::string& before) {
        std::vector<std::string> chain;
        if (carray* certs = mailstream_get_certificate_chain(stream)) {
            for (unsigned i = 0; i < carray_count(certs); ++i) {
                const auto* der = static_cast<MMAPString*>(carray_get(certs, i));
                chain.emplace_back(der->str, der->len);
            }
            mailstream_certificate_chain_free(certs);
        }
        if (const auto problem = certificate_problem(chain, endpoint.host, cacert))
            throw UnavailableError("mail account " + account_ + ": " + where + " is not the server it claims to be: " +
                                   *problem + ". " + before +
                                   " Hint: if the server uses a private CA, give its certificate with 'fbtrack mail add "
                                   "... --cacert FILE'");
    };
    if (endpoint.implicit_tls) {
        // Checked before the greeting: nothing from a server that is not the seller's is read.
        try {
            check_certificate("Nothing was read from it, and the user name and password were not sent.");
        } catch (...) {
            mailstream_close(stream);
            throw;
        }
    }
    const int r = mailimap_connect(imap_.get(), stream);
    if (r != MAILIMAP_NO_ERROR && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED && r != MAILIMAP_NO_ERROR_AUTHENTICATED)
        fail(r, "reading its greeting");
    // PREAUTH: a server that logs anyone in without a password is not a mailbox of the seller's.
    if (r == MAILIMAP_NO_ERROR_AUTHENTICATED)
        throw UnavailableError("mail account " + account_ + ": " + where +
                               " greeted fbtrack as logged in already (PREAUTH), without a password: that is not how a "
                               "mail provider's server answers. Nothing was read from it. Hint: check the --url given "
                               "to 'fbtrack mail add'");
    if (!endpoint.implicit_tls) {
        // Never on in the clear: without STARTTLS the password would cross the network readable.
        guard_->begin({limits_.line_bytes, limits_.line_bytes, 0, limits_.greeting_bytes * 4, 16}, limits_.step);
        const int s = mailimap_starttls(imap_.get());
        if (s != MAILIMAP_NO_ERROR) {
            if (guard_->stopped()) fail(s, "asking for STARTTLS");
            throw UnavailableError("mail account " + account_ + ": " + where +
                                   " does not offer STARTTLS, and fbtrack never sends a password unencrypted. Hint: "
                                   "use imaps://" + endpoint.host + " if the server offers IMAPS");
        }
        GuardedLow* gl = guarded(mailstream_get_low(imap_->imap_stream));
        mailstream_low* tls = mailstream_low_tls_open_with_callback_timeout(mailstream_low_get_fd(gl->inner), timeout,
                                                                            send_server_name, &host_);
        if (!tls) {
            StopSignals::check();
            throw UnavailableError("mail account " + account_ + ": " + where +
                                   " accepted STARTTLS but did not complete a TLS handshake. Hint: try again later; "
                                   "if it lasts, use imaps:// if the server offers it");
        }
        mailstream_low_free(gl->inner);  // frees the plain driver, not the socket the TLS one now uses
        gl->inner = tls;
        check_certificate("Its greeting was read in the clear, as STARTTLS has it; the user name and password were "
                          "not sent.");
    }
}

ImapSession::~ImapSession() { logout(); }

void ImapSession::logout() noexcept {
    if (!imap_ || !imap_->imap_stream) return;
    if (guard_->stopped()) {
        // The connection is spent: close it without the LOGOUT exchange.
        mailstream_close(imap_->imap_stream);
        imap_->imap_stream = nullptr;
        return;
    }
    guard_->begin(ImapReadLimits{}, std::min(limits_.step, std::chrono::seconds(5)));
    mailimap_logout(imap_.get());
}

void ImapSession::fail(int code, const std::string& doing) {
    StopSignals::check();
    if (guard_->tripped() == Guard::Trip::stop) throw StopRequested{SIGTERM};
    const std::string said = imap_->imap_response ? for_terminal(imap_->imap_response, 300) : std::string();
    if (const auto& problem = guard_->problem())
        throw ImapConnectionError("mail account " + account_ + ": " + host_ + " was cut off while " + doing + ": " +
                                      problem->text + ". Hint: if it is your provider's server, tell them; fetch "
                                      "tries again next round",
                                  problem->excess == ImapReadBudget::Excess::body);
    if (guard_->tripped() == Guard::Trip::deadline && guard_->round_ended())
        throw ImapConnectionError("mail account " + account_ + ": the fetch reached its time limit while " + doing +
                                      " on " + host_ + ", so the connection was closed; what was read before is "
                                      "kept. Hint: the next fetch goes on from there (FBTRACK_ROUND_TIMEOUT sets the "
                                      "limit, in seconds)",
                                  false);
    if (guard_->tripped() == Guard::Trip::deadline)
        throw ImapConnectionError("mail account " + account_ + ": " + host_ + " took longer than " +
                                      std::to_string(guard_->step().count()) + " s while " + doing +
                                      ", so the connection was closed. Hint: fetch again later; a server that is "
                                      "this slow every time may be overloaded",
                                  false);
    if (code == MAILIMAP_ERROR_STREAM || code == MAILIMAP_ERROR_CONNECTION_REFUSED || code == MAILIMAP_ERROR_SSL)
        throw ImapConnectionError("mail account " + account_ + ": the connection to " + host_ + " was lost while " +
                                      doing + ". Hint: fetch again later",
                                  false);
    if (code == MAILIMAP_ERROR_PARSE)
        throw ImapConnectionError("mail account " + account_ + ": " + host_ + " answered what is not IMAP while " +
                                      doing + (said.empty() ? "" : " (" + said + ")") + ". Hint: fetch again later",
                                  false);
    throw UnavailableError("mail account " + account_ + ": the server refused " + doing + (said.empty() ? "" : ": " + said));
}

void ImapSession::login(const std::string& user, const std::string& password) {
    guard_->begin(ImapReadLimits{}, limits_.step);
    const int r = mailimap_login(imap_.get(), user.c_str(), password.c_str());
    if (r == MAILIMAP_NO_ERROR) return;
    if (r == MAILIMAP_ERROR_LOGIN) {
        const std::string said = imap_->imap_response ? for_terminal(imap_->imap_response, 300) : std::string();
        throw PermissionError("mail account " + account_ + ": the server refused the login of " + for_terminal(user, 200) +
                              (said.empty() ? "" : " (" + said + ")") +
                              ". Hint: check the user name, and that the password command prints the right password");
    }
    fail(r, "the login");
}

ImapFolder ImapSession::examine(const std::string& folder) {
    const std::string name = to_imap_utf7(folder);
    guard_->begin(ImapReadLimits{}, limits_.step);
    const int r = mailimap_examine(imap_.get(), name.c_str());
    if (r == MAILIMAP_ERROR_EXAMINE)
        throw MissingInputError("mail account " + account_ + ": the server has no folder \"" + for_terminal(folder, 200) +
                                "\". Hint: name the folders as your mail program shows them, with 'fbtrack mail add "
                                "... --folders INBOX,Sent'");
    if (r != MAILIMAP_NO_ERROR) fail(r, "opening the folder " + for_terminal(folder, 200));
    folder_ = folder;
    ImapFolder f;
    if (const auto* info = imap_->imap_selection_info) {
        f.uidvalidity = info->sel_uidvalidity;
        f.uidnext = info->sel_uidnext;
        f.exists = info->sel_exists;
    }
    if (f.uidvalidity == 0)
        throw UnavailableError("mail account " + account_ + ": the server gave the folder \"" + for_terminal(folder, 200) +
                               "\" no UIDVALIDITY, so new mail cannot be told from mail read before");
    return f;
}

namespace {

struct FetchResult {
    clist* list = nullptr;
    ~FetchResult() {
        if (list) mailimap_fetch_list_free(list);
    }
};

struct SearchResult {
    clist* list = nullptr;
    ~SearchResult() {
        if (list) mailimap_search_result_free(list);
    }
};

struct SearchKey {
    mailimap_search_key* key;
    ~SearchKey() { mailimap_search_key_free(key); }
};

struct FetchType {
    mailimap_fetch_type* type = mailimap_fetch_type_new_fetch_att_list_empty();
    ~FetchType() { mailimap_fetch_type_free(type); }
};

struct Set {
    mailimap_set* set;
    ~Set() { mailimap_set_free(set); }
};

std::int64_t seconds_since_1970(const mailimap_date_time& d) {
    std::tm tm{};
    tm.tm_year = d.dt_year - 1900;
    tm.tm_mon = d.dt_month - 1;
    tm.tm_mday = d.dt_day;
    tm.tm_hour = d.dt_hour;
    tm.tm_min = d.dt_min;
    tm.tm_sec = d.dt_sec;
    // A date no server gives its mail (year 9999, say) counts as none: the message is dated by
    // its own Date header, or the time it was fetched.
    if (d.dt_year < 1990 || d.dt_year > 2200 || d.dt_month < 1 || d.dt_month > 12 || d.dt_day < 1 || d.dt_day > 31)
        return 0;
    // dt_zone is +HHMM as a number (+0900 -> 900).
    const int zone_minutes = (d.dt_zone / 100) * 60 + d.dt_zone % 100;
    if (zone_minutes < -24 * 60 || zone_minutes > 24 * 60) return 0;
    return static_cast<std::int64_t>(timegm(&tm)) - zone_minutes * 60;
}

struct Attributes {
    std::uint32_t uid = 0;
    const mailimap_msg_att_body_section* body = nullptr;
    std::int64_t delivered_at = 0;
};

template <class Visit>
void for_each_message(clist* messages, Visit visit) {
    for (clistiter* m = clist_begin(messages); m; m = clist_next(m)) {
        const auto* att = static_cast<mailimap_msg_att*>(clist_content(m));
        Attributes a;
        for (clistiter* i = clist_begin(att->att_list); i; i = clist_next(i)) {
            const auto* item = static_cast<mailimap_msg_att_item*>(clist_content(i));
            if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC || !item->att_data.att_static) continue;
            const auto* s = item->att_data.att_static;
            if (s->att_type == MAILIMAP_MSG_ATT_UID) a.uid = s->att_data.att_uid;
            else if (s->att_type == MAILIMAP_MSG_ATT_BODY_SECTION) a.body = s->att_data.att_body_section;
            else if (s->att_type == MAILIMAP_MSG_ATT_INTERNALDATE && s->att_data.att_internal_date)
                a.delivered_at = seconds_since_1970(*s->att_data.att_internal_date);
        }
        visit(a);
    }
}

}  // namespace

std::vector<std::uint32_t> ImapSession::uids_after(std::uint32_t last_uid, const ImapFolder& folder, std::size_t most) {
    std::vector<std::uint32_t> uids;
    // UIDs run below UIDNEXT: the listing asks for no more, so a UID a server makes up past it
    // can never move the folder's position beyond mail still to come.
    const bool bounded = folder.uidnext != 0;
    if (last_uid == UINT32_MAX || (bounded && folder.uidnext <= std::uint64_t{last_uid} + 1)) return uids;
    const std::uint32_t window = std::max<std::uint32_t>(limits_.listing_window, 1);
    // One SEARCH line of the window's UIDs; nothing else of any size.
    const ImapReadLimits read{limits_.listing_bytes, ImapReadLimits{}.literal_bytes, 0, limits_.listing_bytes + 64 * 1024, 64};
    for (std::uint64_t from = std::uint64_t{last_uid} + 1;;) {
        const std::uint64_t to = bounded ? std::min<std::uint64_t>(from + window - 1, folder.uidnext - 1) : 0;
        // Without UIDNEXT, one search "from:*": "*" always names the folder's last message, even
        // when its UID is lower, so the answer is filtered below.
        SearchKey key{mailimap_search_key_new_uid(
            mailimap_set_new_interval(static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to)))};
        SearchResult result;
        guard_->begin(read, limits_.step);
        const int r = mailimap_uid_search(imap_.get(), nullptr, key.key, &result.list);
        if (r != MAILIMAP_NO_ERROR) fail(r, "listing the new messages of " + for_terminal(folder_, 200));
        const std::size_t before = uids.size();
        for (clistiter* i = clist_begin(result.list); i; i = clist_next(i)) {
            const auto uid = *static_cast<std::uint32_t*>(clist_content(i));
            if (uid >= from && (!bounded || uid <= to)) uids.push_back(uid);
        }
        // Each window sorted and without repeats as it comes, so the list never holds more than
        // the UIDs there are; past `most` the rest is listed by the next call.
        std::sort(uids.begin() + static_cast<std::ptrdiff_t>(before), uids.end());
        uids.erase(std::unique(uids.begin() + static_cast<std::ptrdiff_t>(before), uids.end()), uids.end());
        if (uids.size() >= most) {
            uids.resize(most);
            break;
        }
        if (!bounded || to >= folder.uidnext - 1) break;
        from = to + 1;
    }
    return uids;
}

ImapMessage ImapSession::fetch(std::uint32_t uid, std::size_t cap) {
    Set set{mailimap_set_new_single(uid)};
    FetchType type;
    mailimap_fetch_type_new_fetch_att_list_add(type.type, mailimap_fetch_att_new_uid());
    mailimap_fetch_type_new_fetch_att_list_add(type.type, mailimap_fetch_att_new_internaldate());
    // PEEK: reading a message must not mark it seen in the seller's mail program.
    mailimap_fetch_type_new_fetch_att_list_add(
        type.type, mailimap_fetch_att_new_body_peek_section_partial(mailimap_section_new(nullptr), 0,
                                                                    static_cast<std::uint32_t>(cap + 1)));
    FetchResult result;
    // The literal may be the asked-for bytes and a little more (a server counting line ends its
    // own way); a server sending far more is cut off before the library holds it.
    const std::size_t margin = 64 * 1024;
    ImapReadLimits read;
    read.body_bytes = cap + 1 + margin;
    guard_->begin(read, limits_.step, true);
    const int r = mailimap_uid_fetch(imap_.get(), set.set, type.type, &result.list);
    ImapMessage message;
    message.uid = uid;
    if (r != MAILIMAP_NO_ERROR) {
        result.list = nullptr;  // libetpan frees the list it made before a NO and leaves the pointer
        // A NO for this message alone (the server cannot give it now): kept on record like a
        // message without content; the connection goes on.
        if (r == MAILIMAP_ERROR_UID_FETCH && !guard_->stopped()) {
            message.reading = ImapMessage::Reading::no_body;
            const std::string said = imap_->imap_response ? for_terminal(imap_->imap_response, 200) : std::string();
            message.refusal = "the server refused to give it" + (said.empty() ? std::string() : " (" + said + ")");
            return message;
        }
        fail(r, "reading message " + std::to_string(uid) + " of " + for_terminal(folder_, 200));
    }
    for_each_message(result.list, [&](const Attributes& a) {
        if (a.uid != uid || message.reading == ImapMessage::Reading::read) return;
        message.delivered_at = a.delivered_at;
        if (!a.body) {
            message.reading = ImapMessage::Reading::no_body;
            return;
        }
        // An empty content (NIL, {0}) is no message either.
        if (!a.body->sec_body_part || a.body->sec_length == 0) {
            message.reading = ImapMessage::Reading::no_body;
            return;
        }
        message.reading = ImapMessage::Reading::read;
        message.bytes.assign(a.body->sec_body_part, a.body->sec_length);
    });
    // One byte over the cap stays: the importer reads `cap` bytes, sees there is more and notes
    // "message cut at 10 MiB" on the message, as it does for a mailbox file.
    if (message.bytes.size() > cap) {
        message.bytes.resize(cap + 1);
        message.truncated = true;
    }
    return message;
}

}  // namespace fbtrack
