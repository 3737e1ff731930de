#include "core/ShopSettings.h"

#include "core/DataFiles.h"

#include <Poco/JSON/Array.h>

namespace fbtrack {

ShopSettings ShopSettings::load(const std::filesystem::path& data_dir) {
    const auto o = load_json_object(data_dir / "shop.json");
    ShopSettings s;
    s.shop_name = o->optValue<std::string>("shop_name", "");
    if (const auto names = o->getArray("staff_names"))
        for (std::size_t i = 0; i < names->size(); ++i) s.staff_names.push_back(names->getElement<std::string>(i));
    s.buy_shipping_always = o->optValue<bool>("buy_shipping_always", false);
    return s;
}

}  // namespace fbtrack
