#include "core/Marketplace.h"

#include "core/DataFiles.h"
#include "core/Errors.h"

#include <Poco/JSON/Object.h>

namespace fbtrack {

namespace {
Poco::JSON::Object::Ptr marketplaces(const std::filesystem::path& data_dir) {
    return load_json_object(data_dir / "marketplaces.json");
}
}  // namespace

std::vector<std::string> known_marketplaces(const std::filesystem::path& data_dir) {
    std::vector<std::string> codes;
    auto root = marketplaces(data_dir);
    root->getNames(codes);
    return codes;
}

Marketplace load_marketplace(const std::filesystem::path& data_dir, const std::string& code) {
    auto root = marketplaces(data_dir);
    if (!root->has(code)) {
        std::string known;
        for (const auto& c : known_marketplaces(data_dir)) known += (known.empty() ? "" : ", ") + c;
        throw UsageError("unknown marketplace '" + code + "'; known: " + known);
    }
    auto m = root->getObject(code);
    Marketplace result;
    result.code = code;
    result.name = m->getValue<std::string>("name");
    result.marketplace_id = m->getValue<std::string>("marketplace_id");
    result.posix_tz = m->getValue<std::string>("posix_tz");
    const auto order = m->getValue<std::string>("feedback_date_order");
    if (order == "YMD")
        result.feedback_date_order = DateOrder::year_month_day;
    else if (order == "MDY")
        result.feedback_date_order = DateOrder::month_day_year;
    else
        throw InternalError("data/marketplaces.json: feedback_date_order of '" + code +
                            "' must be YMD or MDY, found '" + order + "'");
    result.default_lang = m->getValue<std::string>("default_lang");
    if (auto domains = m->getArray("mail_domains"))
        for (std::size_t i = 0; i < domains->size(); ++i)
            result.mail_domains.push_back(domains->getElement<std::string>(i));
    result.zone.reset(new boost::local_time::posix_time_zone(result.posix_tz));
    return result;
}

}  // namespace fbtrack
