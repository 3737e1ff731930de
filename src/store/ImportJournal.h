#pragma once
// The import journal: every file (or unreadable message) imported, with its counts, and the
// rows that were rejected and why. Not cut by the as-of date: it records files, not the shop.
#include "store/Database.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct ImportCounts {
    std::size_t added = 0, updated = 0, unchanged = 0, rejected = 0, ignored = 0, conflicting = 0;
    void count(RowOutcome o) {
        if (o == RowOutcome::added) ++added;
        else if (o == RowOutcome::updated) ++updated;
        else if (o == RowOutcome::conflicting) ++conflicting;
        else ++unchanged;
    }
};

struct JournalEntry {
    std::int64_t id = 0;
    std::string file_name, sha256, kind, layout, encoding, imported_at;
    std::optional<std::uint64_t> size_bytes;  // none for imports before schema 7
    ImportCounts counts;
};

struct RejectedRow {
    std::string file_name;
    std::size_t line = 0;
    std::string reason, text;
};

class ImportJournal {
public:
    explicit ImportJournal(Database& database) : database_(database) {}

    std::optional<JournalEntry> find_import(const std::string& sha256);
    // Whether a file of this size may have been imported: an import of that size, or one from
    // before sizes were kept.
    bool may_have_imported(std::uint64_t size_bytes);
    std::int64_t begin_import(const JournalEntry& entry);
    // The hash is known only at the end when the file was hashed while it was read.
    void finish_import(std::int64_t import_id, const ImportCounts& counts, const std::string& encoding,
                       const std::string& sha256);
    void add_rejected_row(std::int64_t import_id, std::size_t line, const std::string& reason, const std::string& text);
    // A file or message that could not be read, kept on record in the journal under `entry`'s
    // name and key (its kind, layout and encoding set here) with one rejected row saying why.
    void record_unreadable(JournalEntry entry, const std::string& reason, const std::string& text);

    std::vector<JournalEntry> journal();
    // When the last file was imported (UTC), if any was.
    std::optional<std::string> last_import_at();
    std::vector<RejectedRow> rejected_rows(std::size_t limit);

private:
    Database& database_;
};

}  // namespace fbtrack
