#pragma once
#include "commands/Session.h"

namespace fbtrack {

struct StatusOptions {
    bool json = false;
};

void run_status(Session& session, const StatusOptions& options);

}  // namespace fbtrack
