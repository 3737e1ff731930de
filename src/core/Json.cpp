#include "core/Json.h"

#include <cstdio>
#include <sstream>

namespace fbtrack {

namespace {

bool invisible(char32_t cp) {
    return cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF;
}

template <typename T>
void write_escaped(std::ostream& out, const T& value) {
    std::ostringstream text;
    value.stringify(text, 2);
    out << escape_invisible_in_json(text.str());
}

}  // namespace

std::string escape_invisible_in_json(const std::string& json) {
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size();) {
        const auto b = static_cast<unsigned char>(json[i]);
        const std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
        if (i + len > json.size()) {
            out.append(json, i, std::string::npos);
            break;
        }
        char32_t cp = len == 1 ? b : b & (0x7F >> len);
        for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(json[i + k]) & 0x3F);
        if (invisible(cp)) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(cp));
            out += escape;
        } else {
            out.append(json, i, len);
        }
        i += len;
    }
    return out;
}

void write_json(std::ostream& out, const Poco::JSON::Object& value) { write_escaped(out, value); }
void write_json(std::ostream& out, const Poco::JSON::Array& value) { write_escaped(out, value); }

}  // namespace fbtrack
