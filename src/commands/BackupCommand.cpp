#include "commands/BackupCommand.h"

#include "core/Errors.h"
#include "catalogue/Marketplace.h"
#include "core/PrivateFiles.h"
#include "catalogue/ShopSettings.h"
#include "text/Dates.h"
#include "text/TerminalText.h"

#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sys/stat.h>

namespace fbtrack {

namespace {

std::string shown(const std::filesystem::path& path) { return for_terminal(path.string()); }

// A path as a shell takes it back, for a command the seller copies.
std::string for_shell(const std::filesystem::path& path) {
    // "./-x.db": a name starting with '-' would be read as an option.
    const std::string text = (path.is_relative() && path.string().rfind('-', 0) == 0 ? "./" : "") + path.string();
    if (!text.empty() && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./-+=:,@") ==
                             std::string::npos)
        return shown(path);
    std::string quoted = "'";
    for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return shown(quoted + "'");
}

// backups/NAME-WHEN.db beside the database, NAME-WHEN-2.db when that is taken: a name that sorts by
// time and says whose it is. The real time, never --today's: each is a moment of its own.
std::filesystem::path free_backup_path(const std::filesystem::path& folder, const std::string& stem, int attempt) {
    std::string when = to_iso_utc(Clock().now_utc());  // 2026-11-29T07:16:35Z
    std::erase(when, ':');
    return folder / (stem + "-" + when + (attempt > 1 ? "-" + std::to_string(attempt) : "") + ".db");
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    return std::filesystem::equivalent(a, b, ec);
}

bool anything_at(const std::filesystem::path& path) {  // a link included
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

std::string summary(const BackupFacts& facts) {
    std::string text = std::to_string(facts.counts.orders) + " orders, " + std::to_string(facts.counts.feedback) +
                       " ratings, " + std::to_string(facts.counts.messages) + " messages from " +
                       std::to_string(facts.counts.imports) + " imports";
    if (!facts.last_import.empty()) text += " (the last on " + for_terminal(facts.last_import, 40) + ")";
    return text;
}

// SQLite's failure to write a copy, as the seller should read it.
std::string copy_failure(const SQLite::Exception& e) {
    return (e.getErrorCode() & 0xFF) == SQLITE_FULL ? std::string("the disk is full") : std::string(e.what());
}

// The names SQLite gives a database's side files: a backup by such a name would be taken for
// the side file of the database beside it, and deleted or applied to it.
bool is_side_file_name(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    for (const std::string suffix : {"-journal", "-wal", "-shm"})
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) return true;
    return false;
}

// The database copied into `target` through a new private file and read back as `fbtrack restore`
// would: what fails there is the copy's place (its disk), not the database. With `replace` false
// the name must be new; false is returned when it was taken meanwhile.
bool copy_database_to(Store& store, const std::filesystem::path& target, const std::string& mark, bool replace,
                      BackupFacts& facts, bool from_new_reader = false) {
    NewPrivateFile file(target, say("hint.free_space_or_other_disk"));
    try {
        store.database().copy_to(file.temporary(), mark, from_new_reader);
    } catch (const SQLite::Exception& e) {
        file.fail(copy_failure(e));
    }
    try {
        facts = check_backup(file.temporary());
    } catch (const InputError& e) {
        throw InternalError(std::string("the copy does not read back: ") + e.what());
    }
    return file.put_in_place(replace);
}

// A copy under a new name in `folder`: never one that is there already.
std::filesystem::path copy_under_new_name(Store& store, const std::filesystem::path& folder, const std::string& stem,
                                          const std::string& mark, BackupFacts& facts, bool from_new_reader = false) {
    for (int attempt = 1;; ++attempt) {
        const auto path = free_backup_path(folder, stem, attempt);
        if (!anything_at(path) && copy_database_to(store, path, mark, false, facts, from_new_reader)) return path;
    }
}

// The database as it is, under a new name in `folder`, while the restore holds the write lock:
// a backup of it through a reader of its own, or when it is `damaged` (SQLite's backup stops at a
// damaged page) its bytes, with its write-ahead log when there is one.
std::filesystem::path keep_as_it_is(Store& store, const std::filesystem::path& db, const std::filesystem::path& folder,
                                    const std::string& mark, bool damaged) {
    const std::string stem = db.stem().string() + "-before-restore";
    if (!damaged) {
        BackupFacts facts;
        return copy_under_new_name(store, folder, stem, mark, facts, true);
    }
    const auto copy_bytes = [](const std::filesystem::path& from, const std::filesystem::path& to, bool replace) {
        NewPrivateFile copy(to, say("hint.free_space"));
        std::ifstream in(from, std::ios::binary);
        std::string chunk(1 << 20, '\0');
        while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0)
            copy.write(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
        if (in.bad()) copy.fail("cannot read " + from.string());
        return copy.put_in_place(replace);
    };
    for (int attempt = 1;; ++attempt) {
        const auto kept = free_backup_path(folder, stem, attempt);
        if (anything_at(kept) || !copy_bytes(db, kept, false)) continue;
        std::error_code ec;
        const std::filesystem::path wal = db.string() + "-wal";
        if (std::filesystem::file_size(wal, ec) > 0 && !ec) copy_bytes(wal, kept.string() + "-wal", true);
        return kept;
    }
}

// Which shop a database is: its name as buyers see it and its marketplace, as far as it says.
std::string shop_of(Session& session, const std::optional<std::string>& shop_json, const std::optional<std::string>& code) {
    std::string name;
    if (shop_json) {
        try {
            name = ShopSettings::from_json(*shop_json).shop_name;
        } catch (const Error&) {  // settings that do not read: the shop goes by its marketplace
        }
    }
    const std::string shop = name.empty() ? std::string("a shop") : "the shop \"" + for_terminal(name, 80) + "\"";
    if (!code) return shop + " with no marketplace recorded";
    try {
        return shop + " on " + load_marketplace(session.data(), *code).name;
    } catch (const UsageError&) {  // one this fbtrack does not know
        return shop + " on marketplace '" + for_terminal(*code, 40) + "'";
    }
}

// The database a restore is about to replace, as the seller would recognise it.
std::string current_database(Session& session, bool damaged) {
    Store& store = session.store();
    if (session.created_database()) return "a new database, empty";
    if (damaged) return "a damaged database";
    try {
        BackupFacts facts;
        facts.counts = store.counts();
        for (const auto& entry : store.imports().journal()) facts.last_import = std::max(facts.last_import, entry.imported_at);
        return shop_of(session, store.settings().get("shop"), store.settings().get("marketplace")) + ", " + summary(facts);
    } catch (const SQLite::Exception&) {
        return "a database that cannot be read whole";
    }
}

// The file a restore is about to put in its place.
std::string restoring(Session& session, const BackupFacts& facts) {
    std::string what;
    const std::string by_backup = "fbtrack backup of ";
    if (!facts.made_by_backup)
        what = "a database, not a backup that 'fbtrack backup' made";
    else if (facts.made_by_backup->rfind(by_backup, 0) == 0)
        what = "a backup of " + for_terminal(facts.made_by_backup->substr(by_backup.size()), 300);
    else
        what = "a backup (" + for_terminal(*facts.made_by_backup, 300) + ")";
    return what + "; " + shop_of(session, facts.shop, facts.marketplace) + ", " + summary(facts);
}

std::string mark_of(Session& session) {
    return "fbtrack backup of " + session.options().db_path.string() + " at " + to_iso_utc(Clock().now_utc());
}

}  // namespace

void run_backup(Session& session, const BackupOptions& options) {
    Store& store = session.store();
    const auto& db = session.options().db_path;
    if (db == ":memory:") throw UsageError(say("backup.memory"));
    std::filesystem::path target = options.file.value_or(db.parent_path() / "backups");
    std::error_code ec;
    const bool into_folder = !options.file || std::filesystem::is_directory(target, ec);
    if (!into_folder) {
        if (same_file(target, db))
            throw UsageError(say("backup.onto_database", {{"file", target.string()}}));
        if (is_side_file_name(target))
            throw UsageError(say("backup.side_file_name", {{"file", target.filename().string()}}));
        // An existing file is replaced only when it is an fbtrack backup that nothing has open: a
        // mistyped name must not cost the seller another file, or another shop's database.
        if (anything_at(target)) {
            const bool in_use = anything_at(target.string() + "-wal") || anything_at(target.string() + "-shm");
            BackupFacts there;
            try {
                if (!in_use) there = check_backup(target, true);
            } catch (const InputError&) {
            }
            if (!there.made_by_backup || in_use)
                throw OutputError(say(there.made_by_backup ? "backup.target_in_use" : "backup.target_not_a_backup",
                                      {{"file", target.string()}}));
        }
    }
    if (const auto found = store.database().damage())
        throw InputError(say("backup.damaged", {{"db", db.string()}, {"reason", *found}}));
    BackupFacts facts;
    if (into_folder) {
        target = copy_under_new_name(store, target, db.stem().string(), mark_of(session), facts);
    } else {
        copy_database_to(store, target, mark_of(session), true, facts);
    }
    session.out() << "Backed up " << shown(db) << " to " << shown(target) << ": " << summary(facts) << "\n"
                  << "To go back to it: fbtrack --db " << for_shell(db) << " restore " << for_shell(target) << "\n";
}

void run_restore(Session& session, const std::filesystem::path& file) {
    Store& store = session.store();
    const auto& db = session.options().db_path;
    if (db == ":memory:") throw UsageError(say("restore.memory"));
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        throw MissingInputError(say("restore.missing", {{"file", file.string()}, {"folder", (db.parent_path() / "backups").string()}}));
    if (!std::filesystem::is_regular_file(file, ec))
        throw InputError(say("restore.not_regular", {{"file", file.string()}}));
    if (same_file(file, db))
        throw UsageError(say("restore.database_itself", {{"file", file.string()}}));
    check_backup(file);  // named in what it says
    // What is checked and restored is one snapshot of it, made here: a file swapped under its name
    // meanwhile is not what gets restored.
    NewPrivateFile staged(db.parent_path() / (db.filename().string() + ".restoring"), say("hint.free_space"));
    BackupFacts facts;
    try {
        snapshot(file, staged.temporary());
        facts = check_backup(staged.temporary());
    } catch (const std::exception&) {
        throw InputError(say("restore.changed", {{"file", file.string()}}));
    }
    // Without a marketplace the restored shop would become one of whatever --marketplace says (jp
    // by default): its dates and deadlines read in another time zone. Whose it is cannot be told.
    if (!facts.marketplace)
        throw InputError(say("restore.no_marketplace", {{"file", file.string()}}));
    // A backup of another marketplace's shop would make this one that shop; one this fbtrack does
    // not know would leave it unusable.
    const auto marketplace = store.settings().get("marketplace");
    if (facts.marketplace) {
        try {
            load_marketplace(session.data(), *facts.marketplace);
        } catch (const UsageError&) {
            throw InputError(say("restore.unknown_marketplace", {{"file", file.string()}, {"marketplace", for_terminal(*facts.marketplace, 40)}}));
        }
    }
    if (marketplace && facts.marketplace && *marketplace != *facts.marketplace)
        throw InputError(say("restore.other_marketplace", {{"file", file.string()}, {"marketplace", *facts.marketplace},
                                                           {"db", db.string()}, {"ours", *marketplace}}));

    // Nothing the seller had is lost by a restore: the database as it was, settings and marks
    // included, goes to backups/ first, under a name no other file has (damaged pages and all).
    std::optional<std::filesystem::path> kept;
    const bool damaged = store.database().damage().has_value();
    // Said before anything changes: what is replaced, and with what.
    session.out() << "Replacing " << shown(db) << ": " << current_database(session, damaged) << "\n"
                  << "with " << shown(file) << ": " << restoring(session, facts) << "\n";
    store.database().replace_with(staged.temporary(), [&] {
        if (!session.created_database()) kept = keep_as_it_is(store, db, db.parent_path() / "backups", mark_of(session), damaged);
    });
    session.out() << "Restored " << shown(db) << " from " << shown(file) << ": " << summary(facts) << "\n";
    if (kept)
        session.out() << "The database as it was is kept in " << shown(*kept) << " (fbtrack --db " << for_shell(db) << " restore "
                      << for_shell(*kept) << " goes back to it)\n";
}

}  // namespace fbtrack
