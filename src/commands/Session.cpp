#include "commands/Session.h"
#include "commands/Words.h"

#include "catalogue/DataFiles.h"
#include "catalogue/Sentences.h"
#include "core/Errors.h"
#include "core/UserDirs.h"
#include "text/Dates.h"
#include "text/TerminalText.h"

namespace fbtrack {

Date date_option(const std::string& option, const std::string& text) {
    if (const auto date = typed_date(text)) return *date;
    throw UsageError(say("usage.date", {{"option", option}, {"found", text}}));
}

std::pair<Date, Date> month_option(const std::string& option, const std::string& text) {
    try {
        return month_range(text);
    } catch (const ValueError&) {
        throw UsageError(say("usage.month", {{"option", option}, {"found", text}}));
    }
}

// The seller's copies of data files, or none when there is no home folder to keep them in.
std::filesystem::path own_data_dir() {
    try {
        return user_config_dir();
    } catch (const UsageError&) {
        return {};
    }
}

void check_lang_option(const std::optional<std::string>& lang) {
    if (lang && *lang != "ja" && *lang != "en") throw UsageError(say("usage.lang", {{"lang", *lang}}));
}

namespace {

Clock make_clock(const std::optional<std::string>& today) {
    if (!today) return Clock();
    return Clock(date_option("--today", *today));
}
}  // namespace

Session::Session(const GlobalOptions& options, const Catalogue& data, std::ostream& out, std::ostream& err)
    : options_(options), out_(out), err_(err), data_(data), clock_(make_clock(options.today)) {
    check_lang_option(options_.lang);
    if (options_.marketplace) load_marketplace(data_, *options_.marketplace);  // refuse unknown codes early
    std::error_code ec;
    // A file that is not there yet, or empty (as `touch` leaves it), becomes a new database.
    const bool new_database = options_.db_path != ":memory:" &&
                              (!std::filesystem::exists(options_.db_path, ec) ||
                               (std::filesystem::is_regular_file(options_.db_path, ec) && std::filesystem::file_size(options_.db_path, ec) == 0));
    const bool in_memory = new_database && !options_.may_create_database;
    created_database_ = new_database && !in_memory;
    store_ = std::make_unique<Store>(in_memory ? std::filesystem::path(":memory:") : options_.db_path, options_.max_db_pages);
    const auto stored = store_->settings().get("marketplace");
    if (stored && options_.marketplace && *stored != *options_.marketplace)
        throw UsageError(say("usage.marketplace_differs", {{"db", options_.db_path.string()}, {"stored", *stored},
                                                           {"given", *options_.marketplace}}));
    marketplace_ = load_marketplace(data_, stored.value_or(options_.marketplace.value_or(new_shop_marketplace)));
    // A mistyped --db makes a new, empty database: say so, where it cannot be missed, in the
    // language of the marketplace it is for.
    if (new_database && !in_memory)
        err_ << "fbtrack: " << for_terminal(output_words(data_, lang())("created_database", {{"database", options_.db_path.string()}})) << "\n";
    // Said with the errors, in the shop's language: what follows may well be one.
    if (const auto reading_only = store_->database().reading_only(); reading_only != Database::ReadingOnly::no) {
        const Sentences notes(data_, "templates/errors." + lang() + ".json");
        err_ << "fbtrack: "
             << for_terminal(notes(reading_only == Database::ReadingOnly::full_disk ? "note.disk_full" : "note.read_only_disk",
                                   {{"db", options_.db_path.string()}}))
             << "\n";
    }
    // As of --today (or today), nothing dated later exists for any analysis: a shipment made
    // after it must not be quoted in a draft written as of it.
    const Date today = local_date_of(clock_.now_utc(), marketplace_.zone);
    store_->database().set_as_of(AsOf{to_iso_date(today),
                           to_iso_utc(utc_of_local(today + boost::gregorian::days(1), boost::posix_time::hours(0), marketplace_.zone))});
}

std::string Session::lang() const { return options_.lang.value_or(marketplace_.default_lang); }

void Session::remember_marketplace() { fbtrack::remember_marketplace(*store_, marketplace_); }

ShopSettings Session::shop() { return stored_shop(*store_, data_, options_.db_path.string()); }

AppContext Session::app_context(Settings settings) {
    const auto& db = options_.db_path;
    return AppContext{store(), data_, marketplace_, settings == Settings::shop ? shop() : ShopSettings{}, lang(), clock_.now_utc(),
                      db.has_parent_path() ? db.parent_path() : std::filesystem::path(".")};
}

ShopSettings Session::default_shop() const { return checked_shop_file(data_); }

void Session::save_shop(const ShopSettings& settings) {
    if (fbtrack::save_shop(*store_, settings)) announce_adopted_settings();
}

void Session::tell_if_unnamed(const ShopSettings& shop) {
    if (shop.has_name()) return;
    const Sentences t(data_, "templates/setup." + lang() + ".json");
    err_ << "fbtrack: " << for_terminal(t("name_not_set", {{"placeholder", t("shop_name_not_set")}})) << "\n";
}

void Session::announce_adopted_settings() {
    err_ << "fbtrack: " << for_terminal(output_words(data_, lang())("adopted_settings", {{"file", data_.file("shop.json").string()}})) << "\n";
}

}  // namespace fbtrack
