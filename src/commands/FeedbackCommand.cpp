// feedback, appeal and appeals: the rating cases of src/app/Ratings.h rendered as text and JSON,
// the drafts printed or written to files. What a buyer, a data file or a template brings
// reaches the terminal through for_terminal.
#include "commands/FeedbackCommand.h"

#include "app/JsonViews.h"
#include "commands/Hints.h"
#include "app/Words.h"

#include "app/Orders.h"
#include "app/Ratings.h"
#include "catalogue/Sentences.h"
#include "core/Clipboard.h"
#include "core/Errors.h"
#include "core/Json.h"
#include "core/PrivateFiles.h"
#include "text/JsonText.h"
#include "text/TerminalText.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <ostream>
#include <unistd.h>
#include <string>
#include <vector>

namespace fbtrack {

namespace {

// The verdict in the seller's words: those of the report (templates/report.LANG.json), the
// seller's to edit.
Sentences verdict_words(const AppContext& context) {
    return Sentences(context.data, "templates/report." + context.lang + ".json");
}

// The command that prints the draft of `kind` for the order typed as `reference`.
std::string appeal_command(const std::string& reference, const std::string& kind) {
    return "fbtrack appeal " + reference + (kind == "removal" ? "" : " --kind " + kind);
}

Sentences next_step_sentences(const AppContext& context) {
    return Sentences(context.data, "templates/next_step." + context.lang + ".json");
}

// The verdict's words and the reasons come from sentence files the seller may have edited; the
// grounds are said by the reasons, their codes are for --json.
void write_case_text(std::ostream& out, const RatingCase& c, const std::string& verdict) {
    out << c.rating.rated_on << "  " << stars(static_cast<int>(c.rating.rating)) << "  " << for_terminal(c.rating.order_id) << "  "
        << for_terminal(verdict) << "\n";
    out << "    「" << for_terminal(c.rating.comment, 400) << "」\n";
    for (const auto& r : c.reasons) out << "    - " << for_terminal(r, 400) << "\n";
}

}  // namespace

void run_feedback(Session& session, const FeedbackOptions& options) {
    const AppContext context = session.app_context();
    session.tell_if_unnamed(context.shop);  // before the seller asks for a draft
    RatingsRequest request;
    if (options.month) std::tie(request.from, request.to) = month_option("--month", *options.month);
    auto& out = session.out();
    // One case at a time, built and written: years of ratings never sit in memory, as cases or as JSON.
    std::size_t written = 0;
    if (options.json) {
        for_each_rated_case(context, request, [&](const RatedCase& r) {
            out << (written++ ? ",\n" : "[\n");
            write_json(out, rating_case_json(r.judged));
        });
        out << (written ? "\n]\n" : "[]\n");
        return;
    }
    const Sentences words = next_step_sentences(context);
    const Sentences verdicts = verdict_words(context);
    for_each_rated_case(context, request, [&](const RatedCase& r) {
        ++written;
        write_case_text(out, r.judged, verdicts("verdict_" + r.judged.verdict));
        // The draft the verdict calls for first: the seller's next step. The order reference is
        // the rating's order ID, or its end, and may hold what an export brought.
        if (!r.draft_kinds.empty())
            out << "    " << for_terminal(words("feedback_next", {{"command", appeal_command(r.order_reference, r.draft_kinds.front())}}), 400)
                << "\n";
    });
    if (!written) out << for_terminal(output_words(context.data, context.lang)("feedback_none")) << "\n";
    print_mail_gaps(out, options.month ? months_without_mail(context, *request.from, *request.to) : recent_months_without_mail(context),
                    session.data(), context.lang);
}

void run_appeal(Session& session, const AppealOptions& options) {
    const AppContext context = session.app_context();
    const std::string order_id = resolve_order_id(context.store, options.order_id);
    if (options.mark) {
        const RecordedOutcome recorded = record_appeal_outcome(context, AppealOutcomeRequest{order_id, *options.mark});
        session.out() << for_terminal(output_words(context.data, context.lang)(
                             "appeal_marked_" + recorded.outcome, {{"order", recorded.order_id}, {"date", to_iso_date(recorded.on)}}))
                      << "\n";
        return;
    }
    const AppealDraft a = appeal_draft(context, AppealDraftRequest{order_id, options.kind});
    // The draft is pasted from here: its template, Amazon's quotes and the order's facts come
    // from files and imports, and are shown as a terminal cannot act on.
    session.out() << for_terminal_lines(a.draft.text);
    session.err() << for_terminal(output_words(context.data, context.lang)(
                         "appeal_characters", {{"count", std::to_string(a.draft.characters)},
                                               {"verdict", verdict_words(context)("verdict_" + a.verdict)}}))
                  << "\n";
    // Where it goes, and which draft comes first: the page names and addresses are the seller's
    // to edit (data/seller_central.json).
    const Sentences words = next_step_sentences(context);
    session.err() << for_terminal(words("appeal_where", {{"page", a.destination.page}, {"address", a.destination.address}}), 400)
                  << "\n";
    if (!a.draft_kinds.empty()) {
        const std::string& first = a.draft_kinds.front();
        const std::string verdict = verdict_words(context)("verdict_" + a.verdict);
        session.err() << for_terminal(first == a.draft.kind
                                          ? words("appeal_first_this", {{"verdict", verdict}})
                                          : words("appeal_first_other", {{"verdict", verdict},
                                                                         {"kind", words("kind_" + first)},
                                                                         {"command", appeal_command(a.order_reference, first)}}),
                                      400)
                      << "\n";
    }
    const Sentences output = output_words(context.data, context.lang);
    for (const AppealNote note : a.notes) {
        switch (note) {
            case AppealNote::no_removal_criterion:
                session.err() << for_terminal(output("appeal_note_no_criterion")) << "\n";
                break;
            case AppealNote::window_closed:
                session.err() << for_terminal(output("appeal_note_window_closed", {{"date", to_iso_date(a.request_by)}})) << "\n";
                break;
        }
    }
    if (options.copy) {
        // The draft as printed, bytes and all: what the seller pastes is what was linted.
        session.out() << std::flush;
        const ClipboardResult copied = copy_to_clipboard(a.draft.text, session.out(), ::isatty(STDOUT_FILENO) == 1);
        switch (copied.way) {
            case ClipboardResult::Way::tool:
                session.err() << for_terminal(words("copied_tool", {{"tool", copied.tool}})) << "\n";
                break;
            case ClipboardResult::Way::terminal:
                session.err() << for_terminal(words("copied_terminal")) << "\n";
                break;
            case ClipboardResult::Way::none:
                session.err() << for_terminal(words("copied_none")) << "\n";
                break;
        }
    }
}

void run_appeals(Session& session, const AppealsOptions& options) {
    namespace fs = std::filesystem;
    const AppContext context = session.app_context();
    make_private_folder(options.out_dir, say("hint.another_folder_out"));  // 0700: drafts hold what buyers wrote
    session.tell_if_unnamed(context.shop);
    const Sentences words = output_words(context.data, context.lang);
    const Sentences verdicts = verdict_words(context);
    std::size_t written = 0, cases_open = 0;
    std::vector<std::string> failed;  // "order kind.lang", for the summary
    for_each_open_rating(context, [&](const OpenRatingDrafts& r) {
        ++cases_open;
        for (const auto& d : r.drafts) {
            if (!d.draft) {
                session.err() << for_terminal_lines(d.refused) << "\n";  // names the order, the draft and the reason
                failed.push_back(r.order_id + " " + d.kind + "." + d.lang);
                continue;
            }
            const fs::path file = fs::path(options.out_dir) / (r.order_id + "-" + d.kind + "." + d.lang + ".txt");
            write_private_file(file, d.draft->text, say("hint.another_folder_out"));  // 0600, never through a planted link
            session.out() << for_terminal(words("appeals_file", {{"file", file.string()},
                                                                 {"count", std::to_string(d.draft->characters)},
                                                                 {"verdict", verdicts("verdict_" + r.verdict)}}))
                          << "\n";
            ++written;
        }
    });
    session.out() << for_terminal(words("appeals_summary", {{"written", std::to_string(written)},
                                                            {"open", std::to_string(cases_open)},
                                                            {"folder", options.out_dir}}))
                  << "\n";
    if (!failed.empty()) {
        std::string list;
        for (const auto& f : failed) list += (list.empty() ? "" : ", ") + f;
        // The cause is in the data (a rating, or a template the seller edited): exit 65 once all
        // the other drafts are written.
        throw DraftLintError(std::to_string(failed.size()) + " draft" + (failed.size() == 1 ? " was" : "s were") +
                             " not written (" + list + "); the reasons are above");
    }
}

}  // namespace fbtrack
