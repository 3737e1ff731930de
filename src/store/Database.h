#pragma once
// The one owner of the SQLite connection: opening (and refusing what is not fbtrack's), the
// schema, transactions, the statement cache, the as-of cut every table reads under, and the
// row machinery the tables share. Only the store's own table classes reach its SQL.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fbtrack {

// conflicting: a message whose Message-ID is stored already with other content (the first copy stays).
enum class RowOutcome { added, updated, unchanged, conflicting };

struct StoreCounts {
    std::int64_t orders = 0, order_items = 0, shipments = 0, feedback = 0, messages = 0, imports = 0,
                 rejected_rows = 0;
};

// The moment the analyses stand at (--today): what is dated after it does not exist yet.
// Dates compare with the local date, times with the UTC end of that local day.
struct AsOf {
    std::string date = "9999-12-31";         // local YYYY-MM-DD, inclusive
    std::string end_utc = "9999-12-31T23:59:59Z";  // exclusive
};

class Database {
public:
    // Opens (and creates, with mode 0600) the database and brings its schema up to date.
    // `max_pages` caps the file's size (SQLite's max_page_count); a write past it fails as on a full disk.
    explicit Database(const std::filesystem::path& path, std::optional<long long> max_pages = std::nullopt);
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // One import run, one transaction: commit() or everything is rolled back when it ends.
    class Transaction {
    public:
        // IMMEDIATE takes the write lock at once, so a second writer waits in the busy timeout
        // instead of failing later on a snapshot that went stale while it read.
        // `later`: the caller runs check_for_damage() itself before its first write, so that a run
        // that finds nothing to write (files imported already) does not read the whole file.
        enum class DamageCheck { now, later };
        explicit Transaction(Database& database, DamageCheck check = DamageCheck::now)
            : tx_((database.before_writing(check == DamageCheck::now), database.idle_connection()),
                  SQLite::TransactionBehavior::IMMEDIATE) {}
        void commit() { tx_.commit(); }

    private:
        SQLite::Transaction tx_;
    };

    void prepare_for_bulk_load();
    // Refuses (InputError) a database whose pages are damaged, before a write makes it worse,
    // whichever command writes (an import, a setting, an appeal mark). Reads every page, once per run.
    void check_for_damage();
    // When a run may add many orders for the table (a first import; a file of `expected_rows` rows
    // that could add a twentieth of what is stored), the orders' index by purchase time is dropped
    // and built once after the load (build_deferred_indexes): a sort of every order, instead of a
    // write at a random place for each new one. Both inside the run's transaction; returns what to build.
    std::vector<std::string> defer_indexes_for_bulk_load(std::uint64_t expected_rows);
    void build_deferred_indexes(const std::vector<std::string>& definitions);

    // Every read of orders, shipments, ratings, messages, expedite requests and appeal outcomes
    // leaves out what is dated after `as_of`. The import journal is not cut: it is a record
    // of the files, not of the shop.
    void set_as_of(const AsOf& as_of) { as_of_ = as_of; }

    // The first problem PRAGMA quick_check finds in the file (a damaged page), or nothing.
    std::optional<std::string> damage();
    // Writes a consistent copy of the whole database into `file` (an empty file, made by the
    // caller) with SQLite's online backup, as one file without a write-ahead log, marked with
    // `mark` (check_backup reads it back; a restore removes it). Pages are copied as they are:
    // check_backup tells whether the copy is whole.
    // `from_new_reader`: read through a connection of its own (while this one holds the write
    // lock for a restore, say), else through this one.
    void copy_to(const std::filesystem::path& file, const std::string& mark, bool from_new_reader = false);
    // Replaces the whole database with the backup in `file` (checked first, by check_backup), in
    // one step other fbtrack runs see whole, then brings its schema up to date. `keep` runs once
    // this run holds the write lock, before anything is replaced: what it copies (copy_to, from a
    // new reader) is the database as the restore replaces it, with whatever another fbtrack
    // committed before, and nothing can be committed in between.
    void replace_with(const std::filesystem::path& file, const std::function<void()>& keep);

    // Why the database could be opened only for reading: its disk is full, or mounted read-only.
    // Reading commands go on; anything that would write is refused, saying why.
    enum class ReadingOnly { no, full_disk, read_only_disk };
    ReadingOnly reading_only() const { return reading_only_; }
    // SQLite's failure as an fbtrack error, with what the operating system said of it.
    [[noreturn]] void rethrow(const SQLite::Exception& e);

private:
    // The store's tables and the Store that holds them are the only ones to speak SQL.
    friend class Store;
    friend class OrderTables;
    friend class FeedbackTables;
    friend class MessageTables;
    friend class ImportJournal;
    friend class MailTables;
    friend class Settings;

    using Value = std::optional<std::string>;
    using Values = std::vector<Value>;

    // A part of the transaction that can be undone alone (Store::Savepoint: one file of an
    // import). Rolled back unless released.
    class Savepoint {
    public:
        explicit Savepoint(Database& database);
        ~Savepoint();
        Savepoint(const Savepoint&) = delete;
        Savepoint& operator=(const Savepoint&) = delete;
        void release();

    private:
        Database& database_;
        bool done_ = false;
    };

    // A cached statement, reset and with its bindings cleared: prepared once, reused for every
    // row of a large import.
    SQLite::Statement& statement(const std::string& sql);
    const AsOf& as_of() const { return as_of_; }
    // Before the first write of a run: refuses a database that cannot be written (full or read-only
    // disk) and, unless told not to, one whose pages are damaged (check_for_damage).
    void before_writing(bool check_damage = true);
    // A one-number query, its parameters bound in order.
    std::int64_t count_of(const std::string& sql, std::initializer_list<std::string> values = {});
    // The first column of every row of a query, its parameters bound in order.
    std::vector<std::string> texts_of(const std::string& sql, std::initializer_list<std::string> values = {});
    std::int64_t last_insert_rowid() { return db_.getLastInsertRowid(); }

    struct RowKey {
        std::string table;
        std::vector<std::pair<std::string, std::string>> columns;  // natural key: column, value
    };
    // Inserts the row, or updates it when `merge(existing)` differs from what is stored.
    // `stored`, when given, receives the row as it now stands.
    RowOutcome upsert_row(const RowKey& key, const std::vector<std::string>& columns, const Values& incoming,
                          const std::function<Values(const Values&)>& merge, bool insert_first = true,
                          Values* stored = nullptr);
    void update_row(const RowKey& key, const std::vector<std::string>& columns, const Values& values);

    void open_for_reading_on_a_full_disk();
    void open_for_reading_on_a_read_only_disk();
    [[noreturn]] void refuse_to_write() const;  // as reading_only_ says
    ReadingOnly reading_only_ = ReadingOnly::no;
    void check_it_is_ours();  // refuses another program's SQLite file, reading only
    bool checked_for_damage_ = false;
    void migrate();
    // The connection with every cached statement reset. A statement left on its first row keeps a
    // read transaction open, and SQLite will not wait (busy timeout) to turn that into a write.
    SQLite::Database& idle_connection();
    void use_write_ahead_log();
    AsOf as_of_;
    struct UpsertSql {
        std::string select, insert, update;
    };
    const UpsertSql& upsert_sql(const RowKey& key, const std::vector<std::string>& columns);
    std::unordered_map<std::string, UpsertSql> upsert_sql_;  // per table, built once

    std::filesystem::path path_;
    SQLite::Database db_;
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

// Turns SQLite's own failures into fbtrack errors with exit codes (busy, full disk, read-only,
// not a database).
// `system_errno` is what the operating system said of SQLite's last failed call (0: unknown): an
// I/O error for want of room (ENOSPC, EDQUOT) is a full disk.
[[noreturn]] void rethrow_database_error(const SQLite::Exception& e, const std::filesystem::path& db_path,
                                         int system_errno = 0);

}  // namespace fbtrack
