#include "store/Database.h"

#include "core/Errors.h"
#include "core/PrivateFiles.h"
#include "store/Columns.h"
#include "store/FileChecks.h"
#include "store/Migrations.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace fbtrack {

using sql::bind_value;
using sql::column_value;
using sql::fbtrack_application_id;
using sql::is_busy;
using sql::join;
using sql::not_fbtrack;
using sql::placeholders;
using sql::quick_check;
using sql::uri_path;

namespace {

// Create the file ourselves so that it is the owner's alone from the first byte. Anything but a
// regular file (a folder, a device, a pipe) is refused before SQLite opens it.
void create_private_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (path == ":memory:") return;
    if (std::filesystem::exists(path, ec)) {
        if (!std::filesystem::is_regular_file(path, ec))
            throw UsageError(say("db.not_regular", {{"db", path.string()}}));
        // An empty file becomes a new database: the owner's alone, as one fbtrack creates.
        if (std::filesystem::file_size(path, ec) == 0) std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
        return;
    }
    if (path.has_parent_path()) make_private_folder(path.parent_path());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno != EEXIST)
        throw OutputError(say("db.cannot_create", {{"db", path.string()}, {"reason", std::strerror(errno)}}));
    if (fd >= 0) ::close(fd);
}

SQLite::Database open_database(const std::filesystem::path& path) {
    create_private_file(path);
    try {
        // One connection, used by one thread: SQLite's own locking of each call is not needed.
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, 5000);
        return db;
    } catch (const SQLite::Exception& e) {
        rethrow_database_error(e, path);
    }
}


[[noreturn]] void throw_full_disk(const std::filesystem::path& db_path) {
    throw OutputError(say("db.disk_full", {{"db", db_path.string()}}));
}

// The file system that holds the database, as statvfs reports it; nothing when it cannot tell.
std::optional<struct statvfs> disk_of(const std::filesystem::path& db) {
    struct statvfs disk {};
    const std::filesystem::path folder = db.has_parent_path() ? db.parent_path() : std::filesystem::path(".");
    if (::statvfs(folder.c_str(), &disk) != 0) return std::nullopt;
    return disk;
}

// Less room left beside the database than `bytes` more: by default what SQLite needs to open it
// for writing (its -shm index).
bool no_room_beside(const std::filesystem::path& db, unsigned long long bytes = 64u << 10) {
    const auto disk = disk_of(db);
    return disk && static_cast<unsigned long long>(disk->f_bavail) * disk->f_frsize < bytes;
}

// The disk that holds the database is mounted read-only.
bool on_read_only_disk(const std::filesystem::path& db) {
    const auto disk = disk_of(db);
    return disk && (disk->f_flag & ST_RDONLY) != 0;
}

// A checkpoint copies the write-ahead log into the database file, which may grow by as much. One
// that fails half way for room leaves the file readable only with its log beside it; with too
// little room it is better left to a later run.
void no_checkpoint_without_room(SQLite::Database& db, const std::filesystem::path& path) {
    std::error_code ec;
    const auto log = std::filesystem::file_size(path.string() + "-wal", ec);
    if (path == ":memory:" || !no_room_beside(path, (ec ? 0 : log) + (64u << 10))) return;
    sqlite3_db_config(db.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
}

bool is_full_disk(const SQLite::Exception& e, int system_errno) {
    const int code = e.getErrorCode() & 0xFF;
    // SQLite says SQLITE_FULL when a write of the database or its journal fails for room; a
    // failure to grow the write-ahead log's index (-shm) comes as an I/O error with ENOSPC behind it.
    return code == SQLITE_FULL || (code == SQLITE_IOERR && (system_errno == ENOSPC || system_errno == EDQUOT));
}
}  // namespace

namespace sql {

bool is_busy(int code) {
    code &= 0xFF;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

std::string uri_path(const std::filesystem::path& file) {
    std::string out;
    for (const char c : file.string()) {
        if (c == '%' || c == '?' || c == '#') {
            static const char hex[] = "0123456789ABCDEF";
            out += '%';
            out += hex[(static_cast<unsigned char>(c) >> 4) & 0xF];
            out += hex[static_cast<unsigned char>(c) & 0xF];
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<std::string> not_fbtrack(SQLite::Database& db) {
    const int application_id = db.execAndGet("PRAGMA application_id").getInt();
    if (application_id == fbtrack_application_id) return std::nullopt;
    const auto tables = db.execAndGet("SELECT count(*) FROM sqlite_master").getInt64();
    if (tables == 0 && application_id == 0) return std::nullopt;  // new, or empty: made an fbtrack database
    // Databases of fbtrack before it marked them: its tables and a schema version it wrote.
    const int version = db.execAndGet("PRAGMA user_version").getInt();
    const bool older_fbtrack = application_id == 0 && version >= 1 &&
                               db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                                             "('imports', 'orders', 'feedback', 'settings', 'rejected_rows')")
                                       .getInt() == 5;
    if (older_fbtrack) return std::nullopt;
    return "application_id " + std::to_string(application_id) + ", " + std::to_string(tables) + " schema objects";
}

std::string quick_check(SQLite::Database& db) {
    std::string first = db.execAndGet("PRAGMA quick_check").getString();
    std::replace(first.begin(), first.end(), '\n', ' ');
    return first;
}

}  // namespace sql

void rethrow_database_error(const SQLite::Exception& e, const std::filesystem::path& db_path, int system_errno) {
    const int code = e.getErrorCode() & 0xFF;
    const std::string db = db_path.string();
    if (is_full_disk(e, system_errno)) throw_full_disk(db_path);
    switch (code) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw BusyError(say("db.busy", {{"db", db}}));
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_CANTOPEN: {
            // SQLite makes its side files with the database's permissions: a run while the database
            // was read-only leaves them read-only after the database is writable again.
            for (const char* side : {"-wal", "-shm"}) {
                const std::string file = db_path.string() + side;
                if (::access(db_path.c_str(), W_OK) == 0 && ::access(file.c_str(), F_OK) == 0 && ::access(file.c_str(), W_OK) != 0)
                    throw OutputError(say("db.side_file_read_only", {{"db", db}, {"file", file}}));
            }
            throw OutputError(say("db.cannot_write", {{"db", db}, {"reason", e.what()}}));
        }
        case SQLITE_NOTADB:
            throw InputError(say("db.not_a_database", {{"db", db}, {"reason", e.what()}}));
        case SQLITE_CORRUPT:
            throw InputError(say("db.damaged", {{"db", db}, {"reason", e.what()}, {"hint", say("hint.restore_backup")}}));
        default:
            throw InternalError("database " + db + ": " + e.what());
    }
}

void Database::refuse_to_write() const {
    if (reading_only_ == ReadingOnly::read_only_disk)
        throw OutputError(say("db.read_only_disk", {{"db", path_.string()}}));
    throw_full_disk(path_);
}

void Database::rethrow(const SQLite::Exception& e) {
    const int code = e.getErrorCode() & 0xFF;
    // Opened for reading only: a write is refused by query_only, and the reason is the disk.
    if (reading_only_ != ReadingOnly::no && (code == SQLITE_READONLY || code == SQLITE_IOERR)) refuse_to_write();
    rethrow_database_error(e, path_, sqlite3_system_errno(db_.getHandle()));
}

Database::Database(const std::filesystem::path& path, std::optional<long long> max_pages)
    : path_(path), db_(open_database(path)) {
    try {
        db_.exec("PRAGMA foreign_keys = ON");
        // PRAGMA takes no bound parameters; the value is a number parsed by the caller.
        if (max_pages) db_.exec("PRAGMA max_page_count = " + std::to_string(*max_pages));
        check_it_is_ours();
        migrate();
        use_write_ahead_log();
        no_checkpoint_without_room(db_, path_);
    } catch (const SQLite::Exception& e) {
        // Another fbtrack reading the same full disk holds the lock the fallback takes: busy too.
        const int code = e.getErrorCode() & 0xFF;
        const bool busy = is_busy(code);
        if (is_full_disk(e, sqlite3_system_errno(db_.getHandle())) || (busy && no_room_beside(path_))) {
            open_for_reading_on_a_full_disk();
        } else if ((code == SQLITE_CANTOPEN || code == SQLITE_READONLY) && on_read_only_disk(path_)) {
            open_for_reading_on_a_read_only_disk();
        } else {
            rethrow(e);
        }
    }
}

void Database::open_for_reading_on_a_read_only_disk() {
    // A snapshot, a backup disk, a share mounted read-only: SQLite cannot make the write-ahead
    // log's index there, and nothing can change the file, so it is read as immutable. Changes still
    // in a -wal would then be passed over: such a database is not read at all.
    std::error_code ec;
    const auto log = std::filesystem::file_size(path_.string() + "-wal", ec);
    if (!ec && log > 0)
        throw OutputError(say("db.read_only_disk_with_log", {{"db", path_.string()}, {"log", path_.string() + "-wal"}}));
    try {
        statements_.clear();
        db_ = SQLite::Database("file:" + uri_path(path_) + "?immutable=1", SQLite::OPEN_READONLY | SQLite::OPEN_URI);
        db_.exec("PRAGMA query_only = 1");
        check_it_is_ours();
        reading_only_ = ReadingOnly::read_only_disk;
        // An older schema would need writing to be read.
        if (db_.execAndGet("PRAGMA user_version").getInt() != static_cast<int>(schema_migrations().size())) refuse_to_write();
    } catch (const SQLite::Exception& e) {
        rethrow_database_error(e, path_, sqlite3_system_errno(db_.getHandle()));
    }
}

void Database::open_for_reading_on_a_full_disk() {
    // A full disk should not keep the seller from their reports. The write-ahead log's index
    // (-shm) is what could not be made; with an exclusive lock taken before the first read SQLite
    // keeps that index in memory instead. query_only makes sure nothing is written, and no
    // checkpoint runs on close (see no_checkpoint_without_room). SQLite does not wait for that
    // lock as it waits for others: another reader holding it is waited for here.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
        try {
            statements_.clear();
            db_ = SQLite::Database(path_.string(), SQLite::OPEN_READWRITE, 5000);
            sqlite3_db_config(db_.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
            db_.exec("PRAGMA locking_mode = EXCLUSIVE");
            db_.exec("PRAGMA query_only = 1");
            check_it_is_ours();
            // An older schema would need writing to be read: nothing more to try.
            if (db_.execAndGet("PRAGMA user_version").getInt() != static_cast<int>(schema_migrations().size()))
                throw_full_disk(path_);
            reading_only_ = ReadingOnly::full_disk;
            return;
        } catch (const SQLite::Exception& e) {
            const int code = e.getErrorCode() & 0xFF;
            if (is_busy(code) && std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            rethrow_database_error(e, path_, sqlite3_system_errno(db_.getHandle()));
        }
    }
}

SQLite::Database& Database::idle_connection() {
    // tryReset: a statement that failed (a damaged page) reports that failure again on reset.
    for (auto& [sql, statement] : statements_) statement->tryReset();
    return db_;
}

Database::Savepoint::Savepoint(Database& database) : database_(database) {
    database_.idle_connection().exec("SAVEPOINT import_file");
}

void Database::Savepoint::release() {
    database_.idle_connection().exec("RELEASE import_file");
    done_ = true;
}

Database::Savepoint::~Savepoint() {
    if (done_) return;
    try {
        database_.idle_connection().exec("ROLLBACK TO import_file");
        database_.db_.exec("RELEASE import_file");
    } catch (const std::exception&) {
        // The enclosing transaction rolls back as a whole when this fails.
    }
}

void Database::use_write_ahead_log() {
    // With a write-ahead log a report or status run while an import is going reads the last
    // committed state instead of waiting for the import, and a killed import leaves the database
    // file untouched. The setting is stored in the file, so this writes only the first time.
    try {
        db_.exec("PRAGMA journal_mode = WAL");
    } catch (const SQLite::Exception& e) {
        // A read-only database the user may still read reports from: keep its journal mode.
        if ((e.getErrorCode() & 0xFF) != SQLITE_READONLY) throw;
    }
}

void Database::prepare_for_bulk_load() {
    // Export rows reach the store sorted by order ID (KeyOrderedSource), so its tables are written
    // front to back and the pages being filled fit in a small cache. 16 MiB keeps the whole
    // process, with the sort's own buffers, under 64 MiB.
    db_.exec("PRAGMA cache_size = -16384");
}

std::vector<std::string> Database::defer_indexes_for_bulk_load(std::uint64_t expected_rows) {
    std::vector<std::string> definitions;
    if (expected_rows == 0) return definitions;  // nothing to read, or mail only: not even the count
    // A rebuild sorts every stored order; a few new ones are cheaper to add where they belong.
    const auto stored = static_cast<std::uint64_t>(db_.execAndGet("SELECT count(*) FROM orders").getInt64());
    if (stored > 0 && expected_rows * 20 < stored) return definitions;
    std::vector<std::string> names;
    auto& s = statement("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL");
    while (s.executeStep()) {
        names.push_back(s.getColumn(0).getString());
        definitions.push_back(s.getColumn(1).getString());
    }
    s.reset();
    // Names cannot be bound; these are the schema's own, quoted as identifiers.
    for (const auto& name : names) {
        if (name.find('"') != std::string::npos) throw InternalError("unexpected index name " + name);
        idle_connection().exec("DROP INDEX \"" + name + "\"");
    }
    return definitions;
}

void Database::build_deferred_indexes(const std::vector<std::string>& definitions) {
    for (const auto& sql : definitions) idle_connection().exec(sql);
}

void Database::check_it_is_ours() {
    const auto why = not_fbtrack(db_);
    if (!why) return;
    // Closing would otherwise copy a write-ahead log the other program left into its file.
    sqlite3_db_config(db_.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    throw InputError(say("db.foreign", {{"db", path_.string()}, {"reason", *why}}));
}

std::optional<std::string> Database::damage() {
    idle_connection();
    try {
        const std::string found = quick_check(db_);
        if (found == "ok") return std::nullopt;
        return found;
    } catch (const SQLite::Exception& e) {
        // Damage can be bad enough that the check itself stops on it.
        const int code = e.getErrorCode() & 0xFF;
        if (code != SQLITE_CORRUPT && code != SQLITE_NOTADB) throw;
        return std::string(e.what());
    }
}

void Database::before_writing(bool check_damage) {
    if (reading_only_ != ReadingOnly::no) refuse_to_write();
    if (check_damage) check_for_damage();
}

void Database::check_for_damage() {
    if (checked_for_damage_) return;
    checked_for_damage_ = true;
    // Damage in the middle of the file shows here, before a write makes it worse.
    if (const auto found = damage())
        throw InputError(say("db.damaged_nothing_written", {{"db", path_.string()}, {"reason", *found}, {"hint", say("hint.restore_backup")}}));
}

void Database::migrate() {
    const int current = db_.execAndGet("PRAGMA user_version").getInt();
    const auto& migrations = schema_migrations();
    const int latest = static_cast<int>(migrations.size());
    if (current > latest)
        throw InputError(say("db.newer", {{"db", path_.string()}, {"version", std::to_string(current)}, {"latest", std::to_string(latest)}}));
    if (current == latest) {
        // Mark a database of an earlier fbtrack as ours, where it can be written.
        if (db_.execAndGet("PRAGMA application_id").getInt() != fbtrack_application_id && !sqlite3_db_readonly(db_.getHandle(), "main"))
            db_.exec("PRAGMA application_id = " + std::to_string(fbtrack_application_id));
        return;
    }
    // A new file gets 16 KiB pages: a third fewer bytes per row than 4 KiB pages hold, and far
    // fewer pages to balance on a large import. The size is fixed once the first table exists.
    if (current == 0 && db_.execAndGet("PRAGMA page_count").getInt() == 0) db_.exec("PRAGMA page_size = 16384");
    SQLite::Transaction tx(db_);
    for (int v = current; v < latest; ++v) db_.exec(std::string(migrations[static_cast<std::size_t>(v)]));
    // PRAGMA takes no bound parameters; the numbers are our own constants.
    db_.exec("PRAGMA user_version = " + std::to_string(latest));
    db_.exec("PRAGMA application_id = " + std::to_string(fbtrack_application_id));
    tx.commit();
}

SQLite::Statement& Database::statement(const std::string& sql) {
    auto& slot = statements_[sql];  // hashed: cheaper than building or comparing SQL per row
    if (!slot) slot = std::make_unique<SQLite::Statement>(db_, sql);
    slot->tryReset();  // its last failure, if any, was reported when it happened
    slot->clearBindings();
    return *slot;
}

const Database::UpsertSql& Database::upsert_sql(const RowKey& key, const std::vector<std::string>& columns) {
    auto& sql = upsert_sql_[key.table];
    if (!sql.select.empty()) return sql;
    std::string where, names;
    for (const auto& [column, value] : key.columns) {
        where += (where.empty() ? "" : " AND ") + column + " = ?";
        names += column + ", ";
    }
    sql.select = "SELECT " + join(columns, "", ", ") + " FROM " + key.table + " WHERE " + where;
    // Insert first: a new row (the common case on a first import) costs one statement.
    sql.insert = "INSERT INTO " + key.table + "(" + names + join(columns, "", ", ") + ") VALUES(" +
                 placeholders(key.columns.size() + columns.size()) + ") ON CONFLICT DO NOTHING";
    sql.update = "UPDATE " + key.table + " SET " + join(columns, " = ?", ", ") + " WHERE " + where;
    return sql;
}

RowOutcome Database::upsert_row(const RowKey& key, const std::vector<std::string>& columns, const Values& incoming,
                                const std::function<Values(const Values&)>& merge, bool insert_first, Values* stored) {
    const UpsertSql& sql = upsert_sql(key, columns);
    auto bind_key = [&](SQLite::Statement& s, int first) {
        for (const auto& [column, value] : key.columns) s.bindNoCopy(first++, value);
    };

    if (insert_first) {
        auto& insert = statement(sql.insert);
        bind_key(insert, 1);
        const int first = static_cast<int>(key.columns.size()) + 1;
        for (std::size_t i = 0; i < incoming.size(); ++i) bind_value(insert, first + static_cast<int>(i), incoming[i]);
        if (insert.exec() == 1) {
            if (stored) *stored = incoming;
            return RowOutcome::added;
        }
    }

    auto& find = statement(sql.select);
    bind_key(find, 1);
    Values existing;
    if (find.executeStep())
        for (std::size_t i = 0; i < columns.size(); ++i) existing.push_back(column_value(find, static_cast<int>(i)));
    find.reset();
    Values merged = merge(existing);
    if (merged == existing) {
        if (stored) *stored = std::move(existing);
        return RowOutcome::unchanged;
    }
    update_row(key, columns, merged);
    if (stored) *stored = std::move(merged);
    return RowOutcome::updated;
}

void Database::update_row(const RowKey& key, const std::vector<std::string>& columns, const Values& values) {
    auto& update = statement(upsert_sql(key, columns).update);
    for (std::size_t i = 0; i < values.size(); ++i) bind_value(update, static_cast<int>(i) + 1, values[i]);
    int next = static_cast<int>(values.size()) + 1;
    for (const auto& [column, value] : key.columns) update.bindNoCopy(next++, value);
    update.exec();
}

std::int64_t Database::count_of(const std::string& sql, std::initializer_list<std::string> values) {
    auto& s = statement(sql);
    int at = 0;
    for (const auto& v : values) s.bind(++at, v);
    const std::int64_t n = s.executeStep() ? s.getColumn(0).getInt64() : 0;
    s.reset();
    return n;
}

std::vector<std::string> Database::texts_of(const std::string& sql, std::initializer_list<std::string> values) {
    auto& s = statement(sql);
    int at = 0;
    for (const auto& v : values) s.bind(++at, v);
    std::vector<std::string> texts;
    while (s.executeStep()) texts.push_back(s.getColumn(0).getString());
    s.reset();
    return texts;
}

}  // namespace fbtrack
