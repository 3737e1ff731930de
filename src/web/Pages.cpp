#include "web/Pages.h"

#include "app/Alerts.h"
#include "app/Calendar.h"
#include "app/MailAccounts.h"
#include "app/MailGaps.h"
#include "app/Messages.h"
#include "app/MonthlyReport.h"
#include "app/Notify.h"
#include "app/Ratings.h"
#include "app/Risks.h"
#include "app/Status.h"
#include "app/Words.h"
#include "catalogue/DataFiles.h"
#include "catalogue/Marketplace.h"
#include "catalogue/ErrorWords.h"
#include "catalogue/SellerCentral.h"
#include "report/HtmlReport.h"
#include "catalogue/Sentences.h"
#include "core/Errors.h"
#include "text/TerminalText.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <deque>

namespace fbtrack {

namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

const data yes{data::type::bool_true};
const data no{data::type::bool_false};

data flag(bool b) { return b ? yes : no; }

// A sentence file's words as one Mustache object, the internal keys left out.
data labels_of(const Sentences& words) {
    data d;
    for (const auto& key : words.keys())
        if (key[0] != '_') d.set(key, words(key));
    return d;
}

std::string render(const Catalogue& files, const std::string& name, const data& d) {
    const std::string file = "templates/web/" + name + ".html";
    mustache tmpl(files.text(file));
    if (!tmpl.is_valid()) data_file_error(files.file(file), tmpl.error_message());
    std::string html = tmpl.render(d);
    if (!tmpl.is_valid()) data_file_error(files.file(file), tmpl.error_message());
    return html;
}

// A box holding a draft, with its Copy button (the tests find it by data-copy).
data draft_box(const std::string& id, const std::string& title, const std::string& text, const Sentences& r) {
    data d;
    d.set("id", id);
    d.set("title", title);
    d.set("text", text);
    d.set("characters", r("characters", {{"count", std::to_string(count_characters(text))}}));
    return d;
}

// The base of every page: the words of both files, the page's language and form token.
data base_of(const Catalogue& files, const PageFrame& f) {
    const Sentences t(files, "templates/web." + f.lang + ".json");
    const Sentences r(files, "templates/report." + f.lang + ".json");
    data d;
    d.set("t", labels_of(t));
    d.set("r", labels_of(r));
    d.set("csrf", f.csrf);
    d.set("lang", f.lang);
    // The pieces several pages share, as Mustache partials ({{>draft_box}}).
    for (const std::string name : {"draft_box", "checklist"}) {
        const std::string file = name == "draft_box" ? "templates/web/_draft.html" : "templates/web/_checklist.html";
        d.set(name, kainjow::mustache::partial([&files, file] { return files.text(file); }));
    }
    return d;
}

// The risks as the use-case ordered them, most urgent first.
data risk_rows(const std::vector<RiskItem>& risks, const Sentences& r, const std::string& id_prefix) {
    data rows{data::type::list};
    int n = 0;
    for (const RiskItem* risk = risks.data(); risk != risks.data() + risks.size(); ++risk) {
        data row;
        row.set("kind", risk->kind);
        row.set("kind_label", r("risk_" + risk->kind));
        row.set("urgent", flag(risk->unanswered));
        row.set("order_id", risk->order_id);
        row.set("has_order", flag(!risk->order_id.empty()));
        // Where the seller acts on it: a rating's page, or the requests and messages.
        row.set("href", risk->kind == "removal_deadline" ? "/ratings/" + risk->order_id : std::string("/requests"));
        row.set("due", risk->due ? to_iso_date(*risk->due) : "");
        row.set("action", risk->action);
        row.set("note", risk->note ? data(for_terminal(*risk->note)) : no);
        row.set("draft", risk->draft ? draft_box(id_prefix + std::to_string(++n), "", *risk->draft, r) : no);
        rows.push_back(row);
    }
    return rows;
}

// A stored UTC time as the seller's clock shows it (the marketplace's zone), to the minute.
std::string local_time_of(const std::string& utc, const AppContext& c) {
    try {
        return to_local_minutes(from_iso_utc(utc), c.marketplace.zone);
    } catch (const std::exception&) {
        return utc;  // a journal of another version's format: shown as kept
    }
}

data list_of(const std::vector<std::string>& items) {
    data list{data::type::list};
    for (const auto& item : items) {
        data d;
        d.set("text", item);
        list.push_back(d);
    }
    return list;
}

// What the last complete month and this one hold of each kind the seller imports; a kind with
// nothing is marked missing (ratings excepted: a month without a 1-3 star rating is a good month).
data month_rows(const AppContext& c, const Sentences& t) {
    data months{data::type::list};
    for (const auto& m : recent_month_contents(c)) {
        data row;
        row.set("month", m.month);
        const auto cell = [&](std::int64_t n) { return n ? data(std::to_string(n)) : data(t("missing")); };
        row.set("orders", cell(m.orders));
        row.set("shipped", cell(m.shipped_orders));
        row.set("ratings", std::to_string(m.ratings));
        row.set("messages", cell(m.messages));
        row.set("lacks_orders", flag(m.orders == 0));
        row.set("lacks_shipped", flag(m.orders > 0 && m.shipped_orders == 0));
        row.set("lacks_messages", flag(m.messages == 0));
        months.push_back(row);
    }
    return months;
}

std::string joined_lines(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : "\n") + item;
    return out;
}

}  // namespace

std::string Pages::word(const std::string& lang, const std::string& key) const {
    return Sentences(data_, "templates/web." + (lang == "en" ? std::string("en") : std::string("ja")) + ".json")(key);
}

std::string Pages::page(const PageFrame& f, const std::string& name, const std::string& title_key, const std::string& body) const {
    const Sentences t(data_, "templates/web." + f.lang + ".json");
    data d = base_of(data_, f);
    d.set("title", t(title_key));
    d.set("body", body);
    d.set("path", f.path.empty() ? "/" : f.path);
    d.set("shop", f.shop);
    d.set("shop_name", f.shop_name.empty() ? t("shop_unnamed") : f.shop_name);
    d.set("other_lang", f.lang == "ja" ? "en" : "ja");
    d.set("other_lang_label", t("switch_to_other_lang"));
    d.set("notice", f.notice.empty() ? no : data(t.has("notice_" + f.notice) ? t("notice_" + f.notice) : f.notice));
    data nav{data::type::list};
    for (const std::string item : {"today", "ratings", "requests", "import", "report", "calendar", "shop", "shops", "mail"}) {
        data link;
        link.set("href", item == "today" ? "/" : "/" + item);
        link.set("label", t("nav_" + item));
        link.set("current", flag(item == name));
        nav.push_back(link);
    }
    d.set("nav", nav);
    return render(data_, "layout", d);
}

std::string Pages::today(AppContext& c, const PageFrame& f) const {
    const Sentences t(data_, "templates/web." + f.lang + ".json");
    const Sentences r(data_, "templates/report." + f.lang + ".json");
    data d = base_of(data_, f);
    d.set("setup_needed", flag(!c.shop.has_name()));
    d.set("staff", joined_lines(c.shop.staff_names));

    data gaps{data::type::list};
    for (const auto& gap : recent_months_without_mail(c)) {
        data g;
        g.set("text", t("gap_month", {{"month", gap.month}, {"ratings", std::to_string(gap.ratings)}, {"orders", std::to_string(gap.orders)}}));
        gaps.push_back(g);
    }
    d.set("has_gaps", flag(!gaps.list_value().empty()));
    d.set("gaps", gaps);

    const auto last = c.store.imports().last_import_at();
    d.set("last_import", last ? t("last_import", {{"at", local_time_of(*last, c)}}) : t("never_imported"));
    d.set("nothing_imported", flag(!last));

    constexpr std::size_t shown_most = 50;
    const UrgentRisks urgent = most_urgent_risks(c, shown_most);
    const data rows = risk_rows(urgent.first, r, "today-");
    d.set("has_risks", flag(!rows.list_value().empty()));
    d.set("risks", rows);
    d.set("more_risks", urgent.more ? data(t("more_risks", {{"count", std::to_string(urgent.more)}})) : no);
    d.set("today", t("today_is", {{"date", to_iso_date(c.today())}}));
    return page(f, "today", "title_today", render(data_, "today", d));
}

std::string Pages::ratings(AppContext& c, const PageFrame& f, const Query& q) const {
    const Sentences r(data_, "templates/report." + f.lang + ".json");
    const Sentences t(data_, "templates/web." + f.lang + ".json");
    const auto get = [&](const std::string& key) {
        const auto it = q.find(key);
        return it == q.end() ? std::string() : it->second;
    };
    const std::string verdict = get("verdict"), stars_wanted = get("stars"), status_wanted = get("status"), period = get("period");
    // Newest first, at most shown_most. The last year by default (what a removal request or reply
    // can still change), built newest first only as far back as the page needs; "all" reads every
    // rating once, keeping only the newest.
    constexpr std::size_t shown_most = 200;
    std::deque<data> newest_first;
    bool more = false;
    // The row of a case the filters keep.
    const auto collect = [&](const RatedCase& rc) -> std::optional<data> {
        const RatingCase& rcase = rc.judged;
        const std::string status = appeal_status_code(appeal_status(rcase));
        if (!verdict.empty() && rcase.verdict != verdict) return std::nullopt;
        if (!stars_wanted.empty() && std::to_string(rcase.rating.rating) != stars_wanted) return std::nullopt;
        if (status_wanted == "open" && (rcase.days_left_to_request < 0 || status == "removed" || status == "refused")) return std::nullopt;
        if (!status_wanted.empty() && status_wanted != "open" && status != status_wanted) return std::nullopt;
        data row;
        row.set("order_id", rcase.rating.order_id);
        row.set("rated_on", rcase.rating.rated_on);
        row.set("stars", stars(rcase.rating.rating));
        row.set("rating", std::to_string(rcase.rating.rating));
        row.set("verdict", rcase.verdict);
        row.set("verdict_label", r("verdict_" + rcase.verdict));
        row.set("status_label", r("status_" + status));
        row.set("days_left", rcase.days_left_to_request >= 0 ? t("days_left_n", {{"days", std::to_string(rcase.days_left_to_request)}})
                                                             : t("window_closed_short"));
        row.set("comment", for_terminal(rcase.rating.comment, 120));
        return row;
    };
    if (period == "all") {
        for_each_rated_case(c, RatingsRequest{}, [&](const RatedCase& rc) {
            if (auto row = collect(rc)) {
                newest_first.push_front(std::move(*row));
                if (newest_first.size() > shown_most) {
                    newest_first.pop_back();
                    more = true;
                }
            }
        });
    } else {
        for_each_rated_case_newest_first(c, c.today() - boost::gregorian::days(365), c.today(), [&](const RatedCase& rc) {
            auto row = collect(rc);
            if (!row) return true;
            if (newest_first.size() == shown_most) {
                more = true;
                return false;
            }
            newest_first.push_back(std::move(*row));
            return true;
        });
    }
    data rows{data::type::list};
    for (auto& row : newest_first) rows.push_back(std::move(row));
    data d = base_of(data_, f);
    d.set("rows", rows);
    d.set("has_rows", flag(!newest_first.empty()));
    d.set("count", t(more ? "ratings_count_more" : "ratings_count", {{"shown", std::to_string(newest_first.size())}}));
    const auto options = [&](const std::vector<std::pair<std::string, std::string>>& values, const std::string& chosen) {
        data list{data::type::list};
        for (const auto& [value, label] : values) {
            data o;
            o.set("value", value);
            o.set("label", label);
            o.set("selected", flag(value == chosen));
            list.push_back(o);
        }
        return list;
    };
    d.set("verdicts", options({{"", t("any")},
                               {"removable", r("verdict_removable")},
                               {"strike_through", r("verdict_strike_through")},
                               {"context_only", r("verdict_context_only")},
                               {"none", r("verdict_none")}},
                              verdict));
    d.set("star_options", options({{"", t("any")}, {"1", stars(1)}, {"2", stars(2)}, {"3", stars(3)}}, stars_wanted));
    d.set("statuses", options({{"", t("any")},
                               {"open", t("status_open")},
                               {"not_submitted", r("status_not_submitted")},
                               {"submitted", r("status_submitted")},
                               {"removed", r("status_removed")},
                               {"refused", r("status_refused")}},
                              status_wanted));
    d.set("periods", options({{"", t("period_year")}, {"all", t("period_all")}}, period));
    return page(f, "ratings", "title_ratings", render(data_, "ratings", d));
}

std::optional<std::string> Pages::rating(AppContext& c, const PageFrame& f, const std::string& order_id) const {
    const Sentences r(data_, "templates/report." + f.lang + ".json");
    const Sentences t(data_, "templates/web." + f.lang + ".json");
    const std::optional<RatedCase> found = rated_case(c, order_id);
    if (!found) return std::nullopt;
    const RatingCase& rc = found->judged;
    data d = base_of(data_, f);
    d.set("order_id", rc.rating.order_id);
    d.set("rated_on", rc.rating.rated_on);
    d.set("stars", stars(rc.rating.rating));
    d.set("comment", for_terminal(rc.rating.comment));
    d.set("verdict", rc.verdict);
    d.set("verdict_label", r("verdict_" + rc.verdict));
    const CaseShown shown = case_shown(rc, r);
    d.set("grounds", shown.grounds);
    d.set("deadline", shown.deadline);
    data timeline{data::type::list};
    for (const auto& e : shown.timeline) {
        data event;
        event.set("when", e.when);
        event.set("label", e.label);
        event.set("detail", e.detail.empty() ? no : data(e.detail));
        timeline.push_back(event);
    }
    d.set("timeline", timeline);
    std::vector<std::string> reasons = rc.reasons;

    // The draft the verdict calls for first stands open, with where it goes; the others and the
    // other language wait behind a disclosure.
    const DraftWriter writer(data_, c.marketplace, c.shop);
    // Drafts are for the marketplace's buyers: their language first, whatever the page's.
    const std::string draft_lang = c.marketplace.default_lang;
    const std::string other_lang = draft_lang == "ja" ? "en" : "ja";
    const std::string first_kind = first_draft_kind(rc);
    std::optional<data> first;
    data others{data::type::list};
    int n = 0;
    for (const auto& attempt : case_drafts(writer, rc, {draft_lang, other_lang})) {
        if (!attempt.draft) {
            reasons.push_back(for_terminal(attempt.refused));
            continue;
        }
        data box = draft_box("draft-" + std::to_string(++n), r("draft_" + attempt.kind), attempt.draft->text, r);
        box.set("lang", attempt.lang);
        const SellerCentralPage where = seller_central_page(data_, c.marketplace.code, attempt.kind, f.lang, order_id);
        box.set("where", t("paste_into", {{"page", where.page}}));
        box.set("address", where.address);
        if (!first && attempt.kind == first_kind && attempt.lang == draft_lang) first.emplace(std::move(box));
        else others.push_back(box);
    }
    d.set("first", first ? *first : no);
    d.set("has_others", flag(!others.list_value().empty()));
    d.set("others", others);
    d.set("reasons", list_of(reasons));
    d.set("no_name", flag(!c.shop.has_name()));

    const std::string status = appeal_status_code(appeal_status(rc));
    d.set("status_label", r("status_" + status));
    data outcomes{data::type::list};
    for (const std::string value : {"not_submitted", "submitted", "removed", "refused"}) {
        data o;
        o.set("value", value);
        o.set("label", r("status_" + value));
        o.set("selected", flag(value == status));
        outcomes.push_back(o);
    }
    d.set("outcomes", outcomes);
    return page(f, "ratings", "title_rating", render(data_, "rating", d));
}

std::string Pages::requests(AppContext& c, const PageFrame& f) const {
    const Sentences r(data_, "templates/report." + f.lang + ".json");
    const Sentences t(data_, "templates/web." + f.lang + ".json");
    data rows{data::type::list};
    int n = 0;
    // Newest first: the one waiting for an answer is the one the seller came for. A page of them;
    // `fbtrack expedite list` lists every one.
    const ExpeditePage page_of = newest_expedite_requests(c, 100);
    for (auto it = page_of.newest.begin(); it != page_of.newest.end(); ++it) {
        const ExpediteRequest& e = it->request;
        data row;
        row.set("order_id", e.order_id);
        row.set("requested_at", to_local_minutes(from_iso_utc(e.requested_at), c.marketplace.zone));
        row.set("source", r("source_" + e.source));
        row.set("reply", e.reply == "none" ? t("reply_none") : r("expedite_" + e.reply));
        row.set("unanswered", flag(e.reply == "none"));
        // Left out when there is none: Mustache shows a section for any string, the empty one too.
        row.set("replied_at", e.replied_at ? data(to_local_minutes(from_iso_utc(*e.replied_at), c.marketplace.zone)) : no);
        if (it->reply_working_hours) {
            std::ostringstream hours;
            hours.setf(std::ios::fixed);
            hours.precision(1);
            hours << *it->reply_working_hours;
            row.set("hours", t("working_hours", {{"hours", hours.str()}}));
        } else {
            row.set("hours", no);
        }
        data drafts{data::type::list};
        // Drafts for a request still waiting for its answer; an answered one needs none.
        for (const bool accept : {false, true}) {
            if (e.reply != "none") break;
            try {
                const ExpediteReply reply = expedite_reply(c, ExpediteReplyRequest{e.order_id, accept, !accept});
                if (reply.refused != ExpediteReply::Refusal::none) continue;
                drafts.push_back(draft_box("reply-" + std::to_string(++n), t(accept ? "draft_accept" : "draft_decline"), reply.draft.text, r));
            } catch (const Error&) {
                // No draft for this one (the order not imported, the shop unnamed): the row still shows.
            }
        }
        row.set("drafts", drafts);
        row.set("has_drafts", flag(!drafts.list_value().empty()));
        rows.push_back(row);
    }
    data d = base_of(data_, f);
    d.set("rows", rows);
    d.set("has_rows", flag(!rows.list_value().empty()));
    const std::size_t older = page_of.total - page_of.newest.size();
    d.set("more_requests", older ? data(t("more_requests", {{"count", std::to_string(older)}})) : no);
    const UrgentRisks unanswered = most_urgent_risks(c, 50, true);
    const data messages = risk_rows(unanswered.first, r, "message-");
    d.set("messages", messages);
    d.set("has_messages", flag(!messages.list_value().empty()));
    return page(f, "requests", "title_requests", render(data_, "requests", d));
}

std::string Pages::import_form(AppContext& c, const PageFrame& f) const {
    data d = base_of(data_, f);
    const Sentences t(data_, "templates/web." + f.lang + ".json");
    d.set("months", month_rows(c, t));
    return page(f, "import", "title_import", render(data_, "import", d));
}

std::string Pages::import_result(AppContext& c, const PageFrame& f, const ImportOutcome& outcome, const BrowserNames& names) const {
    const Sentences words = output_words(data_, f.lang);
    const Sentences t(data_, "templates/web." + f.lang + ".json");
    data d = base_of(data_, f);
    const auto shown = [&](const std::filesystem::path& path, const std::string& journal_name) {
        if (const auto it = names.find(path); it != names.end()) return it->second;
        return journal_name.empty() ? path.filename().string() : journal_name;
    };
    d.set("waited", flag(outcome.waited));
    d.set("error", outcome.error.empty() ? no : data(outcome.error));
    data files{data::type::list};
    if (outcome.report) {
        const ImportReport& report = *outcome.report;
        for (const auto& file : report.files) {
            data row;
            row.set("name", shown(file.path, file.journal_name));
            std::string what, counts;
            switch (file.outcome) {
                case ImportedFile::Outcome::imported_before:
                    what = t("file_known", {{"earlier", file.earlier_name}, {"at", file.earlier_at}});
                    break;
                case ImportedFile::Outcome::unreadable: what = t("file_unreadable", {{"reason", for_terminal(file.reason, 300)}}); break;
                case ImportedFile::Outcome::not_recognised: what = t("file_passed_over", {{"found", for_terminal(file.reason, 200)}}); break;
                case ImportedFile::Outcome::imported:
                {
                    // The export's own name in the page's language; a mailbox is named by its kind.
                    const std::string title = file.mailbox ? "" : f.lang == "ja" ? file.title_ja : file.title;
                    what = word_for(words, "kind", file.kind) + (title.empty() ? "" : t("title_in_brackets", {{"title", title}})) +
                           " · " + file.encoding;
                }
                    counts = counted(words, file.mailbox ? "messages" : "rows", file.rows) + " · " +
                             words("import_counts", {{"added", std::to_string(file.counts.added)},
                                                     {"updated", std::to_string(file.counts.updated)},
                                                     {"unchanged", std::to_string(file.counts.unchanged)},
                                                     {"rejected", std::to_string(file.counts.rejected)}});
                    break;
            }
            row.set("what", what);
            row.set("counts", counts.empty() ? no : data(counts));
            files.push_back(row);
        }
        d.set("totals", words("import_counts", {{"added", std::to_string(report.totals.added)},
                                               {"updated", std::to_string(report.totals.updated)},
                                               {"unchanged", std::to_string(report.totals.unchanged)},
                                               {"rejected", std::to_string(report.totals.rejected)}}));
        data notes{data::type::list};
        const auto note_of = [&](const ImportNote& note) {
            data n;
            n.set("text", shown(note.file, "") + (note.line ? ":" + std::to_string(note.line) : "") + " — " +
                              for_terminal(note.said.empty() ? note.detail : worded(note.said, &data_, f.lang), 300));
            return n;
        };
        for (const auto& note : report.bad_rows.shown) notes.push_back(note_of(note));
        for (const auto& note : report.kept.shown) notes.push_back(note_of(note));
        d.set("notes", notes);
        d.set("has_notes", flag(!notes.list_value().empty()));
        // Refused, nothing was kept: the rows are what stopped it, not a record.
        d.set("notes_title", t(report.refused() ? "import_refused_notes" : "import_notes"));
        const std::size_t unlisted = report.bad_rows.count - report.bad_rows.shown.size() + report.kept.count - report.kept.shown.size();
        d.set("more_notes", unlisted ? data(words("more", {{"count", std::to_string(unlisted)}})) : no);
        data learnt{data::type::list};
        for (const auto& [address, from] : report.learnt_addresses) {
            data a;
            a.set("text", t("learnt_address", {{"address", for_terminal(address, 200)}}));
            learnt.push_back(a);
        }
        d.set("learnt", learnt);
        d.set("unknown_senders", report.unknown_senders.empty() ? no : data(t("unknown_senders", {{"count", std::to_string(report.unknown_senders.size())}})));
    } else {
        d.set("totals", no);
        d.set("has_notes", no);
        d.set("learnt", data{data::type::list});
        d.set("unknown_senders", no);
    }
    d.set("files", files);
    d.set("has_files", flag(!files.list_value().empty()));
    d.set("months", month_rows(c, t));
    return page(f, "import", "title_import_result", render(data_, "import_result", d));
}

std::string Pages::report(AppContext& c, const PageFrame& f, const std::string& month) const {
    data d = base_of(data_, f);
    const ReportRequest period = last_complete_month(c.today());
    d.set("month", month.empty() ? period_name(period) : month);
    return page(f, "report", "title_report", render(data_, "report", d));
}

std::string Pages::calendar(AppContext& c, const PageFrame& f, const Query& q) const {
    const Sentences t(data_, "templates/web." + f.lang + ".json");
    const Sentences cal(data_, "templates/calendar." + f.lang + ".json");
    CalendarRequest request;
    if (const auto it = q.find("year"); it != q.end()) {
        try {
            request.year = std::stoi(it->second);
        } catch (const std::exception&) {
            throw UsageError(say("serve.year", {{"found", it->second}}));
        }
    }
    const CalendarYear year = calendar_year(c, request);
    data d = base_of(data_, f);
    d.set("year", std::to_string(year.year));
    d.set("closed_ahead", t("closed_ahead", {{"year", std::to_string(year.year)}}));
    d.set("previous", std::to_string(year.year - 1));
    d.set("next", std::to_string(year.year + 1));
    data ranges{data::type::list};
    for (const auto& range : c.shop.closed_ranges) {
        data row;
        row.set("from", range.from);
        row.set("to", range.to);
        row.set("label", range.label);
        ranges.push_back(row);
    }
    d.set("ranges", ranges);
    d.set("has_ranges", flag(!ranges.list_value().empty()));
    data weekdays{data::type::list};
    for (const auto& day : weekday_names()) {
        data w;
        w.set("name", day);
        w.set("label", cal.has(day) ? cal(day) : day);
        w.set("closed", flag(std::find(c.shop.closed_weekdays.begin(), c.shop.closed_weekdays.end(), day) != c.shop.closed_weekdays.end()));
        weekdays.push_back(w);
    }
    d.set("weekdays", weekdays);
    d.set("holidays_closed", flag(c.shop.holidays_closed));
    d.set("handling_days", std::to_string(c.shop.handling_days));
    d.set("reply_hours", c.shop.reply_from + "-" + c.shop.reply_until);
    data closed{data::type::list};
    for (const auto& day : year.closed) {
        if (day.date < c.today()) continue;  // what is ahead is what a seller plans for
        data row;
        row.set("date", to_iso_date(day.date));
        row.set("weekday", cal.has(weekday_name(day.date)) ? cal(weekday_name(day.date)) : weekday_name(day.date));
        std::string why;
        for (const auto& reason : day.reasons) why += (why.empty() ? "" : " · ") + reason;
        row.set("reasons", why);
        closed.push_back(row);
        if (closed.list_value().size() >= 60) break;
    }
    d.set("closed", closed);
    d.set("has_closed", flag(!closed.list_value().empty()));
    return page(f, "calendar", "title_calendar", render(data_, "calendar", d));
}

std::string Pages::shop(AppContext& c, const PageFrame& f) const {
    data d = base_of(data_, f);
    d.set("name", c.shop.shop_name);
    d.set("staff", joined_lines(c.shop.staff_names));
    d.set("own_addresses", joined_lines(c.shop.own_addresses));
    d.set("buy_shipping_yes", flag(c.shop.buy_shipping_always));
    d.set("marketplace", c.marketplace.name);
    return page(f, "shop", "title_shop", render(data_, "shop", d));
}

std::string Pages::shops(const PageFrame& f, const std::vector<ShopSummary>& shops) const {
    const Sentences t(data_, "templates/web." + f.lang + ".json");
    data d = base_of(data_, f);
    data rows{data::type::list};
    for (const auto& s : shops) {
        data row;
        row.set("shop", s.shop);
        row.set("name", s.name.empty() ? t("shop_unnamed") : s.name);
        row.set("marketplace", s.marketplace);
        row.set("unreadable", s.unreadable ? data(for_terminal(*s.unreadable, 300)) : no);
        row.set("current", flag(s.shop == f.shop));
        row.set("counts", t("shop_counts", {{"orders", std::to_string(s.counts.orders)}, {"ratings", std::to_string(s.counts.feedback)},
                                             {"messages", std::to_string(s.counts.messages)}}));
        std::string last = t("never_imported");
        if (s.last_import) {
            last = *s.last_import;
            try {
                last = to_local_minutes(from_iso_utc(*s.last_import), load_marketplace(data_, s.marketplace).zone);
            } catch (const std::exception&) {
                // a marketplace this version does not know: the time as kept (UTC)
            }
        }
        row.set("last_import", last);
        rows.push_back(row);
    }
    d.set("rows", rows);
    return page(f, "shops", "title_shops", render(data_, "shops", d));
}

std::string Pages::mail(AppContext& c, const PageFrame& f) const {
    const Sentences t(data_, "templates/web." + f.lang + ".json");
    data d = base_of(data_, f);
    data accounts{data::type::list};
    for (const auto& state : mail_accounts(c)) {
        data a;
        a.set("name", state.account.name);
        a.set("url", state.account.url);
        a.set("user", state.account.user);
        data folders{data::type::list};
        for (const auto& folder : state.account.folders) {
            data row;
            row.set("folder", folder);
            std::string fetched = t("never_fetched");
            for (const auto& p : state.positions)
                if (p.folder == folder) fetched = p.fetched_at;
            row.set("fetched", fetched == t("never_fetched") ? fetched : local_time_of(fetched, c));
            folders.push_back(row);
        }
        a.set("folders", folders);
        accounts.push_back(a);
    }
    d.set("accounts", accounts);
    d.set("has_accounts", flag(!accounts.list_value().empty()));
    const auto alerts = notify_settings(c);
    d.set("has_alerts", flag(alerts.has_value()));
    if (alerts) {
        d.set("smtp", alerts->smtp);
        d.set("from", alerts->from);
        std::string to;
        for (const auto& address : alerts->to) to += (to.empty() ? "" : ", ") + address;
        d.set("to", to);
    }
    return page(f, "mail", "title_mail", render(data_, "mail", d));
}

std::string Pages::error(const PageFrame& f, const std::string& message) const {
    data d = base_of(data_, f);
    data lines{data::type::list};
    for (std::size_t from = 0;;) {
        const std::size_t at = message.find('\n', from);
        data line;
        line.set("text", for_terminal(std::string_view(message).substr(from, at == std::string::npos ? std::string::npos : at - from)));
        lines.push_back(line);
        if (at == std::string::npos) break;
        from = at + 1;
    }
    d.set("lines", lines);
    return page(f, "", "title_error", render(data_, "error", d));
}

}  // namespace fbtrack
