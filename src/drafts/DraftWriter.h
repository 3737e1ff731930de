#pragma once
// The texts a seller pastes into Seller Central, filled from the editable templates in
// data/templates/ and checked before anyone sees them: no incentive or pressure wording, no
// buyer personal data, Amazon's statements quoted exactly.
#include "analysis/PersonalInfo.h"
#include "analysis/PhraseList.h"
#include "analysis/RatingCase.h"
#include "analysis/Risks.h"
#include "core/Errors.h"
#include "catalogue/Marketplace.h"
#include "catalogue/ShopSettings.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fbtrack {

struct Draft {
    std::string kind;  // removal, reply, buyer
    std::string lang;  // ja, en
    std::string text;
    std::size_t characters = 0;  // Unicode characters, as Seller Central counts them
};

struct AmazonQuote {
    std::string id, marketplace, text, translation_en, source;
};

// A draft that failed the lint: the template (or the facts) must change, not the check.
class DraftLintError : public Error {
public:
    explicit DraftLintError(Said said) : Error(ExitCode::data, std::move(said)) {}
};

class DraftWriter {
public:
    DraftWriter(const Catalogue& data, const Marketplace& marketplace, const ShopSettings& shop);

    static const std::vector<std::string>& kinds();
    // Which kinds make sense for this case: no removal request where no ground and no context apply.
    static bool applies(const RatingCase& c, const std::string& kind);
    // The kinds that apply to `c`, the one its verdict calls for first in front: the removal
    // request where a criterion may be met; the public reply and the message to the buyer where
    // the verdict is context to explain (context_only) or nothing applies (none).
    static std::vector<std::string> kinds_in_order(const RatingCase& c);

    Draft write(const RatingCase& c, const std::string& kind, const std::string& lang) const;
    // The template data/templates/NAME.LANG.txt read and checked (data --check): DataFileError
    // when it is missing or not a template.
    void check_template(const std::string& name, const std::string& lang) const;
    // A message from data/templates/NAME.LANG.txt filled with `facts`; an empty fact is false in
    // {{#fact}} sections. Linted like every draft.
    Draft write_message(const std::string& name, const std::map<std::string, std::string>& facts,
                        const std::string& lang) const;

    // What a draft holds where the shop's name goes while it is not set (templates/setup.LANG.json).
    const std::string& unnamed_shop(const std::string& lang) const;

    // Throws DraftLintError naming each forbidden phrase or personal datum found, and the mark of
    // a shop not named yet (the draft is not ready to send). `exempt` texts
    // (Amazon's quotes, the buyer's own comment) are not word-checked; `known_facts` (tracking
    // numbers, dates) are not mistaken for phone numbers.
    void lint(const std::string& text, const std::vector<std::string>& exempt, const std::string& what,
              const std::vector<std::string>& known_facts = {}) const;

private:
    // The word check reads `words_text` (a draft with its quotes of the comment blanked out), the
    // personal-data check `text`, the draft as shown. `comment` and `source_template` (empty when
    // unknown) tell the hint whom to blame: the template, the facts filled in, or the buyer.
    void lint(const std::string& words_text, const std::string& text, const std::vector<std::string>& exempt,
              const Said& what, const std::vector<std::string>& known_facts, const std::string& comment,
              const std::string& source_template) const;

    // Each template file read and prepared once: a report writes thousands of drafts.
    const std::string& template_text(const std::string& name, const std::string& lang) const;

    const Catalogue& data_;
    mutable std::map<std::string, std::string> template_texts_;
    const Marketplace& marketplace_;
    const ShopSettings& shop_;
    MaskingRules masking_;
    std::vector<AmazonQuote> quotes_;
    PhraseList forbidden_;
    std::map<std::string, std::string> reason_words_ja_, reason_words_en_;
    std::map<std::string, std::string> unnamed_shop_;  // by language
};

std::size_t count_characters(const std::string& utf8);

// The buyer's comment as it may stand inside a one-line quote: every line or paragraph separator
// (CR, LF, CRLF, VT, FF, NEL, U+2028, U+2029; tabs too) folds into one space, so the buyer cannot
// write lines of the seller's text; invisible characters (is_invisible: controls, bidi marks,
// zero-width and other default-ignorable characters) and a combining mark at the start are dropped, and
// one visible marker (`〔削除〕` in ja, `[removed]` in en) stands where anything was; invalid UTF-8
// becomes U+FFFD; the quote's own marks in the comment become nested ones (「」 → 『』, " → '), so that
// the buyer cannot close the quote. One pass, linear in the length.
std::string quotable_comment(const std::string& comment, const std::string& lang);
// The comment with only its line and paragraph separators folded into one space: what the masker
// reads, before quotable_comment.
std::string comment_on_one_line(const std::string& comment);

// Fills each risk item's draft from its template, in `lang`. A draft the lint refuses is left out,
// and the item's note says why, so that one odd fact never costs the seller the whole list.
void fill_risk_drafts(std::vector<RiskItem>& risks, const DraftWriter& writer, const std::string& lang);

}  // namespace fbtrack
