#pragma once
// What the shop's database holds, as `status` shows it: the counts, how buyers' messages were
// answered, the removal requests and their outcomes, the import journal, the shop's own mail
// addresses, and the rows and messages that could not be imported.
#include "analysis/Conversations.h"
#include "analysis/MonthlyReport.h"
#include "app/AppContext.h"
#include "app/MailGaps.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fbtrack {

struct StatusRequest {
    std::size_t rejected_rows_listed = 20;  // the rest are counted, not listed
};

struct ShopStatus {
    StoreCounts counts;
    ReplyStats replies;  // all buyer messages, as of the context's moment
    AppealCounts appeals;
    std::vector<JournalEntry> journal;
    std::vector<std::pair<std::string, std::string>> shop_addresses;  // address, where it was learnt
    std::vector<RejectedRow> rejected_rows;  // the first rejected_rows_listed of counts.rejected_rows
    std::int64_t rejected_rows_unlisted = 0;  // the rest
    std::vector<MailGap> months_without_mail;  // of the last complete month and this one
};

// Reads the store only: neither the shop's settings nor any data file, so that a shop whose
// settings no longer pass the checks still shows its status.
ShopStatus shop_status(const AppContext& context, const StatusRequest& request);

}  // namespace fbtrack
