#include "commands/ShopCommand.h"

#include "app/Shop.h"
#include "catalogue/Catalogue.h"
#include "commands/DataChecks.h"
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
#include <ostream>

namespace fbtrack {

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + for_terminal(i);
    return out.empty() ? "-" : out;
}

}  // namespace

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
    std::string ranges;
    for (const auto& r : shop.closed_ranges)
        ranges += (ranges.empty() ? "" : ", ") + for_terminal(r.from) + ".." + for_terminal(r.to) + " " + for_terminal(r.label);
    out << "Shop:             " << for_terminal(shop.shop_name) << " (" << for_terminal(context.marketplace.name) << ")\n"
        << "Database:         " << for_terminal(session.options().db_path.string()) << "\n"
        << "Staff names:      " << joined(shop.staff_names) << "\n"
        << "Own addresses:    " << joined(shop.own_addresses) << "\n"
        << "Buy Shipping:     " << (shop.buy_shipping_always ? "every order" : "not always") << "\n"
        << "Closed weekdays:  " << joined(shop.closed_weekdays) << "\n"
        << "Closed ranges:    " << (ranges.empty() ? "-" : ranges) << "\n"
        << "Public holidays:  " << (shop.holidays_closed ? "closed" : "open") << "\n"
        << "Handling days:    " << shop.handling_days << "\n"
        << "Reply hours:      " << for_terminal(shop.reply_from) << "-" << for_terminal(shop.reply_until) << "\n";
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
    session.out() << "Saved in " << for_terminal(session.options().db_path.string()) << "\n";
}

void run_shops(std::ostream& out, bool json) {
    const std::filesystem::path dir = user_data_dir();
    const auto shops = shops_in(dir);
    Poco::JSON::Array list;
    if (!json) out << "Shops in " << for_terminal(dir.string()) << ":\n";
    if (shops.empty() && !json) out << "  none yet: 'fbtrack --shop NAME import FILES' makes one\n";
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
                out << "  " << for_terminal(s.shop) << "  cannot be read: " << for_terminal(*s.unreadable) << "\n";
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
        out << "  " << for_terminal(s.shop) << "  " << for_terminal(s.marketplace) << "  " << s.counts.orders << " orders, "
            << s.counts.feedback << " ratings, " << s.counts.messages << " messages; last import "
            << for_terminal(s.last_import.value_or("-")) << (s.name.empty() ? "" : "  (" + for_terminal(s.name) + ")") << "\n";
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
