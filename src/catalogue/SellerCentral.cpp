#include "catalogue/SellerCentral.h"

namespace fbtrack {

SellerCentralPage seller_central_page(const Catalogue& data, const std::string& code, const std::string& kind,
                                      const std::string& lang, const std::string& order_id) {
    const JsonNode entry = data.json("seller_central.json").object(code).object(kind);
    SellerCentralPage p{entry.object("page").string(lang), entry.string("address")};
    static const std::string slot = "{{order_id}}";
    if (const auto at = p.address.find(slot); at != std::string::npos) p.address.replace(at, slot.size(), order_id);
    return p;
}

void check_seller_central(const Catalogue& data, const std::vector<std::string>& codes) {
    for (const auto& code : codes)
        for (const char* kind : {"removal", "reply", "buyer"})
            for (const char* lang : {"ja", "en"}) seller_central_page(data, code, kind, lang, "");
}

}  // namespace fbtrack
