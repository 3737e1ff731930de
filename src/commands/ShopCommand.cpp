#include "commands/ShopCommand.h"

#include "app/Shop.h"
#include "catalogue/Catalogue.h"
#include "commands/DataChecks.h"
#include "commands/Session.h"
#include "app/Words.h"
#include "catalogue/DataFiles.h"
#include "catalogue/Marketplace.h"
#include "core/Errors.h"
#include "core/Json.h"
#include "core/UserDirs.h"
#include "text/JsonText.h"
#include "text/TerminalText.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>

namespace fbtrack {

void run_shop_show(Session& session, bool json) {
    const AppContext context = session.app_context();
    const ShopSettings& shop = context.shop;
    auto& out = session.out();
    if (json) {
        Poco::JSON::Object::Ptr o = shop.to_json_object();
        o->set("database", session.options().db_path.string());
        o->set("marketplace", context.marketplace.code);
        write_json(out, *o);
        out << "\n";
        return;
    }
    // The settings come from the seller's database or shop.json, the marketplace's name from
    // marketplaces.json: all of it shown as a terminal cannot act on.
    const Sentences words = output_words(context.data, context.lang);
    const Sentences days(context.data, "templates/calendar." + context.lang + ".json");  // the weekdays' names
    const auto list = [&](const std::vector<std::string>& items) {
        std::string out;
        for (const auto& i : items) out += (out.empty() ? "" : words("list_separator")) + i;
        return out.empty() ? std::string("-") : out;
    };
    std::vector<std::string> ranges, weekdays;
    for (const auto& r : shop.closed_ranges) ranges.push_back(words("shop_range", {{"from", r.from}, {"to", r.to}, {"label", r.label}}));
    for (const auto& d : shop.closed_weekdays) weekdays.push_back(days.has(d) ? days(d) : d);
    for (const auto& text : {
             words("shop_name", {{"name", shop.shop_name}, {"marketplace", context.marketplace.name}}),
             words("shop_database", {{"database", session.options().db_path.string()}}),
             words("shop_staff", {{"staff", list(shop.staff_names)}}),
             words("shop_own_addresses", {{"addresses", list(shop.own_addresses)}}),
             words("shop_buy_shipping", {{"buy_shipping", words(shop.buy_shipping_always ? "buy_shipping_always" : "buy_shipping_not_always")}}),
             words("shop_closed_weekdays", {{"weekdays", list(weekdays)}}),
             words("shop_closed_ranges", {{"ranges", list(ranges)}}),
             words("shop_holidays", {{"holidays", words(shop.holidays_closed ? "holidays_closed" : "holidays_open")}}),
             words("shop_handling_days", {{"days", std::to_string(shop.handling_days)}}),
             words("shop_reply_hours", {{"from", shop.reply_from}, {"until", shop.reply_until}}),
         })
        out << for_terminal(text) << "\n";
}

void run_shop_set(Session& session, const ShopSetOptions& options) {
    AppContext context = session.app_context();
    const auto change = set_shop(context, ShopSetRequest{options.name, options.staff, options.own_addresses, options.buy_shipping});
    switch (change.refused) {
        case SettingsRefusal::none:
            break;
        case SettingsRefusal::empty_shop_name:
            throw UsageError("shop set --name: give the shop's name as buyers see it");
        case SettingsRefusal::not_a_mail_address:
            throw UsageError("shop set --own-addresses: found '" + change.found + "', expected a mail address such as shop@example.com");
        case SettingsRefusal::buy_shipping_not_yes_no:
            throw UsageError("shop set --buy-shipping: found '" + change.found + "', expected yes or no");
        default:
            throw InternalError("shop set: an edit was refused for a reason of another command");
    }
    if (change.first_save) session.announce_adopted_settings();
    session.out() << for_terminal(output_words(context.data, context.lang)("saved_in", {{"database", session.options().db_path.string()}}))
                  << "\n";
}

namespace {

// The language of the list of shops: --lang, else that of the shops' marketplaces when they
// share one, English when they differ, and a new shop's when there is none yet.
std::string shops_language(const Catalogue& data, const std::vector<ShopSummary>& shops, const std::optional<std::string>& lang) {
    if (lang) {
        check_lang_option(lang);
        return *lang;
    }
    std::optional<std::string> shared;
    for (const auto& s : shops) {
        if (s.unreadable) continue;
        std::string of_shop;
        try {
            of_shop = load_marketplace(data, s.marketplace).default_lang;
        } catch (const UsageError&) {
            continue;  // a marketplace this version does not know, or none remembered ("-")
        }
        if (shared && *shared != of_shop) return "en";
        shared = of_shop;
    }
    return shared.value_or(load_marketplace(data, new_shop_marketplace).default_lang);
}

}  // namespace

void run_shops(std::ostream& out, bool json, const std::optional<std::string>& lang) {
    const std::filesystem::path dir = user_data_dir();
    const auto shops = shops_in(dir);
    Poco::JSON::Array list;
    std::optional<Sentences> words;
    std::unique_ptr<Catalogue> data;
    if (!json) {
        data = std::make_unique<Catalogue>(find_data_dir(), own_data_dir());
        words.emplace(output_words(*data, shops_language(*data, shops, lang)));
        out << for_terminal((*words)("shops_title", {{"folder", dir.string()}})) << "\n";
        if (shops.empty()) out << for_terminal((*words)("shops_none")) << "\n";
    }
    for (const auto& s : shops) {
        if (s.unreadable) {
            // Another program's file, or a damaged one: named, and the others still listed.
            if (json) {
                Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
                o.set("shop", s.shop);
                o.set("database", s.database.string());
                o.set("error", *s.unreadable);
                list.add(o);
            } else {
                out << for_terminal((*words)("shops_unreadable", {{"shop", s.shop}, {"error", *s.unreadable}})) << "\n";
            }
            continue;
        }
        if (json) {
            Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
            o.set("shop", s.shop);
            o.set("database", s.database.string());
            o.set("name", s.name);
            o.set("marketplace", s.marketplace);
            o.set("orders", s.counts.orders);
            o.set("ratings", s.counts.feedback);
            o.set("messages", s.counts.messages);
            o.set("last_import", json_or_null(s.last_import));
            list.add(o);
            continue;
        }
        out << for_terminal((*words)("shops_line", {{"shop", s.shop},
                                                    {"marketplace", s.marketplace},
                                                    {"orders", std::to_string(s.counts.orders)},
                                                    {"ratings", std::to_string(s.counts.feedback)},
                                                    {"messages", std::to_string(s.counts.messages)},
                                                    {"last_import", s.last_import.value_or("-")},
                                                    {"name", s.name.empty() ? std::string() : (*words)("shops_name", {{"name", s.name}})}}))
            << "\n";
    }
    if (json) {
        write_json(out, list);
        out << "\n";
    }
}

void run_data(std::ostream& out, const std::filesystem::path& shipped, const std::filesystem::path& own) {
    namespace fs = std::filesystem;
    // The catalogue says which file each run reads; a copy it cannot use is named here as anywhere.
    const Catalogue data(shipped, own);
    out << "Shipped data: " << for_terminal(shipped.string()) << "\nYour copies:  " << for_terminal(own.string()) << " (a file there overrides the shipped one of the same name)\n";
    std::vector<std::string> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(shipped, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec)) files.push_back(it->path().lexically_relative(shipped).generic_string());
    std::sort(files.begin(), files.end());
    std::vector<std::string> unusable;
    for (const auto& f : files) {
        if (f.rfind("samples/", 0) == 0 || fs::path(f).extension() == ".db") continue;
        if (const auto why = data.unusable(f)) {
            // Listed with the rest, and named again below: no command can read it.
            out << "  unusable " << for_terminal(f) << " (yours: " << for_terminal(*why) << ")\n";
            unusable.push_back(f);
            continue;
        }
        out << (data.is_own_copy(f) ? "  yours    " : "  shipped  ") << for_terminal(f) << "\n";
    }
    // A copy under a name fbtrack does not ship is never read: most likely a typo.
    for (const auto& stray : data.strays())
        out << "  unread   " << for_terminal(stray) << " (no shipped file has this name)\n";
    if (unusable.empty()) return;
    std::string message;
    for (const auto& f : unusable) {
        try {
            data.refuse_if_unusable(f);
        } catch (const DataFileError& e) {
            message += (message.empty() ? "" : "\n") + std::string(e.what());
        }
    }
    throw DataFileError(message);
}

void run_data_check(std::ostream& out, const std::filesystem::path& shipped, const std::filesystem::path& own) {
    std::unique_ptr<Catalogue> data;
    try {
        data = std::make_unique<Catalogue>(shipped, own);
    } catch (const DataFileError& e) {
        throw DataFileError(std::string(e.what()) + "\nNothing else was checked");
    }
    out << "Checking the data files: shipped in " << for_terminal(shipped.string()) << ", yours in "
        << for_terminal(own.string()) << "\n";
    std::vector<std::string> problems;
    std::size_t checked = 0;
    for (const auto& check : data_checks(*data)) {
        std::string files;
        for (const auto& f : check.files) files += (files.empty() ? "" : ", ") + f + (data->is_own_copy(f) ? " (yours)" : "");
        try {
            check.read();
            ++checked;
            out << "  ok       " << for_terminal(files) << "\n";
        } catch (const DataFileError& e) {
            problems.push_back(e.what());
            out << "  WRONG    " << for_terminal(files) << "\n";
        }
    }
    for (const auto& stray : data->strays())
        out << "  unread   " << for_terminal(stray) << " (yours; no shipped file has this name)\n";
    if (problems.empty()) {
        out << checked << " checks, every file can be used\n";
        return;
    }
    // Each file's problem once, however many checks read it (shop.json, marketplaces.json).
    std::string message = std::to_string(problems.size()) + (problems.size() == 1 ? " check" : " checks") + " failed:";
    std::vector<std::string> said;
    for (const auto& p : problems) {
        for (std::size_t from = 0; from <= p.size();) {
            const std::size_t end = std::min(p.find('\n', from), p.size());
            const std::string line = p.substr(from, end - from);
            if (std::find(said.begin(), said.end(), line) == said.end()) {
                said.push_back(line);
                message += "\n  " + line;
            }
            from = end + 1;
        }
    }
    throw DataFileError(message);
}

}  // namespace fbtrack
