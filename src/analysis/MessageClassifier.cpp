#include "analysis/MessageClassifier.h"

#include "core/DataFiles.h"
#include "core/Errors.h"
#include "text/LineReader.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cctype>
#include <sstream>

namespace fbtrack {

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '\''; }

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        std::size_t start = 0;
        while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
        line.erase(0, start);
        if (line.empty() || line[0] == '#') continue;
        out.push_back(line);
    }
    return out;
}

}  // namespace

std::string MessageClassifier::fold(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw InternalError("ICU has no NFKC_Casefold normalizer");
    const icu::UnicodeString source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    const icu::UnicodeString folded = nfkc_cf->normalize(source, status);
    if (U_FAILURE(status)) return std::string(text);
    std::string out;
    folded.toUTF8String(out);
    return out;
}

MessageClassifier MessageClassifier::load(const std::filesystem::path& data_dir) {
    MessageClassifier c;
    const auto dir = data_dir / "phrases";
    std::string all;
    auto read = [&](const std::string& name) {
        const auto path = dir / name;
        if (!std::filesystem::exists(path)) throw InternalError("missing phrase list " + path.string());
        const std::string text = read_text_file(path);
        all += name + "\n" + text + "\n";
        return lines_of(text);
    };
    auto load_list = [&](const std::string& kind, PhraseList& list) {
        for (const char* lang : {"ja", "en"})
            for (const auto& line : read(kind + "." + lang + ".txt")) {
                if (line[0] == '!') list.exclusions.push_back({line.substr(1), fold(line.substr(1))});
                else list.phrases.push_back({line, fold(line)});
            }
    };
    load_list("expedite_request", c.request_);
    load_list("decline", c.decline_);
    load_list("acceptance", c.acceptance_);
    for (const auto& s : read("negation.ja.txt")) c.negation_suffixes_.push_back(fold(s));
    for (const auto& w : read("negation.en.txt")) c.negation_words_.push_back(fold(w));
    c.version_ = sha256_of_text(all);
    return c;
}

bool MessageClassifier::negated(const std::string& text, std::size_t begin, std::size_t end) const {
    std::size_t after = end;
    while (after < text.size() && text[after] == ' ') ++after;
    for (const auto& suffix : negation_suffixes_)
        if (text.compare(after, suffix.size(), suffix) == 0) return true;
    // Up to three words before the phrase, within its sentence.
    std::size_t pos = begin;
    for (int words = 0; words < 3 && pos > 0; ++words) {
        while (pos > 0 && text[pos - 1] == ' ') --pos;
        if (pos == 0 || !is_word_char(text[pos - 1])) break;
        const std::size_t word_end = pos;
        while (pos > 0 && is_word_char(text[pos - 1])) --pos;
        const std::string word = text.substr(pos, word_end - pos);
        for (const auto& n : negation_words_)
            if (word == n) return true;
        if (word.size() > 2 && word.compare(word.size() - 3, 3, "n't") == 0) return true;
    }
    return false;
}

std::optional<std::string> MessageClassifier::match(const PhraseList& list, std::string text) const {
    for (const auto& ex : list.exclusions) {
        if (ex.folded.empty()) continue;
        for (std::size_t at; (at = text.find(ex.folded)) != std::string::npos;)
            text.replace(at, ex.folded.size(), std::string(ex.folded.size(), '\x01'));
    }
    for (const auto& p : list.phrases) {
        if (p.folded.empty()) continue;
        for (std::size_t at = text.find(p.folded); at != std::string::npos; at = text.find(p.folded, at + 1)) {
            const std::size_t end = at + p.folded.size();
            // English phrases match whole words: "rush" is not in "brush".
            if (is_word_char(p.folded.front()) && at > 0 && is_word_char(text[at - 1])) continue;
            if (is_word_char(p.folded.back()) && end < text.size() && is_word_char(text[end])) continue;
            if (negated(text, at, end)) continue;
            return p.original;
        }
    }
    return std::nullopt;
}

Classification MessageClassifier::classify(std::string_view direction, std::string_view subject,
                                           std::string_view unquoted_body) const {
    Classification c;
    if (direction == "buyer") {
        if (auto p = match(request_, fold(std::string(subject) + "\n" + std::string(unquoted_body)))) {
            c.label = "expedite_request";
            c.phrase = p;
        }
        return c;
    }
    // A reply's subject repeats the buyer's ("Re: 発送を早めることについて…"): judge its own words.
    const std::string body = fold(unquoted_body);
    if (auto p = match(decline_, body)) {
        c.label = "decline";
        c.phrase = p;
    } else if (auto a = match(acceptance_, body)) {
        c.label = "acceptance";
        c.phrase = a;
    }
    return c;
}

}  // namespace fbtrack
