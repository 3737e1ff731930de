#include "commands/Session.h"

#include "core/DataFiles.h"
#include "core/Errors.h"
#include "core/UserDirs.h"
#include "text/Dates.h"

namespace fbtrack {

Date date_option(const std::string& option, const std::string& text) {
    try {
        if (text.size() != 10) throw ValueError(text, "YYYY-MM-DD");
        return from_iso_date(text);
    } catch (const ValueError&) {
        throw UsageError(option + ": found '" + text + "', expected a date such as 2026-11-27");
    }
}

namespace {
// The seller's copies of data files, or none when there is no home folder to keep them in.
std::filesystem::path own_data_dir() {
    try {
        return user_config_dir();
    } catch (const UsageError&) {
        return {};
    }
}

Clock make_clock(const std::optional<std::string>& today) {
    if (!today) return Clock();
    return Clock(date_option("--today", *today));
}
}  // namespace

Session::Session(const GlobalOptions& options, std::ostream& out, std::ostream& err)
    : options_(options), out_(out), err_(err), data_(find_data_dir(), own_data_dir()), clock_(make_clock(options.today)) {
    if (options_.lang && *options_.lang != "ja" && *options_.lang != "en")
        throw UsageError("--lang: found '" + *options_.lang + "', expected ja or en");
    if (options_.marketplace) load_marketplace(data_dir(), *options_.marketplace);  // refuse unknown codes early
    std::error_code ec;
    const bool new_database = options_.db_path != ":memory:" && !std::filesystem::exists(options_.db_path, ec);
    store_ = std::make_unique<Store>(options_.db_path, options_.max_db_pages);
    // A mistyped --db makes a new, empty database: say so, where it cannot be missed.
    if (new_database) err_ << "fbtrack: created a new database, " << options_.db_path.string() << "\n";
    const auto stored = store_->setting("marketplace");
    if (stored && options_.marketplace && *stored != *options_.marketplace)
        throw UsageError("database " + options_.db_path.string() + " holds marketplace '" + *stored +
                         "', but --marketplace " + *options_.marketplace +
                         " was given. Hint: use a separate database per marketplace (--db)");
    marketplace_ = load_marketplace(data_dir(), stored.value_or(options_.marketplace.value_or("jp")));
    // As of --today (or today), nothing dated later exists for any analysis: a shipment made
    // after it must not be quoted in a draft written as of it.
    const Date today = local_date_of(clock_.now_utc(), marketplace_.zone);
    store_->set_as_of(AsOf{to_iso_date(today),
                           to_iso_utc(utc_of_local(today + boost::gregorian::days(1), boost::posix_time::hours(0), marketplace_.zone))});
}

std::string Session::lang() const { return options_.lang.value_or(marketplace_.default_lang); }

void Session::remember_marketplace() {
    if (!store_->setting("marketplace")) store_->set_setting("marketplace", marketplace_.code);
}

ShopSettings Session::shop() {
    if (const auto stored = store_->setting("shop")) return ShopSettings::from_json(*stored);
    return ShopSettings::load(data_dir());
}

void Session::save_shop(const ShopSettings& settings) {
    const bool first = !store_->setting("shop");
    store_->set_setting("shop", settings.to_json());
    if (first) announce_adopted_settings();
}

bool Session::adopt_shop_settings() {
    if (store_->setting("shop")) return false;
    store_->set_setting("shop", ShopSettings::load(data_dir()).to_json());
    return true;
}

void Session::announce_adopted_settings() {
    std::error_code ec;
    const auto source = std::filesystem::canonical(data_dir() / "shop.json", ec);  // the seller's copy or the shipped file
    err_ << "fbtrack: this shop's database now keeps its own settings, taken from " << (ec ? data_dir() / "shop.json" : source).string()
         << ": 'fbtrack shop show' lists them, 'fbtrack shop set' and 'fbtrack calendar' change them\n";
}

}  // namespace fbtrack
