#pragma once
// A country's public holidays computed from rules (data/holidays/CODE.json), never from a list of
// dates: fixed days, nth weekdays, the equinoxes, one-off days, Japan's substitute and citizens'
// holidays, and the US observed-day rule.
#include "catalogue/Catalogue.h"
#include "text/Dates.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct Holiday {
    Date date;
    std::string name;
};

class PublicHolidays {
public:
    static PublicHolidays load(const Catalogue& data, const std::string& marketplace_code);

    // The holidays of one year, in date order.
    std::vector<Holiday> of_year(int year) const;
    // The holiday's name on that day, or "" (years are computed once and kept).
    std::string name_of(const Date& d) const;

    // Japan's equinox days by the astronomical approximation, valid 1980-2099.
    static int spring_equinox_day(int year);
    static int autumn_equinox_day(int year);

private:
    // The rules as read and checked when the file is loaded: a wrong one is named then, with its
    // place in the file, not met later in the middle of a calendar.
    struct Rule {
        enum class Kind { fixed, nth_weekday, equinox, once } kind = Kind::fixed;
        std::string name;
        unsigned short month = 1, day = 1;
        int nth = 1;  // -1: the last
        boost::date_time::weekdays weekday = boost::date_time::Monday;
        bool spring = true;
        Date date;  // once
        std::optional<int> from, to;
        std::vector<int> except;
        bool in_year(int year) const;
    };
    struct Sandwich {  // Japan: 国民の休日
        std::string name;
        Date from, sunday_excluded_until;
    };
    struct Substitute {  // Japan: 振替休日
        std::string name;
        Date from, next_non_holiday_from;
    };
    std::vector<Rule> rules_;
    std::optional<Sandwich> sandwich_;
    std::optional<Substitute> substitute_;
    std::optional<std::string> observed_suffix_;  // US: a weekend holiday observed on a weekday
    mutable std::map<int, std::map<Date, std::string>> cache_;
    const std::map<Date, std::string>& year_map(int year) const;
};

}  // namespace fbtrack
