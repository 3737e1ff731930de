#include "core/Clock.h"

#include <boost/date_time/posix_time/posix_time.hpp>

namespace fbtrack {

boost::posix_time::ptime Clock::now_utc() const {
    if (pinned_) return boost::posix_time::ptime(*pinned_, boost::posix_time::hours(12));
    return boost::posix_time::second_clock::universal_time();
}

}  // namespace fbtrack
