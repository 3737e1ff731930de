#pragma once
// What every use-case works with: the shop's store, the data catalogue, the marketplace and the
// shop's settings, the language answers are drafted in, and the moment they stand on. The front
// ends (command line, pages) make one and render what the use-cases return.
#include "catalogue/Catalogue.h"
#include "catalogue/ShopSettings.h"
#include "model/Marketplace.h"
#include "store/Store.h"
#include "text/Dates.h"

#include <filesystem>
#include <string>

namespace fbtrack {

struct AppContext {
    Store& store;
    const Catalogue& data;
    const Marketplace& marketplace;
    ShopSettings shop;
    std::string lang;  // "ja" or "en"
    UtcTime now;
    // The folder of the shop's database: what is too large for memory (an export being sorted,
    // fetched mail waiting to be imported) waits there, on the disk that needs the room anyway.
    std::filesystem::path work_folder;
    Date today() const { return local_date_of(now, marketplace.zone); }
};

}  // namespace fbtrack
