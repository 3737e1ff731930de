#include "analysis/PersonalInfo.h"

#include "analysis/PhraseList.h"

#include <regex>

namespace fbtrack {

namespace {

struct Pattern {
    const char* kind;
    std::regex re;
};

// Matched on NFKC-folded text, so full-width digits and hyphens are plain ASCII here.
const std::vector<Pattern>& patterns() {
    static const std::vector<Pattern> list = {
        {"email", std::regex(R"([a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,})")},
        // Japanese numbers: 03-1234-5678, 090-1234-5678, 0120-123-456, 09012345678, +81 90 1234 5678.
        {"phone", std::regex(R"((^|[^0-9-])(0\d{1,4}[- ]\d{1,4}[- ]\d{3,4}|0[5789]0\d{8}|0\d{9}|\+81[- ]?\d{1,4}[- ]?\d{1,4}[- ]?\d{3,4})($|[^0-9-]))")},
        // US numbers: (555) 123-4567, 555-123-4567, 555.123.4567, +1 555 123 4567.
        {"phone", std::regex(R"((^|[^0-9-])((\+?1[ .-]?)?(\(\d{3}\)|\d{3})[ .-]\d{3}[ .-]\d{4})($|[^0-9-]))")},
    };
    return list;
}

}  // namespace

std::vector<PersonalInfoFinding> find_personal_info(const std::string& text, const std::vector<std::string>& staff_names) {
    std::vector<PersonalInfoFinding> out;
    const std::string folded = fold_for_matching(text);
    for (const auto& p : patterns()) {
        for (auto it = std::sregex_iterator(folded.begin(), folded.end(), p.re); it != std::sregex_iterator(); ++it) {
            const auto& m = *it;
            const std::string found = m.size() > 2 && std::string(p.kind) == "phone" ? m[2].str() : m[0].str();
            out.push_back({p.kind, found});
        }
    }
    for (const auto& name : staff_names)
        if (!name.empty() && folded.find(fold_for_matching(name)) != std::string::npos) out.push_back({"staff_name", name});
    return out;
}

std::string mask_personal_info(const std::string& text, const std::vector<std::string>& staff_names,
                               const std::string& lang) {
    std::string out = text;
    const bool ja = lang == "ja";
    auto placeholder = [&](const std::string& kind) {
        if (kind == "email") return std::string(ja ? "[メールアドレス]" : "[e-mail address]");
        if (kind == "phone") return std::string(ja ? "[電話番号]" : "[phone number]");
        return std::string(ja ? "[氏名]" : "[name]");
    };
    // Replace in the original text where the finding appears as is; else in the folded text.
    for (const auto& f : find_personal_info(text, staff_names)) {
        std::size_t at = out.find(f.text);
        if (at == std::string::npos) {
            out = fold_for_matching(out);
            at = out.find(f.text);
        }
        while (at != std::string::npos) {
            out.replace(at, f.text.size(), placeholder(f.kind));
            at = out.find(f.text);
        }
    }
    return out;
}

}  // namespace fbtrack
