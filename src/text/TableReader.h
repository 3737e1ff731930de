#pragma once
// Rows of a tab- or comma-separated export. Flat-file reports are tab-separated with no quoting
// (a '"' is data); newer CSV downloads use commas and RFC 4180 quotes, which may hold newlines.
#include "text/TextLines.h"

#include <string>
#include <vector>

namespace fbtrack {

enum class Delimiter { tab, comma };

struct TableRow {
    std::size_t line = 0;                  // physical line the row starts on
    std::vector<std::string_view> fields;  // views into `text` (or, for quoted CSV, into `unquoted`)
    std::size_t field_count = 0;           // == fields.size()
    std::string text;                      // the row as read (UTF-8), for rejected-row records
    std::vector<std::string> unquoted;     // CSV fields with their quotes resolved; reused between calls
};

class TableReader {
public:
    explicit TableReader(TextLines& lines);

    // Reads a line as the header: fields trimmed (real files end with "promotion-ids ").
    // Returns false at end of file. The delimiter is decided by the first header line read.
    bool read_header(std::vector<std::string>& header, std::size_t& line_number);
    // The next non-blank row; false at end of file.
    bool next(TableRow& row);

    Delimiter delimiter() const { return delimiter_; }
    bool delimiter_known() const { return delimiter_known_; }

private:
    bool split(TableRow& row, std::string_view text, std::size_t line_number);
    void check_field_sizes(const TableRow& row) const;  // throws InputError for an overlong field

    TextLines& lines_;
    Delimiter delimiter_ = Delimiter::tab;
    bool delimiter_known_ = false;
    std::vector<std::string> header_;  // to name a column in errors
};

std::string trim(std::string_view text);

}  // namespace fbtrack
