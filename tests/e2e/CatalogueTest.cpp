// The data catalogue: every data file found, read and parsed once per process (counted from the
// system calls, with strace), nothing of fbtrack's in $TMPDIR however a command ends, and a
// seller's copy of the wrong shape stopping every command with the file and the JSON path named.
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

std::string find_strace() {
    for (const char* p : {"/usr/bin/strace", "/bin/strace"})
        if (fs::exists(p)) return p;
    return {};
}

class Catalogue : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(own_);
        fs::create_directories(tmp_);
    }
    std::vector<std::string> env() const {
        return {"HOME=" + (dir_ / "home").string(), "XDG_CONFIG_HOME=" + (dir_ / "config").string(), "FBTRACK_DATA=",
                "TMPDIR=" + tmp_.string()};
    }
    RunResult fbtrack(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_.string(), "--today", "2026-10-31"});
        RunOptions o;
        o.env = env();
        return run_fbtrack(args, o);
    }
    // Runs fbtrack under strace and counts, for each data file (shipped or the seller's copy),
    // how often it was opened for reading.
    std::map<std::string, int> opens_of_data_files(std::vector<std::string> args) {
        const fs::path log = dir_ / "strace.log";
        args.insert(args.begin(), {"--db", db_.string(), "--today", "2026-10-31"});
        std::vector<std::string> traced{"-f", "-qq", "-e", "trace=open,openat", "-o", log.string(), FBTRACK_BINARY};
        traced.insert(traced.end(), args.begin(), args.end());
        RunOptions o;
        o.env = env();
        // LeakSanitizer stops itself under ptrace; the sanitizer build checks leaks everywhere else.
        o.env.push_back("ASAN_OPTIONS=detect_leaks=0:abort_on_error=1");
        o.program = find_strace();
        const auto r = run_fbtrack(traced, o);
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 69) << r.out << r.err;
        std::map<std::string, int> count;
        const std::string shipped = fs::canonical(project_data_samples().parent_path()).string() + "/";
        const std::regex open_call(R"re(open(at)?\((AT_FDCWD, )?"([^"]+)", ([A-Z_|]+)[^)]*\) = (-?\d+))re");
        std::istringstream in(read_file(log));
        for (std::string line; std::getline(in, line);) {
            std::smatch m;
            if (!std::regex_search(line, m, open_call)) continue;
            const std::string path = m[3], flags = m[4];
            if (std::stol(m[5]) < 0 || flags.find("O_DIRECTORY") != std::string::npos) continue;
            if (path.rfind(shipped, 0) == 0 && path.find("/samples/") == std::string::npos) ++count[path.substr(shipped.size())];
            if (path.rfind(own_.string() + "/", 0) == 0) ++count["yours: " + path.substr(own_.string().size() + 1)];
        }
        return count;
    }
    static void expect_each_once(const std::map<std::string, int>& count, const std::string& command) {
        EXPECT_FALSE(count.empty()) << command << ": no data file was seen opened; is strace working?";
        for (const auto& [file, n] : count) EXPECT_EQ(n, 1) << command << " opened " << file << " " << n << " times";
    }

    TempDir dir_;
    fs::path own_ = dir_ / "config" / "fbtrack";
    fs::path tmp_ = dir_ / "tmp";
    fs::path db_ = dir_ / "shop.db";
};

}  // namespace

TEST_F(Catalogue, EachDataFileIsOpenedOnceByImportReportRiskNotifyAndAThreeRoundWatch) {
    if (find_strace().empty()) GTEST_SKIP() << "strace is not installed (scripts/setup --with-browser installs it)";
    // A seller's copy is read in place of the shipped file, once too.
    fs::create_directories(own_ / "phrases");
    write_file(own_ / "phrases" / "topic_delivery.ja.txt", read_file(project_data_samples().parent_path() / "phrases" / "topic_delivery.ja.txt") + "のろのろ\n");
    const auto import = opens_of_data_files({"import", project_data_samples().string()});
    expect_each_once(import, "import");
    EXPECT_EQ(import.count("layouts.json"), 1u);
    expect_each_once(opens_of_data_files({"report", "--month", "2026-10", "--out", (dir_ / "r.html").string()}), "report");
    const auto feedback = opens_of_data_files({"feedback"});
    expect_each_once(feedback, "feedback");
    EXPECT_EQ(feedback.count("yours: phrases/topic_delivery.ja.txt"), 1u);
    EXPECT_EQ(feedback.count("phrases/topic_delivery.ja.txt"), 0u) << "the shipped file was read beside the seller's copy";
    expect_each_once(opens_of_data_files({"risk"}), "risk");
    expect_each_once(opens_of_data_files({"notify", "--dry-run"}), "notify");
    // Alerts through a mail server on this machine that is not there: each round drafts them
    // again, from the files read in the first.
    ASSERT_EQ(fbtrack({"notify", "set", "--smtp", "smtp://127.0.0.1:9", "--from", "a@shop.example", "--to", "b@shop.example"})
                  .exit_code,
              0);
    const auto watch = opens_of_data_files({"watch", "--every", "10s", "--rounds", "3"});
    expect_each_once(watch, "watch");
    EXPECT_GE(watch.count("templates/notify.ja.json"), 1u);
}

TEST_F(Catalogue, NothingOfFbtracksIsLeftInTmpdirEvenAfterKill9) {
    fs::create_directories(own_ / "phrases");
    write_file(own_ / "phrases" / "topic_delivery.ja.txt", "遅い\n");
    ASSERT_EQ(fbtrack({"import", project_data_samples().string()}).exit_code, 0);
    ASSERT_EQ(fbtrack({"feedback"}).exit_code, 0);
    RunOptions o;
    o.env = env();
    FbtrackProcess watch({"--db", db_.string(), "watch", "--every", "10s"}, o);
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    watch.kill(SIGKILL);
    watch.wait();
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(tmp_)) left.push_back(e.path().filename().string());
    EXPECT_TRUE(left.empty()) << left.front();
}

TEST_F(Catalogue, ACopyWithAStringWhereAListBelongsStopsImportFeedbackAndDataCheck) {
    ASSERT_EQ(fbtrack({"import", (project_data_samples() / "2026-10_all_orders.txt").string()}).exit_code, 0);
    std::string mail = read_file(project_data_samples().parent_path() / "mail.json");
    const std::regex list(R"("greeting_name_suffixes"\s*:\s*\[[^\]]*\])");
    ASSERT_TRUE(std::regex_search(mail, list));
    write_file(own_ / "mail.json", std::regex_replace(mail, list, R"("greeting_name_suffixes": "様,さん")"));
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"import", (project_data_samples() / "2026-10_mail.mbox").string()},
          std::vector<std::string>{"feedback"}, std::vector<std::string>{"data", "--check"}}) {
        const auto r = fbtrack(args);
        EXPECT_EQ(r.exit_code, 78) << args.front() << ": " << r.out << r.err;
        EXPECT_NE(r.err.find((own_ / "mail.json").string()), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("$.greeting_name_suffixes"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("your own copy"), std::string::npos) << r.err;
    }
    fs::remove(own_ / "mail.json");
    // Nothing of the mailbox was stored while the rule could not be read.
    const auto messages = fbtrack({"messages", "--json"});
    EXPECT_EQ(messages.exit_code, 0) << messages.err;
    EXPECT_EQ(messages.out.find("sent_at"), std::string::npos) << messages.out;
    const auto check = fbtrack({"data", "--check"});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    EXPECT_NE(check.out.find("every file can be used"), std::string::npos) << check.out;
}

// Found by a hostile pass on the seller's copies: each of these switched a rule off without a word
// or ended as an internal error.
TEST_F(Catalogue, AnEmptyListOrPhraseFileOrAWordListTooLargeIsRefusedNamingTheCopy) {
    const fs::path shipped = project_data_samples().parent_path();
    struct Case {
        std::string name, content, expected;
    };
    std::string mail = read_file(shipped / "mail.json");
    mail = std::regex_replace(mail, std::regex(R"("personal_line_labels"\s*:\s*\[[^\]]*\])"), R"("personal_line_labels": [])");
    std::string masking = read_file(shipped / "masking.json");
    std::string titles = "[";
    for (int i = 0; i < 300000; ++i) titles += std::string(i ? "," : "") + "\"T" + std::to_string(1000000 + i) + "xxxxxxxxxxxxxxxxxxxx\"";
    titles += "]";
    masking = std::regex_replace(masking, std::regex(R"("en_titles"\s*:\s*\[[^\]]*\])"), "\"en_titles\": " + titles);
    const std::vector<Case> cases = {
        {"mail.json", mail, "$.personal_line_labels"},
        {"phrases/expedite_request.ja.txt", "# nothing here\n", "holds no phrase"},
        {"phrases/decline.en.txt", "!\n", "only '!'"},
        {"masking.json", masking, "RE2 cannot use"},
    };
    for (const auto& c : cases) {
        fs::create_directories((own_ / c.name).parent_path());
        write_file(own_ / c.name, c.content);
        for (const std::vector<std::string>& args : {std::vector<std::string>{"status"}, std::vector<std::string>{"data", "--check"}}) {
            const auto r = fbtrack(args);
            EXPECT_EQ(r.exit_code, 78) << c.name << ", " << args.front() << ": " << r.out << r.err.substr(0, 2000);
            EXPECT_NE(r.err.find((own_ / c.name).string()), std::string::npos) << r.err.substr(0, 2000);
            EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err.substr(0, 2000);
            EXPECT_LT(r.err.size(), 20000u) << "a message that long is no message";
        }
        fs::remove(own_ / c.name);
    }
}

TEST_F(Catalogue, DataListsACopyThatIsALinkLoopAsAProblemNotAnInternalError) {
    fs::create_symlink(own_ / "loop2", own_ / "mail.json");
    fs::create_symlink(own_ / "mail.json", own_ / "loop2");
    const auto r = fbtrack({"data"});
    EXPECT_EQ(r.exit_code, 78) << r.out << r.err;
    EXPECT_NE(r.err.find("loop"), std::string::npos) << r.err;
}
