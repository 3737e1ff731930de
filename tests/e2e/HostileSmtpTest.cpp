// notify against mail servers that misbehave: one that goes silent once it has the message (a
// scripted server here, a thread on a loopback socket), plain SMTP to this machine (aiosmtpd),
// a name that is not loopback, and the options and variables that set the limits.
#include "MailServers.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

using namespace fbtrack::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const char* const today = "2026-10-31";

// A mail server that speaks just enough SMTP to be handed a message (greeting, EHLO, MAIL, RCPT,
// DATA; no STARTTLS, no AUTH), then does what the script says for that connection: answer the
// final dot, or say nothing more until the client hangs up.
class ScriptedSmtpServer {
public:
    enum class AfterDot { answer, silence };

    // One entry per connection, in order; connections beyond the script are answered.
    explicit ScriptedSmtpServer(std::vector<AfterDot> script) : script_(std::move(script)) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listener_ < 0) throw std::runtime_error("socket() failed");
        sockaddr_in at{};
        at.sin_family = AF_INET;
        at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof at;
        if (::bind(listener_, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0 || ::listen(listener_, 4) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&at), &size) != 0) {
            ::close(listener_);
            throw std::runtime_error("cannot listen on 127.0.0.1");
        }
        port_ = ntohs(at.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~ScriptedSmtpServer() {
        stop_ = true;
        thread_.join();
        ::close(listener_);
    }
    ScriptedSmtpServer(const ScriptedSmtpServer&) = delete;
    ScriptedSmtpServer& operator=(const ScriptedSmtpServer&) = delete;

    std::string url(const std::string& host = "127.0.0.1") const { return "smtp://" + host + ":" + std::to_string(port_); }
    // Every message sent after DATA (dot-stuffing undone, CRLF line ends), answered or not.
    std::vector<std::string> messages() const {
        std::lock_guard lock(mutex_);
        return messages_;
    }
    // The verb of every command received (EHLO, MAIL, AUTH...), in order, over all connections.
    std::vector<std::string> verbs() const {
        std::lock_guard lock(mutex_);
        return verbs_;
    }
    int connections() const { return connections_; }

private:
    void serve() {
        while (!stop_) {
            pollfd p{listener_, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) continue;
            const int n = connections_++;
            converse(fd, n < static_cast<int>(script_.size()) ? script_[n] : AfterDot::answer);
            ::close(fd);
        }
    }

    // The next line without its CRLF; nothing once the client has hung up or the test is over.
    std::optional<std::string> next_line(int fd, std::string& pending) {
        for (;;) {
            if (const auto eol = pending.find("\r\n"); eol != std::string::npos) {
                std::string line = pending.substr(0, eol);
                pending.erase(0, eol + 2);
                return line;
            }
            pollfd p{fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, 100);
            if (stop_) return std::nullopt;
            if (ready <= 0) continue;
            char buffer[4096];
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) return std::nullopt;
            pending.append(buffer, static_cast<std::size_t>(n));
        }
    }

    static void say(int fd, const std::string& text) { ::send(fd, text.data(), text.size(), MSG_NOSIGNAL); }

    void converse(int fd, AfterDot after) {
        std::string pending;
        say(fd, "220 scripted.test ESMTP\r\n");
        while (const auto line = next_line(fd, pending)) {
            std::string verb = line->substr(0, line->find(' '));
            for (auto& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            {
                std::lock_guard lock(mutex_);
                verbs_.push_back(verb);
            }
            if (verb == "EHLO") {
                say(fd, "250-scripted.test\r\n250 8BITMIME\r\n");
            } else if (verb == "HELO" || verb == "MAIL" || verb == "RCPT" || verb == "RSET" || verb == "NOOP") {
                say(fd, "250 OK\r\n");
            } else if (verb == "DATA") {
                say(fd, "354 End data with <CR><LF>.<CR><LF>\r\n");
                std::string message;
                for (;;) {
                    const auto data = next_line(fd, pending);
                    if (!data) return;
                    if (*data == ".") break;
                    message += (data->rfind("..", 0) == 0 ? data->substr(1) : *data) + "\r\n";
                }
                {
                    std::lock_guard lock(mutex_);
                    messages_.push_back(message);
                }
                if (after == AfterDot::silence) {
                    while (next_line(fd, pending)) {
                    }  // whatever comes (a QUIT), until the client gives up
                    return;
                }
                say(fd, "250 2.0.0 queued\r\n");
            } else if (verb == "QUIT") {
                say(fd, "221 bye\r\n");
                return;
            } else {
                say(fd, "502 5.5.2 not here\r\n");
            }
        }
    }

    std::vector<AfterDot> script_;
    int listener_ = -1, port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> messages_, verbs_;
    std::thread thread_;
};

std::string header_of(const std::string& message, const std::string& name) {
    std::istringstream in(message);
    for (std::string line; std::getline(in, line) && line != "\r" && !line.empty();) {
        if (line.rfind(name + ": ", 0) == 0) {
            std::string value = line.substr(name.size() + 2);
            if (!value.empty() && value.back() == '\r') value.pop_back();
            return value;
        }
    }
    return {};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The sample month, as of its last day: requests to ship faster, unanswered messages and ratings
// that make several alerts, without a mailbox to fetch from.
class HostileSmtp : public ::testing::Test {
protected:
    void SetUp() override {
        const auto samples = project_data_samples();
        const auto r = fbtrack({"import", (samples / "2026-10_all_orders.txt").string(), (samples / "2026-10_mail.mbox").string(),
                                (samples / "2026-10_feedback.txt").string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        due_ = alerts_due();
        ASSERT_NE(due_, "0");
    }
    // How many alerts a dry run would send ("Would send N alerts..."): those not recorded as sent.
    std::string alerts_due() {
        const auto dry = fbtrack({"notify", "--dry-run"});
        EXPECT_EQ(dry.exit_code, 0) << dry.err;
        if (dry.out.rfind("Nothing new", 0) == 0) return "0";
        EXPECT_EQ(dry.out.rfind("Would send ", 0), 0u) << dry.out;
        const std::string rest = dry.out.substr(std::string("Would send ").size());
        return rest.substr(0, rest.find(' '));
    }
    RunResult fbtrack(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
        args.insert(args.begin(), {"--db", (dir_ / "shop.db").string(), "--today", today});
        RunOptions o;
        o.env = env;
        o.env.push_back("HOME=" + (dir_ / "home").string());
        return run_fbtrack(args, o);
    }
    RunResult notify_set(const std::string& url, std::vector<std::string> more = {}) {
        std::vector<std::string> args{"notify", "set", "--smtp", url, "--from", "fbtrack@shop.example", "--to", "owner@shop.example"};
        args.insert(args.end(), more.begin(), more.end());
        return fbtrack(args);
    }

    TempDir dir_;
    std::string due_;  // how many alerts are due before any notify
};

}  // namespace

TEST_F(HostileSmtp, AServerSilentAfterTheMessageEndsNotifyWithinItsDeadlineAndTheResendHasTheSameMessageId) {
    using AfterDot = ScriptedSmtpServer::AfterDot;
    ScriptedSmtpServer server({AfterDot::silence, AfterDot::answer});
    ASSERT_EQ(notify_set(server.url()).exit_code, 0);

    const auto start = std::chrono::steady_clock::now();
    const auto silent = fbtrack({"notify"}, {"FBTRACK_SMTP_DEADLINE=3"});
    // Before the deadline covered the whole send, libcurl waited two minutes more for the QUIT.
    EXPECT_LT(seconds_since(start), 20.0) << "notify outlived its deadline";
    EXPECT_EQ(silent.exit_code, 69) << silent.out << silent.err;
    EXPECT_NE(silent.err.find("went silent after the alert was handed over"), std::string::npos) << silent.err;
    EXPECT_NE(silent.err.find("may or may not have been delivered"), std::string::npos) << silent.err;
    EXPECT_EQ(silent.out.find("Sent "), std::string::npos) << silent.out;
    ASSERT_EQ(server.messages().size(), 1u);
    const std::string first_id = header_of(server.messages()[0], "Message-ID");
    ASSERT_FALSE(first_id.empty()) << server.messages()[0];
    EXPECT_NE(silent.err.find(first_id), std::string::npos) << "the message names the Message-ID: " << silent.err;

    // Nothing was recorded as sent: the same alerts are due.
    EXPECT_EQ(alerts_due(), due_);

    const auto again = fbtrack({"notify"}, {"FBTRACK_SMTP_DEADLINE=3"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    ASSERT_EQ(server.messages().size(), 2u);
    EXPECT_EQ(header_of(server.messages()[1], "Message-ID"), first_id);
    EXPECT_EQ(header_of(server.messages()[1], "Subject"), header_of(server.messages()[0], "Subject"));

    // Answered, it is recorded: nothing goes out a third time.
    const auto third = fbtrack({"notify"});
    ASSERT_EQ(third.exit_code, 0) << third.err;
    EXPECT_NE(third.out.find("Nothing new"), std::string::npos) << third.out;
    EXPECT_EQ(alerts_due(), "0");
    EXPECT_EQ(server.messages().size(), 2u);
}

TEST_F(HostileSmtp, WatchLogsTheSilentServerAndItsRoundEndsWithinTheDeadline) {
    ScriptedSmtpServer server({ScriptedSmtpServer::AfterDot::silence});
    ASSERT_EQ(notify_set(server.url()).exit_code, 0);
    const auto start = std::chrono::steady_clock::now();
    const auto r = fbtrack({"watch", "--every", "10s", "--rounds", "1"}, {"FBTRACK_SMTP_DEADLINE=3"});
    EXPECT_LT(seconds_since(start), 20.0);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("round 1: no mail accounts; notify failed (exit 69): the mail server 127.0.0.1 went silent"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(alerts_due(), due_);
}

TEST_F(HostileSmtp, TheDeadlineVariableTakesWholeSecondsUpToAnHourAndNothingElse) {
    ScriptedSmtpServer server({});
    ASSERT_EQ(notify_set(server.url()).exit_code, 0);
    for (const std::string value : {"0", "-5", "abc", "3s", "1e3", " 5", "3601", "99999999999999999999"}) {
        const auto r = fbtrack({"--lang", "en", "notify"}, {"FBTRACK_SMTP_DEADLINE=" + value});
        EXPECT_EQ(r.exit_code, 64) << value << ": " << r.err;
        EXPECT_NE(r.err.find("FBTRACK_SMTP_DEADLINE: found '"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("expected whole seconds from 1 to 3600"), std::string::npos) << r.err;
    }
    const auto watch = fbtrack({"watch", "--rounds", "1"}, {"FBTRACK_SMTP_DEADLINE=soon"});
    EXPECT_EQ(watch.exit_code, 64) << watch.out << watch.err;
    EXPECT_EQ(server.connections(), 0);
    // An empty variable is as if unset.
    const auto unset = fbtrack({"notify"}, {"FBTRACK_SMTP_DEADLINE="});
    EXPECT_EQ(unset.exit_code, 0) << unset.err;
    EXPECT_EQ(server.messages().size(), 1u);
}

TEST_F(HostileSmtp, PlainSmtpToThisMachineNeedsNoTlsAndCarriesTheAlertsMessageId) {
    REQUIRE_SMTP_SINK();
    SmtpSink sink(false, "alerts", "local-pw");
    write_file(dir_ / "smtp-pw", "local-pw\n");
    // localhost, not 127.0.0.1: a name that counts as this machine.
    const auto set = notify_set("smtp://localhost:" + std::to_string(sink.port()),
                                {"--user", "alerts", "--password-command", "cat " + (dir_ / "smtp-pw").string()});
    ASSERT_EQ(set.exit_code, 0) << set.err;
    EXPECT_NE(set.out.find("(plain SMTP: a mail server on this machine)"), std::string::npos) << set.out;
    const auto r = fbtrack({"notify"});
    ASSERT_EQ(r.exit_code, 0) << r.err << sink.log();
    ASSERT_EQ(sink.received().size(), 1u);
    const std::string id = header_of(sink.received()[0], "Message-ID");
    EXPECT_EQ(id.rfind("<alerts.", 0), 0u) << id;
    EXPECT_EQ(id.size() - id.rfind("@fbtrack>"), std::string("@fbtrack>").size()) << id;
}

TEST_F(HostileSmtp, ANameThatIsNotLoopbackGetsNoPlainSmtpEvenWhenItLeadsHere) {
    ScriptedSmtpServer server({});  // no STARTTLS
    write_file(dir_ / "smtp-pw", "never-in-the-clear\n");
    const auto remote = notify_set("smtp://smtp.example.jp:587");
    ASSERT_EQ(remote.exit_code, 0) << remote.err;
    EXPECT_NE(remote.out.find("(STARTTLS required)"), std::string::npos) << remote.out;
    // libcurl takes every NAME.localhost to loopback itself, with no resolver asked; fbtrack
    // trusts only the names it lists, so this one is elsewhere and must offer STARTTLS.
    const auto set = notify_set(server.url("alerts.localhost"),
                                {"--user", "alerts", "--password-command", "cat " + (dir_ / "smtp-pw").string()});
    ASSERT_EQ(set.exit_code, 0) << set.err;
    EXPECT_NE(set.out.find("(STARTTLS required)"), std::string::npos) << set.out;
    const auto r = fbtrack({"notify"}, {"FBTRACK_SMTP_DEADLINE=5"});
    EXPECT_EQ(r.exit_code, 69) << r.err;
    EXPECT_NE(r.err.find("does not offer STARTTLS"), std::string::npos) << r.err;
    for (const auto& verb : server.verbs())
        EXPECT_TRUE(verb == "EHLO" || verb == "QUIT") << verb << ": no login and no mail without TLS";
    EXPECT_FALSE(server.verbs().empty()) << "the server was reached, and refused for what it offers";
    EXPECT_TRUE(server.messages().empty());
    EXPECT_EQ(alerts_due(), due_);
}

TEST_F(HostileSmtp, WatchEveryOneSecondIsAUsageErrorNotACrash) {
    for (const std::string every : {"1s", "9s", "ten", "5x"}) {
        const auto r = fbtrack({"watch", "--every", every, "--rounds", "1"});
        EXPECT_EQ(r.exit_code, 64) << every << ": " << r.err;
        EXPECT_EQ(r.err.rfind("fbtrack: --every: \"" + every + "\"", 0), 0u) << r.err;
        EXPECT_NE(r.err.find("Hint: e.g. 10m"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("terminate"), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << "no round ran: " << r.out;
    }
}
