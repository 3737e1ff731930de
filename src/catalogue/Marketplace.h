#pragma once
// The marketplaces fbtrack knows, read from data/marketplaces.json so that their facts can be
// corrected without a compiler.
#include "catalogue/Catalogue.h"
#include "model/Marketplace.h"

#include <filesystem>
#include <string>
#include <vector>

namespace fbtrack {

Marketplace load_marketplace(const Catalogue& data, const std::string& code);
std::vector<std::string> known_marketplaces(const Catalogue& data);
// The marketplace of a shop that has not said (amazon.co.jp first): a new shop's, and the
// language of what is said before a shop is known.
inline constexpr const char* new_shop_marketplace = "jp";

}  // namespace fbtrack
