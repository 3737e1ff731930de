#pragma once
// A marketplace decides the local time zone, how feedback dates are written and the default
// language. The facts live in data/marketplaces.json so they can be corrected without a compiler.
#include <boost/date_time/local_time/local_time.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace fbtrack {

enum class DateOrder { year_month_day, month_day_year };

struct Marketplace {
    std::string code;  // "jp", "us"
    std::string name;  // "amazon.co.jp"
    std::string marketplace_id;
    std::string posix_tz;  // Boost's POSIX form; note Boost's sign: "JST+9" is UTC+9
    DateOrder feedback_date_order = DateOrder::year_month_day;
    std::string default_lang;
    std::vector<std::string> mail_domains;
    boost::local_time::time_zone_ptr zone;
};

Marketplace load_marketplace(const std::filesystem::path& data_dir, const std::string& code);
std::vector<std::string> known_marketplaces(const std::filesystem::path& data_dir);

}  // namespace fbtrack
