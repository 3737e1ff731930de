#pragma once
// Every error a user can see derives from fbtrack::Error and knows its exit code.
// The codes follow sysexits.h so scripts can tell "fix your file" from "try again".
#include <optional>
#include <stdexcept>
#include <string>

namespace fbtrack {

enum class ExitCode : int {
    ok = 0,
    usage = 64,
    data = 65,
    no_input = 66,
    unavailable = 69,
    internal = 70,
    cannot_create = 73,
    busy = 75,
    no_permission = 77,
    config = 78,
};

class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const { return code_; }

private:
    ExitCode code_;
};

class UsageError : public Error {
public:
    explicit UsageError(const std::string& message) : Error(ExitCode::usage, message) {}
};

class MissingInputError : public Error {
public:
    explicit MissingInputError(const std::string& message) : Error(ExitCode::no_input, message) {}
};

class OutputError : public Error {
public:
    explicit OutputError(const std::string& message) : Error(ExitCode::cannot_create, message) {}
};

class BusyError : public Error {
public:
    explicit BusyError(const std::string& message) : Error(ExitCode::busy, message) {}
};

// One of the data files (the shipped ones, or the seller's own copy in ~/.config/fbtrack) cannot
// be used: they are edited by hand, so this names the file and what is wrong in it.
// A server (the seller's mail server) cannot be reached, or is not who it says it is: try again
// later, or fix the address or the certificate.
class UnavailableError : public Error {
public:
    explicit UnavailableError(const std::string& message) : Error(ExitCode::unavailable, message) {}
};

// The server refused the login: a wrong user name or password.
class PermissionError : public Error {
public:
    explicit PermissionError(const std::string& message) : Error(ExitCode::no_permission, message) {}
};

class DataFileError : public Error {
public:
    explicit DataFileError(const std::string& message) : Error(ExitCode::config, message) {}
};

class InternalError : public Error {
public:
    explicit InternalError(const std::string& message) : Error(ExitCode::internal, message) {}
};

// Where in an input file something went wrong. Line and column are 1-based; 0 = unknown.
struct InputLocation {
    std::string file;
    std::size_t line = 0;
    std::size_t column = 0;
    std::string column_name;
};

// Bad input data: names the place, what was found, what was expected and how to fix it.
class InputError : public Error {
public:
    InputError(InputLocation where, std::string found, std::string expected, std::string hint = {});
    // For a message assembled elsewhere (e.g. a list of row problems).
    explicit InputError(const std::string& whole_message) : Error(ExitCode::data, whole_message) {}

    static std::string describe(const InputLocation& where, const std::string& found,
                                const std::string& expected, const std::string& hint);
    // What was found, when the error was made from its parts ("a PDF document"); else empty.
    const std::string& found() const { return found_; }

private:
    std::string found_;
};

// A value that could not be parsed; the caller adds the location.
class ValueError : public std::runtime_error {
public:
    ValueError(std::string found, std::string expected, std::string hint = {})
        : std::runtime_error(expected), found_(std::move(found)), expected_(std::move(expected)),
          hint_(std::move(hint)) {}
    const std::string& found() const { return found_; }
    const std::string& expected() const { return expected_; }
    const std::string& hint() const { return hint_; }

private:
    std::string found_, expected_, hint_;
};

}  // namespace fbtrack
