#pragma once
#include "commands/Session.h"
#include "importers/Records.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct ImportOptions {
    std::optional<ImportKind> kind;
    bool dry_run = false;
    bool skip_bad_rows = false;
    bool timings = false;
    // $FBTRACK_SORT_RUN_BYTES: how much of an export is sorted in memory before it spills to disk,
    // so that the tests can make a small file spill.
    std::optional<std::size_t> sort_run_bytes;  // print where the time went (read, decode, parse, hash, sort, insert, …)
    std::vector<std::filesystem::path> paths;
};

// Imports every file in one transaction: all of it lands, or none of it.
void run_import(Session& session, const ImportOptions& options);

struct ImportFile {
    std::filesystem::path path;
    std::string maildir_folder;  // the Maildir folder it sits in ("INBOX", "Sent"), else empty
};

// Files named on the command line, directories expanded to their files in name order; a Maildir
// to the messages of every folder in it.
std::vector<ImportFile> expand_import_paths(const std::vector<std::filesystem::path>& paths);

}  // namespace fbtrack
