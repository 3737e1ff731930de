#include "commands/InitCommand.h"

#include "app/Shop.h"
#include "catalogue/Marketplace.h"
#include "catalogue/Sentences.h"
#include "core/Errors.h"
#include "text/TerminalText.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>

namespace fbtrack {

namespace {

std::string trimmed(const std::string& text) {
    // Spaces, tabs and the ideographic space a Japanese keyboard types.
    std::string out = text;
    const auto blank_at_start = [](const std::string& s) {
        if (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r')) return std::size_t{1};
        return s.rfind("\u3000", 0) == 0 ? std::size_t{3} : std::size_t{0};
    };
    const auto blank_at_end = [](const std::string& s) {
        if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) return std::size_t{1};
        return s.size() >= 3 && s.compare(s.size() - 3, 3, "\u3000") == 0 ? std::size_t{3} : std::size_t{0};
    };
    while (const std::size_t n = blank_at_start(out)) out.erase(0, n);
    while (const std::size_t n = blank_at_end(out)) out.erase(out.size() - n);
    return out;
}

// An answer listing names or addresses: separated by commas (, 、 or ，); "-" for none.
std::vector<std::string> list_answer(const std::string& answer) {
    std::vector<std::string> items;
    if (answer == "-") return items;
    std::string text = answer;
    for (const std::string comma : {"\u3001", "\uFF0C"})
        for (std::size_t at; (at = text.find(comma)) != std::string::npos;) text.replace(at, comma.size(), ",");
    for (std::size_t from = 0; from <= text.size();) {
        const std::size_t end = std::min(text.find(',', from), text.size());
        if (const std::string item = trimmed(text.substr(from, end - from)); !item.empty()) items.push_back(item);
        from = end + 1;
    }
    return items;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

}  // namespace

void run_init(Session& session, const InitOptions& options) {
    AppContext context = session.app_context();
    auto& out = session.out();
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    const auto stored = remembered_marketplace(context.store);
    ShopSetupRequest request{session.options().marketplace, options.name, options.staff, options.own_addresses};
    if (!terminal) {
        const bool given = request.marketplace || request.name || request.staff || request.own_addresses;
        const bool missing = (!stored && !request.marketplace) || (!request.name && !context.shop.has_name());
        if (!given || missing)
            throw UsageError("init: there is no terminal to ask on; give the answers as options: --marketplace jp|us, "
                             "--name NAME, and where the shop has them --staff NAME,NAME and --own-addresses ADDRESS,ADDRESS. "
                             "Example: fbtrack init --marketplace jp --name 'My Shop' --staff Tanaka --own-addresses shop@example.com");
    }
    std::string answer;
    const auto ask = [&](const std::string& question, const std::string& current) {
        out << for_terminal(question) << (current.empty() ? "" : " [" + for_terminal(current) + "]") << ": " << std::flush;
        std::string line;
        if (!std::getline(std::cin, line)) throw UsageError("init: the answers ended before every question was asked; nothing was saved");
        line = trimmed(line);
        return line.empty() ? current : line;
    };

    // The marketplace first (in both languages: the shop's is not known yet), the rest in the shop's.
    if (terminal && !request.marketplace && !stored) {
        // Sentences come from data files, answers from the keyboard: both shown as a terminal cannot act on.
        const Sentences ja(context.data, "templates/setup.ja.json"), en(context.data, "templates/setup.en.json");
        const auto known = known_marketplaces(context.data);
        for (;;) {
            answer = ask(ja("ask_marketplace") + " / " + en("ask_marketplace"), context.marketplace.code);
            if (std::find(known.begin(), known.end(), answer) != known.end()) break;
            out << for_terminal(ja("not_a_marketplace", {{"found", answer}}) + " / " + en("not_a_marketplace", {{"found", answer}}), 400) << "\n";
        }
        request.marketplace = answer;
    }
    const Marketplace marketplace = load_marketplace(context.data, request.marketplace.value_or(stored.value_or(context.marketplace.code)));
    const Sentences sentences(context.data, "templates/setup." + session.options().lang.value_or(marketplace.default_lang) + ".json");
    const auto t = [&](const std::string& key, const Sentences::Facts& facts = {}) { return for_terminal(sentences(key, facts)); };
    const std::string database = session.options().db_path.string();
    if (terminal) {
        if (!request.name || !request.staff || !request.own_addresses)
            out << t("welcome", {{"database", database}}) << "\n";
        while (!request.name || request.name->empty()) {
            if (request.name) out << t("name_needed") << "\n";
            request.name = ask(t("ask_name"), context.shop.shop_name);
        }
        if (!request.staff) request.staff = list_answer(ask(t("ask_staff"), joined(context.shop.staff_names)));
        if (!request.own_addresses) request.own_addresses = list_answer(ask(t("ask_own_addresses"), joined(context.shop.own_addresses)));
    }

    for (;;) {
        const ShopSetup setup = set_up_shop(context, request);
        switch (setup.change.refused) {
            case SettingsRefusal::none: {
                const auto listed = [&](const std::vector<std::string>& items) {
                    return items.empty() ? sentences("none") : joined(items);
                };
                out << t("saved", {{"database", database}}) << "\n"
                    << t("saved_marketplace", {{"marketplace", marketplace.name + " (" + setup.marketplace + ")"}}) << "\n"
                    << t("saved_name", {{"name", setup.shop.shop_name}}) << "\n"
                    << t("saved_staff", {{"staff", listed(setup.shop.staff_names)}}) << "\n"
                    << t("saved_own_addresses", {{"addresses", listed(setup.shop.own_addresses)}}) << "\n";
                const std::string shop = session.options().shop == "default" ? "" : "--shop " + session.options().shop + " ";
                out << t("next", {{"command", "fbtrack " + shop + "import ~/Downloads/"}}) << "\n";
                return;
            }
            case SettingsRefusal::not_a_mail_address:
                // A typo on a terminal is asked again; an option's is the command line's to fix.
                if (terminal && !options.own_addresses) {
                    out << t("not_an_address", {{"found", setup.change.found}}) << "\n";
                    request.own_addresses = list_answer(ask(t("ask_own_addresses"), ""));
                    continue;
                }
                throw UsageError("init --own-addresses: found '" + setup.change.found + "', expected a mail address such as shop@example.com");
            case SettingsRefusal::empty_shop_name:
                throw UsageError("init --name: give the shop's name as buyers see it");
            case SettingsRefusal::unknown_marketplace:
                throw UsageError("init --marketplace: found '" + setup.change.found + "', expected jp or us");
            case SettingsRefusal::other_marketplace:
                throw UsageError("init: database " + database + " holds marketplace '" + setup.change.found +
                                 "'. Hint: use a separate shop per marketplace (fbtrack --shop NAME init)");
            default:
                throw InternalError("init: the setup was refused for a reason of another command");
        }
    }
}

}  // namespace fbtrack
