#pragma once
// fbtrack init: sets up a shop (marketplace, name, staff names, own mail addresses), asking on a
// terminal for what the options do not give, and says the next step.
#include "commands/Session.h"

#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct InitOptions {
    std::optional<std::string> name;
    std::optional<std::vector<std::string>> staff, own_addresses;
};

// Without a terminal, what is not given as an option is not asked: a shop with no name yet needs
// --name, and one whose database holds no marketplace needs --marketplace (UsageError naming them).
void run_init(Session& session, const InitOptions& options);

}  // namespace fbtrack
