#include "analysis/Conversations.h"

#include <boost/date_time/posix_time/posix_time.hpp>
#include <gtest/gtest.h>

using namespace fbtrack;

namespace {
StoredMessage msg(const std::string& at, const std::string& direction, std::optional<std::string> order,
                  const std::string& label = "other", std::optional<std::string> alias = "k3m8x2q7w9r4t1z") {
    StoredMessage m;
    m.message_key = at + direction;
    m.sent_at = at;
    m.direction = direction;
    m.order_id = std::move(order);
    m.buyer_alias = std::move(alias);
    m.classification = label;
    m.source = "mail";
    return m;
}
const std::string order_a = "503-2417785-6630118", order_b = "249-8830124-5512907";
}  // namespace

TEST(ReplyPairing, TheFirstLaterSellerMessageOnTheOrderIsTheReply) {
    const std::vector<StoredMessage> m = {
        msg("2026-10-09T13:30:00Z", "buyer", order_a, "expedite_request"),
        msg("2026-10-09T14:00:00Z", "buyer", order_a, "expedite_request"),  // a follow-up
        msg("2026-10-10T00:06:00Z", "seller", order_a, "decline"),
        msg("2026-10-10T05:00:00Z", "seller", order_a, "other"),
    };
    const auto pairs = pair_replies(m);
    ASSERT_EQ(pairs.size(), 2u);
    EXPECT_EQ(pairs[0].reply, 2u);
    EXPECT_NEAR(*pairs[0].hours, 10.6, 1e-9);
    EXPECT_EQ(pairs[1].reply, 2u);

    const auto requests = expedite_requests(m, pairs, {});
    ASSERT_EQ(requests.size(), 1u);  // the follow-up is part of the first request
    EXPECT_EQ(requests[0].reply, "declined");
    EXPECT_EQ(requests[0].reply_hours, 10.6);
}

TEST(ReplyPairing, AReplyAboutAnotherOrderAnswersNothingHere) {
    const std::vector<StoredMessage> m = {
        msg("2026-10-09T13:30:00Z", "buyer", order_a, "expedite_request"),
        msg("2026-10-10T00:06:00Z", "seller", order_b, "decline"),
    };
    const auto requests = expedite_requests(m, pair_replies(m), {});
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].reply, "none");
    EXPECT_FALSE(requests[0].replied_at);
}

TEST(ReplyPairing, AReplyWithoutOrderIdAnswersTheSameBuyerAlias) {
    const std::vector<StoredMessage> m = {
        msg("2026-10-09T13:30:00Z", "buyer", order_a, "expedite_request"),
        msg("2026-10-09T20:00:00Z", "seller", std::nullopt, "acceptance"),
    };
    const auto requests = expedite_requests(m, pair_replies(m), {});
    EXPECT_EQ(requests.at(0).reply, "accepted");
    EXPECT_EQ(requests.at(0).reply_hours, 6.5);
}

TEST(ReplyStats, CountTheTwentyFourHourRuleOnClockHours) {
    const std::vector<StoredMessage> m = {
        msg("2026-10-01T00:00:00Z", "buyer", order_a),   // answered after 24.0 h: in time
        msg("2026-10-02T00:00:00Z", "seller", order_a),
        msg("2026-10-03T00:00:00Z", "buyer", order_b),   // answered after 30 h: late
        msg("2026-10-04T06:00:00Z", "seller", order_b),
        msg("2026-10-05T00:00:00Z", "buyer", "250-0580022-4620935"),  // never answered, overdue
        msg("2026-10-09T20:00:00Z", "buyer", "250-0567367-8946258"),  // 4 h old: not yet due
    };
    const auto pairs = pair_replies(m);
    const auto s = reply_stats(m, pairs, boost::posix_time::time_from_string("2026-10-10 00:00:00"));
    EXPECT_EQ(s.buyer_messages, 4u);
    EXPECT_EQ(s.within_24h, 1u);
    EXPECT_EQ(s.later, 1u);
    EXPECT_EQ(s.open_overdue, 1u);
    EXPECT_EQ(s.open_recent, 1u);
    EXPECT_NEAR(*s.share_within_24h(), 1.0 / 3.0, 1e-9);
}

TEST(ExpediteRequests, IncludeManualRecords) {
    ManualExpedite e{order_b, "2026-10-03T01:00:00Z", "declined", "2026-10-03T03:30:00Z", "phone call"};
    const auto requests = expedite_requests({}, {}, {e});
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].source, "manual");
    EXPECT_EQ(requests[0].reply_hours, 2.5);
    EXPECT_EQ(requests[0].note, "phone call");
}

TEST(ReplyPairing, AMessageToAnotherAliasAboutTheSameOrderAnswersNothing) {
    // An order ID is no secret: whoever writes to another alias about it has not answered this buyer.
    const std::vector<StoredMessage> m = {
        msg("2026-10-09T13:30:00Z", "buyer", order_a, "expedite_request"),
        msg("2026-10-09T14:00:00Z", "seller", order_a, "acceptance", "nobody000000000"),
        msg("2026-10-10T00:06:00Z", "seller", order_a, "decline"),
    };
    const auto pairs = pair_replies(m);
    ASSERT_EQ(pairs.size(), 1u);
    ASSERT_TRUE(pairs[0].reply);
    EXPECT_EQ(*pairs[0].reply, 2u);
}
