#include "importers/MailReader.h"
#include "text/Encoding.h"
#include "text/Mime.h"

#include <gtest/gtest.h>

#include <iterator>
#include <random>

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

TEST(MailAddresses, AreFoundInsideDisplayNames) {
    EXPECT_EQ(mail_address("\"Doe, Jane - Amazon Marketplace\" <ABCD1234efgh567@Marketplace.Amazon.com>"),
              "abcd1234efgh567@marketplace.amazon.com");
    EXPECT_EQ(mail_addresses("a@x.example, \"B, C\" <b@y.example>"),
              (std::vector<std::string>{"a@x.example", "b@y.example"}));
}

// --- Mail text as it really arrives: lenient decoding (decode_mail_header, decode_mail_text) ---

namespace {

// Property of every lenient result: valid UTF-8, and neither ESC nor NUL.
::testing::AssertionResult is_clean_utf8(const std::string& text) {
    if (!is_valid_utf8(text)) return ::testing::AssertionFailure() << "invalid UTF-8: " << hex_bytes(text);
    if (text.find('\x1b') != std::string::npos) return ::testing::AssertionFailure() << "ESC in " << text;
    if (text.find('\0') != std::string::npos) return ::testing::AssertionFailure() << "NUL in " << text;
    return ::testing::AssertionSuccess();
}

}  // namespace

TEST(MailHeader, JoinsIso2022JpWordsThatEachEndInAsciiAndStartInJis) {
    // Python's email.header.Header("発送を早めることについてのお問い合わせ", "iso-2022-jp")
    // .encode(maxlinelen=50): each word ends in ESC ( B and the next begins with ESC $ B.
    const std::string raw =
        "=?iso-2022-jp?b?GyRCSC9BdyRyQWEkYSRrJDMkSCRLGyhC?=\n"
        " =?iso-2022-jp?b?GyRCJEQkJCRGJE4kKkxkJCQbKEI=?=\n"
        " =?iso-2022-jp?b?GyRCOWckbyQ7GyhC?=";
    const DecodedText d = decode_mail_header(raw);
    EXPECT_EQ(d.text, "発送を早めることについてのお問い合わせ");
    EXPECT_FALSE(d.repaired) << d.note;
    EXPECT_EQ(decode_encoded_words(raw), "発送を早めることについてのお問い合わせ");
}

TEST(MailHeader, StillJoinsAUtf8WordSplitInsideACharacter) {
    EXPECT_EQ(decode_mail_header("=?UTF-8?B?5rM=?= =?UTF-8?B?qOaWhw==?=").text, "注文");
}

TEST(MailHeader, DropsSpaceBetweenWordsButKeepsItBesidePlainText) {
    EXPECT_EQ(decode_mail_header("=?utf-8?q?a?= \t =?UTF-8?Q?b?= c =?utf-8?B?5rOo5paH?=").text, "ab c 注文");
    EXPECT_EQ(decode_mail_header("Re: =?utf-8?q?caf=C3=A9_au_lait?= (Order: 1)").text, "Re: café au lait (Order: 1)");
}

TEST(MailHeader, ReadsTheRfc2231LanguageSuffix) {
    EXPECT_EQ(decode_mail_header("=?utf-8*ja?B?5rOo5paH?=").text, "注文");
}

TEST(MailHeader, LeavesMalformedWordsAsText) {
    EXPECT_EQ(decode_mail_header("=?utf-8?B?not*base64?= =?utf-8?X?abc?= =?utf-8?Q?open").text,
              "=?utf-8?B?not*base64?= =?utf-8?X?abc?= =?utf-8?Q?open");
}

TEST(MailHeader, ReadsAMegabyteOfUnclosedWordsInLinearTime) {
    std::string raw;
    while (raw.size() < 1'000'000) raw += "=?utf-8?B?5rOo";
    EXPECT_EQ(decode_mail_header(raw).text, raw);
    EXPECT_EQ(decode_mail_header(raw + " =?utf-8?B?5paH?=").text, raw + " 文");
}

TEST(MailHeader, DetectsTheCharsetOfAWordWithAnUnknownLabel) {
    const DecodedText d = decode_mail_header("=?x-klingon?B?5rOo5paH?=");
    EXPECT_EQ(d.text, "注文");
    EXPECT_TRUE(d.repaired);
    EXPECT_NE(d.note.find("x-klingon"), std::string::npos) << d.note;
}

TEST(MailHeader, DecodesRawCp932Utf8EucJpAndIso2022JpSubjects) {
    const DecodedText cp932 = decode_mail_header("Re: \x92\x8d\x95\xb6\x82\xc9\x82\xc2\x82\xa2\x82\xc4");
    EXPECT_EQ(cp932.text, "Re: 注文について");
    EXPECT_TRUE(cp932.repaired);
    EXPECT_NE(cp932.note.find("CP932"), std::string::npos) << cp932.note;

    const DecodedText utf8 = decode_mail_header("Re: 注文について");
    EXPECT_EQ(utf8.text, "Re: 注文について");
    EXPECT_FALSE(utf8.repaired);  // RFC 6532 allows UTF-8 in headers

    const DecodedText euc = decode_mail_header("\xa4\xaa\xcc\xe4\xa4\xa4\xb9\xe7\xa4\xef\xa4\xbb");
    EXPECT_EQ(euc.text, "お問い合わせ");
    EXPECT_NE(euc.note.find("EUC-JP"), std::string::npos) << euc.note;

    const DecodedText jis = decode_mail_header("Re: \x1b$BH/Aw$K$D$$$F\x1b(B 503-1");
    EXPECT_EQ(jis.text, "Re: 発送について 503-1");
    EXPECT_TRUE(is_clean_utf8(jis.text));
}

TEST(MailHeader, ReadsRawLatin1AsWindows1252RatherThanAsKanji) {
    EXPECT_EQ(decode_mail_header("Forma\xe7\xe3o Final Ver\xe3o").text, "Formação Final Verão");
}

TEST(MailText, ReplacesTheBytesOfLatin1DeclaredAsUtf8) {
    const DecodedText d = decode_mail_text("caf\xe9 au lait", "utf-8");
    EXPECT_EQ(d.text, "caf\uFFFD au lait");
    EXPECT_TRUE(d.repaired);
    EXPECT_NE(d.note.find("U+FFFD"), std::string::npos) << d.note;
}

TEST(MailText, ReadsLatin1LabelsAsWindows1252) {
    const DecodedText d = decode_mail_text("\x93quoted\x94 caf\xe9", "ISO-8859-1");
    EXPECT_EQ(d.text, "\u201Cquoted\u201D café");
    EXPECT_FALSE(d.repaired);
}

TEST(MailText, DetectsEucJpDeclaredAsIso2022Jp) {
    const DecodedText d = decode_mail_text(
        "\xc8\xaf\xc1\xf7\xa4\xcb\xa4\xc4\xa4\xa4\xa4\xc6\xa4\xce\xa4\xaa\xcc\xe4\xa4\xa4\xb9\xe7\xa4\xef\xa4\xbb"
        "\xa4\xc7\xa4\xb9\xa1\xa3",
        "iso-2022-jp");
    EXPECT_EQ(d.text, "発送についてのお問い合わせです。");
    EXPECT_TRUE(d.repaired);
    EXPECT_EQ(d.note, "declared iso-2022-jp, decoded as EUC-JP");
}

TEST(MailText, DetectsUtf8DeclaredAsUsAscii) {
    const DecodedText d = decode_mail_text("注文", "us-ascii");
    EXPECT_EQ(d.text, "注文");
    EXPECT_TRUE(d.repaired);
}

TEST(MailText, KeepsCp932ForShiftJisAndOtherLabelsIcuKnows) {
    EXPECT_EQ(decode_mail_text("\x87@\x81`", "Shift_JIS").text, "①～");
    EXPECT_FALSE(decode_mail_text("\x87@\x81`", "Shift_JIS").repaired);
    EXPECT_EQ(decode_mail_text("\xbe\xc8\xb3\xe7", "ks_c_5601-1987").text, "안녕");
}

TEST(MailText, DecodesIso2022JpWhoseEscapesFollowEachOtherDirectly) {
    // "早め" then "発送", as joined words leave them: ESC ( B ESC $ B in the middle.
    const DecodedText d = decode_mail_text("\x1b$BAa$a\x1b(B\x1b$BH/Aw\x1b(B", "ISO-2022-JP");
    EXPECT_EQ(d.text, "早め発送");
    EXPECT_FALSE(d.repaired) << d.note;
}

TEST(MailText, ShowsCarrierPictographsInJisRows75To7CAsReplacementCharacters) {
    // テ, then 0x79 0x5B (which ICU would read as the IBM kanji 坥) and 0x75 0x21 (which it refuses).
    const DecodedText d = decode_mail_text("\x1b$B%F\x79\x5b\x75\x21%H\x1b(B", "iso-2022-jp");
    EXPECT_EQ(d.text, "テ\uFFFD\uFFFDト");
    EXPECT_TRUE(d.repaired);
    EXPECT_NE(d.note.find("2 carrier pictographs shown as U+FFFD"), std::string::npos) << d.note;
    EXPECT_EQ(decode_mail_header("=?iso-2022-jp?B?GyRCJUYlOSVIeVsbKEJPSxskQiRoITwbKEI=?=").text,
              "テスト\uFFFDOKよー");
}

TEST(MailText, ShowsShiftJisPictographsAsReplacementCharacters) {
    // 題名 then docomo's F8 D7, in CP932's user-defined rows.
    const DecodedText d = decode_mail_text("\x91\xe8\x96\xbc\xf8\xd7", "shift_jis");
    EXPECT_EQ(d.text, "題名\uFFFD");
    EXPECT_TRUE(d.repaired);
}

TEST(MailText, NeverPassesOnEscOrNul) {
    for (const char* label : {"us-ascii", "utf-8", "iso-2022-jp", "iso-8859-1", "shift_jis", "x-unknown"}) {
        const DecodedText d = decode_mail_text(std::string("a\x1b$Zb\0c\x1b", 8), label);
        EXPECT_TRUE(is_clean_utf8(d.text)) << label;
        EXPECT_TRUE(d.repaired) << label;
    }
    EXPECT_TRUE(is_clean_utf8(decode_mail_header(std::string("x\x1b(Qy\0", 6)).text));
}

TEST(MailText, TurnsRandomBytesUnderAnyLabelIntoCleanUtf8) {
    const char* labels[] = {"utf-8", "us-ascii", "", "iso-8859-1", "iso-2022-jp", "shift_jis", "euc-jp",
                            "ks_c_5601-1987", "x-klingon", "utf-16", "gb2312"};
    std::mt19937 random(12);
    // Bytes drawn mostly from the ones that matter: ESC, escape letters, JIS bytes, 8-bit bytes.
    const std::string alphabet = std::string("\x1b$()BJI@D\0\r\n ", 14) + "\x21\x75\x79\x7c\x7f\x80\x8e\x8f\xa4\xe3\xef\xf8\xfe\xff";
    for (int round = 0; round < 3000; ++round) {
        std::string bytes(random() % 40, '\0');
        for (auto& b : bytes)
            b = random() % 2 ? alphabet[random() % alphabet.size()] : static_cast<char>(random() % 256);
        const char* label = labels[random() % std::size(labels)];
        const DecodedText text = decode_mail_text(bytes, label);
        ASSERT_TRUE(is_clean_utf8(text.text)) << label << ": " << hex_bytes(bytes);
        const DecodedText header = decode_mail_header("=?" + std::string(label) + "?B?" + bytes + "?= " + bytes);
        ASSERT_TRUE(is_clean_utf8(header.text)) << label << ": " << hex_bytes(bytes);
    }
}

TEST(MailText, DecodesTenMegabytesOfIso2022Jp) {
    std::string bytes;
    while (bytes.size() < 10'000'000) bytes += "\x1b$B%F%9%H\x1b(B order 503-1\r\n";
    const DecodedText d = decode_mail_text(bytes, "iso-2022-jp");
    EXPECT_FALSE(d.repaired) << d.note;
    const std::string first = "テスト order 503-1\r\n";
    EXPECT_EQ(d.text.substr(0, first.size()), first);
}

TEST(MailText, KeepsTheCharsetOfALongTextCutInTheMiddleOfACharacter) {
    std::string jis;
    while (jis.size() < 100'000) jis += "\x1b$B%F%9%H\x1b(B 503-1\n";
    jis += "\x1b$B%";  // half of テ
    const DecodedText d = decode_mail_text(jis, "iso-2022-jp");
    EXPECT_EQ(d.note, "1 undecodable byte sequence replaced by U+FFFD");
    EXPECT_EQ(d.text.substr(0, 16), "テスト 503-1\n");

    std::string cp932;  // 注文 in CP932, said to be UTF-8, with one stray byte
    while (cp932.size() < 100'000) cp932 += "\x92\x8d\x95\xb6 ok\n";
    const DecodedText e = decode_mail_text(cp932 + "\x81", "utf-8");
    EXPECT_EQ(e.note, "declared utf-8, decoded as CP932; 1 undecodable byte sequence replaced by U+FFFD");
    EXPECT_EQ(e.text.substr(0, 10), "注文 ok\n");
}

TEST(Html, SkipsTwoMegabytesOfScriptsInLinearTime) {
    std::string html = "<p>start</p>";
    while (html.size() < 2'000'000) html += "<SCRIPT>x</script><Style>y</STYLE>";
    html += "<p>end</p>";
    EXPECT_EQ(html_to_text(html), "\nstart\n\nend\n");
}

TEST(Html, KeepsTheTextAfterALessThanSignThatNeverCloses) {
    std::string html = "<p>price <5000 yen & a<b";
    for (int i = 0; i < 200'000; ++i) html += " <x &amp";
    const std::string text = html_to_text(html);
    EXPECT_EQ(text.substr(0, 25), "\nprice <5000 yen & a<b <x");
    EXPECT_EQ(text.size(), html.size() - 3 + 1);  // "<p>" became one line break
}

TEST(HtmlText, DecodesTheLatinEntitiesOfEuropeanNewslettersAndSkipsTheTitle) {
    EXPECT_EQ(html_to_text("<title>Angebot</title><p>Gr&uuml;&szlig;e &amp; &ouml;l &euro;5 &hellip;</p>"),
              "\nGrüße & öl €5 …\n");
    EXPECT_EQ(html_to_text("a&lrm;b&zwj;c&unknown;"), "abc&unknown;");
}

TEST(TransferEncoding, BrokenBase64IsDecodedAsFarAsItGoesAndSaysSo) {
    std::string note;
    // Padding in the middle (separately encoded chunks joined) and stray characters.
    EXPECT_EQ(decode_transfer_encoding_lenient("5pys=5pel!!\n55m66YCB*", "base64", note), "本日発送");
    EXPECT_FALSE(note.empty());
    EXPECT_EQ(decode_transfer_encoding_lenient("5pys5pel", "base64", note), "本日");
    EXPECT_TRUE(note.empty());
}
