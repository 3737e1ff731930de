// Which SMTP addresses may go plain (this machine only), and the alert mail's Message-ID: the
// same for the same alerts of the same shop, whatever their order.
#include "app/Alerts.h"
#include "notify/SmtpSender.h"

#include <gtest/gtest.h>

using namespace fbtrack;

TEST(LoopbackHost, IsThisMachineWrittenOutOnly) {
    for (const std::string host : {"localhost", "LocalHost", "127.0.0.1", "127.0.0.2", "127.255.255.254", "::1"})
        EXPECT_TRUE(is_loopback_host(host)) << host;
    // Look-alikes and shorthand a resolver may read as anything: elsewhere.
    for (const std::string host : {"localhost.example.com", "127.0.0.1.nip.io", "alerts.localhost", "localhost.", "127.1",
                                   "2130706433", "0x7f000001", "0.0.0.0", "128.0.0.1", "10.0.0.1", "::", "::ffff:127.0.0.1",
                                   "smtp.example.jp", ""})
        EXPECT_FALSE(is_loopback_host(host)) << host;
}

TEST(SmtpSecurityOf, PlainOnlyToLoopbackWithoutACa) {
    EXPECT_EQ(smtp_security("smtp://127.0.0.1", false), SmtpSecurity::plain_loopback);
    EXPECT_EQ(smtp_security("smtp://localhost:25", false), SmtpSecurity::plain_loopback);
    EXPECT_EQ(smtp_security("smtp://[::1]:2525", false), SmtpSecurity::plain_loopback);
    // A CA to verify the local server by asks for TLS there too.
    EXPECT_EQ(smtp_security("smtp://127.0.0.1:2525", true), SmtpSecurity::starttls);
    EXPECT_EQ(smtp_security("smtp://smtp.example.jp:587", false), SmtpSecurity::starttls);
    EXPECT_EQ(smtp_security("smtp://localhost.example.jp", false), SmtpSecurity::starttls);
    EXPECT_EQ(smtp_security("smtps://127.0.0.1", false), SmtpSecurity::tls);
    EXPECT_EQ(smtp_security("smtps://smtp.example.jp", false), SmtpSecurity::tls);
}

namespace {

Alert alert(const std::string& key, double hours_left) {
    Alert a;
    a.key = key;
    a.hours_left = hours_left;
    return a;
}

}  // namespace

TEST(AlertMessageId, IsTheSameForTheSameAlertsInAnyOrderAndDiffersOtherwise) {
    const std::vector<Alert> one{alert("expedite:503-1111111-2222222:2026-10-30T23:00:00Z", 3), alert("rating:249-8830124-5512907:2026-10-20", 200)};
    const std::vector<Alert> reordered{one[1], one[0]};
    const std::string id = alert_message_id("さくら雑貨", one);
    EXPECT_EQ(id.rfind("<alerts.", 0), 0u) << id;
    EXPECT_EQ(id.substr(id.size() - 9), "@fbtrack>") << id;
    EXPECT_EQ(id.size(), std::string("<alerts.@fbtrack>").size() + 32) << id;
    EXPECT_EQ(alert_message_id("さくら雑貨", reordered), id);
    EXPECT_NE(alert_message_id("another shop", one), id);
    EXPECT_NE(alert_message_id("さくら雑貨", {one[0]}), id);
    // The parts cannot run into each other: "a" + "b:c" is not "ab" + ":c".
    EXPECT_NE(alert_message_id("a", {alert("b:c", 1)}), alert_message_id("ab", {alert(":c", 1)}));
}

TEST(AlertMessageId, IsTheMailsMessageId) {
    const std::string id = alert_message_id("shop", {alert("unanswered:k", 1)});
    const std::string raw = build_mail("fbtrack@shop.example", {"owner@shop.example"}, "subject", "text\n", id);
    EXPECT_NE(raw.find("\r\nMessage-ID: " + id + "\r\n"), std::string::npos) << raw;
    // Without one, each mail gets a random ID of its own.
    const std::string a = build_mail("fbtrack@shop.example", {"owner@shop.example"}, "subject", "text\n");
    const std::string b = build_mail("fbtrack@shop.example", {"owner@shop.example"}, "subject", "text\n");
    EXPECT_NE(a.substr(a.find("Message-ID: "), 60), b.substr(b.find("Message-ID: "), 60));
}
