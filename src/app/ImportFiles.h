#pragma once
// Importing files into the shop's database: exports and mail, in one transaction, all of a run
// or none of it. The use-case behind `import`, each batch of `fetch`, and the import page to come.
// It returns what happened as values; the front ends say it in words.
#include "analysis/MessageClassifier.h"
#include "analysis/PersonalInfo.h"
#include "app/AppContext.h"
#include "core/PhaseTimes.h"
#include "importers/Layout.h"
#include "importers/MailSource.h"
#include "model/Records.h"
#include "store/Store.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace fbtrack {

struct ImportFile {
    std::filesystem::path path;
    std::string maildir_folder;  // the Maildir folder it sits in ("INBOX", "Sent"), else empty
    std::string journal_name;    // how the import journal names it; empty: the file's name
    bool live = false;           // fetched from the seller's mailbox just now (MailboxPlace::live)
    // The folder it was found in; empty for a file named by the seller. A file found in a folder
    // that is neither a known export nor mail is passed over (the README beside the downloads); a
    // file named so is an error.
    std::filesystem::path found_in;
};

// Files named by the seller, folders expanded to their files in name order, a Maildir to the
// messages of every folder in it. MissingInputError for a name that is not there, InputError
// for a device or a pipe.
std::vector<ImportFile> expand_import_paths(const std::vector<std::filesystem::path>& paths);

// The rules an import reads by (export layouts, mail rules, phrase lists, masking), made once from
// the catalogue: a fetch's batches and a watch's rounds share them instead of compiling them again.
struct ImportRules {
    LayoutCatalog layouts;
    MailRules mail;
    MessageClassifier classifier;
    MaskingRules masking;
    static ImportRules load(const Catalogue& data) {
        return {LayoutCatalog::load(data), MailRules::load(data), MessageClassifier::load(data), MaskingRules::load(data)};
    }
};

struct ImportRequest {
    std::vector<ImportFile> files;
    std::optional<ImportKind> kind;  // what the files are, when they cannot tell
    bool dry_run = false;            // read and count everything, keep nothing
    bool skip_bad_rows = false;      // keep the good rows and record the bad ones
    // How much of an export is sorted in memory before it spills beside the database.
    std::optional<std::size_t> sort_run_bytes;
    // Runs inside the run's transaction, just before it commits: what must land with the rows
    // (fetch's folder positions), or not at all.
    std::function<void(Store&)> before_commit;
    PhaseTimes* timings = nullptr;  // where the time went, when asked
    const ImportRules* rules = nullptr;  // made from the context's catalogue when none is given
};

// What became of one file.
struct ImportedFile {
    enum class Outcome {
        imported,         // read; its rows counted in `counts`
        imported_before,  // the same content is in the journal already: not read
        unreadable,       // (skip_bad_rows) it could not be read at all: kept on record, nothing of it imported
        not_recognised,   // found in a folder, neither a known export nor mail: passed over
    };
    Outcome outcome = Outcome::imported;
    std::filesystem::path path;
    std::string journal_name;  // as given for fetched messages, else empty
    // imported:
    std::string kind, title, layout, encoding;
    std::string title_ja;  // the title in Japanese where the layout has one
    bool mailbox = false;  // mail (counted in messages) rather than an export (rows)
    std::size_t rows = 0;
    ImportCounts counts;
    // imported_before: the journal's entry of the same content.
    std::string earlier_name, earlier_at;
    // unreadable: why; not_recognised: what it was found to be ("a PDF document").
    std::string reason;
};

// A row or message worth naming: where it is and what of it.
struct ImportNote {
    std::filesystem::path file;
    std::size_t line = 0;
    std::string detail;  // the reader's reason, or the key of the message reusing a Message-ID (conflicts)
    bool whole_file = false;  // the file could not be read at all
    Said said = {};           // the reader's reason as sentences, for an error in the run's language
};

// The first `shown_most` of a kind of note, and how many there were.
struct ImportNotes {
    static constexpr std::size_t shown_most = 20;
    std::vector<ImportNote> shown;
    std::size_t count = 0;
    void add(ImportNote note) {
        if (++count <= shown_most) shown.push_back(std::move(note));
    }
};

struct ImportReport {
    std::vector<ImportedFile> files;  // in the order read
    std::size_t files_read = 0, imported_before = 0, rows = 0;
    ImportCounts totals;
    std::size_t reclassified = 0;  // stored messages classified again after the phrase lists changed
    std::vector<std::pair<std::string, std::string>> learnt_addresses;  // the shop's address, where it was learnt
    std::set<std::string> maildir_folders;
    std::vector<std::filesystem::path> folders_read;  // the folders named and their subfolders, in order
    std::size_t not_recognised = 0;  // files of those folders passed over
    std::map<std::string, std::size_t> unknown_senders;  // address → messages to the marketplace from it
    ImportNotes bad_rows;    // rows of exports that could not be imported
    ImportNotes kept;        // unreadable messages and files, kept on record
    ImportNotes conflicts;   // messages reusing a stored Message-ID with other content
    // Bad rows without skip_bad_rows: nothing of the run was kept.
    bool refused() const { return bad_rows.count > 0 && !skipped_bad_rows; }
    bool skipped_bad_rows = false;
    bool dry_run = false;              // nothing was kept
    bool adopted_shop_settings = false;  // the shop's first import took the default settings over
};

// What a front end may show while a run goes on. Every call comes from the importing thread.
class ImportListener {
public:
    virtual ~ImportListener() = default;
    virtual void reclassified(std::size_t messages) { (void)messages; }
    // A large file's progress: bytes of it read so far.
    virtual void reading(const std::filesystem::path& file, std::uint64_t done, std::uint64_t size) {
        (void)file, (void)done, (void)size;
    }
    virtual void file_done(const ImportedFile& file) { (void)file; }
};

// Imports the request's files in one transaction. An unreadable file or bad rows (without
// skip_bad_rows) throw InputError / end in a refused report, leaving the database as it was.
// `work_folder`: where an export too large to sort in memory spills (beside the database).
ImportReport import_files(const AppContext& context, const ImportRequest& request, ImportListener& listener);

}  // namespace fbtrack
