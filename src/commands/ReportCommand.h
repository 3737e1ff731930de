#pragma once
#include "commands/Session.h"

#include <optional>
#include <string>

namespace fbtrack {

struct ReportOptions {
    std::optional<std::string> month, from, to, out;
    bool open = false;  // hand the page to the desktop's browser (xdg-open)
};

// Writes the self-contained HTML report and prints its path; --open opens it.
void run_report(Session& session, const ReportOptions& options);

}  // namespace fbtrack
