#pragma once
#include "commands/Session.h"

#include <optional>
#include <string>

namespace fbtrack {

struct MessagesOptions {
    std::optional<std::string> order_id;
    bool json = false;
};
void run_messages(Session& session, const MessagesOptions& options);

struct ExpediteListOptions {
    bool json = false;
};
void run_expedite_list(Session& session, const ExpediteListOptions& options);

struct ExpediteAddOptions {
    std::string order_id;
    std::string requested_at;
    std::optional<std::string> declined_at, accepted_at, note;
};
void run_expedite_add(Session& session, const ExpediteAddOptions& options);

struct ExpediteReplyOptions {
    std::string order_id;
    bool accept = false, decline = false;
};
// Drafts the answer to a request to ship faster: a decline with the ship-by date (and the closure,
// when closed days are the reason), or an acceptance with the new ship date.
void run_expedite_reply(Session& session, const ExpediteReplyOptions& options);

}  // namespace fbtrack
