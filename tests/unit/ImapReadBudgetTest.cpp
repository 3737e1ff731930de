#include "importers/ImapReadBudget.h"

#include <gtest/gtest.h>

using fbtrack::ImapReadBudget;
using fbtrack::ImapReadLimits;
using Excess = ImapReadBudget::Excess;

namespace {

std::optional<ImapReadBudget::Problem> feed(ImapReadBudget& b, const std::string& bytes, std::size_t chunk = 1) {
    for (std::size_t i = 0; i < bytes.size(); i += chunk)
        if (auto problem = b.take(bytes.data() + i, std::min(chunk, bytes.size() - i))) return problem;
    return std::nullopt;
}

ImapReadLimits limits(std::size_t line, std::size_t literal, std::size_t body, std::size_t structure, unsigned depth = 64) {
    ImapReadLimits l;
    l.line_bytes = line;
    l.literal_bytes = literal;
    l.body_bytes = body;
    l.structure_bytes = structure;
    l.depth = depth;
    return l;
}

}  // namespace

TEST(ImapReadBudget, AMessagesContentWithinItsLimitPassesWhateverItHolds) {
    ImapReadBudget b;
    b.begin(limits(32, 100, 1000, 5000));
    // The content's own line breaks, parentheses and length are not the protocol's: 300 bytes of
    // one letter, and 300 opening parentheses, pass a 32-byte line and a depth of 64.
    const std::string first = "* 1 FETCH (BODY[]<0> {300}\r\n" + std::string(300, 'a') + ")\r\na1 OK done\r\n";
    const std::string second = "* 2 FETCH (BODY[] {300}\r\n" + std::string(300, '(') + ")\r\na2 OK done\r\n";
    EXPECT_FALSE(feed(b, first, 7));
    EXPECT_FALSE(feed(b, second, 5));
    EXPECT_EQ(b.received(), first.size() + second.size());
}

TEST(ImapReadBudget, ALargeLiteralAnywhereButAMessagesContentIsRefused) {
    ImapReadBudget b;
    b.begin(limits(1000, 100, 10000, 1u << 20));
    // The same size after "* OK" text: no FETCH, so no message's content.
    const auto problem = feed(b, "* OK see BODY[]<0> {5000}\r\n", 4);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->excess, Excess::literal);
    EXPECT_NE(problem->text.find("at most 100 bytes"), std::string::npos) << problem->text;
}

TEST(ImapReadBudget, AContentAnnouncedLargerThanAskedIsRefusedBeforeItsBytes) {
    ImapReadBudget b;
    b.begin(limits(1000, 100, 1000, 1u << 20));
    const auto problem = feed(b, "* 1 FETCH (UID 1 BODY[]<0> {4294967295}\r\n", 3);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->excess, Excess::body);
}

TEST(ImapReadBudget, AnAnnouncementTooLongToCountIsRefused) {
    ImapReadBudget b;
    b.begin(limits(1000, 1000, 0, 1u << 20));
    EXPECT_TRUE(feed(b, "* 1 FETCH (BODY[] {99999999999999999999}\r\n"));
}

TEST(ImapReadBudget, AnEndlessLineIsRefusedAtTheLineLimit) {
    ImapReadBudget b;
    b.begin(limits(64, 64, 0, 1u << 20));
    const auto problem = feed(b, "* OK " + std::string(100, 'x'), 10);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->excess, Excess::line);
    EXPECT_NE(problem->text.find("a line longer than 64 bytes"), std::string::npos);
}

TEST(ImapReadBudget, ManyShortLinesAreRefusedAtTheCommandsStructureBudget) {
    ImapReadBudget b;
    b.begin(limits(64, 64, 0, 1000));
    std::string lines;
    for (int i = 0; i < 100; ++i) lines += "* 1 EXISTS\r\n";
    const auto problem = feed(b, lines, 50);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->excess, Excess::structure);
}

TEST(ImapReadBudget, EmptyLiteralsCountAgainstTheStructureToo) {
    ImapReadBudget b;
    b.begin(limits(1u << 20, 64, 0, 64 * 1024));
    std::string flood = "* 1 FETCH (X";
    for (int i = 0; i < 1000; ++i) flood += " {0}\r\n";
    const auto problem = feed(b, flood, 100);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->excess, Excess::structure);
}

TEST(ImapReadBudget, DeepParenthesesAreRefusedButNotInsideQuotedStrings) {
    ImapReadBudget b;
    b.begin(limits(1u << 20, 64, 0, 1u << 20, 10));
    EXPECT_FALSE(feed(b, "* 1 FETCH (ENVELOPE (\"((((((((((((((((\" NIL))\r\n"));
    const auto problem = feed(b, "* 1 FETCH (" + std::string(20, '(') + "1" + std::string(20, ')') + ")\r\n", 9);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->excess, Excess::depth);
}

TEST(ImapReadBudget, NestingCarriesOverALiteralWithinOneResponse) {
    ImapReadBudget b;
    b.begin(limits(1u << 20, 64, 0, 1u << 20, 10));
    std::string response = "* 1 FETCH ";
    for (int i = 0; i < 20; ++i) response += "({0}\r\n";
    EXPECT_TRUE(feed(b, response));
}

TEST(ImapReadBudget, TheCountsStartAgainWithEachCommand) {
    ImapReadBudget b;
    b.begin(limits(64, 64, 0, 100));
    EXPECT_FALSE(feed(b, std::string("a1 OK ") + std::string(40, 'x') + "\r\n"));
    b.begin(limits(64, 64, 0, 100));
    EXPECT_FALSE(feed(b, std::string("a2 OK ") + std::string(40, 'x') + "\r\n"));
    EXPECT_TRUE(feed(b, "* 1 FETCH (BODY[] {65+}\r\n"));
}

TEST(ImapReadBudget, BracesThatAreNoLiteralAreLeftToTheParser) {
    ImapReadBudget b;
    b.begin(limits(200, 10, 0, 1000));
    EXPECT_FALSE(feed(b, "* OK {not a literal}\r\n* OK {}\r\n"));
}
