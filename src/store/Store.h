#pragma once
// Everything fbtrack keeps lives in one SQLite file, and src/store is the one place that speaks
// SQL to it: the Database owns the connection, and a small class per aggregate owns its tables.
// A Store holds them all; callers reach a table through it (store.orders().order(id)). Every
// value reaches SQLite through bind, never through string building.
#include "model/Records.h"
#include "store/Backups.h"
#include "store/Database.h"
#include "store/FeedbackTables.h"
#include "store/ImportJournal.h"
#include "store/MailTables.h"
#include "store/MessageTables.h"
#include "store/OrderTables.h"
#include "store/Settings.h"

#include <filesystem>
#include <optional>

namespace fbtrack {

class Store {
public:
    // Opens (and creates, with mode 0600) the database and brings its schema up to date.
    // `max_pages` caps the file's size (SQLite's max_page_count); a write past it fails as on a full disk.
    explicit Store(const std::filesystem::path& path, std::optional<long long> max_pages = std::nullopt);
    // The tables hold a reference to the database beside them: a Store stays where it was made.
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // One import run, one transaction: commit() or everything is rolled back when it ends.
    class Transaction : public Database::Transaction {
    public:
        explicit Transaction(Store& store, DamageCheck check = DamageCheck::now)
            : Database::Transaction(store.database_, check) {}
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
        OrderTables& orders_;
        Database::Savepoint savepoint_;
    };

    // The connection: the as-of cut, damage, bulk loads, backups, and whether it can be written.
    Database& database() { return database_; }
    OrderTables& orders() { return orders_; }
    FeedbackTables& feedback() { return feedback_; }
    MessageTables& messaging() { return messaging_; }
    ImportJournal& imports() { return imports_; }
    MailTables& mail() { return mail_; }
    Settings& settings() { return settings_; }

    // The importers hand over one record of any kind (a std::variant visited): each goes to its table.
    RowOutcome upsert(const OrderLine& line) { return orders_.upsert(line); }
    RowOutcome upsert(const Shipment& shipment) { return orders_.upsert(shipment); }
    RowOutcome upsert(const FeedbackEntry& feedback) { return feedback_.upsert(feedback); }
    RowOutcome upsert(const BuyerMessage& message) { return messaging_.upsert(message); }
    RowOutcome upsert(const ManualExpedite& expedite) { return messaging_.upsert(expedite); }

    // How many rows each table holds.
    StoreCounts counts();

private:
    Database database_;
    OrderTables orders_{database_};
    FeedbackTables feedback_{database_};
    MessageTables messaging_{database_};
    ImportJournal imports_{database_};
    MailTables mail_{database_};
    Settings settings_{database_};
};

}  // namespace fbtrack
