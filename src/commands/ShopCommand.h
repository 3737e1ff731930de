#pragma once
// The seller's shops: each with its own database and settings (fbtrack shops, shop show/set),
// and where each data file comes from (fbtrack data).
#include "commands/Session.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct ShopSetOptions {
    std::optional<std::string> name;
    std::optional<std::vector<std::string>> staff, own_addresses;
    std::optional<std::string> buy_shipping;  // yes or no
};

void run_shop_show(Session& session, bool json);
void run_shop_set(Session& session, const ShopSetOptions& options);

// The shops in the seller's data folder, with marketplace, counts and last import. Needs no
// database of its own.
// `lang`: --lang; without it, the language of the shops' marketplaces.
void run_shops(std::ostream& out, bool json, const std::optional<std::string>& lang);

// Each data file fbtrack reads, and whether it is the shipped one or the seller's own copy; a copy
// that cannot be read (a pipe, a link to nowhere) is listed as unusable, and named in a
// DataFileError (exit 78) once the list is out.
void run_data(std::ostream& out, const std::filesystem::path& shipped, const std::filesystem::path& own);
// data --check: every data file, shipped and the seller's, read by the reader that uses it; one
// line per file, and a DataFileError (exit 78) naming every file that cannot be used.
void run_data_check(std::ostream& out, const std::filesystem::path& shipped, const std::filesystem::path& own);

}  // namespace fbtrack
