#include "text/Ids.h"

namespace fbtrack {

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
}  // namespace

bool is_order_id(std::string_view s) {
    if (s.size() != 19 || s[3] != '-' || s[11] != '-') return false;
    if (!(is_digit(s[0]) || is_upper(s[0])) || !is_digit(s[1]) || !is_digit(s[2])) return false;
    for (std::size_t i = 4; i < 19; ++i)
        if (i != 11 && !is_digit(s[i])) return false;
    return true;
}

std::string_view find_order_id(std::string_view text) {
    for (std::size_t i = 0; i + 19 <= text.size(); ++i) {
        if (text[i + 3] != '-') continue;
        const std::string_view candidate = text.substr(i, 19);
        if (!is_order_id(candidate)) continue;
        const bool clean_start = i == 0 || !(is_digit(text[i - 1]) || is_upper(text[i - 1]) || text[i - 1] == '-');
        const bool clean_end = i + 19 == text.size() || !(is_digit(text[i + 19]) || text[i + 19] == '-');
        if (clean_start && clean_end) return candidate;
    }
    return {};
}

bool looks_excel_mangled(std::string_view s) {
    std::size_t i = 0;
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
    }
    if (i >= s.size() || (s[i] != 'E' && s[i] != 'e')) return false;
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t exp_start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i == s.size() && i > exp_start;
}

}  // namespace fbtrack
