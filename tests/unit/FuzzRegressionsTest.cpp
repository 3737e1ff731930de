// Replays the fuzzers' seed inputs and every input that once crashed a fuzz target
// (tests/fuzz/seeds, tests/fuzz/regressions). A crash found by scripts/fuzz is copied there and
// stays a test for good; under the sanitizer build (build-asan) these run with ASan and UBSan.
#include "FuzzTargets.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

namespace fs = std::filesystem;

namespace {

std::size_t replay(const std::string& target, const std::function<void(std::string_view)>& run) {
    std::size_t count = 0;
    for (const char* kind : {"seeds", "regressions"}) {
        const fs::path dir = fs::path(FBTRACK_FUZZ_DIR) / kind / target;
        if (!fs::is_directory(dir)) continue;
        for (const auto& entry : fs::directory_iterator(dir)) {
            SCOPED_TRACE(entry.path().string());
            run(fbtrack::test::read_file(entry.path()));
            ++count;
        }
    }
    return count;
}

}  // namespace

TEST(FuzzRegressions, ExportFile) { EXPECT_GT(replay("ExportFile", fbtrack::fuzz::export_file), 0u); }
TEST(FuzzRegressions, Dates) { EXPECT_GT(replay("Dates", fbtrack::fuzz::dates), 0u); }
TEST(FuzzRegressions, Mail) { EXPECT_GT(replay("Mail", fbtrack::fuzz::mail), 0u); }
TEST(FuzzRegressions, MailText) { EXPECT_GT(replay("MailText", fbtrack::fuzz::mail_text), 0u); }
TEST(FuzzRegressions, Classifier) { EXPECT_GT(replay("Classifier", fbtrack::fuzz::classifier), 0u); }
TEST(FuzzRegressions, PersonalInfo) { EXPECT_GT(replay("PersonalInfo", fbtrack::fuzz::personal_info), 0u); }
TEST(FuzzRegressions, Draft) { EXPECT_GT(replay("Draft", fbtrack::fuzz::draft), 0u); }
