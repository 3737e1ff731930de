#include "analysis/Conversations.h"

#include "text/Dates.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace fbtrack {

double hours_between(const std::string& from_utc, const std::string& to_utc) {
    const auto d = from_iso_utc(to_utc) - from_iso_utc(from_utc);
    return static_cast<double>(d.total_seconds()) / 3600.0;
}

namespace {
double one_decimal(double v) { return std::round(v * 10.0) / 10.0; }
}  // namespace

std::vector<ReplyPairing> pair_replies(const std::vector<StoredMessage>& messages) {
    std::vector<ReplyPairing> pairs;
    std::vector<std::optional<std::size_t>> reply_of(messages.size());
    std::map<std::string, std::vector<std::size_t>> pending_by_order, pending_by_alias;

    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& m = messages[i];
        if (m.direction == "buyer") {
            if (m.order_id) pending_by_order[*m.order_id].push_back(i);
            if (m.buyer_alias) pending_by_alias[*m.buyer_alias].push_back(i);
            continue;
        }
        auto answer = [&](std::size_t b) {
            if (!reply_of[b] && messages[b].sent_at <= m.sent_at) reply_of[b] = i;
        };
        // A reply to another alias about the same order answers nobody: an order ID is no secret,
        // the alias the reply went to is.
        auto same_buyer = [&](std::size_t b) {
            return !m.buyer_alias || !messages[b].buyer_alias || *m.buyer_alias == *messages[b].buyer_alias;
        };
        if (m.order_id) {
            if (auto it = pending_by_order.find(*m.order_id); it != pending_by_order.end()) {
                std::vector<std::size_t> still;
                for (auto b : it->second) {
                    if (same_buyer(b)) answer(b);
                    if (!reply_of[b]) still.push_back(b);
                }
                it->second.swap(still);
            }
        }
        if (m.buyer_alias) {
            if (auto it = pending_by_alias.find(*m.buyer_alias); it != pending_by_alias.end()) {
                std::vector<std::size_t> still;
                for (auto b : it->second) {
                    // A reply about one order does not answer the same buyer's message about another.
                    if (!m.order_id || !messages[b].order_id || messages[b].order_id == m.order_id) answer(b);
                    if (!reply_of[b]) still.push_back(b);
                }
                it->second.swap(still);
            }
        }
    }
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (messages[i].direction != "buyer") continue;
        ReplyPairing p;
        p.buyer = i;
        p.reply = reply_of[i];
        if (p.reply) p.hours = hours_between(messages[i].sent_at, messages[*p.reply].sent_at);
        pairs.push_back(p);
    }
    return pairs;
}

std::optional<double> ReplyStats::share_within_24h() const {
    const std::size_t due = within_24h + later + open_overdue;
    if (due == 0) return std::nullopt;
    return static_cast<double>(within_24h) / static_cast<double>(due);
}

ReplyStats reply_stats(const std::vector<StoredMessage>& messages, const std::vector<ReplyPairing>& pairs,
                       const boost::posix_time::ptime& now) {
    ReplyStats s;
    for (const auto& p : pairs) {
        ++s.buyer_messages;
        if (p.hours) {
            if (*p.hours <= 24.0) ++s.within_24h;
            else ++s.later;
        } else {
            const auto waited = now - from_iso_utc(messages[p.buyer].sent_at);
            if (waited > boost::posix_time::hours(24)) ++s.open_overdue;
            else ++s.open_recent;
        }
    }
    return s;
}

std::vector<ExpediteRequest> expedite_requests(const std::vector<StoredMessage>& messages,
                                               const std::vector<ReplyPairing>& pairs,
                                               const std::vector<ManualExpedite>& manual) {
    std::vector<ExpediteRequest> out;
    // Sized once, at most one per request message and manual entry: a grown vector of a large
    // shop's requests would briefly need twice the room.
    std::size_t at_most = manual.size();
    for (const auto& p : pairs) at_most += messages[p.buyer].classification == "expedite_request" ? 1 : 0;
    out.reserve(at_most);
    // Follow-ups before the seller answered belong to the first request.
    std::map<std::string, std::optional<std::size_t>> last_reply_by_order;
    for (const auto& p : pairs) {
        const auto& m = messages[p.buyer];
        if (m.classification != "expedite_request") continue;
        const std::string order = m.order_id.value_or("");
        if (auto it = last_reply_by_order.find(order); it != last_reply_by_order.end() && it->second == p.reply && !order.empty())
            continue;
        last_reply_by_order[order] = p.reply;
        ExpediteRequest r;
        r.order_id = order;
        r.requested_at = m.sent_at;
        r.source = m.source;
        r.phrase = m.phrase;
        if (p.reply) {
            const auto& reply = messages[*p.reply];
            r.reply = reply.classification == "decline" ? "declined"
                      : reply.classification == "acceptance" ? "accepted"
                                                              : "other";
            r.replied_at = reply.sent_at;
            r.reply_hours = one_decimal(*p.hours);
            r.reply_phrase = reply.phrase;
        }
        out.push_back(std::move(r));
    }
    for (const auto& e : manual) {
        ExpediteRequest r;
        r.order_id = e.order_id;
        r.requested_at = e.requested_at;
        r.reply = e.reply;
        r.replied_at = e.replied_at;
        if (e.replied_at) r.reply_hours = one_decimal(hours_between(e.requested_at, *e.replied_at));
        r.source = "manual";
        r.note = e.note;
        out.push_back(std::move(r));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const ExpediteRequest& a, const ExpediteRequest& b) { return a.requested_at < b.requested_at; });
    return out;
}

MessageTimeline load_message_timeline(Store& store) {
    MessageTimeline t;
    t.messages = store.messaging().messages(std::nullopt, false);
    t.pairs = pair_replies(t.messages);
    t.requests = expedite_requests(t.messages, t.pairs, store.messaging().manual_expedites());
    return t;
}

}  // namespace fbtrack
