#include "core/UserDirs.h"

#include "core/DesktopPrograms.h"
#include "core/Errors.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>

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

// XDG_DOCUMENTS_DIR of user-dirs.dirs (what xdg-user-dir reads, where it is not installed): "$HOME/..." or an absolute path, in double quotes, as
// xdg-user-dirs-update writes it; anything else is not trusted.
std::optional<std::filesystem::path> documents_in_user_dirs_file() {
    std::ifstream in(base("XDG_CONFIG_HOME", ".config") / "user-dirs.dirs");
    std::string line;
    while (std::getline(in, line)) {
        const std::string key = "XDG_DOCUMENTS_DIR=\"";
        if (!line.starts_with(key) || line.size() < key.size() + 1 || line.back() != '"') continue;
        const std::string value = line.substr(key.size(), line.size() - key.size() - 1);
        if (value == "$HOME") return home();
        if (value.starts_with("$HOME/")) return home() / value.substr(6);
        if (value.starts_with("/")) return std::filesystem::path(value);
    }
    return std::nullopt;
}

}  // namespace

std::filesystem::path user_documents_dir() {
    // The home folder itself is the answer for "none set" (xdg-user-dir prints $HOME then, and the
    // specification has XDG_DOCUMENTS_DIR="$HOME/" switch the folder off): ~/Documents it is.
    const auto documents = home() / "Documents";
    const auto or_documents = [&](const std::filesystem::path& p) {
        return (p / "").lexically_normal() == (home() / "").lexically_normal() ? documents : p;
    };
    if (const auto program = find_on_path("xdg-user-dir")) {
        // It answers at once; a hanging one must not hold the report.
        const auto printed = first_line_of(*program, {"DOCUMENTS"}, std::chrono::seconds(2));
        if (printed && std::filesystem::path(*printed).is_absolute()) return or_documents(*printed);
    }
    if (const auto listed = documents_in_user_dirs_file()) return or_documents(*listed);
    return documents;
}

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
