#include "TestSupport.h"
#include "core/Errors.h"
#include "text/TableReader.h"

#include <gtest/gtest.h>

using namespace fbtrack;
using fbtrack::test::TempDir;
using fbtrack::test::write_file;

namespace {
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> lines;
};

Table read_table(const std::string& bytes) {
    TempDir dir;
    write_file(dir / "t.txt", bytes);
    TextLines lines(dir / "t.txt");
    TableReader reader(lines);
    Table t;
    std::size_t header_line;
    reader.read_header(t.header, header_line);
    TableRow row;
    while (reader.next(row)) {
        t.rows.emplace_back(row.fields.begin(), row.fields.begin() + row.field_count);
        t.lines.push_back(row.line);
    }
    return t;
}
}  // namespace

TEST(TableReader, TrimsHeaderNamesButNotFields) {
    const auto t = read_table("a\tpromotion-ids \n x\t y \n");
    EXPECT_EQ(t.header, (std::vector<std::string>{"a", "promotion-ids"}));
    EXPECT_EQ(t.rows.at(0), (std::vector<std::string>{" x", " y "}));
}

TEST(TableReader, TreatsQuotesInTabSeparatedFilesAsData) {
    const auto t = read_table("a\tb\n\"quoted\tx\n");
    EXPECT_EQ(t.rows.at(0), (std::vector<std::string>{"\"quoted", "x"}));
}

TEST(TableReader, ReadsRfc4180CsvWithEmbeddedNewlinesAndDoubledQuotes) {
    const auto t = read_table("\"注文番号\",\"コメント\",n\r\n\"1\",\"line one\nline \"\"two\"\"\",3\r\n2,plain,4\r\n");
    EXPECT_EQ(t.header, (std::vector<std::string>{"注文番号", "コメント", "n"}));
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0], (std::vector<std::string>{"1", "line one\nline \"two\"", "3"}));
    EXPECT_EQ(t.rows[1], (std::vector<std::string>{"2", "plain", "4"}));
    EXPECT_EQ(t.lines[1], 4u);  // physical line numbers survive the embedded newline
}

TEST(TableReader, SkipsBlankLinesAndKeepsLineNumbers) {
    const auto t = read_table("a\tb\n\n1\t2\n\n3\t4");
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.lines, (std::vector<std::size_t>{3, 5}));
}

TEST(TableReader, RefusesAQuotedFieldThatNeverCloses) {
    EXPECT_THROW(read_table("a,b\n1,\"open\n"), InputError);
}
