#pragma once
// Text that buyers, senders or file names bring, as it may reach the seller's terminal: nothing in
// it can move the cursor, clear the screen, write the clipboard (OSC 52) or reorder what is shown.
#include <cstddef>
#include <string>
#include <string_view>

namespace fbtrack {

// One line: C0 and C1 controls shown as escapes (\e, \r, \n, \t, \x07, \u009B), bidi embeddings,
// overrides, isolates and marks, zero-width characters and line/paragraph separators as \uXXXX,
// bytes that are not UTF-8 as U+FFFD; cut at `limit` bytes (whole characters) with "…".
std::string for_terminal(std::string_view text, std::size_t limit = std::string_view::npos);

}  // namespace fbtrack
