#pragma once
// When the shop works: its weekly closed days, its closed stretches (年末年始, お盆 …) and the
// marketplace's public holidays. Business-day arithmetic for ship-by estimates and reply times.
#include "analysis/PublicHolidays.h"
#include "catalogue/Marketplace.h"
#include "catalogue/Sentences.h"
#include "catalogue/ShopSettings.h"
#include "store/Store.h"

#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct ClosedDay {
    Date date;
    std::vector<std::string> kinds;    // weekly, holiday, range
    std::vector<std::string> reasons;  // in the session's language
    std::string holiday;               // the public holiday's name, if any (closed or not)
};

struct ClosedStretch {
    Date first, last;
    std::string label;  // the first reason of its first day
};

struct ShipBy {
    Date date;
    bool estimated = false;  // from the order date and the handling time, not from a report
};

class ShopCalendar {
public:
    ShopCalendar(const ShopSettings& shop, const Marketplace& marketplace, const Catalogue& data,
                 const std::string& lang);

    bool is_open(const Date& d) const;
    std::optional<ClosedDay> closed(const Date& d) const;
    std::vector<ClosedDay> closed_days(const Date& from, const Date& to) const;
    // Runs of consecutive closed days that touch [from, to].
    std::vector<ClosedStretch> closed_stretches(const Date& from, const Date& to) const;
    // Public holidays of the year whether or not the shop closes on them.
    std::vector<Holiday> holidays(int year) const { return holidays_.of_year(year); }

    Date next_open_day(Date d) const;  // d itself when open
    // The n-th open day after `start` (n = 0: the first open day from `start` on).
    Date add_business_days(const Date& start, int n) const;
    // The ship-by date a handling time of N business days gives for an order placed on `ordered`.
    Date estimated_ship_by(const Date& ordered) const { return add_business_days(ordered, shop_.handling_days); }
    int handling_days() const { return shop_.handling_days; }
    // The ship-by date a report gave the order, else the estimate; the order needs a purchase time.
    ShipBy ship_by_of(const OrderFacts& order) const;
    // Every reason of a closed stretch, once each: "定休日（日曜日）・祝日：勤労感謝の日".
    std::string reasons_of(const ClosedStretch& stretch) const;
    // Hours between two times that fall on open days inside the shop's reply hours.
    double working_hours_between(const UtcTime& from, const UtcTime& to) const;

private:
    const ShopSettings& shop_;
    const Marketplace& marketplace_;
    PublicHolidays holidays_;
    Sentences texts_;
    std::vector<int> closed_weekdays_;  // 0 = Sunday
};

}  // namespace fbtrack
