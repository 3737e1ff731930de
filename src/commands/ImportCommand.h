#pragma once
// `fbtrack import`: the import use-case (app/ImportFiles.h) and what it found, in words.
#include "app/ImportFiles.h"
#include "catalogue/Sentences.h"
#include "commands/Session.h"
#include "model/Records.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct ImportOptions {
    std::optional<ImportKind> kind;
    bool dry_run = false;
    bool skip_bad_rows = false;
    bool timings = false;  // print where the time went (read, decode, parse, hash, sort, insert, …)
    // $FBTRACK_SORT_RUN_BYTES: how much of an export is sorted in memory before it spills to disk,
    // so that the tests can make a small file spill.
    std::optional<std::size_t> sort_run_bytes;
    std::vector<std::filesystem::path> paths;
};

// Imports every file in one transaction: all of it lands, or none of it.
void run_import(Session& session, const ImportOptions& options);

// The lines an import prints, for `import` (a line per file) and for each batch of `fetch`
// (`line_per_file` false: one line for the batch, its files being messages).
class ImportPrinter : public ImportListener {
public:
    // `words`: the seller's language's (commands/Words.h).
    ImportPrinter(std::ostream& out, std::ostream& err, Sentences words, bool line_per_file)
        : out_(out), err_(err), words_(std::move(words)), line_per_file_(line_per_file) {}
    ~ImportPrinter() override;
    void reclassified(std::size_t messages) override;
    void reading(const std::filesystem::path& file, std::uint64_t done, std::uint64_t size) override;
    void file_done(const ImportedFile& file) override;
    // What follows the files: totals, what was learnt, what was kept aside. Throws the InputError
    // that names the bad rows of a refused run.
    void summary(const ImportReport& report, const Catalogue& data);

private:
    void end_progress();
    std::ostream& out_;
    std::ostream& err_;
    Sentences words_;
    bool line_per_file_;
    std::filesystem::path progress_file_;
    int progress_shown_ = -1;  // the percentage last shown, -1: none
};

}  // namespace fbtrack
