#pragma once
#include "commands/Session.h"
#include "model/Records.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct ImportFile {
    std::filesystem::path path;
    std::string maildir_folder;  // the Maildir folder it sits in ("INBOX", "Sent"), else empty
    std::string journal_name;    // how the import journal names it; empty: the file's name
    bool live = false;           // fetched from the seller's mailbox just now (MailboxPlace::live)
};

struct ImportOptions {
    std::optional<ImportKind> kind;
    bool dry_run = false;
    bool skip_bad_rows = false;
    bool timings = false;
    // $FBTRACK_SORT_RUN_BYTES: how much of an export is sorted in memory before it spills to disk,
    // so that the tests can make a small file spill.
    std::optional<std::size_t> sort_run_bytes;  // print where the time went (read, decode, parse, hash, sort, insert, …)
    std::vector<std::filesystem::path> paths;
    // Files found already (fetch's messages): read instead of `paths`.
    std::vector<ImportFile> files;
    // Runs inside the run's transaction, just before it commits: what must land with the rows
    // (fetch's folder positions), or not at all.
    std::function<void(Store&)> before_commit;
    // One line per file, or (false, for fetch: a file per message) one line for the whole run.
    bool line_per_file = true;
};

// Imports every file in one transaction: all of it lands, or none of it.
void run_import(Session& session, const ImportOptions& options);

// Files named on the command line, directories expanded to their files in name order; a Maildir
// to the messages of every folder in it.
std::vector<ImportFile> expand_import_paths(const std::vector<std::filesystem::path>& paths);

}  // namespace fbtrack
