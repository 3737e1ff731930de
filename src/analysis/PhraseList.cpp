#include "analysis/PhraseList.h"

#include "catalogue/DataFiles.h"
#include "core/Errors.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cctype>
#include <sstream>

namespace fbtrack {

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '\''; }

// Katakana (U+30A1-U+30FF, the long-vowel mark included) is three bytes, E3 82 A1 to E3 83 BF.
bool katakana_at(const std::string& text, std::size_t i) {
    if (i + 3 > text.size() || static_cast<unsigned char>(text[i]) != 0xE3) return false;
    const auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
    return (b1 == 0x82 && b2 >= 0xA1) || b1 == 0x83;
}
bool katakana_before(const std::string& text, std::size_t at) { return at >= 3 && katakana_at(text, at - 3); }

std::vector<std::string> phrases_in(const Catalogue& data, const std::string& name, std::string* source_text) {
    if (!data.has(name)) data_file_error(data.file(name), "is missing");
    const std::string& text = data.text(name);
    if (source_text) *source_text += std::filesystem::path(name).filename().string() + "\n" + text + "\n";
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        std::size_t start = 0;
        while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
        line.erase(0, start);
        if (line.empty() || line[0] == '#') continue;
        if (line == "!") data_file_error(data.file(name), "a line holds only '!': an exclusion needs its phrase after the '!'");
        out.push_back(line);
    }
    // A list with no phrase would switch what it finds off (requests to ship faster, declines,
    // forbidden words) without a word.
    if (out.empty()) data_file_error(data.file(name), "holds no phrase (only comments or empty lines); a list needs at least one");
    return out;
}

}  // namespace

std::string fold_for_matching(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw InternalError("ICU has no NFKC_Casefold normalizer");
    const auto source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    const icu::UnicodeString folded = nfkc_cf->normalize(source, status);
    if (U_FAILURE(status)) return std::string(text);
    std::string out;
    folded.toUTF8String(out);
    return out;
}

Negations Negations::load(const Catalogue& data, std::string* source_text) {
    Negations n;
    for (const auto& s : phrases_in(data, "phrases/negation.ja.txt", source_text)) n.suffixes.push_back(fold_for_matching(s));
    for (const auto& w : phrases_in(data, "phrases/negation.en.txt", source_text)) n.words.push_back(fold_for_matching(w));
    return n;
}

bool Negations::negate(const std::string& text, std::size_t begin, std::size_t end) const {
    std::size_t after = end;
    while (after < text.size() && text[after] == ' ') ++after;
    for (const auto& suffix : suffixes)
        if (text.compare(after, suffix.size(), suffix) == 0) return true;
    // Up to three words before the phrase, within its sentence.
    std::size_t pos = begin;
    for (int count = 0; count < 3 && pos > 0; ++count) {
        while (pos > 0 && text[pos - 1] == ' ') --pos;
        if (pos == 0 || !is_word_char(text[pos - 1])) break;
        const std::size_t word_end = pos;
        while (pos > 0 && is_word_char(text[pos - 1])) --pos;
        const std::string word = text.substr(pos, word_end - pos);
        for (const auto& w : words)
            if (word == w) return true;
        if (word.size() > 3 && word.compare(word.size() - 3, 3, "n't") == 0) return true;
    }
    return false;
}

PhraseList PhraseList::load(const Catalogue& data, const std::string& name, std::string* source_text) {
    PhraseList list;
    for (const char* lang : {"ja", "en"})
        for (const auto& line : phrases_in(data, "phrases/" + name + "." + lang + ".txt", source_text)) {
            if (line[0] == '!') list.exclusions_.push_back({line.substr(1), fold_for_matching(line.substr(1))});
            else list.phrases_.push_back({line, fold_for_matching(line)});
        }
    return list;
}

std::optional<std::string> PhraseList::find(const std::string& folded_text, const Negations* negations) const {
    std::string text = folded_text;
    for (const auto& ex : exclusions_) {
        if (ex.folded.empty()) continue;
        // Blanked in place (same length), so the search goes on after each one: linear in the text.
        for (std::size_t at = text.find(ex.folded); at != std::string::npos; at = text.find(ex.folded, at + ex.folded.size()))
            text.replace(at, ex.folded.size(), ex.folded.size(), '\x01');
    }
    for (const auto& p : phrases_) {
        if (p.folded.empty()) continue;
        for (std::size_t at = text.find(p.folded); at != std::string::npos; at = text.find(p.folded, at + 1)) {
            const std::size_t end = at + p.folded.size();
            // English phrases match whole words: "rush" is not in "brush".
            if (is_word_char(p.folded.front()) && at > 0 && is_word_char(text[at - 1])) continue;
            if (is_word_char(p.folded.back()) && end < text.size() && is_word_char(text[end])) continue;
            // Katakana words are whole words too: カス is not in カスタマー or カステラ.
            if (katakana_at(p.folded, 0) && katakana_before(text, at)) continue;
            if (katakana_before(p.folded, p.folded.size()) && katakana_at(text, end)) continue;
            if (negations && negations->negate(text, at, end)) continue;
            return p.original;
        }
    }
    return std::nullopt;
}

}  // namespace fbtrack
