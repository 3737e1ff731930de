#include "commands/ImportCommand.h"

#include "core/Errors.h"
#include "importers/ExportReader.h"
#include "text/Dates.h"
#include "text/LineReader.h"

#include <algorithm>
#include <iostream>
#include <unistd.h>

namespace fbtrack {

namespace {

constexpr std::size_t problems_shown = 20;
constexpr std::uint64_t progress_threshold = 4u << 20;  // show progress for files over 4 MiB

class Progress {
public:
    Progress(std::ostream& err, const std::filesystem::path& file, std::uint64_t size)
        : err_(err), name_(file.filename().string()), size_(size),
          active_(size > progress_threshold && ::isatty(STDERR_FILENO)) {}
    void update(std::uint64_t done) {
        if (!active_) return;
        const int percent = static_cast<int>(done * 100 / std::max<std::uint64_t>(size_, 1));
        if (percent == last_) return;
        last_ = percent;
        err_ << "\r  " << name_ << ": " << percent << " %" << std::flush;
    }
    ~Progress() {
        if (active_ && last_ >= 0) err_ << "\r\033[K" << std::flush;
    }

private:
    std::ostream& err_;
    std::string name_;
    std::uint64_t size_;
    bool active_;
    int last_ = -1;
};

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::vector<std::filesystem::path> expand_import_paths(const std::vector<std::filesystem::path>& paths) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (const auto& p : paths) {
        std::error_code ec;
        if (!fs::exists(p, ec)) throw MissingInputError(p.string() + ": no such file or folder");
        if (!fs::is_directory(p, ec)) {
            files.push_back(p);
            continue;
        }
        std::vector<fs::path> inside;
        for (const auto& entry : fs::directory_iterator(p)) {
            const auto name = entry.path().filename().string();
            if (name.empty() || name[0] == '.') continue;  // .DS_Store and friends
            if (entry.is_regular_file()) inside.push_back(entry.path());
        }
        std::sort(inside.begin(), inside.end());
        files.insert(files.end(), inside.begin(), inside.end());
    }
    return files;
}

void run_import(Session& session, const ImportOptions& options) {
    if (options.paths.empty()) throw UsageError("import: name at least one file or folder to import");
    const auto files = expand_import_paths(options.paths);
    if (files.empty()) throw MissingInputError("import: the folders named hold no files");

    const auto catalog = LayoutCatalog::load(session.data_dir() / "layouts.json");
    Store& store = session.store();
    auto& out = session.out();
    const std::string imported_at = to_iso_utc(session.clock().now_utc());

    Store::Transaction tx(store);
    session.remember_marketplace();
    std::vector<std::string> problems;
    std::size_t problem_count = 0;
    for (const auto& file : files) {
        const std::string sha = sha256_of_file(file);
        if (const auto earlier = store.find_import(sha)) {
            out << file.string() << ": already imported (same content as " << earlier->file_name << ", "
                << earlier->imported_at << "): nothing to do\n";
            continue;
        }
        ExportReader reader(file, catalog, options.kind, session.marketplace());
        JournalEntry entry;
        entry.file_name = file.filename().string();
        entry.sha256 = sha;
        entry.imported_at = imported_at;
        entry.kind = std::string(kind_name(reader.layout().kind));
        entry.layout = reader.layout_label();
        entry.encoding = std::string(encoding_name(reader.encoding()));
        const std::int64_t import_id = store.begin_import(entry);

        ImportCounts counts;
        Progress progress(session.err(), file, reader.file_size());
        ImportedRow row;
        std::size_t rows = 0;
        while (reader.next(row)) {
            if ((++rows & 0xFFF) == 0) progress.update(reader.bytes_consumed());
            if (row.problem) {
                ++counts.rejected;
                ++problem_count;
                if (problems.size() < problems_shown)
                    problems.push_back(file.string() + ":" + std::to_string(row.problem->line) + ": " + row.problem->reason);
                if (options.skip_bad_rows)
                    store.add_rejected_row(import_id, row.problem->line, row.problem->reason, row.problem->text);
                continue;
            }
            counts.count(std::visit([&](const auto& record) { return store.upsert(record); }, *row.record));
        }
        // The encoding may only be known after the first non-ASCII line.
        entry.encoding = std::string(encoding_name(reader.encoding()));
        store.finish_import(import_id, counts, entry.encoding);
        out << file.string() << ": " << entry.kind << " (" << reader.layout().title << "; " << entry.layout << "), "
            << encoding_name(reader.encoding()) << ": " << plural(rows, "row", "rows") << ", " << counts.added
            << " added, " << counts.updated << " updated, " << counts.unchanged << " unchanged, " << counts.rejected
            << " rejected\n";
    }
    if (problem_count && !options.skip_bad_rows) {
        std::string message = plural(problem_count, "row", "rows") + " could not be imported; nothing was changed:";
        for (const auto& p : problems) message += "\n  " + p;
        if (problem_count > problems.size())
            message += "\n  … and " + std::to_string(problem_count - problems.size()) + " more";
        message += "\nHint: fix the file and import it again, or use --skip-bad-rows to import the other rows "
                   "and keep the rejected ones on record (fbtrack status lists them)";
        throw InputError(message);
    }
    if (problem_count)
        out << plural(problem_count, "row was", "rows were") << " rejected and recorded; 'fbtrack status' lists them\n";
    if (options.dry_run) {
        out << "Dry run: nothing was written to " << session.options().db_path.string() << "\n";
        return;  // the transaction rolls back
    }
    tx.commit();
}

}  // namespace fbtrack
