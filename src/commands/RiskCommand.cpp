#include "commands/RiskCommand.h"
#include "text/TerminalText.h"

#include "app/Risks.h"
#include "core/Json.h"
#include "text/JsonText.h"
#include "catalogue/ShopSettings.h"
#include "drafts/DraftWriter.h"

#include <Poco/JSON/Array.h>

#include <ostream>

namespace fbtrack {

void run_risk(Session& session, const RiskOptions& options) {
    const AppContext context = session.app_context();
    const Date today = context.today();
    const auto risks = todays_risks(context);
    auto& out = session.out();
    if (options.json) {
        Poco::JSON::Array list;
        for (const auto& r : risks) list.add(risk_json(r));
        write_json(out, list);
        out << "\n";
        return;
    }
    const bool ja = session.lang() == "ja";
    if (risks.empty()) {
        out << (ja ? "いま対応が必要なものはありません（" : "Nothing needs doing as of ") << to_iso_date(today) << (ja ? "時点）。\n" : ".\n");
        return;
    }
    for (const auto& r : risks) {
        // Notes and drafts carry what sellers and buyers wrote: shown as a terminal cannot act on.
        out << (r.due ? to_iso_date(*r.due) : std::string(10, ' ')) << "  " << r.kind << "  " << for_terminal(r.order_id) << "\n    "
            << for_terminal(r.action) << "\n";
        if (r.note) out << "    " << for_terminal(*r.note) << "\n";
        if (r.draft) {
            out << (ja ? "    --- 下書き ---\n" : "    --- draft ---\n");
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
