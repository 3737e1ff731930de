#include "MailServers.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fbtrack::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// The uid and gid Dovecot's mail processes run as: Dovecot refuses to run them as root.
constexpr unsigned mail_id = unprivileged_id;
// How long a server may take to start before the test gives up on it.
constexpr auto start_timeout = 10s;

std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
    std::string dirs = std::getenv("PATH") ? std::getenv("PATH") : "";
    dirs += ":/usr/sbin:/sbin:/usr/bin:/bin";  // dovecot lies in sbin, which a user's PATH may lack
    std::istringstream in(dirs);
    for (std::string dir; std::getline(in, dir, ':');) {
        if (dir.empty()) continue;
        const fs::path candidate = fs::path(dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return "";
}

// Debian's python3 with python3-aiosmtpd, or empty. The python3 first in PATH may be another one
// (pyenv, a virtualenv) that lacks the module.
const std::string& aiosmtpd_python() {
    static const std::string found = [] {
        for (const std::string candidate : {"/usr/bin/python3", "python3"}) {
            const std::string path = find_program(candidate);
            if (!path.empty() && run_tool(path, {"-I", "-c", "import aiosmtpd.smtp"}).exit_code == 0) return path;
        }
        return std::string();
    }();
    return found;
}

void chown_to_mail_user(const fs::path& path) {
    if (::chown(path.c_str(), mail_id, mail_id) != 0)
        throw std::runtime_error("cannot give " + path.string() + " to uid " + std::to_string(mail_id));
}

void make_dirs_for_mail_user(const fs::path& dir) {
    fs::create_directories(dir);
    chown_to_mail_user(dir);
}

// Whether a server on address:port greets with a line starting with `greeting`, within a second.
bool greets(const std::string& address, int port, const std::string& greeting) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const timeval second{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &second, sizeof second);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, address.c_str(), &at.sin_addr);
    std::string line;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&at), sizeof at) == 0) {
        char buffer[512];
        for (ssize_t n; line.find('\n') == std::string::npos && (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
            line.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return line.rfind(greeting, 0) == 0;
}

std::string tail(const std::string& text, std::size_t lines = 40) {
    std::size_t at = text.size();
    for (std::size_t n = 0; at > 0 && n <= lines; --at)
        if (text[at - 1] == '\n') ++n;
    return at == 0 ? text : "..." + text.substr(at);
}

std::string base64(const std::string& bytes) {
    static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
        out += digits[n >> 18 & 63];
        out += digits[n >> 12 & 63];
        out += i + 1 < bytes.size() ? digits[n >> 6 & 63] : '=';
        out += i + 2 < bytes.size() ? digits[n & 63] : '=';
    }
    return out;
}

void write_or_throw(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

// The files of `dir` whose names end in `suffix`, sorted by name.
std::vector<fs::path> files_ending(const fs::path& dir, const std::string& suffix) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The SMTP sink: aiosmtpd's SMTP class on an asyncio server, which lets the test choose STARTTLS
// and AUTH together (the aiosmtpd CLI has --tlscert/--tlskey but no authentication).
const char* const sink_script = R"PY(# fbtrack's test SMTP server: aiosmtpd, keeping each message it receives as raw bytes.
#   sink.py HOST PORT STORE READY_FILE CERT KEY USER PASSWORD  (empty CERT: no STARTTLS; empty USER: no AUTH)
import asyncio, logging, os, signal, ssl, sys
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

host, port, store, ready, cert, key, user, password = sys.argv[1:9]
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")


class Keep:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(store, f"{self.count:06d}")
        with open(name + ".rcpt", "w", encoding="utf-8") as f:
            f.write("".join(r + "\n" for r in envelope.rcpt_tos))
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(name + ".tmp", name + ".eml")  # whole messages only, before the client hears 250
        return "250 OK kept"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
          and auth_data.password == password.encode())
    # handled=False: aiosmtpd answers 535 itself (the default, handled=True, answers nothing).
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


async def main():
    loop = asyncio.get_running_loop()
    options = dict(hostname="localhost", enable_SMTPUTF8=True)  # a fixed name: getfqdn() may wait on DNS
    if cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        options.update(tls_context=context, require_starttls=True)
    if user:
        options.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(cert))
    handler = Keep()
    server = await loop.create_server(lambda: SMTP(handler, loop=loop, **options), host, int(port))
    stop = loop.create_future()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set_result, None)
    open(ready, "w").close()
    await stop
    server.close()
    await server.wait_closed()


asyncio.run(main())
)PY";

}  // namespace

RunResult run_tool(const std::string& program, const std::vector<std::string>& args) {
    const std::string path = find_program(program);
    if (path.empty()) return {127, "", program + ": not installed\n"};
    RunOptions options;
    options.program = path;
    return run_fbtrack(args, options);
}

TlsFiles make_test_certificates(const fs::path& dir) {
    fs::create_directories(dir);
    // Own configuration files, so that the system's openssl.cnf adds nothing.
    write_or_throw(dir / "ca.cnf",
                   "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = fbtrack test CA\n"
                   "[v3_ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n"
                   "subjectKeyIdentifier = hash\n");
    write_or_throw(dir / "server.cnf",
                   "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = localhost\n"
                   "[v3_server]\nbasicConstraints = critical, CA:FALSE\n"
                   "keyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\n"
                   "subjectAltName = DNS:localhost, IP:127.0.0.1, IP:127.0.0.2\n"
                   "subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid, issuer\n");
    TlsFiles files{dir / "ca.pem", dir / "cert.pem", dir / "key.pem"};
    const auto p = [&](const char* name) { return (dir / name).string(); };
    const std::vector<std::vector<std::string>> steps{
        {"req", "-x509", "-config", p("ca.cnf"), "-extensions", "v3_ca", "-newkey", "rsa:2048", "-nodes",
         "-keyout", p("ca.key"), "-out", files.ca.string(), "-days", "2", "-sha256"},
        {"req", "-new", "-config", p("server.cnf"), "-newkey", "rsa:2048", "-nodes", "-keyout", files.key.string(),
         "-out", p("server.csr")},
        {"x509", "-req", "-in", p("server.csr"), "-CA", files.ca.string(), "-CAkey", p("ca.key"), "-CAcreateserial",
         "-out", files.cert.string(), "-days", "2", "-sha256", "-extfile", p("server.cnf"), "-extensions", "v3_server"}};
    for (const auto& step : steps) {
        const RunResult r = run_tool("openssl", step);
        if (r.exit_code != 0) throw std::runtime_error("openssl " + step[0] + " failed: " + r.err);
    }
    return files;
}

int free_loopback_port(const std::string& address) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = 0;
    if (::inet_pton(AF_INET, address.c_str(), &at.sin_addr) != 1) {
        ::close(fd);
        throw std::invalid_argument("not an IPv4 address: " + address);
    }
    socklen_t size = sizeof at;
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&at), &size) != 0) {
        ::close(fd);
        throw std::runtime_error("no free port on " + address);
    }
    ::close(fd);
    return ntohs(at.sin_port);
}

// ---- ServerProcess ----

void ServerProcess::start(const std::vector<std::string>& argv, const fs::path& output) {
    if (pid_ > 0) throw std::logic_error("server process already started");
    std::vector<std::string> args = argv;
    std::vector<char*> args_c;
    for (auto& a : args) args_c.push_back(a.data());
    args_c.push_back(nullptr);
    // A plain environment: the test's (a pyenv python, say) must not leak into the servers.
    std::string env_path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", env_lang = "LANG=C.UTF-8";
    std::vector<char*> env_c{env_path.data(), env_lang.data(), nullptr};
    const std::string out = output.string();
    const pid_t parent = ::getpid();

    // Between fork and exec the child makes only async-signal-safe calls.
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::setpgid(0, 0);  // its own group, so that stop() can reach children it leaves behind
        // If the test process dies (a crash, ctest's timeout), the server goes too.
        if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || ::getppid() != parent) ::_exit(127);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        const int in = ::open("/dev/null", O_RDONLY);
        const int log = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (in < 0 || log < 0) ::_exit(127);
        ::dup2(in, 0);
        ::dup2(log, 1);
        ::dup2(log, 2);
        ::close_range(3, ~0U, 0);  // the test's own files and sockets stay with the test
        ::execve(args_c[0], args_c.data(), env_c.data());
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here, so that the group exists whichever runs first
    pid_ = pid;
}

bool ServerProcess::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;
    return pid_ > 0;
}

void ServerProcess::stop(std::chrono::milliseconds grace) noexcept {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(5ms);
    }
    ::kill(-pid_, SIGKILL);  // whatever of its group outlived it; usually nothing (ESRCH)
    pid_ = -1;
}

// ---- DovecotServer ----

std::string DovecotServer::unavailable_reason() {
    static const std::string why = []() -> std::string {
        if (find_program("dovecot").empty()) return "dovecot is not installed (Debian: dovecot-imapd)";
        if (!fs::exists("/usr/lib/dovecot/imap")) return "Dovecot's IMAP server is not installed (Debian: dovecot-imapd)";
        if (find_program("openssl").empty()) return "openssl is not installed";
        if (::geteuid() != 0) return "Dovecot needs root here (its master switches to its own users); run the tests as root";
        return "";
    }();
    return why;
}

DovecotServer::DovecotServer(std::string user, std::string password) : user_(std::move(user)), password_(std::move(password)) {
    if (user_.empty() || user_.find_first_of(":\r\n") != std::string::npos)
        throw std::invalid_argument("a Dovecot test user name cannot be empty or hold ':' or a line break");
    // The mail processes run as uid 65534 and must reach the mail through every folder above it.
    fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec);
    for (fs::path p = dir_.path().parent_path(); p != p.root_path(); p = p.parent_path()) {
        struct stat st{};
        if (::stat(p.c_str(), &st) == 0 && !(st.st_mode & S_IXOTH))
            throw std::runtime_error("Dovecot's mail processes (uid 65534) cannot enter " + p.string() +
                                     "; set TMPDIR to a folder they can reach");
    }
    tls_ = make_test_certificates(dir_ / "tls");
    fs::create_directories(dir_ / "run");
    fs::create_directories(dir_ / "state");
    fs::create_directories(dir_ / "home");
    fs::create_directories(dir_ / "mail");
    make_dirs_for_mail_user(dir_ / "home" / user_);
    for (const fs::path& folder : {maildir(), maildir() / ".Sent"}) {
        make_dirs_for_mail_user(folder);
        for (const char* sub : {"cur", "new", "tmp"}) make_dirs_for_mail_user(folder / sub);
    }
    write_or_throw(maildir() / "subscriptions", "Sent\n");
    chown_to_mail_user(maildir() / "subscriptions");
    // PLAIN.B64: the password in base64, so that any character (':' too) can be in it.
    write_or_throw(dir_ / "passwd", user_ + ":{PLAIN.B64}" + base64(password_) + "\n");

    // Another process may take a port between free_loopback_port() and Dovecot's bind: then try others.
    for (int attempt = 0; attempt < 3; ++attempt) {
        imaps_port_ = free_loopback_port("127.0.0.1");
        imap_port_ = free_loopback_port("127.0.0.2");
        write_config();
        if (launch()) return;
        if (log().find("Address already in use") == std::string::npos) break;
    }
    throw std::runtime_error("Dovecot did not start:\n" + tail(log()));
}

DovecotServer::~DovecotServer() { stop(); }

fs::path DovecotServer::maildir() const { return dir_ / "mail" / user_; }

std::string DovecotServer::url(const std::string& scheme) const {
    if (scheme == "imaps") return "imaps://127.0.0.1:" + std::to_string(imaps_port_);
    if (scheme == "imap") return "imap://127.0.0.2:" + std::to_string(imap_port_);
    throw std::invalid_argument("DovecotServer::url: no " + scheme + " listener");
}

void DovecotServer::write_config() const {
    const std::string d = dir_.path().string();
    std::ostringstream c;
    c << "# Written by fbtrack's test harness (tests/support/MailServers.cpp).\n"
      << "protocols = imap\n"
      << "listen = 127.0.0.1\n"
      << "base_dir = " << d << "/run\n"
      << "state_dir = " << d << "/state\n"
      << "log_path = " << d << "/dovecot.log\n"
      << "info_log_path = " << d << "/dovecot.log\n"
      << "auth_verbose = yes\n"
      << "ssl = required\n"
      << "ssl_cert = <" << tls_.cert.string() << "\n"
      << "ssl_key = <" << tls_.key.string() << "\n"
      << "disable_plaintext_auth = yes\n"
      << "auth_mechanisms = plain login\n"
      // Wrong-password tests answer at once: no fixed delay, and no growing per-IP penalty (the
      // auth process skips it when anvil's penalty socket is missing, which mode 0 arranges).
      << "auth_failure_delay = 0\n"
      << "service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n"
      << "mail_location = maildir:" << d << "/mail/%u\n"
      << "namespace inbox {\n  inbox = yes\n  separator = .\n"
      << "  mailbox Sent {\n    special_use = \\Sent\n    auto = subscribe\n  }\n}\n"
      << "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u " << d << "/passwd\n}\n"
      << "userdb {\n  driver = static\n  args = uid=" << mail_id << " gid=" << mail_id << " home=" << d << "/home/%u\n}\n"
      << "service imap-login {\n"
      << "  inet_listener imap {\n    address = 127.0.0.2\n    port = " << imap_port_ << "\n  }\n"
      << "  inet_listener imaps {\n    address = 127.0.0.1\n    port = " << imaps_port_ << "\n    ssl = yes\n  }\n"
      << "}\n";
    write_or_throw(dir_ / "dovecot.conf", c.str());
}

bool DovecotServer::launch() {
    const std::string dovecot = find_program("dovecot");
    master_.start({dovecot, "-F", "-c", (dir_ / "dovecot.conf").string()}, dir_ / "master.out");
    const auto deadline = std::chrono::steady_clock::now() + start_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!master_.running()) return false;
        // The master opens both listeners before it starts its services; a greeting on the plain
        // port means that the services are up too. Only that port is probed: a login process the
        // master starts for a probe while it is stopping waits 5 s for the stats service it has
        // just stopped, and so does the master's SIGTERM.
        if (greets("127.0.0.2", imap_port_, "* OK")) return true;
        std::this_thread::sleep_for(20ms);
    }
    master_.stop();
    throw std::runtime_error("Dovecot did not accept connections within 10 s:\n" + tail(log()));
}

void DovecotServer::stop() noexcept { master_.stop(); }

void DovecotServer::start() {
    if (master_.running()) return;
    if (!launch()) throw std::runtime_error("Dovecot did not start again:\n" + tail(log()));
}

std::string DovecotServer::log() const {
    return read_file(dir_ / "dovecot.log") + "--- dovecot's own output ---\n" + read_file(dir_ / "master.out");
}

fs::path DovecotServer::folder_path(const std::string& folder) const {
    std::string upper = folder;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (upper == "INBOX") return maildir();
    if (folder.empty() || folder[0] == '.' || folder.find('/') != std::string::npos)
        throw std::invalid_argument("not a folder name for the test server: '" + folder + "'");
    return maildir() / ("." + folder);  // Maildir++: a folder is a dot-folder of the root
}

fs::path DovecotServer::deliver(const std::string& folder, const std::string& bytes, std::optional<std::string> maildir_flags) {
    const fs::path dir = folder_path(folder);
    make_dirs_for_mail_user(dir);
    for (const char* sub : {"cur", "new", "tmp"}) make_dirs_for_mail_user(dir / sub);
    // A unique name in the Maildir way: time, microseconds, process, and a counter of this server's.
    timeval now{};
    ::gettimeofday(&now, nullptr);
    const std::string name = std::to_string(now.tv_sec) + ".M" + std::to_string(now.tv_usec) + "P" +
                             std::to_string(::getpid()) + "Q" + std::to_string(++deliveries_) + ".fbtrack-test";
    const fs::path tmp = dir / "tmp" / name;
    write_or_throw(tmp, bytes);
    chown_to_mail_user(tmp);
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
    const fs::path target = maildir_flags ? dir / "cur" / (name + ":2," + *maildir_flags) : dir / "new" / name;
    fs::rename(tmp, target);
    return target;
}

std::map<std::string, std::string> DovecotServer::flags(const std::string& folder) const {
    const fs::path dir = folder_path(folder);
    std::map<std::string, std::string> out;
    for (const char* sub : {"new", "cur"}) {
        if (!fs::is_directory(dir / sub)) continue;
        for (const auto& e : fs::directory_iterator(dir / sub)) {
            const std::string name = e.path().filename().string();
            const auto info = name.find(":2,");
            out[name.substr(0, info)] = std::string(sub) + ":" + (info == std::string::npos ? "" : name.substr(info + 3));
        }
    }
    return out;
}

void DovecotServer::renew_uidvalidity(const std::string& folder) {
    stop();
    const fs::path dir = folder_path(folder);
    const auto remove_starting = [](const fs::path& in, const std::string& prefix) {
        for (const auto& e : fs::directory_iterator(in))
            if (e.path().filename().string().rfind(prefix, 0) == 0) fs::remove(e.path());
    };
    fs::remove(dir / "dovecot-uidlist");
    remove_starting(dir, "dovecot.index");
    // The mailbox list index remembers each folder's UIDVALIDITY too. The root's
    // dovecot-uidvalidity files stay: Dovecot takes the next value from them, so it differs.
    remove_starting(maildir(), "dovecot.list.index");
    start();
}

// ---- SmtpSink ----

std::string SmtpSink::unavailable_reason() {
    static const std::string why = []() -> std::string {
        if (aiosmtpd_python().empty()) return "python3 -m aiosmtpd is not installed (Debian: python3-aiosmtpd)";
        if (find_program("openssl").empty()) return "openssl is not installed";
        return "";
    }();
    return why;
}

SmtpSink::SmtpSink(bool tls, std::string user, std::string password) : user_(std::move(user)), password_(std::move(password)) {
    // fbtrack may run as another user in a test and must read the CA certificate.
    fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec);
    if (tls) tls_ = make_test_certificates(dir_ / "tls");
    write_or_throw(dir_ / "sink.py", sink_script);
    fs::create_directories(dir_ / "received");
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = free_loopback_port();
        if (launch()) return;
        if (log().find("address already in use") == std::string::npos) break;
    }
    throw std::runtime_error("aiosmtpd did not start:\n" + tail(log()));
}

SmtpSink::~SmtpSink() { server_.stop(); }

bool SmtpSink::launch() {
    const fs::path ready = dir_ / "ready";
    fs::remove(ready);
    server_.start({aiosmtpd_python(), "-I", (dir_ / "sink.py").string(), "127.0.0.1", std::to_string(port_),
                   (dir_ / "received").string(), ready.string(), tls_.cert.string(), tls_.key.string(), user_, password_},
                  dir_ / "server.out");
    const auto deadline = std::chrono::steady_clock::now() + start_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(ready)) return true;
        if (!server_.running()) return false;
        std::this_thread::sleep_for(20ms);
    }
    server_.stop();
    throw std::runtime_error("aiosmtpd did not listen within 10 s:\n" + tail(log()));
}

std::string SmtpSink::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> SmtpSink::received() const {
    std::vector<std::string> out;
    for (const auto& file : files_ending(dir_ / "received", ".eml")) out.push_back(read_file(file));
    return out;
}

std::vector<std::string> SmtpSink::envelope_recipients() const {
    std::vector<std::string> out;
    for (auto file : files_ending(dir_ / "received", ".eml")) {  // received messages only
        std::istringstream in(read_file(file.replace_extension(".rcpt")));
        for (std::string line; std::getline(in, line);) out.push_back(line);
    }
    return out;
}

std::string SmtpSink::log() const { return read_file(dir_ / "server.out"); }

std::string HostileImapServer::unavailable_reason() {
    static const std::string why = []() -> std::string {
        if (find_program("python3").empty()) return "python3 is not installed";
        if (find_program("openssl").empty()) return "openssl is not installed";
        return "";
    }();
    return why;
}

HostileImapServer::HostileImapServer(const std::string& scenario, bool starttls) : starttls_(starttls) {
    // fbtrack may run as another user in a test and must read the CA certificate.
    fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec);
    tls_ = make_test_certificates(dir_ / "tls");
    fs::create_directories(dir_ / "messages");
    const fs::path ready = dir_ / "ready";
    server_.start({find_program("python3"), FBTRACK_TEST_SUPPORT_DIR "/hostile_imap.py", "--scenario", scenario, "--tls",
                   starttls ? "starttls" : "implicit", "--cert", tls_.cert.string(), "--key", tls_.key.string(), "--ready",
                   ready.string(), "--log", (dir_ / "commands.log").string(), "--messages", (dir_ / "messages").string()},
                  dir_ / "server.out");
    const auto deadline = std::chrono::steady_clock::now() + start_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(ready)) {
            port_ = std::stoi(read_file(ready));
            return;
        }
        if (!server_.running()) break;
        std::this_thread::sleep_for(20ms);
    }
    server_.stop();
    throw std::runtime_error("the scripted IMAP server did not start:\n" + tail(log()));
}

HostileImapServer::~HostileImapServer() { server_.stop(std::chrono::seconds(2)); }

void HostileImapServer::add_message(std::uint32_t uid, const std::string& bytes) {
    write_or_throw(dir_ / "messages" / (std::to_string(uid) + ".eml"), bytes);
}

std::string HostileImapServer::url() const {
    return std::string(starttls_ ? "imap" : "imaps") + "://127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> HostileImapServer::commands() const {
    std::vector<std::string> out;
    if (!fs::exists(dir_ / "commands.log")) return out;
    std::istringstream in(read_file(dir_ / "commands.log"));
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string HostileImapServer::log() const {
    return fs::exists(dir_ / "server.out") ? read_file(dir_ / "server.out") : std::string();
}

}  // namespace fbtrack::test
