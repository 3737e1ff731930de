#include "text/TerminalText.h"

#include "text/Encoding.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cstdio>

namespace fbtrack {

namespace {

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
    else if (c <= 0xFFFF) std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
    else std::snprintf(buf, sizeof buf, "\\U%08X", static_cast<unsigned>(c));  // \uE0041 would read as U+E004 and "1"
    return buf;
}

}  // namespace

bool is_invisible(char32_t c) {
    if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return true;
    if (c < 0xA0) return false;  // the rest of ASCII: the fast path of every text
    const auto cp = static_cast<UChar32>(c);
    const auto type = u_charType(cp);
    return type == U_FORMAT_CHAR || type == U_CONTROL_CHAR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR ||
           type == U_UNASSIGNED || type == U_PRIVATE_USE_CHAR || type == U_SURROGATE ||
           u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
           c == 0x2800 || c == 0x1D159;  // braille blank, musical null notehead: shown as nothing, yet no space to Unicode
}

bool is_variation_selector(char32_t c) { return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF); }

std::string escape_invisible_in_json(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size();) {
        // ASCII below DEL is never escaped here (C0 controls are JSON's own): copied a run at a time.
        if (static_cast<unsigned char>(json[i]) < 0x7F) {
            std::size_t end = i + 1;
            while (end < json.size() && static_cast<unsigned char>(json[end]) < 0x7F) ++end;
            out.append(json.substr(i, end - i));
            i = end;
            continue;
        }
        const CodePoint read = code_point_at(json, i);
        const std::size_t len = read.length;
        if (!read.valid) {  // one per bad byte
            out += "\\uFFFD";
            ++i;
            continue;
        }
        const char32_t c = read.value;
        // JSON itself escapes C0 controls inside strings, and nothing else can be invisible
        // outside them: every invisible character left is inside a string.
        if (c >= 0x20 && is_invisible(c)) {
            char buf[16];
            if (c > 0xFFFF) {  // as a UTF-16 surrogate pair, as JSON spells characters beyond the BMP
                const auto v = static_cast<unsigned>(c - 0x10000);
                std::snprintf(buf, sizeof buf, "\\u%04X\\u%04X", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
            } else {
                std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
            }
            out += buf;
        } else {
            out.append(json.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::string for_terminal(std::string_view text, std::size_t limit) {
    std::string out;
    out.reserve(std::min(text.size(), limit) + 8);
    std::size_t i = 0;
    while (i < text.size()) {
        if (out.size() >= limit) {
            out += "…";
            break;
        }
        const CodePoint read = code_point_at(text, i);
        const std::size_t len = read.length;
        if (!read.valid) {
            out += "\xEF\xBF\xBD";  // U+FFFD, one per bad byte
            ++i;
            continue;
        }
        const char32_t c = read.value;
        if (is_invisible(c)) out += escape_of(c);
        else out.append(text.substr(i, len));
        i += len;
    }
    return out;
}

std::string for_terminal_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t from = 0; from < text.size();) {
        const std::size_t at = std::min(text.find('\n', from), text.size());
        std::string_view line = text.substr(from, at - from);
        if (at < text.size() && !line.empty() && line.back() == '\r') line.remove_suffix(1);
        out += for_terminal(line);
        if (at < text.size()) out += '\n';
        from = at + 1;
    }
    return out;
}

}  // namespace fbtrack
