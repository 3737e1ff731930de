// End-to-end: the README's first steps and monthly steps, taken word for word from README.md and
// run in a fresh home with the sample month where the README says the downloads are. A README
// that drifts from what works (a step that leaves the mailbox out, say) fails here.
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

// The command lines of the first code block under `heading` that start with "fbtrack", without
// their comments.
std::vector<std::string> readme_commands(const std::string& heading) {
    const std::string readme = read_file(fs::path(FBTRACK_SOURCE_DATA_DIR).parent_path() / "README.md");
    const std::size_t section = readme.find("\n" + heading + "\n");
    EXPECT_NE(section, std::string::npos) << "README.md has no section " << heading;
    if (section == std::string::npos) return {};
    const std::size_t open = readme.find("```sh\n", section);
    const std::size_t close = readme.find("```", open + 6);
    std::istringstream block(readme.substr(open + 6, close - open - 6));
    std::vector<std::string> commands;
    for (std::string line; std::getline(block, line);) {
        if (const std::size_t comment = line.find(" #"); comment != std::string::npos) line.erase(comment);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        if (line.rfind("fbtrack ", 0) == 0) commands.push_back(line);
    }
    return commands;
}

// A README command line as a shell would split it: words at spaces, ~/ as the home. The README's
// steps hold no quotes; one that does is reported rather than split wrong.
std::vector<std::string> words_of(const std::string& line, const fs::path& home) {
    EXPECT_EQ(line.find_first_of("\"'$`|;&<>"), std::string::npos) << "a README step this test cannot run as written: " << line;
    std::istringstream in(line.substr(std::string("fbtrack ").size()));
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word.rfind("~/", 0) == 0 ? (home / word.substr(2)).string() : word);
    return words;
}

}  // namespace

TEST(ReadmeSteps, TheFirstAndMonthlyStepsAsWrittenImportTheMailAndLinkTheDeclinedRequestToItsRating) {
    TempDir dir;
    const fs::path home = dir / "home";
    RunOptions options;
    // A fresh home: no database, no settings, no copies of data files; where the shop's database
    // lives is fbtrack's own default.
    options.env = {"HOME=" + home.string(), "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", "FBTRACK_DB=", "FBTRACK_SHOP=", "FBTRACK_DATA="};

    // The month's downloads as the README names the folder: every export and the mailbox.
    const fs::path downloads = home / "Downloads" / "2026-10";
    fs::create_directories(downloads);
    for (const auto& entry : fs::directory_iterator(project_data_samples())) fs::copy_file(entry.path(), downloads / entry.path().filename());

    const auto setup = readme_commands("## Set up first");
    ASSERT_EQ(setup.size(), 2u) << "the first step: init on a terminal, then the same with options";
    const auto init = run_fbtrack(words_of(setup[1], home), options);  // no terminal here: the options
    ASSERT_EQ(init.exit_code, 0) << setup[1] << "\n" << init.err;

    const auto monthly = readme_commands("## Every month");
    ASSERT_FALSE(monthly.empty());
    for (const auto& line : monthly) {
        const auto r = run_fbtrack(words_of(line, home), options);
        ASSERT_EQ(r.exit_code, 0) << line << "\n" << r.out << r.err;
    }

    const auto status = run_fbtrack({"status", "--json"}, options);
    ASSERT_EQ(status.exit_code, 0) << status.err;
    const auto counts = Poco::JSON::Parser().parse(status.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_GT(counts->getValue<int>("messages"), 0) << "the monthly step left the mailbox out";
    EXPECT_EQ(counts->getArray("months_without_mail")->size(), 0u) << status.out;

    // The 1-star rating whose buyer had asked to ship faster, and was declined, shows it.
    const auto feedback = run_fbtrack({"feedback", "--json"}, options);
    ASSERT_EQ(feedback.exit_code, 0) << feedback.err;
    const auto ratings = Poco::JSON::Parser().parse(feedback.out).extract<Poco::JSON::Array::Ptr>();
    bool found = false;
    for (std::size_t i = 0; i < ratings->size(); ++i) {
        const auto rating = ratings->getObject(i);
        if (rating->getValue<std::string>("order_id") != "503-2417785-6630118") continue;
        found = true;
        EXPECT_EQ(rating->getValue<int>("rating"), 1);
        EXPECT_TRUE(rating->getValue<bool>("expedite_requested")) << feedback.out;
        EXPECT_TRUE(rating->getValue<bool>("expedite_declined")) << feedback.out;
    }
    EXPECT_TRUE(found) << feedback.out;
}
