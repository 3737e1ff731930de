#pragma once
// JSON output helpers: an unknown value is written as null, never as "" or 0.
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <ostream>
#include <string>

namespace fbtrack {

template <typename T>
Poco::Dynamic::Var json_or_null(const std::optional<T>& value) {
    if (value) return Poco::Dynamic::Var(*value);
    return Poco::Dynamic::Var();
}

// Valid JSON in which every character that hides text or breaks lines outside JSON's own rules
// (C1 controls, DEL, U+2028/U+2029, bidi controls, zero-width characters) is written as \uXXXX:
// the same string to a parser, nothing hidden to a reader or to a JavaScript eval.
std::string escape_invisible_in_json(const std::string& json);

// Pretty-printed (two spaces), with escape_invisible_in_json applied.
void write_json(std::ostream& out, const Poco::JSON::Object& value);
void write_json(std::ostream& out, const Poco::JSON::Array& value);

}  // namespace fbtrack
