#pragma once
// Every error a user can see derives from fbtrack::Error and knows its exit code.
// The codes follow sysexits.h so scripts can tell "fix your file" from "try again".
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fbtrack {

// What an error says, kept as a sentence key and its facts (not a finished sentence), so that the
// top words it in the run's language from data/templates/errors.LANG.json. A Said without a key is
// a fact shown as it is (a path, the bytes found in a file); one with neither key nor text is its
// facts' wordings one after the other.
struct SaidFact;
struct Said {
    std::string key;
    std::string text;
    std::vector<SaidFact> facts;
    bool cut_long = false;  // worded, cut at 80 bytes: a long field must not flood the terminal

    Said() = default;
    Said(std::string fact) : text(std::move(fact)) {}  // a fact, or a message not yet made a sentence
    Said(const char* fact) : text(fact) {}
    Said(std::string_view fact) : text(fact) {}
    bool empty() const { return key.empty() && text.empty() && facts.empty(); }
};
struct SaidFact {
    std::string name;
    Said value;
};
// say("db.disk_full", {{"db", path}}): the sentence KEY with its facts.
Said say(std::string key, std::vector<SaidFact> facts = {});
// Parts worded one after the other (an empty part is left out).
Said joined(std::vector<Said> parts);

// The sentence of a key in the run's language, or null where there is none (then the English one).
using SentenceOf = std::function<const std::string*(const std::string& key)>;
// Each {{name}} in the sentence is replaced by the wording of that fact.
std::string word(const Said& said, const SentenceOf& sentence_of);
// In English, from the copy of data/templates/errors.en.json built into the program: errors are
// made where the data files may not be readable at all.
std::string english(const Said& said);
// The keys of that built-in copy with their sentences (for the checks of the data files).
const std::vector<std::pair<std::string, std::string>>& built_in_english();

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
    // what() is the English wording, for logs and for what is kept in the database.
    Error(ExitCode code, Said said)
        : std::runtime_error(english(said)), code_(code), said_(std::make_shared<const Said>(std::move(said))) {}
    ExitCode code() const { return code_; }
    const Said& said() const { return *said_; }

private:
    ExitCode code_;
    std::shared_ptr<const Said> said_;  // shared: an exception is copied and must not throw doing so
};

class UsageError : public Error {
public:
    explicit UsageError(Said said) : Error(ExitCode::usage, std::move(said)) {}
};

class MissingInputError : public Error {
public:
    explicit MissingInputError(Said said) : Error(ExitCode::no_input, std::move(said)) {}
};

class OutputError : public Error {
public:
    explicit OutputError(Said said) : Error(ExitCode::cannot_create, std::move(said)) {}
};

class BusyError : public Error {
public:
    explicit BusyError(Said said) : Error(ExitCode::busy, std::move(said)) {}
};

// One of the data files (the shipped ones, or the seller's own copy in ~/.config/fbtrack) cannot
// be used: they are edited by hand, so this names the file and what is wrong in it.
// A server (the seller's mail server) cannot be reached, or is not who it says it is: try again
// later, or fix the address or the certificate.
class UnavailableError : public Error {
public:
    explicit UnavailableError(Said said) : Error(ExitCode::unavailable, std::move(said)) {}
};

// The server refused the login: a wrong user name or password.
class PermissionError : public Error {
public:
    explicit PermissionError(Said said) : Error(ExitCode::no_permission, std::move(said)) {}
};

class DataFileError : public Error {
public:
    explicit DataFileError(Said said) : Error(ExitCode::config, std::move(said)) {}
};

class InternalError : public Error {
public:
    explicit InternalError(Said said) : Error(ExitCode::internal, std::move(said)) {}
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
    InputError(InputLocation where, Said found, Said expected, Said hint = {});
    // For a message assembled elsewhere (e.g. a list of row problems).
    explicit InputError(Said whole) : Error(ExitCode::data, std::move(whole)) {}

    // "FILE:LINE:COLUMN: column 'NAME': found 'F', expected E. Hint: H", as sentences.
    static Said described(const InputLocation& where, const Said& found, const Said& expected, const Said& hint);
    // What was found, when the error was made from its parts ("a PDF document"); else empty.
    const std::string& found() const { return found_; }
    const Said& found_said() const { return found_said_; }

private:
    std::string found_;
    Said found_said_;
};

// A value that could not be parsed; the caller adds the location.
class ValueError : public std::runtime_error {
public:
    ValueError(Said found, Said expected, Said hint = {})
        : std::runtime_error(english(expected)), found_(std::move(found)), expected_(std::move(expected)),
          hint_(std::move(hint)) {}
    const Said& found() const { return found_; }
    const Said& expected() const { return expected_; }
    const Said& hint() const { return hint_; }

private:
    Said found_, expected_, hint_;
};

}  // namespace fbtrack
