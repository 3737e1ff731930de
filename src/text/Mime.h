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
// the middle of a character or an order ID comes out whole (ISO-2022-JP words, each ending in
// ESC ( B, are cleaned of the repeated escapes first). Strict: throws MimeError for an unknown
// charset or bad bytes; a malformed word stays as text.
std::string decode_encoded_words(std::string_view raw);

// Content-Transfer-Encoding: base64, quoted-printable, or 7bit/8bit/binary (as is).
std::string decode_transfer_encoding(std::string_view body, std::string_view encoding);
// The same, but broken base64 or quoted-printable is decoded as far as it goes instead of refused;
// `note` then says what was broken (it is left empty when nothing was).
std::string decode_transfer_encoding_lenient(std::string_view body, std::string_view encoding, std::string& note);

// Bytes in a MIME charset → UTF-8 (throws MimeError naming the charset or the bad bytes).
std::string charset_to_utf8(std::string_view bytes, std::string_view charset);

// Mail text decoded as mail clients do it: never refused, never throws. The label is tried first
// (Latin-1 and ASCII labels read as windows-1252, as browsers do; Shift_JIS as CP932). A label
// that lies (Latin-1 under utf-8, EUC-JP under iso-2022-jp, 8-bit bytes under us-ascii) is
// decoded by detection: ISO-2022-JP when it has JIS escapes, UTF-8, CP932, EUC-JP; else the label
// (windows-1252 for ASCII, UTF-8 for an unknown one) with U+FFFD for what cannot be read.
// Carrier pictographs (ISO-2022-JP rows 0x75-0x7C, CP932 user-defined rows) become U+FFFD.
// `repaired` says whether anything of this happened and `note` how, in English. The text is
// always valid UTF-8 and holds no ESC, SUB or NUL. Memory: about the input plus the output.
struct DecodedText {
    std::string text;
    bool repaired = false;
    std::string note;  // "declared utf-8, decoded as CP932", "3 bytes replaced by U+FFFD", ...
};
DecodedText decode_mail_text(std::string_view bytes, std::string_view charset_label);
// A header value, unfolded: RFC 2047 encoded words (Q or B, any case, RFC 2231 *lang; adjacent
// words in one charset decoded together, ISO-2022-JP ones cleaned of repeated escapes; the space
// between adjacent words dropped, the space beside plain text kept; malformed words left as
// text) and raw text: UTF-8 kept as is (RFC 6532), other 8-bit text or ISO-2022-JP escapes
// decoded by detection as in decode_mail_text, and marked repaired.
DecodedText decode_mail_header(std::string_view raw);

// A readable plain-text rendering of an HTML body: no tags, scripts or styles; entities decoded;
// <br>, </p>, </div>, </tr> and </li> become line breaks. Linear in the size of the input; a '<'
// that opens no tag (before a space or digit, or never closed) stays as text.
std::string html_to_text(std::string_view html);

}  // namespace fbtrack
