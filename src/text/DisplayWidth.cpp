#include "text/DisplayWidth.h"

#include "text/Encoding.h"

#include <unicode/uchar.h>

namespace fbtrack {

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const CodePoint c = code_point_at(text, i);
        i += c.length;
        const auto east_asian = u_getIntPropertyValue(static_cast<UChar32>(c.value), UCHAR_EAST_ASIAN_WIDTH);
        width += east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ? 2 : 1;
    }
    return width;
}

}  // namespace fbtrack
