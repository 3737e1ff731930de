#pragma once
// What is worth waking the seller for, as of now: a new request to ship faster (with the reply
// drafted), a buyer message unanswered for 20 hours, a new 1-3 star rating with its verdict, a
// removal window closing within 14 days, a closure notice due before closed days. Each alert has a
// key that names its event, so that it is sent once.
#include "app/AppContext.h"
#include "catalogue/Sentences.h"

#include <filesystem>
#include <string>
#include <vector>

namespace fbtrack {

// An alert as facts: what happened, to which order, how urgent, and the names of the sentences
// (templates/notify.LANG.json) that say it. A front end says it in its own words from these;
// compose_alert_mail is the mail's.
struct Alert {
    std::string key;       // e.g. "expedite:503-…:2026-11-29T01:00:00Z"
    std::string kind;      // expedite, unanswered, rating, removal_deadline, closed_days
    std::string order_id;  // may be empty
    double hours_left = 1e9;  // to order the most urgent first
    // The sentences that say it, and their facts: "subject_expedite_overdue" and "expedite_overdue",
    // with order, received, hours …
    std::string subject_sentence, text_sentence;
    Sentences::Facts facts;
    std::string verdict;  // a rating's verdict code (removable, context_only, …); empty for other kinds
    // A risk's action and note, as the risk finder words them (removal_deadline, closed_days).
    std::string action;
    std::optional<std::string> note;
    // The draft that helps, under its label ("draft_accept" with ship_on, …); or why none could
    // be written (a draft that failed its lint).
    struct Draft {
        std::string label_sentence;
        Sentences::Facts label_facts;
        std::string text;
    };
    std::optional<Draft> draft;
    std::optional<std::string> draft_refused;
};

struct AlertWindows {
    // A buyer message is worth an alert from this age on (Amazon expects an answer within 24).
    static constexpr int unanswered_hours = 20;
    // Older events are history, not alerts: a first notify on years of mail sends no flood.
    static constexpr int request_days = 3;
    static constexpr int message_days = 3;
    static constexpr int rating_days = 30;
};

// Every alert due now, most urgent first, whether sent before or not (the caller asks the store).
std::vector<Alert> find_alerts(const AppContext& context);

struct AlertMail {
    std::string subject, text;
};
// The Message-ID of the mail of these alerts, "<alerts.HEX@fbtrack>": HEX is a hash of the shop
// and of the alerts' keys, in whatever order. A mail sent again for the same alerts (the server
// went silent the first time) is thus the same message to mail programs and servers, which show
// or keep it once.
std::string alert_message_id(const std::string& shop, const std::vector<Alert>& alerts);

// An alert's subject line and its paragraph (with its draft) in `texts` (templates/notify.LANG.json).
struct AlertWords {
    std::string subject, text;
};
AlertWords alert_words(const Alert& alert, const Sentences& texts);

// One mail for the alerts: the subject of the most urgent (and how many more), each alert's text.
AlertMail compose_alert_mail(const std::vector<Alert>& alerts, const Catalogue& data,
                             const std::string& lang, const std::string& shop_name, const std::string& now_local);

}  // namespace fbtrack
