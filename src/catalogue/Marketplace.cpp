#include "catalogue/Marketplace.h"

#include "core/Errors.h"
#include "catalogue/JsonNode.h"
#include "text/TerminalText.h"

#include <string_view>

namespace fbtrack {

namespace {

// A name that starts with '_' is a note ("_about"), as in the other data files.
bool is_note(const std::string& key) { return !key.empty() && key.front() == '_'; }

Marketplace read_marketplace(const JsonNode& root, const std::string& code) {
    const JsonNode m = root.object(code);
    Marketplace result;
    result.code = code;
    result.name = m.string("name");
    result.marketplace_id = m.string("marketplace_id");
    result.posix_tz = m.string("posix_tz");
    // Boost reads a zone without an offset ("Tokyo") as UTC: the name must be followed by one.
    const std::string& tz = result.posix_tz;
    const auto name_end = tz.rfind('<', 0) == 0 ? tz.find('>') + 1 : tz.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    bool readable = name_end >= 3 && name_end < tz.size() && std::string_view("+-0123456789").find(tz[name_end]) != std::string_view::npos;
    if (readable) {
        try {
            result.zone.reset(new boost::local_time::posix_time_zone(tz));
        } catch (const std::exception&) {  // Boost throws several kinds for a zone it cannot read
            readable = false;
        }
    }
    if (!readable) m.fail("posix_tz", "a POSIX time zone such as \"JST+9\" was expected, \"" + for_terminal(tz, 60) + "\" was found");
    const auto order = m.string("feedback_date_order");
    if (order == "YMD")
        result.feedback_date_order = DateOrder::year_month_day;
    else if (order == "MDY")
        result.feedback_date_order = DateOrder::month_day_year;
    else
        m.fail("feedback_date_order", "YMD or MDY was expected, \"" + for_terminal(order, 60) + "\" was found");
    result.default_lang = m.string("default_lang");
    // The drafts and sentences exist in these two languages only.
    if (result.default_lang != "ja" && result.default_lang != "en")
        m.fail("default_lang", "ja or en was expected, \"" + for_terminal(result.default_lang, 60) + "\" was found");
    // Mail from these domains is the buyers' mail, whose names are removed before it is stored.
    result.mail_domains = m.strings("mail_domains", JsonNode::Entries::at_least_one);
    return result;
}

// Every marketplace of marketplaces.json, each checked whole: a wrong one is refused whichever
// marketplace the run uses, so that a mistake shows at once and not on the day it is used.
std::vector<Marketplace> read_all(const Catalogue& data) {
    const auto root = data.json("marketplaces.json");
    std::vector<Marketplace> all;
    for (const auto& code : root.keys()) {
        if (is_note(code)) continue;
        // A code is typed after --marketplace, kept in databases and names holidays/CODE.json.
        if (code.empty() || code.size() > 8 || code.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos)
            root.fail(code, "a marketplace code of lowercase letters such as \"jp\" was expected as its name");
        all.push_back(read_marketplace(root, code));
    }
    if (all.empty()) root.fail("a marketplace such as \"jp\": { ... } was expected, none was found");
    return all;
}

}  // namespace

std::vector<std::string> known_marketplaces(const Catalogue& data) {
    std::vector<std::string> codes;
    for (const auto& m : read_all(data)) codes.push_back(m.code);
    return codes;
}

Marketplace load_marketplace(const Catalogue& data, const std::string& code) {
    auto all = read_all(data);
    for (auto& m : all)
        if (m.code == code) return std::move(m);
    std::string known;
    for (const auto& m : all) known += (known.empty() ? "" : ", ") + m.code;
    throw UsageError("unknown marketplace '" + for_terminal(code, 40) + "'; known: " + known);
}

}  // namespace fbtrack
