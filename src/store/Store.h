#pragma once
// The one class that speaks SQL. Everything fbtrack keeps lives in one SQLite file; every value
// reaches SQLite through bind, never through string building.
#include "model/Records.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <unordered_map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

// conflicting: a message whose Message-ID is stored already with other content (the first copy stays).
enum class RowOutcome { added, updated, unchanged, conflicting };

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

struct StoredMessage {
    std::string message_key;
    std::optional<std::string> order_id;
    std::string sent_at, direction;
    std::optional<std::string> buyer_alias;
    std::string subject, body, source, classification;
    std::optional<std::string> phrase;
    std::optional<std::string> decoding_note;
};

// A mailbox the seller lets fbtrack read (fetch). The password is never kept: `password_command`
// prints it when it is needed.
struct MailAccount {
    std::string name, url, user, password_command;
    std::vector<std::string> folders;  // as the server names them ("INBOX", "Sent")
    std::optional<std::string> cacert;  // a private CA's certificate file
    std::string added_at;
};

// How far a folder of a mail account has been read: UIDs up to last_uid, while the server's
// UIDVALIDITY stays the one they were read under.
struct FolderPosition {
    std::string folder;
    std::int64_t uidvalidity = 0, last_uid = 0;
    std::string fetched_at;
};

// An expedite request the seller recorded by hand (its messages are not in mail).
struct ManualExpedite {
    std::string order_id, requested_at;
    std::string reply = "none";  // declined, accepted, none
    std::optional<std::string> replied_at, note;
};

struct OrderFacts {
    std::string order_id;
    std::optional<std::string> purchased_at, status, fulfillment, service_level, ship_state, ssa_carrier;
    std::optional<bool> buy_shipping, is_prime;
    std::optional<std::string> ship_by, deliver_by;  // UTC
};

struct ItemFacts {
    std::optional<std::string> sku, asin, product_name;
    std::optional<long long> quantity;
};

struct ShipmentFacts {
    std::string ship_date;  // local date
    std::optional<std::string> carrier_code, carrier_name, tracking_number, ship_method, fulfillment,
        promised_delivery;
};

struct Rating {
    std::string order_id, rated_on;  // local date
    int rating = 0;
    std::string comment;
    std::optional<std::string> response;
};

// Where a removal request stands: submitted, then removed or refused.
struct AppealOutcome {
    std::string order_id;
    std::optional<std::string> submitted_on, outcome, decided_on;  // local dates
};

struct RatedOrder {
    std::string order_id, rated_on;
    int rating = 0;
    std::optional<std::string> purchased_at;  // none when the order is not imported
};

// Orders by how they were fulfilled; unknown when no report said.
struct FulfillmentCounts {
    std::int64_t merchant = 0, amazon = 0, unknown = 0;
};

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

// What a backup holds, as `fbtrack restore` reads it before anything is replaced.
struct BackupFacts {
    StoreCounts counts;  // orders, feedback, messages and imports
    std::string last_import;  // UTC, empty when nothing was imported
    int schema_version = 0;
    std::optional<std::string> made_by_backup;  // what copy_to marked it with; none for a database
    std::optional<std::string> marketplace;
    std::optional<std::string> shop;  // its shop settings (JSON), none when never set
};

class Store {
public:
    // Opens (and creates, with mode 0600) the database and brings its schema up to date.
    // `max_pages` caps the file's size (SQLite's max_page_count); a write past it fails as on a full disk.
    explicit Store(const std::filesystem::path& path, std::optional<long long> max_pages = std::nullopt);

    // One import run, one transaction: commit() or everything is rolled back when it ends.
    class Transaction {
    public:
        // IMMEDIATE takes the write lock at once, so a second writer waits in the busy timeout
        // instead of failing later on a snapshot that went stale while it read.
        // `later`: the caller runs check_for_damage() itself before its first write, so that a run
        // that finds nothing to write (files imported already) does not read the whole file.
        enum class DamageCheck { now, later };
        explicit Transaction(Store& store, DamageCheck check = DamageCheck::now)
            : tx_((store.before_writing(check == DamageCheck::now), store.idle_connection()),
                  SQLite::TransactionBehavior::IMMEDIATE) {}
        void commit() { tx_.commit(); }

    private:
        SQLite::Transaction tx_;
    };

    // A part of the transaction that can be undone alone: one file of an import that turned out
    // unreadable under --skip-bad-rows. Rolled back unless released.
    class Savepoint {
    public:
        explicit Savepoint(Store& store);
        ~Savepoint();
        Savepoint(const Savepoint&) = delete;
        Savepoint& operator=(const Savepoint&) = delete;
        void release();

    private:
        Store& store_;
        bool done_ = false;
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
    // below leaves out what is dated after `as_of`. The import journal is not cut: it is a record
    // of the files, not of the shop.
    void set_as_of(const AsOf& as_of) { as_of_ = as_of; }

    std::optional<std::string> setting(const std::string& key);
    void set_setting(const std::string& key, const std::string& value);

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

    RowOutcome upsert(const OrderLine& line);
    RowOutcome upsert(const Shipment& shipment);
    RowOutcome upsert(const FeedbackEntry& feedback);
    RowOutcome upsert(const BuyerMessage& message);
    RowOutcome upsert(const ManualExpedite& expedite);

    // Messages in time order. Without text (subject and body empty) when only the timeline is
    // needed: years of mail then fit in a few megabytes.
    std::vector<StoredMessage> messages(const std::optional<std::string>& order_id, bool with_text);
    void set_classification(const std::string& message_key, const std::string& label,
                            const std::optional<std::string>& phrase);
    // The shop's own mail addresses and where each was learnt ("shop.json", "sent folder Sent", …).
    std::vector<std::pair<std::string, std::string>> shop_addresses();
    void add_shop_address(const std::string& address, const std::string& learnt_from);
    std::vector<MailAccount> mail_accounts();
    // False when an account of that name exists already.
    bool add_mail_account(const MailAccount& account);
    // False when there is none of that name. Its folder positions go with it.
    bool remove_mail_account(const std::string& name);
    std::vector<FolderPosition> folder_positions(const std::string& account);
    void set_folder_position(const std::string& account, const FolderPosition& position);
    // The alerts notify has sent (notice keys), so that each goes out once.
    bool notice_sent(const std::string& key);
    void record_notice(const std::string& key, const std::string& kind, const std::string& order_id, const std::string& sent_at);
    std::vector<ManualExpedite> manual_expedites(const std::optional<std::string>& order_id = std::nullopt);

    std::optional<OrderFacts> order(const std::string& order_id);
    std::vector<ItemFacts> items(const std::string& order_id);
    std::vector<ShipmentFacts> shipments(const std::string& order_id);
    // Ratings of 1-3 stars rated within [from, to] (local dates, both optional), oldest first.
    std::vector<Rating> ratings(const std::optional<std::string>& from, const std::optional<std::string>& to);
    std::optional<Rating> rating(const std::string& order_id);

    // Orders purchased in [from, to) (UTC), streamed: a large shop's history never sits in memory.
    void for_each_order(const std::string& from_utc, const std::string& to_utc,
                        const std::function<void(const std::string& purchased_at,
                                                 const std::optional<std::string>& fulfillment)>& visit);
    std::int64_t count_orders(const std::string& from_utc, const std::string& to_utc);
    // Merchant-fulfilled orders bought since `since_utc` that are neither shipped nor cancelled.
    std::vector<OrderFacts> unshipped_orders(const std::string& since_utc);
    // Every rating with its order's purchase time (the feedback report holds 1-3 stars only).
    std::vector<RatedOrder> rated_orders();
    // The bounded reads of the monthly report: each touches only the rows of the range it counts.
    // Orders purchased in [from, to) (UTC) by fulfillment.
    FulfillmentCounts count_orders_by_fulfillment(const std::string& from_utc, const std::string& to_utc);
    // Ratings rated in [from, to] (local dates), by their number of stars (index 1-5).
    std::array<std::int64_t, 6> count_ratings(const std::string& from, const std::string& to);
    // 1-2 star ratings rated in [from, to] (local dates), by month (YYYY-MM).
    std::map<std::string, std::int64_t> count_negative_by_month(const std::string& from, const std::string& to);
    // Purchase times (UTC, ascending) of the orders bought in [from, to) that hold a 1-2 star rating.
    std::vector<std::string> negative_purchase_times(const std::string& from_utc, const std::string& to_utc);

    std::optional<AppealOutcome> appeal_outcome(const std::string& order_id);
    std::vector<AppealOutcome> appeal_outcomes();
    void mark_appeal(const std::string& order_id, const std::string& mark, const std::string& on);

    StoreCounts counts();
    std::vector<JournalEntry> journal();
    std::vector<RejectedRow> rejected_rows(std::size_t limit);

    // The first problem PRAGMA quick_check finds in the file (a damaged page), or nothing.
    std::optional<std::string> damage();
    // Writes a consistent copy of the whole database into `file` (an empty file, made by the
    // caller) with SQLite's online backup, as one file without a write-ahead log, marked with
    // `mark` (check_backup reads it back; a restore removes it). Pages are copied as they are:
    // check_backup tells whether the copy is whole.
    // `from_new_reader`: read through a connection of its own (while this one holds the write
    // lock for a restore, say), else through this one.
    void copy_to(const std::filesystem::path& file, const std::string& mark, bool from_new_reader = false);
    // Reads `file` as a backup: an fbtrack database this fbtrack can read, undamaged. Throws
    // InputError naming the file and what it is instead.
    // `as_it_lies`: the file alone, nothing made beside it (for a file that is only looked at).
    static BackupFacts check_backup(const std::filesystem::path& file, bool as_it_lies = false);
    // A consistent copy of the database file `from` in `to` (an empty file), read through one
    // connection: what is checked and restored afterwards cannot be swapped under the name.
    static void snapshot(const std::filesystem::path& from, const std::filesystem::path& to);
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
    void open_for_reading_on_a_full_disk();
    void open_for_reading_on_a_read_only_disk();
    [[noreturn]] void refuse_to_write() const;  // as reading_only_ says
    ReadingOnly reading_only_ = ReadingOnly::no;
    void check_it_is_ours();  // refuses another program's SQLite file, reading only
    // Before the first write of a run: refuses a database that cannot be written (full or read-only
    // disk) and, unless told not to, one whose pages are damaged (check_for_damage).
    void before_writing(bool check_damage = true);
    bool checked_for_damage_ = false;
    void migrate();
    // The connection with every cached statement reset. A statement left on its first row keeps a
    // read transaction open, and SQLite will not wait (busy timeout) to turn that into a write.
    SQLite::Database& idle_connection();
    void use_write_ahead_log();
    SQLite::Statement& statement(const std::string& sql);
    AsOf as_of_;
    std::int64_t count_of(const std::string& sql);  // a one-number query without parameters
    struct RowKey {
        std::string table;
        std::vector<std::pair<std::string, std::string>> columns;  // natural key: column, value
    };
    // Inserts the row, or updates it when `merge(existing)` differs from what is stored.
    // `stored`, when given, receives the row as it now stands.
    RowOutcome upsert_row(const RowKey& key, const std::vector<std::string>& columns,
                          const std::vector<std::optional<std::string>>& incoming,
                          const std::function<std::vector<std::optional<std::string>>(
                              const std::vector<std::optional<std::string>>&)>& merge,
                          bool insert_first = true, std::vector<std::optional<std::string>>* stored = nullptr);
    void update_row(const RowKey& key, const std::vector<std::string>& columns,
                    const std::vector<std::optional<std::string>>& values);
    // The order row stored last, as it stands, while one file is imported (inside a Savepoint):
    // an export's rows come sorted by order ID, so an order's second and later rows merge with it
    // here instead of trying an insert and reading the row back. Forgotten when the savepoint ends.
    struct StoredOrder {
        std::string order_id;
        std::vector<std::optional<std::string>> values;
    };
    std::optional<StoredOrder> last_order_;
    bool remember_last_order_ = false;
    RowOutcome upsert_order(const OrderLine& line, bool& stale);
    RowOutcome upsert_item(const OrderLine& line, bool stale, bool new_order);
    struct UpsertSql {
        std::string select, insert, update;
    };
    const UpsertSql& upsert_sql(const RowKey& key, const std::vector<std::string>& columns);
    std::unordered_map<std::string, UpsertSql> upsert_sql_;  // per table, built once

    std::filesystem::path path_;
    SQLite::Database db_;
    // Prepared once, reused for every row of a large import.
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

// Turns SQLite's own failures into fbtrack errors with exit codes (busy, full disk, read-only,
// not a database).
// `system_errno` is what the operating system said of SQLite's last failed call (0: unknown): an
// I/O error for want of room (ENOSPC, EDQUOT) is a full disk.
[[noreturn]] void rethrow_database_error(const SQLite::Exception& e, const std::filesystem::path& db_path,
                                         int system_errno = 0);

}  // namespace fbtrack
