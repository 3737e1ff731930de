#pragma once
// Where an import's time goes (`fbtrack import --timings`, and bench/run's breakdown). Each moment
// is charged to exactly one phase: a phase entered inside another pauses it. Off unless asked for,
// since it reads the clock a few times per row.
#include <array>
#include <chrono>
#include <string>

namespace fbtrack {

class PhaseTimes {
public:
    enum Phase { other, hash, read, decode, parse, sort, insert, index, commit, phase_count };

    // Charges the time until it ends to `phase`; does nothing when `times` is null.
    class Scope {
    public:
        Scope(PhaseTimes* times, Phase phase) : times_(times) {
            if (times_) previous_ = times_->enter(phase);
        }
        ~Scope() {
            if (times_) times_->enter(previous_);
        }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        PhaseTimes* times_;
        Phase previous_ = other;
    };

    PhaseTimes();
    // "hash 0.21 s, read 0.40 s, …, total 4.10 s": every phase, in a fixed order, for scripts.
    std::string summary();

private:
    Phase enter(Phase phase);  // returns the phase that was running

    using Clock = std::chrono::steady_clock;
    std::array<Clock::duration, phase_count> spent_{};
    Phase current_ = other;
    Clock::time_point since_, started_;
};

}  // namespace fbtrack
