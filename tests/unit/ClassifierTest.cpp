#include "analysis/MessageClassifier.h"
#include "catalogue/DataFiles.h"
#include "importers/MailSource.h"

#include "TestSupport.h"
#include <gtest/gtest.h>

using fbtrack::test::shipped_data;
using namespace fbtrack;

namespace {
class Classifier : public ::testing::Test {
protected:
    Classifier() : classifier_(MessageClassifier::load(shipped_data())), rules_(MailRules::load(shipped_data())) {}
    std::string buyer(const std::string& subject, const std::string& body = "") const {
        return classifier_.classify("buyer", subject, rules_.unquoted(body)).label;
    }
    std::string seller(const std::string& body) const {
        return classifier_.classify("seller", "Re: 発送を早めることについてのお問い合わせ", rules_.unquoted(body)).label;
    }
    MessageClassifier classifier_;
    MailRules rules_;
};
}  // namespace

TEST_F(Classifier, FindsExpediteRequestsInJapaneseAndEnglish) {
    EXPECT_EQ(buyer("発送を早めることについてのお問い合わせ"), "expedite_request");
    EXPECT_EQ(buyer("質問", "明日までに届けていただけますか"), "expedite_request");
    EXPECT_EQ(buyer("質問", "ｼｷｭｳ 至急お願いします"), "expedite_request");
    EXPECT_EQ(buyer("Ship faster inquiry from Amazon customer [buyer] (Order: 111-2223334-5556667)"), "expedite_request");
    EXPECT_EQ(buyer("Question", "I NEED IT BY friday, thanks"), "expedite_request");
    EXPECT_EQ(buyer("Question", "Could you ship it ＡＳＡＰ?"), "expedite_request");  // full-width letters
}

TEST_F(Classifier, IgnoresNegatedAndUnrelatedRequests) {
    EXPECT_EQ(buyer("質問", "急ぎではありませんので、ゆっくりで大丈夫です。"), "other");
    EXPECT_EQ(buyer("Question", "No rush at all, I am not in a hurry."), "other");
    EXPECT_EQ(buyer("Question", "I do not need it urgently."), "other");
    EXPECT_EQ(buyer("Question", "Does the brush come with a case?"), "other");  // "rush" inside a word
    EXPECT_EQ(buyer("商品到着のご連絡", "無事に届きました。"), "other");
}

TEST_F(Classifier, TellsDeclinesFromAcceptances) {
    EXPECT_EQ(seller("誠に申し訳ございませんが、発送を早めることはいたしかねます。"), "decline");
    EXPECT_EQ(seller("ご希望に沿えず申し訳ございません。"), "decline");
    EXPECT_EQ(seller("Unfortunately we cannot ship sooner than our handling time."), "decline");
    EXPECT_EQ(seller("本日発送いたします。"), "acceptance");
    EXPECT_EQ(seller("We will ship it out today."), "acceptance");
    EXPECT_EQ(seller("ラッピングのご用意はございません。"), "other");
}

TEST_F(Classifier, DeclineWinsOverAnAcceptanceItNegates) {
    EXPECT_EQ(seller("本日発送することはできかねます。"), "decline");
    EXPECT_EQ(seller("We will not ship today; we are unable to expedite."), "decline");
    EXPECT_EQ(seller("We won't ship today, sorry."), "other");  // negated acceptance, no decline phrase
}

TEST_F(Classifier, QuotedTextNeverDecides) {
    // The reply quotes the buyer's request and its own words accept or decline nothing.
    EXPECT_EQ(seller("承知しました。\n> 至急発送してください\n> 本日発送いたしますか"), "other");
    EXPECT_EQ(seller("Thanks.\n\nOn Mon, Jane wrote:\nWe will ship it today?"), "other");
    EXPECT_EQ(buyer("質問", "ありがとうございます。\n-----Original Message-----\n本日発送いたします\n至急"), "other");
}

TEST_F(Classifier, NamesTheDecidingPhrase) {
    const auto c = classifier_.classify("seller", "", "申し訳ございませんが、ご希望に沿えず…");
    EXPECT_EQ(c.label, "decline");
    EXPECT_EQ(c.phrase, "ご希望に沿えず");
}

TEST(MailRedaction, RemovesTheBuyersNameGreetingAndAddressBlock) {
    const auto rules = MailRules::load(shipped_data());
    EXPECT_EQ(rules.redact("Ship faster inquiry from Amazon customer Jane Doe (Order: 111-2223334-5556667)"),
              "Ship faster inquiry from Amazon customer [buyer] (Order: 111-2223334-5556667)");
    EXPECT_EQ(rules.redact("山田 太郎 様\n\nありがとうございます。"), "[購入者] 様\n\nありがとうございます。");
    EXPECT_EQ(rules.redact("Dear Jane Doe,\nThanks"), "Dear [buyer],\nThanks");
    EXPECT_EQ(rules.redact("Ship to:\nJane Doe\n12 Elm Street\n\nOrder ID: 1"), "Ship to: [removed]\n[removed]\n[removed]\n\nOrder ID: 1");
    EXPECT_EQ(rules.redact("お届け先：東京都世田谷区桜1-2-3\n以上"), "お届け先: [removed]\n以上");
    EXPECT_EQ(rules.redact("Thanks\n> Ship to: Jane Doe, 12 Elm Street"), "Thanks\n> Ship to: [removed]");
    EXPECT_EQ(rules.redact("OK\nOn Mon, Oct 5, 2026, Jane Doe wrote:\n> hi"), "OK\n[buyer] wrote:\n> hi");
}

TEST_F(Classifier, ALongBodyCostsLinearTimeInClassifyingAndRedacting) {
    // 2 MB of an exclusion phrase, then a request: quadratic blanking or redaction would not end
    // within the test's time, and the request at the end must still be found.
    std::string body;
    while (body.size() < 2'000'000) body += "no rush\n";
    EXPECT_EQ(buyer("Question", body + "Could you ship faster?"), "expedite_request");
    std::string names;
    while (names.size() < 1'700'000) names += "購入者 山田太郎 様\n";
    const std::string redacted = rules_.redact(names);
    EXPECT_EQ(redacted.find("山田"), std::string::npos);
    EXPECT_NE(redacted.find("購入者 [buyer]"), std::string::npos);
}
