#include "app/Shop.h"

#include "catalogue/DataFiles.h"
#include "catalogue/Marketplace.h"
#include "core/Errors.h"
#include "text/Dates.h"
#include "text/Encoding.h"
#include "text/TerminalText.h"

#include <SQLiteCpp/Exception.h>

#include <algorithm>
#include <cctype>

namespace fbtrack {

Said refusal_said(const SettingsChange& change) {
    const auto key = [&]() -> std::string {
        switch (change.refused) {
            case SettingsRefusal::empty_shop_name: return "empty_shop_name";
            case SettingsRefusal::not_a_mail_address: return "not_a_mail_address";
            case SettingsRefusal::buy_shipping_not_yes_no: return "buy_shipping_not_yes_no";
            case SettingsRefusal::unknown_weekday: return "unknown_weekday";
            case SettingsRefusal::holidays_closed_not_yes_no: return "holidays_closed_not_yes_no";
            case SettingsRefusal::handling_days_out_of_range: return "handling_days_out_of_range";
            case SettingsRefusal::reply_hours_not_a_range:
            case SettingsRefusal::reply_time_not_a_clock:
            case SettingsRefusal::reply_hours_end_first: return "reply_hours";
            case SettingsRefusal::range_from_not_a_date:
            case SettingsRefusal::range_to_not_a_date: return "not_a_date";
            case SettingsRefusal::range_ends_first: return "range_ends_first";
            case SettingsRefusal::range_longer_than_a_year: return "range_longer_than_a_year";
            case SettingsRefusal::range_without_label: return "range_without_label";
            case SettingsRefusal::no_such_range: return "no_such_range";
            case SettingsRefusal::unknown_marketplace: return "unknown_marketplace";
            case SettingsRefusal::other_marketplace: return "other_marketplace";
            case SettingsRefusal::none: break;
        }
        throw InternalError("refusal_said: the edit was not refused");
    }();
    return say("settings." + key, {{"found", change.found}});
}

std::optional<Date> typed_date(const std::string& text) {
    try {
        if (text.size() == 10) return from_iso_date(text);
    } catch (const ValueError&) {
    }
    return std::nullopt;
}

// A shop's settings end up in every draft (the name signs it) and decide verdicts (staff names,
// own addresses): whatever their source (the shipped defaults, the seller's copy of them, the
// database), they are checked before use, and the source is named.
void check_shop_settings(const ShopSettings& s, const std::string& source) {
    const auto refuse = [&](const std::string& what, const std::string& found, const std::string& expected) {
        throw UsageError(source + ": " + what + " is '" + for_terminal(found, 200) + "', expected " + expected +
                         ". Hint: 'fbtrack shop set' and 'fbtrack calendar set' change them");
    };
    const auto plain = [](const std::string& text) {
        if (!is_valid_utf8(text) || text.find_first_not_of(" \u3000") == std::string::npos) return false;
        for (std::size_t i = 0; i < text.size();) {
            const CodePoint c = code_point_at(text, i);
            if (is_invisible(c.value)) return false;
            i += c.length;
        }
        return true;
    };
    // An empty name is a shop not named yet (its drafts are refused until it is), not an error.
    if (s.has_name() && !plain(s.shop_name)) refuse("the shop name", s.shop_name, "the name buyers see, without control, bidi or invisible characters");
    for (const auto& n : s.staff_names)
        if (!plain(n)) refuse("a staff name", n, "a name, without control, bidi or invisible characters");
    for (const auto& a : s.own_addresses)
        if (!plain(a) || a.find('@') == std::string::npos || a.find_first_of(" <>") != std::string::npos)
            refuse("an own address", a, "a mail address such as shop@example.com");
    static const std::vector<std::string> weekdays = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    for (const auto& w : s.closed_weekdays)
        if (std::find(weekdays.begin(), weekdays.end(), w) == weekdays.end()) refuse("a closed weekday", w, "sunday, monday, … saturday");
    for (const auto& r : s.closed_ranges) {
        for (const auto* d : {&r.from, &r.to})
            if (!typed_date(*d)) refuse("a closed range's date", *d, "a date such as 2026-12-29");
        if (r.to < r.from) refuse("the closed range " + r.from + ".." + r.to, r.label, "one that ends after it starts");
        if (!plain(r.label)) refuse("a closed range's label", r.label, "a label such as 年末年始");
    }
    if (s.handling_days < 0 || s.handling_days > 30) refuse("the handling time", std::to_string(s.handling_days), "0 to 30 business days");
    const auto clock = [](const std::string& t) {
        return t.size() == 5 && t[2] == ':' && std::isdigit(static_cast<unsigned char>(t[0])) && std::isdigit(static_cast<unsigned char>(t[1])) &&
               std::isdigit(static_cast<unsigned char>(t[3])) && std::isdigit(static_cast<unsigned char>(t[4])) && t.substr(0, 2) <= "24" &&
               t.substr(3) <= "59";
    };
    if (!clock(s.reply_from) || !clock(s.reply_until) || s.reply_until <= s.reply_from)
        refuse("the reply hours", s.reply_from + "-" + s.reply_until, "a range such as 09:00-18:00");
}

ShopSettings checked_shop_file(const Catalogue& data) {
    const ShopSettings s = ShopSettings::load(data);
    // A file's settings that cannot be used are that file's fault: exit 78, naming it (the
    // seller's copy or the shipped one), as for any data file.
    try {
        check_shop_settings(s, "shop.json");
    } catch (const UsageError& e) {
        data_file_error(data.file("shop.json"), e.what());
    }
    return s;
}

ShopSettings stored_shop(Store& store, const Catalogue& data, const std::string& database) {
    if (const auto stored = store.settings().get("shop")) {
        const ShopSettings s = ShopSettings::from_json(*stored);
        check_shop_settings(s, "the shop's settings in " + database);
        return s;
    }
    return checked_shop_file(data);
}

bool save_shop(Store& store, const ShopSettings& settings) {
    check_shop_settings(settings, "the new shop settings");
    const bool first = !store.settings().get("shop");
    store.settings().set("shop", settings.to_json());
    return first;
}

std::optional<std::string> remembered_marketplace(Store& store) { return store.settings().get("marketplace"); }

void remember_marketplace(Store& store, const Marketplace& marketplace) {
    if (!store.settings().get("marketplace")) store.settings().set("marketplace", marketplace.code);
}

namespace {

// `shop` with the name, staff names and own addresses given; what cannot be used is refused.
SettingsChange with_identity(ShopSettings& shop, const std::optional<std::string>& name,
                             const std::optional<std::vector<std::string>>& staff,
                             const std::optional<std::vector<std::string>>& own_addresses) {
    if (name) {
        if (name->empty()) return {SettingsRefusal::empty_shop_name, {}};
        shop.shop_name = *name;
    }
    if (staff) shop.staff_names = *staff;
    if (own_addresses) {
        for (const auto& a : *own_addresses)
            if (a.find('@') == std::string::npos || a.find_first_of(" <>") != std::string::npos)
                return {SettingsRefusal::not_a_mail_address, a};
        shop.own_addresses = *own_addresses;
    }
    return {};
}

}  // namespace

ShopSetup set_up_shop(AppContext& c, const ShopSetupRequest& request) {
    ShopSetup setup;
    const auto stored = c.store.settings().get("marketplace");
    setup.marketplace = request.marketplace.value_or(stored.value_or(c.marketplace.code));
    const auto known = known_marketplaces(c.data);
    if (std::find(known.begin(), known.end(), setup.marketplace) == known.end()) {
        setup.change = {SettingsRefusal::unknown_marketplace, setup.marketplace};
        return setup;
    }
    if (stored && *stored != setup.marketplace) {
        setup.change = {SettingsRefusal::other_marketplace, *stored};
        return setup;
    }
    setup.shop = c.shop;
    setup.change = with_identity(setup.shop, request.name, request.staff, request.own_addresses);
    if (setup.change.refused == SettingsRefusal::none && !setup.shop.has_name()) setup.change = {SettingsRefusal::empty_shop_name, {}};
    if (setup.change.refused != SettingsRefusal::none) return setup;
    Store::Transaction tx(c.store);
    if (!stored) c.store.settings().set("marketplace", setup.marketplace);
    setup.change.first_save = save_shop(c.store, setup.shop);
    tx.commit();
    c.shop = setup.shop;
    return setup;
}

SettingsChange set_shop(AppContext& c, const ShopSetRequest& request) {
    ShopSettings shop = c.shop;
    if (const auto refused = with_identity(shop, request.name, request.staff, request.own_addresses); refused.refused != SettingsRefusal::none)
        return refused;
    if (request.buy_shipping) {
        if (*request.buy_shipping != "yes" && *request.buy_shipping != "no")
            return {SettingsRefusal::buy_shipping_not_yes_no, *request.buy_shipping};
        shop.buy_shipping_always = *request.buy_shipping == "yes";
    }
    Store::Transaction tx(c.store);
    remember_marketplace(c.store, c.marketplace);
    SettingsChange change;
    change.first_save = save_shop(c.store, shop);
    tx.commit();
    c.shop = shop;
    return change;
}

namespace {

ShopSummary summary_of(const std::filesystem::path& path) {
    try {
        Store store(path);
        ShopSummary s;
        s.counts = store.counts();
        s.last_import = store.imports().last_import_at();
        s.marketplace = store.settings().get("marketplace").value_or("-");
        if (const auto settings = store.settings().get("shop")) s.name = ShopSettings::from_json(*settings).shop_name;
        return s;
    } catch (const SQLite::Exception& e) {
        rethrow_database_error(e, path);  // damage found past the opening: named like any other
    }
}

}  // namespace

std::vector<ShopSummary> shops_in(const std::filesystem::path& folder) {
    namespace fs = std::filesystem;
    std::vector<fs::path> databases;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder, ec))
        if (e.path().extension() == ".db" && e.is_regular_file()) databases.push_back(e.path());
    std::sort(databases.begin(), databases.end());
    std::vector<ShopSummary> shops;
    for (const auto& path : databases) {
        ShopSummary s;
        try {
            s = summary_of(path);
        } catch (const Error& e) {
            // Another program's file, or a damaged one: named, and the others still read.
            s = ShopSummary{};
            s.unreadable = e.what();
        }
        s.shop = path.stem().string();
        s.database = path;
        shops.push_back(std::move(s));
    }
    return shops;
}

}  // namespace fbtrack
