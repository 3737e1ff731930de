#include "core/PasswordCommand.h"

#include "core/Errors.h"
#include "core/StopSignals.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <vector>

namespace fbtrack {

namespace {
// Long enough to type a passphrase into pinentry.
constexpr std::chrono::seconds password_command_timeout{120};
}  // namespace

std::string run_password_command(const std::string& command, const std::string& account) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw DataFileError("mail account " + account + ": the password command could not be run: " + std::strerror(errno));
    // stdin and stderr stay the terminal's: gpg's pinentry, say, may ask for a passphrase. With no
    // terminal (cron, a timer, watch in the background) the command gets a process group of its
    // own, so that a timeout stops all of it, pipelines included.
    const bool interactive = ::isatty(STDIN_FILENO);
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawnattr_init(&attributes);
    if (!interactive) {
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attributes, 0);
    }
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid = -1;
    const int spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(fds[1]);
    if (spawned != 0) {
        ::close(fds[0]);
        throw DataFileError("mail account " + account + ": the password command could not be run: " + std::strerror(spawned));
    }
    // Bounded: a command waiting for a terminal that is not there would otherwise stop every
    // round of watch for good.
    std::string printed;
    bool timed_out = false;
    const auto deadline = std::chrono::steady_clock::now() + password_command_timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{fds[0], POLLIN, 0};
        const int ready = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
        if (StopSignals::requested()) {
            ::kill(interactive ? pid : -pid, SIGKILL);
            ::close(fds[0]);
            while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
            }
            StopSignals::check();
        }
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            timed_out = true;
            ::kill(interactive ? pid : -pid, SIGKILL);
            break;
        }
        char buffer[4096];
        const auto n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (printed.size() < 64 * 1024) printed.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out)
        throw DataFileError("mail account " + account + ": the password command gave no password within " +
                            std::to_string(password_command_timeout.count()) +
                            " s and was stopped. Hint: run it yourself; under cron or a timer it cannot ask at a terminal");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw DataFileError("mail account " + account + ": the password command " +
                            (WIFEXITED(status) ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                               : std::string("was killed by a signal")) +
                            ". Hint: run it yourself to see why; change it with 'fbtrack mail remove " + account +
                            "' and 'fbtrack mail add'");
    const auto end = printed.find_first_of("\r\n");
    std::string password = printed.substr(0, end);
    if (password.empty())
        throw DataFileError("mail account " + account + ": the password command printed no password on its first line");
    return password;
}

namespace {

// Whether a command only prints text written in it: echo or printf with literal words, or cat
// with a here-string (cat <<< WORD). What such a command prints is in the command itself, and
// so in the database. Anything the shell would expand or run ($, `, a glob, a pipe, a
// redirection) makes it a command that fetches its text, which is what a password command is for.
bool prints_only_its_own_words(const std::string& command) {
    std::vector<std::string> words;
    bool here_string = false, in_word = false;
    std::string word;
    const auto end_word = [&] {
        if (in_word) words.push_back(word);
        word.clear();
        in_word = false;
    };
    for (std::size_t i = 0; i < command.size(); ++i) {
        const char c = command[i];
        if (c == ' ' || c == '\t') {
            end_word();
        } else if (c == '\'') {
            const auto close = command.find('\'', i + 1);
            if (close == std::string::npos) return false;
            word += command.substr(i + 1, close - i - 1);
            in_word = true;
            i = close;
        } else if (c == '"') {
            const auto close = command.find('"', i + 1);
            if (close == std::string::npos) return false;
            const std::string inside = command.substr(i + 1, close - i - 1);
            if (inside.find_first_of("$`\\") != std::string::npos) return false;
            word += inside;
            in_word = true;
            i = close;
        } else if (c == '\\' && i + 1 < command.size()) {
            word += command[++i];
            in_word = true;
        } else if (c == '#' && !in_word) {
            break;  // the rest is a comment
        } else if (command.compare(i, 3, "<<<") == 0 && !here_string) {
            end_word();
            here_string = true;
            i += 2;
        } else if (std::string_view("|&;<>()$`*?[~{").find(c) != std::string_view::npos) {
            return false;
        } else {
            word += c;
            in_word = true;
        }
    }
    end_word();
    if (words.empty()) return false;
    // /bin/echo and /usr/bin/printf print as the shell's own do.
    std::string program = words.front();
    if (const auto slash = program.rfind('/'); slash != std::string::npos) program = program.substr(slash + 1);
    if (program == "cat") return here_string && (words.size() == 2 || (words.size() == 3 && words[1] == "-"));
    return !here_string && (program == "echo" || program == "printf");
}

}  // namespace

void check_password_command(const std::string& command, const std::string& account, const std::string& option) {
    const std::string password = run_password_command(command, account);
    const auto trimmed = [](std::string text) {
        text.erase(0, text.find_first_not_of(" \t"));
        text.erase(text.find_last_not_of(" \t") + 1);
        return text;
    };
    // Only what is plainly the password is refused: a command that merely has the password's
    // letters in it ("pass show shop" for the password "shop") keeps it out of the database.
    if (trimmed(command) == trimmed(password) || prints_only_its_own_words(command))
        throw UsageError(option + ": --password-command: the command prints a password written in the command itself. fbtrack "
                         "stores the command (not the password) in the database, so the password would be stored with it. "
                         "Hint: keep the password where only you can read it and give a command that reads it from there, "
                         "e.g. --password-command \"pass show shop\" or --password-command \"cat ~/.config/fbtrack/shop.pw\" "
                         "(a file of mode 0600)");
}

}  // namespace fbtrack
