#include "store/Settings.h"

#include "store/Database.h"

namespace fbtrack {

std::optional<std::string> Settings::get(const std::string& key) {
    auto& s = database_.statement("SELECT value FROM settings WHERE key = ?");
    s.bind(1, key);
    if (s.executeStep()) return s.getColumn(0).getString();
    return std::nullopt;
}

void Settings::set(const std::string& key, const std::string& value) {
    database_.before_writing();
    auto& s = database_.statement("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, key);
    s.bind(2, value);
    s.exec();
}

}  // namespace fbtrack
