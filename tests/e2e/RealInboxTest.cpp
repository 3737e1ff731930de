// End-to-end: a seller's whole mailbox, whatever else it holds. Who wrote a message is decided by
// the shop's own addresses, never by Reply-To; one unreadable message never blocks the others.
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

struct Mail {
    std::string from, to, subject, date = "Fri, 09 Oct 2026 22:30:12 +0900", body;
    std::string extra;  // more header lines, each ending in \n
    std::string message_id;
};

std::string text_of(const Mail& m) {
    std::string out;
    if (!m.from.empty()) out += "From: " + m.from + "\n";
    if (!m.to.empty()) out += "To: " + m.to + "\n";
    out += "Subject: " + m.subject + "\n";
    if (!m.date.empty()) out += "Date: " + m.date + "\n";
    if (!m.message_id.empty()) out += "Message-ID: " + m.message_id + "\n";
    out += m.extra;
    out += "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n" + m.body + "\n";
    return out;
}

std::string mbox_of(const std::vector<Mail>& mails) {
    std::string out;
    for (const auto& m : mails) out += "From MAILER-DAEMON Fri Oct  9 13:30:12 2026\n" + text_of(m) + "\n";
    return out;
}

const std::string buyer = "Buyer - Amazon Marketplace <k3m8x2q7w9r4t1z@marketplace.amazon.co.jp>";
const std::string alias = "k3m8x2q7w9r4t1z@marketplace.amazon.co.jp";

Mail request() {
    return {buyer, "Maple <orders@maple.example>", "発送を早めることについてのお問い合わせ (注文番号: 503-2417785-6630118)",
            "Fri, 09 Oct 2026 22:30:12 +0900", "急ぎで発送していただけますか。", "", "<req-1@marketplace.amazon.co.jp>"};
}

Mail reply_from(const std::string& from) {
    return {from, alias, "Re: 発送を早めることについてのお問い合わせ (注文番号: 503-2417785-6630118)",
            "Sat, 10 Oct 2026 09:05:40 +0900", "誠に申し訳ございませんが、発送を早めることはいたしかねます。", "", "<reply-1@maple.example>"};
}

class RealInbox : public ::testing::Test {
protected:
    RunResult fbtrack(std::vector<std::string> args) {
        // In English: the lines these tests read are its words (JapaneseOutputTest reads the Japanese).
        args.insert(args.begin(), {"--db", db().string(), "--today", "2026-10-31", "--lang", "en"});
        return run_fbtrack(args);
    }
    fs::path db() const { return dir_ / "fbtrack.db"; }
    Poco::JSON::Array::Ptr messages() {
        const auto r = fbtrack({"messages", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>();
    }
    Poco::JSON::Object::Ptr status() {
        const auto r = fbtrack({"status", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
    }
    std::string import_mbox(const std::vector<Mail>& mails, RunResult* result = nullptr, const std::string& name = "inbox.mbox") {
        write_file(dir_ / name, mbox_of(mails));
        const auto r = fbtrack({"import", (dir_ / name).string()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        if (result) *result = r;
        return r.out;
    }
    std::string reply_of_request() {
        const auto r = fbtrack({"expedite", "list", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const auto list = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>();
        return list->size() == 1 ? list->getObject(0)->getValue<std::string>("reply") : "(no request)";
    }

    TempDir dir_;
};

}  // namespace

TEST_F(RealInbox, AReplyToFromAMarketplaceAliasDoesNotMakeAnOutsidersMailTheSellersReply) {
    Mail forged{"Promo <promo@shop-spam.example>", "orders@maple.example",
                "Re: 発送を早めることについてのお問い合わせ (注文番号: 503-2417785-6630118)", "Sat, 10 Oct 2026 08:00:00 +0900",
                "発送を早めることは承知しました。本日発送いたします。", "Reply-To: " + alias + "\n", "<forged@shop-spam.example>"};
    const auto out = import_mbox({request(), forged});
    EXPECT_EQ(messages()->size(), 1u);
    EXPECT_EQ(reply_of_request(), "none");
    EXPECT_NE(out.find("1 ignored"), std::string::npos) << out;
}

TEST_F(RealInbox, MailToAnAliasFromAnUnknownAddressIsPassedOverAndNamed) {
    Mail outsider = reply_from("someone@elsewhere.example");
    outsider.body = "承知しました。明日発送いたします。";
    const auto out = import_mbox({request(), outsider});
    EXPECT_EQ(reply_of_request(), "none");
    EXPECT_NE(out.find("someone@elsewhere.example (1)"), std::string::npos) << out;
    EXPECT_NE(out.find("own_addresses"), std::string::npos) << out;
}

TEST_F(RealInbox, TheAddressAmazonForwardsBuyerMailToIsTheShopsEvenWhenItsReplyComesFirst) {
    // Replies before the request in the file (Gmail's Takeout does not sort): the order does not matter.
    const auto out = import_mbox({reply_from("Maple <orders@maple.example>"), request()});
    EXPECT_EQ(reply_of_request(), "declined");
    EXPECT_NE(out.find("orders@maple.example was learnt"), std::string::npos) << out;
    const auto own = status()->getArray("shop_addresses");
    ASSERT_EQ(own->size(), 1u);
    EXPECT_EQ(own->getObject(0)->getValue<std::string>("address"), "orders@maple.example");
}

TEST_F(RealInbox, ADovecotMaildirWithASentFolderGivesBothSides) {
    // The shop receives at one address and sends from another: only its sent folder tells.
    const fs::path maildir = dir_ / "Maildir";
    for (const auto* sub : {"cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp", ".Drafts/cur", ".Drafts/new"})
        fs::create_directories(maildir / sub);
    write_file(maildir / "dovecot-uidlist", "3 V1760000000 N3 G0123456789abcdef\n1 1760000000.M1P1.host\n");
    write_file(maildir / "dovecot.index.log", std::string("\x01\x02\x00\x00binary index", 16));
    write_file(maildir / "subscriptions", "Sent\nDrafts\n");
    write_file(maildir / ".Sent" / "maildirfolder", "");
    write_file(maildir / "cur" / "1760000000.M1P1.host:2,S", text_of(request()));
    write_file(maildir / ".Sent" / "cur" / "1760000001.M2P1.host:2,S", text_of(reply_from("Maple <reply@maple-mail.example>")));
    const auto r = fbtrack({"import", maildir.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Maildir folders read: INBOX Sent"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("dovecot"), std::string::npos) << r.out;
    EXPECT_EQ(messages()->size(), 2u);
    EXPECT_EQ(reply_of_request(), "declined");
}

TEST_F(RealInbox, AReusedMessageIdKeepsTheFirstCopyAndSaysSo) {
    Mail again = request();
    again.body = "やはりキャンセルします。";
    RunResult r;
    import_mbox({request()});
    import_mbox({again}, &r, "later.mbox");
    EXPECT_NE(r.out.find("1 conflicting"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("<req-1@marketplace.amazon.co.jp> is stored already with other content"), std::string::npos) << r.out;
    const auto list = messages();
    ASSERT_EQ(list->size(), 1u);
    EXPECT_NE(list->getObject(0)->getValue<std::string>("body").find("急ぎで"), std::string::npos);
}

TEST_F(RealInbox, OneUndatableBuyerMessageIsKeptOnRecordAndTheRestImported) {
    Mail undated = request();
    undated.date = "";
    undated.message_id = "<undated@marketplace.amazon.co.jp>";
    Mail other = request();
    other.message_id = "<req-2@marketplace.amazon.co.jp>";
    other.subject = "Question (注文番号: 503-1111111-2222222)";
    // Its separator line names no date either: nothing tells when it was sent.
    write_file(dir_ / "inbox.mbox", mbox_of({request()}) + "From MAILER-DAEMON\n" + text_of(undated) + "\n" + mbox_of({other}));
    const auto r = fbtrack({"import", (dir_ / "inbox.mbox").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("message 2: it has no Date header"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 unreadable (kept on record"), std::string::npos) << r.out;
    EXPECT_EQ(messages()->size(), 2u);
    EXPECT_EQ(status()->getValue<int>("rejected_rows"), 1);
    const auto text = fbtrack({"status"});
    EXPECT_NE(text.out.find("no Date header"), std::string::npos) << text.out;
    SQLite::Database database(db().string());
    EXPECT_EQ(database.execAndGet("SELECT row_text FROM rejected_rows").getString(),
              "Message-ID: <undated@marketplace.amazon.co.jp>");
}

TEST_F(RealInbox, AnUndatedEmlOrMaildirMessageIsDatedByItsFileAndMarked) {
    Mail undated = request();
    undated.date = "";
    const fs::path maildir = dir_ / "Maildir";
    for (const auto* sub : {"cur", "new", "tmp"}) fs::create_directories(maildir / sub);
    write_file(maildir / "new" / "1760013012.M1P1.host", text_of(undated));
    ASSERT_EQ(fbtrack({"import", maildir.string()}).exit_code, 0);
    const auto list = messages();
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->getObject(0)->getValue<std::string>("sent_at"), "2025-10-09T12:30:12Z");
    EXPECT_NE(list->getObject(0)->getValue<std::string>("decoding_note").find("Maildir"), std::string::npos);
}

TEST_F(RealInbox, ALyingCharsetIsDecodedAndMarkedNotRefused) {
    // CP932 bytes under a UTF-8 label, as some mailers send them.
    Mail lying = request();
    std::string text = text_of(lying);
    const std::string body = "急ぎで発送していただけますか。";
    text.replace(text.find(body), body.size(), to_cp932(body));
    write_file(dir_ / "lying.eml", text);
    const auto r = fbtrack({"import", (dir_ / "lying.eml").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto list = messages();
    ASSERT_EQ(list->size(), 1u);
    EXPECT_NE(list->getObject(0)->getValue<std::string>("body").find(body), std::string::npos);
    EXPECT_FALSE(list->getObject(0)->isNull("decoding_note"));
}

TEST_F(RealInbox, AnEmlWithoutFromIsMailAndIgnoredEvenAmongExports) {
    write_file(dir_ / "no_from.eml", "Subject: hello\nDate: Fri, 09 Oct 2026 22:30:12 +0900\nTo: a@b.example\n\nhi\n");
    const auto r = fbtrack({"import", (dir_ / "no_from.eml").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1 ignored"), std::string::npos) << r.out;
}

TEST_F(RealInbox, SkipBadRowsGetsPastAFileThatCannotBeReadAtAll) {
    fs::create_directories(dir_ / "in");
    write_file(dir_ / "in" / "a.eml", text_of(request()));
    write_file(dir_ / "in" / "notes.txt", "just some notes\nnot a report\n");
    // Named on the command line, a file that is no export is an error (in a folder it is passed over).
    const std::vector<std::string> named{(dir_ / "in" / "a.eml").string(), (dir_ / "in" / "notes.txt").string()};
    auto args = std::vector<std::string>{"import"};
    args.insert(args.end(), named.begin(), named.end());
    const auto refused = fbtrack(args);
    EXPECT_EQ(refused.exit_code, 65) << refused.out;
    args.insert(args.begin() + 1, "--skip-bad-rows");
    const auto r = fbtrack(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("notes.txt: skipped"), std::string::npos) << r.out;
    EXPECT_EQ(messages()->size(), 1u);
    EXPECT_EQ(status()->getValue<int>("rejected_rows"), 1);
}

TEST_F(RealInbox, BuyerBodiesAndTheCsvLogAreStoredWithoutPhoneNumbersOrEmailAddresses) {
    Mail m = request();
    m.body = "急ぎです。連絡先は 090-1234-5678、taro.yamada@example.jp です。";
    import_mbox({m});
    write_file(dir_ / "log.csv", "order_id,sent_at,direction,subject,body\n"
                                 "503-1111111-2222222,2026-10-09 22:30,buyer,急ぎ,電話 03-1234-5678 まで\n");
    ASSERT_EQ(fbtrack({"import", (dir_ / "log.csv").string()}).exit_code, 0);
    const auto all = fbtrack({"messages", "--json"});
    for (const char* personal : {"090-1234-5678", "taro.yamada", "03-1234-5678"})
        EXPECT_EQ(all.out.find(personal), std::string::npos) << personal << "\n" << all.out;
    EXPECT_NE(all.out.find("急ぎです"), std::string::npos);
    const std::string bytes = read_file(db());
    EXPECT_EQ(bytes.find("taro.yamada"), std::string::npos);
}

TEST_F(RealInbox, ARowWhoseFieldsDoNotLineUpKeepsNoRawText) {
    write_file(dir_ / "log.csv", "order_id,sent_at,direction,subject,body\n"
                                 "503-1111111-2222222,2026-10-09 22:30,buyer,Yamada Taro,Tokyo,extra field\n");
    const auto r = fbtrack({"import", "--skip-bad-rows", (dir_ / "log.csv").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    SQLite::Database database(db().string());
    const std::string kept = database.execAndGet("SELECT row_text FROM rejected_rows").getString();
    EXPECT_EQ(kept.find("Yamada"), std::string::npos) << kept;
    EXPECT_NE(kept.find("503-1111111-2222222"), std::string::npos) << kept;
}

TEST_F(RealInbox, AmazonFulfilledShipmentsWithEnglishHeadersAreRecognisedWithoutBuyerColumns) {
    const std::string header =
        "amazon-order-id\tmerchant-order-id\tshipment-id\tshipment-item-id\tamazon-order-item-id\tmerchant-order-item-id\t"
        "purchase-date\tpayments-date\tshipment-date\treporting-date\tbuyer-email\tbuyer-name\tbuyer-phone-number\tsku\t"
        "product-name\tquantity-shipped\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\t"
        "gift-wrap-tax\tship-service-level\trecipient-name\tship-address-1\tship-address-2\tship-address-3\tship-city\t"
        "ship-state\tship-postal-code\tship-country\tship-phone-number\tbill-address-1\tbill-address-2\tbill-address-3\t"
        "bill-city\tbill-state\tbill-postal-code\tbill-country\titem-promotion-discount\tship-promotion-discount\tcarrier\t"
        "tracking-number\testimated-arrival-date\tfulfillment-center-id\tfulfillment-channel\tsales-channel\n";
    const std::string row =
        "111-2223334-5556667\t\tD1a2B3c4E\tDk1l2m3n4\t12345678901234\t\t2026-10-01T10:00:00+00:00\t"
        "2026-10-01T10:00:00+00:00\t2026-10-02T08:30:00+00:00\t2026-10-02T09:00:00+00:00\tbuyer@example.com\tJane Roe\t"
        "555-123-4567\tSKU-1\tMug\t1\tUSD\t12.00\t0.00\t0.00\t0.00\t0.00\t0.00\tStandard\tJane Roe\t12 Elm Street\t\t\t"
        "Springfield\tIL\t62701\tUS\t555-123-4567\t12 Elm Street\t\t\tSpringfield\tIL\t62701\tUS\t0.00\t0.00\tUPS\t"
        "1Z999AA10123456784\t2026-10-05T20:00:00+00:00\tMDW2\tAmazon\tAmazon.com\n";
    write_file(dir_ / "fba.txt", header + row);
    const auto r = fbtrack({"--marketplace", "us", "import", (dir_ / "fba.txt").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("fba-shipments"), std::string::npos) << r.out;
    EXPECT_EQ(status()->getValue<int>("shipments"), 1);
    const std::string bytes = read_file(db());
    for (const char* personal : {"Jane Roe", "Elm Street", "buyer@example.com", "555-123-4567"})
        EXPECT_EQ(bytes.find(personal), std::string::npos) << personal;
}

TEST_F(RealInbox, EverySharedSampleImportsAsItIsAsEmlAsOneMboxAndAsOneMaildir) {
    REQUIRE_SHARED_SAMPLES();
    const fs::path samples = shared_samples() / "mail";
    std::string mbox;
    const fs::path maildir = dir_ / "Maildir";
    for (const auto* sub : {"cur", "new", "tmp"}) fs::create_directories(maildir / sub);
    std::size_t count = 0;
    std::vector<std::string> emls = {"import"};
    for (const auto& entry : fs::directory_iterator(samples)) {
        if (entry.path().extension() != ".eml") continue;
        ++count;
        emls.push_back(entry.path().string());
        const std::string bytes = read_file(entry.path());
        mbox += "From MAILER-DAEMON Fri Oct  9 13:30:12 2026\n" + bytes + (bytes.empty() || bytes.back() == '\n' ? "" : "\n") + "\n";
        write_file(maildir / "cur" / (std::to_string(1760000000 + count) + ".M" + std::to_string(count) + ".host:2,S"), bytes);
    }
    ASSERT_GE(count, 50u);
    write_file(dir_ / "all.mbox", mbox);
    for (const std::vector<std::string>& args :
         {emls, std::vector<std::string>{"import", (dir_ / "all.mbox").string()}, std::vector<std::string>{"import", maildir.string()}}) {
        const std::string input = args.size() > 2 ? "the .eml files" : args[1];
        fs::remove(db());
        const auto r = fbtrack(args);
        EXPECT_EQ(r.exit_code, 0) << input << "\n" << r.err << r.out;
        // None of them is mail to or from a marketplace address.
        EXPECT_EQ(status()->getValue<int>("messages"), 0) << input;
        EXPECT_EQ(status()->getValue<int>("rejected_rows"), 0) << input << r.out;
    }
}

namespace {

// A line of `raw` from `at` with its line end (CRLF, LF, CR or none at the end of the bytes).
std::string line_from(const std::string& raw, std::size_t at) {
    std::size_t end = raw.find_first_of("\r\n", at);
    if (end == std::string::npos) return raw.substr(at);
    end += raw.compare(end, 2, "\r\n") == 0 ? 2 : 1;
    return raw.substr(at, end - at);
}

std::string ending_of(const std::string& line) {
    if (line.size() >= 2 && line.compare(line.size() - 2, 2, "\r\n") == 0) return "\r\n";
    if (!line.empty() && (line.back() == '\n' || line.back() == '\r')) return line.substr(line.size() - 1);
    return "";
}

// A shared sample rewritten as buyer mail as tests/mailcheck/compare_with_python.py does it: From
// becomes a marketplace alias, To the shop, " (Order: ID)" is added to the Subject's last line, and
// every other byte stays as it was (an mbox "From " line first included). Names each field it
// found in `found`, so that a sample without one is told, not silently left as it was.
std::string as_buyer_mail(const std::string& raw, const std::string& alias, const std::string& order_id, std::string& found) {
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < raw.size();) {
        lines.push_back(line_from(raw, at));
        at += lines.back().size();
    }
    std::size_t i = !lines.empty() && lines[0].rfind("From ", 0) == 0 ? 1 : 0;
    std::string out;
    for (std::size_t k = 0; k < i; ++k) out += lines[k];
    bool from = false, to = false, subject = false;
    while (i < lines.size()) {
        const std::string& first = lines[i];
        if (first == "\n" || first == "\r\n" || first == "\r") break;
        const std::size_t colon = first.find(':');
        std::size_t name_end = colon == std::string::npos ? 0 : colon;
        while (name_end > 0 && (first[name_end - 1] == ' ' || first[name_end - 1] == '\t')) --name_end;
        std::string name = first.substr(0, name_end);
        // As the script's field pattern: printable ASCII but ':' as the name, else the body starts here.
        if (name.empty() || std::any_of(name.begin(), name.end(), [](char c) { return c < 0x21 || c > 0x7E; })) break;
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::size_t last = i;
        while (last + 1 < lines.size() && (lines[last + 1][0] == ' ' || lines[last + 1][0] == '\t')) ++last;
        const std::string eol = ending_of(lines[last]).empty() ? "\n" : ending_of(lines[last]);
        if (name == "from" || name == "to") {
            bool& seen = name == "from" ? from : to;
            if (!seen)
                out += (name == "from" ? "From: Buyer - Amazon Marketplace <" + alias + "@marketplace.amazon.co.jp>"
                                       : std::string("To: shop@example.jp")) + eol;
            seen = true;
        } else if (name == "subject" && !subject) {
            subject = true;
            for (std::size_t k = i; k < last; ++k) out += lines[k];
            out += lines[last].substr(0, lines[last].size() - ending_of(lines[last]).size()) + " (Order: " + order_id + ")" + eol;
        } else {
            for (std::size_t k = i; k <= last; ++k) out += lines[k];
        }
        i = last + 1;
    }
    for (; i < lines.size(); ++i) out += lines[i];
    found = std::string(from ? "From " : "") + (to ? "To " : "") + (subject ? "Subject" : "");
    return out;
}

}  // namespace

// Issue 25: docomo and SoftBank mail in Shift_JIS with pictographs in CP932's user-defined rows
// (docomo's own, and both carriers' through Gmail). Python's shift_jis codec cannot read those rows,
// so tests/mailcheck has no reference for them and passes them over: this checks them by hand.
TEST_F(RealInbox, CarrierMailInShiftJisImportsAsBuyerMailWithItsPictographsAsReplacementCharacters) {
    REQUIRE_SHARED_SAMPLES();
    struct Case {
        const char* file;
        const char* subject;
        const char* body;
    };
    const Case cases[] = {
        {"jpmobile__docomo-emoji.eml", "題名\uFFFD", "本文\uFFFD\nFor docomo"},
        {"jpmobile__docomo-gmail-sjis.eml", "テスト\uFFFD", "テストです\uFFFD"},
        {"jpmobile__softbank-gmail-sjis.eml", "テスト\uFFFD\uFFFD\uFFFD", "テストです\uFFFD"},
    };
    int n = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.file);
        ++n;
        const std::string order = "503-0000000-000000" + std::to_string(n);
        const std::string buyer_alias = "k3m8x2q7w9r4t1" + std::string(1, static_cast<char>('a' + n));
        std::string found;
        const std::string copy = as_buyer_mail(read_file(shared_samples() / "mail" / c.file), buyer_alias, order, found);
        ASSERT_EQ(found, "From To Subject");
        fs::remove(db());
        write_file(dir_ / "carrier.eml", copy);
        const auto r = fbtrack({"import", (dir_ / "carrier.eml").string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("1 added"), std::string::npos) << r.out;
        const auto list = messages();
        ASSERT_EQ(list->size(), 1u) << r.out;
        const auto m = list->getObject(0);
        EXPECT_EQ(m->getValue<std::string>("direction"), "buyer");
        EXPECT_EQ(m->getValue<std::string>("buyer_alias"), buyer_alias);
        EXPECT_EQ(m->getValue<std::string>("order_id"), order);
        // Whole texts: a pictograph read as a kanji or a half-width kana would show here.
        EXPECT_EQ(m->getValue<std::string>("subject"), std::string(c.subject) + " (Order: " + order + ")");
        std::string body = m->getValue<std::string>("body");
        while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
        EXPECT_EQ(body, c.body);
        ASSERT_FALSE(m->isNull("decoding_note"));
        EXPECT_NE(m->getValue<std::string>("decoding_note").find("carrier pictograph"), std::string::npos);
    }
}

TEST_F(RealInbox, NoHeaderASenderWritesMakesItsAddressTheShops) {
    // Each of these came to the shop's inbox from an outsider who wants the request to read as accepted.
    Mail labelled = reply_from("evil@x.example");
    labelled.extra = "X-Gmail-Labels: Sent\nCc: orders@maple.example\n";
    Mail quoted = reply_from("\"orders@maple.example\"@evil.example");
    Mail two_addresses = reply_from("<evil@x.example> <orders@maple.example>");
    Mail list = reply_from("orders@maple.example, evil@x.example");
    Mail twice = reply_from("orders@maple.example");
    twice.extra = "From: evil@x.example\n";
    Mail teach{buyer, "attacker@evil.example, orders@maple.example", "Question (注文番号: 503-1111111-2222222)",
               "Fri, 09 Oct 2026 20:00:00 +0900", "hello", "", "<teach@marketplace.amazon.co.jp>"};
    Mail from_taught = reply_from("attacker@evil.example");
    std::vector<Mail> all = {request(), teach};
    int n = 0;
    for (Mail m : {labelled, quoted, two_addresses, list, twice, from_taught}) {
        m.message_id = "<forged-" + std::to_string(++n) + "@evil.example>";
        m.body = "承知しました。本日発送いたします。";
        all.push_back(m);
    }
    const auto out = import_mbox(all);
    EXPECT_EQ(reply_of_request(), "none") << out;
    EXPECT_NE(out.find("orders@maple.example was learnt"), std::string::npos) << out;
    EXPECT_EQ(out.find("evil.example was learnt"), std::string::npos) << out;
    EXPECT_EQ(out.find("evil@x.example was learnt"), std::string::npos) << out;
    EXPECT_EQ(messages()->size(), 2u);
}

TEST_F(RealInbox, AJunkFolderCountsForNobody) {
    const fs::path maildir = dir_ / "Maildir";
    for (const auto* sub : {"cur", "new", "tmp", ".Junk/cur", ".Junk/new", ".Junk/tmp"}) fs::create_directories(maildir / sub);
    write_file(maildir / "cur" / "1760000000.M1P1.host:2,S", text_of(request()));
    Mail forged = reply_from("Maple <orders@maple.example>");
    forged.body = "承知しました。本日発送いたします。";
    write_file(maildir / ".Junk" / "cur" / "1760000001.M2P1.host:2,S", text_of(forged));
    const auto r = fbtrack({"import", maildir.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(reply_of_request(), "none");
    EXPECT_EQ(messages()->size(), 1u);
}

TEST_F(RealInbox, WhateverLiesInAMaildirOrAThunderbirdFolderIsReadAsMail) {
    const fs::path maildir = dir_ / "Maildir";
    for (const auto* sub : {"cur", "new", "tmp"}) fs::create_directories(maildir / sub);
    write_file(maildir / "cur" / "1760000000.M1P1.host:2,S", text_of(request()));
    write_file(maildir / "new" / "1760000001.M2P1.host", "");
    write_file(maildir / "new" / "1760000002.M3P1.host", std::string("\xFF\xD8\xFF\xE0\0\x10JFIF", 10));
    write_file(maildir / "new" / "1760000003.M4P1.host", "\n\nno headers at all\n");
    write_file(maildir / "new" / "1760000004.M5P1.host", "date\trating\tcomments\tresponse\torder\temail\n");
    auto r = fbtrack({"import", maildir.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(messages()->size(), 1u);
    EXPECT_EQ(status()->getValue<int>("feedback"), 0);

    const fs::path local = dir_ / "Local Folders";
    fs::create_directories(local);
    write_file(local / "Inbox", mbox_of({request()}));
    write_file(local / "Inbox.msf", "// <!-- <mdb:mork:z v=\"1.4\"/> -->\n");
    write_file(local / "Sent", "");
    write_file(local / "Sent.msf", "// <!-- <mdb:mork:z v=\"1.4\"/> -->\n");
    write_file(local / "msgFilterRules.dat", "version=\"9\"\nlogging=\"no\"\n");
    fs::remove(db());
    r = fbtrack({"import", local.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(messages()->size(), 1u);
}

// The project's own inbox fixtures (tests/fixtures/mail/inbox, README.txt there says what each is).
namespace {
std::string inbox_fixture(const std::string& name) {
    return (fs::path(FBTRACK_TEST_FIXTURES) / "mail" / "inbox" / name).string();
}
}  // namespace

TEST_F(RealInbox, EachInboxFixtureDecodesAsItsReadmeSays) {
    struct Expected {
        const char* file;
        const char* order_id;
        const char* subject_part;
        const char* body_part;
        bool marked;
    };
    const Expected cases[] = {
        {"subject_split_iso2022jp.eml", "503-1234567-1234567",
         "発送を早めていただくことは可能でしょうか（注文番号：503-1234567-1234567）", "10月18日の法事で使いたいため", false},
        {"nested_close_adjacent.eml", "503-2345678-2345678", "配送日について", "10月20日までに届けていただけますか", false},
        {"inner_boundary_prefix.eml", "503-3456789-3456789", "発送予定のお問い合わせ", "まだ発送されていないようです", false},
        {"inner_never_closed.eml", "503-4567890-4567890", "住所変更のお願い", "住所を間違えてしまいました", false},
        {"office365_12k_headers.eml", "503-5678901-5678901", "至急のお願い", "夕方までに受", false},
        {"cr_only.eml", "503-6789012-6789012", "梱包についての質問", "納品書を同梱しないでいただけますか", false},
        {"buyer_cp932_labelled_utf8.eml", "503-7890123-7890123", "交換について", "①色違いに交換できますか", true},
        {"buyer_pictographs_iso2022jp.eml", "503-8901234-8901234", "お願い\uFFFD", "ありがとうございます\uFFFD", true},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.file);
        fs::remove(db());
        const auto r = fbtrack({"import", inbox_fixture(c.file)});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto list = messages();
        ASSERT_EQ(list->size(), 1u);
        const auto m = list->getObject(0);
        EXPECT_EQ(m->getValue<std::string>("order_id"), c.order_id);
        EXPECT_EQ(m->getValue<std::string>("direction"), "buyer");
        EXPECT_NE(m->getValue<std::string>("subject").find(c.subject_part), std::string::npos) << m->getValue<std::string>("subject");
        EXPECT_NE(m->getValue<std::string>("body").find(c.body_part), std::string::npos) << m->getValue<std::string>("body");
        EXPECT_EQ(m->isNull("decoding_note"), !c.marked);
        // A pictograph is never a wrong kanji.
        EXPECT_EQ(m->getValue<std::string>("body").find("坥"), std::string::npos);
    }
    for (const char* ignored : {"newsletter_latin1_as_utf8.eml", "bounce_eucjp_as_iso2022jp.eml", "forged_reply_to.eml"}) {
        fs::remove(db());
        const auto r = fbtrack({"import", inbox_fixture(ignored)});
        ASSERT_EQ(r.exit_code, 0) << ignored << r.err;
        EXPECT_NE(r.out.find("1 ignored"), std::string::npos) << ignored << r.out;
    }
    fs::remove(db());
    ASSERT_EQ(fbtrack({"import", inbox_fixture("reused_message_id_a.eml")}).exit_code, 0);
    const auto again = fbtrack({"import", inbox_fixture("reused_message_id_b.eml")});
    EXPECT_NE(again.out.find("1 conflicting"), std::string::npos) << again.out;
    EXPECT_NE(messages()->getObject(0)->getValue<std::string>("body").find("ギフト包装をお願いできますか"), std::string::npos);
}

TEST_F(RealInbox, TheDovecotFixtureGivesBothSidesOfEachConversation) {
    const auto r = fbtrack({"import", inbox_fixture("inbox-maildir")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Maildir folders read: Drafts INBOX Sent"), std::string::npos) << r.out;
    // Half-written files in the Maildir's tmp/ folders are never read. The fixture's own path is
    // left out first: the checkout may itself lie under /tmp.
    std::string shown = r.out;
    const std::string root = inbox_fixture("inbox-maildir");
    for (std::size_t at; (at = shown.find(root)) != std::string::npos;) shown.replace(at, root.size(), "MAILDIR");
    EXPECT_EQ(shown.find("/tmp/"), std::string::npos) << r.out;
    const auto list = messages();
    ASSERT_EQ(list->size(), 6u);
    std::size_t from_seller = 0;
    for (std::size_t i = 0; i < list->size(); ++i) from_seller += list->getObject(i)->getValue<std::string>("direction") == "seller";
    EXPECT_EQ(from_seller, 3u);
    const auto e = fbtrack({"expedite", "list", "--json"});
    const auto requests = Poco::JSON::Parser().parse(e.out).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(requests->size(), 2u);
    EXPECT_EQ(requests->getObject(0)->getValue<std::string>("reply"), "declined");
    EXPECT_EQ(requests->getObject(1)->getValue<std::string>("reply"), "accepted");
}

TEST_F(RealInbox, AnOldStyleCommentAfterTheAddressIsNoPartOfIt) {
    Mail hidden = reply_from("evil@x.example (orders@maple.example)");
    hidden.message_id = "<hidden@evil.example>";
    hidden.body = "承知しました。本日発送いたします。";
    Mail plain = reply_from("orders@maple.example (Maple Goods)");
    import_mbox({request(), hidden, plain});
    EXPECT_EQ(reply_of_request(), "declined");
}

TEST_F(RealInbox, NothingASenderWritesReachesTheTerminalRaw) {
    Mail m = request();
    // BEL, a right-to-left override, a line separator and a C1 CSI in the subject, by encoded word.
    m.subject = "=?UTF-8?B?" + std::string("5oCl44GO") + "?= \x07x\xE2\x80\xAE" "evil\xE2\x80\xA8\xC2\x9B" "2J (注文番号: 503-2417785-6630118)";
    m.message_id = "<\x1b]52;c;SGVsbG8=\x07@evil.example>";
    import_mbox({m});
    Mail again = m;
    again.body = "other";
    RunResult r;
    import_mbox({again}, &r, "again.mbox");
    const auto listed = fbtrack({"messages"});
    for (const std::string& out : {listed.out, r.out}) {
        for (const char* raw : {"\x07", "\x1b", "\xE2\x80\xAE", "\xE2\x80\xA8", "\xC2\x9B"})
            EXPECT_EQ(out.find(raw), std::string::npos) << out;
    }
    EXPECT_NE(listed.out.find("\\u202E"), std::string::npos) << listed.out;
    EXPECT_NE(r.out.find("\\e]52"), std::string::npos) << r.out;  // the conflict report shows the Message-ID escaped
}

TEST_F(RealInbox, AnEmlFileIsJudgedByTheFolderItLiesInNotByItsOwnName) {
    // "spam.eml" or "Sent.eml" saved in Downloads is neither a junk nor a sent folder.
    fs::create_directories(dir_ / "Downloads");
    write_file(dir_ / "Downloads" / "spam.eml", text_of(request()));
    const auto r = fbtrack({"import", (dir_ / "Downloads" / "spam.eml").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1 added"), std::string::npos) << r.out;
}
