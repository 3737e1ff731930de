#include "app/Orders.h"

#include "core/Errors.h"

#include <algorithm>

namespace fbtrack {

namespace {

bool digits_only(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string resolve_order_id(Store& store, const std::string& typed) {
    if (typed.size() < shortest_order_ending || !digits_only(typed)) return typed;
    const std::vector<std::string> found = store.orders().order_ids_ending_in(typed);
    if (found.empty()) return typed;
    if (found.size() == 1) return found.front();
    // The first few, enough to see which to type: an ending 5,000 orders share is no list to read.
    constexpr std::size_t listed = 20;
    std::string orders;
    for (std::size_t i = 0; i < std::min(found.size(), listed); ++i) orders += "\n  " + found[i];  // the top prints each line through for_terminal
    Said list = found.size() > listed ? joined({orders, say("rows.more", {{"count", std::to_string(found.size() - listed)}})}) : Said(orders);
    throw UsageError(say("usage.order_ending_ambiguous", {{"ending", typed}, {"count", std::to_string(found.size())}, {"orders", list}}));
}

std::string shortest_order_reference(Store& store, const std::string& order_id) {
    if (order_id.size() <= shortest_order_ending) return order_id;
    const std::string ending = order_id.substr(order_id.size() - shortest_order_ending);
    if (!digits_only(ending)) return order_id;
    const std::vector<std::string> found = store.orders().order_ids_ending_in(ending);
    return found.size() == 1 && found.front() == order_id ? ending : order_id;
}

}  // namespace fbtrack
