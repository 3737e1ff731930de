#pragma once
#include <iosfwd>

namespace fbtrack {

// Parses the command line, runs one command and turns any error into one message on `err`
// and an exit code (see core/Errors.h).
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace fbtrack
