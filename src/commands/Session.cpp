#include "commands/Session.h"

#include "catalogue/DataFiles.h"
#include "core/Errors.h"
#include "core/UserDirs.h"
#include "text/Dates.h"
#include "text/Encoding.h"
#include "text/TerminalText.h"

#include <algorithm>
#include <cctype>

namespace fbtrack {

namespace {
// YYYY-MM-DD exactly, as a seller types it on the command line or in a closed range.
std::optional<Date> whole_iso_date(const std::string& text) {
    try {
        if (text.size() == 10) return from_iso_date(text);
    } catch (const ValueError&) {
    }
    return std::nullopt;
}
}  // namespace

Date date_option(const std::string& option, const std::string& text) {
    if (const auto date = whole_iso_date(text)) return *date;
    throw UsageError(option + ": found '" + text + "', expected a date such as 2026-11-27");
}

std::pair<Date, Date> month_option(const std::string& option, const std::string& text) {
    try {
        return month_range(text);
    } catch (const ValueError&) {
        throw UsageError(option + ": found '" + text + "', expected a month such as 2026-10");
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

namespace {

Clock make_clock(const std::optional<std::string>& today) {
    if (!today) return Clock();
    return Clock(date_option("--today", *today));
}
}  // namespace

Session::Session(const GlobalOptions& options, const Catalogue& data, std::ostream& out, std::ostream& err)
    : options_(options), out_(out), err_(err), data_(data), clock_(make_clock(options.today)) {
    if (options_.lang && *options_.lang != "ja" && *options_.lang != "en")
        throw UsageError("--lang: found '" + *options_.lang + "', expected ja or en");
    if (options_.marketplace) load_marketplace(data_, *options_.marketplace);  // refuse unknown codes early
    std::error_code ec;
    // A file that is not there yet, or empty (as `touch` leaves it), becomes a new database.
    const bool new_database = options_.db_path != ":memory:" &&
                              (!std::filesystem::exists(options_.db_path, ec) ||
                               (std::filesystem::is_regular_file(options_.db_path, ec) && std::filesystem::file_size(options_.db_path, ec) == 0));
    const bool in_memory = new_database && !options_.may_create_database;
    created_database_ = new_database && !in_memory;
    store_ = std::make_unique<Store>(in_memory ? std::filesystem::path(":memory:") : options_.db_path, options_.max_db_pages);
    // A mistyped --db makes a new, empty database: say so, where it cannot be missed.
    if (new_database && !in_memory) err_ << "fbtrack: created a new database, " << for_terminal(options_.db_path.string()) << "\n";
    if (store_->database().reading_only() == Database::ReadingOnly::full_disk)
        err_ << "fbtrack: note: the disk that holds " << for_terminal(options_.db_path.string())
             << " is full: reading the database without writing to it. Free some space before the next import\n";
    if (store_->database().reading_only() == Database::ReadingOnly::read_only_disk)
        err_ << "fbtrack: note: the disk that holds " << for_terminal(options_.db_path.string())
             << " is mounted read-only: reading the database without writing to it\n";
    const auto stored = store_->settings().get("marketplace");
    if (stored && options_.marketplace && *stored != *options_.marketplace)
        throw UsageError("database " + options_.db_path.string() + " holds marketplace '" + *stored +
                         "', but --marketplace " + *options_.marketplace +
                         " was given. Hint: use a separate database per marketplace (--db)");
    marketplace_ = load_marketplace(data_, stored.value_or(options_.marketplace.value_or("jp")));
    // As of --today (or today), nothing dated later exists for any analysis: a shipment made
    // after it must not be quoted in a draft written as of it.
    const Date today = local_date_of(clock_.now_utc(), marketplace_.zone);
    store_->database().set_as_of(AsOf{to_iso_date(today),
                           to_iso_utc(utc_of_local(today + boost::gregorian::days(1), boost::posix_time::hours(0), marketplace_.zone))});
}

std::string Session::lang() const { return options_.lang.value_or(marketplace_.default_lang); }

void Session::remember_marketplace() {
    if (!store_->settings().get("marketplace")) store_->settings().set("marketplace", marketplace_.code);
}

// A shop's settings end up in every draft (the name signs it) and decide verdicts (staff names,
// own addresses): whatever their source (the shipped example, the seller's copy of it, the
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
    if (!plain(s.shop_name)) refuse("the shop name", s.shop_name, "the name buyers see, without control, bidi or invisible characters");
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
            if (!whole_iso_date(*d)) refuse("a closed range's date", *d, "a date such as 2026-12-29");
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


ShopSettings Session::shop() {
    if (const auto stored = store_->settings().get("shop")) {
        const ShopSettings s = ShopSettings::from_json(*stored);
        check_shop_settings(s, "the shop's settings in " + options_.db_path.string());
        return s;
    }
    return default_shop();
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

AppContext Session::app_context(Settings settings) {
    const auto& db = options_.db_path;
    return AppContext{store(), data_, marketplace_, settings == Settings::shop ? shop() : ShopSettings{}, lang(), clock_.now_utc(),
                      db.has_parent_path() ? db.parent_path() : std::filesystem::path(".")};
}

ShopSettings Session::default_shop() const {
    return checked_shop_file(data_);
}

void Session::save_shop(const ShopSettings& settings) {
    check_shop_settings(settings, "the new shop settings");
    const bool first = !store_->settings().get("shop");
    store_->settings().set("shop", settings.to_json());
    if (first) announce_adopted_settings();
}

bool Session::adopt_shop_settings() {
    if (store_->settings().get("shop")) return false;
    store_->settings().set("shop", default_shop().to_json());
    return true;
}

void Session::announce_adopted_settings() {
    err_ << "fbtrack: this shop's database now keeps its own settings, taken from " << data_.file("shop.json").string()
         << ": 'fbtrack shop show' lists them, 'fbtrack shop set' and 'fbtrack calendar' change them\n";
}

}  // namespace fbtrack
