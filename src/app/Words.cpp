#include "app/Words.h"

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
