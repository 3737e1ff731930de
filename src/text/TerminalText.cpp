#include "text/TerminalText.h"

#include "text/Encoding.h"

#include <cstdio>

namespace fbtrack {

namespace {

// The code point of the valid UTF-8 sequence at `s[i]` of `len` bytes.
char32_t code_point(std::string_view s, std::size_t i, std::size_t len) {
    const auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
    if (len == 1) return b(0);
    if (len == 2) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    if (len == 3) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

bool invisible_format(char32_t c) {
    return (c >= 0x200B && c <= 0x200F) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x061C || c == 0xFEFF;
}

std::string escape_of(char32_t c) {
    switch (c) {
        case 0x1B: return "\\e";
        case '\r': return "\\r";
        case '\n': return "\\n";
        case '\t': return "\\t";
        default: break;
    }
    char buf[12];
    if (c < 0x80) std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
    else std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
    return buf;
}

}  // namespace

std::string for_terminal(std::string_view text, std::size_t limit) {
    std::string out;
    out.reserve(std::min(text.size(), limit) + 8);
    std::size_t i = 0;
    while (i < text.size()) {
        if (out.size() >= limit) {
            out += "…";
            break;
        }
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        if (len > 1 && (i + len > text.size() || !is_valid_utf8(text.substr(i, len)))) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
            continue;
        }
        const char32_t c = code_point(text, i, len);
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || invisible_format(c)) out += escape_of(c);
        else out.append(text.substr(i, len));
        i += len;
    }
    return out;
}

}  // namespace fbtrack
