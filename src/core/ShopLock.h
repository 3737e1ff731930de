#pragma once
// One fetch, notify or watch per shop at a time: two watchers on one shop would download every
// message twice and mail every alert twice. The lock is an flock() on a file beside the shop's
// database, so it goes with the process however that ends (kill -9 included).
#include <filesystem>
#include <string>

namespace fbtrack {

class ShopLock {
public:
    // Takes the lock for `command` ("fetch", "watch", ...), or throws BusyError (exit 75) naming
    // the command and process that hold it.
    ShopLock(const std::filesystem::path& database, const std::string& command);
    ~ShopLock();
    ShopLock(const ShopLock&) = delete;
    ShopLock& operator=(const ShopLock&) = delete;

    static std::filesystem::path file_for(const std::filesystem::path& database);

private:
    int fd_ = -1;
};

}  // namespace fbtrack
