#pragma once
// Decides what a buyer-seller message is about from the editable phrase lists in data/phrases/:
// a buyer's expedite request, a seller's decline or acceptance, or other. Every answer names the
// phrase that decided it, so a seller can see why and fix the list.
#include "analysis/PhraseList.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace fbtrack {

struct Classification {
    std::string label = "other";  // expedite_request, decline, acceptance, other
    std::optional<std::string> phrase;
};

class MessageClassifier {
public:
    static MessageClassifier load(const Catalogue& data);

    // `unquoted_body` is the message's own text, without quoted earlier messages.
    Classification classify(std::string_view direction, std::string_view subject, std::string_view unquoted_body) const;
    // Changes whenever a phrase list changes: stored classifications made with another are stale.
    const std::string& version() const { return version_; }

private:
    PhraseList request_, decline_, acceptance_;
    Negations negations_;
    std::string version_;
};

}  // namespace fbtrack
