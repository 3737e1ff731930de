#include "store/Store.h"

#include "core/Errors.h"
#include "core/PrivateFiles.h"
#include "store/Migrations.h"

#include <SQLiteCpp/Backup.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <tuple>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace fbtrack {

namespace {

using Value = std::optional<std::string>;
using Values = std::vector<Value>;

Value text_of(const std::optional<bool>& b) {
    if (!b) return std::nullopt;
    return *b ? "1" : "0";
}
Value text_of(const std::optional<long long>& n) {
    if (!n) return std::nullopt;
    return std::to_string(*n);
}

// Without a copy: every value bound lives until the statement has run, and statement() clears the
// bindings before a statement is used again.
void bind_value(SQLite::Statement& s, int index, const Value& v) {
    if (v) s.bindNoCopy(index, *v);
    else s.bind(index);  // NULL
}

Value column_value(SQLite::Statement& s, int index) {
    const auto c = s.getColumn(index);
    if (c.isNull()) return std::nullopt;
    return c.getString();
}

std::string placeholders(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
    return out;
}

std::string join(const std::vector<std::string>& names, const std::string& suffix, const std::string& sep) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : sep) + n + suffix;
    return out;
}

const std::vector<std::string> order_columns = {
    "purchased_at", "last_updated_at", "status", "fulfillment", "sales_channel", "service_level", "ship_state",
    "ship_country", "ssa_carrier", "buy_shipping", "is_prime", "ship_by", "deliver_by"};
constexpr std::size_t order_last_updated = 1;
constexpr std::size_t order_first_promise = 11;  // ship_by, deliver_by: the latest report wins

const std::vector<std::string> item_columns = {"order_item_id", "sku",      "asin",     "product_name",
                                               "item_status",   "quantity", "currency", "item_price"};
const std::vector<std::string> shipment_columns = {"ship_date",    "shipped_at",  "quantity",
                                                   "carrier_code", "carrier_name", "ship_method",
                                                   "fulfillment",  "promised_delivery"};
const std::vector<std::string> feedback_columns = {"rated_on", "rating", "comment", "response"};
const std::vector<std::string> message_columns = {"order_id", "sent_at", "direction",      "buyer_alias", "subject",
                                                  "body",     "source",  "classification", "phrase",
                                                  "decoding_note"};
const std::vector<std::string> manual_expedite_columns = {"reply", "replied_at", "note"};

// PRAGMA application_id of every fbtrack database ("fbtr"): another program's SQLite file is
// told apart before anything is written to it.
constexpr int fbtrack_application_id = 0x66627472;

// Create the file ourselves so that it is the owner's alone from the first byte. Anything but a
// regular file (a folder, a device, a pipe) is refused before SQLite opens it.
void create_private_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (path == ":memory:") return;
    if (std::filesystem::exists(path, ec)) {
        if (!std::filesystem::is_regular_file(path, ec))
            throw UsageError("database " + path.string() + ": not a regular file. Hint: --db names a database file");
        // An empty file becomes a new database: the owner's alone, as one fbtrack creates.
        if (std::filesystem::file_size(path, ec) == 0) std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
        return;
    }
    if (path.has_parent_path()) make_private_folder(path.parent_path());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno != EEXIST)
        throw OutputError("cannot create the database " + path.string() + ": " + std::strerror(errno) +
                          ". Hint: choose another place with --db or FBTRACK_DB");
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

}  // namespace

namespace {
[[noreturn]] void throw_full_disk(const std::filesystem::path& db_path) {
    throw OutputError("database " + db_path.string() + ": the disk is full; nothing was changed. Hint: free some space and run again");
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

// Another connection holds the lock this one needs (SQLITE_BUSY, SQLITE_LOCKED).
bool is_busy(int code) {
    code &= 0xFF;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
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

// A file name as an SQLite URI (file:PATH?immutable=1) takes it: '%', '?' and '#' escaped.
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

bool is_full_disk(const SQLite::Exception& e, int system_errno) {
    const int code = e.getErrorCode() & 0xFF;
    // SQLite says SQLITE_FULL when a write of the database or its journal fails for room; a
    // failure to grow the write-ahead log's index (-shm) comes as an I/O error with ENOSPC behind it.
    return code == SQLITE_FULL || (code == SQLITE_IOERR && (system_errno == ENOSPC || system_errno == EDQUOT));
}
}  // namespace

void rethrow_database_error(const SQLite::Exception& e, const std::filesystem::path& db_path, int system_errno) {
    const int code = e.getErrorCode() & 0xFF;
    const std::string where = "database " + db_path.string() + ": ";
    if (is_full_disk(e, system_errno)) throw_full_disk(db_path);
    switch (code) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw BusyError(where + "another fbtrack is using it (waited 5 s). Hint: wait until it finishes and run again");
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_CANTOPEN: {
            // SQLite makes its side files with the database's permissions: a run while the database
            // was read-only leaves them read-only after the database is writable again.
            for (const char* side : {"-wal", "-shm"}) {
                const std::string file = db_path.string() + side;
                if (::access(db_path.c_str(), W_OK) == 0 && ::access(file.c_str(), F_OK) == 0 && ::access(file.c_str(), W_OK) != 0)
                    throw OutputError(where + "cannot write to it: " + file +
                                      " is read-only, left so by a run when the database was read-only. Hint: chmod u+w " + file);
            }
            throw OutputError(where + "cannot write to it (" + e.what() +
                              "). Hint: check the file's permissions or choose another with --db");
        }
        case SQLITE_NOTADB:
            throw InputError(where + "this file is not an fbtrack database (" + e.what() +
                             "). Hint: point --db at another file; fbtrack never overwrites it");
        case SQLITE_CORRUPT:
            throw InputError(where + "the database is damaged (" + e.what() +
                             "); nothing was changed. Hint: restore a backup of it ('fbtrack restore FILE'), or import "
                             "into a new database with --db");
        default:
            throw InternalError(where + e.what());
    }
}

void Store::refuse_to_write() const {
    if (reading_only_ == ReadingOnly::read_only_disk)
        throw OutputError("database " + path_.string() +
                          ": its disk is mounted read-only; nothing was changed. Hint: copy the database to a writable "
                          "disk and use --db there, or mount the disk writable");
    throw_full_disk(path_);
}

void Store::rethrow(const SQLite::Exception& e) {
    const int code = e.getErrorCode() & 0xFF;
    // Opened for reading only: a write is refused by query_only, and the reason is the disk.
    if (reading_only_ != ReadingOnly::no && (code == SQLITE_READONLY || code == SQLITE_IOERR)) refuse_to_write();
    rethrow_database_error(e, path_, sqlite3_system_errno(db_.getHandle()));
}

Store::Store(const std::filesystem::path& path, std::optional<long long> max_pages)
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

void Store::open_for_reading_on_a_read_only_disk() {
    // A snapshot, a backup disk, a share mounted read-only: SQLite cannot make the write-ahead
    // log's index there, and nothing can change the file, so it is read as immutable. Changes still
    // in a -wal would then be passed over: such a database is not read at all.
    std::error_code ec;
    const auto log = std::filesystem::file_size(path_.string() + "-wal", ec);
    if (!ec && log > 0)
        throw OutputError("database " + path_.string() + ": its disk is mounted read-only and its last changes are in " +
                          path_.string() + "-wal, which cannot be read there. Hint: copy both files to a writable disk "
                          "and use --db there");
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

void Store::open_for_reading_on_a_full_disk() {
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

SQLite::Database& Store::idle_connection() {
    // tryReset: a statement that failed (a damaged page) reports that failure again on reset.
    for (auto& [sql, statement] : statements_) statement->tryReset();
    return db_;
}

Store::Savepoint::Savepoint(Store& store) : store_(store) {
    store_.idle_connection().exec("SAVEPOINT import_file");
    store_.last_order_.reset();
    store_.remember_last_order_ = true;
}

void Store::Savepoint::release() {
    store_.last_order_.reset();
    store_.remember_last_order_ = false;
    store_.idle_connection().exec("RELEASE import_file");
    done_ = true;
}

Store::Savepoint::~Savepoint() {
    store_.last_order_.reset();
    store_.remember_last_order_ = false;
    if (done_) return;
    try {
        store_.idle_connection().exec("ROLLBACK TO import_file");
        store_.db_.exec("RELEASE import_file");
    } catch (const std::exception&) {
        // The enclosing transaction rolls back as a whole when this fails.
    }
}

void Store::use_write_ahead_log() {
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

void Store::prepare_for_bulk_load() {
    // Export rows reach the store sorted by order ID (KeyOrderedSource), so its tables are written
    // front to back and the pages being filled fit in a small cache. 16 MiB keeps the whole
    // process, with the sort's own buffers, under 64 MiB.
    db_.exec("PRAGMA cache_size = -16384");
}

std::vector<std::string> Store::defer_indexes_for_bulk_load(std::uint64_t expected_rows) {
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

void Store::build_deferred_indexes(const std::vector<std::string>& definitions) {
    for (const auto& sql : definitions) idle_connection().exec(sql);
}

namespace {
// What makes `db` not an fbtrack database ("application_id 0, 3 schema objects"), or nothing.
// Reads only: a file that is not fbtrack's must stay byte for byte as it was.
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

// quick_check reads every page once: "ok", or the first problem it found, on one line.
std::string quick_check(SQLite::Database& db) {
    std::string first = db.execAndGet("PRAGMA quick_check").getString();
    std::replace(first.begin(), first.end(), '\n', ' ');
    return first;
}

// One step of an online backup (`pages` of them, or all that are left); another fbtrack holding
// the destination's write lock past the busy timeout is a busy error.
void backup_step(SQLite::Backup& backup, int pages = -1) {
    const int rc = backup.executeStep(pages);
    if (is_busy(rc)) throw SQLite::Exception("the database is in use", rc);
}

// Runs a whole online backup from `from` into `to`.
void copy_database(SQLite::Database& to, SQLite::Database& from) {
    SQLite::Backup backup(to, from);
    backup_step(backup);
}
}  // namespace

void Store::check_it_is_ours() {
    const auto why = not_fbtrack(db_);
    if (!why) return;
    // Closing would otherwise copy a write-ahead log the other program left into its file.
    sqlite3_db_config(db_.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    throw InputError("database " + path_.string() + ": another program's SQLite file, not an fbtrack database (" + *why +
                     "); fbtrack left it as it was. Hint: point --db at another file, or leave --db out to use "
                     "the shop's own database");
}

std::optional<std::string> Store::damage() {
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

void Store::before_writing(bool check_damage) {
    if (reading_only_ != ReadingOnly::no) refuse_to_write();
    if (check_damage) check_for_damage();
}

void Store::check_for_damage() {
    if (checked_for_damage_) return;
    checked_for_damage_ = true;
    // Damage in the middle of the file shows here, before a write makes it worse.
    if (const auto found = damage())
        throw InputError("database " + path_.string() + " is damaged (" + *found +
                         "); nothing was written. Hint: restore a backup of it ('fbtrack restore FILE'), or import into a "
                         "new database with --db");
}

void Store::copy_to(const std::filesystem::path& file, const std::string& mark, bool from_new_reader) {
    SQLite::Database copy(file.string(), SQLite::OPEN_READWRITE, 5000);
    if (from_new_reader) {
        SQLite::Database reader(path_.string(), SQLite::OPEN_READONLY, 5000);
        copy_database(copy, reader);
    } else {
        copy_database(copy, idle_connection());
    }
    // One self-contained file, with no write-ahead log beside it to lose on the way to a USB stick.
    copy.exec("PRAGMA journal_mode = DELETE");
    SQLite::Statement s(copy, "INSERT OR REPLACE INTO settings(key, value) VALUES ('backup', ?)");
    s.bind(1, mark);
    s.exec();
}

BackupFacts Store::check_backup(const std::filesystem::path& file, bool as_it_lies) {
    const auto refuse = [&](const std::string& found, const std::string& hint = "name a file that 'fbtrack backup' wrote") -> BackupFacts {
        throw InputError(file.string() + ": " + found + "; nothing was restored. Hint: " + hint);
    };
    const std::string damaged_hint = "restore another backup; this one cannot be read whole";
    try {
        // As it lies: read without the write-ahead log or a -shm file made beside it.
        SQLite::Database backup(as_it_lies ? "file:" + uri_path(file) + "?immutable=1" : file.string(),
                                SQLite::OPEN_READONLY | (as_it_lies ? SQLite::OPEN_URI : 0));
        if (const auto why = not_fbtrack(backup)) return refuse("another program's SQLite file, not an fbtrack backup (" + *why + ")");
        BackupFacts facts;
        facts.schema_version = backup.execAndGet("PRAGMA user_version").getInt();
        const int latest = static_cast<int>(schema_migrations().size());
        if (facts.schema_version == 0) return refuse("an empty database, not an fbtrack backup");
        if (facts.schema_version > latest)
            return refuse("a backup from a newer fbtrack (schema version " + std::to_string(facts.schema_version) +
                              ", this one knows up to " + std::to_string(latest) + ")",
                          "install the newer fbtrack to restore it");
        if (const std::string found = quick_check(backup); found != "ok") return refuse("the backup is damaged or cut short (" + found + ")", damaged_hint);
        const auto count = [&](const char* table) {
            return backup.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64();
        };
        facts.counts.orders = count("orders");
        facts.counts.feedback = count("feedback");
        facts.counts.messages = count("messages");
        facts.counts.imports = count("imports");
        facts.last_import = backup.execAndGet("SELECT coalesce(max(imported_at), '') FROM imports").getString();
        const auto setting = [&](const char* key) -> std::optional<std::string> {
            SQLite::Statement s(backup, "SELECT value FROM settings WHERE key = ?");
            s.bind(1, key);
            if (s.executeStep()) return s.getColumn(0).getString();
            return std::nullopt;
        };
        facts.made_by_backup = setting("backup");
        facts.marketplace = setting("marketplace");
        facts.shop = setting("shop");
        return facts;
    } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xFF) == SQLITE_CORRUPT)
            return refuse(std::string("the backup is damaged or cut short (") + e.what() + ")", damaged_hint);
        return refuse(std::string("not an fbtrack backup (") + e.what() + ")");
    }
}

void Store::snapshot(const std::filesystem::path& from, const std::filesystem::path& to) {
    SQLite::Database source(from.string(), SQLite::OPEN_READONLY);
    SQLite::Database copy(to.string(), SQLite::OPEN_READWRITE, 5000);
    copy_database(copy, source);
    copy.exec("PRAGMA journal_mode = DELETE");
}

void Store::replace_with(const std::filesystem::path& file, const std::function<void()>& keep) {
    if (reading_only_ != ReadingOnly::no) refuse_to_write();
    SQLite::Database backup(file.string(), SQLite::OPEN_READONLY);
    statements_.clear();  // prepared for the schema that is being replaced
    // SQLite cannot change the page size of a database in write-ahead-log mode, and a backup made
    // with another page size (a VACUUM elsewhere) is still a good one: the log is left for it.
    // That takes a moment without the write lock, between the copy kept and the restore.
    if (backup.execAndGet("PRAGMA page_size").getInt() != db_.execAndGet("PRAGMA page_size").getInt()) {
        db_.exec("BEGIN IMMEDIATE");
        keep();
        db_.exec("COMMIT");
        db_.exec("PRAGMA journal_mode = DELETE");
        copy_database(db_, backup);
    } else {
        SQLite::Backup restoring(db_, backup);
        // A step of no pages takes the write lock (waiting for an import to commit) and keeps it
        // until the last step: the copy kept is then exactly what is replaced.
        backup_step(restoring, 0);
        keep();
        backup_step(restoring);
    }
    checked_for_damage_ = false;
    migrate();  // a backup from an earlier fbtrack
    use_write_ahead_log();
    db_.exec("DELETE FROM settings WHERE key = 'backup'");  // a database again, not a backup
}

void Store::migrate() {
    const int current = db_.execAndGet("PRAGMA user_version").getInt();
    const auto& migrations = schema_migrations();
    const int latest = static_cast<int>(migrations.size());
    if (current > latest)
        throw InputError("database " + path_.string() + " has schema version " + std::to_string(current) +
                         ", written by a newer fbtrack; this one knows up to version " + std::to_string(latest) +
                         ". Hint: install the newer fbtrack; this database was not changed");
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

SQLite::Statement& Store::statement(const std::string& sql) {
    auto& slot = statements_[sql];  // hashed: cheaper than building or comparing SQL per row
    if (!slot) slot = std::make_unique<SQLite::Statement>(db_, sql);
    slot->tryReset();  // its last failure, if any, was reported when it happened
    slot->clearBindings();
    return *slot;
}

std::optional<std::string> Store::setting(const std::string& key) {
    auto& s = statement("SELECT value FROM settings WHERE key = ?");
    s.bind(1, key);
    if (s.executeStep()) return s.getColumn(0).getString();
    return std::nullopt;
}

void Store::set_setting(const std::string& key, const std::string& value) {
    before_writing();
    auto& s = statement("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, key);
    s.bind(2, value);
    s.exec();
}

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

std::optional<JournalEntry> Store::find_import(const std::string& sha256) {
    auto& s = statement(std::string("SELECT ") + journal_columns + " FROM imports WHERE sha256 = ? ORDER BY import_id LIMIT 1");
    s.bind(1, sha256);
    std::optional<JournalEntry> found;
    if (s.executeStep()) found = journal_entry(s);
    s.reset();
    return found;
}

bool Store::may_have_imported(std::uint64_t size_bytes) {
    auto& s = statement("SELECT EXISTS (SELECT 1 FROM imports WHERE size_bytes = ? OR size_bytes IS NULL)");
    s.bind(1, static_cast<std::int64_t>(size_bytes));
    s.executeStep();
    const bool maybe = s.getColumn(0).getInt() != 0;
    s.reset();
    return maybe;
}

std::int64_t Store::begin_import(const JournalEntry& entry) {
    auto& s = statement(
        "INSERT INTO imports(file_name, sha256, kind, layout, encoding, imported_at, size_bytes) VALUES(?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, entry.file_name);
    s.bind(2, entry.sha256);
    s.bind(3, entry.kind);
    s.bind(4, entry.layout);
    s.bind(5, entry.encoding);
    s.bind(6, entry.imported_at);
    if (entry.size_bytes) s.bind(7, static_cast<std::int64_t>(*entry.size_bytes));
    s.exec();
    return db_.getLastInsertRowid();
}

void Store::finish_import(std::int64_t import_id, const ImportCounts& c, const std::string& encoding,
                          const std::string& sha256) {
    auto& s = statement(
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

void Store::record_unreadable(JournalEntry entry, const std::string& reason, const std::string& text) {
    entry.kind = "skipped";
    entry.layout = "unreadable";
    entry.encoding = "-";
    const std::int64_t import_id = begin_import(entry);
    ImportCounts counts;
    counts.rejected = 1;
    finish_import(import_id, counts, entry.encoding, entry.sha256);
    add_rejected_row(import_id, 0, reason, text);
}

void Store::add_rejected_row(std::int64_t import_id, std::size_t line, const std::string& reason,
                             const std::string& text) {
    auto& s = statement("INSERT OR REPLACE INTO rejected_rows(import_id, line, reason, row_text) VALUES(?, ?, ?, ?)");
    s.bind(1, import_id);
    s.bind(2, static_cast<std::int64_t>(line));
    s.bind(3, reason);
    s.bind(4, text);
    s.exec();
}

RowOutcome Store::upsert(const OrderLine& line) {
    bool stale = false;
    const RowOutcome order = upsert_order(line, stale);
    const RowOutcome item = line.has_item() ? upsert_item(line, stale, order == RowOutcome::added) : RowOutcome::unchanged;
    if (order == RowOutcome::added || item == RowOutcome::added) return RowOutcome::added;
    if (order == RowOutcome::updated || item == RowOutcome::updated) return RowOutcome::updated;
    return RowOutcome::unchanged;
}

const Store::UpsertSql& Store::upsert_sql(const RowKey& key, const std::vector<std::string>& columns) {
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

RowOutcome Store::upsert_row(const RowKey& key, const std::vector<std::string>& columns, const Values& incoming,
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

void Store::update_row(const RowKey& key, const std::vector<std::string>& columns, const Values& values) {
    auto& update = statement(upsert_sql(key, columns).update);
    for (std::size_t i = 0; i < values.size(); ++i) bind_value(update, static_cast<int>(i) + 1, values[i]);
    int next = static_cast<int>(values.size()) + 1;
    for (const auto& [column, value] : key.columns) update.bindNoCopy(next++, value);
    update.exec();
}

RowOutcome Store::upsert_order(const OrderLine& o, bool& stale) {
    const Values incoming = {o.purchased_at,  o.last_updated_at, o.status,       o.fulfillment,
                             o.sales_channel, o.service_level,   o.ship_state,   o.ship_country,
                             o.ssa_carrier,   text_of(o.buy_shipping), text_of(o.is_prime), o.ship_by,
                             o.deliver_by};
    const auto merge = [&](const Values& existing) {
        // A report older than what we hold must not undo a newer one; it may still fill gaps.
        const auto& old_stamp = existing[order_last_updated];
        const auto& new_stamp = incoming[order_last_updated];
        stale = old_stamp && new_stamp && *new_stamp < *old_stamp;
        Values merged = existing;
        for (std::size_t i = 0; i < incoming.size(); ++i)
            if (incoming[i] && (i >= order_first_promise || !stale || !existing[i])) merged[i] = incoming[i];
        return merged;
    };
    const RowKey key{"orders", {{"order_id", o.order_id}}};
    if (last_order_ && last_order_->order_id == o.order_id) {
        Values merged = merge(last_order_->values);
        if (merged == last_order_->values) return RowOutcome::unchanged;
        update_row(key, order_columns, merged);
        last_order_->values = std::move(merged);
        return RowOutcome::updated;
    }
    if (!remember_last_order_) return upsert_row(key, order_columns, incoming, merge);
    Values stored;
    const RowOutcome outcome = upsert_row(key, order_columns, incoming, merge, true, &stored);
    last_order_ = StoredOrder{o.order_id, std::move(stored)};
    return outcome;
}

RowOutcome Store::upsert_item(const OrderLine& o, bool stale, bool new_order) {
    const Values incoming = {o.order_item_id, o.sku,      o.asin,     o.product_name,
                             o.item_status,   text_of(o.quantity), o.currency, o.item_price};
    // The item's natural key is order-item-id; reports without it (All Orders) match by SKU.
    std::optional<std::int64_t> item_id;
    static const std::string by_item_id = "SELECT item_id FROM order_items WHERE order_id = ? AND order_item_id = ? LIMIT 1";
    static const std::string by_sku_without_id =
        "SELECT item_id FROM order_items WHERE order_id = ? AND sku = ? AND order_item_id IS NULL LIMIT 1";
    static const std::string by_sku = "SELECT item_id FROM order_items WHERE order_id = ? AND sku = ? LIMIT 1";
    static const std::string by_asin = "SELECT item_id FROM order_items WHERE order_id = ? AND asin = ? AND sku IS NULL LIMIT 1";
    static const std::string insert_item = "INSERT INTO order_items(order_id, " + join(item_columns, "", ", ") +
                                           ") VALUES(" + placeholders(item_columns.size() + 1) + ")";
    auto try_find = [&](const std::string& sql, const std::string& value) {
        if (item_id || new_order) return;  // a new order has no items yet
        auto& find = statement(sql);
        find.bind(1, o.order_id);
        find.bind(2, value);
        if (find.executeStep()) item_id = find.getColumn(0).getInt64();
        find.reset();
    };
    if (o.order_item_id) {
        try_find(by_item_id, *o.order_item_id);
        if (o.sku) try_find(by_sku_without_id, *o.sku);
    } else if (o.sku) {
        try_find(by_sku, *o.sku);
    } else if (o.asin) {
        try_find(by_asin, *o.asin);
    }
    if (!item_id) {
        auto& insert = statement(insert_item);
        insert.bind(1, o.order_id);
        for (std::size_t i = 0; i < incoming.size(); ++i) bind_value(insert, static_cast<int>(i) + 2, incoming[i]);
        insert.exec();
        return RowOutcome::added;
    }
    return upsert_row({"order_items", {{"item_id", std::to_string(*item_id)}}}, item_columns, incoming,
                      [&](const Values& existing) {
                          Values merged = existing;
                          for (std::size_t i = 0; i < incoming.size(); ++i)
                              if (incoming[i] && (!stale || !existing[i])) merged[i] = incoming[i];
                          return merged;
                      },
                      false);  // the item exists: it was just found
}

RowOutcome Store::upsert(const Shipment& s) {
    const Values incoming = {s.ship_date,    s.shipped_at,  text_of(s.quantity), s.carrier_code,
                             s.carrier_name, s.ship_method, s.fulfillment,       s.promised_delivery};
    const RowKey key{"shipments",
                     {{"order_id", s.order_id},
                      {"order_item_id", s.order_item_id.value_or("")},
                      {"tracking_number", s.tracking_number.value_or("")}}};
    return upsert_row(key, shipment_columns, incoming, [&](const Values& existing) {
        Values merged = existing;
        for (std::size_t i = 0; i < incoming.size(); ++i)
            if (incoming[i]) merged[i] = incoming[i];
        return merged;
    });
}

RowOutcome Store::upsert(const FeedbackEntry& f) {
    const Values incoming = {f.rated_on, std::to_string(f.rating), f.comment, f.response};
    // A buyer may revise a rating; the report downloaded later holds the current one.
    return upsert_row({"feedback", {{"order_id", f.order_id}}}, feedback_columns, incoming,
                      [&](const Values&) { return incoming; });
}

RowOutcome Store::upsert(const BuyerMessage& m) {
    const Values incoming = {m.order_id, m.sent_at, m.direction,      m.buyer_alias, m.subject,
                             m.body,     m.source,  m.classification, m.phrase,      m.decoding_note};
    // A Message-ID is chosen by the sender: one that comes again with another content never
    // rewrites the seller's history. Only the classification may change (phrase lists edited).
    constexpr std::size_t content_columns = 6;  // order_id … body
    bool conflicting = false;
    const RowOutcome outcome = upsert_row({"messages", {{"message_key", m.message_key}}}, message_columns, incoming,
                                          [&](const Values& existing) {
                                              if (!std::equal(existing.begin(), existing.begin() + content_columns,
                                                              incoming.begin())) {
                                                  conflicting = true;
                                                  return existing;
                                              }
                                              return incoming;
                                          });
    return conflicting ? RowOutcome::conflicting : outcome;
}

RowOutcome Store::upsert(const ManualExpedite& e) {
    before_writing();
    const Values incoming = {e.reply, e.replied_at, e.note};
    return upsert_row({"manual_expedites", {{"order_id", e.order_id}, {"requested_at", e.requested_at}}},
                      manual_expedite_columns, incoming, [&](const Values&) { return incoming; });
}

std::vector<std::pair<std::string, std::string>> Store::shop_addresses() {
    auto& s = statement("SELECT address, learnt_from FROM shop_addresses ORDER BY address");
    std::vector<std::pair<std::string, std::string>> out;
    while (s.executeStep()) out.emplace_back(s.getColumn(0).getString(), s.getColumn(1).getString());
    s.reset();
    return out;
}

void Store::add_shop_address(const std::string& address, const std::string& learnt_from) {
    before_writing();
    auto& s = statement("INSERT INTO shop_addresses(address, learnt_from) VALUES(?, ?) ON CONFLICT DO NOTHING");
    s.bind(1, address);
    s.bind(2, learnt_from);
    s.exec();
}

std::vector<MailAccount> Store::mail_accounts() {
    auto& s = statement("SELECT name, url, user_name, password_command, folders, cacert, added_at FROM mail_accounts ORDER BY name");
    std::vector<MailAccount> out;
    while (s.executeStep()) {
        MailAccount a;
        a.name = s.getColumn(0).getString();
        a.url = s.getColumn(1).getString();
        a.user = s.getColumn(2).getString();
        a.password_command = s.getColumn(3).getString();
        // One folder per line: a folder name holds no line break (mail add refuses one).
        std::string folders = s.getColumn(4).getString();
        for (std::size_t start = 0; start <= folders.size();) {
            const auto end = std::min(folders.find('\n', start), folders.size());
            if (end > start) a.folders.push_back(folders.substr(start, end - start));
            start = end + 1;
        }
        if (!s.getColumn(5).isNull()) a.cacert = s.getColumn(5).getString();
        a.added_at = s.getColumn(6).getString();
        out.push_back(std::move(a));
    }
    s.reset();
    return out;
}

bool Store::add_mail_account(const MailAccount& account) {
    before_writing();
    std::string folders;
    for (const auto& f : account.folders) folders += (folders.empty() ? "" : "\n") + f;
    auto& s = statement(
        "INSERT INTO mail_accounts(name, url, user_name, password_command, folders, cacert, added_at) VALUES(?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    s.bind(1, account.name);
    s.bind(2, account.url);
    s.bind(3, account.user);
    s.bind(4, account.password_command);
    s.bind(5, folders);
    if (account.cacert) s.bind(6, *account.cacert);
    else s.bind(6);
    s.bind(7, account.added_at);
    const bool added = s.exec() == 1;
    s.reset();
    return added;
}

bool Store::remove_mail_account(const std::string& name) {
    before_writing();
    auto& positions = statement("DELETE FROM mail_folder_positions WHERE account = ?");
    positions.bind(1, name);
    positions.exec();
    positions.reset();
    auto& s = statement("DELETE FROM mail_accounts WHERE name = ?");
    s.bind(1, name);
    const bool removed = s.exec() == 1;
    s.reset();
    return removed;
}

std::vector<FolderPosition> Store::folder_positions(const std::string& account) {
    auto& s = statement("SELECT folder, uidvalidity, last_uid, fetched_at FROM mail_folder_positions WHERE account = ? ORDER BY folder");
    s.bind(1, account);
    std::vector<FolderPosition> out;
    while (s.executeStep())
        out.push_back({s.getColumn(0).getString(), s.getColumn(1).getInt64(), s.getColumn(2).getInt64(), s.getColumn(3).getString()});
    s.reset();
    return out;
}

void Store::set_folder_position(const std::string& account, const FolderPosition& position) {
    before_writing();
    auto& s = statement(
        "INSERT INTO mail_folder_positions(account, folder, uidvalidity, last_uid, fetched_at) VALUES(?, ?, ?, ?, ?) "
        "ON CONFLICT(account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, "
        "fetched_at = excluded.fetched_at");
    s.bind(1, account);
    s.bind(2, position.folder);
    s.bind(3, position.uidvalidity);
    s.bind(4, position.last_uid);
    s.bind(5, position.fetched_at);
    s.exec();
    s.reset();
}

bool Store::notice_sent(const std::string& key) {
    auto& s = statement("SELECT 1 FROM notices WHERE notice_key = ?");
    s.bind(1, key);
    const bool found = s.executeStep();
    s.reset();
    return found;
}

void Store::record_notice(const std::string& key, const std::string& kind, const std::string& order_id,
                          const std::string& sent_at) {
    before_writing();
    auto& s = statement("INSERT INTO notices(notice_key, kind, order_id, sent_at) VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING");
    s.bind(1, key);
    s.bind(2, kind);
    if (order_id.empty()) s.bind(3);
    else s.bind(3, order_id);
    s.bind(4, sent_at);
    s.exec();
    s.reset();
}

std::vector<StoredMessage> Store::messages(const std::optional<std::string>& order_id, bool with_text) {
    const std::string text = with_text ? "subject, body" : "'', ''";
    // All of them: the table read through once (+ keeps the time index out) and sorted here, not
    // looked up row by row in time order through the index, which takes many times the page reads.
    auto& s = statement("SELECT message_key, order_id, sent_at, direction, buyer_alias, " + text +
                        ", source, classification, phrase, decoding_note FROM messages" +
                        (order_id ? " WHERE sent_at < ? AND order_id = ? ORDER BY sent_at, message_key"
                                  : " WHERE +sent_at < ?"));
    s.bind(1, as_of_.end_utc);
    if (order_id) s.bind(2, *order_id);
    std::vector<StoredMessage> out;
    // Sized once: doubling a vector of many messages would briefly need half as much again.
    if (!order_id) out.reserve(static_cast<std::size_t>(count_of("SELECT count(*) FROM messages")));
    while (s.executeStep()) {
        StoredMessage m;
        m.message_key = s.getColumn(0).getString();
        m.order_id = column_value(s, 1);
        m.sent_at = s.getColumn(2).getString();
        m.direction = s.getColumn(3).getString();
        m.buyer_alias = column_value(s, 4);
        m.subject = s.getColumn(5).getString();
        m.body = s.getColumn(6).getString();
        m.source = s.getColumn(7).getString();
        m.classification = s.getColumn(8).getString();
        m.phrase = column_value(s, 9);
        m.decoding_note = column_value(s, 10);
        out.push_back(std::move(m));
    }
    s.reset();
    if (!order_id)  // as ORDER BY sent_at, message_key would: both compare as bytes
        std::sort(out.begin(), out.end(), [](const StoredMessage& a, const StoredMessage& b) {
            return std::tie(a.sent_at, a.message_key) < std::tie(b.sent_at, b.message_key);
        });
    return out;
}

void Store::set_classification(const std::string& message_key, const std::string& label,
                               const std::optional<std::string>& phrase) {
    auto& s = statement("UPDATE messages SET classification = ?, phrase = ? WHERE message_key = ?");
    s.bind(1, label);
    bind_value(s, 2, phrase);
    s.bind(3, message_key);
    s.exec();
}

std::vector<ManualExpedite> Store::manual_expedites(const std::optional<std::string>& order_id) {
    // A reply given after the cut-off was not given yet.
    auto& s = statement(std::string("SELECT order_id, requested_at, CASE WHEN replied_at >= ?1 THEN 'none' ELSE reply END, "
                                    "CASE WHEN replied_at >= ?1 THEN NULL ELSE replied_at END, note FROM manual_expedites "
                                    "WHERE requested_at < ?1") +
                        (order_id ? " AND order_id = ?2" : "") + " ORDER BY requested_at");
    s.bind(1, as_of_.end_utc);
    if (order_id) s.bind(2, *order_id);
    std::vector<ManualExpedite> out;
    while (s.executeStep())
        out.push_back(ManualExpedite{s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                                     column_value(s, 3), column_value(s, 4)});
    s.reset();
    return out;
}

namespace {
std::optional<bool> bool_value(SQLite::Statement& s, int index) {
    const auto c = s.getColumn(index);
    if (c.isNull()) return std::nullopt;
    return c.getInt() != 0;
}
std::optional<long long> int_value(SQLite::Statement& s, int index) {
    const auto c = s.getColumn(index);
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}
}  // namespace

std::optional<OrderFacts> Store::order(const std::string& order_id) {
    auto& s = statement(
        "SELECT purchased_at, status, fulfillment, service_level, ship_state, ssa_carrier, buy_shipping, is_prime, "
        "ship_by, deliver_by FROM orders WHERE order_id = ? AND coalesce(purchased_at, '') < ?");
    s.bind(1, order_id);
    s.bind(2, as_of_.end_utc);
    std::optional<OrderFacts> found;
    if (s.executeStep()) {
        OrderFacts o;
        o.order_id = order_id;
        o.purchased_at = column_value(s, 0);
        o.status = column_value(s, 1);
        o.fulfillment = column_value(s, 2);
        o.service_level = column_value(s, 3);
        o.ship_state = column_value(s, 4);
        o.ssa_carrier = column_value(s, 5);
        o.buy_shipping = bool_value(s, 6);
        o.is_prime = bool_value(s, 7);
        o.ship_by = column_value(s, 8);
        o.deliver_by = column_value(s, 9);
        found = std::move(o);
    }
    s.reset();
    return found;
}

std::vector<ItemFacts> Store::items(const std::string& order_id) {
    // Sorted here: ORDER BY would make SQLite set up a sorter for every rating's two or three items.
    auto& s = statement("SELECT item_id, sku, asin, product_name, quantity FROM order_items WHERE order_id = ?");
    s.bind(1, order_id);
    std::vector<std::pair<std::int64_t, ItemFacts>> found;
    while (s.executeStep())
        found.emplace_back(s.getColumn(0).getInt64(),
                           ItemFacts{column_value(s, 1), column_value(s, 2), column_value(s, 3), int_value(s, 4)});
    s.reset();
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<ItemFacts> out;
    out.reserve(found.size());
    for (auto& [id, item] : found) out.push_back(std::move(item));
    return out;
}

std::vector<ShipmentFacts> Store::shipments(const std::string& order_id) {
    auto& s = statement(
        "SELECT ship_date, carrier_code, carrier_name, tracking_number, ship_method, fulfillment, promised_delivery "
        "FROM shipments WHERE order_id = ? AND substr(ship_date, 1, 10) <= ? ORDER BY ship_date, tracking_number");
    s.bind(1, order_id);
    s.bind(2, as_of_.date);
    std::vector<ShipmentFacts> out;
    while (s.executeStep()) {
        ShipmentFacts f;
        f.ship_date = s.getColumn(0).getString();
        f.carrier_code = column_value(s, 1);
        f.carrier_name = column_value(s, 2);
        const auto tracking = column_value(s, 3);
        if (tracking && !tracking->empty()) f.tracking_number = tracking;
        f.ship_method = column_value(s, 4);
        f.fulfillment = column_value(s, 5);
        f.promised_delivery = column_value(s, 6);
        out.push_back(std::move(f));
    }
    s.reset();
    return out;
}

namespace {
Rating rating_of(SQLite::Statement& s) {
    return Rating{s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getInt(),
                  s.getColumn(3).getString(), column_value(s, 4)};
}
}  // namespace

std::vector<Rating> Store::ratings(const std::optional<std::string>& from, const std::optional<std::string>& to) {
    auto& s = statement(
        "SELECT order_id, rated_on, rating, comment, response FROM feedback WHERE rating <= 3 "
        "AND rated_on >= coalesce(?, '0000') AND rated_on <= coalesce(?, '9999') AND rated_on <= ? "
        "ORDER BY rated_on, order_id");
    bind_value(s, 1, from);
    bind_value(s, 2, to);
    s.bind(3, as_of_.date);
    std::vector<Rating> out;
    while (s.executeStep()) out.push_back(rating_of(s));
    s.reset();
    return out;
}

std::optional<Rating> Store::rating(const std::string& order_id) {
    auto& s = statement("SELECT order_id, rated_on, rating, comment, response FROM feedback WHERE order_id = ? AND rated_on <= ?");
    s.bind(1, order_id);
    s.bind(2, as_of_.date);
    std::optional<Rating> found;
    if (s.executeStep()) found = rating_of(s);
    s.reset();
    return found;
}

void Store::for_each_order(const std::string& from_utc, const std::string& to_utc,
                           const std::function<void(const std::string&, const std::optional<std::string>&)>& visit) {
    auto& s = statement("SELECT purchased_at, fulfillment FROM orders WHERE purchased_at >= ? AND purchased_at < min(?, ?)");
    s.bind(1, from_utc);
    s.bind(2, to_utc);
    s.bind(3, as_of_.end_utc);
    while (s.executeStep()) visit(s.getColumn(0).getString(), column_value(s, 1));
    s.reset();
}

std::int64_t Store::count_orders(const std::string& from_utc, const std::string& to_utc) {
    auto& s = statement("SELECT count(*) FROM orders WHERE purchased_at >= ? AND purchased_at < min(?, ?)");
    s.bind(1, from_utc);
    s.bind(2, to_utc);
    s.bind(3, as_of_.end_utc);
    s.executeStep();
    const auto n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}

std::vector<OrderFacts> Store::unshipped_orders(const std::string& since_utc) {
    auto& s = statement(
        "SELECT order_id FROM orders o WHERE fulfillment = 'merchant' AND purchased_at >= ? AND purchased_at < ? "
        "AND coalesce(status, '') NOT IN ('Shipped', 'Cancelled', 'Canceled') "
        "AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.order_id AND substr(s.ship_date, 1, 10) <= ?) "
        "ORDER BY purchased_at");
    s.bind(1, since_utc);
    s.bind(2, as_of_.end_utc);
    s.bind(3, as_of_.date);
    std::vector<std::string> ids;
    while (s.executeStep()) ids.push_back(s.getColumn(0).getString());
    s.reset();
    std::vector<OrderFacts> out;
    for (const auto& id : ids)
        if (auto o = order(id)) out.push_back(std::move(*o));
    return out;
}

std::vector<RatedOrder> Store::rated_orders() {
    auto& s = statement(
        "SELECT f.order_id, f.rated_on, f.rating, o.purchased_at FROM feedback f LEFT JOIN orders o USING (order_id) "
        "WHERE f.rated_on <= ? ORDER BY f.rated_on");
    s.bind(1, as_of_.date);
    std::vector<RatedOrder> out;
    while (s.executeStep())
        out.push_back(RatedOrder{s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getInt(),
                                 column_value(s, 3)});
    s.reset();
    return out;
}

FulfillmentCounts Store::count_orders_by_fulfillment(const std::string& from_utc, const std::string& to_utc) {
    auto& s = statement(
        "SELECT fulfillment, count(*) FROM orders WHERE purchased_at >= ? AND purchased_at < min(?, ?) GROUP BY fulfillment");
    s.bind(1, from_utc);
    s.bind(2, to_utc);
    s.bind(3, as_of_.end_utc);
    FulfillmentCounts out;
    while (s.executeStep()) {
        const auto fulfillment = column_value(s, 0);
        const auto n = s.getColumn(1).getInt64();
        if (fulfillment == std::optional<std::string>("merchant")) out.merchant += n;
        else if (fulfillment == std::optional<std::string>("amazon")) out.amazon += n;
        else out.unknown += n;
    }
    s.reset();
    return out;
}

std::array<std::int64_t, 6> Store::count_ratings(const std::string& from, const std::string& to) {
    auto& s = statement(
        "SELECT rating, count(*) FROM feedback WHERE rated_on >= ? AND rated_on <= ? AND rated_on <= ? GROUP BY rating");
    s.bind(1, from);
    s.bind(2, to);
    s.bind(3, as_of_.date);
    std::array<std::int64_t, 6> out{};
    while (s.executeStep()) {
        const int stars = s.getColumn(0).getInt();
        if (stars >= 1 && stars <= 5) out[static_cast<std::size_t>(stars)] = s.getColumn(1).getInt64();
    }
    s.reset();
    return out;
}

std::map<std::string, std::int64_t> Store::count_negative_by_month(const std::string& from, const std::string& to) {
    auto& s = statement(
        "SELECT substr(rated_on, 1, 7), count(*) FROM feedback WHERE rating <= 2 AND rated_on >= ? AND rated_on <= ? "
        "AND rated_on <= ? GROUP BY 1");
    s.bind(1, from);
    s.bind(2, to);
    s.bind(3, as_of_.date);
    std::map<std::string, std::int64_t> out;
    while (s.executeStep()) out[s.getColumn(0).getString()] = s.getColumn(1).getInt64();
    s.reset();
    return out;
}

std::vector<std::string> Store::negative_purchase_times(const std::string& from_utc, const std::string& to_utc) {
    // From the ratings to their orders: a shop has far fewer bad ratings than orders in a year. The
    // ratings are read in key order (+ keeps the date index out), so their orders are too.
    auto& s = statement(
        "SELECT o.purchased_at FROM feedback f CROSS JOIN orders o ON o.order_id = f.order_id "
        "WHERE f.rating <= 2 AND +f.rated_on <= ? AND o.purchased_at >= ? AND o.purchased_at < ? ORDER BY 1");
    s.bind(1, as_of_.date);
    s.bind(2, from_utc);
    s.bind(3, to_utc);
    std::vector<std::string> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getString());
    s.reset();
    return out;
}

namespace {
// An appeal submitted or decided after the cut-off (?1) was not yet.
constexpr const char* outcome_columns =
    "order_id, CASE WHEN submitted_on > ?1 THEN NULL ELSE submitted_on END, "
    "CASE WHEN decided_on > ?1 THEN NULL ELSE outcome END, CASE WHEN decided_on > ?1 THEN NULL ELSE decided_on END";

AppealOutcome outcome_of(SQLite::Statement& s) {
    return AppealOutcome{s.getColumn(0).getString(), column_value(s, 1), column_value(s, 2), column_value(s, 3)};
}
}  // namespace

std::optional<AppealOutcome> Store::appeal_outcome(const std::string& order_id) {
    auto& s = statement(std::string("SELECT ") + outcome_columns + " FROM appeal_outcomes WHERE order_id = ?2");
    s.bind(1, as_of_.date);
    s.bind(2, order_id);
    std::optional<AppealOutcome> found;
    if (s.executeStep()) found = outcome_of(s);
    s.reset();
    return found;
}

std::vector<AppealOutcome> Store::appeal_outcomes() {
    auto& s = statement(std::string("SELECT ") + outcome_columns + " FROM appeal_outcomes ORDER BY order_id");
    s.bind(1, as_of_.date);
    std::vector<AppealOutcome> out;
    while (s.executeStep()) out.push_back(outcome_of(s));
    s.reset();
    return out;
}

void Store::mark_appeal(const std::string& order_id, const std::string& mark, const std::string& on) {
    before_writing();
    if (mark == "submitted") {
        auto& s = statement(
            "INSERT INTO appeal_outcomes(order_id, submitted_on) VALUES(?, ?) "
            "ON CONFLICT(order_id) DO UPDATE SET submitted_on = excluded.submitted_on");
        s.bind(1, order_id);
        s.bind(2, on);
        s.exec();
        return;
    }
    auto& s = statement(
        "INSERT INTO appeal_outcomes(order_id, outcome, decided_on) VALUES(?, ?, ?) "
        "ON CONFLICT(order_id) DO UPDATE SET outcome = excluded.outcome, decided_on = excluded.decided_on");
    s.bind(1, order_id);
    s.bind(2, mark);
    s.bind(3, on);
    s.exec();
}

std::int64_t Store::count_of(const std::string& sql) {
    auto& s = statement(sql);
    const std::int64_t n = s.executeStep() ? s.getColumn(0).getInt64() : 0;
    s.reset();
    return n;
}

StoreCounts Store::counts() {
    StoreCounts c;
    auto count = [&](const std::string& sql) { return count_of(sql); };
    c.orders = count("SELECT count(*) FROM orders");
    c.order_items = count("SELECT count(*) FROM order_items");
    c.shipments = count("SELECT count(*) FROM shipments");
    c.feedback = count("SELECT count(*) FROM feedback");
    c.messages = count("SELECT count(*) FROM messages");
    c.imports = count("SELECT count(*) FROM imports");
    c.rejected_rows = count("SELECT count(*) FROM rejected_rows");
    return c;
}

std::vector<JournalEntry> Store::journal() {
    std::vector<JournalEntry> out;
    auto& s = statement(std::string("SELECT ") + journal_columns + " FROM imports ORDER BY import_id");
    while (s.executeStep()) out.push_back(journal_entry(s));
    s.reset();
    return out;
}

std::vector<RejectedRow> Store::rejected_rows(std::size_t limit) {
    std::vector<RejectedRow> out;
    auto& s = statement(
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
