#pragma once
// Where each draft goes in Seller Central, kept as data (data/seller_central.json) so that a
// page Amazon moves is corrected without a compiler.
#include "catalogue/Catalogue.h"

#include <string>

namespace fbtrack {

struct SellerCentralPage {
    std::string page;     // as Seller Central names it, in the language asked for
    std::string address;  // with the order's ID filled in
};

// The page for a draft of `kind` (removal, reply, buyer) of `order_id`'s rating on marketplace
// `code`. DataFileError, naming the file and the path, when the file has no such entry.
SellerCentralPage seller_central_page(const Catalogue& data, const std::string& code, const std::string& kind,
                                      const std::string& lang, const std::string& order_id);

// Reads every entry of the file for each marketplace in `codes` (data --check).
void check_seller_central(const Catalogue& data, const std::vector<std::string>& codes);

}  // namespace fbtrack
