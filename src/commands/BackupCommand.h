#pragma once
// A safe copy of the shop's history before an upgrade or a risky import (fbtrack backup), and
// the way back to it (fbtrack restore).
#include "commands/Session.h"

#include <filesystem>
#include <optional>

namespace fbtrack {

struct BackupOptions {
    std::optional<std::filesystem::path> file;  // default: backups/ beside the database
};

void run_backup(Session& session, const BackupOptions& options);
// Replaces the shop's database with `file`, a backup checked first; the database as it was is
// kept beside it in backups/.
void run_restore(Session& session, const std::filesystem::path& file);

}  // namespace fbtrack
