#pragma once
// The use-cases' values as `--json` prints them and the pages' /api/ answers them: one shape for
// both front ends, codes rather than words, for a seller's own scripts.
#include "analysis/RatingCase.h"
#include "analysis/Risks.h"
#include "app/Status.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace fbtrack {

// `status --json`.
Poco::JSON::Object status_json(const ShopStatus& status, const std::string& marketplace);
// One element of `feedback --json`.
Poco::JSON::Object rating_case_json(const RatingCase& c);
// One element of `risk --json`.
Poco::JSON::Object::Ptr risk_json(const RiskItem& r);

}  // namespace fbtrack
