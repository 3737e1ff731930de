// The import use-case on its own, as a front end other than the command line calls it: what it
// returns and tells its listener, and what it leaves in the store.
#include "app/ImportFiles.h"
#include "catalogue/Marketplace.h"

#include "TestSupport.h"
#include <gtest/gtest.h>

using namespace fbtrack;
using fbtrack::test::sample_shop;
using fbtrack::test::shipped_data;
using fbtrack::test::TempDir;
using fbtrack::test::write_file;

namespace {

class Recorder : public ImportListener {
public:
    std::vector<ImportedFile> files;
    void file_done(const ImportedFile& file) override { files.push_back(file); }
};

class ImportUseCase : public ::testing::Test {
protected:
    ImportUseCase()
        : jp_(load_marketplace(shipped_data(), "jp")), store_(dir_ / "shop.db"),
          context_{store_, shipped_data(), jp_, sample_shop(shipped_data()), "ja",
                   from_iso_utc("2026-10-31T03:00:00Z"), dir_.path()} {}

    ImportReport import(std::vector<std::filesystem::path> paths, bool skip_bad_rows = false, bool dry_run = false) {
        ImportRequest request;
        request.files = expand_import_paths(paths);
        request.skip_bad_rows = skip_bad_rows;
        request.dry_run = dry_run;
        recorder_ = Recorder();
        return import_files(context_, request, recorder_);
    }

    TempDir dir_;
    Marketplace jp_;
    Store store_;
    AppContext context_;
    Recorder recorder_;
};

}  // namespace

TEST_F(ImportUseCase, ReportsEachFileAndKeepsTheRows) {
    const auto report = import({test::project_data_samples()});
    EXPECT_FALSE(report.refused());
    ASSERT_EQ(report.files.size(), 5u);  // all orders, unshipped, feedback, mail, shipping confirmation
    EXPECT_EQ(recorder_.files.size(), report.files.size());  // told as they were read
    std::map<std::string, std::size_t> kinds;
    for (const auto& f : report.files) {
        EXPECT_EQ(f.outcome, ImportedFile::Outcome::imported) << f.path;
        ++kinds[f.kind];
    }
    EXPECT_EQ(kinds["orders"], 2u);
    EXPECT_EQ(kinds["feedback"], 1u);
    EXPECT_EQ(kinds["messages"], 1u);
    EXPECT_EQ(kinds["shipments"], 1u);
    EXPECT_EQ(report.files_read, 5u);
    EXPECT_GT(report.totals.added, 0u);
    EXPECT_TRUE(report.adopted_shop_settings);
    const auto counts = store_.counts();
    EXPECT_EQ(counts.feedback, 4);
    EXPECT_GT(counts.messages, 0);
    EXPECT_EQ(counts.imports, 5);
}

TEST_F(ImportUseCase, TheSameFilesAgainAreKnownWithoutBeingRead) {
    import({test::project_data_samples()});
    const auto again = import({test::project_data_samples()});
    EXPECT_EQ(again.imported_before, 5u);
    EXPECT_EQ(again.files_read, 0u);
    for (const auto& f : again.files) {
        EXPECT_EQ(f.outcome, ImportedFile::Outcome::imported_before);
        EXPECT_EQ(f.earlier_name, f.path.filename().string());
    }
    EXPECT_FALSE(again.adopted_shop_settings);
}

TEST_F(ImportUseCase, BadRowsRefuseTheRunAndKeepNothing) {
    const auto good = test::project_data_samples() / "2026-10_feedback.txt";
    const auto bad = dir_ / "feedback_bad.txt";
    // The sample's header with one row whose rating is not a number.
    std::string text = test::read_file(good);
    text = text.substr(0, text.find('\n') + 1) + "2026/10/20\tfive\tcomment\t\t503-0000000-0000001\tx@marketplace.amazon.co.jp\r\n";
    write_file(bad, text);
    const auto report = import({bad});
    EXPECT_TRUE(report.refused());
    EXPECT_EQ(report.bad_rows.count, 1u);
    ASSERT_EQ(report.bad_rows.shown.size(), 1u);
    EXPECT_EQ(report.bad_rows.shown[0].file, bad);
    EXPECT_EQ(report.bad_rows.shown[0].line, 2u);
    EXPECT_EQ(store_.counts().imports, 0);  // rolled back
    EXPECT_FALSE(store_.settings().get("shop"));

    const auto skipped = import({bad}, true);
    EXPECT_FALSE(skipped.refused());
    EXPECT_EQ(skipped.totals.rejected, 1u);
    EXPECT_EQ(store_.counts().rejected_rows, 1);
}

TEST_F(ImportUseCase, ADryRunCountsButKeepsNothing) {
    const auto report = import({test::project_data_samples()}, false, true);
    EXPECT_TRUE(report.dry_run);
    EXPECT_EQ(report.files_read, 5u);
    EXPECT_GT(report.totals.added, 0u);
    EXPECT_EQ(store_.counts().imports, 0);
    EXPECT_EQ(store_.counts().orders, 0);
}
