#include "commands/MessagesCommand.h"
#include "core/Json.h"
#include "text/JsonText.h"

#include "app/Messages.h"
#include "app/Orders.h"
#include "app/Words.h"
#include "core/Errors.h"
#include "text/Dates.h"
#include "text/TerminalText.h"

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
    std::optional<std::string> order_id;
    if (options.order_id) order_id = resolve_order_id(session.store(), *options.order_id);
    const auto entries = messages_of(session.store(), MessagesRequest{order_id});
    auto& out = session.out();

    if (options.json) {
        Poco::JSON::Array list;
        for (const auto& e : entries) {
            const auto& m = e.message;
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
                o.set("replied_at", json_or_null(e.replied_at));
                o.set("reply_hours", e.reply_hours ? Poco::Dynamic::Var(std::round(*e.reply_hours * 10) / 10) : Poco::Dynamic::Var());
            }
            o.set("body", m.body);
            list.add(o);
        }
        write_json(out, list);
        out << "\n";
        return;
    }
    const Sentences words = output_words(session.data(), session.lang());
    if (entries.empty()) {
        out << for_terminal(order_id ? words("messages_none_for", {{"order", *order_id}}) : words("messages_none")) << "\n";
        return;
    }
    // What was stored comes from mail and the seller's phrase files, the words from a sentence
    // file: shown as a terminal cannot act on.
    for (const auto& e : entries) {
        const auto& m = e.message;
        out << local_time(session, m.sent_at) << "  " << for_terminal(padded(word_for(words, "direction", m.direction), 6)) << "  "
            << for_terminal(padded(m.order_id.value_or(words("no_order_id")), 19)) << "  "
            << for_terminal(word_for(words, "class", m.classification));
        if (m.phrase) out << " (「" << for_terminal(*m.phrase) << "」)";
        if (m.direction == "buyer") {
            std::ostringstream hours;
            if (e.reply_hours) hours << std::fixed << std::setprecision(1) << *e.reply_hours;
            out << for_terminal(e.reply_hours ? words("messages_answered", {{"hours", hours.str()}}) : words("messages_not_answered"));
        }
        out << "\n    " << one_line(m.subject, 100) << "\n";
    }
}

void run_expedite_list(Session& session, const ExpediteListOptions& options) {
    const AppContext context = session.app_context();
    const auto entries = expedite_list(context);
    auto& out = session.out();
    if (options.json) {
        Poco::JSON::Array list;
        for (const auto& e : entries) {
            const auto& r = e.request;
            Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
            o.set("order_id", r.order_id.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.order_id));
            o.set("requested_at", r.requested_at);
            o.set("reply", r.reply);
            o.set("replied_at", json_or_null(r.replied_at));
            o.set("reply_hours", json_or_null(r.reply_hours));
            o.set("reply_working_hours", json_or_null(e.reply_working_hours));
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
    const Sentences words = output_words(context.data, context.lang);
    if (entries.empty()) {
        out << for_terminal(words("expedite_none")) << "\n";
        return;
    }
    for (const auto& e : entries) {
        const auto& r = e.request;
        out << local_time(session, r.requested_at) << "  " << for_terminal(padded(r.order_id.empty() ? words("no_order_id") : r.order_id, 19))
            << "  " << for_terminal(padded(word_for(words, "expedite_reply", r.reply), 8));
        if (r.reply_hours) {
            std::ostringstream hours, working;
            hours << std::fixed << std::setprecision(1) << *r.reply_hours;
            working << std::fixed << std::setprecision(1) << *e.reply_working_hours;
            out << for_terminal(words("expedite_after", {{"hours", hours.str()}, {"working", working.str()}}));
        }
        out << for_terminal(words("expedite_source", {{"source", word_for(words, "source", r.source)}}));
        if (r.phrase) out << for_terminal(words("expedite_request", {{"phrase", *r.phrase}}));
        if (r.reply_phrase) out << for_terminal(words("expedite_reply", {{"phrase", *r.reply_phrase}}));
        if (r.note) out << for_terminal(words("expedite_note", {{"note", for_terminal(*r.note, 200)}}));
        out << "\n";
    }
}

void run_expedite_add(Session& session, const ExpediteAddOptions& options) {
    using Refusal = ExpediteRecord::Refusal;
    const auto record = record_expedite(session.store(), session.marketplace(),
                                        ExpediteRecordRequest{resolve_order_id(session.store(), options.order_id), options.requested_at, options.declined_at,
                                                              options.accepted_at, options.note});
    const ManualExpedite& e = record.recorded;
    switch (record.refused) {
        case Refusal::none:
            break;
        case Refusal::not_an_order_id:
            throw UsageError("expedite add: found '" + record.found + "', expected an order ID like 250-1234567-1234567");
        case Refusal::declined_and_accepted:
            throw UsageError("expedite add: give --declined-at or --accepted-at, not both");
        case Refusal::time_not_understood: {
            const std::string option = record.field == ExpediteRecord::Field::requested_at  ? "--requested-at"
                                       : record.field == ExpediteRecord::Field::declined_at ? "--declined-at"
                                                                                            : "--accepted-at";
            throw UsageError("expedite add: " + option + ": found '" + record.found + "', expected " + record.expected +
                             " (without an offset it is " + session.marketplace().name + " local time)");
        }
        case Refusal::reply_before_request:
            throw UsageError("expedite add: the reply (" + e.replied_at.value_or("") + ") is before the request (" + e.requested_at + ")");
    }
    session.out() << "Expedite request for " << e.order_id << " at " << local_time(session, e.requested_at) << ": " << e.reply
                  << (record.outcome == RowOutcome::added     ? " (recorded)"
                      : record.outcome == RowOutcome::updated ? " (updated)"
                                                              : " (already recorded)")
                  << "\n";
}

void run_expedite_reply(Session& session, const ExpediteReplyOptions& options) {
    const AppContext context = session.app_context();
    const std::string order_id = resolve_order_id(context.store, options.order_id);
    const auto reply = expedite_reply(context, ExpediteReplyRequest{order_id, options.accept, options.decline});
    switch (reply.refused) {
        case ExpediteReply::Refusal::none:
            break;
        case ExpediteReply::Refusal::accept_and_decline:
            throw UsageError("expedite reply: give --accept or --decline, not both");
        case ExpediteReply::Refusal::order_not_imported:
            throw MissingInputError("order " + order_id + " is not imported; import the order report first, so "
                                    "that the reply can give its ship-by date");
    }
    const bool ja = context.lang == "ja";
    session.out() << reply.draft.text;
    session.err() << "(" << reply.draft.characters << (ja ? " 文字" : " characters");
    if (reply.estimated && !options.accept)
        session.err() << (ja ? "; 発送期限は注文日と発送までの営業日数から推定" : "; the ship-by date is estimated from your handling time");
    session.err() << ")\n";
}

}  // namespace fbtrack
