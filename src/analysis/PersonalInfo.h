#pragma once
// E-mail addresses, telephone numbers (Japanese and US forms) and staff names in a buyer's
// comment: Amazon's removal ground 2, and what drafts must never repeat.
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

namespace fbtrack {

struct PersonalInfoFinding {
    std::string kind;   // email, phone, staff_name, address
    std::string text;   // as found
};

std::vector<PersonalInfoFinding> find_personal_info(const std::string& text, const std::vector<std::string>& staff_names);

// Postal addresses, by the rules in data/addresses.json. Not one of Amazon's removal grounds,
// but no draft may repeat a buyer's address.
class AddressFinder {
public:
    static AddressFinder load(const std::filesystem::path& data_dir);
    std::vector<PersonalInfoFinding> find(const std::string& text) const;  // kind "address"

private:
    struct Pattern {
        std::regex re;
        int group;  // the part of a match that is the address (0: all of it)
    };
    std::vector<Pattern> patterns_;
};

// The text with every finding (and every address, given a finder) replaced by a placeholder
// such as [phone number].
std::string mask_personal_info(const std::string& text, const std::vector<std::string>& staff_names,
                               const std::string& lang, const AddressFinder* addresses = nullptr);

}  // namespace fbtrack
