#include "core/Errors.h"

namespace fbtrack {

namespace {
// Long fields (a 10 MB comment) must not flood the terminal.
std::string shorten(const std::string& text) {
    constexpr std::size_t limit = 80;
    if (text.size() <= limit) return text;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    return text.substr(0, cut) + "… (" + std::to_string(text.size()) + " bytes)";
}
}  // namespace

std::string InputError::describe(const InputLocation& where, const std::string& found,
                                 const std::string& expected, const std::string& hint) {
    std::string m = where.file;
    if (where.line) m += ":" + std::to_string(where.line);
    if (where.column) m += ":" + std::to_string(where.column);
    if (!m.empty()) m += ": ";
    if (!where.column_name.empty()) m += "column '" + where.column_name + "': ";
    m += "found '" + shorten(found) + "', expected " + expected + ".";
    if (!hint.empty()) m += " Hint: " + hint;
    return m;
}

InputError::InputError(InputLocation where, std::string found, std::string expected, std::string hint)
    : Error(ExitCode::data, describe(where, found, expected, hint)), found_(std::move(found)) {}

}  // namespace fbtrack
