// End-to-end: the real binary on real and hand-built files, as a seller would run it.
#include "TestSupport.h"

#include "core/Errors.h"
#include "text/LineReader.h"

#include <Poco/JSON/Object.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

class ImportCommand : public ::testing::Test {
protected:
    std::string db() const { return (dir_ / "fbtrack.db").string(); }
    RunResult fbtrack(std::vector<std::string> args) {
        // In English: the lines these tests read are its words (JapaneseOutputTest reads the Japanese).
        args.insert(args.begin(), {"--db", db(), "--lang", "en"});
        return run_fbtrack(args);
    }
    Poco::JSON::Object::Ptr status() {
        const auto r = fbtrack({"status", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
    }
    std::string sample(const std::string& name) const { return (shared_samples() / name).string(); }

    TempDir dir_;
};

const char* const all_orders_2022 = "jp_all_orders_by_order_date_2022-10_cp932_excerpt.txt";
const char* const all_orders_2023 = "jp_all_orders_by_order_date_2023-04_cp932_excerpt.txt";

// The 2022 sample with one line changed, as bytes, so the rest stays CP932.
std::string with_line_replaced(const std::string& bytes, std::size_t line_number, const std::string& from,
                               const std::string& to) {
    std::size_t start = 0;
    for (std::size_t n = 1; n < line_number; ++n) start = bytes.find('\n', start) + 1;
    const std::size_t end = bytes.find('\n', start);
    std::string line = bytes.substr(start, end - start);
    const auto at = line.find(from);
    if (at == std::string::npos) throw std::runtime_error("fixture text not found");
    line.replace(at, from.size(), to);
    return bytes.substr(0, start) + line + bytes.substr(end);
}

}  // namespace

TEST_F(ImportCommand, ImportsTheRealJapaneseAllOrdersSamples) {
    REQUIRE_SHARED_SAMPLES();
    const auto r = fbtrack({"import", sample(all_orders_2022), sample(all_orders_2023)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("all-orders, 29 columns"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("all-orders, 74 columns"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("CP932"), std::string::npos);

    const auto s = status();
    EXPECT_EQ(s->getValue<int>("orders"), 29);
    EXPECT_EQ(s->getValue<int>("order_items"), 30);
    EXPECT_EQ(s->getValue<int>("imports"), 2);
    EXPECT_EQ(s->getValue<int>("rejected_rows"), 0);
    EXPECT_EQ(s->getValue<int>("messages"), 0);
}

TEST_F(ImportCommand, ImportingTheSameFilesAgainChangesNothing) {
    REQUIRE_SHARED_SAMPLES();
    ASSERT_EQ(fbtrack({"import", sample(all_orders_2022), sample(all_orders_2023)}).exit_code, 0);
    const std::string before = read_file(db());
    const auto again = fbtrack({"import", sample(all_orders_2022), sample(all_orders_2023)});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("already imported"), std::string::npos) << again.out;
    EXPECT_EQ(read_file(db()), before);
}

TEST_F(ImportCommand, AnOverlappingFileWithOtherBytesAddsNothing) {
    REQUIRE_SHARED_SAMPLES();
    ASSERT_EQ(fbtrack({"import", sample(all_orders_2022)}).exit_code, 0);
    // The same rows saved again with CRLF line ends: new bytes, same orders.
    std::string bytes = read_file(sample(all_orders_2022)), crlf;
    for (char c : bytes) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    write_file(dir_ / "resaved.txt", crlf);
    const auto r = fbtrack({"import", (dir_ / "resaved.txt").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("15 rows, 0 added, 0 updated, 15 unchanged, 0 rejected"), std::string::npos) << r.out;
    EXPECT_EQ(status()->getValue<int>("orders"), 14);  // 15 rows, one order with two items
}

TEST_F(ImportCommand, AFileWithOneImpossibleDateIsRefusedAndTheDatabaseKept) {
    REQUIRE_SHARED_SAMPLES();
    ASSERT_EQ(fbtrack({"import", sample(all_orders_2023)}).exit_code, 0);
    const std::string before = read_file(db());
    write_file(dir_ / "bad.txt", with_line_replaced(read_file(sample(all_orders_2022)), 7,
                                                    "2022-10-29T22:48:38+09:00", "2022-10-32T22:48:38+09:00"));
    const auto r = fbtrack({"import", (dir_ / "bad.txt").string()});
    EXPECT_EQ(r.exit_code, 65);
    EXPECT_NE(r.err.find("bad.txt:7"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("2022-10-32T22:48:38+09:00"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("purchase-date"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--skip-bad-rows"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(db()), before);
}

TEST_F(ImportCommand, SkipBadRowsImportsTheRestAndKeepsTheRejectedRowOnRecord) {
    REQUIRE_SHARED_SAMPLES();
    write_file(dir_ / "bad.txt", with_line_replaced(read_file(sample(all_orders_2022)), 7,
                                                    "2022-10-29T22:48:38+09:00", "2022-10-32T22:48:38+09:00"));
    const auto r = fbtrack({"import", "--skip-bad-rows", (dir_ / "bad.txt").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("14 added, 0 updated, 0 unchanged, 1 rejected"), std::string::npos) << r.out;
    const auto s = status();
    EXPECT_EQ(s->getValue<int>("rejected_rows"), 1);
    EXPECT_EQ(s->getValue<int>("orders"), 13);
    const auto text = fbtrack({"status"});
    EXPECT_NE(text.out.find("bad.txt:7"), std::string::npos) << text.out;
}

TEST_F(ImportCommand, DryRunCountsButWritesNothing) {
    REQUIRE_SHARED_SAMPLES();
    const auto r = fbtrack({"import", "--dry-run", sample(all_orders_2022)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("15 added"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Dry run"), std::string::npos);
    EXPECT_EQ(status()->getValue<int>("orders"), 0);
}

TEST_F(ImportCommand, ExcelMangledIdsGetANamedError) {
    write_file(dir_ / "excel.txt",
               "order-id\torder-item-id\tpurchase-date\tpromise-date\tsku\n"
               "503-2417785-6630118\t5.80293E+13\t2026-10-09T12:14:05+00:00\t2026-10-12T14:59:59+00:00\tSKU\n");
    const auto r = fbtrack({"import", (dir_ / "excel.txt").string()});
    EXPECT_EQ(r.exit_code, 65);
    EXPECT_NE(r.err.find("excel.txt:2:2"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("5.80293E+13"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Excel"), std::string::npos) << r.err;
}

TEST_F(ImportCommand, AnUnknownFileNamesItsHeaderAndTheKnownLayouts) {
    write_file(dir_ / "inventory.txt", "sku\tasin\tprice\tquantity\nA\tB\t1\t2\n");
    const auto r = fbtrack({"import", (dir_ / "inventory.txt").string()});
    EXPECT_EQ(r.exit_code, 65);
    EXPECT_NE(r.err.find("inventory.txt:1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'sku', 'asin', 'price', 'quantity'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Unshipped Orders report"), std::string::npos) << r.err;
}

TEST_F(ImportCommand, OneBadFileLeavesTheOthersOfTheRunUnimportedToo) {
    REQUIRE_SHARED_SAMPLES();
    write_file(dir_ / "empty.txt", "");
    const auto r = fbtrack({"import", sample(all_orders_2022), (dir_ / "empty.txt").string()});
    EXPECT_EQ(r.exit_code, 65);
    EXPECT_NE(r.err.find("empty file"), std::string::npos) << r.err;
    EXPECT_EQ(status()->getValue<int>("orders"), 0);
}

TEST_F(ImportCommand, HeaderOnlyExportsAreAnEmptyMonth) {
    REQUIRE_SHARED_SAMPLES();
    const auto r = fbtrack({"import", sample("jp_unshipped_orders_2023-04_cp932_header_only.txt"),
                            sample("jp_fba_amazon_fulfilled_shipments_2022-10_utf8bom_header_only.csv")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("unshipped, 71 columns"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("fba-shipments-jp"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("UTF-8 (BOM)"), std::string::npos) << r.out;
    EXPECT_EQ(status()->getValue<int>("imports"), 2);
}

TEST_F(ImportCommand, ImportsTheBundledSampleMonth) {
    const auto r = fbtrack({"import", project_data_samples().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto s = status();
    EXPECT_EQ(s->getValue<int>("orders"), 28);
    EXPECT_EQ(s->getValue<int>("order_items"), 32);
    EXPECT_EQ(s->getValue<int>("shipments"), 25);
    EXPECT_EQ(s->getValue<int>("feedback"), 4);
}

TEST_F(ImportCommand, CreatesTheDatabaseReadableByItsOwnerOnly) {
    ASSERT_EQ(fbtrack({"status"}).exit_code, 0);
    struct stat st {};
    ASSERT_EQ(::stat(db().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ImportCommand, RemembersTheMarketplaceAndRefusesAnother) {
    REQUIRE_SHARED_SAMPLES();
    ASSERT_EQ(fbtrack({"--marketplace", "jp", "import", sample(all_orders_2022)}).exit_code, 0);
    const auto r = fbtrack({"--marketplace", "us", "status"});
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_NE(r.err.find("holds marketplace 'jp'"), std::string::npos) << r.err;
}

TEST_F(ImportCommand, ReadsUsFeedbackDatesMonthFirst) {
    write_file(dir_ / "fb.txt", "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n"
                                "10/20/23\t1\tslow\t\t111-1234567-1234567\tx@marketplace.amazon.com\n");
    ASSERT_EQ(fbtrack({"--marketplace", "us", "import", (dir_ / "fb.txt").string()}).exit_code, 0);
    EXPECT_EQ(status()->getValue<int>("feedback"), 1);
}

TEST_F(ImportCommand, ExitCodesFollowSysexits) {
    EXPECT_EQ(fbtrack({"import", (dir_ / "missing.txt").string()}).exit_code, 66);
    EXPECT_EQ(fbtrack({"import"}).exit_code, 64);
    EXPECT_EQ(fbtrack({"frobnicate"}).exit_code, 64);
    EXPECT_EQ(fbtrack({"--today", "2026-13-01", "status"}).exit_code, 64);
    const auto help = fbtrack({"import", "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("--skip-bad-rows"), std::string::npos);
    EXPECT_EQ(fbtrack({"--version"}).exit_code, 0);
}

TEST_F(ImportCommand, RefusesADatabaseThatIsNotSqliteOrIsNewer) {
    write_file(db(), "this is a spreadsheet, not a database, but long enough to look like a file ...........");
    const std::string before = read_file(db());
    const auto r = fbtrack({"status"});
    EXPECT_EQ(r.exit_code, 65);
    EXPECT_NE(r.err.find("not an fbtrack database"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(db()), before);

    fs::remove(db());
    ASSERT_EQ(fbtrack({"status"}).exit_code, 0);
    ASSERT_EQ(std::system(("sqlite3 '" + db() + "' 'PRAGMA user_version = 99'").c_str()), 0);
    const auto newer = fbtrack({"status"});
    EXPECT_EQ(newer.exit_code, 65);
    EXPECT_NE(newer.err.find("newer fbtrack"), std::string::npos) << newer.err;
}

// A file no import had the size of is hashed while it is read (one read, not two): its journal
// entry must still hold the SHA-256 of every byte, the byte order mark too, so that the same
// content under another name is known, and a file of the same size with other bytes is not.
TEST_F(ImportCommand, AFileHashedWhileReadIsKnownAgainUnderAnyName) {
    const std::string feedback = "\xEF\xBB\xBF" "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n"
                                 "10/20/23\t1\tslow\t\t111-1234567-1234567\tx@marketplace.amazon.com\n";
    write_file(dir_ / "a.txt", feedback);
    ASSERT_EQ(fbtrack({"--marketplace", "us", "import", (dir_ / "a.txt").string()}).exit_code, 0);
    {
        SQLite::Database d(db(), SQLite::OPEN_READONLY);
        SQLite::Statement q(d, "SELECT sha256, size_bytes FROM imports");
        ASSERT_TRUE(q.executeStep());
        EXPECT_EQ(q.getColumn(0).getString(), fbtrack::sha256_of_text(feedback));
        EXPECT_EQ(q.getColumn(1).getInt64(), static_cast<std::int64_t>(feedback.size()));
    }
    write_file(dir_ / "b.txt", feedback);
    const auto again = fbtrack({"--marketplace", "us", "import", (dir_ / "b.txt").string()});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("already imported (same content as a.txt"), std::string::npos) << again.out;

    std::string other = feedback;
    other.replace(other.find("slow"), 4, "late");
    write_file(dir_ / "c.txt", other);
    const auto r = fbtrack({"--marketplace", "us", "import", (dir_ / "c.txt").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1 updated"), std::string::npos) << r.out;
}

// Rows sorted in runs that spill to disk and are merged back are stored exactly as rows sorted
// in memory: the same orders, items and shipments, field for field.
TEST_F(ImportCommand, RowsSortedInSpilledRunsAreStoredAsInMemory) {
    auto dump = [](const std::string& db) {
        SQLite::Database d(db, SQLite::OPEN_READONLY);
        std::string out;
        for (const char* sql : {"SELECT * FROM orders ORDER BY order_id",
                                "SELECT order_id, order_item_id, sku, asin, product_name, item_status, quantity, currency, "
                                "item_price FROM order_items ORDER BY order_id, item_id",
                                "SELECT * FROM shipments ORDER BY order_id, order_item_id, tracking_number"}) {
            SQLite::Statement q(d, sql);
            while (q.executeStep())
                for (int c = 0; c < q.getColumnCount(); ++c) out += q.getColumn(c).getString() + (q.getColumn(c).isNull() ? "∅|" : "|");
            out += "\n";
        }
        return out;
    };
    ASSERT_EQ(fbtrack({"import", project_data_samples().string()}).exit_code, 0);
    const std::string spilled_db = (dir_ / "spilled.db").string();
    RunOptions options;
    options.env.push_back("FBTRACK_SORT_RUN_BYTES=512");  // a run of a row or two
    const auto r = run_fbtrack({"--db", spilled_db, "import", project_data_samples().string()}, options);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string in_memory = dump(db());
    EXPECT_GT(in_memory.size(), 1000u);
    EXPECT_EQ(dump(spilled_db), in_memory);
}

// The sort's run size is the import's business: a bad value stops an import, named, and no other
// command; a value past what a number holds is refused, not taken as the largest one.
TEST_F(ImportCommand, TheSortRunSizeIsCheckedByImportAlone) {
    for (const char* bad : {"abc", "0", " 5", "18446744073709551617"}) {
        RunOptions options;
        options.env.push_back(std::string("FBTRACK_SORT_RUN_BYTES=") + bad);
        const auto import = run_fbtrack({"--db", db(), "import", project_data_samples().string()}, options);
        EXPECT_EQ(import.exit_code, 64) << bad << ": " << import.err;
        EXPECT_NE(import.err.find("FBTRACK_SORT_RUN_BYTES"), std::string::npos) << import.err;
        EXPECT_EQ(run_fbtrack({"--db", db(), "status"}, options).exit_code, 0) << bad;
    }
}

// The month's downloads as a seller keeps them: the exports, a README and a PDF beside them, the
// mail in a subfolder. Everything known is imported, the rest named, and the declined request
// reaches its rating.
TEST_F(ImportCommand, ReadsADownloadsFolderWithSubfoldersAndPassesOverWhatIsNeitherExportNorMail) {
    const auto downloads = dir_ / "Downloads";
    fs::create_directories(downloads / "mail");
    for (const auto& entry : fs::directory_iterator(project_data_samples())) {
        const auto name = entry.path().filename().string();
        if (name.find(".mbox") != std::string::npos) fs::copy_file(entry.path(), downloads / "mail" / name);
        else if (name.rfind("2026-", 0) == 0) fs::copy_file(entry.path(), downloads / name);
    }
    write_file(downloads / "README.md", "# What these files are\nOctober's downloads\n");
    write_file(downloads / "invoice.pdf", std::string("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n", 22));
    const auto r = fbtrack({"--marketplace", "jp", "import", downloads.string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("README.md: passed over: neither a known export nor mail (found header fields '# What these"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("invoice.pdf: passed over: neither a known export nor mail (found a PDF document)"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Folders read: " + downloads.string() + " " + (downloads / "mail").string() + "\n"), std::string::npos)
        << r.out;
    const auto s = status();
    EXPECT_EQ(s->getValue<int>("feedback"), 4);
    EXPECT_GT(s->getValue<int>("messages"), 0);
    EXPECT_EQ(s->getValue<int>("imports"), 5);  // the two passed over leave no trace in the journal
    // The 1-star rating whose buyer had asked to ship faster shows the request.
    const auto f = fbtrack({"--today", "2026-10-31", "feedback", "--json"});
    ASSERT_EQ(f.exit_code, 0) << f.err;
    EXPECT_NE(f.out.find("expedite"), std::string::npos) << f.out;

    // Named on the command line, the same README is an error, as before.
    const auto named = fbtrack({"import", (downloads / "README.md").string()});
    EXPECT_EQ(named.exit_code, 65);
    EXPECT_NE(named.err.find("expected a header of a known export"), std::string::npos) << named.err;
}

// The README's first monthly line used to leave the mailbox out, and nothing said so: the verdicts
// then miss the request to ship faster. status, feedback, risk and report name the month.
TEST_F(ImportCommand, AMonthWithRatingsButNoMailIsNamedWithWhatToImport) {
    const auto downloads = dir_ / "exports-only";
    fs::create_directories(downloads);
    for (const auto& entry : fs::directory_iterator(project_data_samples()))
        if (entry.path().extension() == ".txt") fs::copy_file(entry.path(), downloads / entry.path().filename());
    ASSERT_EQ(fbtrack({"--marketplace", "jp", "import", downloads.string()}).exit_code, 0);
    const std::string gap = "2026-10 has 4 ratings and 28 orders but no buyer-seller mail imported";
    for (const auto& command : {std::vector<std::string>{"status"}, {"feedback"}, {"risk"}}) {
        std::vector<std::string> args{"--today", "2026-11-05"};
        args.insert(args.end(), command.begin(), command.end());
        const auto r = fbtrack(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find(gap), std::string::npos) << command[0] << ":\n" << r.out;
    }
    const auto report = fbtrack({"--today", "2026-11-05", "report", "--month", "2026-10", "--out",
                                 (dir_ / "r.html").string()});
    ASSERT_EQ(report.exit_code, 0) << report.err;
    EXPECT_EQ(report.out, (dir_ / "r.html").string() + "\n");  // stdout stays the path
    EXPECT_NE(report.err.find(gap), std::string::npos) << report.err;
    const auto ja = run_fbtrack({"--db", db(), "--today", "2026-11-05", "status"});  // the shop's own language
    EXPECT_NE(ja.out.find("2026-10 は評価 4 件・注文 28 件がありますが、購入者とのメールが取り込まれていません"), std::string::npos)
        << ja.out;
    const auto json = fbtrack({"--today", "2026-11-05", "status", "--json"});
    const auto gaps = Poco::JSON::Parser().parse(json.out).extract<Poco::JSON::Object::Ptr>()->getArray("months_without_mail");
    ASSERT_EQ(gaps->size(), 1u) << json.out;
    EXPECT_EQ(gaps->getObject(0)->getValue<std::string>("month"), "2026-10");

    // Once the month's mail is in, nothing is said.
    ASSERT_EQ(fbtrack({"import", (project_data_samples() / "2026-10_mail.mbox").string()}).exit_code, 0);
    const auto after = fbtrack({"--today", "2026-11-05", "status"});
    EXPECT_EQ(after.out.find("no buyer-seller mail"), std::string::npos) << after.out;
}

// What a hostile downloads folder may hold: a link to the machine's folders is not followed, a
// nest too deep is refused by name rather than read in part, and a file swapped for a pipe after
// the folder was listed is refused at once instead of waiting for a writer.
TEST_F(ImportCommand, AFolderDoesNotLeadOutOfItselfNorHalfwayDownNorIntoAPipe) {
    const auto downloads = dir_ / "Downloads";
    fs::create_directories(downloads);
    fs::copy_file(project_data_samples() / "2026-10_feedback.txt", downloads / "2026-10_feedback.txt");
    fs::create_directory_symlink("/proc/self", downloads / "procself");
    fs::create_directory_symlink("/usr", downloads / "usr");
    const auto r = fbtrack({"--marketplace", "jp", "import", downloads.string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, downloads.string() + "/2026-10_feedback.txt: feedback (Seller feedback report (6 columns); feedback, 6 "
                                          "columns), CP932: 4 rows, 4 added, 0 updated, 0 unchanged, 0 rejected\nFolders read: " +
                         downloads.string() + "\n");

    auto deep = dir_ / "deep";
    for (int i = 1; i <= 18; ++i) deep /= "L" + std::to_string(i);
    fs::create_directories(deep);
    fs::copy_file(project_data_samples() / "2026-10_shipping_confirmation.txt", deep / "ship.txt");
    const auto nested = fbtrack({"import", (dir_ / "deep").string()});
    EXPECT_EQ(nested.exit_code, 65);
    EXPECT_NE(nested.err.find("/L17: folders nested more than 16 deep are not read, nothing was imported"), std::string::npos)
        << nested.err;
    EXPECT_EQ(status()->getValue<int>("shipments"), 0);

    ASSERT_EQ(::mkfifo((dir_ / "pipe.txt").c_str(), 0600), 0);
    EXPECT_THROW(fbtrack::open_input_file(dir_ / "pipe.txt"), fbtrack::InputError);  // returns at once
}
