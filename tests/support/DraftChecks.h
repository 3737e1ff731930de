#pragma once
// What the tests hold every draft and every output to, written once: the fuzz targets (which
// link no test support) and the test suite include it alike. Deliberately not the program's own
// is_invisible: an oracle of its own, so that a mistake there cannot hide here.
#include <cstddef>
#include <cstdio>
#include <string>

namespace fbtrack::test {

// A character that would hide text or break a line where a seller reads or pastes it: C0 and C1
// controls but the line feed, bidi controls and marks, zero-width characters, line and paragraph
// separators, the BOM and noncharacters.
inline bool hides_text(char32_t cp) {
    return (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
           cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
           cp == 0xFFFE || cp == 0xFFFF;
}

// The code point of the UTF-8 sequence at text[i] and its length, or length 0 where the bytes
// are not UTF-8.
inline std::size_t decode(const std::string& text, std::size_t i, char32_t& cp) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > text.size()) return 0;
    cp = len == 1 ? b : b & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(text[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    return len;
}

// The first character in `text` that hides_text, or bytes that are not UTF-8, said with where it
// is; empty when there is none.
inline std::string first_hidden(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        const std::size_t len = decode(text, i, cp);
        if (len == 0) return "a byte that is not UTF-8 at " + std::to_string(i);
        if (hides_text(cp)) {
            char code[16];
            std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
            return std::string(code) + " at byte " + std::to_string(i);
        }
        i += len;
    }
    return {};
}

inline std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
    return n;
}

// How a draft in `lang` opens its quote of the buyer's comment, and closes it.
inline std::string quote_opening(const std::string& lang) { return lang == "ja" ? "評価のコメント：「" : "Comment: \""; }
inline std::string quote_closing(const std::string& lang) { return lang == "ja" ? "」" : "\""; }

// What is wrong with the line of a draft that quotes the comment, or empty when nothing is: it
// must end with the draft's closing mark and hold only the draft's own pair of quotation marks.
inline std::string quote_line_problem(const std::string& line, const std::string& lang) {
    const std::string close = quote_closing(lang);
    if (line.size() < close.size() || line.compare(line.size() - close.size(), close.size(), close) != 0)
        return "the quote does not end its line: " + line;
    const bool one_pair = lang == "ja" ? occurrences(line, "「") == 1 && occurrences(line, "」") == 1 : occurrences(line, "\"") == 2;
    return one_pair ? std::string() : "a third quotation mark could end the quote early: " + line;
}

}  // namespace fbtrack::test
