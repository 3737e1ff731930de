#include "text/TableReader.h"

#include "core/Errors.h"

namespace fbtrack {

std::string trim(std::string_view text) {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    std::size_t b = 0, e = text.size();
    while (b < e && is_space(text[b])) ++b;
    while (e > b && is_space(text[e - 1])) --e;
    // Also the ideographic space U+3000 that Japanese spreadsheets leave behind.
    while (e - b >= 3 && text.substr(e - 3, 3) == "\xE3\x80\x80") e -= 3;
    while (e - b >= 3 && text.substr(b, 3) == "\xE3\x80\x80") b += 3;
    return std::string(text.substr(b, e - b));
}

namespace {
// Without copying the line: only a line that starts (after ASCII spaces) with the ideographic
// space U+3000 needs trim's full rules.
bool is_blank(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return true;
    return text.compare(first, 3, "\xE3\x80\x80") == 0 && trim(text).empty();
}
}  // namespace

TableReader::TableReader(TextLines& lines) : lines_(lines) {}

namespace {
// The longest value an export holds is a comment or a message of a few thousand characters.
// A longer field is a broken file, most often a CSV quote that never closes.
constexpr std::size_t max_field_bytes = 64 << 10;

Delimiter guess_delimiter(std::string_view header) {
    std::size_t tabs = 0, commas = 0;
    bool quoted = false;
    for (char c : header) {
        if (c == '"') quoted = !quoted;
        else if (!quoted && c == '\t') ++tabs;
        else if (!quoted && c == ',') ++commas;
    }
    return (commas > tabs) ? Delimiter::comma : Delimiter::tab;
}
}  // namespace

bool TableReader::read_header(std::vector<std::string>& header, std::size_t& line_number) {
    TableRow row;
    for (;;) {
        TextLine line;
        if (!lines_.next(line)) return false;
        if (is_blank(line.text)) continue;
        if (!delimiter_known_) {
            delimiter_ = guess_delimiter(line.text);
            delimiter_known_ = true;
        }
        split(row, line.text, line.number);
        header.clear();
        for (std::size_t i = 0; i < row.field_count; ++i) header.push_back(trim(row.fields[i]));
        header_ = header;
        line_number = row.line;
        return true;
    }
}

bool TableReader::next(TableRow& row) {
    TextLine line;
    do {
        if (!lines_.next(line)) return false;
    } while (is_blank(line.text));
    return split(row, line.text, line.number);
}

bool TableReader::split(TableRow& row, std::string_view text, std::size_t line_number) {
    row.line = line_number;
    row.fields.clear();

    if (delimiter_ == Delimiter::tab) {
        // Views into one copy of the line: no allocation per field on the hot path.
        row.text.assign(text);
        const std::string_view t = row.text;
        std::size_t start = 0;
        for (;;) {
            const std::size_t tab = t.find('\t', start);
            row.fields.push_back(t.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
            if (tab == std::string_view::npos) break;
            start = tab + 1;
        }
        row.field_count = row.fields.size();
        check_field_sizes(row);
        return true;
    }

    // RFC 4180: a quoted field may hold commas, doubled quotes and newlines.
    row.text.assign(text);
    std::size_t count = 0;
    auto field = [&row, &count]() -> std::string& {
        if (row.unquoted.size() <= count) row.unquoted.emplace_back();
        std::string& f = row.unquoted[count++];
        f.clear();
        return f;
    };
    std::string* current = &field();
    bool quoted = false, at_field_start = true;
    std::size_t i = 0;
    for (;;) {
        const std::string_view t = row.text;
        for (; i < t.size(); ++i) {
            const char c = t[i];
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < t.size() && t[i + 1] == '"') {
                        current->push_back('"');
                        ++i;
                    } else {
                        quoted = false;
                    }
                } else {
                    current->push_back(c);
                }
            } else if (c == ',') {
                current = &field();
                at_field_start = true;
                continue;
            } else if (c == '"' && at_field_start) {
                quoted = true;
            } else {
                current->push_back(c);
            }
            at_field_start = false;
        }
        if (!quoted) break;
        if (current->size() > max_field_bytes) break;  // a runaway quote: check_field_sizes names it
        TextLine more;
        if (!lines_.next(more))
            throw InputError(InputLocation{lines_.path().string(), line_number, 0, {}},
                             "a quoted field that never closes", "a closing '\"' before the end of the file",
                             "the file may be cut off; download it again");
        row.text.push_back('\n');  // the loop copies it into the open field
        row.text.append(more.text);
    }
    for (std::size_t k = 0; k < count; ++k) row.fields.push_back(row.unquoted[k]);
    row.field_count = count;
    check_field_sizes(row);
    return true;
}

void TableReader::check_field_sizes(const TableRow& row) const {
    for (std::size_t i = 0; i < row.field_count; ++i) {
        if (row.fields[i].size() <= max_field_bytes) continue;
        InputLocation where{lines_.path().string(), row.line, i + 1, i < header_.size() ? header_[i] : ""};
        throw InputError(where, say("found.field_of_bytes", {{"bytes", std::to_string(row.fields[i].size())}}),
                         say("expected.field_at_most", {{"kib", std::to_string(max_field_bytes >> 10)}}),
                         say(delimiter_ == Delimiter::comma ? "hint.quote_never_closes" : "hint.not_an_export"));
    }
}

}  // namespace fbtrack
