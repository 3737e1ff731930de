#pragma once
// The shop's settings and where they are kept: in its database once saved, data/shop.json (or the
// seller's copy of it) until then, checked wherever they come from. The use-cases behind
// `init`, `shop show`, `shop set` and `shops`, and the reasons an edit of the settings is refused.
#include "app/AppContext.h"
#include "catalogue/Catalogue.h"
#include "catalogue/ShopSettings.h"
#include "core/Errors.h"
#include "model/Marketplace.h"
#include "store/Store.h"
#include "text/Dates.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

// YYYY-MM-DD exactly, as a seller types it on the command line or in a closed range.
std::optional<Date> typed_date(const std::string& text);

// A shop's settings, checked before use (every draft is signed with them); UsageError naming
// `source` for a value that cannot be used.
void check_shop_settings(const ShopSettings& settings, const std::string& source);
// data/shop.json (or the seller's copy), read and checked: DataFileError naming the file.
ShopSettings checked_shop_file(const Catalogue& data);
// The shop's settings: those its database keeps (`database` names it in errors), else the file's.
ShopSettings stored_shop(Store& store, const Catalogue& data, const std::string& database);
// Saves the settings into the shop's database, checked first. True when the database kept none
// before: the seller is then told that it keeps its own from now on.
bool save_shop(Store& store, const ShopSettings& settings);
// The marketplace the database holds, if it holds one yet.
std::optional<std::string> remembered_marketplace(Store& store);
// Remembers the marketplace in a database that has none yet (inside the caller's transaction).
void remember_marketplace(Store& store, const Marketplace& marketplace);

// Why an edit of the shop's settings (shop set, calendar set/add/remove) was not made; `found`
// in the answer holds what was given.
enum class SettingsRefusal {
    none,
    empty_shop_name,
    not_a_mail_address,        // found: the address
    buy_shipping_not_yes_no,   // found
    unknown_weekday,           // found: the word
    holidays_closed_not_yes_no,  // found
    handling_days_out_of_range,
    reply_hours_not_a_range,
    reply_time_not_a_clock,    // found: the time
    reply_hours_end_first,
    range_from_not_a_date,     // found
    range_to_not_a_date,       // found
    range_ends_first,
    range_longer_than_a_year,
    range_without_label,
    no_such_range,             // found: the date or label given
    unknown_marketplace,       // found
    other_marketplace,         // found: the marketplace the database already holds
};

// What an edit did: refused (and why), or saved.
struct SettingsChange {
    SettingsRefusal refused = SettingsRefusal::none;
    std::string found;
    // The settings are now kept in the database, where there were none before.
    bool first_save = false;
};

// Why an edit was refused, as a sentence of templates/errors.LANG.json (settings.*) with what was
// given: for a front end whose form has no option name to put before it.
Said refusal_said(const SettingsChange& change);

struct ShopSetRequest {
    std::optional<std::string> name;
    std::optional<std::vector<std::string>> staff, own_addresses;
    std::optional<std::string> buy_shipping;  // yes or no
};
// Changes the shop's name, staff names, own addresses or Buy Shipping, and saves them (with the
// marketplace, in one transaction); `c.shop` then holds what was saved.
SettingsChange set_shop(AppContext& c, const ShopSetRequest& request);

// What `fbtrack init` sets up: the shop's marketplace, name, staff names and own addresses.
struct ShopSetupRequest {
    // Left out: the one the database holds, else the context's.
    std::optional<std::string> marketplace;
    // Left out: kept as the shop has them (none, in a new shop); a shop set up must have a name.
    std::optional<std::string> name;
    std::optional<std::vector<std::string>> staff, own_addresses;
};
struct ShopSetup {
    SettingsChange change;
    std::string marketplace;  // the code the database now holds
    ShopSettings shop;        // as saved
};
// Remembers the marketplace (refused when the database holds another: its data are of that one)
// and saves the name, staff names and own addresses, in one transaction; `c.shop` then holds
// what was saved.
ShopSetup set_up_shop(AppContext& c, const ShopSetupRequest& request);

// A shop in the seller's data folder: its database's marketplace, counts and last import, or why
// it cannot be read.
struct ShopSummary {
    std::string shop;  // the database's name without .db
    std::filesystem::path database;
    std::optional<std::string> unreadable;  // the error that stopped reading it
    std::string marketplace = "-", name;
    StoreCounts counts;
    std::optional<std::string> last_import;
};
// Every shop database (*.db) in `folder`, by name; another program's file or a damaged one is
// named with its error, and the others are still read.
std::vector<ShopSummary> shops_in(const std::filesystem::path& folder);

}  // namespace fbtrack
