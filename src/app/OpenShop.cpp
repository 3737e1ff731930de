#include "app/OpenShop.h"

#include "catalogue/Marketplace.h"
#include "core/Errors.h"

namespace fbtrack {

OpenedShop open_shop(const Catalogue& data, const OpenShopRequest& request) {
    if (request.marketplace) load_marketplace(data, *request.marketplace);  // refuse unknown codes early
    std::error_code ec;
    // A file that is not there yet, or empty (as `touch` leaves it), becomes a new database.
    const auto& path = request.database;
    const bool new_database = path != ":memory:" &&
                              (!std::filesystem::exists(path, ec) ||
                               (std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0));
    const bool in_memory = new_database && !request.may_create;
    OpenedShop opened;
    opened.created = new_database && !in_memory;
    opened.store = std::make_unique<Store>(in_memory ? std::filesystem::path(":memory:") : path, request.max_pages);
    const auto stored = opened.store->settings().get("marketplace");
    if (stored && request.marketplace && *stored != *request.marketplace)
        throw UsageError(say("usage.marketplace_differs", {{"db", path.string()}, {"stored", *stored}, {"given", *request.marketplace}}));
    opened.marketplace = load_marketplace(data, stored.value_or(request.marketplace.value_or(new_shop_marketplace)));
    return opened;
}

std::filesystem::path folder_of(const std::filesystem::path& database) {
    return database.has_parent_path() ? database.parent_path() : std::filesystem::path(".");
}

void stand_on(Store& store, const Marketplace& marketplace, UtcTime now) {
    const Date today = local_date_of(now, marketplace.zone);
    store.database().set_as_of(AsOf{to_iso_date(today),
                                    to_iso_utc(utc_of_local(today + boost::gregorian::days(1), boost::posix_time::hours(0), marketplace.zone))});
}

}  // namespace fbtrack
