// Property: whatever a buyer writes into a rating — e-mail addresses, phone numbers, postal
// addresses, in half- or full-width characters, Japanese or English — no draft repeats it.
#include "analysis/PersonalInfo.h"
#include "analysis/PhraseList.h"
#include "analysis/RatingCase.h"
#include "catalogue/DataFiles.h"
#include "drafts/DraftWriter.h"
#include "FuzzTargets.h"

#include "TestSupport.h"
#include <gtest/gtest.h>

#include <random>

using fbtrack::test::sample_shop;
using fbtrack::test::shipped_data;
using namespace fbtrack;

namespace {

class BuyerText {
public:
    explicit BuyerText(unsigned seed) : random_(seed) {}

    std::string email() {
        return word("abcdefghijklmnopqrstuvwxyz0123456789._", 3, 12) + pick({"a", "z", "7"}) + "@" +
               word("abcdefghijklmnopqrstuvwxyz", 3, 9) + pick({".com", ".co.jp", ".ne.jp", ".jp", ".net"});
    }
    std::string phone() {
        switch (number(0, 8)) {
            case 0: return "0" + pick({"90", "80", "70"}) + "-" + digits(4) + "-" + digits(4);
            case 1: return "0" + digits(1, '1') + "-" + digits(4) + "-" + digits(4);
            case 2: return "0" + pick({"90", "80"}) + digits(8);
            case 3: return "(" + digits(3, '2') + ") " + digits(3) + "-" + digits(4);
            // International forms, with and without '+' (issue 25).
            case 4: return "81 " + pick({"90", "80", "70"}) + " " + digits(4) + " " + digits(4);
            case 5: return pick({"81-", "+81-", "0081-"}) + digits(1, '1') + "-" + digits(4) + "-" + digits(4);
            case 6: return pick({"+1 (", "1 ("}) + digits(3, '2') + ") " + digits(3) + "-" + digits(4);
            case 7: return pick({"+1-", "1-", "+1."}) + digits(3, '2') + pick({"-", "."}) + digits(3) + pick({"-", "."}) + digits(4);
            default: return "+81 " + pick({"90", "80"}) + " " + digits(4) + " " + digits(4);
        }
    }
    std::string address() {
        switch (number(0, 3)) {
            case 0:
                return pick({"東京都", "大阪府", "北海道", "神奈川県", "石川県"}) + pick({"世田谷区", "金沢市", "札幌市中央区", "横浜市青葉区"}) +
                       pick({"太子堂", "本町", "桜丘", "緑ヶ丘"}) + std::to_string(number(1, 9)) + "-" +
                       std::to_string(number(1, 30)) + "-" + std::to_string(number(1, 20));
            case 1:
                return pick({"金沢市", "世田谷区", "那覇市"}) + pick({"本町", "若林"}) + std::to_string(number(1, 9)) + "丁目" +
                       std::to_string(number(1, 30)) + "番地";
            case 2: return "〒" + digits(3) + "-" + digits(4);
            default:
                return std::to_string(number(1, 9999)) + " " + pick({"Elm", "Maple", "North Oak", "Sunset"}) + " " +
                       pick({"Street", "Ave", "Road", "Blvd", "Lane"});
        }
    }
    // Half-width text as full-width, as Japanese keyboards often type it.
    static std::string full_width(const std::string& ascii) {
        std::string out;
        for (unsigned char c : ascii) {
            if (c < 0x21 || c > 0x7E) {
                out += static_cast<char>(c);
                continue;
            }
            const unsigned cp = 0xFF01 + (c - 0x21);
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return out;
    }
    std::string filler() {
        return pick({"発送が遅い。", "Very slow shipping.", "連絡してください ", "急いでいると伝えたのに", " contact me at ",
                     "住所は ", "届け先: ", "", "商品は良いが", " I live at ", "電話番号 "});
    }
    int number(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random_); }
    bool coin() { return number(0, 1) == 1; }

private:
    std::string pick(std::initializer_list<const char*> options) {
        auto it = options.begin();
        std::advance(it, number(0, static_cast<int>(options.size()) - 1));
        return *it;
    }
    std::string digits(int n, char first_min = '0') {
        std::string out;
        for (int i = 0; i < n; ++i) out += static_cast<char>(number(i == 0 ? first_min : '0', '9'));
        return out;
    }
    std::string word(const std::string& alphabet, int lo, int hi) {
        std::string out;
        for (int i = number(lo, hi); i > 0; --i) out += alphabet[static_cast<std::size_t>(number(0, static_cast<int>(alphabet.size()) - 1))];
        return out;
    }
    std::mt19937 random_;
};

std::string pick_separator(BuyerText& buyer) {
    switch (buyer.number(0, 3)) {
        case 0: return " ";
        case 1: return "、";
        case 2: return ", ";
        default: return "です。";
    }
}

// The digits of a phone number in any spelling, to find it however a draft reformatted it.
std::string digits_of(const std::string& text) {
    std::string out;
    for (char c : fold_for_matching(text))
        if (c >= '0' && c <= '9') out += c;
    return out;
}

TEST(PersonalDataProperty, NoDraftRepeatsABuyersEmailPhoneOrAddress) {
    const Catalogue& data = shipped_data();
    const Marketplace jp = load_marketplace(data, "jp");
    const ShopSettings shop = sample_shop(data);
    const DraftWriter writer(data, jp, shop);
    const unsigned seed = std::random_device{}();
    BuyerText buyer(seed);
    int drafts = 0;
    for (int round = 0; round < 150; ++round) {
        Store store(":memory:");
        const std::string id = "503-2417785-66301" + std::to_string(10 + round % 90);

        std::vector<std::string> personal;
        std::string comment = buyer.filler();
        for (int part = buyer.number(1, 3); part > 0; --part) {
            std::string p;
            switch (buyer.number(0, 2)) {
                case 0: p = buyer.email(); break;
                case 1: p = buyer.phone(); break;
                default: p = buyer.address(); break;
            }
            personal.push_back(p);
            // Separated as people write them: two numbers run together are one number.
            comment += (buyer.coin() ? BuyerText::full_width(p) : p) + pick_separator(buyer) + buyer.filler();
        }
        fuzz::store_rated_order(store, id, comment, buyer.number(1, 3), false);
        Correlator correlator(store, jp, shop, data, "ja", from_iso_date("2026-10-31"));
        const RatingCase c = *correlator.case_for(id);
        for (const auto& kind : DraftWriter::kinds()) {
            if (!DraftWriter::applies(c, kind)) continue;
            for (const char* lang : {"ja", "en"}) {
                std::string text;
                try {
                    text = writer.write(c, kind, lang).text;
                } catch (const DraftLintError&) {
                    continue;  // a refused draft repeats nothing
                }
                ++drafts;
                const std::string folded = fold_for_matching(text);
                for (const auto& p : personal) {
                    EXPECT_EQ(folded.find(fold_for_matching(p)), std::string::npos)
                        << "seed " << seed << ", " << kind << "." << lang << " repeats '" << p << "' of comment '"
                        << comment << "':\n" << text;
                    const std::string d = digits_of(p);
                    if (d.size() >= 7) {
                        EXPECT_EQ(digits_of(text).find(d), std::string::npos)
                            << "seed " << seed << ", " << kind << "." << lang << " repeats the digits of '" << p << "'";
                    }
                }
            }
        }
    }
    EXPECT_GT(drafts, 300) << "too few drafts were written to say anything";
}

TEST(PersonalDataProperty, AddressesAreFoundButOrderIdsDatesAndTrackingNumbersAreNot) {
    const MaskingRules f = MaskingRules::load(shipped_data());
    EXPECT_FALSE(f.find("届け先は東京都世田谷区太子堂1-2-3です").empty());
    EXPECT_FALSE(f.find("〒１５４−０００４").empty());  // full-width digits, U+2212 for the hyphen
    EXPECT_FALSE(f.find("Ship to 1600 Pennsylvania Ave please").empty());
    EXPECT_TRUE(f.find("注文番号 503-2417785-6630118、2026-10-11 発送、追跡番号 1234-5678-9012").empty());
    EXPECT_TRUE(f.find("3日かかりました。2個注文しました").empty());
    EXPECT_EQ(mask_personal_info("住所は石川県金沢市本町2-3-4です", {}, "ja", &f), "住所は[住所]です");
    EXPECT_EQ(mask_personal_info("電話 ０９０−１２３４−５６７８ まで", {}, "ja"), "電話 [電話番号] まで");
}

}  // namespace
