#pragma once
// A shop's database opened for the use-cases, as both front ends open it: the store, the
// marketplace it is remembered for (or the one given, or a new shop's), and the day the analyses
// stand on. The command line opens one per run; the pages one per request.
#include "catalogue/Catalogue.h"
#include "model/Marketplace.h"
#include "store/Store.h"
#include "text/Dates.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace fbtrack {

struct OpenShopRequest {
    std::filesystem::path database;
    std::optional<std::string> marketplace;  // as the seller gave it; refused if the database holds another
    std::optional<long long> max_pages;
    bool may_create = true;  // false: a database not there yet is opened empty in memory
};

struct OpenedShop {
    std::unique_ptr<Store> store;
    Marketplace marketplace;
    bool created = false;  // the database file was made now (it was not there, or empty)
};

OpenedShop open_shop(const Catalogue& data, const OpenShopRequest& request);

// The folder a shop's database is in ("." for a bare file name): where its work files go
// (AppContext::work_folder) and where `serve` finds the other shops.
std::filesystem::path folder_of(const std::filesystem::path& database);

// Nothing dated after `now`'s local day exists for any analysis: a shipment made after it must
// not be quoted in a draft written as of it.
void stand_on(Store& store, const Marketplace& marketplace, UtcTime now);

}  // namespace fbtrack
