#include "text/Mime.h"

#include "text/Encoding.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/QuotedPrintableDecoder.h>
#include <Poco/UTF8Encoding.h>

#include <cctype>
#include <sstream>

namespace fbtrack {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string base64_decode(std::string_view text) {
    std::istringstream in{std::string(text)};
    Poco::Base64Decoder decoder(in);
    std::string out;
    try {
        char c;
        while (decoder.get(c)) out.push_back(c);
    } catch (const Poco::Exception& e) {
        throw MimeError("invalid base64 (" + e.displayText() + ")");
    }
    return out;
}

// RFC 2047 "Q": like quoted-printable, with '_' for a space.
std::string q_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '_') {
            out.push_back(' ');
        } else if (text[i] == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

struct EncodedWord {
    std::size_t begin = 0, end = 0;  // [begin, end) in the raw text
    std::string charset, bytes;
};

bool parse_encoded_word(std::string_view raw, std::size_t at, EncodedWord& word) {
    if (raw.compare(at, 2, "=?") != 0) return false;
    const std::size_t q1 = raw.find('?', at + 2);
    if (q1 == std::string_view::npos || q1 + 2 >= raw.size() || raw[q1 + 2] != '?') return false;
    const char encoding = static_cast<char>(std::toupper(static_cast<unsigned char>(raw[q1 + 1])));
    if (encoding != 'B' && encoding != 'Q') return false;
    const std::size_t end = raw.find("?=", q1 + 3);
    if (end == std::string_view::npos) return false;
    std::string charset(raw.substr(at + 2, q1 - at - 2));
    if (const auto star = charset.find('*'); star != std::string::npos) charset.resize(star);  // RFC 2231 language
    const auto payload = raw.substr(q1 + 3, end - q1 - 3);
    if (payload.find_first_of(" \t\r\n") != std::string_view::npos) return false;
    word.begin = at;
    word.end = end + 2;
    word.charset = charset;
    word.bytes = encoding == 'B' ? base64_decode(payload) : q_decode(payload);
    return true;
}

}  // namespace

std::string charset_to_utf8(std::string_view bytes, std::string_view charset) {
    const std::string icu_name = icu_charset_for(charset);
    if (icu_name == "UTF-8" || lower(icu_name) == "utf-8" || lower(icu_name) == "utf8") {
        if (is_valid_utf8(bytes)) return std::string(bytes);
        // Mail that claims UTF-8 or ASCII but is not: say so rather than store mojibake.
        if (lower(charset) == "utf-8" || lower(charset) == "utf8")
            throw MimeError("text declared as UTF-8 is not valid UTF-8 (bytes " +
                            hex_bytes(bytes.substr(find_invalid_utf8(bytes), 2)) + ")");
        throw MimeError("text declared as " + std::string(charset.empty() ? "US-ASCII" : charset) +
                        " holds 8-bit bytes (" + hex_bytes(bytes.substr(find_invalid_utf8(bytes), 2)) + ")");
    }
    try {
        TextDecoder decoder(icu_name);
        std::string out;
        decoder.decode(bytes, out);
        return out;
    } catch (const UnknownCharsetError&) {
        throw MimeError("unknown charset '" + std::string(charset) + "'");
    } catch (const DecodeError& e) {
        throw MimeError("bytes " + e.bytes() + " are not valid " + std::string(charset));
    }
}

std::string decode_encoded_words(std::string_view raw) {
    std::string out;
    std::size_t pos = 0;
    while (pos < raw.size()) {
        const std::size_t start = raw.find("=?", pos);
        EncodedWord word;
        if (start == std::string_view::npos) {
            out.append(raw.substr(pos));
            break;
        }
        if (!parse_encoded_word(raw, start, word)) {
            out.append(raw.substr(pos, start + 2 - pos));
            pos = start + 2;
            continue;
        }
        out.append(raw.substr(pos, start - pos));
        // Gather the run of adjacent words (only whitespace between them) in one charset.
        std::string bytes = word.bytes;
        std::string charset = word.charset;
        std::size_t end = word.end;
        for (;;) {
            std::size_t next = end;
            while (next < raw.size() && (raw[next] == ' ' || raw[next] == '\t' || raw[next] == '\r' || raw[next] == '\n'))
                ++next;
            EncodedWord following;
            if (next >= raw.size() || !parse_encoded_word(raw, next, following)) break;
            if (lower(following.charset) != lower(charset)) {
                out += charset_to_utf8(bytes, charset);
                bytes.clear();
                charset = following.charset;
            }
            bytes += following.bytes;
            end = following.end;
        }
        out += charset_to_utf8(bytes, charset);
        pos = end;
    }
    return out;
}

// Interim forms (the text layer's real-inbox work replaces them): the strict decoders, with a
// replacement when they refuse.
DecodedText decode_mail_text(std::string_view bytes, std::string_view charset_label) {
    try {
        return {charset_to_utf8(bytes, charset_label), false, {}};
    } catch (const MimeError& e) {
        return {std::string("\xEF\xBF\xBD"), true, e.what()};
    }
}

DecodedText decode_mail_header(std::string_view raw) {
    try {
        return {decode_encoded_words(raw), false, {}};
    } catch (const MimeError& e) {
        return {std::string("\xEF\xBF\xBD"), true, e.what()};
    }
}

std::string decode_transfer_encoding(std::string_view body, std::string_view encoding) {
    const std::string e = lower(encoding);
    if (e == "base64") return base64_decode(body);
    if (e == "quoted-printable") {
        std::istringstream in{std::string(body)};
        Poco::Net::QuotedPrintableDecoder decoder(in);
        std::string out;
        char c;
        while (decoder.get(c)) out.push_back(c);
        return out;
    }
    return std::string(body);
}

namespace {

void append_code_point(std::string& out, unsigned long cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    unsigned char buf[4];
    Poco::UTF8Encoding utf8;
    const int n = utf8.convert(static_cast<int>(cp), buf, 4);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// Decodes one entity starting at '&'; returns the characters consumed (0 when it is none).
std::size_t decode_entity(std::string_view s, std::size_t at, std::string& out) {
    const std::size_t semi = s.find(';', at);
    if (semi == std::string_view::npos || semi - at > 10) return 0;
    const std::string name(s.substr(at + 1, semi - at - 1));
    if (name.size() > 1 && name[0] == '#') {
        try {
            const bool hex = name[1] == 'x' || name[1] == 'X';
            const unsigned long cp = std::stoul(name.substr(hex ? 2 : 1), nullptr, hex ? 16 : 10);
            append_code_point(out, cp);
            return semi - at + 1;
        } catch (const std::exception&) {
            return 0;
        }
    }
    static const std::pair<const char*, const char*> named[] = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}, {"yen", "¥"},
        {"copy", "©"}, {"hellip", "…"}, {"ndash", "–"}, {"mdash", "—"}};
    for (const auto& [n, text] : named)
        if (name == n) {
            out += text;
            return semi - at + 1;
        }
    return 0;
}

}  // namespace

std::string html_to_text(std::string_view html) {
    std::string out;
    std::size_t i = 0;
    while (i < html.size()) {
        const char c = html[i];
        if (c == '<') {
            const std::size_t close = html.find('>', i);
            if (close == std::string_view::npos) break;
            std::string tag = lower(html.substr(i + 1, close - i - 1));
            const std::string name = tag.substr(0, tag.find_first_of(" \t\r\n/>", tag[0] == '/' ? 1 : 0));
            if (name == "script" || name == "style" || name == "head") {
                const std::size_t end = lower(html.substr(close)).find("</" + name);
                i = end == std::string::npos ? html.size() : close + end;
                i = html.find('>', i);
                i = i == std::string_view::npos ? html.size() : i + 1;
                continue;
            }
            if (name.rfind("!--", 0) == 0) {
                const std::size_t end = html.find("-->", i);
                i = end == std::string_view::npos ? html.size() : end + 3;
                continue;
            }
            if (name == "br" || name == "/p" || name == "/div" || name == "/tr" || name == "/li" || name == "p" ||
                name == "/h1" || name == "/h2" || name == "/h3" || name == "/table")
                out.push_back('\n');
            i = close + 1;
        } else if (c == '&') {
            const std::size_t used = decode_entity(html, i, out);
            if (used == 0) out.push_back('&');
            i += used ? used : 1;
        } else if (c == '\r') {
            ++i;
        } else {
            out.push_back(c);
            ++i;
        }
    }
    // Fold the blank lines that markup leaves behind.
    std::string folded;
    int newlines = 0;
    for (char ch : out) {
        if (ch == '\n') {
            if (++newlines > 2) continue;
        } else if (ch != ' ' && ch != '\t') {
            newlines = 0;
        }
        folded.push_back(ch);
    }
    return folded;
}

}  // namespace fbtrack
