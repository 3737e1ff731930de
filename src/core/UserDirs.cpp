#include "core/UserDirs.h"

#include "core/Errors.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace fbtrack {

namespace {

std::filesystem::path home() {
    if (const char* h = std::getenv("HOME"); h && *h) {
        // A relative HOME would put the seller's databases under the current folder.
        if (!std::filesystem::path(h).is_absolute())
            throw UsageError(std::string("HOME is '") + h + "', not an absolute path. Hint: set HOME to your home folder, or give --db FILE");
        return h;
    }
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
    throw UsageError("cannot tell your home folder: HOME is not set. Hint: set HOME, or give --db FILE");
}

// $NAME when it is an absolute path (the specification says to ignore a relative one), else
// the default under the home folder.
std::filesystem::path base(const char* name, const char* fallback) {
    if (const char* v = std::getenv(name); v && *v && std::filesystem::path(v).is_absolute()) return v;
    return home() / fallback;
}

}  // namespace

std::filesystem::path user_data_dir() { return base("XDG_DATA_HOME", ".local/share") / "fbtrack"; }
std::filesystem::path user_config_dir() { return base("XDG_CONFIG_HOME", ".config") / "fbtrack"; }

std::string checked_shop_name(const std::string& name) {
    const bool ok = !name.empty() && name.size() <= 64 && name.front() != '.' && name.front() != '-' &&
                    name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == std::string::npos;
    if (!ok)
        throw UsageError("--shop: found '" + (name.size() > 80 ? name.substr(0, 80) + "…" : name) +
                         "', expected a shop name of up to 64 letters, digits, '.', '_' and '-', not starting with '.' or '-' (such as jp or us-store)");
    return name;
}

std::filesystem::path shop_database(const std::string& shop) { return user_data_dir() / (checked_shop_name(shop) + ".db"); }

}  // namespace fbtrack
