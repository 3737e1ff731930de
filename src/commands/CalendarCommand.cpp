#include "commands/CalendarCommand.h"
#include "text/TerminalText.h"

#include "analysis/ShopCalendar.h"
#include "core/Json.h"
#include "text/JsonText.h"
#include "core/Errors.h"
#include "catalogue/ShopSettings.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <ostream>

namespace fbtrack {

namespace {

const std::vector<std::string> weekdays = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

std::string weekday_name(const Date& d) { return weekdays[static_cast<std::size_t>(d.day_of_week().as_number())]; }

void check_clock(const std::string& text) {
    const bool ok = text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) &&
                    std::isdigit(static_cast<unsigned char>(text[1])) && std::isdigit(static_cast<unsigned char>(text[3])) &&
                    std::isdigit(static_cast<unsigned char>(text[4])) && std::stoi(text.substr(0, 2)) <= 24 &&
                    std::stoi(text.substr(3)) <= 59;
    if (!ok) throw UsageError("calendar set --reply-hours: found '" + text + "', expected a time such as 09:00");
}

}  // namespace

void run_calendar(Session& session, const CalendarOptions& options) {
    const ShopSettings shop = session.shop();
    const ShopCalendar calendar(shop, session.marketplace(), session.data(), session.lang());
    const Date today = local_date_of(session.clock().now_utc(), session.marketplace().zone);
    const int year = options.year.value_or(today.year());
    if (year < 1980 || year > 2099) throw UsageError("calendar --year: found " + std::to_string(year) + ", expected 1980 to 2099");
    const Date first(static_cast<unsigned short>(year), 1, 1), last(static_cast<unsigned short>(year), 12, 31);
    const auto closed = calendar.closed_days(first, last);
    const auto holidays = calendar.holidays(year);
    auto& out = session.out();

    if (options.json) {
        Poco::JSON::Array list;
        // Every closed day, and every public holiday even where the shop works on it.
        std::map<Date, Poco::JSON::Object::Ptr> by_date;
        for (const auto& c : closed) {
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
        for (const auto& h : holidays) {
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
    const bool ja = session.lang() == "ja";
    out << (ja ? "休業日 " : "Closed days ") << year << " (" << session.marketplace().name << ")\n";
    out << (ja ? "発送までの営業日数: " : "Handling time: ") << shop.handling_days << (ja ? " 日" : " business days")
        << (ja ? "、返信時間: " : "; reply hours: ") << shop.reply_from << "-" << shop.reply_until
        << (ja ? "、祝日: " : "; public holidays: ")
        << (shop.holidays_closed ? (ja ? "休業" : "closed") : (ja ? "営業" : "open")) << "\n";
    for (const auto& c : closed) {
        out << "  " << to_iso_date(c.date) << " " << weekday_name(c.date).substr(0, 3) << "  ";
        // Reasons hold the seller's own labels, shown as a terminal cannot act on.
        for (std::size_t i = 0; i < c.reasons.size(); ++i) out << (i ? (ja ? "、" : "; ") : "") << for_terminal(c.reasons[i]);
        out << "\n";
    }
    if (!shop.holidays_closed) {
        out << (ja ? "祝日（営業）:\n" : "Public holidays (open):\n");
        for (const auto& h : holidays) out << "  " << to_iso_date(h.date) << "  " << h.name << "\n";
    }
}

void run_calendar_set(Session& session, const CalendarSetOptions& options) {
    ShopSettings shop = session.shop();
    if (options.closed_weekdays) {
        std::vector<std::string> days;
        std::string list = *options.closed_weekdays;
        for (auto& ch : list) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (list != "none") {
            std::size_t pos = 0;
            while (pos <= list.size()) {
                const std::size_t comma = std::min(list.find(',', pos), list.size());
                std::string day = list.substr(pos, comma - pos);
                const auto it = std::find_if(weekdays.begin(), weekdays.end(),
                                             [&](const std::string& w) { return !day.empty() && w.rfind(day, 0) == 0 && day.size() >= 3; });
                if (it == weekdays.end())
                    throw UsageError("calendar set --closed-weekdays: found '" + day + "', expected weekday names such as sun,sat (or none)");
                if (std::find(days.begin(), days.end(), *it) == days.end()) days.push_back(*it);
                pos = comma + 1;
            }
        }
        shop.closed_weekdays = days;
    }
    if (options.holidays_closed) {
        if (*options.holidays_closed != "yes" && *options.holidays_closed != "no")
            throw UsageError("calendar set --holidays-closed: found '" + *options.holidays_closed + "', expected yes or no");
        shop.holidays_closed = *options.holidays_closed == "yes";
    }
    if (options.handling_days) {
        if (*options.handling_days < 0 || *options.handling_days > 30)
            throw UsageError("calendar set --handling-days: expected 0 to 30 business days");
        shop.handling_days = *options.handling_days;
    }
    if (options.reply_hours) {
        const auto dash = options.reply_hours->find('-');
        if (dash == std::string::npos) throw UsageError("calendar set --reply-hours: expected a range such as 09:00-18:00");
        const std::string from = options.reply_hours->substr(0, dash), until = options.reply_hours->substr(dash + 1);
        check_clock(from);
        check_clock(until);
        if (until <= from) throw UsageError("calendar set --reply-hours: the end must be after the start");
        shop.reply_from = from;
        shop.reply_until = until;
    }
    session.save_shop(shop);
    session.out() << "Saved in " << for_terminal(session.options().db_path.string()) << "\n";
}

void run_calendar_add(Session& session, const CalendarRangeOptions& options) {
    ShopSettings shop = session.shop();
    const Date from = date_option("calendar add FROM", options.from), to = date_option("calendar add TO", options.to);
    if (to < from) throw UsageError("calendar add: " + options.to + " is before " + options.from);
    if ((to - from).days() > 366) throw UsageError("calendar add: a closed range longer than a year is surely a typo");
    if (options.label.empty()) throw UsageError("calendar add: give the closure a --label, such as 年末年始");
    shop.closed_ranges.push_back({options.from, options.to, options.label});
    std::sort(shop.closed_ranges.begin(), shop.closed_ranges.end(),
              [](const ClosedRange& a, const ClosedRange& b) { return a.from < b.from; });
    session.save_shop(shop);
    session.out() << "Closed " << options.from << " to " << options.to << " (" << for_terminal(options.label) << ")\n";
}

void run_calendar_remove(Session& session, const std::string& from_or_label) {
    ShopSettings shop = session.shop();
    const auto before = shop.closed_ranges.size();
    std::erase_if(shop.closed_ranges,
                  [&](const ClosedRange& r) { return r.from == from_or_label || r.label == from_or_label; });
    if (shop.closed_ranges.size() == before)
        throw UsageError("calendar remove: no closed range starts on or is labelled '" + from_or_label + "'");
    session.save_shop(shop);
    session.out() << "Removed " << (before - shop.closed_ranges.size()) << " closed range(s)\n";
}

}  // namespace fbtrack
