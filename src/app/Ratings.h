#pragma once
// The ratings of 1-3 stars as cases, each with its evidence, its honest verdict and the drafts it
// calls for: what `feedback` lists, the draft `appeal` prints, the outcome `appeal --mark`
// records, and the drafts `appeals` writes for every rating still open.
#include "analysis/RatingCase.h"
#include "app/AppContext.h"
#include "catalogue/SellerCentral.h"
#include "drafts/DraftWriter.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct RatingsRequest {
    std::optional<Date> from, to;  // rated in [from, to], local dates; open ends allowed
};

struct RatedCase {
    RatingCase judged;                     // the rating, its evidence, verdict and reasons
    std::vector<std::string> draft_kinds;  // the drafts it calls for, the one its verdict calls for first in front
    std::string order_reference;           // what to type for its order (shortest_order_reference)
};

// Each rating case of the period, oldest first, built once and handed to `visit` one at a time:
// years of ratings never sit in memory.
void for_each_rated_case(const AppContext& context, const RatingsRequest& request,
                         const std::function<void(const RatedCase&)>& visit);

// The cases rated from `earliest` to `latest`, newest first, until `visit` returns false: built a
// day at a time, then two, four, … days going back, so that a page of the newest few builds only
// them, in a shop of thousands of ratings a month or of one a week alike.
void for_each_rated_case_newest_first(const AppContext& context, const Date& earliest, const Date& latest,
                                      const std::function<bool(const RatedCase&)>& visit);

// The case of one order's rating (the whole order ID), if it has a rating of 1-3 stars.
std::optional<RatedCase> rated_case(const AppContext& context, const std::string& order_id);

struct AppealDraftRequest {
    std::string order_id;
    std::string kind = "removal";  // removal, reply or buyer
};

// What the seller is to know before sending a draft.
enum class AppealNote {
    no_removal_criterion,  // a removal request for a rating that meets none of Amazon's criteria
    window_closed,         // Amazon's window for removal requests closed on request_by
};

struct AppealDraft {
    Draft draft;
    std::string order_reference;           // what to type for its order (shortest_order_reference)
    std::vector<std::string> draft_kinds;  // the drafts the case calls for, the one its verdict calls for first in front
    SellerCentralPage destination;         // where this draft goes, for the context's marketplace and language
    std::string verdict;
    Date request_by;
    std::vector<AppealNote> notes;
};

// The draft of one kind for one order's rating (the whole order ID: resolve_order_id), in the
// context's language, with where it goes in Seller Central. MissingInputError
// when no rating of the order is imported; UsageError for a positive rating, or for a removal
// request that no ground and no context support.
AppealDraft appeal_draft(const AppContext& context, const AppealDraftRequest& request);

struct AppealOutcomeRequest {
    std::string order_id;
    std::string outcome;  // submitted, removed or refused
};

struct RecordedOutcome {
    std::string order_id, outcome;
    Date on;  // the context's day
};

// Records that the removal request was submitted, or Amazon's answer, as of the context's day.
// MissingInputError when no rating of the order is imported.
RecordedOutcome record_appeal_outcome(const AppContext& context, const AppealOutcomeRequest& request);

// One draft of a case, or the reason the lint refused it: one odd comment or template must not
// cost the seller the other drafts.
struct DraftAttempt {
    std::string kind, lang;
    std::optional<Draft> draft;
    std::string refused;  // the lint's message when there is no draft
};

// Every draft `c` calls for, each kind in each of `langs`, in that order.
std::vector<DraftAttempt> case_drafts(const DraftWriter& writer, const RatingCase& c, const std::vector<std::string>& langs);

// Where a rating's removal request stands, from what `appeal --mark` recorded.
enum class AppealStatus { not_submitted, submitted, removed, refused };
AppealStatus appeal_status(const RatingCase& c);
// Its code, as the pages, --mark and the words files name it: not_submitted, submitted, removed, refused.
std::string appeal_status_code(AppealStatus status);
// The draft a case's verdict calls for first, the same one feedback and appeal name
// (DraftWriter::kinds_in_order): the removal request where a removal ground applies, else the
// public reply.
std::string first_draft_kind(const RatingCase& c);

struct OpenRatingDrafts {
    std::string order_id, verdict;
    std::vector<DraftAttempt> drafts;  // in the context's language
};

// The drafts of every open rating (inside the removal window, not decided by Amazon), oldest
// first, one rating at a time, in the context's language only: the language of the shop's
// marketplace unless --lang chose another.
void for_each_open_rating(const AppContext& context, const std::function<void(const OpenRatingDrafts&)>& visit);

}  // namespace fbtrack
