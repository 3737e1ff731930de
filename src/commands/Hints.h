#pragma once
// The lines a command adds to say what is missing and what to do next, in the seller's language
// (data/templates/hints.LANG.json).
#include "app/MailGaps.h"
#include "catalogue/Catalogue.h"

#include <ostream>
#include <string>
#include <vector>

namespace fbtrack {

// One line per month that has ratings or orders but no mail imported.
void print_mail_gaps(std::ostream& out, const std::vector<MailGap>& gaps, const Catalogue& data, const std::string& lang);

}  // namespace fbtrack
