#pragma once
// Numbered schema migrations: migration N brings a database from user_version N-1 to N.
// Append new ones; never edit one that has shipped.
#include <string_view>
#include <vector>

namespace fbtrack {

const std::vector<std::string_view>& schema_migrations();

}  // namespace fbtrack
