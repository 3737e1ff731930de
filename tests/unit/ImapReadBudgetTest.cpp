#include "importers/ImapReadBudget.h"

#include <gtest/gtest.h>

using fbtrack::ImapReadBudget;
using fbtrack::ImapReadLimits;

namespace {

std::optional<std::string> feed(ImapReadBudget& b, const std::string& bytes, std::size_t chunk = 1) {
    for (std::size_t i = 0; i < bytes.size(); i += chunk)
        if (auto problem = b.take(bytes.data() + i, std::min(chunk, bytes.size() - i))) return problem;
    return std::nullopt;
}

}  // namespace

TEST(ImapReadBudget, ALiteralWithinItsLimitPassesWhateverItHolds) {
    ImapReadBudget b;
    b.begin({32, 1000, 5000});
    // The literal's own line breaks and length are not lines: 300 bytes of one letter pass a
    // 32-byte line limit because they are announced.
    const std::string literal(300, 'a');
    EXPECT_FALSE(feed(b, "* 1 FETCH (BODY[] {300}\r\n" + literal + ")\r\na1 OK done\r\n", 7));
    EXPECT_EQ(b.last_literal(), 300u);
}

TEST(ImapReadBudget, ALiteralAnnouncedLargerThanAskedIsRefusedBeforeItsBytes) {
    ImapReadBudget b;
    b.begin({1000, 1000, 1u << 30});
    const auto problem = feed(b, "* 1 FETCH (BODY[] {4294967295}\r\n", 3);
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->find("at most 1000 bytes"), std::string::npos) << *problem;
}

TEST(ImapReadBudget, AnAnnouncementTooLongToCountIsRefused) {
    ImapReadBudget b;
    b.begin({1000, 1000, 1u << 30});
    EXPECT_TRUE(feed(b, "* 1 FETCH (BODY[] {99999999999999999999}\r\n"));
}

TEST(ImapReadBudget, AnEndlessLineIsRefusedAtTheLineLimit) {
    ImapReadBudget b;
    b.begin({64, 64, 1u << 30});
    const auto problem = feed(b, "* OK " + std::string(100, 'x'), 10);
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->find("a line longer than 64 bytes"), std::string::npos);
}

TEST(ImapReadBudget, ManyShortLinesAreRefusedAtTheCommandsTotal) {
    ImapReadBudget b;
    b.begin({64, 64, 1000});
    std::string lines;
    for (int i = 0; i < 100; ++i) lines += "* 1 FETCH (UID 1)\r\n";
    const auto problem = feed(b, lines, 50);
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->find("in answer to one command"), std::string::npos);
}

TEST(ImapReadBudget, TheTotalStartsAgainWithEachCommandAndALiteralPlusCounts) {
    ImapReadBudget b;
    b.begin({64, 64, 100});
    EXPECT_FALSE(feed(b, std::string("a1 OK ") + std::string(40, 'x') + "\r\n"));
    b.begin({64, 64, 100});
    EXPECT_FALSE(feed(b, std::string("a2 OK ") + std::string(40, 'x') + "\r\n"));
    EXPECT_TRUE(feed(b, "* 1 FETCH (BODY[] {65+}\r\n"));
}

TEST(ImapReadBudget, BracesThatAreNoLiteralAreLeftToTheParser) {
    ImapReadBudget b;
    b.begin({200, 10, 1000});
    EXPECT_FALSE(feed(b, "* OK {not a literal}\r\n* OK {}\r\n"));
    EXPECT_EQ(b.last_literal(), 0u);
}
