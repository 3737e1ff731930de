#include "commands/StatusCommand.h"

#include "app/JsonViews.h"
#include "commands/Hints.h"
#include "app/Words.h"

#include "app/Status.h"
#include "catalogue/Sentences.h"
#include "text/JsonText.h"
#include "text/TerminalText.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace fbtrack {

namespace {

void write_status_text(std::ostream& out, const ShopStatus& s, const std::string& database, const std::string& marketplace,
                       const Sentences& next, const Sentences& words) {
    const StoreCounts& c = s.counts;
    const ReplyStats& replies = s.replies;
    const auto share = replies.share_within_24h();
    const auto n = [](auto count) { return std::to_string(count); };
    // Every sentence comes from a sentence file, which may be the seller's copy; the marketplace's
    // name and the layouts' from data files: all of it shown as a terminal cannot act on.
    auto line = [&](const std::string& text) { out << for_terminal(text) << "\n"; };
    line(words("status_database", {{"database", database}, {"marketplace", marketplace}}));
    line(words("status_orders", {{"orders", n(c.orders)}, {"items", n(c.order_items)}}));
    line(words("status_shipments", {{"shipments", n(c.shipments)}}));
    // Which command lists what is counted: the seller's next step.
    line(words("status_ratings",
               {{"ratings", n(c.feedback)},
                {"listed", c.feedback ? words("status_ratings_listed", {{"lists", next("status_lists", {{"command", "fbtrack feedback"}})}})
                                      : std::string()}}));
    std::string messages = words("status_messages", {{"messages", n(c.messages)}});
    if (c.messages)
        messages += words("status_messages_listed", {{"lists", next("status_lists", {{"command", "fbtrack messages"}})},
                                                     {"requests", next("status_requests", {{"command", "fbtrack expedite list"}})}});
    line(messages);
    if (replies.buyer_messages) {
        std::ostringstream percent;
        if (share) percent << std::fixed << std::setprecision(1) << *share * 100;
        std::string text = words("status_replies",
                                 {{"share", share ? words("status_replies_share",
                                                          {{"percent", percent.str()},
                                                           {"within", n(replies.within_24h)},
                                                           {"due", n(replies.within_24h + replies.later + replies.open_overdue)}})
                                                  : words("status_replies_none_due")}});
        if (replies.open_overdue) text += words("status_replies_overdue", {{"count", n(replies.open_overdue)}});
        if (replies.open_recent) text += words("status_replies_waiting", {{"count", n(replies.open_recent)}});
        line(text);
    }
    if (!s.shop_addresses.empty()) {
        std::string addresses;
        for (std::size_t i = 0; i < s.shop_addresses.size(); ++i)
            addresses += (i ? words("list_separator") : std::string()) + s.shop_addresses[i].first;
        line(words("status_shop_mail", {{"addresses", addresses}}));
    }
    std::string imports = words("status_imports", {{"imports", n(c.imports)}, {"rejected", n(c.rejected_rows)}});
    if (c.rejected_rows) imports += words("status_imports_listed", {{"listed", next("status_rejected")}});
    line(imports);
    const AppealCounts& a = s.appeals;
    if (a.submitted) {
        std::string appeals = words("status_appeals", {{"submitted", n(a.submitted)}, {"removed", n(a.removed)}, {"refused", n(a.refused)}});
        if (a.decided()) {
            std::ostringstream percent;
            percent << std::fixed << std::setprecision(0) << a.success_rate() * 100;
            appeals += words("status_appeals_rate", {{"percent", percent.str()}});
        }
        line(appeals);
    }
    if (!s.journal.empty()) {
        out << "\n" << for_terminal(words("status_journal")) << "\n";
        // Columns as wide as their widest entry, counted as a terminal shows them (a kind in
        // Japanese takes two columns a character).
        std::size_t kind_width = display_width(words("status_journal_kind")) + 1;
        for (const auto& e : s.journal) kind_width = std::max(kind_width, display_width(word_for(words, "kind", e.kind)) + 1);
        kind_width = std::max<std::size_t>(kind_width, 10);
        out << "  " << for_terminal(padded(words("status_journal_at"), 22)) << for_terminal(padded(words("status_journal_kind"), kind_width))
            << for_terminal(padded(words("status_journal_encoding"), 12)) << for_terminal(words("status_journal_counts")) << "\n";
        for (const auto& e : s.journal)
            out << "  " << padded(e.imported_at, 22) << for_terminal(padded(word_for(words, "kind", e.kind), kind_width))
                << for_terminal(padded(e.encoding, 12)) << e.counts.added << "/" << e.counts.updated << "/" << e.counts.unchanged << "/"
                << e.counts.rejected << "  "
                << for_terminal(words("status_journal_file", {{"file", e.file_name}, {"layout", layout_shown(words, e.layout)}})) << "\n";
    }
    if (c.rejected_rows) {
        out << "\n" << for_terminal(words("status_rejected")) << "\n";
        for (const auto& r : s.rejected_rows)
            out << "  " << for_terminal(r.file_name) << ":" << r.line << ": " << for_terminal(r.reason, 400) << "\n";
        if (s.rejected_rows_unlisted) out << for_terminal(words("more", {{"count", n(s.rejected_rows_unlisted)}})) << "\n";
    }
}

}  // namespace

void run_status(Session& session, const StatusOptions& options) {
    // Only the store is read: settings that no longer pass the checks do not hide the status.
    const AppContext context = session.app_context(Session::Settings::without_shop);
    const ShopStatus status = shop_status(context, StatusRequest{});
    if (options.json) {
        write_json(session.out(), status_json(status, context.marketplace.code));
        session.out() << "\n";
        return;
    }
    write_status_text(session.out(), status, session.options().db_path.string(), context.marketplace.name,
                      Sentences(context.data, "templates/next_step." + context.lang + ".json"), output_words(context.data, context.lang));
    print_mail_gaps(session.out(), status.months_without_mail, session.data(), context.lang);
}

}  // namespace fbtrack
