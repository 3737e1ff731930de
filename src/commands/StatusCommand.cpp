#include "commands/StatusCommand.h"

#include "commands/Hints.h"

#include "app/Status.h"
#include "text/JsonText.h"
#include "text/TerminalText.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cmath>
#include <iomanip>
#include <ostream>

namespace fbtrack {

namespace {

void write_status_json(std::ostream& out, const ShopStatus& s, const std::string& marketplace) {
    const StoreCounts& c = s.counts;
    const ReplyStats& replies = s.replies;
    const auto share = replies.share_within_24h();
    Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
    root.set("marketplace", marketplace);
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
    appeals.set("submitted", s.appeals.submitted);
    appeals.set("removed", s.appeals.removed);
    appeals.set("refused", s.appeals.refused);
    appeals.set("success_rate",
                s.appeals.decided() ? Poco::Dynamic::Var(std::round(s.appeals.success_rate() * 1000) / 1000) : Poco::Dynamic::Var());
    root.set("appeals", appeals);
    Poco::JSON::Array entries;
    for (const auto& e : s.journal) {
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
    for (const auto& [address, from] : s.shop_addresses) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("address", address);
        o.set("learnt_from", from);
        own.add(o);
    }
    root.set("shop_addresses", own);
    Poco::JSON::Array gaps;
    for (const auto& g : s.months_without_mail) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("month", g.month);
        o.set("ratings", g.ratings);
        o.set("orders", g.orders);
        gaps.add(o);
    }
    root.set("months_without_mail", gaps);
    write_json(out, root);
    out << "\n";
}

void write_status_text(std::ostream& out, const ShopStatus& s, const std::string& database, const std::string& marketplace) {
    const StoreCounts& c = s.counts;
    const ReplyStats& replies = s.replies;
    const auto share = replies.share_within_24h();
    // The marketplace's name and the layouts' come from data files, which may be the seller's copies.
    out << "Database:   " << for_terminal(database) << " (" << for_terminal(marketplace) << ")\n"
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
    if (!s.shop_addresses.empty()) {
        out << "Shop mail:  ";
        for (std::size_t i = 0; i < s.shop_addresses.size(); ++i) out << (i ? ", " : "") << for_terminal(s.shop_addresses[i].first);
        out << " (learnt from mail; only mail from these to a marketplace address counts as your reply)\n";
    }
    out << "Imports:    " << c.imports << ", rejected rows (and unreadable messages): " << c.rejected_rows << "\n";
    const AppealCounts& a = s.appeals;
    if (a.submitted) {
        out << "Removal requests: " << a.submitted << " submitted, " << a.removed << " removed, " << a.refused << " refused";
        if (a.decided()) out << " (" << std::fixed << std::setprecision(0) << a.success_rate() * 100 << " % of those decided were removed)";
        out << "\n";
    }
    if (!s.journal.empty()) {
        out << "\nImport journal:\n";
        out << "  " << std::left << std::setw(22) << "imported at (UTC)" << std::setw(10) << "kind" << std::setw(12)
            << "encoding" << "added/updated/unchanged/rejected  file (layout)\n";
        for (const auto& e : s.journal)
            out << "  " << std::setw(22) << e.imported_at << std::setw(10) << e.kind << std::setw(12) << e.encoding
                << e.counts.added << "/" << e.counts.updated << "/" << e.counts.unchanged << "/" << e.counts.rejected
                << "  " << for_terminal(e.file_name) << " (" << for_terminal(e.layout) << ")\n";
    }
    if (c.rejected_rows) {
        out << "\nRejected rows and unreadable messages (kept on record, not imported):\n";
        for (const auto& r : s.rejected_rows)
            out << "  " << for_terminal(r.file_name) << ":" << r.line << ": " << for_terminal(r.reason, 400) << "\n";
        if (s.rejected_rows_unlisted) out << "  … and " << s.rejected_rows_unlisted << " more\n";
    }
}

}  // namespace

void run_status(Session& session, const StatusOptions& options) {
    // Only the store is read: settings that no longer pass the checks do not hide the status.
    const AppContext context = session.app_context(Session::Settings::without_shop);
    const ShopStatus status = shop_status(context, StatusRequest{});
    if (options.json) {
        write_status_json(session.out(), status, context.marketplace.code);
        return;
    }
    write_status_text(session.out(), status, session.options().db_path.string(), context.marketplace.name);
    print_mail_gaps(session.out(), status.months_without_mail, session.data(), context.lang);
}

}  // namespace fbtrack
