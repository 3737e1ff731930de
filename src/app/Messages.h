#pragma once
// Buyer-seller messages and requests to ship faster: the use-cases behind `messages` and
// `expedite list`, `expedite add` and `expedite reply`.
#include "analysis/Conversations.h"
#include "app/AppContext.h"
#include "drafts/DraftWriter.h"
#include "model/Marketplace.h"
#include "store/Store.h"

#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct MessagesRequest {
    std::optional<std::string> order_id;  // else every order's
};
// A message, and for a buyer's message the seller's answer to it, if any.
struct MessageEntry {
    StoredMessage message;
    std::optional<std::string> replied_at;  // buyer messages only
    std::optional<double> reply_hours;      // buyer messages only: clock hours until the answer
};
// Every message, oldest first, with its text. Takes the store alone: listing messages needs none
// of the shop's settings, and a database whose settings cannot be used still lists them.
std::vector<MessageEntry> messages_of(Store& store, const MessagesRequest& request);

// A request to ship faster, with how long the shop took to answer it in its own working hours.
struct ExpediteEntry {
    ExpediteRequest request;
    std::optional<double> reply_working_hours;  // rounded to a tenth
};
// Every request: from mail, CSV logs and the seller's own records.
std::vector<ExpediteEntry> expedite_list(const AppContext& c);
// The newest `most` of them, newest first, and how many there are in all: a page's worth, the
// working hours counted for those alone.
struct ExpeditePage {
    std::vector<ExpediteEntry> newest;
    std::size_t total = 0;
};
ExpeditePage newest_expedite_requests(const AppContext& c, std::size_t most);

// A request the seller records by hand, as typed: times in the marketplace's local time unless
// they carry an offset.
struct ExpediteRecordRequest {
    std::string order_id, requested_at;
    std::optional<std::string> declined_at, accepted_at, note;
};
struct ExpediteRecord {
    enum class Refusal {
        none,
        not_an_order_id,       // found: the order ID
        declined_and_accepted,
        time_not_understood,   // field, found, expected
        reply_before_request,  // see `recorded`
    } refused = Refusal::none;
    enum class Field { requested_at, declined_at, accepted_at } field = Field::requested_at;
    std::string found, expected;
    ManualExpedite recorded;  // as read (UTC times)
    RowOutcome outcome = RowOutcome::added;
};
// Records it (and the marketplace, in one transaction). Takes the store and the marketplace
// alone: recording needs none of the shop's settings.
ExpediteRecord record_expedite(Store& store, const Marketplace& marketplace, const ExpediteRecordRequest& request);

struct ExpediteReplyRequest {
    std::string order_id;
    bool accept = false, decline = false;
};
struct ExpediteReply {
    enum class Refusal { none, accept_and_decline, order_not_imported } refused = Refusal::none;
    Draft draft;
    bool estimated = false;  // the ship-by date is estimated from the handling time
};
// The answer to a request to ship faster: a decline with the ship-by date (and the closure, when
// closed days are the reason), or an acceptance with the new ship date.
ExpediteReply expedite_reply(const AppContext& c, const ExpediteReplyRequest& request);

}  // namespace fbtrack
