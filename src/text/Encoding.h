#pragma once
// Turning the bytes of an export into UTF-8. ICU does the converting: it decodes CP932 and the
// Windows flavour of ISO-2022-JP (① ㈱ half-width kana) correctly where glibc iconv does not.
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

struct UConverter;

namespace fbtrack {

enum class Encoding { unknown, utf8, utf8_bom, utf16le_bom, cp932 };

std::string_view encoding_name(Encoding e);

// Returns the offset of the first byte that breaks UTF-8, or npos when all of `text` is UTF-8.
std::size_t find_invalid_utf8(std::string_view text);
inline bool is_valid_utf8(std::string_view text) { return find_invalid_utf8(text) == std::string_view::npos; }
// One character of UTF-8 text: its code point and how many bytes it takes.
struct CodePoint {
    char32_t value = 0;
    std::size_t length = 1;
    bool valid = true;
};
// The character that begins at text[i] (i < text.size()), as ICU's U8_NEXT reads it: an
// ill-formed sequence is its maximal ill-formed part, read as U+FFFD and not valid, so one bad
// byte never swallows the text after it.
CodePoint code_point_at(std::string_view text, std::size_t i);
// Appends `cp` (a valid code point) in UTF-8.
void append_utf8(std::string& out, char32_t cp);

// The text with each byte that breaks UTF-8 replaced by U+FFFD: a file name from an old archive,
// kept readable and safe to print and store. Linear in the text.
std::string valid_utf8(std::string_view text);
// The length of `text` without the incomplete UTF-8 character a cut may have left at its end.
std::size_t whole_utf8_prefix(std::string_view text);
bool is_ascii(std::string_view text);
// For valid UTF-8: true when a character takes three or four bytes (lead byte 0xE0-0xF4), as
// every kana and kanji does.
bool has_long_utf8_sequence(std::string_view text);

class DecodeError : public std::runtime_error {
public:
    DecodeError(std::size_t offset, std::string bytes)
        : std::runtime_error("undecodable bytes"), offset_(offset), bytes_(std::move(bytes)) {}
    std::size_t offset() const { return offset_; }  // into the raw input
    const std::string& bytes() const { return bytes_; }  // the offending bytes as hex, "0x81 0x20"

private:
    std::size_t offset_;
    std::string bytes_;
};

class UnknownCharsetError : public std::runtime_error {
public:
    explicit UnknownCharsetError(const std::string& charset)
        : std::runtime_error("unknown character set '" + charset + "'"), charset_(charset) {}
    const std::string& charset() const { return charset_; }

private:
    std::string charset_;
};

// Maps a MIME charset label to the converter that decodes what senders really mean by it:
// mail labelled Shift_JIS routinely carries CP932's extra characters.
std::string icu_charset_for(std::string_view mime_charset);

// Decodes text in one charset (an ICU converter name such as "windows-31j", "ISO-2022-JP",
// "UTF-16LE") to UTF-8. Stops at the first undecodable byte rather than substituting, so that
// nothing is changed silently.
class TextDecoder {
public:
    explicit TextDecoder(const std::string& charset);
    ~TextDecoder();
    TextDecoder(const TextDecoder&) = delete;
    TextDecoder& operator=(const TextDecoder&) = delete;

    // Appends the UTF-8 form of `raw` to `out`.
    void decode(std::string_view raw, std::string& out);
    const std::string& charset() const { return charset_; }

private:
    std::string charset_;
    UConverter* converter_;  // owned; ICU's C handle, closed in the destructor
    std::u16string pivot_;
};

std::string hex_bytes(std::string_view bytes);

// Decodes `raw` in `charset` (an ICU converter name) and appends the UTF-8 to `out`, each
// undecodable sequence becoming U+FFFD. Returns how many were replaced, and gives up (leaving
// `out` partly written) as soon as that exceeds `max_replacements`: 0 makes it a strict test.
// Works through a fixed-size buffer, so memory grows with the output only. Throws
// UnknownCharsetError for a charset ICU does not know.
std::size_t decode_replacing(const std::string& charset, std::string_view raw, std::string& out,
                             std::size_t max_replacements = static_cast<std::size_t>(-1));

}  // namespace fbtrack
