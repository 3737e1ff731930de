#pragma once
// Dates and times as exports write them. Times are returned in UTC; dates without a time are
// marketplace-local calendar dates. Impossible values (2023-02-30, 25:00) are refused.
#include "model/Marketplace.h"

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace fbtrack {

using Date = boost::gregorian::date;

// The years fbtrack reads. Boost's calendar ends at 1400 and 9999, and a time zone shift near
// either end would step outside it; no export or mail date lies outside these.
constexpr int first_supported_year = 1900;
constexpr int last_supported_year = 2199;
using UtcTime = boost::posix_time::ptime;
// Whether a time, once in UTC, lies in those years: a local time near either end, shifted by its
// zone, can leave them, and a stored time outside them could not be read back.
bool is_supported(const UtcTime& t);

// ISO 8601 with an offset or Z ("2022-10-30T03:00:54+09:00"), or a local time without one
// ("2023-04-10T12:00:00", "2023/04/10 12:34", "2023-04-10 12:34:56"), or a bare local date,
// taken as the start of that day in `zone`.
UtcTime parse_timestamp(std::string_view text, const boost::local_time::time_zone_ptr& zone);

// "2023-04-10" or "2023/04/10" (or a timestamp, reduced to its local date in `zone`).
Date parse_local_date(std::string_view text, const boost::local_time::time_zone_ptr& zone);

// Feedback report dates: "YY/M/D" or "YYYY/M/D" for year-first marketplaces, "M/D/YY" or
// "M/D/YYYY" for month-first ones. The order comes from the marketplace, never from the value.
Date parse_feedback_date(std::string_view text, DateOrder order);

// A mail Date as RFC 5322 writes it and mailers bend it: the weekday optional, comments
// ("(JST)"), folding over lines, two- and three-digit years, no seconds, numeric zones or the
// obsolete names (GMT, EST, JST…). Empty when it is not such a date. Linear in the text.
std::optional<UtcTime> parse_mail_date(std::string_view text);

std::string to_iso_utc(const UtcTime& t);  // "2022-10-29T18:00:54Z"
std::string to_iso_date(const Date& d);    // "2022-10-29"
std::string date_text(const std::optional<Date>& d);  // to_iso_date, or "" when unknown
std::string format_one_decimal(double v);               // "10.6"
UtcTime from_iso_utc(std::string_view text);
Date from_iso_date(std::string_view text);
// "2026-10" → the first and the last day of that month; ValueError for anything else.
std::pair<Date, Date> month_range(std::string_view month);
Date local_date_of(const UtcTime& t, const boost::local_time::time_zone_ptr& zone);
// "2026-10-09 22:30": a UTC time as the marketplace's local clock shows it.
std::string to_local_minutes(const UtcTime& t, const boost::local_time::time_zone_ptr& zone);
UtcTime utc_of_local(const Date& d, const boost::posix_time::time_duration& time_of_day,
                     const boost::local_time::time_zone_ptr& zone);

}  // namespace fbtrack
