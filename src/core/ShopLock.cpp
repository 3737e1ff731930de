#include "core/ShopLock.h"

#include "core/Errors.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>

namespace fbtrack {

namespace {

std::string now_utc() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// What the holder wrote: "watch, pid 1234, since 2026-12-07T10:00:00Z". Read with a bound and
// shown only as plain printable text: the file is the seller's, but a message is no place for
// anything else.
std::string holder(int fd) {
    char buffer[200];
    const auto n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    std::string text;
    for (ssize_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(buffer[i]);
        if (c == '\n') break;
        text += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '?';
    }
    return text;
}

}  // namespace

std::filesystem::path ShopLock::file_for(const std::filesystem::path& database) {
    // By the database's real name: a link to it, or another spelling of its path, is the same shop.
    std::error_code ec;
    const auto real = std::filesystem::weakly_canonical(database, ec);
    return (ec ? database : real).string() + ".lock";
}

ShopLock::ShopLock(const std::filesystem::path& database, const std::string& command) {
    const auto file = file_for(database);
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0)
        throw OutputError(command + ": cannot open " + file.string() + " to make sure no other fetch or watch runs on this "
                          "shop: " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        // The holder writes who it is right after taking the lock: a moment later it is there.
        std::string who = holder(fd_);
        for (int i = 0; i < 10 && who.empty(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            who = holder(fd_);
        }
        if (who.empty()) who = "another fbtrack";
        ::close(fd_);
        fd_ = -1;
        throw BusyError(command + ": this shop's mail is being handled by " + who +
                        ". One fetch, notify or watch runs on a shop at a time, so that no message is downloaded and "
                        "no alert mailed twice. Hint: let it finish, or stop it first (a watch under systemd: "
                        "systemctl --user stop fbtrack-watch)");
    }
    const std::string me = command + ", pid " + std::to_string(::getpid()) + ", since " + now_utc() + "\n";
    if (::ftruncate(fd_, 0) == 0) {
        [[maybe_unused]] const auto n = ::pwrite(fd_, me.data(), me.size(), 0);
    }
}

ShopLock::~ShopLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace fbtrack
