#include "app/Status.h"

namespace fbtrack {

ShopStatus shop_status(const AppContext& context, const StatusRequest& request) {
    Store& store = context.store;
    ShopStatus s;
    s.counts = store.counts();
    s.journal = store.imports().journal();
    const auto messages = store.messaging().messages(std::nullopt, false);
    s.replies = reply_stats(messages, pair_replies(messages), context.now);
    s.appeals = count_appeals(store.feedback().appeal_outcomes());
    s.shop_addresses = store.messaging().shop_addresses();
    if (s.counts.rejected_rows && request.rejected_rows_listed) s.rejected_rows = store.imports().rejected_rows(request.rejected_rows_listed);
    const auto listed = static_cast<std::int64_t>(request.rejected_rows_listed);
    if (s.counts.rejected_rows > listed) s.rejected_rows_unlisted = s.counts.rejected_rows - listed;
    s.months_without_mail = recent_months_without_mail(context);
    return s;
}

}  // namespace fbtrack
