#include "text/Iso2022Jp.h"

namespace fbtrack {

namespace {

enum class Set { ascii, roman, kana, jis0208, jis0212 };

std::string_view designation(Set s) {
    switch (s) {
        case Set::roman: return "\x1b(J";
        case Set::kana: return "\x1b(I";
        case Set::jis0208: return "\x1b$B";
        case Set::jis0212: return "\x1b$(D";
        case Set::ascii: break;
    }
    return "\x1b(B";
}

// Reads the designation at `at` (an ESC); returns its length, 0 when it is none we know.
std::size_t read_designation(std::string_view raw, std::size_t at, Set& set) {
    const std::string_view rest = raw.substr(at);
    struct Known {
        std::string_view seq;
        Set set;
    };
    // ESC $ @ (JIS C 6226-1978) and ESC $ ( Q / ESC $ ( O (JIS X 0213 plane 1, a superset) are read
    // as JIS X 0208, which covers what mail puts there.
    static constexpr Known known[] = {
        {"\x1b(B", Set::ascii},    {"\x1b(J", Set::roman},    {"\x1b(H", Set::roman},
        {"\x1b(I", Set::kana},     {"\x1b$B", Set::jis0208},  {"\x1b$@", Set::jis0208},
        {"\x1b$(B", Set::jis0208}, {"\x1b$(Q", Set::jis0208}, {"\x1b$(O", Set::jis0208},
        {"\x1b$(D", Set::jis0212},
    };
    for (const auto& k : known)
        if (rest.substr(0, k.seq.size()) == k.seq) {
            set = k.set;
            return k.seq.size();
        }
    return 0;
}

}  // namespace

bool has_iso2022jp_escape(std::string_view bytes) {
    for (std::size_t at = bytes.find('\x1b'); at != std::string_view::npos; at = bytes.find('\x1b', at + 1)) {
        Set ignored;
        if (read_designation(bytes, at, ignored) != 0) return true;
    }
    return false;
}

CleanIso2022Jp clean_iso2022jp(std::string_view raw) {
    CleanIso2022Jp result;
    std::string& out = result.bytes;
    out.reserve(raw.size() + 8);
    Set wanted = Set::ascii;   // what the sender's escapes say
    Set written = Set::ascii;  // what the escapes written so far say
    auto emit = [&](Set s, char c) {
        // Escapes are written only in front of a character, so redundant ones vanish.
        if (written != s) {
            out += designation(s);
            written = s;
        }
        out.push_back(c);
    };
    auto substitute = [&](std::size_t at) {
        ++result.bad_bytes;
        if (result.first_bad == std::string_view::npos) result.first_bad = at;
        emit(Set::ascii, '\x1a');
    };
    const std::size_t n = raw.size();
    std::size_t i = 0;
    while (i < n) {
        const auto c = static_cast<unsigned char>(raw[i]);
        if (c == 0x1b) {
            const std::size_t len = read_designation(raw, i, wanted);
            if (len == 0) {
                substitute(i);
                ++i;
            } else {
                i += len;
                // ESC & @ announces JIS X 0208-1990 before ESC $ B; nothing to keep.
            }
            continue;
        }
        if (c == 0x1a || c >= 0x80) {
            substitute(i);
            ++i;
            continue;
        }
        if (c == '\r' || c == '\n') {
            // Lines end in ASCII (RFC 1468); a sender that forgot to switch back spoils one line only.
            wanted = Set::ascii;
            emit(Set::ascii, static_cast<char>(c));
            ++i;
            continue;
        }
        if (c < 0x21) {  // controls and spaces exist only in ASCII, whatever set is designated
            emit(Set::ascii, static_cast<char>(c));
            ++i;
            continue;
        }
        switch (wanted) {
            case Set::ascii:
            case Set::roman:
                emit(wanted, static_cast<char>(c));
                ++i;
                break;
            case Set::kana:
                if (c <= 0x5f)
                    emit(Set::kana, static_cast<char>(c));
                else
                    substitute(i);
                ++i;
                break;
            case Set::jis0208:
            case Set::jis0212: {
                const auto trail = i + 1 < n ? static_cast<unsigned char>(raw[i + 1]) : 0;
                if (c == 0x7f || trail < 0x21 || trail > 0x7e) {
                    substitute(i);
                    ++i;
                } else if (wanted == Set::jis0208 && c >= 0x75 && c <= 0x7c) {
                    ++result.pictographs;
                    emit(Set::ascii, '\x1a');
                    i += 2;
                } else {
                    emit(wanted, static_cast<char>(c));
                    out.push_back(static_cast<char>(trail));
                    i += 2;
                }
                break;
            }
        }
    }
    if (written != Set::ascii) out += designation(Set::ascii);
    return result;
}

}  // namespace fbtrack
