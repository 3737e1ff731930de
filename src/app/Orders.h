#pragma once
// Orders named by the end of their ID: a seller types the last digits of an order (5512907)
// instead of copying the whole of it (249-8830124-5512907) between commands.
#include "store/Store.h"

#include <string>
#include <vector>

namespace fbtrack {

// The fewest last digits that name an order.
inline constexpr std::size_t shortest_order_ending = 7;

// The order `typed` names: the whole ID when `typed` is the last digits (at least 7, digits
// only) of one imported order or rating; else `typed` as it is, for the command's own check
// (a whole ID, or digits that name no order, end in its usual "not found"). UsageError listing
// the orders (one per line) when the digits end several. Takes the store alone, as the commands
// that need no shop settings (messages, expedite add) take order IDs too.
std::string resolve_order_id(Store& store, const std::string& typed);

// What to type for `order_id`: its last 7 digits when they name it alone, else the whole ID.
std::string shortest_order_reference(Store& store, const std::string& order_id);

}  // namespace fbtrack
