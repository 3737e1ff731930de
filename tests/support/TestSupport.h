#pragma once
// Helpers shared by the tests: temporary folders, fixture bytes, running the real binary.
#include "catalogue/Catalogue.h"
#include "catalogue/ShopSettings.h"

#include <filesystem>
#include <string>
#include <vector>

namespace fbtrack::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, const std::string& bytes);
std::string read_file(const std::filesystem::path& path);
// Overwrites the page in the middle of an SQLite file with garbage, whatever its page size.
void damage_middle_page(const std::filesystem::path& db);
std::string to_cp932(const std::string& utf8);
// `text` with every `from` replaced by `to` (the paths of a run, say, by placeholders).
std::string replace_all(std::string text, const std::string& from, const std::string& to);
std::string to_utf16le(const std::string& utf8);

struct RunResult {
    int exit_code = -1;
    std::string out, err;
    long peak_rss_kib = 0;  // the process's peak resident memory (getrusage's ru_maxrss)
};
struct RunOptions {
    std::vector<std::string> env;  // "NAME=value", added to the test's environment
    // Run as user nobody when the tests run as root, which ignores file permissions.
    bool unprivileged = false;
    std::string program = FBTRACK_BINARY;  // or another of the project's tools (fbtrack-gen), or an installed one
    std::filesystem::path cwd;             // the folder it runs in (default: the test's)
};

// build/fbtrack running in the background (no shell involved); killed and reaped if still
// running when destroyed.
class FbtrackProcess {
public:
    explicit FbtrackProcess(const std::vector<std::string>& args, const RunOptions& options = {});
    ~FbtrackProcess();
    FbtrackProcess(const FbtrackProcess&) = delete;
    FbtrackProcess& operator=(const FbtrackProcess&) = delete;

    void kill(int signal);
    bool running();
    // What it has printed on stdout so far (a server's address line).
    std::string output_so_far() const;
    int pid() const { return pid_; }
    RunResult wait();

private:
    TempDir dir_;
    std::filesystem::path out_path_, err_path_;
    int pid_ = -1;
    bool finished_ = false;
    int status_ = 0;
    long peak_rss_kib_ = 0;
};

// Runs build/fbtrack with these arguments to the end and collects its output.
RunResult run_fbtrack(const std::vector<std::string>& args, const RunOptions& options = {});
// A synthetic month of exports from build/fbtrack-gen in `folder` (all_orders.txt, unshipped.txt,
// shipping_confirmation.txt, feedback.txt, mail.mbox).
RunResult generate_month(const std::filesystem::path& folder, int orders, int seed);

// For RunOptions::unprivileged: lets user nobody into `dir`, and makes `file` read-only to the
// user fbtrack runs as. Without root, only the permission bits change.
constexpr unsigned unprivileged_id = 65534;
void let_unprivileged_user_in(const std::filesystem::path& dir);
void make_read_only_for_fbtrack(const std::filesystem::path& file);

// fbtrack's shipped data files, without any seller's copies: one catalogue for the whole test run.
const fbtrack::Catalogue& shipped_data();

// The shipped defaults of a new shop, named as the sample month's seller names it with `fbtrack
// init`: さくら雑貨, staff 田中, shop@sakura-zakka.example.
fbtrack::ShopSettings sample_shop(const fbtrack::Catalogue& data);

// Names the shop of database `db` as the sample month's seller does (`fbtrack init`): a new shop
// has no name, and writes no draft until it has one.
RunResult name_sample_shop(const std::filesystem::path& db, const RunOptions& options = {});

// The public samples in ../shared/samples, or an empty path when this checkout has none.
std::filesystem::path shared_samples();
std::filesystem::path project_data_samples();

}  // namespace fbtrack::test

// Tests on the shared samples skip, visibly, in a clone without ../shared.
#define REQUIRE_SHARED_SAMPLES()                                                                  \
    do {                                                                                          \
        if (::fbtrack::test::shared_samples().empty())                                            \
            GTEST_SKIP() << "../shared/samples is not beside this checkout; CI runs these tests"; \
    } while (0)
