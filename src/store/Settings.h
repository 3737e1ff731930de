#pragma once
// The shop's settings and other single values the store keeps by key (marketplace, shop, notify).
#include <optional>
#include <string>

namespace fbtrack {

class Database;

class Settings {
public:
    explicit Settings(Database& database) : database_(database) {}

    std::optional<std::string> get(const std::string& key);
    void set(const std::string& key, const std::string& value);

private:
    Database& database_;
};

}  // namespace fbtrack
