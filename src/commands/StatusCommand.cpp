#include "commands/StatusCommand.h"

#include "text/TerminalText.h"

#include "analysis/Conversations.h"
#include "core/Json.h"
#include "text/JsonText.h"
#include "analysis/MonthlyReport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cmath>
#include <iomanip>
#include <ostream>

namespace fbtrack {

namespace {
constexpr std::size_t rejected_shown = 20;
}

void run_status(Session& session, const StatusOptions& options) {
    Store& store = session.store();
    const StoreCounts c = store.counts();
    const auto journal = store.imports().journal();
    auto& out = session.out();
    const auto messages = store.messaging().messages(std::nullopt, false);
    const ReplyStats replies = reply_stats(messages, pair_replies(messages), session.clock().now_utc());
    const auto share = replies.share_within_24h();
    const AppealCounts appeals = count_appeals(store.feedback().appeal_outcomes());
    const std::size_t submitted = appeals.submitted, removed = appeals.removed, refused = appeals.refused;
    const bool decided = appeals.decided();
    const double success = appeals.success_rate();

    if (options.json) {
        Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
        root.set("marketplace", session.marketplace().code);
        root.set("orders", c.orders);
        root.set("order_items", c.order_items);
        root.set("shipments", c.shipments);
        root.set("feedback", c.feedback);
        root.set("messages", c.messages);
        root.set("imports", c.imports);
        root.set("rejected_rows", c.rejected_rows);
        root.set("buyer_messages", replies.buyer_messages);
        root.set("replied_within_24h", replies.within_24h);
        root.set("replied_later", replies.later);
        root.set("unanswered_over_24h", replies.open_overdue);
        root.set("replied_within_24h_share", share ? Poco::Dynamic::Var(std::round(*share * 1000) / 1000) : Poco::Dynamic::Var());
        Poco::JSON::Object appeals(Poco::JSON_PRESERVE_KEY_ORDER);
        appeals.set("submitted", submitted);
        appeals.set("removed", removed);
        appeals.set("refused", refused);
        appeals.set("success_rate", decided ? Poco::Dynamic::Var(std::round(success * 1000) / 1000) : Poco::Dynamic::Var());
        root.set("appeals", appeals);
        Poco::JSON::Array entries;
        for (const auto& e : journal) {
            Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
            o.set("file", e.file_name);
            o.set("sha256", e.sha256);
            o.set("kind", e.kind);
            o.set("layout", e.layout);
            o.set("encoding", e.encoding);
            o.set("added", e.counts.added);
            o.set("updated", e.counts.updated);
            o.set("unchanged", e.counts.unchanged);
            o.set("rejected", e.counts.rejected);
            o.set("ignored", e.counts.ignored);
            o.set("conflicting", e.counts.conflicting);
            o.set("imported_at", e.imported_at);
            entries.add(o);
        }
        root.set("journal", entries);
        Poco::JSON::Array own;
        for (const auto& [address, from] : store.messaging().shop_addresses()) {
            Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
            o.set("address", address);
            o.set("learnt_from", from);
            own.add(o);
        }
        root.set("shop_addresses", own);
        write_json(out, root);
        out << "\n";
        return;
    }

    out << "Database:   " << for_terminal(session.options().db_path.string()) << " (" << session.marketplace().name << ")\n"
        << "Orders:     " << c.orders << " (" << c.order_items << " items)\n"
        << "Shipments:  " << c.shipments << "\n"
        << "Ratings:    " << c.feedback << " (the feedback report lists 1-3 star ratings only)\n"
        << "Messages:   " << c.messages << "\n";
    if (replies.buyer_messages) {
        out << "Buyer messages answered within 24 hours (Amazon's measure, weekends and holidays included): ";
        if (share)
            out << std::fixed << std::setprecision(1) << *share * 100 << " % (" << replies.within_24h << " of "
                << (replies.within_24h + replies.later + replies.open_overdue) << ")";
        else
            out << "nothing due yet";
        if (replies.open_overdue) out << "; " << replies.open_overdue << " still unanswered after 24 hours";
        if (replies.open_recent) out << "; " << replies.open_recent << " waiting, under 24 hours";
        out << "\n";
    }
    const auto own = store.messaging().shop_addresses();
    if (!own.empty()) {
        out << "Shop mail:  ";
        for (std::size_t i = 0; i < own.size(); ++i) out << (i ? ", " : "") << for_terminal(own[i].first);
        out << " (learnt from mail; only mail from these to a marketplace address counts as your reply)\n";
    }
    out
        << "Imports:    " << c.imports << ", rejected rows (and unreadable messages): " << c.rejected_rows << "\n";
    if (submitted) {
        out << "Removal requests: " << submitted << " submitted, " << removed << " removed, " << refused << " refused";
        if (decided) out << " (" << std::fixed << std::setprecision(0) << success * 100 << " % of those decided were removed)";
        out << "\n";
    }
    if (!journal.empty()) {
        out << "\nImport journal:\n";
        out << "  " << std::left << std::setw(22) << "imported at (UTC)" << std::setw(10) << "kind" << std::setw(12)
            << "encoding" << "added/updated/unchanged/rejected  file (layout)\n";
        for (const auto& e : journal)
            out << "  " << std::setw(22) << e.imported_at << std::setw(10) << e.kind << std::setw(12) << e.encoding
                << e.counts.added << "/" << e.counts.updated << "/" << e.counts.unchanged << "/" << e.counts.rejected
                << "  " << for_terminal(e.file_name) << " (" << e.layout << ")\n";
    }
    if (c.rejected_rows) {
        out << "\nRejected rows and unreadable messages (kept on record, not imported):\n";
        for (const auto& r : store.imports().rejected_rows(rejected_shown))
            out << "  " << for_terminal(r.file_name) << ":" << r.line << ": " << for_terminal(r.reason, 400) << "\n";
        if (c.rejected_rows > static_cast<std::int64_t>(rejected_shown))
            out << "  … and " << (c.rejected_rows - static_cast<std::int64_t>(rejected_shown)) << " more\n";
    }
}

}  // namespace fbtrack
