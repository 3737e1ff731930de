#pragma once
// The desktop's own small programs (xdg-user-dir, xdg-open), found on PATH and run without a
// shell, never for long: a missing or hanging one costs the seller a sentence, not the command.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

// The first executable regular file called `name` in the folders of $PATH, as a shell finds it.
std::optional<std::filesystem::path> find_on_path(const std::string& name);

// Runs `program` with `args` (stdin and stderr /dev/null) and returns the first line it prints,
// or nothing when it cannot be run, fails, or takes longer than `limit` (then it is stopped).
std::optional<std::string> first_line_of(const std::filesystem::path& program, const std::vector<std::string>& args,
                                         std::chrono::milliseconds limit);

// Starts `program` with `args` (stdin, stdout and stderr /dev/null) and waits up to `limit`:
// false when it could not be started or exited with a failure in that time; true when it
// succeeded or is still running (an opener may stay with the window it opened; it is left to it).
bool start_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                   std::chrono::milliseconds limit);

}  // namespace fbtrack
