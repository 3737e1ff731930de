#include "app/Ratings.h"

#include "app/Orders.h"
#include "core/Errors.h"

#include <algorithm>

namespace fbtrack {

namespace {

Correlator correlator_of(const AppContext& c) { return Correlator(c.store, c.marketplace, c.shop, c.data, c.lang, c.today()); }

}  // namespace

namespace {

RatedCase rated_of(const AppContext& context, RatingCase c) {
    RatedCase rated{std::move(c), {}, {}};
    rated.draft_kinds = DraftWriter::kinds_in_order(rated.judged);
    rated.order_reference = shortest_order_reference(context.store, rated.judged.rating.order_id);
    return rated;
}

}  // namespace

void for_each_rated_case(const AppContext& context, const RatingsRequest& request,
                         const std::function<void(const RatedCase&)>& visit) {
    Correlator correlator = correlator_of(context);
    correlator.for_each_case(request.from, request.to, [&](RatingCase c) { visit(rated_of(context, std::move(c))); });
}

void for_each_rated_case_newest_first(const AppContext& context, const Date& earliest, const Date& latest,
                                      const std::function<bool(const RatedCase&)>& visit) {
    Correlator correlator = correlator_of(context);
    long span = 1;
    for (Date to = latest; to >= earliest; span *= 2) {
        const Date from = std::max(earliest, to - boost::gregorian::days(span - 1));
        std::vector<RatedCase> window;  // oldest first, as the correlator gives them
        correlator.for_each_case(from, to, [&](RatingCase c) { window.push_back(rated_of(context, std::move(c))); });
        for (auto it = window.rbegin(); it != window.rend(); ++it)
            if (!visit(*it)) return;
        to = from - boost::gregorian::days(1);
    }
}

std::optional<RatedCase> rated_case(const AppContext& context, const std::string& order_id) {
    Correlator correlator = correlator_of(context);
    auto c = correlator.case_for(order_id);
    if (!c || c->rating.rating > 3) return std::nullopt;
    return rated_of(context, std::move(*c));
}

AppealDraft appeal_draft(const AppContext& context, const AppealDraftRequest& request) {
    Correlator correlator = correlator_of(context);
    const auto c = correlator.case_for(request.order_id);
    if (!c)
        throw MissingInputError(say("appeal.no_rating", {{"order", request.order_id}}));
    if (c->rating.rating > 3)
        throw UsageError(say("appeal.positive", {{"order", request.order_id}}));
    if (!DraftWriter::applies(*c, request.kind))
        throw UsageError(say("appeal.no_ground", {{"order", request.order_id}}));
    const DraftWriter writer(context.data, context.marketplace, context.shop);
    AppealDraft a;
    a.draft = writer.write(*c, request.kind, context.lang);
    a.order_reference = shortest_order_reference(context.store, request.order_id);
    a.draft_kinds = DraftWriter::kinds_in_order(*c);
    a.destination = seller_central_page(context.data, context.marketplace.code, request.kind, context.lang, request.order_id);
    a.verdict = c->verdict;
    a.request_by = c->request_by;
    if (c->verdict == "context_only" && request.kind == "removal") a.notes.push_back(AppealNote::no_removal_criterion);
    if (c->days_left_to_request < 0) a.notes.push_back(AppealNote::window_closed);
    return a;
}

RecordedOutcome record_appeal_outcome(const AppContext& context, const AppealOutcomeRequest& request) {
    static const std::vector<std::string> outcomes = {"not_submitted", "submitted", "removed", "refused"};
    if (std::find(outcomes.begin(), outcomes.end(), request.outcome) == outcomes.end())
        throw UsageError(say("appeal.unknown_outcome", {{"outcome", request.outcome}}));
    if (!context.store.feedback().rating(request.order_id))
        throw MissingInputError(say("appeal.no_rating_to_mark", {{"order", request.order_id}}));
    const RecordedOutcome recorded{request.order_id, request.outcome, context.today()};
    Store::Transaction tx(context.store);
    context.store.feedback().mark_appeal(recorded.order_id, recorded.outcome, to_iso_date(recorded.on));
    tx.commit();
    return recorded;
}

std::vector<DraftAttempt> case_drafts(const DraftWriter& writer, const RatingCase& c, const std::vector<std::string>& langs) {
    std::vector<DraftAttempt> out;
    for (const auto& kind : DraftWriter::kinds()) {
        if (!DraftWriter::applies(c, kind)) continue;
        for (const auto& lang : langs) {
            DraftAttempt a{kind, lang, std::nullopt, {}};
            try {
                a.draft = writer.write(c, kind, lang);
            } catch (const DraftLintError& e) {
                a.refused = e.what();  // names the order, the draft and the reason
            }
            out.push_back(std::move(a));
        }
    }
    return out;
}

std::string appeal_status_code(AppealStatus status) {
    switch (status) {
        case AppealStatus::submitted: return "submitted";
        case AppealStatus::removed: return "removed";
        case AppealStatus::refused: return "refused";
        case AppealStatus::not_submitted: break;
    }
    return "not_submitted";
}

AppealStatus appeal_status(const RatingCase& c) {
    if (!c.outcome) return AppealStatus::not_submitted;
    if (c.outcome->outcome == "removed") return AppealStatus::removed;
    if (c.outcome->outcome == "refused") return AppealStatus::refused;
    return c.outcome->submitted_on ? AppealStatus::submitted : AppealStatus::not_submitted;
}

std::string first_draft_kind(const RatingCase& c) {
    const std::vector<std::string> kinds = DraftWriter::kinds_in_order(c);
    return kinds.empty() ? "reply" : kinds.front();
}

void for_each_open_rating(const AppContext& context, const std::function<void(const OpenRatingDrafts&)>& visit) {
    Correlator correlator = correlator_of(context);
    const DraftWriter writer(context.data, context.marketplace, context.shop);
    correlator.for_each_case(std::nullopt, std::nullopt, [&](const RatingCase& c) {
        // Open: still inside the 90-day window and not decided by Amazon.
        if (c.days_left_to_request < 0 || (c.outcome && c.outcome->outcome)) return;
        visit(OpenRatingDrafts{c.rating.order_id, c.verdict, case_drafts(writer, c, {context.lang})});
    });
}

}  // namespace fbtrack
