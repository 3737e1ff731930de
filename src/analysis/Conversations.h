#pragma once
// Who answered whom, and how fast: buyer messages paired with the seller's replies, the
// 24-hour measure Amazon applies, and the expedite requests with how each was answered.
#include "store/Store.h"

#include <boost/date_time/posix_time/posix_time_types.hpp>

#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct ReplyPairing {
    std::size_t buyer = 0;               // index into the messages
    std::optional<std::size_t> reply;    // the first later seller message in the same conversation
    std::optional<double> hours;         // clock hours, weekends and holidays included
};

// `messages` in time order. A conversation is an order; messages without an order ID join
// their buyer alias's conversation.
std::vector<ReplyPairing> pair_replies(const std::vector<StoredMessage>& messages);

struct ReplyStats {
    std::size_t buyer_messages = 0;
    std::size_t within_24h = 0, later = 0;
    std::size_t open_overdue = 0;  // unanswered for more than 24 hours
    std::size_t open_recent = 0;   // unanswered, still inside 24 hours: not yet counted
    // within_24h / (within_24h + later + open_overdue); none when nothing is due yet.
    std::optional<double> share_within_24h() const;
};

ReplyStats reply_stats(const std::vector<StoredMessage>& messages, const std::vector<ReplyPairing>& pairs,
                       const boost::posix_time::ptime& now);

struct ExpediteRequest {
    std::string order_id;
    std::string requested_at;  // UTC
    std::string reply = "none";  // declined, accepted, other, none
    std::optional<std::string> replied_at;
    std::optional<double> reply_hours;
    std::string source;  // mail, csv, manual
    std::optional<std::string> phrase;        // what made the request a request
    std::optional<std::string> reply_phrase;  // what made the reply a decline or acceptance
    std::optional<std::string> note;
};

std::vector<ExpediteRequest> expedite_requests(const std::vector<StoredMessage>& messages,
                                               const std::vector<ReplyPairing>& pairs,
                                               const std::vector<ManualExpedite>& manual);

double hours_between(const std::string& from_utc, const std::string& to_utc);

// Every message the store holds as of its cut-off (without text), paired, with the expedite
// requests among them: what the report and the risk finder both read, loaded and paired once.
struct MessageTimeline {
    std::vector<StoredMessage> messages;  // in time order
    std::vector<ReplyPairing> pairs;
    std::vector<ExpediteRequest> requests;
};
MessageTimeline load_message_timeline(Store& store);

}  // namespace fbtrack
