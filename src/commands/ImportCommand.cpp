#include "commands/ImportCommand.h"

#include "core/Errors.h"
#include "analysis/MessageClassifier.h"
#include "importers/ExportReader.h"
#include "importers/MailSource.h"
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

namespace {

std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const auto name = entry.path().filename().string();
        if (name.empty() || name[0] == '.') continue;  // .DS_Store and friends
        if (entry.is_regular_file()) files.push_back(entry.path());
        else if (entry.is_directory() && is_maildir(entry.path()))
            for (const auto& f : files_in(entry.path())) files.push_back(f);
    }
    if (is_maildir(dir))  // a Maildir keeps its messages in cur/ and new/ (tmp/ is unfinished)
        for (const char* sub : {"cur", "new"})
            for (const auto& f : files_in(dir / sub)) files.push_back(f);
    std::sort(files.begin(), files.end());
    return files;
}

std::unique_ptr<RecordSource> open_source(const std::filesystem::path& file, const LayoutCatalog& catalog,
                                          const ImportOptions& options, const Session& session,
                                          const MailRules& mail_rules) {
    if (!options.kind || *options.kind == ImportKind::messages)
        if (const auto format = sniff_mailbox(file)) return std::make_unique<MailSource>(file, *format, mail_rules);
    return std::make_unique<ExportReader>(file, catalog, options.kind, session.marketplace());
}

// Phrase lists are data and may have been edited: classifications made with older lists are redone.
void reclassify_if_phrases_changed(Store& store, const MessageClassifier& classifier, const MailRules& rules,
                                   std::ostream& out) {
    if (store.setting("classifier_version") == classifier.version()) return;
    std::size_t changed = 0;
    for (const auto& m : store.messages(std::nullopt, true)) {
        const auto c = classifier.classify(m.direction, m.subject, rules.unquoted(m.body));
        if (c.label != m.classification || c.phrase != m.phrase) {
            store.set_classification(m.message_key, c.label, c.phrase);
            ++changed;
        }
    }
    if (changed) out << "The phrase lists have changed: " << changed << " stored messages were classified again\n";
    store.set_setting("classifier_version", classifier.version());
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
        const auto inside = files_in(p);
        files.insert(files.end(), inside.begin(), inside.end());
    }
    return files;
}

void run_import(Session& session, const ImportOptions& options) {
    if (options.paths.empty()) throw UsageError("import: name at least one file or folder to import");
    const auto files = expand_import_paths(options.paths);
    if (files.empty()) throw MissingInputError("import: the folders named hold no files");

    const auto catalog = LayoutCatalog::load(session.data_dir() / "layouts.json");
    const auto mail_rules = MailRules::load(session.data_dir());
    const auto classifier = MessageClassifier::load(session.data_dir());
    Store& store = session.store();
    auto& out = session.out();
    const std::string imported_at = to_iso_utc(session.clock().now_utc());

    store.prepare_for_bulk_load();
    Store::Transaction tx(store);
    session.remember_marketplace();
    reclassify_if_phrases_changed(store, classifier, mail_rules, out);
    std::vector<std::string> problems;
    std::size_t problem_count = 0;
    for (const auto& file : files) {
        const std::string sha = sha256_of_file(file);
        if (const auto earlier = store.find_import(sha)) {
            out << file.string() << ": already imported (same content as " << earlier->file_name << ", "
                << earlier->imported_at << "): nothing to do\n";
            continue;
        }
        const auto source = open_source(file, catalog, options, session, mail_rules);
        JournalEntry entry;
        entry.file_name = file.filename().string();
        entry.sha256 = sha;
        entry.imported_at = imported_at;
        entry.kind = std::string(kind_name(source->kind()));
        entry.layout = source->layout_label();
        entry.encoding = source->encoding_label();
        const std::int64_t import_id = store.begin_import(entry);

        ImportCounts counts;
        Progress progress(session.err(), file, source->file_size());
        ImportedRow row;
        std::size_t rows = 0;
        while (source->next(row)) {
            if ((++rows & 0xFFF) == 0) progress.update(source->bytes_consumed());
            if (row.ignored) {
                ++counts.ignored;
                continue;
            }
            if (row.problem) {
                ++counts.rejected;
                ++problem_count;
                if (problems.size() < problems_shown)
                    problems.push_back(file.string() + ":" + std::to_string(row.problem->line) + ": " + row.problem->reason);
                if (options.skip_bad_rows)
                    store.add_rejected_row(import_id, row.problem->line, row.problem->reason, row.problem->text);
                continue;
            }
            if (auto* message = std::get_if<BuyerMessage>(&*row.record)) {
                const auto c = classifier.classify(message->direction, message->subject, mail_rules.unquoted(message->body));
                message->classification = c.label;
                message->phrase = c.phrase;
            }
            counts.count(std::visit([&](const auto& record) { return store.upsert(record); }, *row.record));
        }
        // The encoding may only be known after the first non-ASCII line.
        entry.encoding = source->encoding_label();
        store.finish_import(import_id, counts, entry.encoding);
        out << file.string() << ": " << entry.kind << " (" << source->title() << "; " << entry.layout << "), "
            << entry.encoding << ": "
            << (source->kind() == ImportKind::messages ? plural(rows, "message", "messages") : plural(rows, "row", "rows")) << ", " << counts.added << " added, "
            << counts.updated << " updated, " << counts.unchanged << " unchanged, " << counts.rejected << " rejected";
        if (counts.ignored) out << ", " << counts.ignored << " ignored (not buyer-seller mail)";
        out << "\n";
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
