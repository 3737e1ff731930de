#pragma once
// Helpers shared by the tests: temporary folders, fixture bytes, running the real binary.
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
std::string to_cp932(const std::string& utf8);
std::string to_utf16le(const std::string& utf8);

struct RunResult {
    int exit_code = -1;
    std::string out, err;
};
// Runs build/fbtrack with these arguments (no shell involved) and collects its output.
RunResult run_fbtrack(const std::vector<std::string>& args);

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
