#include "commands/RiskCommand.h"

#include "app/JsonViews.h"
#include "commands/Hints.h"
#include "app/Words.h"

#include "app/Risks.h"
#include "core/Json.h"
#include "text/JsonText.h"
#include "text/TerminalText.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <ostream>

namespace fbtrack {

void run_risk(Session& session, const RiskOptions& options) {
    const AppContext context = session.app_context();
    session.tell_if_unnamed(context.shop);  // the risks' drafts are signed with the name
    const auto risks = todays_risks(context);
    auto& out = session.out();
    if (options.json) {
        Poco::JSON::Array list;
        for (const auto& r : risks) list.add(risk_json(r));
        write_json(out, list);
        out << "\n";
        return;
    }
    const Sentences words = output_words(context.data, context.lang);
    const Sentences kinds(context.data, "templates/report." + context.lang + ".json");  // the report's names for the kinds
    const auto gaps = recent_months_without_mail(context);
    if (risks.empty()) {
        out << for_terminal(words("risk_nothing", {{"date", to_iso_date(context.today())}})) << "\n";
        print_mail_gaps(out, gaps, session.data(), context.lang);
        return;
    }
    for (const auto& r : risks) {
        // Actions, notes and drafts carry what sellers and buyers wrote and the sentence files say:
        // shown as a terminal cannot act on.
        out << (r.due ? to_iso_date(*r.due) : std::string(10, ' ')) << "  " << for_terminal(word_for(kinds, "risk", r.kind)) << "  "
            << for_terminal(r.order_id) << "\n    " << for_terminal(r.action) << "\n";
        if (r.note) out << "    " << for_terminal(*r.note) << "\n";
        if (r.draft) {
            out << "    " << for_terminal(words("risk_draft")) << "\n";
            std::size_t pos = 0;
            while (pos < r.draft->size()) {
                const std::size_t eol = std::min(r.draft->find('\n', pos), r.draft->size());
                out << "    " << for_terminal(std::string_view(*r.draft).substr(pos, eol - pos)) << "\n";
                pos = eol + 1;
            }
        }
    }
}

}  // namespace fbtrack
