#include "importers/MailReader.h"
#include "text/Mime.h"

#include <gtest/gtest.h>

using namespace fbtrack;

TEST(EncodedWords, JoinsAdjacentWordsWithoutTheFoldingSpace) {
    // "注文番号 503-2417785-6630118" split inside the order ID, in ISO-2022-JP.
    const std::string raw = "=?ISO-2022-JP?B?GyRCQ21KOEhWOWYbKEIgNTAzLTI0MTc3?=\n =?ISO-2022-JP?B?ODUtNjYzMDExOA==?=";
    EXPECT_EQ(decode_encoded_words(raw), "注文番号 503-2417785-6630118");
}

TEST(EncodedWords, DecodesAUtf8WordSplitInTheMiddleOfACharacter) {
    // "注文" is E6 B3 A8 E6 96 87; the first word ends after E6 B3.
    EXPECT_EQ(decode_encoded_words("=?UTF-8?B?5rM=?= =?UTF-8?B?qOaWhw==?="), "注文");
}

TEST(EncodedWords, KeepsPlainTextAndSpacesAroundWords) {
    EXPECT_EQ(decode_encoded_words("Re: =?utf-8?q?caf=C3=A9_au_lait?= (Order: 1)"), "Re: café au lait (Order: 1)");
    EXPECT_EQ(decode_encoded_words("no words here =? at all"), "no words here =? at all");
}

TEST(EncodedWords, NameAnUnknownCharset) {
    try {
        decode_encoded_words("=?x-klingon?B?cWFwbGE=?=");
        FAIL();
    } catch (const MimeError& e) {
        EXPECT_NE(std::string(e.what()).find("x-klingon"), std::string::npos);
    }
}

TEST(Charsets, DecodeWindowsIso2022JpAndShiftJisExtensions) {
    // ① (NEC row 13), ㈱ and half-width ｱ, as Japanese mailers send them.
    EXPECT_EQ(charset_to_utf8("\x1b$B\x2d\x21\x2d\x6a\x1b(I\x31\x1b(B", "ISO-2022-JP"), "①㈱ｱ");
    EXPECT_EQ(charset_to_utf8("\x87\x40\x81\x60", "Shift_JIS"), "①～");
    EXPECT_THROW(charset_to_utf8("\xE6\xB3", "UTF-8"), MimeError);
}

TEST(Html, BecomesReadableText) {
    EXPECT_EQ(html_to_text("<html><head><style>p{}</style></head><body><p>本日発送いたします。</p>"
                           "<script>alert(1)</script>A &amp; B &lt;3&gt; &#x6CE8;&#25991;<br>end</body></html>"),
              "\n本日発送いたします。\nA & B <3> 注文\nend");
}

TEST(MailParsing, PrefersPlainTextInsideNestedMultiparts) {
    const std::string mail =
        "From: a@b.example\nDate: Mon, 05 Oct 2026 08:00:00 -0700\nSubject: x\n"
        "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
        "--m\nContent-Type: multipart/alternative; boundary=\"a\"\n\n"
        "--a\nContent-Type: text/html; charset=UTF-8\n\n<p>html version</p>\n"
        "--a\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n5pys5pel55m66YCB\n"
        "--a--\n--m\nContent-Type: text/plain; name=\"a.txt\"\nContent-Disposition: attachment\n\nnot the body\n--m--\n";
    EXPECT_EQ(parse_mail(mail).text, "本日発送");
}

TEST(MailParsing, FallsBackToTheHtmlPart) {
    const std::string mail = "From: a@b.example\nSubject: x\nContent-Type: text/html; charset=Shift_JIS\n"
                             "Content-Transfer-Encoding: quoted-printable\n\n<b>=96=7B=93=FA</b>\n";
    EXPECT_EQ(parse_mail(mail).text, "本日\n");
}

TEST(MailParsing, RefusesWhatItCannotRead) {
    EXPECT_THROW(parse_mail("From: a@b.example\nContent-Type: multipart/mixed; boundary=\"abc\"\n\n--xyz\n\nhi\n--xyz--\n"),
                 MailError);
    EXPECT_THROW(parse_mail("From: a@b.example\nContent-Type: text/plain; charset=x-klingon-9\n\nqapla\n"), MailError);
    EXPECT_THROW(parse_mail("this is not mail\n"), MailError);
}

TEST(MailAddresses, AreFoundInsideDisplayNames) {
    EXPECT_EQ(mail_address("\"Doe, Jane - Amazon Marketplace\" <ABCD1234efgh567@Marketplace.Amazon.com>"),
              "abcd1234efgh567@marketplace.amazon.com");
    EXPECT_EQ(mail_addresses("a@x.example, \"B, C\" <b@y.example>"),
              (std::vector<std::string>{"a@x.example", "b@y.example"}));
}
