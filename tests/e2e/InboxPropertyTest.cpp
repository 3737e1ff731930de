// Property (issue 12): adding any non-buyer message to an mbox — random bytes in its body, any
// charset label, any transfer encoding, broken multiparts — never changes what is imported from
// the buyer mail beside it. Each round inserts 1-5 such messages at random places, imports into a
// fresh database and compares `messages --json` with the buyer mail imported alone.
//
// The seed is printed; FBTRACK_PROPERTY_SEED=N replays a run.
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

constexpr int rounds = 30;

std::string b64(const std::string& raw) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t line = 0;
    for (std::size_t i = 0; i < raw.size(); i += 3) {
        const unsigned a = static_cast<unsigned char>(raw[i]);
        const unsigned b = i + 1 < raw.size() ? static_cast<unsigned char>(raw[i + 1]) : 0;
        const unsigned c = i + 2 < raw.size() ? static_cast<unsigned char>(raw[i + 2]) : 0;
        const unsigned v = (a << 16) | (b << 8) | c;
        out += t[(v >> 18) & 63];
        out += t[(v >> 12) & 63];
        out += i + 1 < raw.size() ? t[(v >> 6) & 63] : '=';
        out += i + 2 < raw.size() ? t[v & 63] : '=';
        if ((line += 4) >= 76) {
            out += '\n';
            line = 0;
        }
    }
    if (line) out += '\n';
    return out;
}

// 発送をお願いします。 / よろしくお願いします。 in ISO-2022-JP, as bytes (no converter needed).
const std::string jis_body =
    "\x1b$BH/Aw$r$*4j$$$7$^$9!#\x1b(B\n"
    "\x1b$B$h$m$7$/$*4j$$$7$^$9!#\x1b(B\n";

std::string b64_word(const std::string& text) {
    std::string enc = b64(text);
    enc.erase(std::remove(enc.begin(), enc.end(), '\n'), enc.end());
    return "=?UTF-8?B?" + enc + "?=";
}

std::string buyer_mbox() {
    auto from_line = [](int day) { return "From MAILER-DAEMON Fri Oct " + std::to_string(day) + " 13:30:12 2026\n"; };
    std::string m;
    // 1. UTF-8 8bit, order ID in the subject.
    m += from_line(9);
    m += "From: Buyer - Amazon Marketplace <k3m8x2q7w9r4t1z@marketplace.amazon.co.jp>\n"
         "To: shop@example.jp\n"
         "Subject: 発送を早めることについてのお問い合わせ (注文番号: 503-2417785-6630118)\n"
         "Date: Fri, 09 Oct 2026 22:30:12 +0900\n"
         "Message-ID: <prop-1@marketplace.amazon.co.jp>\n"
         "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
         "10月12日までに届くよう、急ぎで発送していただけますか。\n\n";
    // 2. ISO-2022-JP 7bit, encoded-word subject, order ID in the body.
    m += from_line(10);
    m += "From: =?UTF-8?B?6LO85YWl6ICFIC0gQW1hem9uIE1hcmtldHBsYWNl?= <a1s2d3f4g5h6j7k@marketplace.amazon.co.jp>\n"
         "To: shop@example.jp\n"
         "Subject: =?ISO-2022-JP?B?GyRCJCpMZCQkOWckbyQ7GyhC?=\n"
         "Date: Sat, 10 Oct 2026 08:00:00 +0900\n"
         "Message-ID: <prop-2@marketplace.amazon.co.jp>\n"
         "MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n"
         "Order: 503-1111111-2222222\n" +
         jis_body + "\n";
    // 3. multipart/alternative, base64 UTF-8 text and HTML.
    m += from_line(11);
    m += "From: Buyer - Amazon Marketplace <z9x8c7v6b5n4m3l@marketplace.amazon.co.jp>\n"
         "To: shop@example.jp\n"
         "Subject: " + b64_word("お急ぎ便への変更 (503-3333333-4444444)") + "\n"
         "Date: Sun, 11 Oct 2026 23:59:59 +0900\n"
         "Message-ID: <prop-3@marketplace.amazon.co.jp>\n"
         "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"alt-3\"\n\n"
         "--alt-3\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n" +
         b64("お急ぎ便に変更できますか。追加料金は払います。\n") +
         "--alt-3\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n" +
         b64("<p>お急ぎ便に変更できますか。追加料金は払います。</p>\n") + "--alt-3--\n\n";
    // 4. quoted-printable UTF-8, English.
    m += from_line(12);
    m += "From: \"Amazon Marketplace\" <q7w2e9r4t1y8u3i@marketplace.amazon.co.jp>\n"
         "To: shop@example.jp\n"
         "Subject: Ship faster inquiry from Amazon customer Jane (Order: 503-5555555-6666666)\n"
         "Date: Mon, 12 Oct 2026 07:15:00 +0000\n"
         "Message-ID: <prop-4@marketplace.amazon.co.jp>\n"
         "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
         "Could you ship it sooner? I need it by Friday =E2=80=94 thanks!\n\n";
    return m;
}

std::string pick(std::mt19937& rng, const std::vector<std::string>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}
int between(std::mt19937& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

// Random bytes, NUL-free, with 0xFF, ESC and line ends among them; no line starts with "From "
// (that would begin a new message of the mbox, which is not what this test is about).
std::string garbage(std::mt19937& rng, int max_bytes) {
    const int n = between(rng, 0, max_bytes);
    std::string s;
    s.reserve(n);
    for (int i = 0; i < n; ++i) {
        const int kind = between(rng, 0, 9);
        char c;
        if (kind == 0) c = '\n';
        else if (kind == 1) c = '\x1b';
        else if (kind == 2) c = '\xff';
        else if (kind <= 5) c = static_cast<char>(between(rng, 0x20, 0x7e));
        else c = static_cast<char>(between(rng, 1, 255));
        s += c;
    }
    std::string out;
    std::size_t at = 0;
    while (at <= s.size()) {
        const std::size_t nl = s.find('\n', at);
        std::string line = s.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
        if (line.rfind("From ", 0) == 0) line.insert(0, ">");
        out += line;
        if (nl == std::string::npos) break;
        out += '\n';
        at = nl + 1;
    }
    return out;
}

std::string random_outsider(std::mt19937& rng, int n) {
    const std::vector<std::string> senders = {"friend@example.org", "\"News\" <news@list.example>",
                                              "MAILER-DAEMON@mx.example.net", "noreply@bank.example.co.jp",
                                              "=?ISO-2022-JP?B?GyRCJDUkLyRpGyhC?= <sakura@example.ne.jp>"};
    const std::vector<std::string> charsets = {"utf-8", "iso-2022-jp", "x-unknown", "", "shift_jis", "euc-jp",
                                               "us-ascii", "iso-8859-1", "\"utf-8\"", "windows-31j"};
    const std::vector<std::string> encodings = {"", "7bit", "8bit", "base64", "quoted-printable", "x-uuencode",
                                                "broken-base64"};
    std::string h = "From: " + pick(rng, senders) + "\nTo: " + pick(rng, {"shop@example.jp", "orders@maple.example"}) + "\n";
    switch (between(rng, 0, 3)) {
        case 0: h += "Subject: Newsletter " + std::to_string(n) + "\n"; break;
        case 1: h += "Subject: =?iso-2022-jp?B?GyRCJCIkJBsoQhskQiQmJCgbKEI=?=\n"; break;
        case 2: h += "Subject: \xe3\x81\x82\x82\xa0\x1b$B raw 8-bit\n"; break;
        default: break;  // no Subject
    }
    if (between(rng, 0, 3) != 0) h += "Date: Tue, 13 Oct 2026 0" + std::to_string(between(rng, 0, 9)) + ":00:00 +0900\n";
    if (between(rng, 0, 1)) h += "Message-ID: <outsider-" + std::to_string(n) + "-" + std::to_string(rng()) + "@example.org>\n";
    h += "MIME-Version: 1.0\n";

    const std::string charset = pick(rng, charsets);
    const std::string encoding = pick(rng, encodings);
    auto part_headers = [&](const std::string& type) {
        std::string p = "Content-Type: " + type + (charset.empty() ? "" : "; charset=" + charset) + "\n";
        if (!encoding.empty()) p += "Content-Transfer-Encoding: " + (encoding == "broken-base64" ? std::string("base64") : encoding) + "\n";
        return p;
    };
    auto body = [&]() {
        std::string raw = garbage(rng, 4096);
        if (encoding == "base64") return b64(raw);
        if (encoding == "broken-base64") return b64(raw).substr(0, raw.size() / 2) + "!!*\xff==\nA\n";
        return raw;
    };

    std::string msg;
    if (between(rng, 0, 3) == 0) {
        // A multipart whose boundary is broken: declared one way, used another, never closed, or empty.
        const int kind = between(rng, 0, 3);
        const std::string declared = kind == 3 ? "" : "b-" + std::to_string(n);
        const std::string used = kind == 0 ? "x-" + std::to_string(n) : declared;
        msg = h + "Content-Type: multipart/" + pick(rng, {"mixed", "alternative", "related"}) + "; boundary=\"" + declared + "\"\n\n";
        msg += "preamble\n--" + used + "\n" + part_headers("text/plain") + "\n" + body() + "\n--" + used + "\n" +
               part_headers("text/html") + "\n<p>" + body() + "\n";
        if (kind == 2) msg += "--" + used + "--\n";
    } else {
        msg = h + part_headers(pick(rng, {"text/plain", "text/html", "application/octet-stream"})) + "\n" + body();
    }
    if (msg.empty() || msg.back() != '\n') msg += '\n';
    return "From sender@example.org Tue Oct 13 00:00:00 2026\n" + msg + "\n";
}

// The messages of an mbox (each from its "From " line to the next).
std::vector<std::string> split_mbox(const std::string& mbox) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < mbox.size()) {
        std::size_t next = mbox.find("\n\nFrom ", at);
        next = next == std::string::npos ? mbox.size() : next + 2;
        out.push_back(mbox.substr(at, next - at));
        at = next;
    }
    return out;
}

unsigned seed_of_run() {
    if (const char* s = std::getenv("FBTRACK_PROPERTY_SEED")) return static_cast<unsigned>(std::strtoul(s, nullptr, 10));
    return static_cast<unsigned>(std::random_device{}());
}

RunResult run_in(const fs::path& dir, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", (dir / "fbtrack.db").string(), "--today", "2026-10-31"});
    return run_fbtrack(args);
}

}  // namespace

TEST(InboxProperty, OutsidersInAnMboxNeverChangeTheBuyerMailBesideThem) {
    const unsigned seed = seed_of_run();
    std::cout << "InboxProperty seed: " << seed << " (FBTRACK_PROPERTY_SEED=" << seed << " replays it)" << std::endl;
    RecordProperty("seed", std::to_string(seed));
    std::mt19937 rng(seed);

    const auto buyers = split_mbox(buyer_mbox());
    ASSERT_EQ(buyers.size(), 4u);

    std::string expected;
    {
        TempDir dir;
        write_file(dir / "inbox.mbox", buyer_mbox());
        const auto r = run_in(dir.path(), {"import", (dir / "inbox.mbox").string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto list = run_in(dir.path(), {"messages", "--json"});
        ASSERT_EQ(list.exit_code, 0) << list.err;
        const auto parsed = Poco::JSON::Parser().parse(list.out).extract<Poco::JSON::Array::Ptr>();
        ASSERT_EQ(parsed->size(), buyers.size()) << list.out;
        expected = list.out;
    }

    const auto started = std::chrono::steady_clock::now();
    for (int round = 1; round <= rounds; ++round) {
        SCOPED_TRACE("seed " + std::to_string(seed) + ", round " + std::to_string(round));
        std::vector<std::string> messages = buyers;
        const int added = between(rng, 1, 5);
        for (int k = 0; k < added; ++k) {
            const auto at = static_cast<std::size_t>(between(rng, 0, static_cast<int>(messages.size())));
            messages.insert(messages.begin() + static_cast<std::ptrdiff_t>(at), random_outsider(rng, round * 10 + k));
        }
        std::string mbox;
        for (const auto& m : messages) mbox += m;

        TempDir dir;
        write_file(dir / "inbox.mbox", mbox);
        const auto r = run_in(dir.path(), {"import", (dir / "inbox.mbox").string()});
        ASSERT_EQ(r.exit_code, 0) << r.err << "\n--- the mbox ---\n" << mbox;
        const auto list = run_in(dir.path(), {"messages", "--json"});
        ASSERT_EQ(list.exit_code, 0) << list.err;
        ASSERT_EQ(list.out, expected) << "import said:\n" << r.out << "\n--- the mbox ---\n" << mbox;
    }
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "InboxProperty: " << rounds << " rounds in " << seconds << " s" << std::endl;
}
