#include "commands/FeedbackCommand.h"
#include "core/PrivateFiles.h"

#include "analysis/RatingCase.h"
#include "core/Json.h"
#include "text/JsonText.h"
#include "core/Errors.h"
#include "catalogue/ShopSettings.h"
#include "drafts/DraftWriter.h"
#include "text/TerminalText.h"

#include <Poco/JSON/Array.h>

#include <cstring>
#include <string>
#include <vector>
#include <fstream>
#include <ostream>

namespace fbtrack {

namespace {

Date today_of(const Session& session) { return local_date_of(session.clock().now_utc(), session.marketplace().zone); }

std::string verdict_label(const std::string& verdict, const std::string& lang) {
    if (lang == "ja") {
        if (verdict == "removable") return "削除基準に該当の可能性";
        if (verdict == "strike_through") return "取り消し線の基準に該当の可能性";
        if (verdict == "context_only") return "基準外・経緯の説明のみ";
        return "該当する基準なし";
    }
    if (verdict == "removable") return "may meet a removal criterion";
    if (verdict == "strike_through") return "may meet a strike-through criterion";
    if (verdict == "context_only") return "no criterion; context to explain";
    return "no criterion applies";
}

}  // namespace

std::pair<Date, Date> month_range(const std::string& month) {
    try {
        if (month.size() != 7 || month[4] != '-') throw ValueError(month, "YYYY-MM");
        const Date first = from_iso_date(month + "-01");
        return {first, first.end_of_month()};
    } catch (const ValueError&) {
        throw UsageError("--month: found '" + month + "', expected a month such as 2026-10");
    }
}

void run_feedback(Session& session, const FeedbackOptions& options) {
    const ShopSettings shop = session.shop();
    Correlator correlator(session.store(), session.marketplace(), shop, session.data(), session.lang(), today_of(session));
    std::optional<Date> from, to;
    if (options.month) std::tie(from, to) = month_range(*options.month);
    auto& out = session.out();
    // One case at a time, built and written: years of ratings never sit in memory, as cases or as JSON.
    std::size_t written = 0;
    if (options.json) {
        out << "[";
        correlator.for_each_case(from, to, [&](const RatingCase& c) {
            out << (written++ ? ",\n" : "\n");
            write_json(out, *rating_case_json(c));
        });
        out << (written ? "\n]\n" : "]\n");
        return;
    }
    correlator.for_each_case(from, to, [&](const RatingCase& c) {
        ++written;
        out << c.rating.rated_on << "  " << std::string(static_cast<std::size_t>(c.rating.rating), '*')
            << std::string(static_cast<std::size_t>(5 - c.rating.rating), '.') << "  " << c.rating.order_id << "  "
            << c.verdict << " (" << verdict_label(c.verdict, session.lang()) << ")";
        if (!c.grounds.empty()) {
            out << " [";
            for (std::size_t i = 0; i < c.grounds.size(); ++i) out << (i ? ", " : "") << c.grounds[i];
            out << "]";
        }
        out << "\n    「" << for_terminal(c.rating.comment, 400) << "」\n";
        for (const auto& r : c.reasons) out << "    - " << for_terminal(r, 400) << "\n";
    });
    if (!written) out << (session.lang() == "ja" ? "星1〜3の評価はありません。\n" : "No ratings of 1-3 stars.\n");
}

void run_appeal(Session& session, const AppealOptions& options) {
    const ShopSettings shop = session.shop();
    const Date today = today_of(session);
    if (options.mark) {
        if (!session.store().feedback().rating(options.order_id))
            throw MissingInputError("no rating for order " + options.order_id + " is imported; import the feedback report first");
        Store::Transaction tx(session.store());
        session.store().feedback().mark_appeal(options.order_id, *options.mark, to_iso_date(today));
        tx.commit();
        session.out() << options.order_id << ": " << *options.mark << " on " << to_iso_date(today) << "\n";
        return;
    }
    Correlator correlator(session.store(), session.marketplace(), shop, session.data(), session.lang(), today);
    const auto c = correlator.case_for(options.order_id);
    if (!c)
        throw MissingInputError("no rating for order " + options.order_id +
                                " is imported. Hint: 'fbtrack feedback' lists the ratings fbtrack knows");
    if (c->rating.rating > 3)
        throw UsageError("order " + options.order_id + " has a positive rating; there is nothing to appeal");
    if (!DraftWriter::applies(*c, options.kind))
        throw UsageError("no removal ground applies to the rating of order " + options.order_id +
                         " and there is no declined request with an on-time shipment to explain; fbtrack does not "
                         "draft a removal request that Amazon's rules do not support (Amazon warns against "
                         "speculative requests). Use --kind reply or --kind buyer");
    const DraftWriter writer(session.data(), session.marketplace(), shop);
    const Draft draft = writer.write(*c, options.kind, session.lang());
    session.out() << draft.text;
    session.err() << "(" << draft.characters << (session.lang() == "ja" ? " 文字" : " characters") << "; verdict "
                  << c->verdict << ")\n";
    if (c->verdict == "context_only" && options.kind == "removal")
        session.err() << (session.lang() == "ja"
                              ? "注意：この評価はAmazonの削除基準に当てはまりません。経緯の説明として送る文面です。削除されるとは限りません。\n"
                              : "Note: this rating meets none of Amazon's removal criteria. The text explains the "
                                "background; removal is not to be expected.\n");
    if (c->days_left_to_request < 0)
        session.err() << (session.lang() == "ja" ? "注意：削除依頼の期限（" : "Note: the removal window closed on (")
                      << to_iso_date(c->request_by) << ")\n";
}

void run_appeals(Session& session, const AppealsOptions& options) {
    namespace fs = std::filesystem;
    const ShopSettings shop = session.shop();
    const Date today = today_of(session);
    Correlator correlator(session.store(), session.marketplace(), shop, session.data(), session.lang(), today);
    const DraftWriter writer(session.data(), session.marketplace(), shop);
    make_private_folder(options.out_dir, "choose another folder with --out");  // 0700: drafts hold what buyers wrote
    std::size_t written = 0, cases_open = 0;
    std::vector<std::string> failed;  // "order kind.lang", for the summary
    correlator.for_each_case(std::nullopt, std::nullopt, [&](const RatingCase& c) {
        // Open: still inside the 90-day window and not decided by Amazon.
        if (c.days_left_to_request < 0 || (c.outcome && c.outcome->outcome)) return;
        ++cases_open;
        for (const auto& kind : DraftWriter::kinds()) {
            if (!DraftWriter::applies(c, kind)) continue;
            for (const char* lang : {"ja", "en"}) {
                // One rating's odd comment must not cost the seller every later rating's drafts.
                Draft d;
                try {
                    d = writer.write(c, kind, lang);
                } catch (const DraftLintError& e) {
                    session.err() << e.what() << "\n";  // names the order, the draft and the reason
                    failed.push_back(c.rating.order_id + " " + kind + "." + lang);
                    continue;
                }
                const fs::path file = fs::path(options.out_dir) / (c.rating.order_id + "-" + kind + "." + lang + ".txt");
                write_private_file(file, d.text, "choose another folder with --out");  // 0600, never through a planted link
                session.out() << file.string() << "  (" << d.characters << " characters, " << c.verdict << ")\n";
                ++written;
            }
        }
    });
    session.out() << written << " drafts for " << cases_open << " open ratings in " << options.out_dir << "\n";
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
