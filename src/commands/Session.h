#pragma once
// What every command needs: the options given before the command, the data folder, the store
// and the marketplace it is remembered for.
#include "core/Clock.h"
#include "app/AppContext.h"
#include "app/Shop.h"
#include "catalogue/Catalogue.h"
#include "catalogue/DataFiles.h"
#include "catalogue/Marketplace.h"
#include "catalogue/ShopSettings.h"
#include "store/Store.h"
#include "text/Dates.h"

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace fbtrack {

struct GlobalOptions {
    std::string shop = "default";  // --shop or $FBTRACK_SHOP
    std::filesystem::path db_path;  // --db, $FBTRACK_DB, or the shop's database
    std::optional<std::string> marketplace;  // as given with --marketplace
    std::optional<std::string> lang;
    std::optional<std::string> today;  // YYYY-MM-DD
    // $FBTRACK_MAX_DB_PAGES: a cap on the database's size in pages, so that a full disk can be
    // tried out (the tests do) without filling one.
    std::optional<long long> max_db_pages;
    // False for a command that must write nothing (import --dry-run): a database that is not
    // there yet is then not created; the command runs on an empty one in memory.
    bool may_create_database = true;
};

// A YYYY-MM-DD command-line value, or a UsageError naming the option.
Date date_option(const std::string& option, const std::string& text);
// A YYYY-MM command-line value as its first and last day, or a UsageError naming the option.
std::pair<Date, Date> month_option(const std::string& option, const std::string& text);
// A --lang value (ja or en), or a UsageError; nothing when none was given.
void check_lang_option(const std::optional<std::string>& lang);
// ~/.config/fbtrack, where the seller's own copies of data files are; empty without a home folder.
std::filesystem::path own_data_dir();

class Session {
public:
    // `data`: the process's one catalogue of data files, shared by every session it opens.
    Session(const GlobalOptions& options, const Catalogue& data, std::ostream& out, std::ostream& err);

    Store& store() { return *store_; }
    const Marketplace& marketplace() const { return marketplace_; }
    const Catalogue& data() const { return data_; }
    const Clock& clock() const { return clock_; }
    std::string lang() const;
    std::ostream& out() { return out_; }
    std::ostream& err() { return err_; }
    const GlobalOptions& options() const { return options_; }
    // The database was made by this run (it was not there, or was an empty file).
    bool created_database() const { return created_database_; }
    // Remember the marketplace in the database (inside the caller's transaction).
    void remember_marketplace();
    // The shop's settings: kept in its database; data/shop.json until they are first saved.
    ShopSettings shop();
    // What the use-cases of src/app work with, as of the session's clock. `without_shop` leaves
    // the shop's settings empty, unread and unchecked, for a use-case that reads none (status).
    enum class Settings { shop, without_shop };
    AppContext app_context(Settings settings = Settings::shop);
    // data/shop.json (or the seller's copy of it): a new shop's settings, checked.
    ShopSettings default_shop() const;
    // Saves the shop's settings into its database, checked first; the first save is announced.
    void save_shop(const ShopSettings& settings);
    // For a command that drafts: while the shop has no name, one line on stderr (in the shop's
    // language, from templates/setup.LANG.json) saying that its drafts are not written, and how to
    // name it.
    void tell_if_unnamed(const ShopSettings& shop);
    // Tells the seller that the shop's database now keeps its own settings (after the first
    // import or edit saved them, once committed).
    void announce_adopted_settings();

private:
    GlobalOptions options_;
    std::ostream& out_;
    std::ostream& err_;
    const Catalogue& data_;  // the shipped data, with the seller's own copies in their place
    Clock clock_;
    std::unique_ptr<Store> store_;
    bool created_database_ = false;
    Marketplace marketplace_;
};

}  // namespace fbtrack
