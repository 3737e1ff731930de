#include "commands/DataChecks.h"

#include "analysis/MessageClassifier.h"
#include "analysis/PersonalInfo.h"
#include "analysis/PhraseList.h"
#include "analysis/PublicHolidays.h"
#include "analysis/ShopCalendar.h"
#include "app/Shop.h"
#include "catalogue/DataFiles.h"
#include "catalogue/JsonNode.h"
#include "catalogue/Marketplace.h"
#include "catalogue/SellerCentral.h"
#include "catalogue/Sentences.h"
#include "catalogue/ShopSettings.h"
#include "core/Errors.h"
#include "drafts/DraftWriter.h"
#include "importers/Layout.h"
#include "importers/MailSource.h"
#include "report/HtmlReport.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace fbtrack {

namespace {

// A file's name without its folder and last extension: "holidays/jp.json" → "jp".
std::string stem_of(const std::string& name) { return std::filesystem::path(name).stem().string(); }

// The names of the data files fbtrack reads: the shipped ones but the samples and examples.
std::vector<std::string> data_file_names(const Catalogue& data) {
    namespace fs = std::filesystem;
    std::vector<std::string> names;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(data.shipped(), ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code kind_ec;
        if (!it->is_regular_file(kind_ec)) continue;
        const std::string name = it->path().lexically_relative(data.shipped()).generic_string();
        // The sample month and the examples for cron and systemd are the seller's to read, not fbtrack's.
        if (name.rfind("samples/", 0) == 0 || name.rfind("examples/", 0) == 0 || fs::path(name).extension() == ".db") continue;
        // A fact NAME_ja is NAME in Japanese (a layout's title): the same fact for this check.
        names.push_back(name.size() > 3 && name.compare(name.size() - 3, 3, "_ja") == 0 ? name.substr(0, name.size() - 3) : name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

// The {{name}}s of a sentence, sorted; a section ({{#x}}, {{/x}}, {{^x}}) is refused: errors are
// worded by a plain replacement (core/Errors.h), which does not know them.
std::vector<std::string> facts_of(const std::filesystem::path& file, const std::string& key, const std::string& sentence) {
    std::vector<std::string> names;
    for (std::size_t at = sentence.find("{{"); at != std::string::npos; at = sentence.find("{{", at + 2)) {
        const auto close = sentence.find("}}", at + 2);
        if (close == std::string::npos) data_file_error(file, "sentence '" + key + "': a {{ that is not closed");
        const std::string name = sentence.substr(at + 2, close - at - 2);
        if (name.empty() || name.find_first_of("#/^!&{ ") != std::string::npos)
            data_file_error(file, "sentence '" + key + "': {{" + name + "}} is not a fact's name (only {{name}} is understood here)");
        // A fact NAME_ja is NAME in Japanese (a layout's title): the same fact for this check.
        names.push_back(name.size() > 3 && name.compare(name.size() - 3, 3, "_ja") == 0 ? name.substr(0, name.size() - 3) : name);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

// The error sentences of both languages have the same keys and each says the same facts, and
// every key the program says has its English sentence (the one built in, from the shipped file).
void check_error_sentences(const Catalogue& data) {
    const std::string ja_name = "templates/errors.ja.json", en_name = "templates/errors.en.json";
    const JsonNode ja = data.json(ja_name), en = data.json(en_name);
    const auto sentences = [](const JsonNode& node) {
        std::map<std::string, std::string> out;
        for (const auto& key : node.keys())
            if (key.rfind('_', 0) != 0) out.emplace(key, node.string(key));
        return out;
    };
    const auto ja_sentences = sentences(ja), en_sentences = sentences(en);
    for (const auto& [key, english] : built_in_english())
        if (!en_sentences.count(key)) data_file_error(data.file(en_name), "has no sentence '" + key + "'");
    for (const auto& [key, sentence] : en_sentences)
        if (!ja_sentences.count(key)) data_file_error(data.file(ja_name), "has no sentence '" + key + "', which " + en_name + " has");
    for (const auto& [key, sentence] : ja_sentences) {
        const auto it = en_sentences.find(key);
        if (it == en_sentences.end()) data_file_error(data.file(ja_name), "sentence '" + key + "' is not one fbtrack says (" + en_name + " has no such key)");
        if (facts_of(data.file(ja_name), key, sentence) != facts_of(data.file(en_name), key, it->second))
            data_file_error(data.file(ja_name), "sentence '" + key + "' names other facts than in " + en_name);
    }
}

}  // namespace

std::vector<DataCheck> data_checks(const Catalogue& catalogue) {
    // Each check runs after this returns: it holds the catalogue by pointer, never the parameter.
    const Catalogue* const files = &catalogue;
    const Catalogue& data = catalogue;
    std::vector<DataCheck> checks;
    checks.push_back({{"layouts.json"}, [files] { LayoutCatalog::load(*files); }});
    checks.push_back({{"mail.json", "marketplaces.json"}, [files] { MailRules::load(*files); }});
    checks.push_back({{"masking.json", "addresses.json"}, [files] { MaskingRules::load(*files); }});
    checks.push_back({{"shop.json"}, [files] { checked_shop_file(*files); }});
    const std::vector<std::string> phrases = data.names("phrases", ".txt");
    checks.push_back({phrases, [files, phrases] {
                          MessageClassifier::load(*files);
                          // Every list, also those only the ratings and the drafts read (NAME.ja.txt
                          // and NAME.en.txt, each holding a phrase).
                          std::set<std::string> lists;
                          for (const auto& name : phrases) {
                              const std::string stem = stem_of(name);  // "decline.en"
                              const auto dot = stem.rfind('.');
                              if (dot != std::string::npos && stem.substr(0, dot) != "negation") lists.insert(stem.substr(0, dot));
                          }
                          for (const auto& list : lists) PhraseList::load(*files, list);
                      }});
    std::vector<std::string> codes;
    try {
        codes = known_marketplaces(data);
    } catch (const DataFileError&) {
        // Its own check below says what is wrong; the marketplaces' checks wait for it.
    }
    checks.push_back({{"marketplaces.json"}, [files] { known_marketplaces(*files); }});
    // Each marketplace's holiday rules, those of one marketplaces.json does not name too.
    for (const auto& name : data.names("holidays", ".json"))
        checks.push_back({{name}, [files, code = stem_of(name)] { PublicHolidays::load(*files, code); }});
    checks.push_back({{"seller_central.json", "marketplaces.json"}, [files, codes] { check_seller_central(*files, codes); }});
    std::vector<std::string> templates = data.names("templates", ".txt");
    for (const auto& code : codes) {
        std::vector<std::string> names{"holidays/" + code + ".json", "amazon_quotes.json", "shop.json"};
        names.insert(names.end(), templates.begin(), templates.end());
        checks.push_back({names, [files, code] {
                              const Catalogue& data = *files;
                              const Marketplace m = load_marketplace(data, code);
                              const ShopSettings shop = checked_shop_file(data);
                              const DraftWriter writer(data, m, shop);
                              for (const char* lang : {"ja", "en"}) {
                                  for (const auto& kind : DraftWriter::kinds()) writer.check_template(kind, lang);
                                  const ShopCalendar calendar(shop, m, data, lang);
                              }
                          }});
    }
    for (const auto& name : data.names("templates", ".json"))
        checks.push_back({{name}, [files, name] {
                              const Sentences sentences(*files, name);
                              for (const auto& key : sentences.keys()) sentences(key);
                          }});
    checks.push_back({{"templates/errors.ja.json", "templates/errors.en.json"}, [files] { check_error_sentences(*files); }});
    for (const auto& name : report_template_names())
        checks.push_back({{name}, [files, name] { check_report_template(*files, name); }});
    // The pages of `serve`: each template parses, and both languages have the same words.
    for (const auto& name : data.names("templates/web", ".html"))
        checks.push_back({{name}, [files, name] {
                              const kainjow::mustache::mustache page(files->text(name));
                              if (!page.is_valid()) data_file_error(files->file(name), page.error_message());
                          }});
    checks.push_back({{"templates/web.ja.json", "templates/web.en.json"}, [files] {
                          const Sentences ja(*files, "templates/web.ja.json"), en(*files, "templates/web.en.json");
                          for (const auto& key : en.keys())
                              if (!ja.has(key)) data_file_error(files->file("templates/web.ja.json"), "has no words '" + key + "', which templates/web.en.json has");
                          for (const auto& key : ja.keys())
                              if (!en.has(key)) data_file_error(files->file("templates/web.en.json"), "has no words '" + key + "', which templates/web.ja.json has");
                      }});
    // Every other file is at least read: each one, shipped or the seller's, is checked.
    std::set<std::string> checked;
    for (const auto& check : checks) checked.insert(check.files.begin(), check.files.end());
    std::vector<std::string> rest;
    for (const auto& name : data_file_names(data))
        if (!checked.count(name)) rest.push_back(name);
    if (!rest.empty()) checks.push_back({rest, [] {}});
    // Each check reads its files first: one it names but does not use (a README) is still read,
    // so that a copy that cannot be (a pipe, a file too large) is found wherever it is. Every
    // such file is named, and what the readers then find besides.
    for (auto& check : checks)
        check.read = [files, names = check.files, read = std::move(check.read)] {
            std::vector<std::string> problems;
            for (const auto& name : names) {
                try {
                    files->text(name);
                } catch (const DataFileError& e) {
                    problems.push_back(e.what());
                }
            }
            try {
                read();
            } catch (const DataFileError& e) {
                if (std::find(problems.begin(), problems.end(), e.what()) == problems.end()) problems.push_back(e.what());
            }
            if (problems.empty()) return;
            std::string message;
            for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
            throw DataFileError(message);
        };
    return checks;
}

void check_own_copies(const Catalogue& data) {
    const auto own = data.own_copies();
    if (own.empty()) return;
    // A copy that cannot be read in place of the shipped file stops the run, named.
    for (const auto& name : own) data.refuse_if_unusable(name);
    for (const auto& check : data_checks(data)) {
        const bool reads_a_copy = std::any_of(check.files.begin(), check.files.end(), [&](const std::string& f) {
            return std::binary_search(own.begin(), own.end(), f);
        });
        if (reads_a_copy) check.read();
    }
}

}  // namespace fbtrack
