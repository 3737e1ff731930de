// The seller's own copies of data files (~/.config/fbtrack), edited by hand: one of the wrong shape
// is refused, naming the file, that it is the seller's copy, and the place in it; never read as
// empty. A list of mail.json, masking.json or addresses.json read as empty would store buyers'
// names.
#include "TestSupport.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>
#include <tuple>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

const std::string buyer_name = "梨本 晴美";

// A buyer's question that greets the buyer by name and gives the address.
std::string buyer_mail() {
    return "From: Amazon Marketplace <q7w9r4t1zk3m8x2@marketplace.amazon.co.jp>\n"
           "To: shop@sakura-zakka.example\n"
           "Subject: 発送について (注文番号: 503-2417785-6630118)\n"
           "Date: Fri, 09 Oct 2026 22:30:12 +0900\n"
           "Message-ID: <copy-test-1@email.amazon.co.jp>\n"
           "MIME-Version: 1.0\n"
           "Content-Type: text/plain; charset=UTF-8\n"
           "Content-Transfer-Encoding: 8bit\n"
           "\n" +
           buyer_name + " 様\n\n注文番号: 503-2417785-6630118\n\n急ぎで必要なので、発送を早めていただけないでしょうか。\n\n"
                        "お届け先:\n" +
           buyer_name + "\n東京都世田谷区桜1-2-3\n";
}

class DataCopy : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(own_);
        write_file(mail_, buyer_mail());
    }
    RunResult fbtrack(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_.string(), "--today", "2026-10-31"});
        RunOptions options;
        options.env = {"HOME=" + (dir_ / "home").string(), "XDG_CONFIG_HOME=" + (dir_ / "config").string(), "FBTRACK_DATA="};
        return run_fbtrack(args, options);
    }
    static fs::path shipped(const std::string& name) { return project_data_samples().parent_path() / name; }
    // The shipped file as the seller's copy, with `key` set to `value` (JSON text).
    void copy_with(const std::string& name, const std::string& key, const std::string& value) {
        const std::string text = read_file(shipped(name));
        auto o = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
        ASSERT_TRUE(o->has(key)) << name << " has no " << key;
        o->set(key, Poco::JSON::Parser().parse("{\"v\": " + value + "}").extract<Poco::JSON::Object::Ptr>()->get("v"));
        std::ostringstream out;
        o->stringify(out);
        write_file(own_ / name, out.str());
    }
    // Whether the database (and its write-ahead log) holds these bytes anywhere.
    bool database_holds(const std::string& text) const {
        for (const auto* suffix : {"", "-wal"})
            if (fs::exists(db_.string() + suffix) && read_file(db_.string() + suffix).find(text) != std::string::npos) return true;
        return false;
    }
    std::int64_t messages() {
        const auto r = fbtrack({"status", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>()->getValue<std::int64_t>("messages");
    }

    TempDir dir_;
    fs::path own_ = dir_ / "config" / "fbtrack", db_ = dir_ / "shop.db", mail_ = dir_ / "question.eml";
};

}  // namespace

// The same message, imported with a correct copy and with one whose list is a string: the first
// stores it without the buyer's name, the second stores nothing.
TEST_F(DataCopy, AListWrittenAsAStringInMailJsonIsRefusedAndNoNameIsStored) {
    fs::copy_file(shipped("mail.json"), own_ / "mail.json");
    const auto good = fbtrack({"import", mail_.string()});
    ASSERT_EQ(good.exit_code, 0) << good.err;
    EXPECT_EQ(messages(), 1);
    EXPECT_FALSE(database_holds("晴美")) << "the buyer's name was stored with a correct copy";
    fs::remove(db_);
    fs::remove(db_.string() + "-wal");
    fs::remove(db_.string() + "-shm");

    copy_with("mail.json", "greeting_name_suffixes", R"("様,さま,殿")");
    const auto r = fbtrack({"import", mail_.string()});
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_NE(r.err.find("data file " + (own_ / "mail.json").string() + ": $.greeting_name_suffixes: a list of strings was expected, "
                         "a string was found"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("your own copy"), std::string::npos) << r.err;
    EXPECT_FALSE(database_holds("晴美"));
    // Every command stops at such a copy; without it, the database shows nothing was stored.
    fs::remove(own_ / "mail.json");
    EXPECT_EQ(messages(), 0);
}

TEST_F(DataCopy, AMissingListOrAWordOfAnotherTypeInMailJsonIsRefused) {
    const std::string text = read_file(shipped("mail.json"));
    auto o = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    o->remove("personal_line_labels");
    std::ostringstream out;
    o->stringify(out);
    write_file(own_ / "mail.json", out.str());
    auto r = fbtrack({"import", mail_.string()});
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_NE(r.err.find("$.personal_line_labels: a list of strings was expected, the key is missing"), std::string::npos) << r.err;

    copy_with("mail.json", "customer_name_after", R"(["Amazon customer ", 7])");
    r = fbtrack({"import", mail_.string()});
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_NE(r.err.find("$.customer_name_after[1]: a string was expected, a whole number was found"), std::string::npos) << r.err;
    // An empty marker would match everywhere.
    copy_with("mail.json", "customer_name_after", R"(["Amazon customer ", ""])");
    r = fbtrack({"import", mail_.string()});
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_NE(r.err.find("$.customer_name_after[1]: some text was expected, an empty string was found"), std::string::npos) << r.err;
    EXPECT_FALSE(database_holds("晴美"));
}

// masking.json and addresses.json mask names and addresses in stored mail and in drafts.
TEST_F(DataCopy, AListWrittenAsAStringInMaskingOrAddressesJsonStopsImportAndDrafts) {
    ASSERT_EQ(fbtrack({"import", project_data_samples().string()}).exit_code, 0);
    const auto before = messages();
    const std::vector<std::tuple<std::string, std::string, std::string>> broken = {
        {"masking.json", "jp_honorifics", R"("様,さん")"},
        {"masking.json", "en_salutations", "[]"},
        {"addresses.json", "jp_prefectures", R"({"東京都": 1})"},
    };
    for (const auto& [name, key, value] : broken) {
        copy_with(name, key, value);
        // The sample month's declined request: its drafts quote the buyer.
        for (const auto& args : std::vector<std::vector<std::string>>{{"import", mail_.string()}, {"appeal", "503-2417785-6630118"}}) {
            const auto r = fbtrack(args);
            EXPECT_EQ(r.exit_code, 78) << name << " " << args[0] << ": " << r.err;
            EXPECT_NE(r.err.find("data file " + (own_ / name).string() + ": $." + key + ": "), std::string::npos) << r.err;
            EXPECT_EQ(r.out, "") << "a draft was written";
        }
        fs::remove(own_ / name);
    }
    EXPECT_FALSE(database_holds("晴美"));
    EXPECT_EQ(messages(), before);
}

// marketplaces.json decides the time zone of every date: a wrong shape or a copy that cannot be
// read stops every command with the file named, not with an internal error.
TEST_F(DataCopy, AMarketplacesCopyOfTheWrongShapeOrALinkLoopIsNamed) {
    const std::vector<std::pair<std::string, std::string>> broken = {
        {R"({"jp": "amazon.co.jp"})", "$.jp: an object ({ ... }) was expected, a string was found"},
        {R"({"jp": []})", "$.jp: an object ({ ... }) was expected, a list was found"},
        {R"({"jp": {"name": "amazon.co.jp"}})", "$.jp.marketplace_id: a string was expected, the key is missing"},
        {R"({"jp": {"name": "amazon.co.jp", "marketplace_id": "A1", "posix_tz": "nowhere", "feedback_date_order": "YMD",
             "default_lang": "ja", "mail_domains": ["marketplace.amazon.co.jp"]}})",
         "$.jp.posix_tz: a POSIX time zone such as \"JST+9\" was expected, \"nowhere\" was found"},
        {R"({"jp": {"name": "amazon.co.jp", "marketplace_id": "A1", "posix_tz": "JST+9", "feedback_date_order": "YMD",
             "default_lang": "ja", "mail_domains": "marketplace.amazon.co.jp"}})",
         "$.jp.mail_domains: a list of strings was expected, a string was found"},
        {"{}", "$: a marketplace such as \"jp\": { ... } was expected, none was found"},
    };
    for (const auto& [content, expected] : broken) {
        write_file(own_ / "marketplaces.json", content);
        const auto r = fbtrack({"status"});
        EXPECT_EQ(r.exit_code, 78) << content << ": " << r.err;
        EXPECT_NE(r.err.find("data file " + (own_ / "marketplaces.json").string() + ": " + expected), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("internal"), std::string::npos) << r.err;
    }
    fs::remove(own_ / "marketplaces.json");
    fs::create_symlink(own_ / "marketplaces.json", own_ / "marketplaces.json");
    auto r = fbtrack({"status"});
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_NE(r.err.find("data file " + (own_ / "marketplaces.json").string() + ": is a symbolic link that leads round in a loop"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("internal"), std::string::npos) << r.err;
    // A link to nothing is the seller's copy too: not passed over for the shipped file.
    fs::remove(own_ / "marketplaces.json");
    fs::create_symlink(dir_ / "gone.json", own_ / "marketplaces.json");
    r = fbtrack({"status"});
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_NE(r.err.find("is a symbolic link to " + (dir_ / "gone.json").string() + ", which does not exist"), std::string::npos) << r.err;
    fs::remove(own_ / "marketplaces.json");
    EXPECT_EQ(fbtrack({"status"}).exit_code, 0);
}

// Every shipped file reads as it is: the checks refuse nothing fbtrack ships.
TEST_F(DataCopy, CopiesOfTheShippedFilesAreAccepted) {
    for (const auto* name : {"mail.json", "masking.json", "addresses.json", "marketplaces.json", "layouts.json", "shop.json",
                             "amazon_quotes.json"})
        fs::copy_file(shipped(name), own_ / name);
    fs::create_directories(own_ / "holidays");
    for (const auto* name : {"holidays/jp.json", "holidays/us.json"}) fs::copy_file(shipped(name), own_ / name);
    const auto r = fbtrack({"import", project_data_samples().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto feedback = fbtrack({"feedback"});
    EXPECT_EQ(feedback.exit_code, 0) << feedback.err;
    const auto calendar = fbtrack({"calendar"});
    EXPECT_EQ(calendar.exit_code, 0) << calendar.err;
    EXPECT_EQ(fbtrack({"--marketplace", "jp", "risk"}).exit_code, 0);
}

// The holiday rules decide deadlines: a rule that cannot be read is named with its place.
TEST_F(DataCopy, AHolidayRuleOfTheWrongShapeIsNamedWithItsPlace) {
    fs::create_directories(own_ / "holidays");
    write_file(own_ / "holidays" / "jp.json", R"({"rules": [{"kind": "fixed", "name": "元日", "month": 1, "day": 1},
                                                         {"kind": "fixed", "name": "x", "month": 2, "day": 30}]})");
    const auto r = fbtrack({"calendar"});
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_NE(r.err.find("data file " + (own_ / "holidays" / "jp.json").string() +
                         ": $.rules[1].day: a whole number from 1 to 28 was expected, 30 was found"),
              std::string::npos)
        << r.err;
}

// A sentence or one of Amazon's quotes in the seller's copy may hold anything: an escape sequence
// that clears the screen or writes the clipboard (OSC 52), a bidi override that reorders what is
// shown. `feedback` and `appeal` show it as visible escapes, never raw.
TEST_F(DataCopy, AnEscapeOrBidiControlInACopysSentenceOrQuoteNeverReachesTheTerminalRaw) {
    ASSERT_EQ(fbtrack({"import", project_data_samples().string()}).exit_code, 0);
    ASSERT_EQ(fbtrack({"shop", "set", "--name", "さくら雑貨"}).exit_code, 0);  // named: its drafts are written
    const std::string hostile = "\x1b]52;c;SGk=\x07\x1b[2J\u202E";
    const std::string shown = "\\e]52;c;SGk=\\x07\\e[2J\\u202E";
    const auto parsed = [](const fs::path& file) {
        return Poco::JSON::Parser().parse(read_file(file)).extract<Poco::JSON::Object::Ptr>();
    };
    const auto write_copy = [&](const std::string& name, const Poco::JSON::Object::Ptr& o) {
        std::ostringstream out;
        o->stringify(out);
        fs::create_directories((own_ / name).parent_path());
        write_file(own_ / name, out.str());
    };
    // Every sentence of the reasons, and every quote, begins with it.
    auto reasons = parsed(shipped("templates/reasons.ja.json"));
    for (const auto& key : reasons->getNames())
        if (key[0] != '_') reasons->set(key, hostile + reasons->getValue<std::string>(key));
    write_copy("templates/reasons.ja.json", reasons);
    auto quotes = parsed(shipped("amazon_quotes.json"));
    auto list = quotes->getArray("quotes");
    for (std::size_t i = 0; i < list->size(); ++i)
        list->getObject(static_cast<unsigned>(i))->set("text", hostile + list->getObject(static_cast<unsigned>(i))->getValue<std::string>("text"));
    write_copy("amazon_quotes.json", quotes);

    const auto raw = [](const RunResult& r) {
        for (const std::string* s : {&r.out, &r.err})
            if (s->find('\x1b') != std::string::npos || s->find('\x07') != std::string::npos || s->find("\u202E") != std::string::npos)
                return true;
        return false;
    };
    const auto feedback = fbtrack({"feedback"});
    ASSERT_EQ(feedback.exit_code, 0) << feedback.err;
    EXPECT_FALSE(raw(feedback)) << feedback.out;
    EXPECT_NE(feedback.out.find("    - " + shown), std::string::npos) << "the copy's reasons are shown, escaped:\n" << feedback.out;
    const auto json = fbtrack({"feedback", "--json"});
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_FALSE(raw(json)) << json.out;
    // The sample month's declined request: its removal request quotes Amazon.
    const auto appeal = fbtrack({"appeal", "503-2417785-6630118"});
    ASSERT_EQ(appeal.exit_code, 0) << appeal.err;
    EXPECT_FALSE(raw(appeal)) << appeal.out;
    EXPECT_NE(appeal.out.find("「" + shown + "発送を早めるリクエスト"), std::string::npos) << "the copy's quote is shown, escaped:\n" << appeal.out;
    const auto appeals = fbtrack({"appeals", "--out", (dir_ / "drafts").string()});
    ASSERT_EQ(appeals.exit_code, 0) << appeals.err;
    EXPECT_FALSE(raw(appeals)) << appeals.out;
    EXPECT_TRUE(fs::exists(dir_ / "drafts" / "503-2417785-6630118-removal.ja.txt")) << appeals.out;
}

// Names and phrases from the seller's copies (a holiday's name, the marketplace's name, a phrase
// that makes a message a request) reach the terminal only as for_terminal shows them: an escape
// sequence as \e…, never raw and never as U+FFFD.
TEST_F(DataCopy, NamesAndPhrasesFromCopiesReachTheTerminalEscaped) {
    const std::string clipboard = "\x1b]52;c;cmVmdW5k\x07", shown = "\\e]52;c;cmVmdW5k\\x07";
    // Every holiday's name carries the escape; the shop works on holidays, so calendar lists them.
    auto holidays = Poco::JSON::Parser().parse(read_file(shipped("holidays/jp.json"))).extract<Poco::JSON::Object::Ptr>();
    auto rules = holidays->getArray("rules");
    for (std::size_t i = 0; i < rules->size(); ++i) {
        auto rule = rules->getObject(static_cast<unsigned>(i));
        rule->set("name", rule->getValue<std::string>("name") + clipboard);
    }
    fs::create_directories(own_ / "holidays");
    std::ostringstream holidays_text;
    holidays->stringify(holidays_text);
    write_file(own_ / "holidays" / "jp.json", holidays_text.str());
    copy_with("shop.json", "holidays_closed", "false");
    auto marketplaces = Poco::JSON::Parser().parse(read_file(shipped("marketplaces.json"))).extract<Poco::JSON::Object::Ptr>();
    marketplaces->getObject("jp")->set("name", "amazon.co.jp" + clipboard);
    std::ostringstream marketplaces_text;
    marketplaces->stringify(marketplaces_text);
    write_file(own_ / "marketplaces.json", marketplaces_text.str());
    fs::create_directories(own_ / "phrases");
    write_file(own_ / "phrases" / "expedite_request.ja.txt",
               read_file(shipped("phrases/expedite_request.ja.txt")) + "はやく\x1b[31mおくって\n");
    const fs::path log = dir_ / "messages_log.csv";
    write_file(log, "order_id,sent_at,direction,subject,body\r\n"
                    "503-2417785-6630118,2026-10-12 09:00,buyer,お願い,はやく\x1b[31mおくって ください\r\n");
    const auto import = fbtrack({"--marketplace", "jp", "import", log.string()});
    ASSERT_EQ(import.exit_code, 0) << import.err;

    const std::vector<std::pair<std::vector<std::string>, std::string>> expected = {
        {{"calendar"}, "元日" + shown},
        {{"calendar"}, "amazon.co.jp" + shown},
        {{"shop", "show"}, "amazon.co.jp" + shown},
        {{"messages"}, "はやく\\e[31mおくって"},
        {{"expedite", "list"}, "はやく\\e[31mおくって"},
    };
    for (const auto& [args, text] : expected) {
        const auto r = fbtrack(args);
        ASSERT_EQ(r.exit_code, 0) << args.front() << ": " << r.err;
        EXPECT_NE(r.out.find(text), std::string::npos) << args.front() << ": " << r.out;
        EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << args.front() << " wrote an escape raw: " << r.out;
        EXPECT_EQ(r.out.find("\uFFFD"), std::string::npos) << args.front() << ": " << r.out;
    }
}
