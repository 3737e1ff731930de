// The commands' words: stars, columns as a terminal counts them, a layout's label in words, and
// the sentence files of both languages saying the same things.
#include "app/Words.h"
#include "importers/ExportReader.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <set>

using namespace fbtrack;

TEST(Words, StarsAreFilledForTheRatingOutOfFive) {
    EXPECT_EQ(stars(2), "★★☆☆☆");
    EXPECT_EQ(stars(1), "★☆☆☆☆");
    EXPECT_EQ(stars(5), "★★★★★");
    EXPECT_EQ(stars(0), "☆☆☆☆☆");
    EXPECT_EQ(stars(9), "★★★★★");  // a rating out of range is shown, never overruns
}

TEST(Words, JapaneseTakesTwoColumnsACharacter) {
    EXPECT_EQ(display_width("orders"), 6u);
    EXPECT_EQ(display_width("メッセージ"), 10u);
    EXPECT_EQ(display_width("注文（UTC）"), 11u);
    EXPECT_EQ(padded("注文", 6), "注文  ");
    EXPECT_EQ(padded("shipments", 10), "shipments ");
    EXPECT_EQ(padded("メッセージ", 8), "メッセージ");  // wider already: as it is
}

TEST(Words, AnExportsLayoutLabelIsReadBackAsItWasWritten) {
    for (const LayoutLabel& label : {LayoutLabel{"all-orders", 74, false}, LayoutLabel{"shipping-confirmation", 9, true}}) {
        const auto back = LayoutLabel::parse(label.to_string());
        ASSERT_TRUE(back) << label.to_string();
        EXPECT_EQ(back->name, label.name);
        EXPECT_EQ(back->columns, label.columns);
        EXPECT_EQ(back->upload_template, label.upload_template);
    }
    EXPECT_FALSE(LayoutLabel::parse("mbox"));
    const Sentences ja = output_words(test::shipped_data(), "ja"), en = output_words(test::shipped_data(), "en");
    EXPECT_EQ(layout_shown(ja, "shipping-confirmation, 9 columns, upload template"), "shipping-confirmation、9 列、アップロード用テンプレート");
    EXPECT_EQ(layout_shown(en, "shipping-confirmation, 9 columns, upload template"), "shipping-confirmation, 9 columns, upload template");
    EXPECT_EQ(layout_shown(ja, "mbox"), "mbox");
}

TEST(Words, EverySentenceFileHasTheSameKeysInBothLanguages) {
    const auto& data = test::shipped_data();
    std::size_t pairs = 0;
    for (const auto& name : data.names("templates", ".json")) {
        const std::string suffix = ".ja.json";
        if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
        const std::string en = name.substr(0, name.size() - suffix.size()) + ".en.json";
        const auto ja_keys = Sentences(data, name).keys(), en_keys = Sentences(data, en).keys();
        EXPECT_EQ(std::set<std::string>(ja_keys.begin(), ja_keys.end()), std::set<std::string>(en_keys.begin(), en_keys.end()))
            << name << " and " << en;
        ++pairs;
    }
    EXPECT_GE(pairs, 9u);  // output, next_step, hints, reasons, report, risk, calendar, notify, setup
}
