#pragma once
// The one source of "now". --today pins it, so reports and tests are reproducible.
#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>

#include <optional>

namespace fbtrack {

class Clock {
public:
    Clock() = default;
    // A pinned clock reads noon UTC of that day: the same date in every marketplace we serve.
    explicit Clock(boost::gregorian::date pinned) : pinned_(pinned) {}

    boost::posix_time::ptime now_utc() const;
    bool pinned() const { return pinned_.has_value(); }

private:
    std::optional<boost::gregorian::date> pinned_;
};

}  // namespace fbtrack
