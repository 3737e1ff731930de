#pragma once
// Amazon identifiers are text: order-item-ids can start with 0 and must never become numbers.
#include <string_view>

namespace fbtrack {

// "250-7384857-6069418", or with a letter prefix such as "S01-1234567-1234567".
bool is_order_id(std::string_view text);

// The first order ID standing on its own in `text` (not inside a longer run of digits), or "".
std::string_view find_order_id(std::string_view text);

// "5.80293E+13", "5.80293e13", "5.8029E+13": what Excel makes of a long numeric ID.
bool looks_excel_mangled(std::string_view text);

}  // namespace fbtrack
