#include "core/Errors.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace fbtrack {

namespace {
// Long fields (a 10 MB comment) must not flood the terminal.
std::string shorten(const std::string& text) {
    constexpr std::size_t limit = 80;
    if (text.size() <= limit) return text;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    return text.substr(0, cut) + "… (" + std::to_string(text.size()) + " bytes)";
}

// data/templates/errors.en.json as it was when the program was built (cmake writes it here).
constexpr const char* errors_en_json =
#include "ErrorsEnglish.inc"
    ;

std::vector<std::pair<std::string, std::string>> parse_built_in() {
    std::vector<std::pair<std::string, std::string>> sentences;
    const auto object = Poco::JSON::Parser().parse(errors_en_json).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, value] : *object)
        if (key.rfind('_', 0) != 0) sentences.emplace_back(key, value.toString());
    return sentences;
}
}  // namespace

Said say(std::string key, std::vector<SaidFact> facts) {
    Said s;
    s.key = std::move(key);
    s.facts = std::move(facts);
    return s;
}

Said joined(std::vector<Said> parts) {
    Said s;
    for (auto& p : parts)
        if (!p.empty()) s.facts.push_back({{}, std::move(p)});
    return s;
}

const std::vector<std::pair<std::string, std::string>>& built_in_english() {
    static const auto sentences = parse_built_in();  // a constant of the program, read once
    return sentences;
}

namespace {
std::string word_whole(const Said& said, const SentenceOf& sentence_of);
}  // namespace

std::string word(const Said& said, const SentenceOf& sentence_of) {
    return said.cut_long ? shorten(word_whole(said, sentence_of)) : word_whole(said, sentence_of);
}

namespace {
std::string word_whole(const Said& said, const SentenceOf& sentence_of) {
    if (said.key.empty()) {
        std::string out = said.text;
        for (const auto& f : said.facts) out += word(f.value, sentence_of);
        return out;
    }
    const std::string* sentence = sentence_of ? sentence_of(said.key) : nullptr;
    if (!sentence) {
        for (const auto& [key, built_in] : built_in_english())
            if (key == said.key) sentence = &built_in;
    }
    if (!sentence) return said.key;  // a key without a sentence: the checks of the data files name it
    std::string out;
    for (std::size_t at = 0;;) {
        const std::size_t open = sentence->find("{{", at);
        const std::size_t close = open == std::string::npos ? open : sentence->find("}}", open + 2);
        if (close == std::string::npos) {
            out.append(*sentence, at);
            return out;
        }
        out.append(*sentence, at, open - at);
        const std::string name = sentence->substr(open + 2, close - open - 2);
        for (const auto& f : said.facts)
            if (f.name == name) {
                out += word(f.value, sentence_of);
                break;
            }
        at = close + 2;
    }
}
}  // namespace

std::string english(const Said& said) { return word(said, nullptr); }

Said InputError::described(const InputLocation& where, const Said& found, const Said& expected, const Said& hint) {
    std::string place = where.file;
    if (where.line) place += ":" + std::to_string(where.line);
    if (where.column) place += ":" + std::to_string(where.column);
    if (!place.empty()) place += ": ";
    // What was found is cut where it is a fact from the file (a field, a header), not where it is
    // our own words for it: a Japanese description is three bytes a character.
    Said shown_found = found;
    if (shown_found.key.empty()) shown_found.cut_long = true;
    for (auto& f : shown_found.facts)
        if (f.value.key.empty()) f.value.cut_long = true;
    return joined({place,
                   where.column_name.empty() ? Said() : say("input.in_column", {{"column", where.column_name}}),
                   say("input.found_expected", {{"found", shown_found}, {"expected", expected}}),
                   hint.empty() ? Said() : say("hint", {{"hint", hint}})});
}

InputError::InputError(InputLocation where, Said found, Said expected, Said hint)
    : Error(ExitCode::data, described(where, found, expected, hint)), found_(english(found)), found_said_(std::move(found)) {}

}  // namespace fbtrack
