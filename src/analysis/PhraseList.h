#pragma once
// An editable list of phrases (data/phrases/NAME.ja.txt and NAME.en.txt) matched against text
// folded with NFKC and case folding, with exclusions and negations (data/phrases/README.txt).
#include "catalogue/Catalogue.h"
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fbtrack {

// Text folded for matching: NFKC with case folding (ＡＳＡＰ → asap, ｼｷｭｳ → シキュウ).
std::string fold_for_matching(std::string_view text);

// Endings (ja) and preceding words (en) that negate a phrase.
struct Negations {
    std::vector<std::string> suffixes, words;
    static Negations load(const Catalogue& data, std::string* source_text = nullptr);
    bool negate(const std::string& folded_text, std::size_t begin, std::size_t end) const;
};

class PhraseList {
public:
    // Reads NAME.ja.txt and NAME.en.txt; `source_text` collects the files' text (for versioning).
    static PhraseList load(const Catalogue& data, const std::string& name,
                           std::string* source_text = nullptr);

    // The first phrase (as written in the file) found in `folded_text`, not excluded, not negated.
    std::optional<std::string> find(const std::string& folded_text, const Negations* negations) const;
    bool empty() const { return phrases_.empty(); }

private:
    struct Phrase {
        std::string original, folded;
    };
    std::vector<Phrase> phrases_, exclusions_;
};

}  // namespace fbtrack
