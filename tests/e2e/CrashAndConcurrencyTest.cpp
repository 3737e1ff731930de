// A killed import leaves the database as it was or complete, never half-done; two fbtracks on one
// database wait for each other or say so; a report run during an import sees one consistent state.
#include "TestSupport.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

namespace fs = std::filesystem;
using namespace fbtrack::test;
using namespace std::chrono_literals;

namespace {

// What an import changes, table by table.
struct Counts {
    long long orders = 0, items = 0, shipments = 0, feedback = 0, messages = 0, imports = 0;
    bool operator==(const Counts&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Counts& c) {
    return os << "{orders " << c.orders << ", items " << c.items << ", shipments " << c.shipments << ", feedback "
              << c.feedback << ", messages " << c.messages << ", imports " << c.imports << "}";
}

// Opening the database also recovers what a killed writer left in the write-ahead log.
Counts counts_of(const fs::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    auto count = [&](const char* table) { return d.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64(); };
    return {count("orders"), count("order_items"), count("shipments"), count("feedback"), count("messages"),
            count("imports")};
}

std::string integrity_of(const fs::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    return d.execAndGet("PRAGMA integrity_check").getString();
}

void copy_database(const fs::path& from, const fs::path& to) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(to.string() + suffix);
    fs::copy_file(from, to);
}

Counts counts_from_status(const std::string& json) {
    const auto o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    auto number = [&](const char* key) { return o->getValue<long long>(key); };
    return {number("orders"), number("order_items"), number("shipments"), number("feedback"), number("messages"),
            number("imports")};
}

class CrashAndConcurrency : public ::testing::Test {
protected:
    // The sample month as the database's "before", and a large generated month to import.
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>();
        const auto r = run_fbtrack({"--db", before_db().string(), "import", project_data_samples().string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto g = generate_month(month(), 20000, 11);
        ASSERT_EQ(g.exit_code, 0) << g.err;
    }
    static void TearDownTestSuite() { dir_.reset(); }

    static fs::path before_db() { return *dir_ / "before.db"; }
    static fs::path month() { return *dir_ / "month"; }

    // The state after the whole month is imported, and how long that took here.
    struct Complete {
        Counts counts;
        std::chrono::duration<double> took;
    };
    Complete complete_import() {
        copy_database(before_db(), db_);
        const auto start = std::chrono::steady_clock::now();
        const auto r = run_fbtrack({"--db", db_.string(), "import", month().string()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return {counts_of(db_), std::chrono::steady_clock::now() - start};
    }

    static inline std::unique_ptr<TempDir> dir_;
    TempDir work_;
    fs::path db_ = work_ / "fbtrack.db";
};

TEST_F(CrashAndConcurrency, AnImportKilledAtAnyMomentLeavesTheStateBeforeOrTheCompleteOne) {
    const Counts before = counts_of(before_db());
    const Complete complete = complete_import();
    ASSERT_GT(complete.counts.orders, before.orders + 10000);

    const unsigned seed = std::random_device{}();
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> moment(0.02, 0.9);
    // Ten kills that land inside the import; a run faster than the one measured may finish
    // before its moment comes, and then another round is added.
    int killed_while_running = 0;
    for (int round = 1; killed_while_running < 10 && round <= 30; ++round) {
        SCOPED_TRACE("round " + std::to_string(round) + " of seed " + std::to_string(seed));
        copy_database(before_db(), db_);
        const auto wait = std::chrono::duration<double>(complete.took.count() * moment(random));
        // Every other round sorts the rows in small runs, so that kills land while runs are
        // written to the unnamed spill file and merged back.
        RunOptions options;
        if (round % 2) options.env.push_back("FBTRACK_SORT_RUN_BYTES=65536");
        {
            FbtrackProcess import({"--db", db_.string(), "import", month().string()}, options);
            std::this_thread::sleep_for(wait);
            if (import.running()) ++killed_while_running;
            import.kill(SIGKILL);
            import.wait();
        }
        EXPECT_EQ(integrity_of(db_), "ok");
        const Counts after_kill = counts_of(db_);
        EXPECT_TRUE(after_kill == before || after_kill == complete.counts)
            << "killed after " << wait.count() << " s: " << after_kill << ", expected " << before << " or "
            << complete.counts;
        const auto rerun = run_fbtrack({"--db", db_.string(), "import", month().string()});
        EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
        EXPECT_EQ(counts_of(db_), complete.counts);
    }
    EXPECT_EQ(killed_while_running, 10) << "seed " << seed;
}

TEST_F(CrashAndConcurrency, ASecondWriterGivesUpAfterTheBusyTimeoutWithExitCode75) {
    copy_database(before_db(), db_);
    const std::string bytes_before = read_file(db_);
    {
        SQLite::Database other(db_.string(), SQLite::OPEN_READWRITE);
        SQLite::Transaction held(other, SQLite::TransactionBehavior::IMMEDIATE);  // as another import would
        const auto r = run_fbtrack({"--lang", "en", "--db", db_.string(), "import", (month() / "feedback.txt").string()});
        EXPECT_EQ(r.exit_code, 75);
        EXPECT_EQ(r.err, "fbtrack: database " + db_.string() +
                             ": another fbtrack is using it (waited 5 s). Hint: wait until it finishes and run again\n");
    }  // rolled back
    EXPECT_TRUE(read_file(db_) == bytes_before);
}

TEST_F(CrashAndConcurrency, ASecondWriterWaitsForAShortOneToFinish) {
    copy_database(before_db(), db_);
    FbtrackProcess import({"--db", db_.string(), "import", (month() / "feedback.txt").string()});
    {
        SQLite::Database other(db_.string(), SQLite::OPEN_READWRITE);
        SQLite::Transaction held(other, SQLite::TransactionBehavior::IMMEDIATE);
        std::this_thread::sleep_for(1s);
        held.commit();
    }
    const auto r = import.wait();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_GT(counts_of(db_).feedback, counts_of(before_db()).feedback);
}

TEST_F(CrashAndConcurrency, TwoImportsAtOnceLoseNothing) {
    const Complete complete = complete_import();
    copy_database(before_db(), db_);
    // Two halves of the month at once: one waits for the other, or gives up and is run again.
    FbtrackProcess orders({"--db", db_.string(), "import", (month() / "all_orders.txt").string()});
    std::this_thread::sleep_for(50ms);
    std::vector<std::string> rest{"--db", db_.string(), "import"};
    for (const char* f : {"unshipped.txt", "shipping_confirmation.txt", "feedback.txt", "mail.mbox"})
        rest.push_back((month() / f).string());
    auto second = run_fbtrack(rest);
    const auto first = orders.wait();
    EXPECT_EQ(first.exit_code, 0) << first.err;
    ASSERT_TRUE(second.exit_code == 0 || second.exit_code == 75) << second.err;
    if (second.exit_code == 75) {
        EXPECT_NE(second.err.find("another fbtrack is using it"), std::string::npos) << second.err;
        second = run_fbtrack(rest);
        EXPECT_EQ(second.exit_code, 0) << second.err;
    }
    EXPECT_EQ(counts_of(db_), complete.counts);
}

TEST_F(CrashAndConcurrency, ReportsDuringAnImportSeeTheStateBeforeOrAfterIt) {
    const Counts before = counts_of(before_db());
    const Complete complete = complete_import();
    copy_database(before_db(), db_);
    FbtrackProcess import({"--db", db_.string(), "import", month().string()});
    int during = 0;
    while (import.running()) {
        const auto status = run_fbtrack({"--db", db_.string(), "status", "--json"});
        ASSERT_EQ(status.exit_code, 0) << status.err;
        const Counts seen = counts_from_status(status.out);
        EXPECT_TRUE(seen == before || seen == complete.counts) << seen;
        const auto report = run_fbtrack({"--db", db_.string(), "--today", "2026-10-31", "report", "--month",
                                         "2026-10", "--out", (work_ / "report.html").string()});
        EXPECT_EQ(report.exit_code, 0) << report.err;
        if (import.running()) ++during;
    }
    EXPECT_EQ(import.wait().exit_code, 0);
    EXPECT_GT(during, 0) << "the import ended before a report could run beside it";
    EXPECT_EQ(counts_of(db_), complete.counts);
}

}  // namespace
