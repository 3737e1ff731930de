#pragma once
// Backups of the database: what one holds, read before anything is restored, and a consistent
// copy of a database file. Writing a backup and restoring one are the Database's (copy_to,
// replace_with); they are written in Backups.cpp beside these.
#include "store/Database.h"

#include <filesystem>
#include <optional>
#include <string>

namespace fbtrack {

// What a backup holds, as `fbtrack restore` reads it before anything is replaced.
struct BackupFacts {
    StoreCounts counts;  // orders, feedback, messages and imports
    std::string last_import;  // UTC, empty when nothing was imported
    int schema_version = 0;
    std::optional<std::string> made_by_backup;  // what copy_to marked it with; none for a database
    std::optional<std::string> marketplace;
    std::optional<std::string> shop;  // its shop settings (JSON), none when never set
};

// Reads `file` as a backup: an fbtrack database this fbtrack can read, undamaged. Throws
// InputError naming the file and what it is instead.
// `as_it_lies`: the file alone, nothing made beside it (for a file that is only looked at).
BackupFacts check_backup(const std::filesystem::path& file, bool as_it_lies = false);
// A consistent copy of the database file `from` in `to` (an empty file), read through one
// connection: what is checked and restored afterwards cannot be swapped under the name.
void snapshot(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace fbtrack
