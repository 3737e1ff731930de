#pragma once
// E-mail addresses, telephone numbers (Japanese and US forms) and staff names in a buyer's
// comment: Amazon's removal ground 2, and what drafts must never repeat.
//
// Matching uses RE2, which runs in time linear in the text: mail bodies of a megabyte are masked
// too, and a backtracking matcher (std::regex) overflows the stack on such texts.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace fbtrack {

struct PersonalInfoFinding {
    std::string kind;   // email, phone, staff_name, address
    std::string text;   // as found
};

std::vector<PersonalInfoFinding> find_personal_info(const std::string& text, const std::vector<std::string>& staff_names);

// A stretch [begin, end) of bytes in text folded for matching, and what it holds.
struct PersonalInfoSpan {
    std::size_t begin = 0, end = 0;
    const char* kind = "";
};

// Postal addresses, by the rules in data/addresses.json. Not one of Amazon's removal grounds,
// but no draft may repeat a buyer's address.
class AddressFinder {
public:
    static AddressFinder load(const std::filesystem::path& data_dir);
    std::vector<PersonalInfoFinding> find(const std::string& text) const;  // kind "address"
    // The addresses in text already folded for matching, widened to whole UTF-8 characters.
    std::vector<PersonalInfoSpan> spans_in_folded(const std::string& folded) const;

private:
    struct Pattern {
        std::shared_ptr<const re2::RE2> re;  // shared: a finder is copied, RE2 is not copyable
        int group;  // the part of a match that is the address (0: all of it)
    };
    std::vector<Pattern> patterns_;
};

// The text with every finding (and every address, given a finder) replaced by a placeholder
// such as [phone number]. The rest of the text is kept as written.
std::string mask_personal_info(const std::string& text, const std::vector<std::string>& staff_names,
                               const std::string& lang, const AddressFinder* addresses = nullptr);

}  // namespace fbtrack
