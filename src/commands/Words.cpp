#include "commands/Words.h"

#include "importers/ExportReader.h"

#include <algorithm>

namespace fbtrack {

Sentences output_words(const Catalogue& data, const std::string& lang) {
    return Sentences(data, "templates/output." + lang + ".json");
}

std::string word_for(const Sentences& words, const std::string& key, const std::string& code) {
    return words.has(key + "_" + code) ? words(key + "_" + code) : code;
}

std::string counted(const Sentences& words, const std::string& key, std::size_t count) {
    return words(key + (count == 1 ? "_one" : "_many"), {{"count", std::to_string(count)}});
}

std::string stars(int rating) {
    const int filled = std::clamp(rating, 0, 5);
    std::string out;
    for (int i = 0; i < 5; ++i) out += i < filled ? "★" : "☆";
    return out;
}

namespace {

// The wide ranges of East Asian text a terminal shows two columns wide.
bool is_wide(char32_t c) {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

}  // namespace

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        const std::size_t length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
        char32_t c = length == 1 ? byte : byte & (0x3F >> (length - 1));
        for (std::size_t k = 1; k < length && i + k < text.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        width += is_wide(c) ? 2 : 1;
        i += length;
    }
    return width;
}

std::string padded(const std::string& text, std::size_t width) {
    const std::size_t has = display_width(text);
    return has >= width ? text : text + std::string(width - has, ' ');
}

std::string layout_shown(const Sentences& words, const std::string& label) {
    const auto parts = LayoutLabel::parse(label);
    if (!parts) return label;
    std::string shown = words("layout_columns", {{"name", parts->name}, {"columns", std::to_string(parts->columns)}});
    if (parts->upload_template) shown += words("layout_upload_template");
    return shown;
}

}  // namespace fbtrack
