// A shop's settings move into its database: a database from before (with no settings in it) and
// a data/shop.json the seller edited are taken over once, with a message, and from then on the
// file no longer matters to that shop.
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <cstdlib>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

class ShopSettingsMigration : public ::testing::Test {
protected:
    void SetUp() override {
        fs::copy(fs::path(FBTRACK_SOURCE_DATA_DIR), dir_ / "data", fs::copy_options::recursive);
        ::setenv("FBTRACK_DATA", (dir_ / "data").c_str(), 1);
    }
    void TearDown() override { ::unsetenv("FBTRACK_DATA"); }
    RunResult fbtrack(std::vector<std::string> args) {
        // In English: the lines these tests read are its words (JapaneseOutputTest reads the Japanese).
        args.insert(args.begin(), {"--db", db_.string(), "--today", "2026-10-31", "--lang", "en"});
        return run_fbtrack(args);
    }
    Poco::JSON::Object::Ptr shown() {
        const auto r = fbtrack({"shop", "show", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
    }
    // The seller's own edit of the old settings file.
    void edit_shop_json(const std::string& staff) {
        write_file(dir_ / "data" / "shop.json", R"({"shop_name": "やまね工房", "staff_names": [")" + staff +
                                                    R"("], "own_addresses": ["info@yamane.example"], "closed_weekdays": ["sunday", "saturday"],
                                                     "closed_ranges": [{"from": "2026-08-13", "to": "2026-08-16", "label": "お盆"}],
                                                     "holidays_closed": true, "handling_days": 3})");
    }

    TempDir dir_;
    fs::path db_ = dir_ / "fbtrack.db";
};

TEST_F(ShopSettingsMigration, AnOlderDatabaseTakesTheEditedFileOverOnceAndThenKeepsItsOwn) {
    ASSERT_EQ(fbtrack({"import", project_data_samples().string()}).exit_code, 0);
    {
        // As a database written before the shops kept their settings.
        SQLite::Database d(db_.string(), SQLite::OPEN_READWRITE);
        d.exec("DELETE FROM settings WHERE key = 'shop'");
    }
    edit_shop_json("山根");
    const std::string before = read_file(db_);
    // Reading commands use the file as it is, and write nothing.
    EXPECT_EQ(shown()->getValue<std::string>("shop_name"), "やまね工房");
    EXPECT_EQ(fbtrack({"feedback"}).exit_code, 0);
    EXPECT_TRUE(read_file(db_) == before) << "a reading command wrote the settings";

    // The first change takes the edited file over, and says so.
    const auto added = fbtrack({"calendar", "add", "2026-12-29", "2027-01-04", "--label", "年末年始"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    EXPECT_NE(added.err.find("keeps its own settings"), std::string::npos) << added.err;
    EXPECT_NE(added.err.find("shop.json"), std::string::npos) << added.err;
    const auto settings = shown();
    EXPECT_EQ(settings->getValue<std::string>("shop_name"), "やまね工房");
    EXPECT_EQ(settings->getValue<int>("handling_days"), 3);
    EXPECT_NE(settings->get("closed_ranges").toString().find("お盆"), std::string::npos);
    EXPECT_NE(settings->get("closed_ranges").toString().find("年末年始"), std::string::npos);

    // Taken over once: a later edit of the file changes nothing for this shop, and nothing is said again.
    edit_shop_json("別人");
    EXPECT_EQ(shown()->get("staff_names").toString().find("別人"), std::string::npos);
    const auto again = fbtrack({"calendar", "remove", "年末年始"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.err.find("keeps its own settings"), std::string::npos) << again.err;
}

TEST_F(ShopSettingsMigration, ShopSetChangesTheShopAndRefusesWhatCannotBeRight) {
    const std::string shipped = read_file(dir_ / "data" / "shop.json");
    const auto set = fbtrack({"shop", "set", "--name", "やまね工房", "--staff", "山根,Yamane", "--own-addresses",
                              "shop@yamane.example,info@yamane.example", "--buy-shipping", "yes"});
    ASSERT_EQ(set.exit_code, 0) << set.err;
    const auto settings = shown();
    EXPECT_EQ(settings->getValue<std::string>("shop_name"), "やまね工房");
    const auto strings = [&](const std::string& key) {
        std::vector<std::string> out;
        const auto list = settings->getArray(key);
        for (std::size_t i = 0; list && i < list->size(); ++i) out.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
        return out;
    };
    EXPECT_EQ(strings("staff_names"), (std::vector<std::string>{"山根", "Yamane"}));
    EXPECT_EQ(strings("own_addresses"), (std::vector<std::string>{"shop@yamane.example", "info@yamane.example"}));
    EXPECT_TRUE(settings->getValue<bool>("buy_shipping_always"));
    EXPECT_EQ(read_file(dir_ / "data" / "shop.json"), shipped) << "shop set wrote into the data folder";
    EXPECT_EQ(fbtrack({"shop", "set", "--own-addresses", "not an address"}).exit_code, 64);
    EXPECT_EQ(fbtrack({"shop", "set", "--buy-shipping", "maybe"}).exit_code, 64);
    EXPECT_EQ(fbtrack({"shop", "set", "--name", ""}).exit_code, 64);
    EXPECT_EQ(fbtrack({"shop", "set", "--staff", " , "}).exit_code, 64) << "blank staff names";
    EXPECT_EQ(fbtrack({"shop", "set", "--name", "Sak\u202Eura\u200BShop"}).exit_code, 64) << "bidi and zero-width in the name that signs every draft";
}

// A settings file with what would reach every draft raw (the name signs them), or that no
// calendar can use, is refused where it is read, naming it; nothing is taken over.
TEST_F(ShopSettingsMigration, ABadSettingsFileIsRefusedNamingIt) {
    write_file(dir_ / "data" / "shop.json", "{\"shop_name\": \"Evil\\u001b[31m\\u202eX\", \"handling_days\": 2}");
    // A data file that cannot be used: exit 78, as for every data file.
    const auto r = fbtrack({"import", project_data_samples().string()});
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_NE(r.err.find("shop.json: the shop name"), std::string::npos) << r.err;
    write_file(dir_ / "data" / "shop.json", R"({"shop_name": "x", "closed_weekdays": ["funday"], "reply_hours": {"from": "25:99", "until": "xx"}})");
    EXPECT_EQ(fbtrack({"import", project_data_samples().string()}).exit_code, 78);
    EXPECT_EQ(fbtrack({"shop", "show"}).exit_code, 78);
    // A closed range no calendar can read stops every command the same way, not as an internal error.
    write_file(dir_ / "data" / "shop.json", R"({"shop_name": "x", "closed_ranges": [{"from": "2026-13-45", "to": "x"}]})");
    const auto range = fbtrack({"calendar"});
    EXPECT_EQ(range.exit_code, 78) << range.err;
    EXPECT_EQ(range.err.find("internal"), std::string::npos) << range.err;
}

}  // namespace
