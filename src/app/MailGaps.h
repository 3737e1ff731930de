#pragma once
// Months that hold ratings or orders but no buyer-seller mail. Without the mail a rating cannot be
// linked to an earlier request to ship faster (the link the verdicts stand on), and nothing else
// would say so: status, feedback, report and risk name such months and what to import.
#include "app/AppContext.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fbtrack {

struct MailGap {
    std::string month;  // YYYY-MM
    std::int64_t ratings = 0, orders = 0;
};

// The months touching [from, to] (local dates) with ratings or orders but no message, oldest
// first. Three indexed counts a month.
std::vector<MailGap> months_without_mail(const AppContext& context, const Date& from, const Date& to);

// What a month holds of each kind a seller imports: the import page's checklist.
struct MonthContents {
    std::string month;  // YYYY-MM
    std::int64_t orders = 0;          // bought in the month
    std::int64_t shipped_orders = 0;  // of those, with a shipment recorded
    std::int64_t ratings = 0;         // 1-3 stars rated in the month (the feedback report holds no others)
    std::int64_t messages = 0;        // buyer-seller mail sent in the month
};
// The last complete month and this one, as of the context's day.
std::vector<MonthContents> recent_month_contents(const AppContext& context);

// The months a seller is working on as of the context's day: the last complete one and this one.
std::vector<MailGap> recent_months_without_mail(const AppContext& context);

}  // namespace fbtrack
