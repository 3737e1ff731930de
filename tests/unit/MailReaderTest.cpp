// Mail structure as it really arrives: header blocks, MIME nesting, mailbox files and Maildir.
#include "importers/MailReader.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace fbtrack;
using fbtrack::test::TempDir;
using fbtrack::test::write_file;
namespace fs = std::filesystem;

namespace {

bool has_note(const std::vector<std::string>& notes, std::string_view part) {
    return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

std::string with_line_ends(std::string text, std::string_view eol) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out.append(eol);
        else out.push_back(c);
    }
    return out;
}

// A header block of Office 365 size: `bytes` of transport fields before From.
std::string exchange_fields(std::size_t bytes) {
    std::string out;
    for (int i = 0; out.size() < bytes; ++i)
        out += "X-MS-Exchange-Antispam-Field-" + std::to_string(i) + ": " + std::string(90, 'a' + i % 26) + "\n" +
               "\t" + std::string(60, 'z') + "\n";
    return out;
}

}  // namespace

// ---- headers ------------------------------------------------------------------------------

TEST(MailHeaders, AcceptCrlfLfAndBareCrLineEnds) {
    for (const char* eol : {"\r\n", "\n", "\r"}) {
        const std::string mail = with_line_ends("From: a@b.example\nSubject: one\n two\n\nbody\n", eol);
        const MailHeaders h = read_mail_headers(mail);
        ASSERT_EQ(h.fields.size(), 2u) << eol;
        EXPECT_EQ(h.get("subject"), "one two");
        EXPECT_EQ(mail.substr(h.body_offset), with_line_ends("body\n", eol));
        EXPECT_EQ(read_mail_body(h, mail).text, "body\n");
    }
}

TEST(MailHeaders, ALineWithoutAColonStartsTheBodyAsInPython) {
    const std::string mail = "From: a@b.example\nSubject: s\nthis is not a header\nDate: x\n\nbody\n";
    const MailHeaders h = read_mail_headers(mail);
    EXPECT_EQ(h.fields.size(), 2u);
    EXPECT_FALSE(h.get("Date"));
    EXPECT_TRUE(has_note(h.notes, "without a colon"));
    EXPECT_EQ(read_mail_body(h, mail).text, "this is not a header\nDate: x\n\nbody\n");
}

TEST(MailHeaders, CutAnOverlongFieldAndKeepRawBytes) {
    const std::string mail = "From: a@b.example\nX-Long: " + std::string(100000, 'x') + "\n more\nSubject: \x93\xfa\x96\x7b\n\nhi\n";
    const MailHeaders h = read_mail_headers(mail);
    EXPECT_EQ(h.get("X-Long")->size(), 65536u);
    EXPECT_TRUE(has_note(h.notes, "X-Long cut at 64 KiB"));
    EXPECT_EQ(h.get("Subject"), "\x93\xfa\x96\x7b");  // Shift_JIS 日本, left for decode_mail_header
    EXPECT_EQ(h.decoded("Missing").text, "");
    EXPECT_NO_THROW(h.decoded("Subject"));
}

TEST(MailHeaders, ThrowOnlyWhenThereIsNoField) {
    EXPECT_THROW(read_mail_headers("this is not mail\n"), MailError);
    EXPECT_THROW(read_mail_headers(""), MailError);
    EXPECT_THROW(parse_mail("\nFrom: a@b.example\n"), MailError);
    EXPECT_NO_THROW(read_mail_headers("X-Only: field"));
    EXPECT_EQ(read_mail_headers("\xEF\xBB\xBF" "From: a@b.example\n\nhi\n").get("From"), "a@b.example");
}

// ---- MIME structure -----------------------------------------------------------------------

TEST(MailBody, PrefersPlainTextInsideNestedMultiparts) {
    const std::string mail =
        "From: a@b.example\nDate: Mon, 05 Oct 2026 08:00:00 -0700\nSubject: x\n"
        "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
        "--m\nContent-Type: multipart/alternative; boundary=\"a\"\n\n"
        "--a\nContent-Type: text/html; charset=UTF-8\n\n<p>html version</p>\n"
        "--a\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n5pys5pel55m66YCB\n"
        "--a--\n--m\nContent-Type: text/plain; name=\"a.txt\"\nContent-Disposition: attachment\n\nnot the body\n--m--\n";
    EXPECT_EQ(parse_mail(mail).text, "本日発送");
}

TEST(MailBody, ReadsParametersAsMailersWriteThem) {
    const std::string mail = "From: a@b.example\nContent-Type: multipart/mixed;\n\tboundary=\"=_a \\\"b\\\"\" (comment)\n\n"
                             "--=_a \"b\"\nContent-Type: TEXT/PLAIN; charset=shift_jis (Japanese)\n"
                             "Content-Transfer-Encoding: \"Quoted-Printable\"\n\n=96=7B=93=FA\n--=_a \"b\"--\n";
    EXPECT_EQ(parse_mail(mail).text, "本日");
}

TEST(MailBody, FallsBackToTheHtmlPart) {
    const std::string mail = "From: a@b.example\nSubject: x\nContent-Type: text/html; charset=Shift_JIS\n"
                             "Content-Transfer-Encoding: quoted-printable\n\n<b>=96=7B=93=FA</b>\n";
    EXPECT_EQ(parse_mail(mail).text, "本日\n");
}

TEST(MailBody, ReadsAnInnerCloseDelimiterFollowedDirectlyByTheOuterOne) {
    const std::string mail =
        "From: a@b.example\nContent-Type: multipart/mixed; boundary=\"outer\"\n\n"
        "--outer\nContent-Type: multipart/alternative; boundary=\"inner\"\n\n"
        "--inner\nContent-Type: text/html; charset=utf-8\n\n<p>shipped today</p>\n"
        "--inner--\n--outer--\n"
        "epilogue \xFF\xFE bytes\n";
    const ParsedMail parsed = parse_mail(mail);
    EXPECT_EQ(parsed.text, "\nshipped today\n");
    EXPECT_FALSE(has_note(parsed.notes, "never closed"));
}

TEST(MailBody, MatchesABoundaryLineOnlyWhenNothingButDashesOrSpaceFollow) {
    // The inner boundary is a prefix of the outer one, so "--frontier-outer" starts like an inner
    // delimiter; and the other way round.
    const std::string mail =
        "From: a@b.example\nContent-Type: multipart/mixed; boundary=\"frontier-outer\"\n\n"
        "--frontier-outer\nContent-Type: multipart/alternative; boundary=\"frontier\"\n\n"
        "--frontier\nContent-Type: text/html\n\n<p>html</p>\n"
        "--frontier-outer-not\n"
        "--frontier \t\nContent-Type: text/plain\n\nplain text\n--frontier-- \n"
        "--frontier-outer\nContent-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n\nattached\n"
        "--frontier-outer--\n";
    EXPECT_EQ(parse_mail(mail).text, "plain text");

    const std::string reversed =
        "From: a@b.example\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
        "--b\nContent-Type: multipart/alternative; boundary=\"b2\"\n\n"
        "--b2\nContent-Type: text/plain\n\nfirst\n--b2--\n--b--\n";
    EXPECT_EQ(parse_mail(reversed).text, "first");
}

TEST(MailBody, EndsAnInnerPartNeverClosedAtTheOuterDelimiter) {
    // As docomo デコメール: the alternative inside the related part has no close delimiter.
    const std::string mail =
        "From: a@b.example\nContent-Type: multipart/mixed; boundary=\"outer\"\n\n"
        "--outer\nContent-Type: multipart/related; boundary=\"rel\"\n\n"
        "--rel\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n"
        "--alt\nContent-Type: text/html; charset=utf-8\n\n<p>html</p>\n"
        "--alt\nContent-Type: text/plain; charset=utf-8\n\nplain\r\nlines\n"
        "--rel\nContent-Type: image/gif\nContent-Transfer-Encoding: base64\n\nR0lGODlh\n"
        "--outer\nContent-Type: application/octet-stream\n\nxx\n";
    const ParsedMail parsed = parse_mail(mail);
    EXPECT_EQ(parsed.text, "plain\nlines");
}

TEST(MailBody, NotesAMultipartNeverClosed) {
    const std::string mail =
        "From: a@b.example\nContent-Type: multipart/mixed; boundary=\"outer\"\n\n"
        "--outer\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n"
        "--alt\nContent-Type: text/html\n\n<p>only html</p>\n"
        "--outer\nContent-Type: image/png\n\nxx\n";
    const ParsedMail parsed = parse_mail(mail);
    EXPECT_EQ(parsed.text, "\nonly html\n");
    EXPECT_TRUE(has_note(parsed.notes, "multipart never closed"));
}

TEST(MailBody, ReadsAMultipartWithoutBoundaryOrPartsAsText) {
    EXPECT_EQ(parse_mail("From: a@b.example\nContent-Type: multipart/mixed\n\nhello\n").text, "hello\n");
    const ParsedMail none = parse_mail("From: a@b.example\nContent-Type: multipart/mixed; boundary=\"abc\"\n\n--xyz\n\nhi\n--xyz--\n");
    EXPECT_EQ(none.text, "--xyz\n\nhi\n--xyz--\n");
    EXPECT_TRUE(has_note(none.notes, "no parts"));
    // Binary is not text.
    EXPECT_EQ(parse_mail("From: a@b.example\nContent-Type: multipart/mixed\n\n" + std::string("\x01\0\x02", 3)).text, "");
}

TEST(MailBody, SkipsAttachmentsAndPartsAfterTheFirstOfARelated) {
    const std::string mail =
        "From: a@b.example\nContent-Type: multipart/mixed; boundary=m\n\n"
        "--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename=x.txt\n\nattachment\n"
        "--m\nContent-Type: multipart/related; boundary=r\n\n"
        "--r\nContent-Type: text/html\n\n<b>body</b>\n--r\nContent-Type: text/plain\n\nnot the body\n--r--\n--m--\n";
    EXPECT_EQ(parse_mail(mail).text, "body");
}

TEST(MailBody, DecodesBrokenBase64AsFarAsItCan) {
    const std::string mail = "From: a@b.example\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                             "5pys5pel\n55m66YCB\n!!*~\n";
    EXPECT_EQ(parse_mail(mail).text.substr(0, 12), "本日発送");
}

TEST(MailBody, NeverThrowsOnAnUnknownCharset) {
    const ParsedMail parsed = parse_mail("From: a@b.example\nContent-Type: text/plain; charset=x-klingon-9\n\nqapla\n");
    EXPECT_FALSE(parsed.text.empty());
}

TEST(MailBody, CapsNestingAndPartCounts) {
    std::string deep = "From: a@b.example\nContent-Type: multipart/mixed; boundary=b0\n\n";
    for (int i = 1; i < 30; ++i)
        deep += "--b" + std::to_string(i - 1) + "\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n";
    deep += "--b29\nContent-Type: text/plain\n\ndeep\n";
    const ParsedMail d = parse_mail(deep);
    EXPECT_TRUE(has_note(d.notes, "nested deeper than 20"));

    std::string many = "From: a@b.example\nContent-Type: multipart/mixed; boundary=p\n\n";
    for (int i = 0; i < 1500; ++i) many += "--p\nContent-Type: image/gif\n\nxx\n";
    many += "--p\nContent-Type: text/plain\n\nlate\n--p--\n";
    const ParsedMail m = parse_mail(many);
    EXPECT_EQ(m.text, "");
    EXPECT_TRUE(has_note(m.notes, "more than 1000 MIME parts"));
}

TEST(MailBody, CutsTextAtOneMebibyte) {
    std::string mail = "From: a@b.example\nContent-Type: text/plain; charset=utf-8\n\n";
    for (int i = 0; i < 200000; ++i) mail += "日本語の本文\n";  // 19 bytes a line, 3.8 MB
    const ParsedMail parsed = parse_mail(mail);
    EXPECT_LE(parsed.text.size(), std::size_t{1} << 20);
    EXPECT_GT(parsed.text.size(), (std::size_t{1} << 20) - 4);
    EXPECT_TRUE(has_note(parsed.notes, "text cut at 1 MiB"));
}

TEST(MailBody, ScansManyDashLinesInLinearTime) {
    // Every line starts with "--" and almost matches one of 20 open boundaries. No timer (machines
    // are noisy): 8 MB of such lines would not end within the test's time if the scan were quadratic.
    std::string mail = "From: a@b.example\nContent-Type: multipart/mixed; boundary=b0\n\n";
    for (int i = 1; i < 20; ++i)
        mail += "--b" + std::to_string(i - 1) + "\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n";
    while (mail.size() < (8u << 20)) mail += "--b1x\n--b19 x\n--b7--x\n";
    const ParsedMail parsed = parse_mail(mail);
    EXPECT_LE(parsed.text.size(), max_body_text_bytes);
}

// ---- recognising mail files ---------------------------------------------------------------

TEST(MailSniffing, FindsFromAfterTwelveKibibytesOfHeadersWithCrlfAndCr) {
    TempDir dir;
    for (const auto& [name, eol] : {std::pair{"crlf.eml", "\r\n"}, std::pair{"cr.txt", "\r"}, std::pair{"lf", "\n"}}) {
        const std::string mail = with_line_ends(
            "Received: from mx.example by mx2.example\n" + exchange_fields(12 * 1024) +
                "From: Jane - Amazon Marketplace <abcd1234efgh567@marketplace.amazon.com>\nSubject: Hello\n\nbody line\n",
            eol);
        write_file(dir / name, mail);
        EXPECT_EQ(sniff_mailbox(dir / name), MailboxFormat::eml) << name;
        MailboxReader reader(dir / name, MailboxFormat::eml);
        RawMail raw;
        ASSERT_TRUE(reader.next(raw));
        const ParsedMail parsed = parse_mail(raw.bytes);
        EXPECT_EQ(mail_address(*parsed.header("From")), "abcd1234efgh567@marketplace.amazon.com") << name;
        EXPECT_EQ(parsed.text, "body line\n") << name;
    }
}

TEST(MailSniffing, TakesAnEmlWithoutFromAndKeepsMbox) {
    TempDir dir;
    write_file(dir / "a.eml", "To: shop@example.com\nSubject: no sender\n\nhi\n");
    write_file(dir / "b.eml", "X-Custom: only\n\nhi\n");
    write_file(dir / "c.mbox", "From MAILER-DAEMON Mon Oct  5 08:00:00 2026\nFrom: a@b.example\n\nhi\n");
    write_file(dir / "d.txt", "Note: remember the milk\n");
    EXPECT_EQ(sniff_mailbox(dir / "a.eml"), MailboxFormat::eml);
    EXPECT_EQ(sniff_mailbox(dir / "b.eml"), MailboxFormat::eml);
    EXPECT_EQ(sniff_mailbox(dir / "c.mbox"), MailboxFormat::mbox);
    EXPECT_EQ(sniff_mailbox(dir / "d.txt"), std::nullopt);
    EXPECT_EQ(sniff_mailbox(dir / "absent.eml"), std::nullopt);
}

TEST(MailSniffing, DoesNotTakeSellerCentralExportsForMail) {
    TempDir dir;
    write_file(dir / "orders.txt", "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\n"
                                   "111-2223334-5556667\t\t2026-10-05T08:00:00+00:00\t2026-10-05T09:00:00+00:00\n");
    write_file(dir / "orders.csv", "\"amazon-order-id\",\"purchase-date\"\n\"111-2223334-5556667\",\"2026-10-05T08:00:00+00:00\"\n");
    write_file(dir / "one.csv", "\"2026-10-05T08:00:00+00:00\",\"x\"\n");
    write_file(dir / "feedback.txt", "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n");
    for (const char* name : {"orders.txt", "orders.csv", "one.csv", "feedback.txt"})
        EXPECT_EQ(sniff_mailbox(dir / name), std::nullopt) << name;
}

// ---- mailbox files ------------------------------------------------------------------------

TEST(MailboxReading, CutsAMessageAtTenMebibytesAndReadsOn) {
    TempDir dir;
    std::string big = "From: a@b.example\nSubject: big\n\n";
    const std::string line(99, 'x');
    while (big.size() < (12u << 20)) big += line + "\n";
    write_file(dir / "big.eml", big);
    {
        MailboxReader reader(dir / "big.eml", MailboxFormat::eml);
        RawMail raw;
        ASSERT_TRUE(reader.next(raw));
        EXPECT_TRUE(raw.truncated);
        EXPECT_EQ(raw.bytes.size(), max_message_bytes);
        EXPECT_EQ(parse_mail(raw.bytes).decoded_header("Subject"), "big");
        EXPECT_FALSE(reader.next(raw));
    }
    write_file(dir / "big.mbox", "From a@b.example Mon Oct  5 08:00:00 2026\n" + big +
                                     "\nFrom c@d.example Mon Oct  5 09:00:00 2026\nFrom: c@d.example\n\n>From here\n");
    MailboxReader reader(dir / "big.mbox", MailboxFormat::mbox);
    RawMail raw;
    ASSERT_TRUE(reader.next(raw));
    EXPECT_TRUE(raw.truncated);
    EXPECT_EQ(raw.bytes.size(), max_message_bytes);
    ASSERT_TRUE(reader.next(raw));
    EXPECT_FALSE(raw.truncated);
    EXPECT_EQ(raw.number, 2u);
    EXPECT_EQ(raw.separator, "From c@d.example Mon Oct  5 09:00:00 2026");
    EXPECT_EQ(raw.bytes, "From: c@d.example\n\nFrom here\n");
    EXPECT_FALSE(reader.next(raw));
}

TEST(MailboxReading, KeepsAMessagesOwnEnvelopeLineAndSkipsEmptyMessages) {
    TempDir dir;
    write_file(dir / "joined.mbox", "From MAILER-DAEMON Fri Oct  9 13:30:12 2026\n"
                                    "From test@example.com  Mon Aug 22 09:45:15 2011\r\nFrom: a@b.example\r\n\r\nfirst\r\n\n"
                                    "From MAILER-DAEMON Fri Oct  9 13:30:13 2026\n\n"
                                    "From MAILER-DAEMON Fri Oct  9 13:30:14 2026\nFrom: c@d.example\n\nsecond\n");
    MailboxReader reader(dir / "joined.mbox", MailboxFormat::mbox);
    RawMail raw;
    ASSERT_TRUE(reader.next(raw));
    EXPECT_EQ(raw.number, 1u);
    const ParsedMail first = parse_mail(raw.bytes);
    EXPECT_EQ(first.header("From"), "a@b.example");
    EXPECT_EQ(first.text, "first\n");
    ASSERT_TRUE(reader.next(raw));
    EXPECT_EQ(raw.number, 2u);
    EXPECT_EQ(raw.line, 9u);
    EXPECT_EQ(parse_mail(raw.bytes).text, "second\n");
    EXPECT_FALSE(reader.next(raw));
    // The blank line after the last message is the mbox's, as the one before each separator.
    write_file(dir / "blank-end.mbox", "From x Fri Oct  9 13:30:12 2026\nFrom: a@b.example\n\nlast\n\n");
    MailboxReader ends(dir / "blank-end.mbox", MailboxFormat::mbox);
    ASSERT_TRUE(ends.next(raw));
    EXPECT_EQ(raw.bytes, "From: a@b.example\n\nlast\n");
}

TEST(MailboxReading, KeepsMemoryBoundedOnALineWithoutLineEnd) {
    TempDir dir;
    write_file(dir / "one-line.mbox", "From x Mon Oct  5 08:00:00 2026\nFrom: a@b.example\n\n" + std::string(20u << 20, 'y'));
    MailboxReader reader(dir / "one-line.mbox", MailboxFormat::mbox);
    RawMail raw;
    ASSERT_TRUE(reader.next(raw));
    EXPECT_TRUE(raw.truncated);
    EXPECT_EQ(raw.bytes.size(), max_message_bytes);
    EXPECT_FALSE(reader.next(raw));
}

TEST(MailboxReading, NamesAMissingFile) {
    TempDir dir;
    EXPECT_THROW(MailboxReader(dir / "none.mbox", MailboxFormat::mbox), std::runtime_error);
    MailboxReader eml(dir / "none.eml", MailboxFormat::eml);
    RawMail raw;
    EXPECT_THROW(eml.next(raw), std::runtime_error);
}

// ---- Maildir ------------------------------------------------------------------------------

TEST(Maildir, ListsMaildirPlusPlusFoldersAndSkipsControlFiles) {
    TempDir dir;
    const fs::path root = dir / "Maildir";
    for (const char* sub : {"cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp", ".INBOX.Sent/cur",
                            ".&kAFP4W4IMH8-/cur", ".Drafts/new"})
        fs::create_directories(root / sub);
    for (const char* control : {"dovecot-uidlist", "dovecot.index", "dovecot.index.log", "dovecot.index.cache",
                                "dovecot-keywords", "subscriptions", "courierimapuiddb", ".Sent/maildirfolder",
                                ".Sent/dovecot-uidlist", "tmp/1.M1.host"})
        write_file(root / control, "x");
    write_file(root / "cur" / "2.M2.host:2,S", "From: a\n\n");
    write_file(root / "new" / "1.M1.host", "From: a\n\n");
    write_file(root / ".Sent" / "cur" / "3.M3.host:2,S", "From: a\n\n");
    write_file(root / ".Sent" / "tmp" / "4.M4.host", "From: a\n\n");
    write_file(root / ".INBOX.Sent" / "cur" / "5.M5.host:2,S", "From: a\n\n");
    write_file(root / ".&kAFP4W4IMH8-" / "cur" / "6.M6.host:2,S", "From: a\n\n");
    write_file(root / ".Drafts" / "new" / "7.M7.host", "From: a\n\n");

    EXPECT_TRUE(is_maildir(root));
    const auto files = maildir_files(root);
    std::vector<std::pair<std::string, std::string>> got;
    for (const auto& f : files) got.emplace_back(fs::relative(f.path, root).string(), f.folder);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {".&kAFP4W4IMH8-/cur/6.M6.host:2,S", "送信済み"},
        {".Drafts/new/7.M7.host", "Drafts"},
        {".INBOX.Sent/cur/5.M5.host:2,S", "INBOX.Sent"},
        {".Sent/cur/3.M3.host:2,S", "Sent"},
        {"cur/2.M2.host:2,S", "INBOX"},
        {"new/1.M1.host", "INBOX"},
    };
    EXPECT_EQ(got, expected);
    std::vector<std::string> sent;
    for (const auto& f : files)
        if (is_sent_folder(f.folder)) sent.push_back(f.folder);
    EXPECT_EQ(sent, (std::vector<std::string>{"送信済み", "INBOX.Sent", "Sent"}));
}

TEST(Maildir, ListsFoldersKeptAsPlainSubdirectories) {
    TempDir dir;
    const fs::path root = dir / "Mail";
    fs::create_directories(root / "cur");
    fs::create_directories(root / "new");
    fs::create_directories(root / "Sent Items" / "cur");
    write_file(root / "Sent Items" / "cur" / "1.M1.host", "From: a\n\n");
    const auto files = maildir_files(root);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].folder, "Sent Items");
}

TEST(Maildir, KnowsSentFolderNames) {
    for (const char* name : {"Sent", "sent", "Sent Items", "Sent Messages", "INBOX.Sent", "[Gmail]/Sent Mail",
                             "送信済み", "送信済みアイテム", "INBOX/送信済みメール", "&kAFP4W4IMH8wojCkMMYw4A-"})
        EXPECT_TRUE(is_sent_folder(name)) << name;
    for (const char* name : {"INBOX", "Drafts", "Sentinel", "Consent", "Sent.Old", "Outbox", "Trash", ""})
        EXPECT_FALSE(is_sent_folder(name)) << name;
}

// ---- the public samples -------------------------------------------------------------------

TEST(MailSamples, EveryPublicSampleGivesHeadersAndABody) {
    REQUIRE_SHARED_SAMPLES();
    const fs::path folder = fbtrack::test::shared_samples() / "mail";
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.path().extension() != ".eml") continue;
        ++count;
        const std::string name = entry.path().filename().string();
        // Some samples open with an mbox "From " line: a mailbox of one message.
        const auto format = sniff_mailbox(entry.path());
        ASSERT_TRUE(format) << name;
        try {
            MailboxReader reader(entry.path(), *format);
            RawMail raw;
            ASSERT_TRUE(reader.next(raw)) << name;
            const MailHeaders headers = read_mail_headers(raw.bytes);
            const MailBody body = read_mail_body(headers, raw.bytes);
            (void)headers.decoded("Subject");
            EXPECT_EQ(body.text.find('\r'), std::string::npos) << name;
            EXPECT_FALSE(reader.next(raw)) << name;
        } catch (const std::exception& e) {
            ADD_FAILURE() << name << ": " << e.what();
        }
    }
    EXPECT_GE(count, 40u);
    for (const char* name : {"jpmobile__docomo-decomail.eml", "jpmobile__au-decomail.eml"}) {
        const std::string bytes = fbtrack::test::read_file(folder / name);
        EXPECT_FALSE(parse_mail(bytes).text.empty()) << name;
    }
}
