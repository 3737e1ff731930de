#include "commands/CalendarCommand.h"

#include "app/Calendar.h"
#include "app/Words.h"
#include "core/Errors.h"
#include "text/JsonText.h"
#include "text/TerminalText.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <ostream>

namespace fbtrack {

namespace {

// An edit that was refused, in the command line's words.
void refuse_if_refused(const SettingsChange& change) {
    const std::string& found = change.found;
    switch (change.refused) {
        case SettingsRefusal::none:
            return;
        case SettingsRefusal::unknown_weekday:
            throw UsageError("calendar set --closed-weekdays: found '" + found + "', expected weekday names such as sun,sat (or none)");
        case SettingsRefusal::holidays_closed_not_yes_no:
            throw UsageError("calendar set --holidays-closed: found '" + found + "', expected yes or no");
        case SettingsRefusal::handling_days_out_of_range:
            throw UsageError("calendar set --handling-days: expected 0 to 30 business days");
        case SettingsRefusal::reply_hours_not_a_range:
            throw UsageError("calendar set --reply-hours: expected a range such as 09:00-18:00");
        case SettingsRefusal::reply_time_not_a_clock:
            throw UsageError("calendar set --reply-hours: found '" + found + "', expected a time such as 09:00");
        case SettingsRefusal::reply_hours_end_first:
            throw UsageError("calendar set --reply-hours: the end must be after the start");
        case SettingsRefusal::range_from_not_a_date:
            throw UsageError("calendar add FROM: found '" + found + "', expected a date such as 2026-11-27");
        case SettingsRefusal::range_to_not_a_date:
            throw UsageError("calendar add TO: found '" + found + "', expected a date such as 2026-11-27");
        case SettingsRefusal::range_longer_than_a_year:
            throw UsageError("calendar add: a closed range longer than a year is surely a typo");
        case SettingsRefusal::range_without_label:
            throw UsageError("calendar add: give the closure a --label, such as 年末年始");
        case SettingsRefusal::no_such_range:
            throw UsageError("calendar remove: no closed range starts on or is labelled '" + found + "'");
        default:
            throw InternalError("calendar: an edit was refused for a reason of another command");
    }
}

void announce_saved(Session& session, const SettingsChange& change) {
    if (change.first_save) session.announce_adopted_settings();
}

}  // namespace

void run_calendar(Session& session, const CalendarOptions& options) {
    const AppContext context = session.app_context();
    const CalendarYear calendar = calendar_year(context, CalendarRequest{options.year});
    if (calendar.year_out_of_range)
        throw UsageError("calendar --year: found " + std::to_string(calendar.year) + ", expected 1980 to 2099");
    const ShopSettings& shop = context.shop;
    auto& out = session.out();

    if (options.json) {
        Poco::JSON::Array list;
        // Every closed day, and every public holiday even where the shop works on it.
        std::map<Date, Poco::JSON::Object::Ptr> by_date;
        for (const auto& c : calendar.closed) {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set("date", to_iso_date(c.date));
            o->set("weekday", weekday_name(c.date));
            o->set("closed", true);
            o->set("holiday", c.holiday.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.holiday));
            Poco::JSON::Array kinds, reasons;
            for (const auto& k : c.kinds) kinds.add(k);
            for (const auto& r : c.reasons) reasons.add(r);
            o->set("kinds", kinds);
            o->set("reasons", reasons);
            by_date[c.date] = o;
        }
        for (const auto& h : calendar.holidays) {
            if (by_date.count(h.date)) continue;
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set("date", to_iso_date(h.date));
            o->set("weekday", weekday_name(h.date));
            o->set("closed", false);
            o->set("holiday", h.name);
            o->set("kinds", Poco::JSON::Array());
            o->set("reasons", Poco::JSON::Array());
            by_date[h.date] = o;
        }
        for (const auto& [d, o] : by_date) list.add(o);
        write_json(out, list);
        out << "\n";
        return;
    }
    // Names and labels come from data files the seller may have edited, and from the seller's own
    // settings: shown as a terminal cannot act on.
    const Sentences words = output_words(context.data, context.lang);
    out << for_terminal(words("calendar_title", {{"year", std::to_string(calendar.year)}, {"marketplace", context.marketplace.name}})) << "\n";
    out << for_terminal(words("calendar_settings", {{"days", std::to_string(shop.handling_days)},
                                                    {"from", shop.reply_from},
                                                    {"until", shop.reply_until},
                                                    {"holidays", words(shop.holidays_closed ? "holidays_closed" : "holidays_open")}}))
        << "\n";
    for (const auto& c : calendar.closed) {
        std::string reasons;
        for (std::size_t i = 0; i < c.reasons.size(); ++i) reasons += (i ? words("calendar_reasons_separator") : std::string()) + c.reasons[i];
        out << for_terminal(words("calendar_day", {{"date", to_iso_date(c.date)},
                                                   {"weekday", words("weekday_" + weekday_name(c.date).substr(0, 3))},
                                                   {"reasons", reasons}}))
            << "\n";
    }
    if (!shop.holidays_closed) {
        out << for_terminal(words("calendar_open_holidays")) << "\n";
        for (const auto& h : calendar.holidays) out << "  " << to_iso_date(h.date) << "  " << for_terminal(h.name) << "\n";
    }
}

void run_calendar_set(Session& session, const CalendarSetOptions& options) {
    AppContext context = session.app_context();
    const auto change = set_calendar(context, CalendarSetRequest{options.closed_weekdays, options.holidays_closed,
                                                                 options.handling_days, options.reply_hours});
    refuse_if_refused(change);
    announce_saved(session, change);
    session.out() << for_terminal(output_words(context.data, context.lang)("saved_in", {{"database", session.options().db_path.string()}}))
                  << "\n";
}

void run_calendar_add(Session& session, const CalendarRangeOptions& options) {
    AppContext context = session.app_context();
    const auto change = add_closed_range(context, ClosedRangeRequest{options.from, options.to, options.label});
    if (change.refused == SettingsRefusal::range_ends_first)
        throw UsageError("calendar add: " + options.to + " is before " + options.from);
    refuse_if_refused(change);
    announce_saved(session, change);
    session.out() << for_terminal(output_words(context.data, context.lang)(
                         "calendar_added", {{"from", options.from}, {"to", options.to}, {"label", options.label}}))
                  << "\n";
}

void run_calendar_remove(Session& session, const std::string& from_or_label) {
    AppContext context = session.app_context();
    const auto removal = remove_closed_range(context, from_or_label);
    refuse_if_refused(removal.change);
    announce_saved(session, removal.change);
    session.out() << for_terminal(output_words(context.data, context.lang)("calendar_removed", {{"count", std::to_string(removal.removed)}}))
                  << "\n";
}

}  // namespace fbtrack
