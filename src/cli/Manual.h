#pragma once
// The manual page and the bash completion, written from the same command-line definition as
// --help, so that they cannot drift from it.
#include <iosfwd>

namespace CLI {
class App;
}

namespace fbtrack {

// fbtrack(1) in roff (man -l renders it): every command and option, files, environment and
// exit codes.
void write_manual(std::ostream& out, const CLI::App& app);
// A bash completion script: commands, their subcommands and options.
void write_bash_completion(std::ostream& out, const CLI::App& app);

}  // namespace fbtrack
