#include "store/MessageTables.h"

#include "store/Columns.h"

#include <algorithm>
#include <tuple>

namespace fbtrack {

using sql::bind_value;
using sql::column_value;
using Value = sql::Value;
using Values = sql::Values;

namespace {

const std::vector<std::string> message_columns = {"order_id", "sent_at", "direction",      "buyer_alias", "subject",
                                                  "body",     "source",  "classification", "phrase",
                                                  "decoding_note"};
const std::vector<std::string> manual_expedite_columns = {"reply", "replied_at", "note"};

}  // namespace

RowOutcome MessageTables::upsert(const BuyerMessage& m) {
    const Values incoming = {m.order_id, m.sent_at, m.direction,      m.buyer_alias, m.subject,
                             m.body,     m.source,  m.classification, m.phrase,      m.decoding_note};
    // A Message-ID is chosen by the sender: one that comes again with another content never
    // rewrites the seller's history. Only the classification may change (phrase lists edited).
    constexpr std::size_t content_columns = 6;  // order_id … body
    bool conflicting = false;
    const RowOutcome outcome = database_.upsert_row({"messages", {{"message_key", m.message_key}}}, message_columns, incoming,
                                                    [&](const Values& existing) {
                                                        if (!std::equal(existing.begin(), existing.begin() + content_columns,
                                                                        incoming.begin())) {
                                                            conflicting = true;
                                                            return existing;
                                                        }
                                                        return incoming;
                                                    });
    return conflicting ? RowOutcome::conflicting : outcome;
}

RowOutcome MessageTables::upsert(const ManualExpedite& e) {
    database_.before_writing();
    const Values incoming = {e.reply, e.replied_at, e.note};
    return database_.upsert_row({"manual_expedites", {{"order_id", e.order_id}, {"requested_at", e.requested_at}}},
                                manual_expedite_columns, incoming, [&](const Values&) { return incoming; });
}

std::vector<std::pair<std::string, std::string>> MessageTables::shop_addresses() {
    auto& s = database_.statement("SELECT address, learnt_from FROM shop_addresses ORDER BY address");
    std::vector<std::pair<std::string, std::string>> out;
    while (s.executeStep()) out.emplace_back(s.getColumn(0).getString(), s.getColumn(1).getString());
    s.reset();
    return out;
}

void MessageTables::add_shop_address(const std::string& address, const std::string& learnt_from) {
    database_.before_writing();
    auto& s = database_.statement("INSERT INTO shop_addresses(address, learnt_from) VALUES(?, ?) ON CONFLICT DO NOTHING");
    s.bind(1, address);
    s.bind(2, learnt_from);
    s.exec();
}

std::vector<StoredMessage> MessageTables::messages(const std::optional<std::string>& order_id, bool with_text) {
    const std::string text = with_text ? "subject, body" : "'', ''";
    // All of them: the table read through once (+ keeps the time index out) and sorted here, not
    // looked up row by row in time order through the index, which takes many times the page reads.
    auto& s = database_.statement("SELECT message_key, order_id, sent_at, direction, buyer_alias, " + text +
                                  ", source, classification, phrase, decoding_note FROM messages" +
                                  (order_id ? " WHERE sent_at < ? AND order_id = ? ORDER BY sent_at, message_key"
                                            : " WHERE +sent_at < ?"));
    s.bind(1, database_.as_of().end_utc);
    if (order_id) s.bind(2, *order_id);
    std::vector<StoredMessage> out;
    // Sized once: doubling a vector of many messages would briefly need half as much again.
    if (!order_id) out.reserve(static_cast<std::size_t>(database_.count_of("SELECT count(*) FROM messages")));
    while (s.executeStep()) {
        StoredMessage m;
        m.message_key = s.getColumn(0).getString();
        m.order_id = column_value(s, 1);
        m.sent_at = s.getColumn(2).getString();
        m.direction = s.getColumn(3).getString();
        m.buyer_alias = column_value(s, 4);
        m.subject = s.getColumn(5).getString();
        m.body = s.getColumn(6).getString();
        m.source = s.getColumn(7).getString();
        m.classification = s.getColumn(8).getString();
        m.phrase = column_value(s, 9);
        m.decoding_note = column_value(s, 10);
        out.push_back(std::move(m));
    }
    s.reset();
    if (!order_id)  // as ORDER BY sent_at, message_key would: both compare as bytes
        std::sort(out.begin(), out.end(), [](const StoredMessage& a, const StoredMessage& b) {
            return std::tie(a.sent_at, a.message_key) < std::tie(b.sent_at, b.message_key);
        });
    return out;
}

void MessageTables::set_classification(const std::string& message_key, const std::string& label,
                                       const std::optional<std::string>& phrase) {
    auto& s = database_.statement("UPDATE messages SET classification = ?, phrase = ? WHERE message_key = ?");
    s.bind(1, label);
    bind_value(s, 2, phrase);
    s.bind(3, message_key);
    s.exec();
}

std::vector<ManualExpedite> MessageTables::manual_expedites(const std::optional<std::string>& order_id) {
    // A reply given after the cut-off was not given yet.
    auto& s = database_.statement(std::string("SELECT order_id, requested_at, CASE WHEN replied_at >= ?1 THEN 'none' ELSE reply END, "
                                              "CASE WHEN replied_at >= ?1 THEN NULL ELSE replied_at END, note FROM manual_expedites "
                                              "WHERE requested_at < ?1") +
                                  (order_id ? " AND order_id = ?2" : "") + " ORDER BY requested_at");
    s.bind(1, database_.as_of().end_utc);
    if (order_id) s.bind(2, *order_id);
    std::vector<ManualExpedite> out;
    while (s.executeStep())
        out.push_back(ManualExpedite{s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                                     column_value(s, 3), column_value(s, 4)});
    s.reset();
    return out;
}

std::int64_t MessageTables::count_messages(const std::string& from_utc, const std::string& to_utc) {
    auto& s = database_.statement("SELECT count(*) FROM messages WHERE sent_at >= ? AND sent_at < min(?, ?)");
    s.bind(1, from_utc);
    s.bind(2, to_utc);
    s.bind(3, database_.as_of().end_utc);
    s.executeStep();
    const auto n = s.getColumn(0).getInt64();
    s.reset();
    return n;
}

}  // namespace fbtrack
