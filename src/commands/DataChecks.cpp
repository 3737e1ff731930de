#include "commands/DataChecks.h"

#include "analysis/MessageClassifier.h"
#include "analysis/PersonalInfo.h"
#include "analysis/PhraseList.h"
#include "analysis/PublicHolidays.h"
#include "analysis/ShopCalendar.h"
#include "app/Shop.h"
#include "catalogue/Marketplace.h"
#include "catalogue/Sentences.h"
#include "catalogue/ShopSettings.h"
#include "core/Errors.h"
#include "drafts/DraftWriter.h"
#include "importers/Layout.h"
#include "importers/MailSource.h"
#include "report/HtmlReport.h"

#include <algorithm>
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
        names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
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
    for (const auto& name : report_template_names())
        checks.push_back({{name}, [files, name] { check_report_template(*files, name); }});
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
