#pragma once
// Values in and out of SQLite's columns, for the store's own files: text or NULL, bound without
// a copy. Not for use outside src/store.
#include <SQLiteCpp/Statement.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack::sql {

using Value = std::optional<std::string>;
using Values = std::vector<Value>;

inline Value text_of(const std::optional<bool>& b) {
    if (!b) return std::nullopt;
    return *b ? "1" : "0";
}
inline Value text_of(const std::optional<long long>& n) {
    if (!n) return std::nullopt;
    return std::to_string(*n);
}

// Without a copy: every value bound lives until the statement has run, and statement() clears the
// bindings before a statement is used again.
inline void bind_value(SQLite::Statement& s, int index, const Value& v) {
    if (v) s.bindNoCopy(index, *v);
    else s.bind(index);  // NULL
}

inline Value column_value(SQLite::Statement& s, int index) {
    const auto c = s.getColumn(index);
    if (c.isNull()) return std::nullopt;
    return c.getString();
}

inline std::optional<bool> bool_value(SQLite::Statement& s, int index) {
    const auto c = s.getColumn(index);
    if (c.isNull()) return std::nullopt;
    return c.getInt() != 0;
}

inline std::optional<long long> int_value(SQLite::Statement& s, int index) {
    const auto c = s.getColumn(index);
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}

inline std::string placeholders(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
    return out;
}

inline std::string join(const std::vector<std::string>& names, const std::string& suffix, const std::string& sep) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : sep) + n + suffix;
    return out;
}

}  // namespace fbtrack::sql
