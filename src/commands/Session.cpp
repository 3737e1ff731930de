#include "commands/Session.h"
#include "app/Words.h"

#include "app/OpenShop.h"

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
    OpenedShop opened = open_shop(data_, OpenShopRequest{options_.db_path, options_.marketplace, options_.max_db_pages,
                                                         options_.may_create_database});
    store_ = std::move(opened.store);
    marketplace_ = std::move(opened.marketplace);
    created_database_ = opened.created;
    // A mistyped --db makes a new, empty database: say so, where it cannot be missed, in the
    // language of the marketplace it is for.
    if (created_database_)
        err_ << "fbtrack: " << for_terminal(output_words(data_, lang())("created_database", {{"database", options_.db_path.string()}})) << "\n";
    // Said with the errors, in the shop's language: what follows may well be one.
    if (const auto reading_only = store_->database().reading_only(); reading_only != Database::ReadingOnly::no) {
        const Sentences notes(data_, "templates/errors." + lang() + ".json");
        err_ << "fbtrack: "
             << for_terminal(notes(reading_only == Database::ReadingOnly::full_disk ? "note.disk_full" : "note.read_only_disk",
                                   {{"db", options_.db_path.string()}}))
             << "\n";
    }
    stand_on(*store_, marketplace_, clock_.now_utc());
}

std::string Session::lang() const { return options_.lang.value_or(marketplace_.default_lang); }

void Session::remember_marketplace() { fbtrack::remember_marketplace(*store_, marketplace_); }

ShopSettings Session::shop() { return stored_shop(*store_, data_, options_.db_path.string()); }

AppContext Session::app_context(Settings settings) {
    const auto& db = options_.db_path;
    return AppContext{store(), data_, marketplace_, settings == Settings::shop ? shop() : ShopSettings{}, lang(), clock_.now_utc(),
                      folder_of(db)};
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
