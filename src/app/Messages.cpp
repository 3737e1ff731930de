#include "app/Messages.h"

#include "analysis/ShopCalendar.h"
#include "app/Shop.h"
#include "core/Errors.h"
#include "text/Dates.h"
#include "text/Ids.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace fbtrack {

std::vector<MessageEntry> messages_of(Store& store, const MessagesRequest& request) {
    auto messages = store.messaging().messages(request.order_id, true);
    const auto pairs = pair_replies(messages);
    std::vector<MessageEntry> entries(messages.size());
    for (const auto& p : pairs) {
        if (p.reply) entries[p.buyer].replied_at = messages[*p.reply].sent_at;
        entries[p.buyer].reply_hours = p.hours;
    }
    for (std::size_t i = 0; i < messages.size(); ++i) entries[i].message = std::move(messages[i]);
    return entries;
}

namespace {

std::vector<ExpediteRequest> all_expedite_requests(const AppContext& c) {
    const auto messages = c.store.messaging().messages(std::nullopt, false);
    return expedite_requests(messages, pair_replies(messages), c.store.messaging().manual_expedites());
}

ExpediteEntry entry_of(const ShopCalendar& calendar, ExpediteRequest r) {
    ExpediteEntry e{std::move(r), std::nullopt};
    // Amazon counts clock hours; the shop's own working hours show how fast it was on its own terms.
    if (e.request.replied_at)
        e.reply_working_hours =
            std::round(calendar.working_hours_between(from_iso_utc(e.request.requested_at), from_iso_utc(*e.request.replied_at)) * 10) / 10;
    return e;
}

}  // namespace

std::vector<ExpediteEntry> expedite_list(const AppContext& c) {
    const ShopCalendar calendar(c.shop, c.marketplace, c.data, c.lang);
    std::vector<ExpediteEntry> entries;
    for (auto& r : all_expedite_requests(c)) entries.push_back(entry_of(calendar, std::move(r)));
    return entries;
}

ExpeditePage newest_expedite_requests(const AppContext& c, std::size_t most) {
    const ShopCalendar calendar(c.shop, c.marketplace, c.data, c.lang);
    auto requests = all_expedite_requests(c);
    ExpeditePage page;
    page.total = requests.size();
    for (auto it = requests.rbegin(); it != requests.rend() && page.newest.size() < most; ++it)
        page.newest.push_back(entry_of(calendar, std::move(*it)));
    return page;
}

ExpediteRecord record_expedite(Store& store, const Marketplace& marketplace, const ExpediteRecordRequest& request) {
    using Refusal = ExpediteRecord::Refusal;
    using Field = ExpediteRecord::Field;
    ExpediteRecord answer;
    if (!is_order_id(request.order_id)) {
        answer.refused = Refusal::not_an_order_id;
        answer.found = request.order_id;
        return answer;
    }
    if (request.declined_at && request.accepted_at) {
        answer.refused = Refusal::declined_and_accepted;
        return answer;
    }
    const auto time_of = [&](Field field, const std::string& text) -> std::optional<std::string> {
        try {
            return to_iso_utc(parse_timestamp(text, marketplace.zone));
        } catch (const ValueError& e) {
            answer.refused = Refusal::time_not_understood;
            answer.field = field;
            answer.found = text;
            answer.expected = english(e.expected());
            return std::nullopt;
        }
    };
    ManualExpedite& e = answer.recorded;
    e.order_id = request.order_id;
    const auto requested = time_of(Field::requested_at, request.requested_at);
    if (!requested) return answer;
    e.requested_at = *requested;
    if (request.declined_at) {
        e.reply = "declined";
        e.replied_at = time_of(Field::declined_at, *request.declined_at);
    } else if (request.accepted_at) {
        e.reply = "accepted";
        e.replied_at = time_of(Field::accepted_at, *request.accepted_at);
    }
    if (answer.refused != Refusal::none) return answer;
    if (e.replied_at && *e.replied_at < e.requested_at) {
        answer.refused = Refusal::reply_before_request;
        return answer;
    }
    e.note = request.note;
    Store::Transaction tx(store);
    remember_marketplace(store, marketplace);
    answer.outcome = store.upsert(e);
    tx.commit();
    return answer;
}

ExpediteReply expedite_reply(const AppContext& c, const ExpediteReplyRequest& request) {
    ExpediteReply answer;
    if (request.accept && request.decline) {
        answer.refused = ExpediteReply::Refusal::accept_and_decline;
        return answer;
    }
    const auto order = c.store.orders().order(request.order_id);
    if (!order || !order->purchased_at) {
        answer.refused = ExpediteReply::Refusal::order_not_imported;
        return answer;
    }
    const auto& zone = c.marketplace.zone;
    const ShopCalendar calendar(c.shop, c.marketplace, c.data, c.lang);
    const Date today = c.today();
    const Date ordered = local_date_of(from_iso_utc(*order->purchased_at), zone);
    const auto [ship_by, estimated] = calendar.ship_by_of(*order);

    std::map<std::string, std::string> facts;
    std::string name;
    if (request.accept) {
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
    const DraftWriter writer(c.data, c.marketplace, c.shop);
    answer.draft = writer.write_message(name, facts, c.lang);
    answer.estimated = estimated;
    return answer;
}

}  // namespace fbtrack
