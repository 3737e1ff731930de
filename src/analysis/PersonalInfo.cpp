#include "analysis/PersonalInfo.h"

#include "analysis/PhraseList.h"
#include "core/DataFiles.h"

namespace fbtrack {

namespace {

struct Pattern {
    const char* kind;
    std::regex re;
};

// NFKC folding turns full-width digits and the full-width hyphen into ASCII, but not the other
// dashes Japanese input methods type between digits (0９0−1234 with U+2212 MINUS SIGN).
std::string fold(std::string_view text) {
    std::string out = fold_for_matching(text);
    static const char* const dashes[] = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014",
                                         "\u2015", "\u2212", "\uFE58", "\uFE63"};
    for (const char* dash : dashes) {
        const std::string_view d(dash);
        for (std::size_t at; (at = out.find(d)) != std::string::npos;) out.replace(at, d.size(), "-");
    }
    return out;
}

// Matched on folded text, so full-width digits and hyphens are plain ASCII here.
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
    const std::string folded = fold(text);
    for (const auto& p : patterns()) {
        for (auto it = std::sregex_iterator(folded.begin(), folded.end(), p.re); it != std::sregex_iterator(); ++it) {
            const auto& m = *it;
            const std::string found = m.size() > 2 && std::string(p.kind) == "phone" ? m[2].str() : m[0].str();
            out.push_back({p.kind, found});
        }
    }
    for (const auto& name : staff_names)
        if (!name.empty() && folded.find(fold(name)) != std::string::npos) out.push_back({"staff_name", name});
    return out;
}

namespace {
std::string alternatives(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
        std::string escaped;
        for (char c : fold(w)) {
            if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) escaped += '\\';
            escaped += c;
        }
        out += (out.empty() ? "" : "|") + escaped;
    }
    return "(" + out + ")";
}
}  // namespace

AddressFinder AddressFinder::load(const std::filesystem::path& data_dir) {
    const auto o = load_json_object(data_dir / "addresses.json");
    const std::string blocks = "(\\d+(-\\d+){1,3}|\\d+" + alternatives(json_strings(o, "jp_block_markers")) + ")";
    AddressFinder f;
    // A prefecture or a city, ward, town or village, then a block number within 40 bytes
    // (about a dozen kanji) of the same line.
    f.patterns_.push_back({std::regex(alternatives(json_strings(o, "jp_prefectures")) + "[^\\s]{0,40}?" + blocks), 0});
    f.patterns_.push_back(
        {std::regex("[^\\s]{3,24}?" + alternatives(json_strings(o, "jp_city_markers")) + "[^\\s]{0,40}?" + blocks), 0});
    // 〒150-0001 or 150-0001 standing alone (not part of a longer run of digits and hyphens).
    f.patterns_.push_back({std::regex("〒 ?\\d{3}-?\\d{4}"), 0});
    f.patterns_.push_back({std::regex("(^|[^0-9-])(\\d{3}-\\d{4})($|[^0-9-])"), 2});
    f.patterns_.push_back(
        {std::regex("\\b\\d{1,6}( [a-z0-9.#-]+){1,4} " + alternatives(json_strings(o, "us_street_suffixes")) + "\\b"), 0});
    return f;
}

std::vector<PersonalInfoFinding> AddressFinder::find(const std::string& text) const {
    std::vector<PersonalInfoFinding> out;
    const std::string folded = fold(text);
    auto continuation = [&](std::size_t i) { return i < folded.size() && (folded[i] & 0xC0) == 0x80; };
    for (const auto& [re, group] : patterns_) {
        for (auto it = std::sregex_iterator(folded.begin(), folded.end(), re); it != std::sregex_iterator(); ++it) {
            const auto& m = *it;
            std::size_t begin = static_cast<std::size_t>(m.position(group));
            std::size_t end = begin + static_cast<std::size_t>(m.length(group));
            // The patterns count bytes: widen the match to whole UTF-8 characters.
            while (begin > 0 && continuation(begin)) --begin;
            while (continuation(end)) ++end;
            out.push_back({"address", folded.substr(begin, end - begin)});
        }
    }
    return out;
}

std::string mask_personal_info(const std::string& text, const std::vector<std::string>& staff_names,
                               const std::string& lang, const AddressFinder* addresses) {
    std::string out = text;
    const bool ja = lang == "ja";
    auto placeholder = [&](const std::string& kind) {
        if (kind == "email") return std::string(ja ? "[メールアドレス]" : "[e-mail address]");
        if (kind == "phone") return std::string(ja ? "[電話番号]" : "[phone number]");
        if (kind == "address") return std::string(ja ? "[住所]" : "[address]");
        return std::string(ja ? "[氏名]" : "[name]");
    };
    // Findings may overlap (a phone number inside a loose address match), so look again after
    // each round of replacing until nothing is left. Placeholders hold no digits or '@'.
    for (int round = 0; round < 100; ++round) {
        auto findings = find_personal_info(out, staff_names);
        if (addresses)
            for (auto& a : addresses->find(out)) findings.push_back(std::move(a));
        bool changed = false;
        // Replace in the text as it is where the finding appears as is; else in its folded form.
        for (const auto& f : findings) {
            std::size_t at = out.find(f.text);
            if (at == std::string::npos) {
                out = fold(out);
                at = out.find(f.text);
            }
            for (; at != std::string::npos; at = out.find(f.text)) {
                out.replace(at, f.text.size(), placeholder(f.kind));
                changed = true;
            }
        }
        if (!changed) break;
    }
    return out;
}

}  // namespace fbtrack
