#include "analysis/PersonalInfo.h"

#include "catalogue/JsonNode.h"
#include "core/Errors.h"
#include "text/Encoding.h"

#include <re2/re2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <string_view>
#include <utility>

namespace fbtrack {

namespace {

const icu::Normalizer2& nfkc() {
    static const icu::Normalizer2* const normalizer = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
        if (U_FAILURE(status)) throw InternalError("ICU has no NFKC normalizer");
        return n;
    }();
    return *normalizer;
}

const icu::Normalizer2& nfkc_casefold() {
    static const icu::Normalizer2* const normalizer = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
        if (U_FAILURE(status)) throw InternalError("ICU has no NFKC_Casefold normalizer");
        return n;
    }();
    return *normalizer;
}


// NFKC folding turns full-width digits and the full-width hyphen into ASCII, but not what else
// Japanese input methods type in numbers: other dashes (U+2212 MINUS SIGN), the katakana
// prolonged sound mark (０９０ー１２３４, as an IME writes it) and kanji numerals (〇九〇,
// 一丁目一番一号) and the digits of other scripts. For matching, these become '-' and ASCII
// digits; the names and words the text is compared with are folded the same way.
char plain_ascii(UChar32 c) {
    switch (c) {
        case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
        case 0x2212: case 0xFE58: case 0xFE63: case 0x30FC: case 0x301C: return '-';  // 0x301C: 〜
        case 0x3007: return '0';  // 〇
        case 0x4E00: return '1';  // 一
        case 0x4E8C: return '2';  // 二
        case 0x4E09: return '3';  // 三
        case 0x56DB: return '4';  // 四
        case 0x4E94: return '5';  // 五
        case 0x516D: return '6';  // 六
        case 0x4E03: return '7';  // 七
        case 0x516B: return '8';  // 八
        case 0x4E5D: return '9';  // 九
        default: break;
    }
    // Digits of other scripts (٠٩٠, ०९०) count as the digits they are.
    if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) return static_cast<char>('0' + u_charDigitValue(c));
    return 0;
}

// Appends `piece` with those characters made plain, in one pass; says whether it changed any.
bool append_plain(std::string& out, std::string_view piece) {
    bool replaced = false;
    for (std::size_t i = 0; i < piece.size();) {
        const unsigned char lead = static_cast<unsigned char>(piece[i]);
        if (lead >= 0xC2) {
            const CodePoint cp = code_point_at(piece, i);
            if (const char c = cp.valid ? plain_ascii(cp.value) : 0) {
                out += c;
                i += cp.length;
                replaced = true;
                continue;
            }
        }
        out += piece[i++];
    }
    return replaced;
}

// Text folded for matching (NFKC with case folding, as fold_for_matching, and numbers plain),
// knowing where each part of it came from: personal data is found in the folded text but
// replaced in the text as the buyer wrote it.
//
// The text is folded piece by piece, cut where ICU says nothing normalizes across the cut
// (normalization boundaries), so the pieces fold to the same as the whole text does, in one
// linear pass.
class FoldedText {
public:
    // `casefold` false keeps capitals (Ｓｍｉｔｈ becomes Smith), for what capitals tell apart.
    explicit FoldedText(std::string_view original, bool casefold = true) : original_size_(original.size()) {
        const icu::Normalizer2& nfkc_cf = casefold ? nfkc_casefold() : nfkc();
        text_.reserve(original.size());
        for (std::size_t i = 0; i < original.size();) {
            const unsigned char c = static_cast<unsigned char>(original[i]);
            // ASCII before ASCII (most of an English text): nothing combines, only capitals change.
            if (c < 0x80 && (i + 1 == original.size() || static_cast<unsigned char>(original[i + 1]) < 0x80)) {
                const char lower = casefold && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
                append(i, std::string_view(&lower, 1), true);
                ++i;
                continue;
            }
            const CodePoint cp = code_point_at(original, i);
            if (!cp.valid) {
                append(i, "\uFFFD", false);  // one per bad byte
                ++i;
                continue;
            }
            if (nfkc_cf.isInert(cp.value)) {  // most kanji: unchanged, and combine with nothing
                append(i, original.substr(i, cp.length), true);
                i += cp.length;
                continue;
            }
            std::size_t end = i + cp.length;
            while (end < original.size()) {
                const CodePoint next = code_point_at(original, end);
                if (!next.valid || nfkc_cf.hasBoundaryBefore(next.value)) break;
                end += next.length;
            }
            const std::string_view segment = original.substr(i, end - i);
            icu::UnicodeString mapping;
            if (end == i + cp.length && !nfkc_cf.getDecomposition(cp.value, mapping)) {
                // A lone character without a mapping folds to itself (hiragana, most punctuation).
                append(i, segment, true);
            } else {
                UErrorCode status = U_ZERO_ERROR;
                const auto source = icu::UnicodeString::fromUTF8(
                    icu::StringPiece(segment.data(), static_cast<int32_t>(segment.size())));
                const icu::UnicodeString folded = nfkc_cf.normalize(source, status);
                std::string utf8;
                if (U_FAILURE(status)) utf8 = std::string(segment);
                else folded.toUTF8String(utf8);
                append(i, utf8, utf8 == segment);
            }
            i = end;
        }
    }

    const std::string& text() const { return text_; }

    // The bytes of the original text that became folded bytes [begin, end), begin < end.
    std::pair<std::size_t, std::size_t> original_span(std::size_t begin, std::size_t end) const {
        const auto piece_at = [&](std::size_t folded_at) {  // the last piece starting at or before it
            return std::upper_bound(pieces_.begin(), pieces_.end(), folded_at,
                                    [](std::size_t at, const Piece& p) { return at < p.folded; }) -
                   1;
        };
        const auto first = piece_at(begin);
        const auto last = piece_at(end - 1);
        const std::size_t from = first->exact ? first->original + (begin - first->folded) : first->original;
        std::size_t to = 0;
        if (last->exact) to = last->original + (end - last->folded);
        else to = last + 1 == pieces_.end() ? original_size_ : (last + 1)->original;
        return {from, to};
    }

private:
    // Folded bytes from `folded` on came from original bytes from `original` on; in an exact
    // piece byte k came from byte k (unchanged, or an ASCII capital lowered), elsewhere only the
    // piece as a whole maps to the piece.
    struct Piece {
        std::size_t original, folded;
        bool exact;
    };

    void append(std::size_t original_at, std::string_view folded, bool exact) {
        const std::size_t folded_at = text_.size();
        exact = !append_plain(text_, folded) && exact;
        // Consecutive exact pieces keep the same offset between the texts: one piece serves all.
        if (exact && !pieces_.empty() && pieces_.back().exact) return;
        pieces_.push_back({original_at, folded_at, exact});
    }

    std::string text_;
    std::vector<Piece> pieces_;
    std::size_t original_size_;
};

std::string fold(std::string_view text) { return FoldedText(text).text(); }

// Patterns match bytes, as std::regex did before: Latin-1 mode makes each byte of the UTF-8 text
// one character, so "{0,40}" counts bytes and the UTF-8 words in a pattern match themselves.
RE2::Options byte_options() {
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingLatin1);
    options.set_log_errors(false);
    options.set_max_mem(64 << 20);  // room for the DFA of the address patterns, before NFA fallback
    return options;
}

// UTF-8 mode where a pattern needs classes of characters (\p{Han}, a letter of any script).
RE2::Options utf8_options() {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(64 << 20);
    return options;
}

enum class Mode { bytes, utf8 };

std::shared_ptr<const re2::RE2> compile(const std::string& pattern, const std::string& source, Mode mode = Mode::bytes) {
    auto re = std::make_shared<const re2::RE2>(pattern, mode == Mode::bytes ? byte_options() : utf8_options());
    // Built from a data file's word lists: a list too large or odd for RE2 is that file's fault.
    if (!re->ok())
        throw DataFileError("data file " + source + ": its word lists make a pattern RE2 cannot use (" +
                            re->error().substr(0, 200) + "; the pattern is " + std::to_string(pattern.size()) +
                            " bytes). Hint: shorten the lists, or delete your copy to read the shipped one");
    return re;
}

// Calls found(begin, end) for each match's `group` in `text`, left to right, in one linear pass.
template <typename Found>
void for_each_match(const re2::RE2& re, int group, const std::string& text, Found found) {
    const int groups = re.NumberOfCapturingGroups() + 1;
    std::vector<re2::StringPiece> match(static_cast<std::size_t>(groups));
    std::size_t pos = 0;
    while (pos < text.size() && re.Match(text, pos, text.size(), re2::RE2::UNANCHORED, match.data(), groups)) {
        const re2::StringPiece& g = match[static_cast<std::size_t>(group)].data() ? match[static_cast<std::size_t>(group)] : match[0];
        const std::size_t begin = static_cast<std::size_t>(g.data() - text.data());
        const std::size_t end = begin + g.size();
        if (end > begin) found(begin, end);
        // Go on after the finding, not after the whole match: the character that ended this match
        // may be the one that begins the next ("090-1234-5678 03-1234-5678").
        pos = std::max(end, pos + 1);
        while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;  // a whole character
    }
}

struct Pattern {
    const char* kind;
    std::shared_ptr<const re2::RE2> re;
    int group;  // the part of a match that is the finding
};

// Matched on folded text, so full-width digits and hyphens are plain ASCII here. The phone
// patterns' first and last groups stand in for lookbehind and lookahead, which RE2 lacks: a
// number is not part of a longer run of digits and hyphens (an order ID, a tracking number).
const std::vector<Pattern>& patterns() {
    // Letters of the scripts e-mail addresses are written in, as buyers type them (tárо@exámple.com);
    // not kana or kanji, which would take the words before an address with it.
    static const std::string letter = R"([\p{Latin}\p{Greek}\p{Cyrillic}0-9])";
    static const std::string domain = "(?:" + letter + "|-)+(?:[.。・,·](?:" + letter + "|-)+)*[.。・,·]\\p{L}{2,}";
    // A separator within a phone number: hyphens, dots, slashes, tildes, blanks, an ideographic
    // comma, a few of them together (090 - 1234 - 5678, and a number broken over a line).
    static const std::string sep = "(?:[-./_~ ]{1,3}|、)";
    // Japanese numbers written with the country code 81. After a '+' anything goes that the
    // domestic forms allow, separators or none (+81 90 1234 5678, +81-3-1234-5678, (+81) 90.1234.5678,
    // +81 (0)90 1234 5678, +819012345678). Without a '+' (81 90 1234 5678, 0081-3-1234-5678,
    // (81) 90 1234 5678), the 81 stands as a group of its own and the rest is grouped as a Japanese
    // number is (its nine or ten digits as 1-4-4, 2-3-4, 2-4-4, 3-2-4, 3-3-4, 4-1-4, 4-2-4 or an
    // area code in parentheses), so that 8190 1234 5678 or 812345678901, a twelve-digit tracking
    // number's shapes, stay. The trunk 0 may be kept, as 0 or (0).
    static const std::string trunk = "(?:\\(0\\) ?|0)?";
    static const std::string jp_with_plus = "(?:\\(\\+ ?81\\) ?|\\+ ?81(?:" + sep + ")?)" + trunk + "(?:\\(\\d{1,4}\\) ?|\\d{1,4}(?:" +
                                            sep + ")?)\\d{1,4}(?:" + sep + ")?\\d{3,4}";
    static const std::string jp_grouped = "(?:\\d" + sep + "\\d{4}|\\d{2}" + sep + "\\d{3,4}|\\d{3}" + sep + "\\d{2,3}|\\d{4}" + sep +
                                          "\\d{1,2}|\\(\\d{1,4}\\) ?\\d{1,4})" + sep + "\\d{4}";
    static const std::string jp_without_plus = "(?:(?:00|010|011)(?:" + sep + ")?)?(?:\\(81\\) ?|81" + sep + ")" + trunk + jp_grouped;
    static const std::vector<Pattern> list = {
        {"email", compile("(?:" + letter + "|[._%+-])+@" + domain, "built-in e-mail pattern", Mode::utf8), 0},
        // A quoted local part ("taro yamada"@example.com, “taro”@…) is an address too.
        {"email", compile(R"([\"“”'‘’「『][^\"“”'‘’」』\r\n]{1,64}[\"“”'‘’」』] ?@ ?)" + domain, "built-in quoted e-mail pattern", Mode::utf8), 0},
        // Japanese numbers. The international forms come first, so that a number is taken whole
        // from its country code (0081 90 1234 5678, not 0081 90 1234 as a domestic number).
        // Then the domestic forms: 03-1234-5678, 090.1234.5678, 090 1234 5678, 09012345678,
        // 03(1234)5678, (03)1234-5678, 0 9 0 1 2 3 4 5 6 7 8.
        {"phone",
         compile("(^|[^0-9-])(" + jp_with_plus + "|" + jp_without_plus + "|0\\d{1,4}" + sep + "\\d{1,4}" + sep +
                     "\\d{3,4}|0[5789]0\\d{8}|0\\d{9}|0(?: \\d){9,10}" +
                     R"(|0\d{1,4} ?\(\d{1,4}\) ?\d{3,4}|\(0\d{1,4}\) ?\d{1,4}[-. ]?\d{3,4})($|[^0-9-]))",
                 "built-in Japanese phone pattern"),
         2},
        // US numbers: (555) 123-4567, (555)-123-4567, 555-123-4567, 555.123.4567, 1 555 123 4567,
        // 001-555-123-4567; after a '+' the separators may go: +1 555 123 4567, +1 (555) 123-4567,
        // (+1) 555.123.4567, +15551234567. Without one, the groups are what tells a number.
        {"phone",
         compile(R"((^|[^0-9-])((?:\(\+ ?1\) ?|\+ ?1[ .-]?)(?:\(\d{3}\)[ .-]?|\d{3}[ .-]?)\d{3}[ .-]?\d{4})"
                 R"(|(?:(?:00|010)[ .-]?1[ .-]?|1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4})($|[^0-9-]))",
                 "built-in US phone pattern"),
         2},
    };
    return list;
}

// A staff name counts where it stands as a name, not inside a longer one or a place name:
// 田中 in 田中さん, 田中が, 田中様; not in 田中角栄 or 田中市; Sato not in Satoshi.
bool stands_alone(const std::string& folded, std::size_t begin, std::size_t end) {
    const auto script = [](UChar32 cp) { return static_cast<UScriptCode>(u_getIntPropertyValue(cp, UCHAR_SCRIPT)); };
    const auto word_character = [&](UChar32 cp) {
        return u_isalnum(cp) && (cp < 0x80 || script(cp) == USCRIPT_LATIN || script(cp) == USCRIPT_KATAKANA);
    };
    if (end < folded.size()) {
        const CodePoint next = code_point_at(folded, end);
        if (next.valid && word_character(next.value)) return false;
        // Kanji after the name go on with it, unless they are an honorific or a plural.
        static constexpr std::u32string_view after_a_name = U"様殿氏君宛達等";
        if (next.valid && script(next.value) == USCRIPT_HAN && after_a_name.find(static_cast<char32_t>(next.value)) == std::u32string_view::npos)
            return false;
    }
    if (begin > 0) {
        std::size_t at = begin - 1;
        while (at > 0 && (static_cast<unsigned char>(folded[at]) & 0xC0) == 0x80) --at;
        const CodePoint previous = code_point_at(folded, at);
        const CodePoint first = code_point_at(folded, begin);
        if (previous.valid && first.valid && script(first.value) == USCRIPT_LATIN && script(previous.value) == USCRIPT_LATIN &&
            u_isalpha(previous.value))
            return false;
        // A kanji before it may make it part of another word (水田中に): then only an honorific
        // after it says that it is the name (担当田中さん).
        if (previous.valid && script(previous.value) == USCRIPT_HAN) {
            static constexpr std::string_view honorifics[] = {"さん", "様", "さま", "殿", "氏", "君", "くん", "ちゃん"};
            const std::string_view after = std::string_view(folded).substr(end);
            return std::any_of(std::begin(honorifics), std::end(honorifics), [&](std::string_view h) { return after.starts_with(h); });
        }
    }
    return true;
}

// Each staff name wherever it stands as a name.
void add_staff_name_spans(std::vector<PersonalInfoSpan>& out, const std::string& folded, const std::vector<std::string>& folded_names) {
    for (const auto& name : folded_names) {
        if (name.empty()) continue;
        for (std::size_t at = folded.find(name); at != std::string::npos; at = folded.find(name, at + name.size()))
            if (stands_alone(folded, at, at + name.size())) out.push_back({at, at + name.size(), "staff_name"});
    }
}

// Emails and phones in folded text, then each staff name.
std::vector<PersonalInfoSpan> spans_in(const std::string& folded, const std::vector<std::string>& folded_names) {
    std::vector<PersonalInfoSpan> out;
    for (const auto& p : patterns())
        for_each_match(*p.re, p.group, folded, [&](std::size_t b, std::size_t e) { out.push_back({b, e, p.kind}); });
    add_staff_name_spans(out, folded, folded_names);
    return out;
}

std::vector<std::string> folded_all(const std::vector<std::string>& words) {
    std::vector<std::string> out;
    for (const auto& w : words) out.push_back(fold(w));
    return out;
}

}  // namespace

std::vector<PersonalInfoFinding> find_personal_info(const std::string& text, const std::vector<std::string>& staff_names) {
    std::vector<PersonalInfoFinding> out;
    const FoldedText folded(text);
    const auto names = folded_all(staff_names);
    for (const auto& s : spans_in(folded.text(), {})) out.push_back({s.kind, folded.text().substr(s.begin, s.end - s.begin)});
    // A staff name is reported once, as the shop spells it.
    for (std::size_t i = 0; i < staff_names.size(); ++i) {
        std::vector<PersonalInfoSpan> at;
        add_staff_name_spans(at, folded.text(), {names[i]});
        if (!at.empty()) out.push_back({"staff_name", staff_names[i]});
    }
    return out;
}

namespace {

// "a|b|c": the words quoted for RE2, folded as the text they are matched in is (or as written,
// for the patterns matched in the text as written), to stand among other alternatives.
std::string alternation(const std::vector<std::string>& words, bool folded = true) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : "|") + re2::RE2::QuoteMeta(folded ? fold(w) : w);
    return out;
}

// Any one of the words, as a group of its own.
std::string any_of(const std::vector<std::string>& words, bool folded = true) { return "(?:" + alternation(words, folded) + ")"; }
std::string any_of_as_written(const std::vector<std::string>& words) { return any_of(words, false); }

std::string upper_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

}  // namespace

MaskingRules MaskingRules::load(const Catalogue& data) {
    MaskingRules f;
    const auto utf8 = Mode::utf8;
    // Every list is required: one left out or of another shape would leave names and addresses
    // unmasked. A list that becomes alternatives in a pattern needs a word: none would match
    // everywhere.
    const auto at_least_one = JsonNode::Entries::at_least_one;
    {
        const auto o = data.json("addresses.json");
        const std::string source = data.file("addresses.json").string();
        f.units_after_numbers_ = folded_all(o.strings("jp_units_after_numbers"));
        // Japanese addresses, in folded text (kanji numerals are digits there, ー a hyphen).
        // A block number starts as 1-2-3 (spaces allowed around the hyphens), 1の2の3, 3丁目,
        // 5番地 or 1番2, and goes on over the numbers and markers that follow it (1丁目1番1号),
        // then perhaps a building and a room (サクラマンション101号室, ABCビル5F).
        const std::string start = "(?:\\d+(?: ?- ?\\d+){1,3}|\\d+(?:[のノ]\\d+){1,3}|\\d+" +
                                  any_of(o.strings("jp_block_markers_alone", at_least_one)) + "|\\d+" + re2::RE2::QuoteMeta(fold("番")) + "\\d)";
        const std::string chain = "(?:-\\d+|\\d+|" + alternation(o.strings("jp_block_markers", at_least_one)) + ")*";
        const std::string building = "(?: ?(?:\\p{Han}|\\p{Katakana}|\\p{Latin}|-){1,12} ?\\d{1,4}(?:号室|階|f)?)?";
        const std::string blocks = start + chain + building;
        // Between a place and its block number: a few kanji or kana, single spaces allowed
        // (東京都　千代田区　千代田１－１－１), nothing that ends a phrase.
        const std::string gap = "(?:\\p{Han}|\\p{Katakana}|\\p{Hiragana}|[々ヶ -]){0,12}?";
        // The name before a city, ward, town or village marker: kanji and katakana only, so the
        // buyer's own words before it (発送が遅い。大阪市…) stay.
        const std::string place = "(?:\\p{Han}|\\p{Katakana}|[々ヶ]){1,5}";
        f.folded_.push_back({compile(any_of(o.strings("jp_prefectures", at_least_one)) + gap + blocks, source, utf8), 0, "address"});
        f.folded_.push_back({compile(place + any_of(o.strings("jp_city_markers", at_least_one)) + gap + blocks, source, utf8), 0, "address"});
        // 〒150-0001 or 150-0001 standing alone (not part of a longer run of digits and hyphens).
        f.folded_.push_back({compile("〒 ?\\d{3}-?\\d{4}", source), 0, "address"});
        f.folded_.push_back({compile("(^|[^0-9-])(\\d{3}-\\d{4})($|[^0-9-])", source), 2, "address"});
        // US addresses, in the text as written: capitals tell a street name from a sentence
        // ("1600 Pennsylvania Ave NW, Apt 2, Washington, DC 20500-0003", not "2 Drive belts").
        std::vector<std::string> states;
        for (const auto& st : o.strings("us_states", at_least_one)) states.push_back(upper_ascii(st));
        const std::string city_state_zip =
            "[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*){0,2},? " + any_of_as_written(states) + " \\d{5}(?:-\\d{4})?\\b";
        f.written_.push_back({compile("\\b\\d{1,6}(?: [A-Z0-9][A-Za-z0-9.'#-]*){1,4} (?i:" + any_of_as_written(o.strings("us_street_suffixes", at_least_one)) +
                                          ")\\b\\.?(?: (?i:" + any_of_as_written(o.strings("us_directions", at_least_one)) + ")\\b\\.?)?(?:,? (?i:" +
                                          any_of_as_written(o.strings("us_unit_words", at_least_one)) + ") ?[A-Za-z0-9-]+)?(?:,? " + city_state_zip + ")?",
                                      source, utf8),
                              0, "address"});
        f.written_.push_back({compile("\\b" + city_state_zip, source, utf8), 0, "address"});
        f.written_.push_back({compile("(?i:\\bp\\.? ?o\\.? ?box|\\bpost office box) ?#?\\d+\\b", source, utf8), 0, "address"});
    }
    {
        const auto o = data.json("masking.json");
        const std::string source = data.file("masking.json").string();
        // E-mail addresses written out, in folded text: taro(at)gmail.com, taro★gmail.com,
        // taro [at] gmail [dot] com, with a real top-level domain at the end; and with a spelled or
        // spaced at (taro at gmail.com, taro @ gmail . com, taro あっと gmail どっと com) only for
        // the mail services people use, so that "bought it at amazon.co.jp" stays as written.
        const std::string label = "[\\p{Latin}0-9-]+";
        const std::string local = "[\\p{Latin}0-9._%+-]+";
        const std::string any_dot = " ?(?:[.。]|" + alternation(o.strings("dot_words", at_least_one)) + ") ?";
        f.folded_.push_back({compile(local + " ?" + any_of(o.strings("at_words", at_least_one)) + " ?" + label + "(?:" + any_dot + label +
                                         ")*" + any_dot + any_of(o.strings("top_level_domains", at_least_one)) + "\\b",
                                     source, utf8),
                             0, "email"});
        std::string services;
        for (const auto& service : o.strings("mail_services", at_least_one)) {
            std::string spelled;  // gmail.com as gmail, a dot in any spelling, com
            for (std::size_t from = 0;;) {
                const std::size_t dot = service.find('.', from);
                spelled += (from ? any_dot : "") + re2::RE2::QuoteMeta(service.substr(from, dot - from));
                if (dot == std::string::npos) break;
                from = dot + 1;
            }
            services += (services.empty() ? "" : "|") + spelled;
        }
        f.folded_.push_back({compile("\\b" + local + " ?" + any_of(o.strings("spelled_at_words", at_least_one)) + " ?(?:" + services + ")\\b", source, utf8),
                             0, "email"});
        // Names in folded text: two or more kanji or katakana (one would take 仕様, 王様, お母さん
        // for names) or latin letters before an honorific, which must not begin a word of its
        // own (ちゃんと, サンプル, 様式: checked in spans_in_folded).
        const std::string run = "(?:\\p{Han}|\\p{Katakana}|[々-]){2,8}";
        f.folded_.push_back({compile("(" + run + "(?: (?:\\p{Han}|\\p{Katakana}|[々-]){1,8})?|\\p{Latin}{2,20}) ?" +
                                         any_of(o.strings("jp_honorifics", at_least_one)),
                                     source, utf8),
                             1, "name"});
        f.honorific_words_ = folded_all(o.strings("jp_words_beginning_with_an_honorific"));
        // Names in the text as written, where capitals say what is a name: Dear Taro Yamada,
        // Mr. Smith, MR SMITH, Mr.Smith, Tanaka-san.
        const std::string en_name = "([A-Z][A-Za-z'-]*(?: [A-Z][A-Za-z'-]*){0,2})";
        f.written_.push_back({compile("(?i:\\b" + any_of_as_written(o.strings("en_salutations", at_least_one)) + ") +" + en_name, source, utf8), 1, "name"});
        f.written_.push_back({compile("\\b" + any_of_as_written(o.strings("en_titles", at_least_one)) + "(?:\\. *| +)([A-Z][A-Za-z'-]*(?: [A-Z][A-Za-z'-]*)?)",
                                      source, utf8),
                              1, "name"});
        f.written_.push_back({compile("\\b([A-Z][A-Za-z]+)[- ](?i:" + any_of_as_written(o.strings("en_name_suffixes", at_least_one)) + ")\\b", source, utf8),
                              1, "name"});
        f.jp_not_names_ = folded_all(o.strings("jp_not_names"));
        f.en_not_names_ = folded_all(o.strings("en_not_names"));
    }
    return f;
}

std::vector<PersonalInfoSpan> MaskingRules::spans_in_folded(const std::string& folded) const {
    std::vector<PersonalInfoSpan> out;
    auto continuation = [&](std::size_t i) { return i < folded.size() && (folded[i] & 0xC0) == 0x80; };
    for (const auto& p : folded_) {
        for_each_match(*p.re, p.group, folded, [&](std::size_t begin, std::size_t end) {
            // Byte patterns count bytes: widen the match to whole UTF-8 characters.
            while (begin > 0 && continuation(begin)) --begin;
            while (continuation(end)) ++end;
            const std::string_view kind = p.kind, after = std::string_view(folded).substr(end);
            const auto starts_with_any = [](std::string_view text, const std::vector<std::string>& words) {
                return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return text.starts_with(w); });
            };
            if (kind == "name") {
                // The honorific follows the name, perhaps after a space: 山田 様, not ちゃんと or サンプル.
                const std::string_view honorific = after.starts_with(' ') ? after.substr(1) : after;
                if (!is_name(std::string_view(folded).substr(begin, end - begin)) || starts_with_any(honorific, honorific_words_)) return;
            }
            // 2-3日, 1-2週間: a count of days, not a block number.
            if (kind == "address" && starts_with_any(after, units_after_numbers_)) return;
            out.push_back({begin, end, p.kind});
        });
    }
    return out;
}

// `candidate` is folded: lower-case, ー as '-'.
bool MaskingRules::is_name(std::string_view candidate) const {
    if (candidate.empty()) return false;
    const CodePoint first = code_point_at(candidate, 0);
    if (u_getIntPropertyValue(first.value, UCHAR_SCRIPT) != USCRIPT_LATIN) {  // お客様, 担当者様, ドライバーさん
        return std::none_of(jp_not_names_.begin(), jp_not_names_.end(), [&](const std::string& w) { return candidate.ends_with(w); });
    }
    const std::string first_word = fold(candidate.substr(0, candidate.find(' ')));  // Dear Seller, Amazon様
    return std::find(en_not_names_.begin(), en_not_names_.end(), first_word) == en_not_names_.end();
}

std::vector<PersonalInfoSpan> MaskingRules::spans_in_written(const std::string& text) const {
    std::vector<PersonalInfoSpan> out;
    for (const auto& p : written_)
        for_each_match(*p.re, p.group, text, [&](std::size_t begin, std::size_t end) {
            if (std::string_view(p.kind) != "name" || is_name(std::string_view(text).substr(begin, end - begin)))
                out.push_back({begin, end, p.kind});
        });
    return out;
}

std::vector<PersonalInfoFinding> MaskingRules::find(const std::string& text) const {
    std::vector<PersonalInfoFinding> out;
    const std::string folded = fold(text);
    for (const auto& s : spans_in_folded(folded)) out.push_back({s.kind, folded.substr(s.begin, s.end - s.begin)});
    const FoldedText written(text, false);
    for (const auto& s : spans_in_written(written.text()))
        out.push_back({s.kind, written.text().substr(s.begin, s.end - s.begin)});
    return out;
}

std::string mask_personal_info(const std::string& text, const std::vector<std::string>& staff_names,
                               const std::string& lang, const MaskingRules* rules) {
    const bool ja = lang == "ja";
    auto placeholder = [&](std::string_view kind) {
        if (kind == "email") return ja ? "[メールアドレス]" : "[e-mail address]";
        if (kind == "phone") return ja ? "[電話番号]" : "[phone number]";
        if (kind == "address") return ja ? "[住所]" : "[address]";
        return ja ? "[氏名]" : "[name]";
    };
    const auto names = folded_all(staff_names);
    std::string out = text;
    // Each round finds everything in the text and replaces it in one pass. Of overlapping
    // findings the first found wins (e-mail, phone, staff name, address, then a name by its
    // honorific, as the patterns come), and the others are looked for again in the next round, on the masked text: a
    // loose address match around a phone number may be no address once the number is masked.
    // A placeholder can also free a neighbour (a phone number glued to a postcode). Two rounds
    // are the rule, three rare; the last of four masks every overlapping finding as one, so the
    // work stays a few linear passes and nothing found is left.
    constexpr int rounds = 4;
    for (int round = 0; round < rounds; ++round) {
        const FoldedText folded(out);
        auto spans = spans_in(folded.text(), names);
        if (rules)
            for (const auto& s : rules->spans_in_folded(folded.text())) spans.push_back(s);
        // What is found in the text as written last: names, the loosest finding, and US addresses.
        std::vector<PersonalInfoSpan> found;
        for (const auto& s : spans) {
            const auto [begin, end] = folded.original_span(s.begin, s.end);
            found.push_back({begin, end, s.kind});
        }
        if (rules) {
            const FoldedText written(out, false);
            for (const auto& s : rules->spans_in_written(written.text())) {
                const auto [begin, end] = written.original_span(s.begin, s.end);
                found.push_back({begin, end, s.kind});
            }
        }
        if (found.empty()) break;
        std::vector<PersonalInfoSpan> kept;
        if (round + 1 < rounds) {
            std::map<std::size_t, std::size_t> taken;  // begin → end of the spans kept so far
            for (const auto& s : found) {
                const auto after = taken.lower_bound(s.end);
                if (after != taken.begin() && std::prev(after)->second > s.begin) continue;  // overlaps one kept
                taken.emplace(s.begin, s.end);
                kept.push_back(s);
            }
        } else {
            kept = std::move(found);
        }
        // By start; of two starting together the longer first, so its kind names the merged span.
        std::sort(kept.begin(), kept.end(), [](const PersonalInfoSpan& a, const PersonalInfoSpan& b) {
            return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
        });
        std::string masked;
        masked.reserve(out.size());
        std::size_t copied = 0;
        for (std::size_t i = 0; i < kept.size();) {
            const PersonalInfoSpan& first = kept[i];
            std::size_t end = first.end;
            for (++i; i < kept.size() && kept[i].begin < end; ++i) end = std::max(end, kept[i].end);
            masked.append(out, copied, first.begin - copied);
            masked += placeholder(first.kind);
            copied = end;
        }
        masked.append(out, copied);
        out = std::move(masked);
    }
    return out;
}

}  // namespace fbtrack
