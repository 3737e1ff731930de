#include "core/PhaseTimes.h"

#include <cstdio>

namespace fbtrack {

PhaseTimes::PhaseTimes() : since_(Clock::now()), started_(since_) {}

PhaseTimes::Phase PhaseTimes::enter(Phase phase) {
    const auto now = Clock::now();
    spent_[current_] += now - since_;
    since_ = now;
    const Phase previous = current_;
    current_ = phase;
    return previous;
}

std::string PhaseTimes::summary() {
    enter(current_);
    static constexpr std::array<const char*, phase_count> names = {"other", "hash",   "read",  "decode", "parse",
                                                                   "sort",  "insert", "index", "commit"};
    std::string out;
    char buffer[64];
    for (int p = hash; p < phase_count; ++p) {
        std::snprintf(buffer, sizeof buffer, "%s %.2f s, ", names[p], std::chrono::duration<double>(spent_[p]).count());
        out += buffer;
    }
    std::snprintf(buffer, sizeof buffer, "other %.2f s, total %.2f s", std::chrono::duration<double>(spent_[other]).count(),
                  std::chrono::duration<double>(Clock::now() - started_).count());
    return out + buffer;
}

}  // namespace fbtrack
