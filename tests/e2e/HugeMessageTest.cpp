// A 100 MB buyer message (issue 15): imported with its text cut at whole characters and said to
// be cut, never stored whole, never read as another charset because the cut fell mid-character.
// (Its memory and time are figures of bench/mail, not assertions here.)
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

const std::string a = "あ";
constexpr std::size_t hundred_mb = 100u * 1000 * 1000;

// Buyer mail as Amazon relays it, with `head` ending the header block unfinished and `filler`
// repeated to 100 MB right after it.
void write_huge_message(const fs::path& path, const std::string& head, const std::string& tail) {
    std::ofstream out(path, std::ios::binary);
    out << "From: 購入者 - Amazon Marketplace <k3m8x2q7w9r4t1z@marketplace.amazon.co.jp>\n"
           "To: shop@example.jp\nDate: Fri, 09 Oct 2026 22:30:12 +0900\n"
           "Message-ID: <huge@marketplace.amazon.co.jp>\nMIME-Version: 1.0\n"
           "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
        << head;
    std::string chunk;
    for (int i = 0; i < (1 << 16); ++i) chunk += a;
    for (std::size_t written = 0; written < hundred_mb; written += chunk.size()) out << chunk;
    out << tail;
}

// Only `a`, the character the message was made of, possibly after `prefix`.
bool only_a_after(const std::string& text, const std::string& prefix) {
    if (text.rfind(prefix, 0) != 0) return false;
    for (std::size_t i = prefix.size(); i < text.size(); i += a.size())
        if (text.compare(i, a.size(), a) != 0) return false;
    return (text.size() - prefix.size()) % a.size() == 0;
}

class HugeMessage : public ::testing::Test {
protected:
    Poco::JSON::Object::Ptr import_and_read(const fs::path& message) {
        const auto r = run_fbtrack({"--db", db_.string(), "--lang", "en", "import", message.string()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("1 added"), std::string::npos) << r.out;
        std::error_code ec;
        const auto db_bytes = fs::file_size(db_) + fs::file_size(db_.string() + "-wal", ec);
        EXPECT_LT(db_bytes, 5u << 20) << "a 100 MB message made a large database";
        const auto listed = run_fbtrack({"--db", db_.string(), "messages", "--json"});
        EXPECT_EQ(listed.exit_code, 0) << listed.err;
        const auto all = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
        EXPECT_EQ(all->size(), 1u);
        return all->getObject(0);
    }
    TempDir dir_;
    fs::path db_ = dir_ / "fbtrack.db";
};

TEST_F(HugeMessage, OneLineOfOneHundredMegabytesIsKeptInPartAndReadAsWritten) {
    const fs::path message = dir_ / "oneline.eml";
    write_huge_message(message, "Subject: =?UTF-8?B?5rOo5paH55Wq5Y+377yaNTAzLTU1NTU1NTUtNTU1NTU1NQ==?=\n\n", "\n");
    const auto m = import_and_read(message);
    const std::string body = m->getValue<std::string>("body");
    EXPECT_GT(body.size(), 512u << 10) << "the long line was dropped instead of cut";
    EXPECT_LE(body.size(), 1u << 20);
    EXPECT_TRUE(only_a_after(body, "")) << "the text was read as another charset, or cut mid-character: "
                                        << body.substr(0, 60);
    const std::string note = m->optValue<std::string>("decoding_note", "");
    EXPECT_NE(note.find("cut"), std::string::npos) << note;
    EXPECT_EQ(note.find("decoded as"), std::string::npos) << note;
    EXPECT_EQ(m->getValue<std::string>("order_id"), "503-5555555-5555555");
}

TEST_F(HugeMessage, AOneHundredMegabyteSubjectIsCutAtAWholeCharacter) {
    const fs::path message = dir_ / "subject.eml";
    write_huge_message(message, "Subject: 注文番号：503-6666666-6666666 ", "\n\n発送はいつ頃になりますか。\n");
    const auto m = import_and_read(message);
    const std::string subject = m->getValue<std::string>("subject");
    EXPECT_LE(subject.size(), 64u << 10);
    EXPECT_TRUE(only_a_after(subject, "注文番号：503-6666666-6666666 ")) << subject.substr(subject.size() - 12);
    EXPECT_NE(m->optValue<std::string>("decoding_note", "").find("cut"), std::string::npos);
}

}  // namespace
