#pragma once
#include "commands/Session.h"

#include <optional>
#include <string>

namespace fbtrack {

struct FeedbackOptions {
    bool json = false;
    std::optional<std::string> month;  // YYYY-MM
};
void run_feedback(Session& session, const FeedbackOptions& options);

struct AppealOptions {
    std::string order_id;
    std::string kind = "removal";
    std::optional<std::string> mark;  // submitted, removed, refused
};
void run_appeal(Session& session, const AppealOptions& options);

struct AppealsOptions {
    std::string out_dir;
};
void run_appeals(Session& session, const AppealsOptions& options);

}  // namespace fbtrack
