#include "commands/DataChecks.h"

#include "analysis/MessageClassifier.h"
#include "analysis/PersonalInfo.h"
#include "analysis/PublicHolidays.h"
#include "analysis/ShopCalendar.h"
#include "catalogue/Marketplace.h"
#include "catalogue/Sentences.h"
#include "catalogue/ShopSettings.h"
#include "commands/Session.h"
#include "core/Errors.h"
#include "drafts/DraftWriter.h"
#include "importers/Layout.h"
#include "importers/MailSource.h"

#include <algorithm>

namespace fbtrack {

std::vector<DataCheck> data_checks(const Catalogue& catalogue) {
    // Each check runs after this returns: it holds the catalogue by pointer, never the parameter.
    const Catalogue* const files = &catalogue;
    const Catalogue& data = catalogue;
    std::vector<DataCheck> checks;
    checks.push_back({{"layouts.json"}, [files] { LayoutCatalog::load(*files); }});
    checks.push_back({{"mail.json", "marketplaces.json"}, [files] { MailRules::load(*files); }});
    checks.push_back({{"masking.json", "addresses.json"}, [files] { MaskingRules::load(*files); }});
    checks.push_back({{"shop.json"}, [files] { checked_shop_file(*files); }});
    std::vector<std::string> phrases = data.names("phrases", ".txt");
    checks.push_back({phrases, [files, phrases] {
                          for (const auto& name : phrases) files->text(name);
                          MessageClassifier::load(*files);
                      }});
    std::vector<std::string> codes;
    try {
        codes = known_marketplaces(data);
    } catch (const DataFileError&) {
        // Its own check below says what is wrong; the marketplaces' checks wait for it.
    }
    checks.push_back({{"marketplaces.json"}, [files] { known_marketplaces(*files); }});
    std::vector<std::string> templates = data.names("templates", ".txt");
    for (const auto& code : codes) {
        std::vector<std::string> names{"holidays/" + code + ".json", "amazon_quotes.json", "shop.json"};
        names.insert(names.end(), templates.begin(), templates.end());
        checks.push_back({names, [files, code] {
                              const Catalogue& data = *files;
                              const Marketplace m = load_marketplace(data, code);
                              const ShopSettings shop = checked_shop_file(data);
                              PublicHolidays::load(data, code);
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
    return checks;
}

void check_own_copies(const Catalogue& data) {
    const auto own = data.own_copies();
    if (own.empty()) return;
    for (const auto& check : data_checks(data)) {
        const bool reads_a_copy = std::any_of(check.files.begin(), check.files.end(), [&](const std::string& f) {
            return std::binary_search(own.begin(), own.end(), f);
        });
        if (reads_a_copy) check.read();
    }
}

}  // namespace fbtrack
