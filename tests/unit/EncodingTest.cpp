#include "TestSupport.h"
#include "core/Errors.h"
#include "text/Encoding.h"
#include "text/Iso2022Jp.h"
#include "text/TerminalText.h"
#include "text/TextLines.h"

#include <gtest/gtest.h>

using namespace fbtrack;
using fbtrack::test::TempDir;
using fbtrack::test::to_cp932;
using fbtrack::test::write_file;

namespace {
std::vector<std::string> read_all(const std::filesystem::path& p, Encoding* seen = nullptr) {
    TextLines lines(p);
    std::vector<std::string> out;
    TextLine l;
    while (lines.next(l)) out.emplace_back(l.text);
    if (seen) *seen = lines.encoding();
    return out;
}
}  // namespace

TEST(Utf8Validation, AcceptsJapaneseAndRejectsCp932Bytes) {
    EXPECT_TRUE(is_valid_utf8("注文番号"));
    EXPECT_FALSE(is_valid_utf8(to_cp932("注文番号")));
    EXPECT_EQ(find_invalid_utf8("ab\xC0\x80"), 2u);  // overlong NUL
    EXPECT_EQ(find_invalid_utf8("\xED\xA0\x80"), 0u);  // surrogate
    EXPECT_EQ(find_invalid_utf8("ok\xE3\x81"), 2u);  // truncated sequence
}

TEST(Cp932Decoder, DecodesWindowsExtensionsAndHalfWidthKana) {
    TextDecoder d("windows-31j");
    std::string out;
    d.decode(to_cp932("①㈱～ﾁｰﾌ"), out);
    EXPECT_EQ(out, "①㈱～ﾁｰﾌ");
}

TEST(Cp932Decoder, KeepsTrailByte0x5CAsPartOfTheCharacter) {
    // ソ is 0x83 0x5C and 表 is 0x95 0x5C: the 0x5C is no backslash.
    EXPECT_EQ(to_cp932("ソ表"), std::string("\x83\x5C\x95\x5C"));
    TextDecoder d("windows-31j");
    std::string out;
    d.decode("\x83\x5C\x95\x5C\\", out);
    EXPECT_EQ(out, "ソ表\\");
}

TEST(Cp932Decoder, ReportsTheOffsetOfAnUndecodableByte) {
    TextDecoder d("windows-31j");
    std::string out;
    try {
        d.decode(std::string("abc\x81\x20", 5), out);
        FAIL() << "expected a DecodeError";
    } catch (const DecodeError& e) {
        EXPECT_EQ(e.offset(), 3u);
        EXPECT_NE(e.bytes().find("0x81"), std::string::npos);
    }
}

TEST(TextLines, DetectsCp932AndSplitsRawLinesBeforeDecoding) {
    TempDir dir;
    write_file(dir / "a.txt", to_cp932("id\tname\n1\tソ表\\x\n2\t①\n"));
    Encoding e;
    const auto lines = read_all(dir / "a.txt", &e);
    EXPECT_EQ(e, Encoding::cp932);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[1], "1\tソ表\\x");
    EXPECT_EQ(lines[2], "2\t①");
}

TEST(TextLines, HandlesUtf8BomCrlfAndAMissingFinalNewline) {
    TempDir dir;
    write_file(dir / "a.txt", "\xEF\xBB\xBFid\tname\r\n1\t注文\r\n2\tlast");
    Encoding e;
    const auto lines = read_all(dir / "a.txt", &e);
    EXPECT_EQ(e, Encoding::utf8_bom);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "id\tname");
    EXPECT_EQ(lines[1], "1\t注文");
    EXPECT_EQ(lines[2], "2\tlast");
}

TEST(TextLines, DecodesUtf16LittleEndianWithBom) {
    TempDir dir;
    write_file(dir / "a.txt", "\xFF\xFE" + fbtrack::test::to_utf16le("id\tname\r\n1\t注文\n"));
    Encoding e;
    const auto lines = read_all(dir / "a.txt", &e);
    EXPECT_EQ(e, Encoding::utf16le_bom);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[1], "1\t注文");
}

TEST(TextLines, NamesTheLineOfAByteThatIsNotUtf8) {
    TempDir dir;
    write_file(dir / "a.txt", "id\tname\n1\t注文\n2\t" + to_cp932("注文") + "\n");
    try {
        read_all(dir / "a.txt");
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("a.txt:3"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("UTF-8"), std::string::npos) << e.what();
    }
}

TEST(TextLines, RefusesDamagedAndForeignFilesByName) {
    TempDir dir;
    struct Case {
        std::string bytes, expected_words;
    };
    const std::vector<Case> cases = {
        {"", "empty file"},
        {std::string("PK\x03\x04rest", 8), "Excel workbook"},
        {std::string("id\tname\n1\tab\0c\n", 14), "NUL byte"},
        {fbtrack::test::to_utf16le("id\tname\n1\tabc\n"), "UTF-16 without a byte order mark"},
        {"id\tname\n1\t" + to_cp932("注文").substr(0, 3), "cut off in the middle of a character"},
    };
    for (const auto& c : cases) {
        write_file(dir / "bad.txt", c.bytes);
        try {
            read_all(dir / "bad.txt");
            ADD_FAILURE() << "no error for case '" << c.expected_words << "'";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(c.expected_words), std::string::npos) << e.what();
            EXPECT_EQ(e.code(), ExitCode::data);
        }
    }
}

TEST(LenientDecoder, ReplacesEachBadSequenceAndCarriesOn) {
    std::string out;
    EXPECT_EQ(decode_replacing("windows-31j", "abc\x81 def\x82", out), 2u);
    EXPECT_EQ(out, "abc\uFFFD def\uFFFD");
}

TEST(LenientDecoder, GivesUpOnceTheAllowanceIsSpent) {
    std::string out;
    EXPECT_GT(decode_replacing("UTF-8", "a\xff b\xff", out, 0), 0u);
    EXPECT_THROW(decode_replacing("x-klingon", "a", out), UnknownCharsetError);
}

TEST(LenientDecoder, KeepsSurrogatePairsWholeAcrossItsBuffer) {
    // Four-byte characters become surrogate pairs; some pair straddles the 8192-unit buffer.
    std::string text;
    for (int i = 0; i < 10'000; ++i) text += (i % 3 ? "🎅" : "x🎅");
    std::string out;
    EXPECT_EQ(decode_replacing("UTF-8", text, out), 0u);
    EXPECT_EQ(out, text);
}

TEST(Iso2022JpCleaner, WritesOneEscapePerChangeOfSet) {
    const CleanIso2022Jp clean = clean_iso2022jp("\x1b(B\x1b$B\x1b$B%F\x1b(B\x1b$B%9\x1b(B\x1b(Bok");
    EXPECT_EQ(clean.bytes, "\x1b$B%F%9\x1b(Bok");
    EXPECT_EQ(clean.bad_bytes, 0u);
}

TEST(Iso2022JpCleaner, MarksPictographsAndStrayBytes) {
    const CleanIso2022Jp clean = clean_iso2022jp("\x1b$B\x7c\x21%F\x1b(B\xa4\x1b$Za");
    EXPECT_EQ(clean.bytes, "\x1a\x1b$B%F\x1b(B\x1a\x1a$Za");
    EXPECT_EQ(clean.pictographs, 1u);
    EXPECT_EQ(clean.bad_bytes, 2u);
    EXPECT_EQ(clean.first_bad, 10u);  // the 0xA4
}

TEST(Iso2022JpCleaner, EndsEveryLineInAscii) {
    // A sender that forgot ESC ( B before the line break: the next line is ASCII again.
    EXPECT_EQ(clean_iso2022jp("\x1b$B%F\nok").bytes, "\x1b$B%F\x1b(B\nok");
}

TEST(TerminalText, ShowsWhatATerminalWouldActOnAsEscapes) {
    using fbtrack::for_terminal;
    EXPECT_EQ(for_terminal("注文 ok"), "注文 ok");
    EXPECT_EQ(for_terminal("a\x1b]52;c;SGVsbG8=\x07" "b"), "a\\e]52;c;SGVsbG8=\\x07b");
    EXPECT_EQ(for_terminal("x\x1b[2Jy\rz"), "x\\e[2Jy\\rz");
    EXPECT_EQ(for_terminal("\u202Eevil\u2066\u2028\u200B\uFEFF\xC2\x9B"), "\\u202Eevil\\u2066\\u2028\\u200B\\uFEFF\\u009B");
    EXPECT_EQ(for_terminal("bad \xFF\xE6\xB3 end"), "bad \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD end");  // one per byte
    EXPECT_EQ(for_terminal(std::string(100000, 'a'), 10), std::string(10, 'a') + "…");
}

// A draft is shown line by line: its line breaks stay, a CRLF template's ends of lines show as
// LF, and a CR anywhere else is shown, not obeyed.
TEST(TerminalText, ShowsTextOfSeveralLinesLineByLine) {
    using fbtrack::for_terminal_lines;
    EXPECT_EQ(for_terminal_lines("一行目\n\n三行目\n"), "一行目\n\n三行目\n");
    EXPECT_EQ(for_terminal_lines("no end"), "no end");
    EXPECT_EQ(for_terminal_lines("a\r\nb\x1b[2J\rc\n"), "a\nb\\e[2J\\rc\n");
    EXPECT_EQ(for_terminal_lines("\u202Eevil\n\r"), "\\u202Eevil\n\\r");
    EXPECT_EQ(for_terminal_lines(""), "");
}
