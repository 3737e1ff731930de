#include "catalogue/ErrorWords.h"

#include "catalogue/JsonNode.h"

#include <map>

namespace fbtrack {

std::string worded(const Said& said, const Catalogue* data, const std::string& lang) {
    std::map<std::string, std::string> sentences;
    if (data) {
        try {
            const JsonNode file = data->json("templates/errors." + lang + ".json");
            for (const auto& key : file.keys()) sentences.emplace(key, file.string(key));
        } catch (const Error&) {
            sentences.clear();
        }
    }
    return word(said, [&](const std::string& key) -> const std::string* {
        const auto it = sentences.find(key);
        return it == sentences.end() ? nullptr : &it->second;
    });
}

}  // namespace fbtrack
