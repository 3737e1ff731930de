#include "analysis/MessageClassifier.h"

#include "text/LineReader.h"

namespace fbtrack {

MessageClassifier MessageClassifier::load(const Catalogue& dir) {
    std::string all;
    MessageClassifier c;
    c.request_ = PhraseList::load(dir, "expedite_request", &all);
    c.decline_ = PhraseList::load(dir, "decline", &all);
    c.acceptance_ = PhraseList::load(dir, "acceptance", &all);
    c.negations_ = Negations::load(dir, &all);
    c.version_ = sha256_of_text(all);
    return c;
}

Classification MessageClassifier::classify(std::string_view direction, std::string_view subject,
                                           std::string_view unquoted_body) const {
    Classification c;
    if (direction == "buyer") {
        if (auto p = request_.find(fold_for_matching(std::string(subject) + "\n" + std::string(unquoted_body)), &negations_)) {
            c.label = "expedite_request";
            c.phrase = p;
        }
        return c;
    }
    // A reply's subject repeats the buyer's ("Re: 発送を早めることについて…"): judge its own words.
    const std::string body = fold_for_matching(unquoted_body);
    if (auto p = decline_.find(body, &negations_)) {
        c.label = "decline";
        c.phrase = p;
    } else if (auto a = acceptance_.find(body, &negations_)) {
        c.label = "acceptance";
        c.phrase = a;
    }
    return c;
}

}  // namespace fbtrack
