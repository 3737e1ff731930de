#pragma once
// A marketplace decides the local time zone, how feedback dates are written and the default
// language. Its facts are read from data/marketplaces.json (catalogue/Marketplace.h).
#include <boost/date_time/local_time/local_time.hpp>

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

}  // namespace fbtrack
