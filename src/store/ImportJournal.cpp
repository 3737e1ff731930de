#include "store/ImportJournal.h"

#include "store/Database.h"

namespace fbtrack {

namespace {
const char* const journal_columns =
    "import_id, file_name, sha256, kind, layout, encoding, rows_added, rows_updated, rows_unchanged, rows_rejected, "
    "imported_at, rows_ignored, rows_conflicting";

JournalEntry journal_entry(SQLite::Statement& s) {
    JournalEntry e;
    e.id = s.getColumn(0).getInt64();
    e.file_name = s.getColumn(1).getString();
    e.sha256 = s.getColumn(2).getString();
    e.kind = s.getColumn(3).getString();
    e.layout = s.getColumn(4).getString();
    e.encoding = s.getColumn(5).getString();
    e.counts.added = static_cast<std::size_t>(s.getColumn(6).getInt64());
    e.counts.updated = static_cast<std::size_t>(s.getColumn(7).getInt64());
    e.counts.unchanged = static_cast<std::size_t>(s.getColumn(8).getInt64());
    e.counts.rejected = static_cast<std::size_t>(s.getColumn(9).getInt64());
    e.imported_at = s.getColumn(10).getString();
    e.counts.ignored = static_cast<std::size_t>(s.getColumn(11).getInt64());
    e.counts.conflicting = static_cast<std::size_t>(s.getColumn(12).getInt64());
    return e;
}
}  // namespace

std::optional<JournalEntry> ImportJournal::find_import(const std::string& sha256) {
    auto& s = database_.statement(std::string("SELECT ") + journal_columns + " FROM imports WHERE sha256 = ? ORDER BY import_id LIMIT 1");
    s.bind(1, sha256);
    std::optional<JournalEntry> found;
    if (s.executeStep()) found = journal_entry(s);
    s.reset();
    return found;
}

bool ImportJournal::may_have_imported(std::uint64_t size_bytes) {
    auto& s = database_.statement("SELECT EXISTS (SELECT 1 FROM imports WHERE size_bytes = ? OR size_bytes IS NULL)");
    s.bind(1, static_cast<std::int64_t>(size_bytes));
    s.executeStep();
    const bool maybe = s.getColumn(0).getInt() != 0;
    s.reset();
    return maybe;
}

std::int64_t ImportJournal::begin_import(const JournalEntry& entry) {
    auto& s = database_.statement(
        "INSERT INTO imports(file_name, sha256, kind, layout, encoding, imported_at, size_bytes) VALUES(?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, entry.file_name);
    s.bind(2, entry.sha256);
    s.bind(3, entry.kind);
    s.bind(4, entry.layout);
    s.bind(5, entry.encoding);
    s.bind(6, entry.imported_at);
    if (entry.size_bytes) s.bind(7, static_cast<std::int64_t>(*entry.size_bytes));
    s.exec();
    return database_.last_insert_rowid();
}

void ImportJournal::finish_import(std::int64_t import_id, const ImportCounts& c, const std::string& encoding,
                                  const std::string& sha256) {
    auto& s = database_.statement(
        "UPDATE imports SET rows_added = ?, rows_updated = ?, rows_unchanged = ?, rows_rejected = ?, encoding = ?, "
        "rows_ignored = ?, rows_conflicting = ?, sha256 = ? WHERE import_id = ?");
    s.bind(1, static_cast<std::int64_t>(c.added));
    s.bind(2, static_cast<std::int64_t>(c.updated));
    s.bind(3, static_cast<std::int64_t>(c.unchanged));
    s.bind(4, static_cast<std::int64_t>(c.rejected));
    s.bind(5, encoding);
    s.bind(6, static_cast<std::int64_t>(c.ignored));
    s.bind(7, static_cast<std::int64_t>(c.conflicting));
    s.bind(8, sha256);
    s.bind(9, import_id);
    s.exec();
}

void ImportJournal::record_unreadable(JournalEntry entry, const std::string& reason, const std::string& text) {
    entry.kind = "skipped";
    entry.layout = "unreadable";
    entry.encoding = "-";
    const std::int64_t import_id = begin_import(entry);
    ImportCounts counts;
    counts.rejected = 1;
    finish_import(import_id, counts, entry.encoding, entry.sha256);
    add_rejected_row(import_id, 0, reason, text);
}

void ImportJournal::add_rejected_row(std::int64_t import_id, std::size_t line, const std::string& reason,
                                     const std::string& text) {
    auto& s = database_.statement("INSERT OR REPLACE INTO rejected_rows(import_id, line, reason, row_text) VALUES(?, ?, ?, ?)");
    s.bind(1, import_id);
    s.bind(2, static_cast<std::int64_t>(line));
    s.bind(3, reason);
    s.bind(4, text);
    s.exec();
}

std::vector<JournalEntry> ImportJournal::journal() {
    std::vector<JournalEntry> out;
    auto& s = database_.statement(std::string("SELECT ") + journal_columns + " FROM imports ORDER BY import_id");
    while (s.executeStep()) out.push_back(journal_entry(s));
    s.reset();
    return out;
}

std::optional<std::string> ImportJournal::last_import_at() {
    const auto last = database_.texts_of("SELECT max(imported_at) FROM imports WHERE imported_at IS NOT NULL");
    if (last.empty() || last.front().empty()) return std::nullopt;
    return last.front();
}

std::vector<RejectedRow> ImportJournal::rejected_rows(std::size_t limit) {
    std::vector<RejectedRow> out;
    auto& s = database_.statement(
        "SELECT i.file_name, r.line, r.reason, r.row_text FROM rejected_rows r JOIN imports i USING (import_id) "
        "ORDER BY r.import_id, r.line LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(limit));
    while (s.executeStep())
        out.push_back(RejectedRow{s.getColumn(0).getString(), static_cast<std::size_t>(s.getColumn(1).getInt64()),
                                  s.getColumn(2).getString(), s.getColumn(3).getString()});
    s.reset();
    return out;
}

}  // namespace fbtrack
