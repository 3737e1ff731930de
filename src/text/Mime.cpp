#include "text/Mime.h"

#include "text/Encoding.h"
#include "text/Iso2022Jp.h"

#include <Poco/Exception.h>
#include <Poco/Net/QuotedPrintableDecoder.h>
#include <Poco/UTF8Encoding.h>

#include <cctype>
#include <sstream>
#include <utility>
#include <vector>

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

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Base64 in one loop for both uses. Strict (the "B" of an encoded word, forgiving only missing
// padding as mail clients do): stops at '=' and is false on a character outside the alphabet, so
// that the word is shown as the text it is. Lenient (a broken body part): decodes what can be
// decoded, skips what is not base64, takes the URL-safe '-' and '_' that some mailers write, and
// lets '=' end a group and go on (mailers that join separately encoded chunks pad in the middle).
bool base64_bytes(std::string_view text, bool lenient, std::string& out) {
    unsigned int buffer = 0;
    int bits = 0;
    for (const char c : text) {
        if (c == '=') {
            if (!lenient) break;
            buffer = 0;
            bits = 0;
            continue;
        }
        const int v = lenient && c == '-' ? 62 : lenient && c == '_' ? 63 : base64_value(c);
        if (v < 0) {
            if (!lenient) return false;
            continue;
        }
        buffer = ((buffer << 6) | static_cast<unsigned int>(v)) & 0xFFFFFFu;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return true;
}

// A body part's base64 as RFC 2045 writes it: the alphabet in lines, '=' padding only at the end.
// Anything else is refused by name, so that the lenient reader can say the part was broken
// (Poco's stream decoder turned padding in the middle into wrong bytes without a word).
std::string base64_decode(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    const std::size_t padding = std::min(text.find('='), text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (blank(c) || (i < padding && base64_value(c) >= 0) || (i >= padding && c == '=')) continue;
        throw MimeError(std::string("invalid base64 (") + (i >= padding ? "padding before the end" : "byte " + hex_bytes(text.substr(i, 1))) + ")");
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
    base64_bytes(text.substr(0, padding), true, out);  // checked above: only line breaks are skipped
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

// The first occurrence of `needle` (or, with any_of, of any of its characters) at or after a
// position, remembered: the positions asked about only grow while a header is walked, so that a
// header of many "=?" without "?=" is still read about once, not once per "=?".
class NextOf {
public:
    NextOf(std::string_view text, std::string_view needle, bool any_of) : text_(text), needle_(needle), any_of_(any_of) {}
    std::size_t from(std::size_t pos) {
        if (pos < asked_ || pos > found_) {
            found_ = any_of_ ? text_.find_first_of(needle_, pos) : text_.find(needle_, pos);
            asked_ = pos;
        }
        return found_;
    }

private:
    std::string_view text_, needle_;
    bool any_of_;
    std::size_t asked_ = std::string_view::npos, found_ = 0;
};

struct WordFinders {
    NextOf close, space;
    explicit WordFinders(std::string_view raw) : close(raw, "?=", false), space(raw, " \t\r\n", true) {}
};

bool parse_encoded_word(std::string_view raw, std::size_t at, EncodedWord& word, WordFinders& find) {
    if (raw.compare(at, 2, "=?") != 0) return false;
    const std::size_t q1 = raw.find_first_of("? \t\r\n", at + 2);
    if (q1 == std::string_view::npos || raw[q1] != '?' || q1 + 2 >= raw.size() || raw[q1 + 2] != '?') return false;
    const char encoding = static_cast<char>(std::toupper(static_cast<unsigned char>(raw[q1 + 1])));
    if (encoding != 'B' && encoding != 'Q') return false;
    const std::size_t end = find.close.from(q1 + 3);
    if (end == std::string_view::npos || find.space.from(q1 + 3) < end) return false;
    std::string charset(raw.substr(at + 2, q1 - at - 2));
    if (charset.find_first_of(" \t\r\n") != std::string::npos) return false;
    if (const auto star = charset.find('*'); star != std::string::npos) charset.resize(star);  // RFC 2231 language
    const auto payload = raw.substr(q1 + 3, end - q1 - 3);
    std::string bytes;
    if (encoding == 'B') {
        if (!base64_bytes(payload, false, bytes)) return false;
    } else {
        bytes = q_decode(payload);
    }
    word.begin = at;
    word.end = end + 2;
    word.charset = lower(charset);
    word.bytes = std::move(bytes);
    return true;
}

bool is_folding_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Calls text(piece) for the text between encoded words and words(run) for each run of adjacent
// words, grouped so that consecutive words in one charset come as one string of bytes: a word may
// end in the middle of a character, and ISO-2022-JP words joined this way are cleaned later.
template <typename Text, typename Words>
void walk_encoded_words(std::string_view raw, Text text, Words words) {
    std::size_t pos = 0;
    std::size_t search = 0;
    WordFinders find(raw);
    while (pos < raw.size()) {
        const std::size_t start = raw.find("=?", search);
        EncodedWord word;
        if (start == std::string_view::npos) break;
        if (!parse_encoded_word(raw, start, word, find)) {
            search = start + 2;
            continue;
        }
        if (start > pos) text(raw.substr(pos, start - pos));
        std::vector<std::pair<std::string, std::string>> groups{{word.charset, word.bytes}};
        std::size_t end = word.end;
        for (;;) {
            std::size_t next = end;
            while (next < raw.size() && is_folding_space(raw[next])) ++next;
            EncodedWord following;
            if (next >= raw.size() || !parse_encoded_word(raw, next, following, find)) break;
            if (following.charset == groups.back().first)
                groups.back().second += following.bytes;
            else
                groups.emplace_back(following.charset, std::move(following.bytes));
            end = following.end;
        }
        words(groups);
        pos = search = end;
    }
    if (pos < raw.size()) text(raw.substr(pos));
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n\"'");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n\"'");
    return std::string(s.substr(b, e - b + 1));
}

bool is_ascii_label(const std::string& l) {
    return l.empty() || l == "us-ascii" || l == "ascii" || l == "ansi_x3.4-1968" || l == "us" || l == "iso646-us";
}

// The labels browsers read as windows-1252 (WHATWG Encoding), ASCII's among them.
bool is_latin_label(const std::string& l) {
    return is_ascii_label(l) || l == "iso-8859-1" || l == "iso8859-1" || l == "iso_8859-1" || l == "latin1" ||
           l == "l1" || l == "cp819" || l == "ibm819" || l == "iso-ir-100" || l == "csisolatin1" ||
           l == "windows-1252" || l == "cp1252" || l == "x-cp1252";
}

// The converter a (lower-case) label stands for, as ICU names it.
std::string converter_for(const std::string& label) {
    if (is_ascii_label(label)) return "US-ASCII";
    if (is_latin_label(label)) return "windows-1252";
    if (label == "utf8") return "UTF-8";
    const std::string icu = icu_charset_for(label);
    if (icu == "ISO-2022-JP") return kIso2022JpConverter;
    return icu;
}

bool is_japanese_or_ascii_superset(const std::string& converter) {
    return converter == "US-ASCII" || converter == "windows-1252" || converter == "windows-31j" ||
           lower(converter) == "utf-8" || lower(converter) == "euc-jp";
}

std::string display_name(const std::string& converter) {
    if (converter == kIso2022JpConverter) return "ISO-2022-JP";
    if (converter == "windows-31j") return "CP932";
    if (lower(converter) == "utf-8") return "UTF-8";
    return converter;
}

struct Attempt {
    std::string text;
    std::size_t replaced = 0;     // undecodable sequences shown as U+FFFD
    std::size_t pictographs = 0;  // carrier pictographs shown as U+FFFD
    std::size_t controls = 0;     // NUL, ESC and SUB shown as U+FFFD
};

// Replaces NUL, ESC and SUB (the ISO-2022-JP cleaner's mark) with U+FFFD; returns how many.
std::size_t scrub_controls(std::string& text) {
    auto is_control = [](char c) { return c == '\0' || c == '\x1a' || c == '\x1b'; };
    std::size_t first = 0;
    while (first < text.size() && !is_control(text[first])) ++first;
    if (first == text.size()) return 0;
    std::string out;
    out.reserve(text.size() + 16);
    out.append(text, 0, first);
    std::size_t count = 0;
    for (std::size_t i = first; i < text.size(); ++i) {
        if (is_control(text[i])) {
            out += kReplacement;
            ++count;
        } else {
            out.push_back(text[i]);
        }
    }
    text = std::move(out);
    return count;
}

std::size_t scrub_user_defined(std::string& text);

// Decodes with `converter`, allowing at most `max` undecodable sequences; false when there were
// more. Throws UnknownCharsetError.
bool attempt(const std::string& converter, std::string_view bytes, std::size_t max, Attempt& a) {
    a = Attempt{};
    if (converter == kIso2022JpConverter) {
        const CleanIso2022Jp clean = clean_iso2022jp(bytes);
        if (clean.bad_bytes > max) return false;
        a.pictographs = clean.pictographs;
        a.replaced = clean.bad_bytes + decode_replacing(converter, clean.bytes, a.text, max - clean.bad_bytes);
        if (a.replaced > max) return false;
        // The cleaner's SUB marks are already counted above.
        a.controls = scrub_controls(a.text) - clean.bad_bytes - clean.pictographs;
        return true;
    }
    if (lower(converter) == "utf-8" && is_valid_utf8(bytes)) {
        a.text.assign(bytes);
    } else {
        a.replaced = decode_replacing(converter, bytes, a.text, max);
        if (a.replaced > max) return false;
    }
    a.controls = scrub_controls(a.text);
    if (converter == "windows-31j") a.pictographs = scrub_user_defined(a.text);
    return true;
}

// CP932's user-defined rows (lead bytes 0xF0-0xF9) are where docomo, au and SoftBank put their
// pictographs in Shift_JIS mail; ICU reads them as private-use U+E000-U+E757, which shows as
// nothing. They become U+FFFD, as in ISO-2022-JP; returns how many.
std::size_t scrub_user_defined(std::string& text) {
    // U+E000-U+E757 is EE 80 80 - EE 9D 97 in UTF-8.
    auto is_user_defined = [&](std::size_t i) {
        if (static_cast<unsigned char>(text[i]) != 0xEE || i + 2 >= text.size()) return false;
        const unsigned cp = 0xE000u | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                            (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
        return cp <= 0xE757;
    };
    std::size_t count = 0;
    std::string out;
    std::size_t copied = 0;
    for (std::size_t i = text.find('\xEE'); i != std::string::npos; i = text.find('\xEE', i + 1)) {
        if (!is_user_defined(i)) continue;
        if (count++ == 0) out.reserve(text.size());
        out.append(text, copied, i - copied);
        out += kReplacement;
        copied = i + 3;
        i += 2;
    }
    if (count == 0) return 0;
    out.append(text, copied, std::string::npos);
    text = std::move(out);
    return count;
}

std::size_t count_hiragana(std::string_view utf8) {
    std::size_t n = 0;
    for (std::size_t i = 0; i + 2 < utf8.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(utf8[i]);
        const auto b1 = static_cast<unsigned char>(utf8[i + 1]);
        const auto b2 = static_cast<unsigned char>(utf8[i + 2]);
        // U+3041-U+309F is E3 81 81 - E3 82 9F.
        if (b0 == 0xE3 && ((b1 == 0x81 && b2 >= 0x81) || (b1 == 0x82 && b2 <= 0x9F))) ++n;
    }
    return n;
}

// Whether a CP932 or EUC-JP reading is plausible: Latin-1 text read so puts a lone kanji between
// two ASCII letters ("Forma鈬o" for "Formação"), which Japanese text does not do.
bool looks_japanese(std::string_view utf8) {
    auto is_letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    for (std::size_t i = 1; i + 4 < utf8.size(); ++i) {
        const auto lead = static_cast<unsigned char>(utf8[i]);
        // A three-byte character (every kanji) with ASCII letters on both sides.
        if (lead >= 0xE0 && lead <= 0xEF && is_letter(utf8[i - 1]) && is_letter(utf8[i + 3])) return false;
    }
    return true;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

DecodedText finish(Attempt& a, std::string how) {
    DecodedText result;
    std::vector<std::string> notes;
    if (!how.empty()) notes.push_back(std::move(how));
    if (a.pictographs)
        notes.push_back(plural(a.pictographs, "carrier pictograph", "carrier pictographs") + " shown as U+FFFD");
    if (a.replaced)
        notes.push_back(plural(a.replaced, "undecodable byte sequence", "undecodable byte sequences") +
                        " replaced by U+FFFD");
    if (a.controls)
        notes.push_back(plural(a.controls, "control character (NUL, ESC or SUB)", "control characters (NUL, ESC or SUB)") +
                        " replaced by U+FFFD");
    result.text = std::move(a.text);
    result.repaired = !notes.empty();
    for (const auto& n : notes) result.note += (result.note.empty() ? "" : "; ") + n;
    return result;
}

// The lenient decoder behind decode_mail_text and the raw parts of decode_mail_header.
DecodedText decode_lenient(std::string_view bytes, std::string_view label, bool raw_header) {
    const std::string name = lower(trim(label));
    std::string converter = converter_for(name);
    std::string declared = raw_header ? "raw header text" : "declared " + (name.empty() ? "us-ascii" : name);
    // A long text may hold a few broken bytes (a cut-off last character, a stray byte) without
    // its charset being in doubt: one per 2,000 bytes is allowed, none in a short text.
    const std::size_t tolerance = bytes.size() / 2000;
    struct Candidate {
        Attempt a;
        std::string how;
        bool found = false;
    } best;
    // Tries a reading; keeps it when it needs fewer replacements than the best so far. True when
    // the best reading needs none, which ends the search.
    auto consider = [&](const std::string& as, std::string how) {
        if (best.found && best.a.replaced == 0) return true;
        Attempt a;
        if (!attempt(as, bytes, best.found ? best.a.replaced - 1 : tolerance, a)) return false;
        if ((as == "windows-31j" || as == "EUC-JP") && !looks_japanese(a.text)) return false;
        best = {std::move(a), std::move(how), true};
        return best.a.replaced == 0;
    };
    auto detected = [&](const std::string& as) { return declared + ", decoded as " + display_name(as); };

    // ISO-2022-JP escapes in text said to be ASCII, Latin, UTF-8 or 8-bit Japanese mean the label lies.
    const bool escapes = has_iso2022jp_escape(bytes);
    try {
        if (!(escapes && is_japanese_or_ascii_superset(converter)) && consider(converter, {}))
            return finish(best.a, {});
    } catch (const UnknownCharsetError&) {
        declared = "unknown charset '" + name + "'";
        converter.clear();
    }
    if (escapes && converter != kIso2022JpConverter && consider(kIso2022JpConverter, detected(kIso2022JpConverter)))
        return finish(best.a, best.how);
    // Seven-bit text with JIS escapes is ISO-2022-JP however broken: any 8-bit charset would read
    // it without a fault, and show the escapes.
    if (escapes && is_ascii(bytes)) {
        if (best.found) return finish(best.a, best.how);
        Attempt a;
        attempt(kIso2022JpConverter, bytes, static_cast<std::size_t>(-1), a);
        return finish(a, converter == kIso2022JpConverter ? std::string() : detected(kIso2022JpConverter));
    }
    if (lower(converter) != "utf-8" && consider("UTF-8", detected("UTF-8"))) return finish(best.a, best.how);
    if (converter != "windows-31j" && consider("windows-31j", detected("windows-31j"))) {
        // EUC-JP kana and kanji also read as CP932 half-width kana; Japanese prose in EUC-JP shows
        // its hiragana only when read as EUC-JP, while CP932 hiragana (lead 0x82) never reads as EUC-JP.
        Attempt euc;
        if (lower(converter) != "euc-jp" && attempt("EUC-JP", bytes, 0, euc) && looks_japanese(euc.text) &&
            count_hiragana(euc.text) > count_hiragana(best.a.text))
            return finish(euc, detected("EUC-JP"));
        return finish(best.a, best.how);
    }
    if (lower(converter) != "euc-jp" && consider("EUC-JP", detected("EUC-JP"))) return finish(best.a, best.how);
    if (best.found) return finish(best.a, best.how);

    const std::string fallback =
        converter.empty() ? "UTF-8" : (is_ascii_label(name) ? "windows-1252" : converter);
    Attempt a;
    attempt(fallback, bytes, static_cast<std::size_t>(-1), a);
    return finish(a, declared + ", read as " + display_name(fallback));
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
    if (icu_name == "ISO-2022-JP") {
        // Cleaned first: joined encoded words repeat escapes, which ICU refuses.
        const CleanIso2022Jp clean = clean_iso2022jp(bytes);
        if (clean.bad_bytes)
            throw MimeError("bytes " + hex_bytes(bytes.substr(clean.first_bad, 2)) + " are not valid " +
                            std::string(charset));
        std::string out;
        if (decode_replacing(kIso2022JpConverter, clean.bytes, out, 0) > 0)
            throw MimeError("text declared as " + std::string(charset) + " holds codes it does not define");
        scrub_controls(out);  // the pictographs' marks
        return out;
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
    walk_encoded_words(
        raw, [&](std::string_view text) { out.append(text); },
        [&](const std::vector<std::pair<std::string, std::string>>& groups) {
            for (const auto& [charset, bytes] : groups) out += charset_to_utf8(bytes, charset);
        });
    return out;
}

DecodedText decode_mail_text(std::string_view bytes, std::string_view charset_label) {
    return decode_lenient(bytes, charset_label, false);
}

DecodedText decode_mail_header(std::string_view raw) {
    // Unfolding (RFC 5322): the line breaks go, the spaces after them stay.
    std::string unfolded;
    unfolded.reserve(raw.size());
    for (const char c : raw)
        if (c != '\r' && c != '\n') unfolded.push_back(c);

    DecodedText result;
    auto add = [&](DecodedText&& part) {
        result.text += part.text;
        if (!part.repaired) return;
        result.repaired = true;
        if (!part.note.empty() && result.note.find(part.note) == std::string::npos)
            result.note += (result.note.empty() ? "" : "; ") + part.note;
    };
    walk_encoded_words(
        unfolded,
        [&](std::string_view text) {
            const bool clean = is_valid_utf8(text) && text.find_first_of(std::string_view("\0\x1a\x1b", 3)) ==
                                                          std::string_view::npos;
            // UTF-8 in a header is allowed (RFC 6532); anything else 8-bit is read by detection.
            if (clean)
                result.text.append(text);
            else
                add(decode_lenient(text, {}, true));
        },
        [&](const std::vector<std::pair<std::string, std::string>>& groups) {
            for (const auto& [charset, bytes] : groups) add(decode_lenient(bytes, charset, false));
        });
    return result;
}

namespace {

// "=XX" and soft line breaks; an '=' that is neither stays as it is.
std::string lenient_quoted_printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '=') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 < s.size() + 0 && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
            continue;
        }
        std::size_t j = i + 1;
        while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
        if (j < s.size() && (s[j] == '\r' || s[j] == '\n')) {
            i = (s[j] == '\r' && j + 1 < s.size() && s[j + 1] == '\n') ? j + 1 : j;
            continue;
        }
        if (j == s.size()) break;
        out.push_back('=');
    }
    return out;
}

}  // namespace

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

std::string decode_transfer_encoding_lenient(std::string_view body, std::string_view encoding, std::string& note) {
    note.clear();
    try {
        return decode_transfer_encoding(body, encoding);
    } catch (const std::exception& e) {  // MimeError, or a Poco::Exception from its decoders
        note = "broken " + std::string(encoding) + " decoded as far as it could be (" + e.what() + ")";
        if (lower(encoding) != "base64") return lenient_quoted_printable(body);
        std::string bytes;
        base64_bytes(body, true, bytes);
        return bytes;
    }
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
    // Entities are short: look no further, or a page of '&' without ';' costs quadratic time.
    const std::size_t semi = s.substr(at, 12).find(';');
    if (semi == std::string_view::npos || semi > 10) return 0;
    const std::string name(s.substr(at + 1, semi - 1));
    if (name.size() > 1 && name[0] == '#') {
        try {
            const bool hex = name[1] == 'x' || name[1] == 'X';
            const unsigned long cp = std::stoul(name.substr(hex ? 2 : 1), nullptr, hex ? 16 : 10);
            append_code_point(out, cp);
            return semi + 1;
        } catch (const std::exception&) {
            return 0;
        }
    }
    static const std::pair<const char*, const char*> named[] = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "},
        // Invisible direction and joining marks: nothing a seller needs to read, and bidi marks in
        // stored text can reorder what is shown beside them.
        {"lrm", ""}, {"rlm", ""}, {"zwnj", ""}, {"zwj", ""}};
    for (const auto& [n, text] : named)
        if (name == n) {
            out += text;
            return semi + 1;
        }
    // HTML 4's Latin-1 and typographic entities (HTML 4.01, section 24), as European newsletters write them.
    static const std::pair<const char*, unsigned long> by_code_point[] = {
        {"iexcl", 0xA1}, {"cent", 0xA2}, {"pound", 0xA3}, {"curren", 0xA4}, {"yen", 0xA5}, {"brvbar", 0xA6},
        {"sect", 0xA7}, {"uml", 0xA8}, {"copy", 0xA9}, {"ordf", 0xAA}, {"laquo", 0xAB}, {"not", 0xAC}, {"shy", 0xAD},
        {"reg", 0xAE}, {"macr", 0xAF}, {"deg", 0xB0}, {"plusmn", 0xB1}, {"sup2", 0xB2}, {"sup3", 0xB3},
        {"acute", 0xB4}, {"micro", 0xB5}, {"para", 0xB6}, {"middot", 0xB7}, {"cedil", 0xB8}, {"sup1", 0xB9},
        {"ordm", 0xBA}, {"raquo", 0xBB}, {"frac14", 0xBC}, {"frac12", 0xBD}, {"frac34", 0xBE}, {"iquest", 0xBF},
        {"Agrave", 0xC0}, {"Aacute", 0xC1}, {"Acirc", 0xC2}, {"Atilde", 0xC3}, {"Auml", 0xC4}, {"Aring", 0xC5},
        {"AElig", 0xC6}, {"Ccedil", 0xC7}, {"Egrave", 0xC8}, {"Eacute", 0xC9}, {"Ecirc", 0xCA}, {"Euml", 0xCB},
        {"Igrave", 0xCC}, {"Iacute", 0xCD}, {"Icirc", 0xCE}, {"Iuml", 0xCF}, {"ETH", 0xD0}, {"Ntilde", 0xD1},
        {"Ograve", 0xD2}, {"Oacute", 0xD3}, {"Ocirc", 0xD4}, {"Otilde", 0xD5}, {"Ouml", 0xD6}, {"times", 0xD7},
        {"Oslash", 0xD8}, {"Ugrave", 0xD9}, {"Uacute", 0xDA}, {"Ucirc", 0xDB}, {"Uuml", 0xDC}, {"Yacute", 0xDD},
        {"THORN", 0xDE}, {"szlig", 0xDF}, {"agrave", 0xE0}, {"aacute", 0xE1}, {"acirc", 0xE2}, {"atilde", 0xE3},
        {"auml", 0xE4}, {"aring", 0xE5}, {"aelig", 0xE6}, {"ccedil", 0xE7}, {"egrave", 0xE8}, {"eacute", 0xE9},
        {"ecirc", 0xEA}, {"euml", 0xEB}, {"igrave", 0xEC}, {"iacute", 0xED}, {"icirc", 0xEE}, {"iuml", 0xEF},
        {"eth", 0xF0}, {"ntilde", 0xF1}, {"ograve", 0xF2}, {"oacute", 0xF3}, {"ocirc", 0xF4}, {"otilde", 0xF5},
        {"ouml", 0xF6}, {"divide", 0xF7}, {"oslash", 0xF8}, {"ugrave", 0xF9}, {"uacute", 0xFA}, {"ucirc", 0xFB},
        {"uuml", 0xFC}, {"yacute", 0xFD}, {"thorn", 0xFE}, {"yuml", 0xFF}, {"OElig", 0x152}, {"oelig", 0x153},
        {"Scaron", 0x160}, {"scaron", 0x161}, {"Yuml", 0x178}, {"fnof", 0x192}, {"circ", 0x2C6}, {"tilde", 0x2DC},
        {"ensp", 0x2002}, {"emsp", 0x2003}, {"thinsp", 0x2009}, 
        {"ndash", 0x2013}, {"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
        {"sbquo", 0x201A}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bdquo", 0x201E}, {"dagger", 0x2020},
        {"Dagger", 0x2021}, {"bull", 0x2022}, {"hellip", 0x2026}, {"permil", 0x2030}, {"prime", 0x2032},
        {"Prime", 0x2033}, {"lsaquo", 0x2039}, {"rsaquo", 0x203A}, {"euro", 0x20AC}, {"trade", 0x2122},
        {"larr", 0x2190}, {"uarr", 0x2191}, {"rarr", 0x2192}, {"darr", 0x2193}, {"harr", 0x2194}, {"minus", 0x2212}};
    for (const auto& [n, cp] : by_code_point)
        if (name == n) {
            append_code_point(out, cp);
            return semi + 1;
        }
    return 0;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Finds `needle` (lower case, starting with a character that has no case) in `hay` from `from`,
// ignoring ASCII case, without copying anything.
std::size_t find_ignoring_case(std::string_view hay, std::string_view needle, std::size_t from) {
    for (std::size_t at = hay.find(needle[0], from); at != std::string_view::npos; at = hay.find(needle[0], at + 1)) {
        if (at + needle.size() > hay.size()) return std::string_view::npos;
        std::size_t k = 1;
        while (k < needle.size() && ascii_lower(hay[at + k]) == needle[k]) ++k;
        if (k == needle.size()) return at;
    }
    return std::string_view::npos;
}

}  // namespace

std::string html_to_text(std::string_view html) {
    std::string out;
    const std::size_t n = html.size();
    // Past this offset no '>' follows, so each later '<' is text without searching again.
    std::size_t no_close_after = n;
    std::size_t i = 0;
    while (i < n) {
        const char c = html[i];
        if (c == '<') {
            // As in browsers, only '<' before a letter, '/', '!' or '?' opens a tag: "a < b" is text.
            const char next = i + 1 < n ? html[i + 1] : ' ';
            const bool opens = is_ascii_letter(next) || next == '/' || next == '!' || next == '?';
            const std::size_t close = opens && i < no_close_after ? html.find('>', i) : std::string_view::npos;
            if (close == std::string_view::npos) {
                if (opens) no_close_after = i;
                out.push_back('<');
                ++i;
                continue;
            }
            if (html.compare(i, 4, "<!--") == 0) {
                const std::size_t end = html.find("-->", i + 4);
                i = end == std::string_view::npos ? n : end + 3;
                continue;
            }
            std::string name;
            for (std::size_t k = i + 1; k < close; ++k) {
                const char t = html[k];
                if (t == ' ' || t == '\t' || t == '\r' || t == '\n' || (t == '/' && k > i + 1)) break;
                name.push_back(ascii_lower(t));
            }
            // What a browser never shows in the page: also a <title> outside <head>.
            if (name == "script" || name == "style" || name == "head" || name == "title") {
                const std::size_t end = find_ignoring_case(html, "</" + name, close);
                i = end == std::string_view::npos ? n : end;
                i = html.find('>', i);
                i = i == std::string_view::npos ? n : i + 1;
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
