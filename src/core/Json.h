#pragma once
// JSON output helpers: an unknown value is written as null, never as "" or 0.
#include <Poco/Dynamic/Var.h>

#include <optional>

namespace fbtrack {

template <typename T>
Poco::Dynamic::Var json_or_null(const std::optional<T>& value) {
    if (value) return Poco::Dynamic::Var(*value);
    return Poco::Dynamic::Var();
}

}  // namespace fbtrack
