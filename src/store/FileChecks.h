#pragma once
// What the database and its backups share in telling a file apart (Database.cpp, Backups.cpp).
// Not for use outside src/store.
#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <optional>
#include <string>

namespace fbtrack::sql {

// PRAGMA application_id of every fbtrack database ("fbtr"): another program's SQLite file is
// told apart before anything is written to it.
constexpr int fbtrack_application_id = 0x66627472;

// What makes `db` not an fbtrack database ("application_id 0, 3 schema objects"), or nothing.
// Reads only: a file that is not fbtrack's must stay byte for byte as it was.
std::optional<std::string> not_fbtrack(SQLite::Database& db);

// quick_check reads every page once: "ok", or the first problem it found, on one line.
std::string quick_check(SQLite::Database& db);

// A file name as an SQLite URI (file:PATH?immutable=1) takes it: '%', '?' and '#' escaped.
std::string uri_path(const std::filesystem::path& file);

// Another connection holds the lock this one needs (SQLITE_BUSY, SQLITE_LOCKED).
bool is_busy(int code);

}  // namespace fbtrack::sql
