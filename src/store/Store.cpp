#include "store/Store.h"

namespace fbtrack {

Store::Store(const std::filesystem::path& path, std::optional<long long> max_pages) : database_(path, max_pages) {}

Store::Savepoint::Savepoint(Store& store) : orders_(store.orders_), savepoint_(store.database_) {
    orders_.remember_last_order(true);
}

void Store::Savepoint::release() {
    orders_.remember_last_order(false);
    savepoint_.release();
}

Store::Savepoint::~Savepoint() {
    // Before the savepoint (a member) rolls back, as the order row it remembers goes with it.
    orders_.remember_last_order(false);
}

StoreCounts Store::counts() {
    StoreCounts c;
    auto count = [&](const std::string& sql) { return database_.count_of(sql); };
    c.orders = count("SELECT count(*) FROM orders");
    c.order_items = count("SELECT count(*) FROM order_items");
    c.shipments = count("SELECT count(*) FROM shipments");
    c.feedback = count("SELECT count(*) FROM feedback");
    c.messages = count("SELECT count(*) FROM messages");
    c.imports = count("SELECT count(*) FROM imports");
    c.rejected_rows = count("SELECT count(*) FROM rejected_rows");
    return c;
}

}  // namespace fbtrack
