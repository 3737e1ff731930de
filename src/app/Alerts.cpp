#include "app/Alerts.h"

#include "analysis/Conversations.h"
#include "analysis/RatingCase.h"
#include "app/Risks.h"
#include "analysis/ShopCalendar.h"
#include "catalogue/Sentences.h"
#include "drafts/DraftWriter.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cmath>

namespace fbtrack {

namespace {

using boost::posix_time::hours;

std::string whole_hours(double h) { return std::to_string(static_cast<long>(std::floor(std::max(0.0, h)))); }

std::string indented(const std::string& text) {
    std::string out = "  ";
    for (const char c : text) {
        out += c;
        if (c == '\n') out += "  ";
    }
    return out;
}

}  // namespace

std::vector<Alert> find_alerts(const AppContext& context) {
    Store& store = context.store;
    const Marketplace& marketplace = context.marketplace;
    const ShopSettings& shop = context.shop;
    const Catalogue& data_dir = context.data;
    const std::string& lang = context.lang;
    const UtcTime& now = context.now;
    const auto& zone = marketplace.zone;
    const Date today = local_date_of(now, zone);
    const Sentences texts(data_dir, "templates/notify." + lang + ".json");
    const ShopCalendar calendar(shop, marketplace, data_dir, lang);
    const DraftWriter drafts(data_dir, marketplace, shop);
    const MessageTimeline timeline = load_message_timeline(store);
    std::vector<Alert> out;
    auto order_shown = [&](const std::string& id) { return id.empty() ? texts("no_order") : id; };

    // A request to ship faster without an answer: the reply drafted, accepting when the calendar
    // allows shipping before the ship-by date, else the polite decline.
    std::set<std::pair<std::string, std::string>> requests_alerted;  // (order ID or "", requested_at)
    for (const auto& r : timeline.requests) {
        if (r.reply != "none" || r.source != "mail") continue;
        const auto asked = from_iso_utc(r.requested_at);
        if (asked > now || now - asked > hours(24 * AlertWindows::request_days)) continue;
        const double left = 24.0 - static_cast<double>((now - asked).total_seconds()) / 3600.0;
        Alert a;
        a.kind = "expedite";
        a.order_id = r.order_id;
        a.key = "expedite:" + r.order_id + ":" + r.requested_at;
        a.hours_left = left;
        const std::string hours_text = whole_hours(left >= 0 ? left : -left);
        a.facts = {{"order", order_shown(r.order_id)}, {"received", to_local_minutes(asked, zone)}, {"hours", hours_text}};
        a.subject_sentence = left >= 0 ? "subject_expedite" : "subject_expedite_overdue";
        a.text_sentence = left >= 0 ? "expedite" : "expedite_overdue";
        // Without the order report the ship-by date is unknown: the decline then promises only
        // the date given when the buyer ordered.
        std::map<std::string, std::string> draft_facts;
        std::string name = "expedite_decline";
        Alert::Draft draft;
        const auto order = r.order_id.empty() ? std::nullopt : store.orders().order(r.order_id);
        if (order && order->purchased_at) {
            const auto ship_by = calendar.ship_by_of(*order);
            const Date sooner = calendar.next_open_day(today);
            if (sooner < ship_by.date) {
                name = "expedite_accept";
                draft_facts["ship_on"] = to_iso_date(sooner);
                draft.label_sentence = "draft_accept";
                draft.label_facts = {{"ship_on", to_iso_date(sooner)}};
            } else {
                draft_facts["ship_by"] = to_iso_date(ship_by.date);
                draft_facts["estimated"] = ship_by.estimated ? "yes" : "";
                draft.label_sentence = "draft_decline";
                draft.label_facts = {{"ship_by", to_iso_date(ship_by.date)}};
            }
        } else {
            draft.label_sentence = "draft_decline_no_order";
        }
        try {
            draft.text = drafts.write_message(name, draft_facts, lang).text;
            a.draft = std::move(draft);
        } catch (const DraftLintError& e) {
            a.draft_refused = e.what();
        }
        requests_alerted.insert({r.order_id, r.requested_at});
        out.push_back(std::move(a));
    }

    // Buyer messages unanswered for 20 hours, before the 24 run out (and after, for three days).
    for (const auto& p : timeline.pairs) {
        if (p.reply && from_iso_utc(timeline.messages[*p.reply].sent_at) <= now) continue;
        const auto& m = timeline.messages[p.buyer];
        const auto sent = from_iso_utc(m.sent_at);
        if (sent > now) continue;
        const auto age = now - sent;
        if (age < hours(AlertWindows::unanswered_hours) || age > hours(24 * AlertWindows::message_days)) continue;
        if (m.classification == "expedite_request" && requests_alerted.count({m.order_id.value_or(""), m.sent_at})) continue;
        Alert a;
        a.kind = "unanswered";
        a.order_id = m.order_id.value_or("");
        a.key = "unanswered:" + m.message_key;
        const double age_hours = static_cast<double>(age.total_seconds()) / 3600.0;
        a.hours_left = 24.0 - age_hours;
        a.facts = {{"order", order_shown(a.order_id)}, {"received", to_local_minutes(sent, zone)}, {"hours", whole_hours(age_hours)}};
        a.subject_sentence = "subject_unanswered";
        a.text_sentence = age_hours < 24 ? "unanswered" : "unanswered_overdue";
        out.push_back(std::move(a));
    }

    // New 1-3 star ratings, with the verdict; and removal windows closing soon.
    Correlator correlator(store, marketplace, shop, data_dir, lang, today);
    for (const auto& c : correlator.cases(today - boost::gregorian::days(AlertWindows::rating_days), today)) {
        Alert a;
        a.kind = "rating";
        a.order_id = c.rating.order_id;
        a.key = "rating:" + c.rating.order_id + ":" + c.rating.rated_on;
        a.hours_left = 24.0 * static_cast<double>(c.days_left_to_request);
        a.verdict = c.verdict;
        a.facts = {{"order", c.rating.order_id}, {"stars", std::to_string(c.rating.rating)}, {"rated_on", c.rating.rated_on},
                   {"request_by", to_iso_date(c.request_by)}};
        a.subject_sentence = "subject_rating";
        a.text_sentence = "rating";
        out.push_back(std::move(a));
    }
    for (const auto& r : drafted_risks(context, correlator, timeline, drafts)) {
        if (r.kind != "removal_deadline" && r.kind != "closed_days") continue;
        Alert a;
        a.kind = r.kind;
        a.order_id = r.order_id;
        a.key = r.kind + ":" + r.order_id + ":" + (r.due ? to_iso_date(*r.due) : std::string());
        a.hours_left = r.due ? 24.0 * static_cast<double>((*r.due - today).days()) : 1e6;
        const std::string days_left = r.due ? std::to_string(std::max(0L, static_cast<long>((*r.due - today).days()))) : "";
        a.facts = {{"order", order_shown(r.order_id)}, {"days", days_left}};
        a.subject_sentence = "subject_" + r.kind;
        a.action = r.action;
        a.note = r.note;
        if (r.draft) a.draft = Alert::Draft{"draft", {}, *r.draft};
        out.push_back(std::move(a));
    }
    std::stable_sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) { return a.hours_left < b.hours_left; });
    return out;
}

std::string alert_message_id(const std::string& shop, const std::vector<Alert>& alerts) {
    // Sorted: the order of the alerts follows the hours left, which change between two tries.
    std::vector<std::string> keys;
    for (const auto& a : alerts) keys.push_back(a.key);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    // NUL between the parts: no shop name and key can run into another's.
    engine.update(shop);
    for (const auto& k : keys) {
        engine.update('\0');
        engine.update(k);
    }
    return "<alerts." + Poco::DigestEngine::digestToHex(engine.digest()).substr(0, 32) + "@fbtrack>";
}

AlertWords alert_words(const Alert& a, const Sentences& texts) {
    AlertWords words;
    Sentences::Facts facts = a.facts;
    if (!a.verdict.empty()) facts.emplace_back("verdict", texts("verdict_" + a.verdict));
    words.subject = texts(a.subject_sentence, facts);
    if (!a.text_sentence.empty()) words.text = texts(a.text_sentence, facts);
    else words.text = a.action + (a.note ? "\n" + *a.note : std::string());
    if (a.draft) words.text += "\n\n" + texts(a.draft->label_sentence, a.draft->label_facts) + "\n" + indented(a.draft->text);
    if (a.draft_refused) words.text += "\n\n" + *a.draft_refused;
    return words;
}

AlertMail compose_alert_mail(const std::vector<Alert>& alerts, const Catalogue& data_dir,
                             const std::string& lang, const std::string& shop_name, const std::string& now_local) {
    const Sentences texts(data_dir, "templates/notify." + lang + ".json");
    AlertMail mail;
    if (alerts.empty()) return mail;
    std::vector<AlertWords> words;
    for (const auto& a : alerts) words.push_back(alert_words(a, texts));
    mail.subject = alerts.size() == 1 ? words.front().subject
                                      : texts("subject_more", {{"first", words.front().subject},
                                                               {"more", std::to_string(alerts.size() - 1)}});
    mail.text = texts("intro", {{"shop", shop_name}, {"now", now_local}}) + "\n";
    for (std::size_t i = 0; i < alerts.size(); ++i)
        mail.text += "\n" + std::to_string(i + 1) + ". " + words[i].subject + "\n" + words[i].text + "\n";
    mail.text += "\n-- \n" + texts("footer") + "\n";
    return mail;
}

}  // namespace fbtrack
