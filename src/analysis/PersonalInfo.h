#pragma once
// E-mail addresses, telephone numbers (Japanese and US forms) and staff names in a buyer's
// comment: Amazon's removal ground 2, and what drafts must never repeat.
//
// Matching uses RE2, which runs in time linear in the text: mail bodies of a megabyte are masked
// too, and a backtracking matcher (std::regex) overflows the stack on such texts.
#include "catalogue/Catalogue.h"
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace fbtrack {

struct PersonalInfoFinding {
    std::string kind;   // email, phone, staff_name, address, name
    std::string text;   // as found
};

std::vector<PersonalInfoFinding> find_personal_info(const std::string& text, const std::vector<std::string>& staff_names);

// A stretch [begin, end) of bytes in text folded for matching, and what it holds.
struct PersonalInfoSpan {
    std::size_t begin = 0, end = 0;
    const char* kind = "";
};

// What the masker looks for beyond the clear-cut forms, by the rules in data/addresses.json and
// data/masking.json: postal addresses, names by their honorific or salutation (山田様, Dear Taro
// Yamada) and e-mail addresses written out to hide them (taro(at)gmail.com). None is one of
// Amazon's removal grounds as found (a guess is no ground to claim), but no draft may repeat one.
class MaskingRules {
public:
    static MaskingRules load(const Catalogue& data);
    std::vector<PersonalInfoFinding> find(const std::string& text) const;  // kinds address, email, name
    // Japanese addresses, names by their honorific and written-out e-mail addresses in text
    // already folded for matching, widened to whole UTF-8 characters.
    std::vector<PersonalInfoSpan> spans_in_folded(const std::string& folded) const;
    // English names and US addresses in text folded to NFKC but not case-folded: capitals matter.
    std::vector<PersonalInfoSpan> spans_in_written(const std::string& text) const;

private:
    struct Pattern {
        std::shared_ptr<const re2::RE2> re;  // shared: rules are copied, RE2 is not copyable
        int group;  // the part of a match that is the finding (0: all of it)
        const char* kind;
    };
    bool is_name(std::string_view candidate) const;

    std::vector<Pattern> folded_;   // matched in folded text
    std::vector<Pattern> written_;  // matched in the text as written
    std::vector<std::string> jp_not_names_, en_not_names_, honorific_words_, units_after_numbers_;  // folded
};

// The text with every finding (and, given rules, every address, name and written-out e-mail
// address) replaced by a placeholder such as [phone number]. The rest of the text is kept as written.
std::string mask_personal_info(const std::string& text, const std::vector<std::string>& staff_names,
                               const std::string& lang, const MaskingRules* rules = nullptr);

}  // namespace fbtrack
