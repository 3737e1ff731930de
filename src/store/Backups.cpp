#include "store/Backups.h"

#include "core/Errors.h"
#include "store/FileChecks.h"
#include "store/Migrations.h"

#include <SQLiteCpp/Backup.h>

#include <sqlite3.h>

namespace fbtrack {

using sql::not_fbtrack;
using sql::quick_check;
using sql::uri_path;

namespace {
// One step of an online backup (`pages` of them, or all that are left); another fbtrack holding
// the destination's write lock past the busy timeout is a busy error.
void backup_step(SQLite::Backup& backup, int pages = -1) {
    const int rc = backup.executeStep(pages);
    if (sql::is_busy(rc)) throw SQLite::Exception("the database is in use", rc);
}

// Runs a whole online backup from `from` into `to`.
void copy_database(SQLite::Database& to, SQLite::Database& from) {
    SQLite::Backup backup(to, from);
    backup_step(backup);
}
}  // namespace

void Database::copy_to(const std::filesystem::path& file, const std::string& mark, bool from_new_reader) {
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

BackupFacts check_backup(const std::filesystem::path& file, bool as_it_lies) {
    const auto refuse = [&](const Said& found, const Said& hint = say("hint.name_a_backup")) -> BackupFacts {
        throw InputError(say("restore.refused", {{"file", file.string()}, {"found", found}, {"hint", hint}}));
    };
    const Said damaged_hint = say("hint.restore_another_backup");
    try {
        // As it lies: read without the write-ahead log or a -shm file made beside it.
        SQLite::Database backup(as_it_lies ? "file:" + uri_path(file) + "?immutable=1" : file.string(),
                                SQLite::OPEN_READONLY | (as_it_lies ? SQLite::OPEN_URI : 0));
        if (const auto why = not_fbtrack(backup)) return refuse(say("restore.foreign", {{"reason", *why}}));
        BackupFacts facts;
        facts.schema_version = backup.execAndGet("PRAGMA user_version").getInt();
        const int latest = static_cast<int>(schema_migrations().size());
        if (facts.schema_version == 0) return refuse(say("restore.empty_database"));
        if (facts.schema_version > latest)
            return refuse(say("restore.newer", {{"version", std::to_string(facts.schema_version)}, {"latest", std::to_string(latest)}}),
                          say("hint.install_newer_to_restore"));
        if (const std::string found = quick_check(backup); found != "ok") return refuse(say("restore.damaged", {{"reason", found}}), damaged_hint);
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
            return refuse(say("restore.damaged", {{"reason", e.what()}}), damaged_hint);
        return refuse(say("restore.not_a_backup", {{"reason", e.what()}}));
    }
}

void snapshot(const std::filesystem::path& from, const std::filesystem::path& to) {
    SQLite::Database source(from.string(), SQLite::OPEN_READONLY);
    SQLite::Database copy(to.string(), SQLite::OPEN_READWRITE, 5000);
    copy_database(copy, source);
    copy.exec("PRAGMA journal_mode = DELETE");
}

void Database::replace_with(const std::filesystem::path& file, const std::function<void()>& keep) {
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

}  // namespace fbtrack
