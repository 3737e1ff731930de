#pragma once
// ISO-2022-JP as mail really carries it, rewritten into the form ICU's decoder accepts. ICU 72
// refuses an escape sequence directly followed by another (what joined encoded words produce),
// refuses JIS rows 0x75-0x78 and reads rows 0x79-0x7C as IBM kanji where carriers put pictographs.
#include <cstddef>
#include <string>
#include <string_view>

namespace fbtrack {

// The ICU converter for the cleaned bytes: it reads JIS X 0212 as well as everything the plain
// ISO-2022-JP converter reads (Windows' NEC row 13, half-width kana after ESC ( I).
inline constexpr const char* kIso2022JpConverter = "ISO_2022,locale=ja,version=1";

struct CleanIso2022Jp {
    // One escape sequence per change of character set, and back in ASCII at the end. Each
    // pictograph and each byte that fits no set became one SUB (0x1A), for the caller to show as
    // U+FFFD.
    std::string bytes;
    std::size_t pictographs = 0;  // JIS X 0208 codes with a first byte in 0x75-0x7C
    std::size_t bad_bytes = 0;    // 8-bit bytes, unknown escapes, half of a two-byte code, SUB
    std::size_t first_bad = std::string_view::npos;  // offset into the raw bytes
};

// One pass over the bytes, tracking the escape state; linear in their size.
CleanIso2022Jp clean_iso2022jp(std::string_view raw);

// True when `bytes` holds an ESC that starts an ISO-2022-JP designation.
bool has_iso2022jp_escape(std::string_view bytes);

}  // namespace fbtrack
