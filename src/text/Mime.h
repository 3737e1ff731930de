#pragma once
// The text-level parts of MIME: encoded words in headers (RFC 2047), transfer encodings,
// charsets and HTML bodies, all ending as UTF-8.
#include <stdexcept>
#include <string>
#include <string_view>

namespace fbtrack {

class MimeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "=?ISO-2022-JP?B?...?= =?ISO-2022-JP?B?...?=" → UTF-8. Adjacent encoded words are joined
// without the whitespace between them, and their bytes are decoded together, so a word split in
// the middle of a character or an order ID comes out whole.
std::string decode_encoded_words(std::string_view raw);

// Content-Transfer-Encoding: base64, quoted-printable, or 7bit/8bit/binary (as is).
std::string decode_transfer_encoding(std::string_view body, std::string_view encoding);

// Bytes in a MIME charset → UTF-8 (throws MimeError naming the charset or the bad bytes).
std::string charset_to_utf8(std::string_view bytes, std::string_view charset);

// Mail text decoded as mail clients do it: never refused. A label that lies (Latin-1 under
// utf-8, EUC-JP under iso-2022-jp, no label on 8-bit bytes) is decoded by detection (UTF-8,
// CP932, EUC-JP), else with U+FFFD for what cannot be read; `repaired` says so and `note` how.
// The text is always valid UTF-8 and holds no ESC bytes.
struct DecodedText {
    std::string text;
    bool repaired = false;
    std::string note;  // "declared utf-8, decoded as CP932", "3 bytes replaced by U+FFFD", ...
};
DecodedText decode_mail_text(std::string_view bytes, std::string_view charset_label);
// A header value: RFC 2047 encoded words (each word decoded on its own where a stateful
// charset such as ISO-2022-JP needs it) and raw 8-bit text (CP932, UTF-8, ISO-2022-JP escapes).
DecodedText decode_mail_header(std::string_view raw);

// A readable plain-text rendering of an HTML body: no tags, scripts or styles; entities decoded;
// <br>, </p>, </div>, </tr> and </li> become line breaks.
std::string html_to_text(std::string_view html);

}  // namespace fbtrack
