#pragma once
// Text that buyers, senders or file names bring, as it may reach the seller's terminal, a draft
// or a JSON reader: nothing in it can move the cursor, clear the screen, write the clipboard
// (OSC 52), reorder what is shown or hide text.
#include <cstddef>
#include <string>
#include <string_view>

namespace fbtrack {

// A character that shows nothing or changes how the text around it reads: C0 and C1 controls and
// DEL, format characters (bidi controls, zero-width characters, Arabic number signs, tag
// characters…), every other default-ignorable code point (soft hyphen, Hangul fillers, variation
// selectors…), line and paragraph separators, private-use and unassigned code points, and the
// blank braille pattern.
bool is_invisible(char32_t c);
// Variation selectors choose a glyph's form (❤ or ❤️) and hide no text by themselves.
bool is_variation_selector(char32_t c);

// One line: every invisible character shown as an escape (\e, \r, \n, \t, \x07, \u009B, \u202E),
// bytes that are not UTF-8 as U+FFFD; cut at `limit` bytes (whole characters) with "…".
std::string for_terminal(std::string_view text, std::size_t limit = std::string_view::npos);
// Text of several lines (a draft) as for_terminal shows each line, its line breaks kept: LF, and
// CRLF as a template edited on Windows ends its lines, shown as LF (a terminal shows them alike).
std::string for_terminal_lines(std::string_view text);

// JSON text with every invisible character written as \uXXXX: the same strings to a parser,
// nothing hidden to a reader or to a JavaScript eval. Bytes that are not UTF-8 become \uFFFD.
std::string escape_invisible_in_json(std::string_view json);

}  // namespace fbtrack
