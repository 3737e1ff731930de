#include "commands/MessagesCommand.h"
#include "core/Json.h"
#include "text/JsonText.h"

#include "analysis/Conversations.h"
#include "analysis/ShopCalendar.h"
#include "catalogue/ShopSettings.h"
#include "text/TerminalText.h"
#include "drafts/DraftWriter.h"
#include "core/Errors.h"
#include "text/Dates.h"
#include "text/Ids.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <boost/date_time/local_time/local_time.hpp>

#include <cmath>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

namespace fbtrack {

namespace {

std::string local_time(const Session& session, const std::string& utc) {
    const auto t = from_iso_utc(utc);
    const auto& zone = session.marketplace().zone;
    return to_local_minutes(t, zone) + " " + boost::local_time::local_date_time(t, zone).zone_abbrev();
}

// A subject on one line: its own line breaks as spaces, anything else a terminal would act on shown
// as an escape.
std::string one_line(std::string text, std::size_t limit) {
    for (auto& c : text)
        if (c == '\n' || c == '\t') c = ' ';
    return for_terminal(text, limit);
}

}  // namespace

void run_messages(Session& session, const MessagesOptions& options) {
    Store& store = session.store();
    const auto messages = store.messaging().messages(options.order_id, true);
    const auto pairs = pair_replies(messages);
    std::map<std::size_t, const ReplyPairing*> pair_of;
    for (const auto& p : pairs) pair_of[p.buyer] = &p;
    auto& out = session.out();

    if (options.json) {
        Poco::JSON::Array list;
        for (std::size_t i = 0; i < messages.size(); ++i) {
            const auto& m = messages[i];
            Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
            o.set("order_id", json_or_null(m.order_id));
            o.set("sent_at", m.sent_at);
            o.set("direction", m.direction);
            o.set("buyer_alias", json_or_null(m.buyer_alias));
            o.set("subject", m.subject);
            o.set("classification", m.classification);
            o.set("phrase", json_or_null(m.phrase));
            o.set("source", m.source);
            o.set("decoding_note", json_or_null(m.decoding_note));
            if (m.direction == "buyer") {
                const auto* p = pair_of.at(i);
                o.set("replied_at", p->reply ? Poco::Dynamic::Var(messages[*p->reply].sent_at) : Poco::Dynamic::Var());
                o.set("reply_hours", p->hours ? Poco::Dynamic::Var(std::round(*p->hours * 10) / 10) : Poco::Dynamic::Var());
            }
            o.set("body", m.body);
            list.add(o);
        }
        write_json(out, list);
        out << "\n";
        return;
    }
    if (messages.empty()) {
        out << "No messages" << (options.order_id ? " for order " + *options.order_id : std::string()) << ".\n";
        return;
    }
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& m = messages[i];
        out << local_time(session, m.sent_at) << "  " << std::left << std::setw(6) << m.direction << "  "
            << std::setw(19) << m.order_id.value_or("(no order ID)") << "  " << m.classification;
        if (m.phrase) out << " (「" << *m.phrase << "」)";
        if (m.direction == "buyer") {
            const auto* p = pair_of.at(i);
            if (p->hours) out << ", answered after " << std::fixed << std::setprecision(1) << *p->hours << " h";
            else out << ", not answered";
        }
        out << "\n    " << one_line(m.subject, 100) << "\n";
    }
}

void run_expedite_list(Session& session, const ExpediteListOptions& options) {
    Store& store = session.store();
    const ShopSettings shop = session.shop();
    const ShopCalendar calendar(shop, session.marketplace(), session.data(), session.lang());
    // Amazon counts clock hours; the shop's own working hours show how fast it was on its own terms.
    auto working_hours = [&](const ExpediteRequest& r) -> std::optional<double> {
        if (!r.replied_at) return std::nullopt;
        return std::round(calendar.working_hours_between(from_iso_utc(r.requested_at), from_iso_utc(*r.replied_at)) * 10) / 10;
    };
    const auto messages = store.messaging().messages(std::nullopt, false);
    const auto requests = expedite_requests(messages, pair_replies(messages), store.messaging().manual_expedites());
    auto& out = session.out();
    if (options.json) {
        Poco::JSON::Array list;
        for (const auto& r : requests) {
            Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
            o.set("order_id", r.order_id.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.order_id));
            o.set("requested_at", r.requested_at);
            o.set("reply", r.reply);
            o.set("replied_at", json_or_null(r.replied_at));
            o.set("reply_hours", json_or_null(r.reply_hours));
            const auto working = working_hours(r);
            o.set("reply_working_hours", json_or_null(working));
            o.set("source", r.source);
            o.set("phrase", json_or_null(r.phrase));
            o.set("reply_phrase", json_or_null(r.reply_phrase));
            o.set("note", json_or_null(r.note));
            list.add(o);
        }
        write_json(out, list);
        out << "\n";
        return;
    }
    if (requests.empty()) {
        out << "No expedite requests found. Import the mail that holds your buyer messages, or record one with "
               "'fbtrack expedite add'.\n";
        return;
    }
    for (const auto& r : requests) {
        out << local_time(session, r.requested_at) << "  " << std::left << std::setw(19)
            << (r.order_id.empty() ? "(no order ID)" : r.order_id) << "  " << std::setw(8) << r.reply;
        if (r.reply_hours)
            out << " after " << std::fixed << std::setprecision(1) << *r.reply_hours << " h (" << *working_hours(r)
                << " working h)";
        out << "  [" << r.source << "]";
        if (r.phrase) out << " request: 「" << *r.phrase << "」";
        if (r.reply_phrase) out << " reply: 「" << *r.reply_phrase << "」";
        if (r.note) out << " note: " << for_terminal(*r.note, 200);
        out << "\n";
    }
}

void run_expedite_add(Session& session, const ExpediteAddOptions& options) {
    if (!is_order_id(options.order_id))
        throw UsageError("expedite add: found '" + options.order_id + "', expected an order ID like 250-1234567-1234567");
    if (options.declined_at && options.accepted_at)
        throw UsageError("expedite add: give --declined-at or --accepted-at, not both");
    auto time_of = [&](const std::string& option, const std::string& text) {
        try {
            return to_iso_utc(parse_timestamp(text, session.marketplace().zone));
        } catch (const ValueError& e) {
            throw UsageError("expedite add: " + option + ": found '" + text + "', expected " + e.expected() +
                             " (without an offset it is " + session.marketplace().name + " local time)");
        }
    };
    ManualExpedite e;
    e.order_id = options.order_id;
    e.requested_at = time_of("--requested-at", options.requested_at);
    if (options.declined_at) {
        e.reply = "declined";
        e.replied_at = time_of("--declined-at", *options.declined_at);
    } else if (options.accepted_at) {
        e.reply = "accepted";
        e.replied_at = time_of("--accepted-at", *options.accepted_at);
    }
    if (e.replied_at && *e.replied_at < e.requested_at)
        throw UsageError("expedite add: the reply (" + *e.replied_at + ") is before the request (" + e.requested_at + ")");
    e.note = options.note;
    Store::Transaction tx(session.store());
    session.remember_marketplace();
    const auto outcome = session.store().upsert(e);
    tx.commit();
    session.out() << "Expedite request for " << e.order_id << " at " << local_time(session, e.requested_at) << ": "
                  << e.reply << (outcome == RowOutcome::added ? " (recorded)" : outcome == RowOutcome::updated ? " (updated)" : " (already recorded)")
                  << "\n";
}

void run_expedite_reply(Session& session, const ExpediteReplyOptions& options) {
    if (options.accept && options.decline) throw UsageError("expedite reply: give --accept or --decline, not both");
    const auto order = session.store().orders().order(options.order_id);
    if (!order || !order->purchased_at)
        throw MissingInputError("order " + options.order_id + " is not imported; import the order report first, so "
                                "that the reply can give its ship-by date");
    const ShopSettings shop = session.shop();
    const auto& zone = session.marketplace().zone;
    const ShopCalendar calendar(shop, session.marketplace(), session.data(), session.lang());
    const Date today = local_date_of(session.clock().now_utc(), zone);
    const Date ordered = local_date_of(from_iso_utc(*order->purchased_at), zone);
    const auto [ship_by, estimated] = calendar.ship_by_of(*order);

    std::map<std::string, std::string> facts;
    std::string name;
    if (options.accept) {
        name = "expedite_accept";
        facts["ship_on"] = to_iso_date(calendar.next_open_day(today));
    } else {
        name = "expedite_decline";
        facts["ship_by"] = to_iso_date(ship_by);
        facts["estimated"] = estimated ? "yes" : "";
        const auto stretches = calendar.closed_stretches(std::max(today, ordered), ship_by);
        if (!stretches.empty()) {
            facts["closed_from"] = to_iso_date(stretches.front().first);
            facts["closed_to"] = to_iso_date(stretches.front().last);
            facts["closed_reasons"] = calendar.reasons_of(stretches.front());
        }
    }
    const DraftWriter writer(session.data(), session.marketplace(), shop);
    const Draft draft = writer.write_message(name, facts, session.lang());
    session.out() << draft.text;
    session.err() << "(" << draft.characters << (session.lang() == "ja" ? " 文字" : " characters");
    if (estimated && !options.accept)
        session.err() << (session.lang() == "ja" ? "; 発送期限は注文日と発送までの営業日数から推定" : "; the ship-by date is estimated from your handling time");
    session.err() << ")\n";
}

}  // namespace fbtrack
