#pragma once
// Where a seller's own state lives, as the XDG Base Directory specification puts it (the way git,
// hledger and mbsync do): one database per shop under $XDG_DATA_HOME/fbtrack (~/.local/share/fbtrack),
// the seller's own copies of shipped data files under $XDG_CONFIG_HOME/fbtrack (~/.config/fbtrack).
// Nothing is written into the current folder or the installed files unless the seller names it.
#include <filesystem>
#include <string>

namespace fbtrack {

std::filesystem::path user_data_dir();    // $XDG_DATA_HOME/fbtrack
std::filesystem::path user_config_dir();  // $XDG_CONFIG_HOME/fbtrack
// The seller's documents folder, as the desktop names it: what `xdg-user-dir DOCUMENTS` prints
// when that program is on PATH, else XDG_DOCUMENTS_DIR of $XDG_CONFIG_HOME/user-dirs.dirs, else
// ~/Documents (also when they name the home folder itself, their word for "none"). Files meant
// to be found (the monthly report) go there, not in a hidden folder.
std::filesystem::path user_documents_dir();

// A shop's name as --shop or FBTRACK_SHOP gives it: letters, digits, '.', '_' and '-', up to
// 64, not starting with '.'; a UsageError otherwise (it becomes a file name).
std::string checked_shop_name(const std::string& name);
// The database of a shop: user_data_dir()/NAME.db.
std::filesystem::path shop_database(const std::string& shop);

}  // namespace fbtrack
