#include "text/Encoding.h"

#include "core/Errors.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <cstdio>
#include <memory>

namespace fbtrack {

std::string_view encoding_name(Encoding e) {
    switch (e) {
        case Encoding::utf8: return "UTF-8";
        case Encoding::utf8_bom: return "UTF-8 (BOM)";
        case Encoding::utf16le_bom: return "UTF-16LE (BOM)";
        case Encoding::cp932: return "CP932";
        case Encoding::unknown: break;
    }
    return "ASCII";
}

CodePoint code_point_at(std::string_view text, std::size_t i) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    auto at = static_cast<int32_t>(i);
    UChar32 c = 0;
    U8_NEXT(bytes, at, length, c);
    const auto used = static_cast<std::size_t>(at) - i;
    if (c < 0) return {0xFFFD, used, false};
    return {static_cast<char32_t>(c), used, true};
}

void append_utf8(std::string& out, char32_t cp) {
    uint8_t buffer[U8_MAX_LENGTH];
    int32_t length = 0;
    U8_APPEND_UNSAFE(buffer, length, static_cast<UChar32>(cp));
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
}

std::string valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t bad; (bad = find_invalid_utf8(text)) != std::string_view::npos; text.remove_prefix(bad + 1)) {
        out.append(text.substr(0, bad));
        out += "\xEF\xBF\xBD";
    }
    out.append(text);
    return out;
}

bool is_ascii(std::string_view text) {
    for (unsigned char c : text)
        if (c >= 0x80) return false;
    return true;
}

bool has_long_utf8_sequence(std::string_view text) {
    for (unsigned char c : text)
        if (c >= 0xE0 && c <= 0xF4) return true;
    return false;
}

std::size_t find_invalid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned int cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return std::string_view::npos;
}

std::string hex_bytes(std::string_view bytes) {
    std::string out;
    char buf[8];
    for (unsigned char c : bytes) {
        std::snprintf(buf, sizeof buf, "%s0x%02X", out.empty() ? "" : " ", c);
        out += buf;
    }
    return out;
}

std::string icu_charset_for(std::string_view mime_charset) {
    std::string lower;
    for (char c : mime_charset) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    if (lower == "shift_jis" || lower == "shift-jis" || lower == "sjis" || lower == "x-sjis" || lower == "cp932" ||
        lower == "ms932" || lower == "windows-31j" || lower == "x-ms-cp932")
        return "windows-31j";
    if (lower == "iso-2022-jp" || lower == "csiso2022jp" || lower == "iso-2022-jp-ms" || lower == "cp50220" ||
        lower == "cp50221" || lower == "iso-2022-jp-3")
        return "ISO-2022-JP";  // ICU's decoder also takes the NEC and IBM rows and half-width kana
    if (lower.empty() || lower == "us-ascii" || lower == "ascii") return "UTF-8";  // a superset, and forgiving
    return std::string(mime_charset);
}

TextDecoder::TextDecoder(const std::string& charset) : charset_(charset), converter_(nullptr) {
    UErrorCode status = U_ZERO_ERROR;
    converter_ = ucnv_open(charset.c_str(), &status);
    if (U_FAILURE(status) || !converter_) throw UnknownCharsetError(charset);
    status = U_ZERO_ERROR;
    ucnv_setToUCallBack(converter_, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
}

TextDecoder::~TextDecoder() { ucnv_close(converter_); }

void TextDecoder::decode(std::string_view raw, std::string& out) {
    ucnv_reset(converter_);
    // A byte never decodes to more than two UTF-16 units in the charsets we meet.
    pivot_.resize(raw.size() * 2 + 16);
    const char* source = raw.data();
    UChar* target = pivot_.data();
    UErrorCode status = U_ZERO_ERROR;
    ucnv_toUnicode(converter_, &target, target + pivot_.size(), &source, raw.data() + raw.size(),
                   nullptr, true, &status);
    if (U_FAILURE(status)) {
        char invalid[32];
        int8_t invalid_len = sizeof invalid;
        UErrorCode ignore = U_ZERO_ERROR;
        ucnv_getInvalidChars(converter_, invalid, &invalid_len, &ignore);
        const std::size_t end = static_cast<std::size_t>(source - raw.data());
        const std::size_t bad = end >= static_cast<std::size_t>(invalid_len) ? end - invalid_len : 0;
        throw DecodeError(bad, hex_bytes(std::string_view(invalid, static_cast<std::size_t>(invalid_len))));
    }
    const int32_t units = static_cast<int32_t>(target - pivot_.data());
    int32_t needed = 0;
    status = U_ZERO_ERROR;
    const std::size_t base = out.size();
    out.resize(base + static_cast<std::size_t>(units) * 3);
    u_strToUTF8(out.data() + base, static_cast<int32_t>(out.size() - base), &needed, pivot_.data(),
                units, &status);
    if (U_FAILURE(status)) throw DecodeError(0, "(unpaired surrogate)");
    out.resize(base + static_cast<std::size_t>(needed));
}

std::size_t decode_replacing(const std::string& charset, std::string_view raw, std::string& out,
                             std::size_t max_replacements) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, void (*)(UConverter*)> converter(ucnv_open(charset.c_str(), &status), ucnv_close);
    if (U_FAILURE(status) || !converter) throw UnknownCharsetError(charset);
    status = U_ZERO_ERROR;
    // Stop at each bad sequence so that we count it, then carry on after it.
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);

    constexpr int32_t kUnits = 8192;
    UChar pivot[kUnits];
    std::size_t replaced = 0;
    int32_t carried = 0;  // a lead surrogate held back from the previous piece
    const char* source = raw.data();
    const char* const end = raw.data() + raw.size();
    auto flush = [&](int32_t units) {
        const std::size_t base = out.size();
        out.resize(base + static_cast<std::size_t>(units) * 3);
        int32_t written = 0;
        UErrorCode s = U_ZERO_ERROR;
        u_strToUTF8WithSub(out.data() + base, static_cast<int32_t>(out.size() - base), &written, pivot, units,
                           0xFFFD, nullptr, &s);
        out.resize(base + static_cast<std::size_t>(U_SUCCESS(s) ? written : 0));
    };
    for (;;) {
        UChar* target = pivot + carried;
        const char* before = source;
        status = U_ZERO_ERROR;
        ucnv_toUnicode(converter.get(), &target, pivot + kUnits, &source, end, nullptr, true, &status);
        auto units = static_cast<int32_t>(target - pivot);
        carried = 0;
        const bool more_room_needed = status == U_BUFFER_OVERFLOW_ERROR;
        if (more_room_needed && units > 0 && U16_IS_LEAD(pivot[units - 1])) carried = 1;
        flush(units - carried);
        if (carried) pivot[0] = pivot[units - 1];
        if (more_room_needed) continue;
        if (U_SUCCESS(status)) break;
        if (++replaced > max_replacements) break;
        out += "\xEF\xBF\xBD";
        // ICU consumes the bad bytes before stopping; should it ever not, skip one byte rather
        // than loop for ever.
        if (source == before) {
            if (source == end) break;
            ++source;
        }
    }
    return replaced;
}

std::size_t whole_utf8_prefix(std::string_view text) {
    std::size_t continuation = 0;
    while (continuation < 3 && continuation < text.size() &&
           (static_cast<unsigned char>(text[text.size() - 1 - continuation]) & 0xC0) == 0x80)
        ++continuation;
    if (continuation == text.size()) return text.size();
    const auto lead = static_cast<unsigned char>(text[text.size() - 1 - continuation]);
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return lead >= 0xC0 && length > continuation + 1 ? text.size() - 1 - continuation : text.size();
}

}  // namespace fbtrack
