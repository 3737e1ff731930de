#pragma once
// SIGINT and SIGTERM asked of a command that talks to servers (fetch, notify, watch): while a
// StopSignals lives, the signal is only noted, and the work stops at its next safe point (a batch
// rolled back, a connection closed, temporary files removed) instead of dying in the middle.
// The note is process-wide by nature: a signal handler can reach nothing else.
#include <chrono>
#include <memory>

namespace fbtrack {

// Thrown at a safe point once a stop was asked for; the command line turns it into exit 0.
struct StopRequested {
    int signal = 0;
};

class StopSignals {
public:
    StopSignals();   // installs the handlers (without SA_RESTART, so a blocked read returns)
    ~StopSignals();  // puts the previous handlers back
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // The signal asked for (SIGINT, SIGTERM), or 0. Safe from any thread.
    static int requested();
    // Throws StopRequested when a stop was asked for.
    static void check();
    // Waits up to `wait` for a stop; true when one was asked for (at once if it was before).
    static bool wait_for(std::chrono::milliseconds wait);

private:
    struct Saved;
    std::unique_ptr<Saved> saved_;
};

}  // namespace fbtrack
