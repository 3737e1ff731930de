#pragma once
// The seller's own settings, from data/shop.json.
#include <filesystem>
#include <string>
#include <vector>

namespace fbtrack {

struct ShopSettings {
    std::string shop_name;
    std::vector<std::string> staff_names;
    bool buy_shipping_always = false;

    static ShopSettings load(const std::filesystem::path& data_dir);
};

}  // namespace fbtrack
