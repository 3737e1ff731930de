// The harness for real mail servers (tests/support/MailServers.h) checked on its own, with the curl
// CLI as the client: Dovecot serves what deliver() put into the Maildir and refuses what it should,
// aiosmtpd keeps exactly what it is sent, and both are gone when the test is done with them.
#include "MailServers.h"

#include <gtest/gtest.h>

#include <chrono>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

#define REQUIRE_CURL()                                                                  \
    do {                                                                                \
        if (run_tool("curl", {"--version"}).exit_code != 0) GTEST_SKIP() << "curl is not installed"; \
    } while (0)

// curl's exit codes that the tests expect.
constexpr int curl_could_not_connect = 7;
constexpr int curl_login_denied = 67;

RunResult curl(std::vector<std::string> args) {
    args.insert(args.begin(), {"--silent", "--show-error", "--max-time", "20"});
    return run_tool("curl", args);
}

RunResult imap(const DovecotServer& server, const std::string& command, const std::string& password = "s3cret") {
    return curl({"--cacert", server.tls().ca.string(), "-u", "seller:" + password, server.url() + "/", "-X", command});
}

// The number in "[UIDVALIDITY n]" of an EXAMINE's answer, or empty.
std::string uidvalidity_in(const std::string& answer) {
    const auto at = answer.find("[UIDVALIDITY ");
    if (at == std::string::npos) return "";
    const auto from = at + std::string("[UIDVALIDITY ").size();
    return answer.substr(from, answer.find(']', from) - from);
}

const std::string message = "From: Buyer <buyer@example.com>\r\nTo: shop@example.com\r\nSubject: hello\r\n\r\nbody\r\n";

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST(TestCertificates, AreValidForLocalhostAndTheLoopbackAddresses) {
    if (run_tool("openssl", {"version"}).exit_code != 0) GTEST_SKIP() << "openssl is not installed";
    TempDir dir;
    const TlsFiles tls = make_test_certificates(dir / "tls");
    for (const auto& [option, name] : {std::pair{"-verify_hostname", "localhost"}, {"-verify_ip", "127.0.0.1"}, {"-verify_ip", "127.0.0.2"}}) {
        const RunResult r = run_tool("openssl", {"verify", "-CAfile", tls.ca.string(), option, name, tls.cert.string()});
        EXPECT_EQ(r.exit_code, 0) << name << ": " << r.out << r.err;
    }
    const RunResult other = run_tool("openssl", {"verify", "-CAfile", tls.ca.string(), "-verify_hostname", "example.com", tls.cert.string()});
    EXPECT_NE(other.exit_code, 0) << "the certificate must not be valid for any name";
}

TEST(TestPorts, AFreeLoopbackPortCanBeBound) {
    const int port = free_loopback_port();
    EXPECT_GT(port, 0);
    EXPECT_LT(port, 65536);
    EXPECT_GT(free_loopback_port("127.0.0.2"), 0);
}

TEST(DovecotServerTest, ServesDeliveredMailOverImaps) {
    REQUIRE_DOVECOT();
    REQUIRE_CURL();
    DovecotServer server;
    server.deliver("INBOX", message);
    server.deliver("INBOX", message);
    server.deliver("Sent", message);

    const RunResult inbox = imap(server, "EXAMINE INBOX");
    ASSERT_EQ(inbox.exit_code, 0) << inbox.err << server.log();
    EXPECT_NE(inbox.out.find("* 2 EXISTS"), std::string::npos) << inbox.out;
    EXPECT_FALSE(uidvalidity_in(inbox.out).empty()) << inbox.out;
    const RunResult sent = imap(server, "EXAMINE Sent");
    ASSERT_EQ(sent.exit_code, 0) << sent.err << server.log();
    EXPECT_NE(sent.out.find("* 1 EXISTS"), std::string::npos) << sent.out;
    const RunResult list = curl({"--cacert", server.tls().ca.string(), "-u", "seller:s3cret", server.url() + "/"});
    EXPECT_NE(list.out.find("\\Sent"), std::string::npos) << "Sent is marked as the special-use \\Sent folder: " << list.out;
}

TEST(DovecotServerTest, FlagsShowWhatAClientChanged) {
    REQUIRE_DOVECOT();
    REQUIRE_CURL();
    DovecotServer server;
    const fs::path fresh = server.deliver("INBOX", message);
    const fs::path read = server.deliver("INBOX", message, "S");
    const std::string fresh_name = fresh.filename().string();
    const std::string read_name = read.filename().string().substr(0, read.filename().string().find(':'));
    const std::map<std::string, std::string> before{{fresh_name, "new:"}, {read_name, "cur:S"}};
    EXPECT_EQ(server.flags("INBOX"), before);

    // Reading in a read-only session changes nothing on the server.
    const RunResult peek = curl({"--cacert", server.tls().ca.string(), "-u", "seller:s3cret", server.url() + "/",
                                 "-X", "EXAMINE INBOX"});
    ASSERT_EQ(peek.exit_code, 0) << peek.err << server.log();
    EXPECT_EQ(server.flags("INBOX"), before);

    // curl's FETCH of a whole message (BODY[], not BODY.PEEK[]) marks it seen: flags() shows it.
    const RunResult fetch = curl({"--cacert", server.tls().ca.string(), "-u", "seller:s3cret", server.url() + "/INBOX/;UID=1"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.err << server.log();
    EXPECT_NE(fetch.out.find("Subject: hello"), std::string::npos) << fetch.out;
    EXPECT_EQ(server.flags("INBOX").at(fresh_name), "cur:S");
}

TEST(DovecotServerTest, RefusesAWrongPasswordAtOnceEveryTime) {
    REQUIRE_DOVECOT();
    REQUIRE_CURL();
    DovecotServer server;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i) EXPECT_EQ(imap(server, "EXAMINE INBOX", "wrong").exit_code, curl_login_denied);
    const RunResult right = imap(server, "EXAMINE INBOX");
    EXPECT_EQ(right.exit_code, 0) << right.err << server.log();
    // Dovecot's own default would wait 2 s, then a growing per-address penalty up to 15 s.
    EXPECT_LT(seconds_since(start), 5.0) << server.log();
}

TEST(DovecotServerTest, PasswordMayHoldAnyCharacter) {
    REQUIRE_DOVECOT();
    REQUIRE_CURL();
    const std::string password = "p:ss w\xC3\xB6rd\"'{PLAIN}";
    DovecotServer server("seller", password);
    const RunResult r = imap(server, "EXAMINE INBOX", password);
    EXPECT_EQ(r.exit_code, 0) << r.err << server.log();
    EXPECT_EQ(imap(server, "EXAMINE INBOX", "p").exit_code, curl_login_denied);
}

TEST(DovecotServerTest, PlainImapPortRequiresStartTls) {
    REQUIRE_DOVECOT();
    REQUIRE_CURL();
    DovecotServer server;
    const RunResult plain = curl({"-v", "-u", "seller:s3cret", server.url("imap") + "/", "-X", "EXAMINE INBOX"});
    EXPECT_NE(plain.exit_code, 0) << plain.out;
    EXPECT_NE(plain.err.find("LOGINDISABLED"), std::string::npos) << plain.err;
    const RunResult starttls = curl({"--ssl-reqd", "--cacert", server.tls().ca.string(), "-u", "seller:s3cret",
                                     server.url("imap") + "/", "-X", "EXAMINE INBOX"});
    EXPECT_EQ(starttls.exit_code, 0) << starttls.err << server.log();
    EXPECT_NE(starttls.out.find("UIDVALIDITY"), std::string::npos) << starttls.out;
}

TEST(DovecotServerTest, RenewedUidValidityIsNewForThatFolderOnly) {
    REQUIRE_DOVECOT();
    REQUIRE_CURL();
    DovecotServer server;
    server.deliver("INBOX", message);
    const std::string inbox_before = uidvalidity_in(imap(server, "EXAMINE INBOX").out);
    const std::string sent_before = uidvalidity_in(imap(server, "EXAMINE Sent").out);
    ASSERT_FALSE(inbox_before.empty()) << server.log();
    const int port = server.imaps_port();

    server.renew_uidvalidity("INBOX");
    EXPECT_EQ(server.imaps_port(), port);
    const RunResult inbox_after = imap(server, "EXAMINE INBOX");
    ASSERT_EQ(inbox_after.exit_code, 0) << inbox_after.err << server.log();
    EXPECT_NE(uidvalidity_in(inbox_after.out), inbox_before);
    EXPECT_FALSE(uidvalidity_in(inbox_after.out).empty());
    EXPECT_NE(inbox_after.out.find("* 1 EXISTS"), std::string::npos) << "the messages stay: " << inbox_after.out;
    EXPECT_EQ(uidvalidity_in(imap(server, "EXAMINE Sent").out), sent_before);
}

TEST(DovecotServerTest, StopsAndStartsAgainOnTheSamePorts) {
    REQUIRE_DOVECOT();
    REQUIRE_CURL();
    DovecotServer server;
    server.deliver("INBOX", message);
    server.stop();
    EXPECT_EQ(imap(server, "EXAMINE INBOX").exit_code, curl_could_not_connect);
    server.start();
    const RunResult again = imap(server, "EXAMINE INBOX");
    EXPECT_EQ(again.exit_code, 0) << again.err << server.log();
    EXPECT_NE(again.out.find("* 1 EXISTS"), std::string::npos) << again.out;
}

TEST(DovecotServerTest, IsGoneWhenDestroyed) {
    REQUIRE_DOVECOT();
    REQUIRE_CURL();
    std::string url;
    {
        DovecotServer server;
        url = server.url();
    }
    EXPECT_EQ(curl({"-k", url + "/"}).exit_code, curl_could_not_connect);
}

TEST(SmtpSinkTest, KeepsExactlyWhatItReceives) {
    REQUIRE_SMTP_SINK();
    REQUIRE_CURL();
    SmtpSink sink(false);
    TempDir dir;
    // A line that starts with a dot checks that the dot-stuffing on the wire is undone.
    const std::string bytes = "From: shop@example.com\r\nTo: seller@example.com\r\nSubject: =?UTF-8?B?5rOo5paH?=\r\n\r\n.dot\r\n\xE6\xB3\xA8\r\n";
    write_file(dir / "mail", bytes);
    const RunResult r = curl({sink.url(), "--mail-from", "shop@example.com", "--mail-rcpt", "seller@example.com",
                              "--mail-rcpt", "owner@example.com", "-T", (dir / "mail").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err << sink.log();
    ASSERT_EQ(sink.received().size(), 1u);
    EXPECT_EQ(sink.received()[0], bytes);
    EXPECT_EQ(sink.envelope_recipients(), (std::vector<std::string>{"seller@example.com", "owner@example.com"}));
}

TEST(SmtpSinkTest, RequiresStartTlsThenTheRightLogin) {
    REQUIRE_SMTP_SINK();
    REQUIRE_CURL();
    SmtpSink sink(true, "shop", "pa55");
    TempDir dir;
    write_file(dir / "mail", message);
    const auto send = [&](std::vector<std::string> options) {
        options.insert(options.end(), {sink.url(), "--mail-from", "shop@example.com", "--mail-rcpt", "seller@example.com",
                                       "-T", (dir / "mail").string()});
        return curl(options);
    };
    const std::string ca = sink.tls().ca.string();
    EXPECT_NE(send({"-u", "shop:pa55"}).exit_code, 0) << "no STARTTLS";
    EXPECT_NE(send({"--ssl-reqd", "--cacert", ca}).exit_code, 0) << "no AUTH";
    EXPECT_EQ(send({"--ssl-reqd", "--cacert", ca, "-u", "shop:wrong"}).exit_code, curl_login_denied);
    EXPECT_TRUE(sink.received().empty());

    const RunResult plain = send({"--ssl-reqd", "--cacert", ca, "-u", "shop:pa55"});
    EXPECT_EQ(plain.exit_code, 0) << plain.err << sink.log();
    const RunResult login = send({"--ssl-reqd", "--cacert", ca, "-u", "shop:pa55", "--login-options", "AUTH=LOGIN"});
    EXPECT_EQ(login.exit_code, 0) << login.err << sink.log();
    ASSERT_EQ(sink.received().size(), 2u);
    EXPECT_EQ(sink.received()[0], message);
}

TEST(SmtpSinkTest, IsGoneWhenDestroyed) {
    REQUIRE_SMTP_SINK();
    REQUIRE_CURL();
    std::string url;
    {
        SmtpSink sink(false);
        url = sink.url();
    }
    EXPECT_EQ(curl({url, "--mail-from", "a@x", "--mail-rcpt", "b@y", "-T", "/dev/null"}).exit_code, curl_could_not_connect);
}
