#include "commands/ShopCommand.h"

#include "catalogue/Catalogue.h"
#include "commands/DataChecks.h"
#include "core/Errors.h"
#include "core/Json.h"
#include "core/UserDirs.h"
#include "text/JsonText.h"
#include "text/TerminalText.h"

#include <Poco/JSON/Array.h>
#include <SQLiteCpp/Exception.h>
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
    const ShopSettings shop = session.shop();
    auto& out = session.out();
    if (json) {
        Poco::JSON::Object::Ptr o = shop.to_json_object();
        o->set("database", session.options().db_path.string());
        o->set("marketplace", session.marketplace().code);
        write_json(out, *o);
        out << "\n";
        return;
    }
    std::string ranges;
    for (const auto& r : shop.closed_ranges) ranges += (ranges.empty() ? "" : ", ") + r.from + ".." + r.to + " " + for_terminal(r.label);
    out << "Shop:             " << for_terminal(shop.shop_name) << " (" << session.marketplace().name << ")\n"
        << "Database:         " << for_terminal(session.options().db_path.string()) << "\n"
        << "Staff names:      " << joined(shop.staff_names) << "\n"
        << "Own addresses:    " << joined(shop.own_addresses) << "\n"
        << "Buy Shipping:     " << (shop.buy_shipping_always ? "every order" : "not always") << "\n"
        << "Closed weekdays:  " << joined(shop.closed_weekdays) << "\n"
        << "Closed ranges:    " << (ranges.empty() ? "-" : ranges) << "\n"
        << "Public holidays:  " << (shop.holidays_closed ? "closed" : "open") << "\n"
        << "Handling days:    " << shop.handling_days << "\n"
        << "Reply hours:      " << shop.reply_from << "-" << shop.reply_until << "\n";
}

void run_shop_set(Session& session, const ShopSetOptions& options) {
    ShopSettings shop = session.shop();
    if (options.name) {
        if (options.name->empty()) throw UsageError("shop set --name: give the shop's name as buyers see it");
        shop.shop_name = *options.name;
    }
    if (options.staff) shop.staff_names = *options.staff;
    if (options.own_addresses) {
        for (const auto& a : *options.own_addresses)
            if (a.find('@') == std::string::npos || a.find_first_of(" <>") != std::string::npos)
                throw UsageError("shop set --own-addresses: found '" + a + "', expected a mail address such as shop@example.com");
        shop.own_addresses = *options.own_addresses;
    }
    if (options.buy_shipping) {
        if (*options.buy_shipping != "yes" && *options.buy_shipping != "no")
            throw UsageError("shop set --buy-shipping: found '" + *options.buy_shipping + "', expected yes or no");
        shop.buy_shipping_always = *options.buy_shipping == "yes";
    }
    Store::Transaction tx(session.store());
    session.remember_marketplace();
    session.save_shop(shop);
    tx.commit();
    session.out() << "Saved in " << for_terminal(session.options().db_path.string()) << "\n";
}

namespace {

struct ShopSummary {
    std::string marketplace = "-", name;
    StoreCounts counts;
    std::optional<std::string> last_import;
};

ShopSummary summary_of(const std::filesystem::path& path) {
    try {
        Store store(path);
        ShopSummary s;
        s.counts = store.counts();
        const auto journal = store.imports().journal();
        if (!journal.empty()) s.last_import = journal.back().imported_at;
        s.marketplace = store.settings().get("marketplace").value_or("-");
        if (const auto settings = store.settings().get("shop")) s.name = ShopSettings::from_json(*settings).shop_name;
        return s;
    } catch (const SQLite::Exception& e) {
        rethrow_database_error(e, path);  // damage found past the opening: named like any other
    }
}

}  // namespace

void run_shops(std::ostream& out, bool json) {
    namespace fs = std::filesystem;
    const fs::path dir = user_data_dir();
    std::vector<fs::path> databases;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".db" && e.is_regular_file()) databases.push_back(e.path());
    std::sort(databases.begin(), databases.end());
    Poco::JSON::Array list;
    if (!json) out << "Shops in " << for_terminal(dir.string()) << ":\n";
    if (databases.empty() && !json) out << "  none yet: 'fbtrack --shop NAME import FILES' makes one\n";
    for (const auto& path : databases) {
        const std::string shop = path.stem().string();
        ShopSummary s;
        try {
            s = summary_of(path);
        } catch (const Error& e) {
            // Another program's file, or a damaged one: named, and the others still listed.
            if (json) {
                Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
                o.set("shop", shop);
                o.set("database", path.string());
                o.set("error", std::string(e.what()));
                list.add(o);
            } else {
                out << "  " << for_terminal(shop) << "  cannot be read: " << for_terminal(e.what()) << "\n";
            }
            continue;
        }
        if (json) {
            Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
            o.set("shop", shop);
            o.set("database", path.string());
            o.set("name", s.name);
            o.set("marketplace", s.marketplace);
            o.set("orders", s.counts.orders);
            o.set("ratings", s.counts.feedback);
            o.set("messages", s.counts.messages);
            o.set("last_import", json_or_null(s.last_import));
            list.add(o);
            continue;
        }
        out << "  " << for_terminal(shop) << "  " << s.marketplace << "  " << s.counts.orders << " orders, " << s.counts.feedback
            << " ratings, " << s.counts.messages << " messages; last import " << s.last_import.value_or("-")
            << (s.name.empty() ? "" : "  (" + for_terminal(s.name) + ")") << "\n";
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
    for (const auto& f : files) {
        if (f.rfind("samples/", 0) == 0 || fs::path(f).extension() == ".db") continue;
        out << (data.is_own_copy(f) ? "  yours    " : "  shipped  ") << for_terminal(f) << "\n";
    }
    // A copy under a name fbtrack does not ship is never read: most likely a typo.
    for (const auto& stray : data.strays())
        out << "  unread   " << for_terminal(stray) << " (no shipped file has this name)\n";
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
    std::string message = std::to_string(problems.size()) + (problems.size() == 1 ? " check" : " checks") + " failed:";
    for (const auto& p : problems) message += "\n  " + p;
    throw DataFileError(message);
}

}  // namespace fbtrack
