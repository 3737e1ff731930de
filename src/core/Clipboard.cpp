#include "core/Clipboard.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace fbtrack {

namespace {

constexpr std::chrono::seconds clipboard_timeout{5};

bool set_in_environment(const char* name) {
    const char* value = std::getenv(name);
    return value && *value;
}

// `name` in one of PATH's folders, as an executable regular file.
std::optional<std::filesystem::path> on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    if (!path) return std::nullopt;
    std::string folders = path;
    std::size_t start = 0;
    while (start <= folders.size()) {
        const auto end = std::min(folders.find(':', start), folders.size());
        const std::string folder = folders.substr(start, end - start);
        start = end + 1;
        if (folder.empty()) continue;  // the current folder is never searched
        const std::filesystem::path candidate = std::filesystem::path(folder) / name;
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

// Writes all of `text`, with SIGPIPE held back in this thread: a tool that exits before reading
// must not end fbtrack.
bool write_all(int fd, const std::string& text) {
    sigset_t pipe_signal, before;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, &before);
    bool ok = true;
    std::size_t written = 0;
    while (written < text.size()) {
        const auto n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        written += static_cast<std::size_t>(n);
    }
    if (!ok) {
        const timespec no_wait{0, 0};
        while (sigtimedwait(&pipe_signal, nullptr, &no_wait) > 0) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
    return ok;
}

}  // namespace

std::optional<ClipboardTool> find_clipboard_tool() {
    std::vector<std::string> names;
    if (set_in_environment("WAYLAND_DISPLAY")) names.push_back("wl-copy");
    if (set_in_environment("DISPLAY")) {
        names.push_back("xclip");
        names.push_back("xsel");
    }
    for (const auto& name : names)
        if (const auto program = on_path(name)) return ClipboardTool{*program, name};
    return std::nullopt;
}

bool copy_with_tool(const ClipboardTool& tool, const std::string& text) {
    std::vector<std::string> args{tool.program.string()};
    if (tool.name == "xclip") args.insert(args.end(), {"-selection", "clipboard"});
    if (tool.name == "xsel") args.insert(args.end(), {"--clipboard", "--input"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    // The tools stay in the background to serve the clipboard: they must not hold fbtrack's output open.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[0]);
    if (spawned != 0) {
        ::close(fds[1]);
        return false;
    }
    const bool written = write_all(fds[1], text);
    ::close(fds[1]);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + clipboard_timeout;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) return false;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return written && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string osc52_sequence(const std::string& text) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string encoded;
    encoded.reserve((text.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < text.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, text.size() - i);
        std::uint32_t block = 0;
        for (std::size_t j = 0; j < 3; ++j)
            block = (block << 8) | (j < n ? static_cast<unsigned char>(text[i + j]) : 0u);
        for (std::size_t j = 0; j < 4; ++j) encoded += j <= n ? alphabet[(block >> (18 - 6 * j)) & 0x3f] : '=';
    }
    return "\x1b]52;c;" + encoded + "\a";
}

ClipboardResult copy_to_clipboard(const std::string& text, std::ostream& terminal, bool terminal_is_a_tty) {
    if (const auto tool = find_clipboard_tool(); tool && copy_with_tool(*tool, text))
        return {ClipboardResult::Way::tool, tool->name};
    if (terminal_is_a_tty) {
        terminal << osc52_sequence(text) << std::flush;
        return {ClipboardResult::Way::terminal, {}};
    }
    return {};
}

}  // namespace fbtrack
