#pragma once
// Buyer-seller messages with their classification, the expedite requests the seller recorded by
// hand, and the shop's own mail addresses.
#include "model/Records.h"
#include "store/Database.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fbtrack {

struct StoredMessage {
    std::string message_key;
    std::optional<std::string> order_id;
    std::string sent_at, direction;
    std::optional<std::string> buyer_alias;
    std::string subject, body, source, classification;
    std::optional<std::string> phrase;
    std::optional<std::string> decoding_note;
};

// An expedite request the seller recorded by hand (its messages are not in mail).
struct ManualExpedite {
    std::string order_id, requested_at;
    std::string reply = "none";  // declined, accepted, none
    std::optional<std::string> replied_at, note;
};

class MessageTables {
public:
    explicit MessageTables(Database& database) : database_(database) {}

    RowOutcome upsert(const BuyerMessage& message);
    RowOutcome upsert(const ManualExpedite& expedite);

    // Messages in time order. Without text (subject and body empty) when only the timeline is
    // needed: years of mail then fit in a few megabytes.
    std::vector<StoredMessage> messages(const std::optional<std::string>& order_id, bool with_text);
    // Messages sent in [from, to) (UTC): whether a month's mail was imported at all.
    std::int64_t count_messages(const std::string& from_utc, const std::string& to_utc);
    void set_classification(const std::string& message_key, const std::string& label,
                            const std::optional<std::string>& phrase);
    std::vector<ManualExpedite> manual_expedites(const std::optional<std::string>& order_id = std::nullopt);
    // The shop's own mail addresses and where each was learnt ("shop.json", "sent folder Sent", …).
    std::vector<std::pair<std::string, std::string>> shop_addresses();
    void add_shop_address(const std::string& address, const std::string& learnt_from);

private:
    Database& database_;
};

}  // namespace fbtrack
