#include "drafts/DraftWriter.h"

#include "analysis/PersonalInfo.h"
#include "core/DataFiles.h"

#include <Poco/JSON/Array.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <sstream>

namespace fbtrack {

namespace {

// Template output keeps the blank lines the author wrote, but never more than one in a row.
std::string tidy(const std::string& text) {
    std::string out;
    int newlines = 0;
    for (char c : text) {
        if (c == '\n') {
            if (++newlines > 2) continue;
        } else {
            newlines = 0;
        }
        out.push_back(c);
    }
    while (!out.empty() && out.front() == '\n') out.erase(0, 1);
    while (out.size() > 1 && out.back() == '\n' && out[out.size() - 2] == '\n') out.pop_back();
    if (!out.empty() && out.back() != '\n') out.push_back('\n');
    return out;
}

// Mustache drops a line that holds nothing but a section tag ("standalone"); the library we use
// misses this when several such sections are skipped in a row, and in turn eats blank lines after
// them. So the lines are joined here, and every newline right after a tag becomes {{&nl}}, which
// the library renders as written.
std::string join_standalone_tags(const std::string& text) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        const bool last = eol == std::string::npos;
        if (last) eol = text.size();
        const std::string line = text.substr(pos, eol - pos);
        std::size_t b = line.find_first_not_of(" \t"), e = line.find_last_not_of(" \t\r");
        const std::string trimmed = b == std::string::npos ? "" : line.substr(b, e - b + 1);
        const bool standalone = trimmed.size() > 5 && trimmed.compare(0, 2, "{{") == 0 &&
                                std::string("#/^!").find(trimmed[2]) != std::string::npos &&
                                trimmed.find("}}") == trimmed.size() - 2;
        out += standalone ? trimmed : line;
        if (!standalone && !last) out.push_back('\n');
        pos = eol + 1;
    }
    for (std::size_t at; (at = out.find("}}\n")) != std::string::npos;) out.replace(at, 3, "}}{{&nl}}");
    return out;
}

}  // namespace

std::size_t count_characters(const std::string& utf8) {
    return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

DraftWriter::DraftWriter(const std::filesystem::path& data_dir, const Marketplace& marketplace, const ShopSettings& shop)
    : templates_(data_dir / "templates"), marketplace_(marketplace), shop_(shop),
      addresses_(AddressFinder::load(data_dir)) {
    const auto root = load_json_object(data_dir / "amazon_quotes.json");
    const auto list = root->getArray("quotes");
    for (std::size_t i = 0; list && i < list->size(); ++i) {
        const auto q = list->getObject(static_cast<unsigned>(i));
        quotes_.push_back({q->getValue<std::string>("id"), q->getValue<std::string>("marketplace"),
                           q->getValue<std::string>("text"), q->optValue<std::string>("translation_en", ""),
                           q->optValue<std::string>("source", "")});
    }
    forbidden_ = PhraseList::load(data_dir / "phrases", "draft_forbidden");
    for (const char* lang : {"ja", "en"}) {
        const auto reasons = load_json_object(templates_ / (std::string("reasons.") + lang + ".json"));
        auto& words = std::string(lang) == "ja" ? reason_words_ja_ : reason_words_en_;
        for (const char* key : {"what_email", "what_phone", "what_staff_name", "and"})
            words[key] = reasons->optValue<std::string>(key, "");
    }
}

const std::vector<std::string>& DraftWriter::kinds() {
    static const std::vector<std::string> k = {"removal", "reply", "buyer"};
    return k;
}

bool DraftWriter::applies(const RatingCase& c, const std::string& kind) {
    if (kind == "removal") return c.verdict != "none";
    return true;
}

void DraftWriter::lint(const std::string& text, const std::vector<std::string>& exempt, const std::string& what,
                       const std::vector<std::string>& known_facts) const {
    std::string checked = text;
    for (const auto& e : exempt) {
        if (e.empty()) continue;
        for (std::size_t at; (at = checked.find(e)) != std::string::npos;) checked.replace(at, e.size(), " ");
    }
    std::vector<std::string> problems;
    // Whole-text check, then again after removing each hit, to list them all.
    std::string folded = fold_for_matching(checked);
    for (int guard = 0; guard < 20; ++guard) {
        const auto hit = forbidden_.find(folded, nullptr);
        if (!hit) break;
        problems.push_back("'" + *hit + "' (incentive or pressure wording, forbidden by Amazon)");
        const std::string f = fold_for_matching(*hit);
        for (std::size_t at; (at = folded.find(f)) != std::string::npos;) folded.replace(at, f.size(), " ");
    }
    // Personal data is checked in the whole text, the buyer's comment included.
    std::string data_checked = text;
    for (const auto& f : known_facts) {
        if (f.empty()) continue;
        for (std::size_t at; (at = data_checked.find(f)) != std::string::npos;) data_checked.replace(at, f.size(), " ");
    }
    for (const auto& p : find_personal_info(data_checked, {}))
        problems.push_back("'" + p.text + "' (" + (p.kind == "email" ? "an e-mail address" : "a phone number") + ")");
    if (problems.empty()) return;
    std::string message = "the " + what + " draft was not written because it contains:";
    for (const auto& p : problems) message += "\n  " + p;
    message += "\nHint: edit " + (templates_ / "").string() + " (or data/phrases/draft_forbidden.*.txt if a word is wrongly listed)";
    throw DraftLintError(message);
}

const std::string& DraftWriter::template_text(const std::string& name, const std::string& lang) const {
    const std::string key = name + "." + lang;
    auto it = template_texts_.find(key);
    if (it != template_texts_.end()) return it->second;
    const auto path = templates_ / (key + ".txt");
    if (!std::filesystem::exists(path)) throw InternalError("missing draft template " + path.string());
    return template_texts_[key] = join_standalone_tags(read_text_file(path));
}

void fill_risk_drafts(std::vector<RiskItem>& risks, const DraftWriter& writer, const std::string& lang) {
    for (auto& r : risks) {
        if (r.draft_template.empty()) continue;
        try {
            r.draft = writer.write_message(r.draft_template, r.facts, lang).text;
        } catch (const DraftLintError& e) {
            r.note = std::string(r.note ? *r.note + " " : "") + e.what();
        }
    }
}

Draft DraftWriter::write_message(const std::string& name, const std::map<std::string, std::string>& facts,
                                 const std::string& lang) const {
    const auto path = templates_ / (name + "." + lang + ".txt");
    kainjow::mustache::mustache tmpl(template_text(name, lang));
    if (!tmpl.is_valid()) throw InternalError(path.string() + ": " + tmpl.error_message());
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    using kainjow::mustache::data;
    data d;
    d.set("nl", "\n");
    d.set("shop_name", shop_.shop_name);
    for (const auto& [k, v] : facts) {
        if (v.empty()) d.set(k, data::type::bool_false);
        else d.set(k, v);
    }
    Draft draft;
    draft.kind = name;
    draft.lang = lang;
    draft.text = tidy(tmpl.render(d));
    draft.characters = count_characters(draft.text);
    std::vector<std::string> known;
    for (const auto& [k, v] : facts) known.push_back(v);
    lint(draft.text, {}, name, known);
    return draft;
}

Draft DraftWriter::write(const RatingCase& c, const std::string& kind, const std::string& lang) const {
    if (std::find(kinds().begin(), kinds().end(), kind) == kinds().end())
        throw UsageError("unknown draft kind '" + kind + "'; expected removal, reply or buyer");
    const auto path = templates_ / (kind + "." + lang + ".txt");
    kainjow::mustache::mustache tmpl(template_text(kind, lang));
    if (!tmpl.is_valid()) throw InternalError(path.string() + ": " + tmpl.error_message());
    tmpl.set_custom_escape([](const std::string& s) { return s; });  // plain text, not HTML

    using kainjow::mustache::data;
    data d;
    auto flag = [&](const std::string& name, bool value) { d.set(name, value ? data::type::bool_true : data::type::bool_false); };
    d.set("nl", "\n");
    d.set("order_id", c.rating.order_id);
    d.set("rating", std::to_string(c.rating.rating));
    d.set("rated_on", c.rating.rated_on);
    d.set("ordered_on", date_text(c.ordered_on));
    d.set("ship_by", date_text(c.ship_by));
    d.set("shipped_on", date_text(c.shipped_on));
    d.set("request_by", to_iso_date(c.request_by));
    d.set("shop_name", shop_.shop_name);
    std::string carrier;
    if (!c.shipments.empty()) carrier = c.shipments.front().carrier_name.value_or(c.shipments.front().carrier_code.value_or(""));
    if (carrier == "Other") carrier.clear();
    if (carrier.empty()) d.set("carrier", data::type::bool_false);
    else d.set("carrier", carrier);
    const ExpediteRequest* first = c.expedite_requests.empty() ? nullptr : &c.expedite_requests.front();
    const ExpediteRequest* declined = nullptr;
    for (const auto& r : c.expedite_requests)
        if (r.reply == "declined" && !declined) declined = &r;
    d.set("requested_at", first ? to_local_minutes(from_iso_utc(first->requested_at), marketplace_.zone) : "");
    d.set("replied_at", declined && declined->replied_at ? to_local_minutes(from_iso_utc(*declined->replied_at), marketplace_.zone) : "");
    d.set("reply_hours", declined && declined->reply_hours ? format_one_decimal(*declined->reply_hours) : "");
    // Never repeat the buyer's personal data, even where it is the ground.
    const std::string comment = mask_personal_info(c.rating.comment, shop_.staff_names, lang, &addresses_);
    d.set("comment", comment);
    const auto& words = lang == "ja" ? reason_words_ja_ : reason_words_en_;
    std::string what;
    for (const auto& p : find_personal_info(c.rating.comment, shop_.staff_names)) {
        const std::string w = words.at("what_" + p.kind);
        if (what.find(w) == std::string::npos) what += (what.empty() ? "" : words.at("and")) + w;
    }
    d.set("personal_info_what", what);

    flag("removable", c.verdict == "removable");
    flag("strike_through", c.verdict == "strike_through");
    flag("context_only", c.verdict == "context_only");
    flag("ground_obscene", c.has_ground("obscene"));
    flag("ground_personal_info", c.has_ground("personal_info"));
    flag("ground_product_review", c.has_ground("product_review"));
    flag("ground_fba", c.has_ground("fba_fulfillment"));
    flag("ground_buy_shipping", c.has_ground("buy_shipping_on_time"));
    flag("expedite_requested", c.expedite_requested);
    flag("expedite_declined", c.expedite_declined);
    flag("expedite_accepted", c.expedite_accepted);
    // An estimated promise is ours, not Amazon's: drafts state only the promise a report gave.
    flag("has_ship_by", c.ship_by.has_value() && !c.ship_by_estimated);
    flag("has_shipped", c.shipped_on.has_value());
    flag("shipped_on_time", c.shipped_on_time == std::optional<bool>(true) && !c.ship_by_estimated);

    // Amazon's Japanese statements apply to amazon.co.jp; elsewhere they are not quoted.
    std::vector<std::string> exempt = {comment};
    bool quotes = false;
    for (const auto& q : quotes_) {
        if (q.marketplace != marketplace_.code) continue;
        quotes = true;
        d.set("quote_" + q.id, q.text);
        d.set("quote_" + q.id + "_en", q.translation_en);
        exempt.push_back(q.text);
        exempt.push_back(q.translation_en);
    }
    flag("jp_quotes", quotes);

    Draft draft;
    draft.kind = kind;
    draft.lang = lang;
    draft.text = tidy(tmpl.render(d));
    if (!tmpl.is_valid()) throw InternalError(path.string() + ": " + tmpl.error_message());
    draft.characters = count_characters(draft.text);
    lint(draft.text, exempt, kind);
    return draft;
}

}  // namespace fbtrack
