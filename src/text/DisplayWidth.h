#pragma once
// How wide text shows in a monospaced place: a terminal's columns, a text box's.
#include <cstddef>
#include <string_view>

namespace fbtrack {

// Two columns for a character ICU calls wide or full-width (kanji, kana, full-width forms), one
// for any other; an ill-formed byte counts as one.
std::size_t display_width(std::string_view text);

}  // namespace fbtrack
