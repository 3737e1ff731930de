#include "TestSupport.h"

#include <unicode/ucnv.h>

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fbtrack::test {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fbtrack-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

namespace {
std::string convert(const char* to, const std::string& utf8) {
    std::string out(utf8.size() * 4 + 16, '\0');
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = ucnv_convert(to, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                   static_cast<int32_t>(utf8.size()), &status);
    if (U_FAILURE(status)) throw std::runtime_error("test conversion failed");
    out.resize(static_cast<std::size_t>(n));
    return out;
}
}  // namespace

std::string to_cp932(const std::string& utf8) { return convert("windows-31j", utf8); }
std::string to_utf16le(const std::string& utf8) { return convert("UTF-16LE", utf8); }

RunResult run_fbtrack(const std::vector<std::string>& args) {
    TempDir dir;
    const auto out_path = dir / "out", err_path = dir / "err";
    std::vector<std::string> argv_storage{FBTRACK_BINARY};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start fbtrack");
    int status = 0;
    ::waitpid(pid, &status, 0);
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
}

std::filesystem::path shared_samples() {
    std::error_code ec;
    const std::filesystem::path p = FBTRACK_SHARED_SAMPLES;
    if (std::filesystem::is_directory(p, ec)) return std::filesystem::canonical(p, ec);
    return {};
}

std::filesystem::path project_data_samples() { return std::filesystem::path(FBTRACK_SOURCE_DATA_DIR) / "samples"; }

}  // namespace fbtrack::test
