#include "TestSupport.h"

#include "catalogue/DataFiles.h"

#include <algorithm>

#include <unicode/ucnv.h>

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <csignal>
#include <grp.h>
#include <stdexcept>
#include <sys/resource.h>
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

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    if (from.empty()) return text;
    for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
    return text;
}

std::string to_cp932(const std::string& utf8) { return convert("windows-31j", utf8); }
std::string to_utf16le(const std::string& utf8) { return convert("UTF-16LE", utf8); }

namespace {
// The program and its data where an unprivileged user can reach them: a checkout may lie in a
// folder only root can enter (/root/...). Copied once per test process, removed at its end.
struct ReachableCopy {
    std::filesystem::path dir, program, data;
    explicit ReachableCopy(const std::filesystem::path& from) {
        namespace fs = std::filesystem;
        std::string pattern = (fs::temp_directory_path() / "fbtrack-unprivileged-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        dir = pattern;
        program = dir / from.filename();
        data = dir / "data";
        fs::copy_file(from, program);
        fs::copy(FBTRACK_SOURCE_DATA_DIR, data, fs::copy_options::recursive);
        for (const auto& e : fs::recursive_directory_iterator(dir))
            fs::permissions(e.path(), e.is_directory() ? fs::perms::all & ~fs::perms::others_write & ~fs::perms::group_write
                                                       : fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
        fs::permissions(program, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                                     fs::perms::others_exec);
        fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                                 fs::perms::others_exec);
    }
    ~ReachableCopy() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};
}  // namespace

FbtrackProcess::FbtrackProcess(const std::vector<std::string>& args, const RunOptions& options) {
    out_path_ = dir_ / "out";
    err_path_ = dir_ / "err";
    const bool drop_root = options.unprivileged && ::getuid() == 0;
    std::string program = options.program;
    std::vector<std::string> extra_env;
    if (drop_root) {
        static const ReachableCopy copy(FBTRACK_BINARY);
        if (program == FBTRACK_BINARY) program = copy.program.string();
        const bool data_given = std::any_of(options.env.begin(), options.env.end(), [](const std::string& e) { return e.rfind("FBTRACK_DATA=", 0) == 0; });
        if (!data_given && !std::getenv("FBTRACK_DATA")) extra_env.push_back("FBTRACK_DATA=" + copy.data.string());
    }
    std::vector<std::string> argv_storage{program};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The test's environment, with the options' variables in place of any of the same name.
    std::vector<std::string> env_storage;
    std::vector<std::string> given = options.env;
    given.insert(given.end(), extra_env.begin(), extra_env.end());
    const auto name_of = [](const std::string& e) { return e.substr(0, e.find('=')); };
    for (char** e = environ; *e; ++e) {
        const std::string entry(*e);
        if (std::none_of(given.begin(), given.end(), [&](const std::string& g) { return name_of(g) == name_of(entry); }))
            env_storage.push_back(entry);
    }
    env_storage.insert(env_storage.end(), given.begin(), given.end());
    std::vector<char*> envp;
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);

    // Everything the child needs is prepared above: between fork and exec it only opens,
    // duplicates, changes user and executes (async-signal-safe calls).
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("cannot start fbtrack: fork failed");
    if (pid_ == 0) {
        const int in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
        const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (in < 0 || out < 0 || err < 0) ::_exit(127);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) ::_exit(127);
        if (drop_root && (::setgroups(0, nullptr) != 0 || ::setgid(unprivileged_id) != 0 ||
                          ::setuid(unprivileged_id) != 0))
            ::_exit(126);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
}

FbtrackProcess::~FbtrackProcess() {
    if (pid_ > 0 && !finished_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

void FbtrackProcess::kill(int signal) {
    if (!finished_) ::kill(pid_, signal);
}

bool FbtrackProcess::running() {
    if (finished_) return false;
    int status = 0;
    rusage usage{};
    if (::wait4(pid_, &status, WNOHANG, &usage) == pid_) {
        finished_ = true;
        status_ = status;
        peak_rss_kib_ = usage.ru_maxrss;
    }
    return !finished_;
}

std::string FbtrackProcess::output_so_far() const { return read_file(out_path_); }

RunResult FbtrackProcess::wait() {
    if (!finished_) {
        int status = 0;
        rusage usage{};
        ::wait4(pid_, &status, 0, &usage);
        finished_ = true;
        status_ = status;
        peak_rss_kib_ = usage.ru_maxrss;
    }
    RunResult r;
    r.peak_rss_kib = peak_rss_kib_;
    r.exit_code = WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
    r.out = read_file(out_path_);
    r.err = read_file(err_path_);
    return r;
}

RunResult run_fbtrack(const std::vector<std::string>& args, const RunOptions& options) {
    return FbtrackProcess(args, options).wait();
}

RunResult generate_month(const std::filesystem::path& folder, int orders, int seed) {
    RunOptions generator;
    generator.program = (std::filesystem::path(FBTRACK_BINARY).parent_path() / "fbtrack-gen").string();
    return run_fbtrack({"--orders", std::to_string(orders), "--seed", std::to_string(seed), "--out", folder.string()},
                       generator);
}

void let_unprivileged_user_in(const std::filesystem::path& dir) {
    if (::getuid() != 0) return;
    std::filesystem::permissions(dir, std::filesystem::perms::all);
}

void make_read_only_for_fbtrack(const std::filesystem::path& file) {
    if (::getuid() == 0 && ::chown(file.c_str(), unprivileged_id, unprivileged_id) != 0)
        throw std::runtime_error("chown failed for " + file.string());
    std::filesystem::permissions(file, std::filesystem::perms::owner_read);
}

std::filesystem::path shared_samples() {
    std::error_code ec;
    const std::filesystem::path p = FBTRACK_SHARED_SAMPLES;
    if (std::filesystem::is_directory(p, ec)) return std::filesystem::canonical(p, ec);
    return {};
}

std::filesystem::path project_data_samples() { return std::filesystem::path(FBTRACK_SOURCE_DATA_DIR) / "samples"; }

void damage_middle_page(const std::filesystem::path& db) {
    std::string bytes = read_file(db);
    // The page size is in the file's header: bytes 16-17, big-endian, where 1 means 65536.
    std::size_t page = 4096;
    if (bytes.size() > 17) page = static_cast<unsigned char>(bytes[16]) << 8 | static_cast<unsigned char>(bytes[17]);
    if (page == 1) page = 65536;
    const std::size_t middle = bytes.size() / page / 2 * page;
    for (std::size_t i = middle; i < middle + page && i < bytes.size(); ++i) bytes[i] = static_cast<char>(0x5A);
    write_file(db, bytes);
}

fbtrack::ShopSettings sample_shop(const fbtrack::Catalogue& data) {
    fbtrack::ShopSettings shop = fbtrack::ShopSettings::load(data);
    shop.shop_name = "さくら雑貨";
    shop.staff_names = {"田中"};
    shop.own_addresses = {"shop@sakura-zakka.example"};
    return shop;
}

RunResult name_sample_shop(const std::filesystem::path& db, const RunOptions& options) {
    return run_fbtrack({"--db", db.string(), "init", "--marketplace", "jp", "--name", "さくら雑貨", "--staff", "田中", "--own-addresses",
                        "shop@sakura-zakka.example"},
                       options);
}

const fbtrack::Catalogue& shipped_data() {
    static const fbtrack::Catalogue data(fbtrack::find_data_dir(), {});
    return data;
}

}  // namespace fbtrack::test
