// The pieces of fetch and notify that need no server: addresses, folder names, intervals,
// certificate checks and the alert mail's bytes.
#include "commands/NotifyCommand.h"
#include "core/Errors.h"
#include "importers/ImapClient.h"
#include "notify/SmtpSender.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Net/MailMessage.h>
#include <gtest/gtest.h>

#include <iterator>
#include <sstream>

using namespace fbtrack;

TEST(ImapUrl, TakesImapsAndImapWithTheirPorts) {
    const auto s = parse_imap_url("imaps://imap.example.jp");
    EXPECT_TRUE(s.implicit_tls);
    EXPECT_EQ(s.host, "imap.example.jp");
    EXPECT_EQ(s.port, 993);
    const auto p = parse_imap_url("imap://127.0.0.1:1143");
    EXPECT_FALSE(p.implicit_tls);
    EXPECT_EQ(p.port, 1143);
    EXPECT_EQ(parse_imap_url("imap://mail.example").port, 143);
}

TEST(ImapUrl, RefusesOtherSchemesUsersInTheUrlAndFolders) {
    EXPECT_THROW(parse_imap_url("https://imap.example.jp"), UsageError);
    EXPECT_THROW(parse_imap_url("imaps://user:pw@imap.example.jp"), UsageError);
    EXPECT_THROW(parse_imap_url("imaps://imap.example.jp/INBOX"), UsageError);
    EXPECT_THROW(parse_imap_url("imaps://"), UsageError);
    EXPECT_THROW(parse_imap_url("pop3://mail.example"), UsageError);
}

TEST(ImapFolderName, NonAsciiGoesAsModifiedUtf7) {
    EXPECT_EQ(to_imap_utf7("INBOX"), "INBOX");
    EXPECT_EQ(to_imap_utf7("Sent Items"), "Sent Items");
    EXPECT_EQ(to_imap_utf7("A&B"), "A&-B");
    // RFC 3501's own example, and Gmail's Japanese sent folder.
    EXPECT_EQ(to_imap_utf7("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    EXPECT_EQ(to_imap_utf7("[Gmail]/送信済みメール"), "[Gmail]/&kAFP4W4IMH8w4TD8MOs-");
}

TEST(CertificateCheck, NoChainIsNotTrusted) {
    ASSERT_TRUE(certificate_problem({}, "imap.example.jp", std::nullopt).has_value());
    EXPECT_TRUE(certificate_problem({"not DER"}, "imap.example.jp", std::nullopt).has_value());
}

TEST(SmtpUrl, TakesSmtpAndSmtpsOnly) {
    EXPECT_NO_THROW(check_smtp_url("smtps://smtp.example.jp"));
    EXPECT_NO_THROW(check_smtp_url("smtp://smtp.example.jp:587"));
    EXPECT_THROW(check_smtp_url("http://smtp.example.jp"), UsageError);
    EXPECT_THROW(check_smtp_url("smtps://me:pw@smtp.example.jp"), UsageError);
}

TEST(AlertMail, IsUtf8TextWithAnEncodedSubjectAndNoForeignHeaderLines) {
    const std::string raw = build_mail("fbtrack@shop.example", {"owner@shop.example"},
                                       "【要返信】発送を早める依頼 注文 503-1111111-2222222", "本文\n二行目\n");
    std::istringstream in(raw);
    Poco::Net::MailMessage m;
    m.read(in);
    EXPECT_EQ(m.getContent(), "本文\r\n二行目\r\n");
    EXPECT_NE(raw.find("Subject: =?UTF-8?"), std::string::npos) << raw;
    EXPECT_NE(raw.find("Auto-Submitted: auto-generated"), std::string::npos);
    EXPECT_NE(raw.find("charset=UTF-8"), std::string::npos);
    for (const char c : raw) {
        EXPECT_LT(static_cast<unsigned char>(c), 0x80u) << "raw 8-bit byte in the mail";
    }
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\n') {
            EXPECT_TRUE(i > 0 && raw[i - 1] == '\r') << "a bare LF at byte " << i;
        }
    }
}

TEST(WatchInterval, ReadsMinutesHoursAndSeconds) {
    EXPECT_EQ(parse_interval("10m").count(), 600);
    EXPECT_EQ(parse_interval("1h30m").count(), 5400);
    EXPECT_EQ(parse_interval("45s").count(), 45);
    EXPECT_THROW(parse_interval("5s"), UsageError);
    EXPECT_THROW(parse_interval("10"), UsageError);
    EXPECT_THROW(parse_interval("ten minutes"), UsageError);
    EXPECT_THROW(parse_interval(""), UsageError);
    EXPECT_THROW(parse_interval("9999999m"), UsageError);
}

TEST(AlertMail, AJapaneseSubjectIsEncodedInWholeCharacters) {
    const std::string subject = "【要返信】発送を早める依頼 注文 503-1111111-2222222（24時間まで残り 21 時間） ほか 3 件";
    const std::string raw = build_mail("fbtrack@shop.example", {"owner@shop.example"}, subject, "x\n");
    const auto start = raw.find("Subject: ");
    ASSERT_NE(start, std::string::npos);
    std::string decoded;
    for (std::size_t at = raw.find("=?UTF-8?B?", start); at != std::string::npos && at < raw.find("\r\n\r\n");
         at = raw.find("=?UTF-8?B?", at + 1)) {
        const auto end = raw.find("?=", at + 10);
        std::istringstream in(raw.substr(at + 10, end - at - 10));
        Poco::Base64Decoder decoder(in);
        std::string word((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
        // A word starts on a character and ends on one: its first byte is no continuation byte.
        ASSERT_FALSE(word.empty());
        EXPECT_NE(static_cast<unsigned char>(word.front()) & 0xC0, 0x80) << "a word starts inside a character";
        decoded += word;
    }
    EXPECT_EQ(decoded, subject);
    EXPECT_NE(raw.find("MIME-Version: 1.0"), std::string::npos);
}
