#include "drafts/DraftWriter.h"

#include "analysis/PersonalInfo.h"
#include "catalogue/DataFiles.h"
#include "catalogue/JsonNode.h"
#include "text/Encoding.h"
#include "text/TerminalText.h"

#include <kainjow/mustache.hpp>
#include <unicode/uchar.h>

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

bool is_separator(char32_t cp) {
    return cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == '\t' || cp == 0x85 || cp == 0x2028 ||
           cp == 0x2029;
}

// A mark that joins the character before it (a combining accent, an enclosing circle): at the
// start of a comment it would sit on the draft's own opening quotation mark.
bool is_combining_mark(char32_t cp) {
    const auto type = u_charType(static_cast<UChar32>(cp));
    return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK;
}

// Stands for the comment while the rest of a draft is linted; the comment can hold no control
// character, so it can never contain this.
const std::string comment_placeholder = "\x1F" "fbtrack-comment" "\x1F";

}  // namespace

namespace {
// The draft's own quotation marks, inside the comment, become the marks for a quote within a
// quote (『』 in Japanese, ' in English), and so do the characters that look like them: a buyer's
// 」 or " must not close the draft's quote and make what follows read as the seller's words.
char32_t nested_quote_mark(char32_t cp, bool ja) {
    if (ja) {
        switch (cp) {
            case 0x300C: case 0xFF62: case 0xFE41: case 0x231C: case 0x231E: case 0x250C: case 0x2514:
                return 0x300E;  // 「 ｢ ﹁ ⌜ ⌞ ┌ └ → 『
            case 0x300D: case 0xFF63: case 0xFE42: case 0x231D: case 0x231F: case 0x2510: case 0x2518:
                return 0x300F;  // 」 ｣ ﹂ ⌝ ⌟ ┐ ┘ → 』
            default:
                return cp;
        }
    }
    switch (cp) {
        case '"': case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0xFF02: case 0x2033: case 0x2036:
        case 0x02BA: case 0x02DD: case 0x02EE: case 0x05F4: case 0x3003: case 0x301D: case 0x301E: case 0x301F:
        case 0x2034: case 0x2057: case 0x275D: case 0x275E: case 0x2760: case 0x2E42: case 0x1F676: case 0x1F677: case 0x1F678:
            return '\'';
        default:
            return cp;
    }
}

// One pass over the comment. `quotable`: as the final quote (see quotable_comment); otherwise
// only its line breaks folded, for the masker, which must see invisible characters where they
// are (its folding drops the default-ignorable ones, so 山<ZWSP>田様 is still a name) and the
// buyer's quotation marks as written ("taro yamada"@example.com is still an address).
std::string one_line(const std::string& comment, const std::string& lang, bool quotable) {
    const bool ja = lang == "ja";
    const std::string marker = ja ? "〔削除〕" : "[removed]";
    std::string out;
    out.reserve(comment.size());
    bool space_due = false, marker_due = false;
    bool folded_at_end = false;  // the last character written is the space of a fold
    for (std::size_t i = 0; i < comment.size();) {
        const CodePoint read = code_point_at(comment, i);
        i += read.length;
        char32_t cp = read.value;
        if (quotable) cp = nested_quote_mark(cp, ja);
        if (is_separator(cp)) {
            space_due = true;
        } else if (quotable && is_variation_selector(cp)) {
            // A glyph's form, nothing hidden: dropped without a marker (❤️ stays ❤).
        } else if (quotable && (is_invisible(cp) || (out.empty() && is_combining_mark(cp)))) {
            marker_due = true;
        } else {
            // A fold absorbs the buyer's own blanks beside it; one space and one marker are enough
            // to show that the buyer broke the line or hid something here.
            const bool absorb = space_due;
            if (space_due && !out.empty() && out.back() != ' ') {
                out.push_back(' ');
                folded_at_end = true;
            }
            if (marker_due) {
                out += marker;
                folded_at_end = false;
            }
            space_due = marker_due = false;
            if (cp == ' ' && !out.empty() && out.back() == ' ' && (absorb || folded_at_end)) continue;
            append_utf8(out, cp);
            folded_at_end = false;
        }
    }
    if (marker_due) out += marker;  // something hidden at the very end still shows
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out.erase(0, out.find_first_not_of(' ') == std::string::npos ? out.size() : out.find_first_not_of(' '));
    return out;
}
}  // namespace

std::string quotable_comment(const std::string& comment, const std::string& lang) { return one_line(comment, lang, true); }

std::string comment_on_one_line(const std::string& comment) { return one_line(comment, "ja", false); }

std::size_t count_characters(const std::string& utf8) {
    return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

DraftWriter::DraftWriter(const Catalogue& data, const Marketplace& marketplace, const ShopSettings& shop)
    : data_(data), marketplace_(marketplace), shop_(shop), masking_(MaskingRules::load(data)) {
    for (const auto& q : data.json("amazon_quotes.json").objects("quotes"))
        quotes_.push_back({q.string("id"), q.string("marketplace"), q.string("text"), q.optional_string("translation_en").value_or(""),
                           q.optional_string("source").value_or("")});
    forbidden_ = PhraseList::load(data, "draft_forbidden");
    for (const char* lang : {"ja", "en"}) {
        const auto reasons = data.json(std::string("templates/reasons.") + lang + ".json");
        auto& words = std::string(lang) == "ja" ? reason_words_ja_ : reason_words_en_;
        // The words a draft says its reasons with: one missing would leave a gap in the sentence.
        for (const char* key : {"what_email", "what_phone", "what_staff_name", "and"}) words[key] = reasons.string(key);
        unnamed_shop_[lang] = data.json(std::string("templates/setup.") + lang + ".json").string("shop_name_not_set");
    }
}

const std::string& DraftWriter::unnamed_shop(const std::string& lang) const { return unnamed_shop_.at(lang == "ja" ? "ja" : "en"); }

const std::vector<std::string>& DraftWriter::kinds() {
    static const std::vector<std::string> k = {"removal", "reply", "buyer"};
    return k;
}

bool DraftWriter::applies(const RatingCase& c, const std::string& kind) {
    if (kind == "removal") return c.verdict != "none";
    return true;
}

std::vector<std::string> DraftWriter::kinds_in_order(const RatingCase& c) {
    // A removal request that explains context is a long shot (Amazon removes by its criteria):
    // the reply every buyer reads comes first.
    const bool removal_first = c.verdict == "removable" || c.verdict == "strike_through";
    std::vector<std::string> order = removal_first ? std::vector<std::string>{"removal", "reply", "buyer"}
                                                   : std::vector<std::string>{"reply", "buyer", "removal"};
    std::erase_if(order, [&](const std::string& kind) { return !applies(c, kind); });
    return order;
}

void DraftWriter::lint(const std::string& text, const std::vector<std::string>& exempt, const std::string& what,
                       const std::vector<std::string>& known_facts) const {
    lint(text, text, exempt, say("draft.named", {{"name", what}}), known_facts, "", "");
}

void DraftWriter::lint(const std::string& words_text, const std::string& text, const std::vector<std::string>& exempt,
                       const Said& what, const std::vector<std::string>& known_facts,
                       const std::string& comment, const std::string& source_template) const {
    std::string checked = words_text;
    for (const auto& e : exempt) {
        if (e.empty()) continue;
        for (std::size_t at; (at = checked.find(e)) != std::string::npos;) checked.replace(at, e.size(), " ");
    }
    std::vector<Said> problems;
    // Whole-text check, then again after removing each hit, to list them all.
    std::string folded = fold_for_matching(checked);
    const std::string folded_template = fold_for_matching(source_template);
    bool in_template = source_template.empty(), in_facts = false;
    for (int guard = 0; guard < 20; ++guard) {
        const auto hit = forbidden_.find(folded, nullptr);
        if (!hit) break;
        problems.push_back(say("lint.forbidden_wording", {{"found", *hit}}));
        const std::string f = fold_for_matching(*hit);
        // A word the template does not hold came in with a fact: a carrier or shop name.
        (source_template.empty() || folded_template.find(f) != std::string::npos ? in_template : in_facts) = true;
        for (std::size_t at; (at = folded.find(f)) != std::string::npos;) folded.replace(at, f.size(), " ");
    }
    // Personal data is checked in the whole text, the buyer's comment included.
    std::string data_checked = text;
    for (const auto& f : known_facts) {
        if (f.empty()) continue;
        for (std::size_t at; (at = data_checked.find(f)) != std::string::npos;) data_checked.replace(at, f.size(), " ");
    }
    bool in_comment = false;
    for (const auto& p : find_personal_info(data_checked, {})) {
        problems.push_back(say(p.kind == "email" ? "lint.email" : "lint.phone", {{"found", p.text}}));
        if (!comment.empty() && comment.find(p.text) != std::string::npos) in_comment = true;
        else (source_template.empty() || source_template.find(p.text) != std::string::npos ? in_template : in_facts) = true;
    }
    // A shop not named yet: the draft holds the mark where the name goes, and must not be sent so
    // (a named shop's draft may quote a buyer who wrote the mark).
    bool unnamed = false;
    for (const auto& [lang, mark] : unnamed_shop_)
        if (!shop_.has_name() && !mark.empty() && text.find(mark) != std::string::npos && !unnamed) {
            problems.push_back(say("lint.unnamed_shop", {{"found", mark}}));
            unnamed = true;
        }
    if (problems.empty()) return;
    std::vector<Said> message{say("lint.not_written", {{"draft", what}})};
    for (auto& p : problems) message.push_back(joined({"\n  ", std::move(p)}));
    // The hint points at what the seller can change: the templates, the data filled in, or, where
    // the buyer's comment holds what the masker missed, the draft itself.
    if (unnamed) message.push_back(say("lint.hint.name_the_shop"));
    if (in_comment) message.push_back(say("lint.hint.in_comment"));
    if (in_facts) message.push_back(say("lint.hint.in_facts"));
    if (in_template)
        message.push_back(say("lint.hint.in_template", {{"folder", (data_.file("templates/x").parent_path() / "").string()}}));
    throw DraftLintError(joined(std::move(message)));
}

const std::string& DraftWriter::template_text(const std::string& name, const std::string& lang) const {
    const std::string key = name + "." + lang;
    auto it = template_texts_.find(key);
    if (it != template_texts_.end()) return it->second;
    const std::string name_in_data = "templates/" + key + ".txt";
    if (!data_.has(name_in_data)) data_file_error(data_.file(name_in_data), "is missing");
    return template_texts_[key] = join_standalone_tags(data_.text(name_in_data));
}

void DraftWriter::check_template(const std::string& name, const std::string& lang) const {
    kainjow::mustache::mustache tmpl(template_text(name, lang));
    if (!tmpl.is_valid()) data_file_error(data_.file("templates/" + name + "." + lang + ".txt"), tmpl.error_message());
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
    const auto path = data_.file("templates/" + name + "." + lang + ".txt");
    kainjow::mustache::mustache tmpl(template_text(name, lang));
    if (!tmpl.is_valid()) data_file_error(path, tmpl.error_message());
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    using kainjow::mustache::data;
    data d;
    d.set("nl", "\n");
    d.set("shop_name", shop_.has_name() ? shop_.shop_name : unnamed_shop(lang));
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
    lint(draft.text, draft.text, {}, say("draft.named", {{"name", name}}), known, "", template_text(name, lang));
    return draft;
}

Draft DraftWriter::write(const RatingCase& c, const std::string& kind, const std::string& lang) const {
    if (std::find(kinds().begin(), kinds().end(), kind) == kinds().end())
        throw UsageError("unknown draft kind '" + kind + "'; expected removal, reply or buyer");
    const auto path = data_.file("templates/" + kind + "." + lang + ".txt");
    kainjow::mustache::mustache tmpl(template_text(kind, lang));
    if (!tmpl.is_valid()) data_file_error(path, tmpl.error_message());
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
    d.set("shop_name", shop_.has_name() ? shop_.shop_name : unnamed_shop(lang));
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
    // Masked on one line (a number broken over two lines is still a number), then made quotable:
    // whatever the masker writes must still fit on the quote's one line.
    const std::string comment = quotable_comment(
        mask_personal_info(comment_on_one_line(c.rating.comment), shop_.staff_names, lang, &masking_), lang);
    d.set("comment", comment_placeholder);
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
    std::vector<std::string> exempt;
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
    const std::string skeleton = tidy(tmpl.render(d));
    if (!tmpl.is_valid()) data_file_error(path, tmpl.error_message());
    // The comment is spared the word check exactly where the template quotes it and nowhere else:
    // the words are checked in the draft with each quote blanked out, personal data in the draft
    // as it will be shown.
    std::string outside_quotes;
    for (std::size_t from = 0;;) {
        const std::size_t at = skeleton.find(comment_placeholder, from);
        if (at == std::string::npos) {
            outside_quotes += skeleton.substr(from);
            draft.text += skeleton.substr(from);
            break;
        }
        outside_quotes += skeleton.substr(from, at - from) + " ";
        draft.text += skeleton.substr(from, at - from) + comment;
        from = at + comment_placeholder.size();
    }
    draft.characters = count_characters(draft.text);
    lint(outside_quotes, draft.text, exempt, say("draft.for_order", {{"kind", kind + "." + lang}, {"order", c.rating.order_id}}), {}, comment,
         template_text(kind, lang));
    return draft;
}

}  // namespace fbtrack
