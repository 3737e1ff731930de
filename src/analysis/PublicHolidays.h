#pragma once
// A country's public holidays computed from rules (data/holidays/CODE.json), never from a list of
// dates: fixed days, nth weekdays, the equinoxes, one-off days, Japan's substitute and citizens'
// holidays, and the US observed-day rule.
#include "text/Dates.h"

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fbtrack {

struct Holiday {
    Date date;
    std::string name;
};

class PublicHolidays {
public:
    static PublicHolidays load(const std::filesystem::path& data_dir, const std::string& marketplace_code);

    // The holidays of one year, in date order.
    std::vector<Holiday> of_year(int year) const;
    // The holiday's name on that day, or "" (years are computed once and kept).
    std::string name_of(const Date& d) const;

    // Japan's equinox days by the astronomical approximation, valid 1980-2099.
    static int spring_equinox_day(int year);
    static int autumn_equinox_day(int year);

private:
    Poco::JSON::Object::Ptr rules_;
    mutable std::map<int, std::map<Date, std::string>> cache_;
    const std::map<Date, std::string>& year_map(int year) const;
};

}  // namespace fbtrack
