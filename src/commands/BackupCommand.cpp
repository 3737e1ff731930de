#include "commands/BackupCommand.h"

#include "core/Errors.h"
#include "core/PrivateFiles.h"
#include "text/Dates.h"
#include "text/TerminalText.h"

#include <fstream>
#include <ostream>
#include <sys/stat.h>

namespace fbtrack {

namespace {

std::string shown(const std::filesystem::path& path) { return for_terminal(path.string()); }

// backups/NAME-WHEN.db beside the database: a name that sorts by time and says whose it is.
std::filesystem::path backup_path(Session& session, const std::string& what) {
    std::string when = to_iso_utc(session.clock().now_utc());  // 2026-11-29T07:16:35Z
    std::erase(when, ':');
    const auto& db = session.options().db_path;
    return db.parent_path() / "backups" / (db.stem().string() + "-" + what + when + ".db");
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    return std::filesystem::equivalent(a, b, ec);
}

std::string summary(const BackupFacts& facts) {
    std::string text = std::to_string(facts.counts.orders) + " orders, " + std::to_string(facts.counts.feedback) +
                       " ratings, " + std::to_string(facts.counts.messages) + " messages from " +
                       std::to_string(facts.counts.imports) + " imports";
    if (!facts.last_import.empty()) text += " (the last on " + facts.last_import + ")";
    return text;
}

// Copies the database into `target` through a new private file, and reads the copy back as
// `fbtrack restore` would. What fails there is the copy's place (its disk), not the database.
BackupFacts copy_database_to(Store& store, const std::filesystem::path& target) {
    NewPrivateFile file(target, "name another file");
    try {
        store.copy_to(file.temporary());
    } catch (const SQLite::Exception& e) {
        file.fail(e.what());
    }
    BackupFacts facts;
    try {
        facts = Store::check_backup(file.temporary());
    } catch (const InputError& e) {
        throw InternalError(std::string("the copy does not read back: ") + e.what());
    }
    file.put_in_place();
    return facts;
}

// Whether the database holds anything worth keeping; a damaged one always does.
bool holds_anything(Store& store) {
    try {
        const StoreCounts now = store.counts();
        return now.orders + now.feedback + now.messages + now.imports > 0;
    } catch (const SQLite::Exception&) {
        return true;
    }
}

// The database as it is, into `kept`: a backup of it, or when it is damaged (SQLite's backup
// stops at a damaged page) its bytes, with the write-ahead log beside them when there is one.
void keep_as_it_is(Store& store, const std::filesystem::path& db, const std::filesystem::path& kept) {
    const auto copy_bytes = [](const std::filesystem::path& from, const std::filesystem::path& to) {
        NewPrivateFile copy(to, "free some space and run again");
        std::ifstream in(from, std::ios::binary);
        std::string chunk(1 << 20, '\0');
        while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0)
            copy.write(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
        if (in.bad()) copy.fail("cannot read " + from.string());
        copy.put_in_place();
    };
    if (store.damage()) {
        copy_bytes(db, kept);
        std::error_code ec;
        const std::filesystem::path wal = db.string() + "-wal";
        if (std::filesystem::file_size(wal, ec) > 0 && !ec) copy_bytes(wal, kept.string() + "-wal");
        return;
    }
    NewPrivateFile copy(kept, "free some space and run again");
    try {
        store.copy_to(copy.temporary());
    } catch (const SQLite::Exception& e) {
        copy.fail(e.what());
    }
    copy.put_in_place();
}

}  // namespace

void run_backup(Session& session, const BackupOptions& options) {
    Store& store = session.store();
    const auto& db = session.options().db_path;
    const std::filesystem::path target = options.file.value_or(backup_path(session, ""));
    if (same_file(target, db))
        throw UsageError("backup: " + target.string() + " is the database itself. Hint: name another file");
    // An existing file is replaced only when it is an fbtrack backup: a mistyped name must not
    // cost the seller another file.
    struct stat st {};
    if (::lstat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        try {
            Store::check_backup(target);
        } catch (const InputError&) {
            throw OutputError("backup: " + target.string() +
                              " is there already and is not an fbtrack backup; it was left as it was. Hint: name a new file");
        }
    }
    if (const auto found = store.damage())
        throw InputError("database " + db.string() + " is damaged (" + *found +
                         "); a backup of it would be too, so none was made. Hint: keep a copy of the file as it is (cp), "
                         "and restore an earlier backup with 'fbtrack restore FILE'");
    const BackupFacts facts = copy_database_to(store, target);
    session.out() << "Backed up " << shown(db) << " to " << shown(target) << ": " << summary(facts) << "\n"
                  << "To go back to it: fbtrack restore " << shown(target) << "\n";
}

void run_restore(Session& session, const std::filesystem::path& file) {
    Store& store = session.store();
    const auto& db = session.options().db_path;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        throw MissingInputError(file.string() + ": no such file; nothing was restored. Hint: 'ls " +
                                (db.parent_path() / "backups").string() + "' lists the backups fbtrack made");
    if (!std::filesystem::is_regular_file(file, ec))
        throw InputError(file.string() + ": not a regular file; nothing was restored. Hint: name a file that 'fbtrack backup' wrote");
    if (same_file(file, db))
        throw UsageError("restore: " + file.string() + " is the database itself. Hint: name a backup of it");
    const BackupFacts facts = Store::check_backup(file);

    // Nothing the seller had is lost by a restore: the database as it was goes to backups/ first
    // (damaged pages and all, when it is damaged).
    std::optional<std::filesystem::path> kept;
    if (holds_anything(store)) {
        kept = backup_path(session, "before-restore-");
        keep_as_it_is(store, db, *kept);
    }
    store.replace_with(file);
    session.out() << "Restored " << shown(db) << " from " << shown(file) << ": " << summary(facts) << "\n";
    if (kept) session.out() << "The database as it was is kept in " << shown(*kept) << "\n";
}

}  // namespace fbtrack
