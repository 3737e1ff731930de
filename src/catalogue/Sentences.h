#pragma once
// Sentences and labels kept as data (data/templates/*.json): each value is a small Mustache
// template, "{{days}} days left", filled with facts. Plain text: nothing is escaped here;
// whoever writes HTML escapes.
#include "catalogue/Catalogue.h"
#include "catalogue/JsonNode.h"

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fbtrack {

class Sentences {
public:
    // data/templates/NAME (or the seller's copy), read through the catalogue.
    Sentences(const Catalogue& data, const std::string& name);

    using Facts = std::vector<std::pair<std::string, std::string>>;
    std::string operator()(const std::string& key, const Facts& facts = {}) const;
    bool has(const std::string& key) const { return json_.has(key); }
    std::vector<std::string> keys() const;

private:
    std::filesystem::path file_;
    JsonNode json_;
    // Each sentence parsed on first use, then reused: a report fills the same ones thousands of times.
    struct Parsed;
    std::shared_ptr<Parsed> parsed_;
};

}  // namespace fbtrack
