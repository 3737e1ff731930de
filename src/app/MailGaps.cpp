#include "app/MailGaps.h"

#include "text/Dates.h"

namespace fbtrack {

std::vector<MailGap> months_without_mail(const AppContext& context, const Date& from, const Date& to) {
    std::vector<MailGap> gaps;
    const auto& zone = context.marketplace.zone;
    const auto midnight = boost::posix_time::hours(0);
    for (Date first(from.year(), from.month(), 1); first <= to; first = first.end_of_month() + boost::gregorian::days(1)) {
        const Date last = first.end_of_month();
        const std::string from_utc = to_iso_utc(utc_of_local(first, midnight, zone));
        const std::string to_utc = to_iso_utc(utc_of_local(last + boost::gregorian::days(1), midnight, zone));
        if (context.store.messaging().count_messages(from_utc, to_utc) > 0) continue;
        MailGap gap;
        gap.month = to_iso_date(first).substr(0, 7);
        for (const auto n : context.store.feedback().count_ratings(to_iso_date(first), to_iso_date(last))) gap.ratings += n;
        gap.orders = context.store.orders().count_orders(from_utc, to_utc);
        if (gap.ratings || gap.orders) gaps.push_back(gap);
    }
    return gaps;
}

std::vector<MonthContents> recent_month_contents(const AppContext& context) {
    const Date today = context.today();
    const auto midnight = boost::posix_time::hours(0);
    std::vector<MonthContents> months;
    for (Date first = Date(today.year(), today.month(), 1) - boost::gregorian::months(1); first <= today;
         first = first.end_of_month() + boost::gregorian::days(1)) {
        const Date last = first.end_of_month();
        const std::string from_utc = to_iso_utc(utc_of_local(first, midnight, context.marketplace.zone));
        const std::string to_utc = to_iso_utc(utc_of_local(last + boost::gregorian::days(1), midnight, context.marketplace.zone));
        MonthContents m;
        m.month = to_iso_date(first).substr(0, 7);
        m.orders = context.store.orders().count_orders(from_utc, to_utc);
        m.shipped_orders = context.store.orders().count_shipped_orders(from_utc, to_utc);
        for (const auto n : context.store.feedback().count_ratings(to_iso_date(first), to_iso_date(last))) m.ratings += n;
        m.messages = context.store.messaging().count_messages(from_utc, to_utc);
        months.push_back(m);
    }
    return months;
}

std::vector<MailGap> recent_months_without_mail(const AppContext& context) {
    const Date today = context.today();
    const Date this_month(today.year(), today.month(), 1);
    return months_without_mail(context, this_month - boost::gregorian::months(1), today);
}

}  // namespace fbtrack
