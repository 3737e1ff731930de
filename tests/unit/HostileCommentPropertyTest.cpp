// Property: whatever a buyer puts in a comment — line and paragraph separators, controls, bidi
// and zero-width characters, the draft's own quotation marks — it stays inside its one quoted
// line of every draft; and masking is idempotent and keeps the rest of the text as written.
#include "analysis/PersonalInfo.h"
#include "analysis/RatingCase.h"
#include "catalogue/DataFiles.h"
#include "drafts/DraftWriter.h"
#include "DraftChecks.h"
#include "FuzzTargets.h"

#include "TestSupport.h"
#include <gtest/gtest.h>

#include <random>

using fbtrack::test::sample_shop;
using fbtrack::test::shipped_data;
using namespace fbtrack;

namespace {

// Words no template holds, so that any of them outside the quote came from the comment.
const std::vector<std::string> tokens = {"ぬぽ返金", "zqxrefund", "ゑゐクーポン", "Ｑｕｖｗ", "vqz", "・ぬゑ削除", "ｹﾞﾇ", "xq-7"};
// What a buyer uses to break out: separators, controls, bidi and zero-width characters, the
// draft's quotation marks, and blanks.
const std::vector<std::string> breakers = {"\n", "\r\n", "\r", "\v", "\f", "\t", "\u0085", "\u2028", "\u2029",
                                           "\x1B[2J", "\x1B]52;c;eA==\x07", "\x9B", "\u202E", "\u2066", "\u200B", "\uFEFF",
                                           "「", "」", "｢", "｣", "\"", "“", "”", "'", " ", "　", "・", "- ", "\n・", "\n\n"};

class HostileBuyer {
public:
    explicit HostileBuyer(unsigned seed) : random_(seed) {}
    std::string comment() {
        std::string out;
        for (int i = number(1, 12); i > 0; --i) {
            out += number(0, 2) == 0 ? tokens[pick(tokens.size())] : breakers[pick(breakers.size())];
            if (number(0, 3) == 0) out += "発送が遅い";
        }
        return out;
    }
    int number(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random_); }

private:
    std::size_t pick(std::size_t n) { return static_cast<std::size_t>(number(0, static_cast<int>(n) - 1)); }
    std::mt19937 random_;
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t from = 0;
    for (std::size_t at; (at = text.find('\n', from)) != std::string::npos; from = at + 1) lines.push_back(text.substr(from, at - from));
    if (from < text.size()) lines.push_back(text.substr(from));
    return lines;
}


TEST(HostileCommentProperty, NothingOfTheCommentLeavesItsOneQuotedLine) {
    const Catalogue& data = shipped_data();
    const Marketplace jp = load_marketplace(data, "jp");
    const ShopSettings shop = sample_shop(data);
    const DraftWriter writer(data, jp, shop);
    const unsigned seed = std::random_device{}();
    HostileBuyer buyer(seed);
    int quotes = 0;
    for (int round = 0; round < 120; ++round) {
        Store store(":memory:");
        const std::string id = "503-2417785-6630118";
        const std::string comment = buyer.comment();
        fuzz::store_rated_order(store, id, comment, buyer.number(1, 3), true);
        Correlator correlator(store, jp, shop, data, "ja", from_iso_date("2026-10-31"));
        const RatingCase c = *correlator.case_for(id);
        for (const auto& kind : DraftWriter::kinds()) {
            if (!DraftWriter::applies(c, kind)) continue;
            for (const std::string lang : {"ja", "en"}) {
                std::string text;
                try {
                    text = writer.write(c, kind, lang).text;
                } catch (const DraftLintError&) {
                    continue;  // a refused draft says nothing
                }
                for (const auto& line : lines_of(text)) {
                    if (line.rfind(test::quote_opening(lang), 0) == 0) {
                        ++quotes;
                        // The draft's own two marks, and no third that could end the quote early.
                        EXPECT_EQ(test::quote_line_problem(line, lang), "") << "seed " << seed;
                        continue;
                    }
                    for (const auto& t : tokens)
                        EXPECT_EQ(line.find(t), std::string::npos)
                            << "seed " << seed << ", " << kind << "." << lang << ": '" << t << "' outside the quote: " << line;
                }
                EXPECT_EQ(test::first_hidden(text), "") << "seed " << seed << ", " << kind << "." << lang;
            }
        }
    }
    EXPECT_GT(quotes, 60) << "too few quotes were written to say anything";
}

// Masking twice is masking once, and what it does not mask stays as written: capitals,
// full-width letters and all.
TEST(HostileCommentProperty, MaskingIsIdempotentAndKeepsTheRestAsWritten) {
    const MaskingRules rules = MaskingRules::load(shipped_data());
    const unsigned seed = std::random_device{}();
    std::mt19937 random(seed);
    const std::vector<std::string> parts = {"Call ME at ", "０９０ー１２３４ー５６７８", "090.1234.5678", "(202)456-1111", " VERY Late ",
                                            "Taro@Example.COM", "taro(at)gmail.com", "東京都千代田区千代田一丁目一番一号", "〒１００－０００１",
                                            "山田太郎様", "Dear Taro Yamada,", " ＡＢＣ ", "発送が遅い。", "1600 Pennsylvania Ave NW, Washington, DC 20500",
                                            "鈴木さん", "Order 503-2417785-6630118 ", "\n", "　"};
    const std::vector<std::string> placeholders = {"[phone number]", "[e-mail address]", "[address]", "[name]"};
    for (int round = 0; round < 300; ++round) {
        std::string text;
        for (int i = std::uniform_int_distribution<int>(1, 8)(random); i > 0; --i)
            text += parts[std::uniform_int_distribution<std::size_t>(0, parts.size() - 1)(random)];
        const std::string once = mask_personal_info(text, {"Suzuki"}, "en", &rules);
        EXPECT_EQ(mask_personal_info(once, {"Suzuki"}, "en", &rules), once) << "seed " << seed << ": " << text;
        // Every stretch between placeholders is found, in order, in the text as written.
        std::size_t in_text = 0, from = 0;
        while (from < once.size()) {
            std::size_t next = std::string::npos, length = 0;
            for (const auto& p : placeholders)
                if (const auto at = once.find(p, from); at < next) next = at, length = p.size();
            const std::string stretch = once.substr(from, next == std::string::npos ? std::string::npos : next - from);
            const std::size_t found = text.find(stretch, in_text);
            ASSERT_NE(found, std::string::npos) << "seed " << seed << ": '" << stretch << "' is not as written in '" << text << "'";
            in_text = found + stretch.size();
            if (next == std::string::npos) break;
            from = next + length;
        }
    }
}

}  // namespace
