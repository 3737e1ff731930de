#include "core/DesktopPrograms.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <thread>

namespace fbtrack {

namespace {

using Clock = std::chrono::steady_clock;

// argv for posix_spawn: the program's path, then the arguments.
std::vector<char*> argv_of(const std::string& program, const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    return argv;
}

// Spawns without a shell, in a session of its own (the terminal's Ctrl-C is not the opener's),
// stdin and stderr from/to /dev/null, stdout to `stdout_fd` or /dev/null.
std::optional<pid_t> spawn(const std::filesystem::path& program, const std::vector<std::string>& args, int stdout_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (stdout_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
    else posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
    const std::string path = program.string();
    auto argv = argv_of(path, args);
    pid_t pid = -1;
    const int spawned = posix_spawn(&pid, path.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0) return std::nullopt;
    return pid;
}

// The child's wait status once it has exited before `deadline`; nothing while it still runs.
std::optional<int> wait_until(pid_t pid, Clock::time_point deadline) {
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) return status;
        if (done < 0 && errno != EINTR) return -1;
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool succeeded(int status) { return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0; }

}  // namespace

std::optional<std::filesystem::path> find_on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    if (!path || name.empty() || name.find('/') != std::string::npos) return std::nullopt;
    std::string_view folders(path);
    while (true) {
        const auto colon = folders.find(':');
        const std::string_view folder = folders.substr(0, colon);
        // An empty entry is the current folder to a shell; a program is never taken from there.
        if (!folder.empty() && folder.front() == '/') {
            const std::filesystem::path candidate = std::filesystem::path(folder) / name;
            struct stat st {};
            if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
                return candidate;
        }
        if (colon == std::string_view::npos) return std::nullopt;
        folders.remove_prefix(colon + 1);
    }
}

std::optional<std::string> first_line_of(const std::filesystem::path& program, const std::vector<std::string>& args,
                                         std::chrono::milliseconds limit) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
    const auto pid = spawn(program, args, fds[1]);
    ::close(fds[1]);
    if (!pid) {
        ::close(fds[0]);
        return std::nullopt;
    }
    const auto deadline = Clock::now() + limit;
    std::string printed;
    bool in_time = true;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd p{fds[0], POLLIN, 0};
        const int ready = left > 0 ? ::poll(&p, 1, static_cast<int>(left)) : 0;
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            in_time = false;
            break;
        }
        char buffer[4096];
        const auto n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (printed.size() < 64 * 1024) printed.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    auto status = in_time ? wait_until(*pid, deadline) : std::nullopt;
    if (!status) {
        ::kill(-*pid, SIGKILL);  // its session's process group: whatever it started goes too
        int ignored = 0;
        while (::waitpid(*pid, &ignored, 0) < 0 && errno == EINTR) {
        }
        return std::nullopt;
    }
    if (!succeeded(*status)) return std::nullopt;
    const auto end = printed.find('\n');
    return end == std::string::npos ? printed : printed.substr(0, end);
}

bool start_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                   std::chrono::milliseconds limit) {
    const auto pid = spawn(program, args, -1);
    if (!pid) return false;
    const auto status = wait_until(*pid, Clock::now() + limit);
    return !status || succeeded(*status);
}

}  // namespace fbtrack
