#include "commands/Hints.h"

#include "catalogue/Sentences.h"
#include "text/TerminalText.h"

namespace fbtrack {

void print_mail_gaps(std::ostream& out, const std::vector<MailGap>& gaps, const Catalogue& data, const std::string& lang) {
    if (gaps.empty()) return;
    const Sentences hints(data, "templates/hints." + lang + ".json");
    for (const auto& g : gaps)
        out << for_terminal(hints("mail_gap", {{"month", g.month},
                                               {"ratings", std::to_string(g.ratings)},
                                               {"orders", std::to_string(g.orders)}}))
            << "\n";
}

}  // namespace fbtrack
