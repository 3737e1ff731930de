#pragma once
#include "commands/Session.h"

namespace fbtrack {

struct RiskOptions {
    bool json = false;
};
// Everything that needs doing as of --today, with a draft where a message helps.
void run_risk(Session& session, const RiskOptions& options);

}  // namespace fbtrack
