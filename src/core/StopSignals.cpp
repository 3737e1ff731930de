#include "core/StopSignals.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <stdexcept>
#include <thread>

namespace fbtrack {

namespace {

// What a handler may touch: a lock-free atomic and a pipe's write end.
std::atomic<int> asked{0};
std::atomic<int> wake_fd{-1};
std::atomic<int> wait_fd{-1};

extern "C" void note_stop(int signal) {
    const int saved_errno = errno;
    int expected = 0;
    asked.compare_exchange_strong(expected, signal);
    const int fd = wake_fd.load();
    if (fd >= 0) {
        const char byte = 1;
        [[maybe_unused]] const auto n = ::write(fd, &byte, 1);
    }
    errno = saved_errno;
}

}  // namespace

struct StopSignals::Saved {
    struct sigaction int_action {}, term_action {};
    sigset_t mask{};
    int pipe_fds[2] = {-1, -1};
};

StopSignals::StopSignals() : saved_(std::make_unique<Saved>()) {
    if (::pipe2(saved_->pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::runtime_error("cannot make a pipe for signals");
    }
    asked.store(0);
    wake_fd.store(saved_->pipe_fds[1]);
    wait_fd.store(saved_->pipe_fds[0]);
    struct sigaction action {};
    action.sa_handler = note_stop;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a read blocked on a silent server returns EINTR
    sigaction(SIGINT, &action, &saved_->int_action);
    sigaction(SIGTERM, &action, &saved_->term_action);
    // A caller may have blocked them (an older watch did): they must reach the handler now.
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGINT);
    sigaddset(&both, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &both, &saved_->mask);
}

StopSignals::~StopSignals() {
    sigaction(SIGINT, &saved_->int_action, nullptr);
    sigaction(SIGTERM, &saved_->term_action, nullptr);
    pthread_sigmask(SIG_SETMASK, &saved_->mask, nullptr);
    wake_fd.store(-1);
    wait_fd.store(-1);
    ::close(saved_->pipe_fds[0]);
    ::close(saved_->pipe_fds[1]);
}

int StopSignals::requested() { return asked.load(); }

void StopSignals::check() {
    if (const int s = asked.load()) throw StopRequested{s};
}

bool StopSignals::wait_for(std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (!asked.load()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        const int fd = wait_fd.load();
        if (fd < 0) {
            // No StopSignals lives: nothing can ask for a stop, so this is a plain sleep.
            std::this_thread::sleep_for(left);
            return false;
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000))) > 0) {
            char drain[64];
            while (::read(fd, drain, sizeof drain) > 0) {
            }
        }
    }
    return true;
}

}  // namespace fbtrack
