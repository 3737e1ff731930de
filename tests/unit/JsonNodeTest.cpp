// JsonNode: a data file's values by the shape fbtrack expects, refused with the file and the
// path when they are of another.
#include "core/Errors.h"
#include "catalogue/JsonNode.h"

#include "TestSupport.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

using namespace fbtrack;
using fbtrack::test::TempDir;
using fbtrack::test::write_file;

namespace {

// The message of the DataFileError `read` throws, or "" when it throws none.
std::string refusal(const std::function<void()>& read) {
    try {
        read();
    } catch (const DataFileError& e) {
        return e.what();
    }
    return "";
}

class JsonNodeTest : public ::testing::Test {
protected:
    JsonNode file(const std::string& json) {
        write_file(dir_ / "data.json", json);
        return JsonNode::data_file(dir_ / "data.json");
    }
    std::string prefix() const { return "data file " + (dir_ / "data.json").string() + ": "; }
    TempDir dir_;
};

}  // namespace

TEST_F(JsonNodeTest, ReadsEachShapeItExpects) {
    const auto o = file(R"({"words": ["a", "b"], "n": 7, "yes": true, "inner": {"s": "x"}, "list": [{"s": "y"}], "ns": [1, 2]})");
    EXPECT_EQ(o.strings("words"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(o.integer("n", 0, 10), 7);
    EXPECT_TRUE(o.boolean("yes"));
    EXPECT_EQ(o.object("inner").string("s"), "x");
    EXPECT_EQ(o.object("inner").path(), "$.inner");
    ASSERT_EQ(o.objects("list").size(), 1u);
    EXPECT_EQ(o.objects("list")[0].path(), "$.list[0]");
    EXPECT_EQ(o.integers("ns", 1, 2), (std::vector<std::int64_t>{1, 2}));
    EXPECT_FALSE(o.optional_string("absent").has_value());
    EXPECT_TRUE(o.is_list("words"));
    EXPECT_FALSE(o.is_list("n"));
}

TEST_F(JsonNodeTest, AListWrittenAsAStringIsRefusedNotReadAsEmpty) {
    const auto o = file(R"({"greeting_words": "Dear ,Hello "})");
    EXPECT_EQ(refusal([&] { o.strings("greeting_words"); }).rfind(prefix() + "$.greeting_words: a list of strings was expected, a string was found. ", 0), 0u)
        << refusal([&] { o.strings("greeting_words"); });
    // Optional or not: present, it must be of its shape.
    EXPECT_NE(refusal([&] { o.optional_strings("greeting_words"); }), "");
}

TEST_F(JsonNodeTest, NamesTheKeyThatIsMissingAndTheEntryOfAnotherType) {
    const auto o = file(R"({"words": ["a", 3, ""], "few": [], "inner": {"list": [{"n": 1.5}, 2], "good": [{"n": 1.5}]}})");
    EXPECT_NE(refusal([&] { o.string("name"); }).find(prefix() + "$.name: a string was expected, the key is missing"), std::string::npos);
    EXPECT_NE(refusal([&] { o.strings("words"); }).find("$.words[1]: a string was expected, a whole number was found"), std::string::npos);
    EXPECT_NE(refusal([&] { file(R"({"words": ["a", ""]})").strings("words"); }).find("$.words[1]: some text was expected, an empty string was found"),
              std::string::npos);
    EXPECT_NE(refusal([&] { o.strings("few", JsonNode::Entries::at_least_one); })
                  .find("$.few: a list of at least one string was expected, an empty list was found"),
              std::string::npos);
    const auto list = o.object("inner");
    EXPECT_NE(refusal([&] { list.objects("list"); }).find("$.inner.list[1]: an object ({ ... }) was expected, a whole number was found"),
              std::string::npos);
    EXPECT_NE(refusal([&] { list.objects("good")[0].integer("n", 0, 5); })
                  .find("$.inner.good[0].n: a whole number from 0 to 5 was expected, a number with a fraction was found"),
              std::string::npos);
}

TEST_F(JsonNodeTest, NumbersAreWholeAndInRangeAndTrueIsNoNumber) {
    const auto o = file(R"({"big": 99, "flag": true, "huge": 18446744073709551615, "null": null})");
    EXPECT_NE(refusal([&] { o.integer("big", 1, 30); }).find("$.big: a whole number from 1 to 30 was expected, 99 was found"), std::string::npos);
    EXPECT_NE(refusal([&] { o.integer("flag", 0, 30); }).find("$.flag: a whole number from 0 to 30 was expected, true was found"), std::string::npos);
    EXPECT_NE(refusal([&] { o.integer("huge", 0, 30); }), "");
    EXPECT_NE(refusal([&] { o.boolean("null"); }).find("$.null: true or false was expected, null was found"), std::string::npos);
}

TEST_F(JsonNodeTest, AKeyThatIsNoPlainNameIsQuotedAndShownSafely) {
    EXPECT_EQ(JsonNode::path_of("$", "mail_domains"), "$.mail_domains");
    EXPECT_EQ(JsonNode::path_of("$.a", "two words"), "$.a[\"two words\"]");
    EXPECT_EQ(JsonNode::path_of("$", "\x1b[31mred"), "$[\"\\e[31mred\"]");
}

TEST_F(JsonNodeTest, SaysWhetherTheFileIsTheSellersOwnCopy) {
    const char* before = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = before ? before : "";
    ::setenv("XDG_CONFIG_HOME", dir_.path().c_str(), 1);
    std::filesystem::create_directories(dir_ / "fbtrack");
    write_file(dir_ / "fbtrack" / "mail.json", R"({"quote_markers": "wrote:"})");
    const std::string own = refusal([&] { JsonNode::data_file(dir_ / "fbtrack" / "mail.json").strings("quote_markers"); });
    const std::string shipped = refusal([&] { file(R"({"quote_markers": "wrote:"})").strings("quote_markers"); });
    if (before)
        ::setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
    else
        ::unsetenv("XDG_CONFIG_HOME");
    EXPECT_NE(own.find("This is your own copy"), std::string::npos) << own;
    EXPECT_EQ(shipped.find("your own copy"), std::string::npos) << shipped;
    EXPECT_NE(shipped.find("came with fbtrack"), std::string::npos) << shipped;
}

TEST_F(JsonNodeTest, WhatFbtrackWroteItselfIsAnInternalErrorNamingIt) {
    const auto o = Poco::JSON::Parser().parse(R"({"staff_names": "a"})").extract<Poco::JSON::Object::Ptr>();
    try {
        JsonNode::written_by_fbtrack(o, "the shop settings in the database").strings("staff_names");
        FAIL() << "not refused";
    } catch (const InternalError& e) {
        EXPECT_EQ(std::string(e.what()), "the shop settings in the database: $.staff_names: a list of strings was expected, a string was found");
    }
}
