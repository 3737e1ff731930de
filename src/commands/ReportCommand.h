#pragma once
#include "commands/Session.h"

#include <optional>
#include <string>

namespace fbtrack {

struct ReportOptions {
    std::optional<std::string> month, from, to, out;
};

// Writes the self-contained HTML report and prints its path.
void run_report(Session& session, const ReportOptions& options);

}  // namespace fbtrack
