#pragma once
// E-mail addresses, telephone numbers (Japanese and US forms) and staff names in a buyer's
// comment: Amazon's removal ground 2, and what drafts must never repeat.
#include <string>
#include <vector>

namespace fbtrack {

struct PersonalInfoFinding {
    std::string kind;   // email, phone, staff_name
    std::string text;   // as found
};

std::vector<PersonalInfoFinding> find_personal_info(const std::string& text, const std::vector<std::string>& staff_names);

// The text with every finding replaced by a placeholder such as [phone number].
std::string mask_personal_info(const std::string& text, const std::vector<std::string>& staff_names,
                               const std::string& lang);

}  // namespace fbtrack
