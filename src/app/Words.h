#pragma once
// The words of the front ends' text (the command line, the pages) in the seller's language
// (data/templates/output.LANG.json), and the ways of showing facts that the languages share:
// stars, columns padded as a terminal shows them, an export's layout. --json never uses them.
#include "catalogue/Sentences.h"
#include "text/DisplayWidth.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace fbtrack {

Sentences output_words(const Catalogue& data, const std::string& lang);

// The words for a code (KEY_CODE: "kind_orders"), or the code itself where the file has none (a
// kind of a later version's journal).
std::string word_for(const Sentences& words, const std::string& key, const std::string& code);

// A sentence of the form KEY_one / KEY_many, with the count as {{count}}.
std::string counted(const Sentences& words, const std::string& key, std::size_t count);

// "★★☆☆☆": the rating's stars filled, out of 5.
std::string stars(int rating);

// The text followed by spaces up to `width` columns (none if it is as wide already).
std::string padded(const std::string& text, std::size_t width);

// An export's layout label as the import journal keeps it ("all-orders, 74 columns, upload
// template"), in the seller's words; another label (a mailbox's) as it is.
std::string layout_shown(const Sentences& words, const std::string& label);

}  // namespace fbtrack
