// End-to-end: a jp shop's commands answer in Japanese, every line of their text output, and in
// English with --lang en. Codes (verdicts, grounds, kinds) are for --json only; the text says
// them in words, and a rating's stars as ★★☆☆☆.
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <regex>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

// What a line may hold in ASCII without being English: facts from files and data rather than
// sentences. Taken out before the line is judged: paths and file names, addresses, URLs, the
// command lines the text names (`fbtrack feedback`), and the layouts' titles and names of
// data/layouts.json, which carry both languages.
std::string without_facts(std::string line) {
    static const std::vector<std::string> layouts = [] {
        std::vector<std::string> names;
        const auto root = Poco::JSON::Parser()
                              .parse(read_file(project_data_samples().parent_path() / "layouts.json"))
                              .extract<Poco::JSON::Object::Ptr>();
        const auto list = root->getArray("layouts");
        for (std::size_t i = 0; i < list->size(); ++i) {
            names.push_back(list->getObject(i)->getValue<std::string>("title"));
            names.push_back(list->getObject(i)->getValue<std::string>("name"));
        }
        // The longest first: a title holds no other's, but a name may be part of a title.
        std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
        return names;
    }();
    for (const auto& name : layouts) line = replace_all(line, name, " ");
    static const std::vector<std::regex> facts = {
        std::regex(R"(https?://\S+)"),
        std::regex(R"([^\s'"（）()「」、：]+@[^\s'"（）()「」、：]+)"),   // mail addresses
        std::regex(R"([^\s'"（）()「」、：]*/[^\s'"（）()「」、：]*)"),   // paths
        std::regex(R"([^\s'"（）()「」、：]+\.(txt|mbox|tsv|eml|csv|db|json))"),  // file names
        // Command lines: fbtrack, its commands, options, order IDs and placeholders ("fbtrack:"
        // before a notice leaves its colon).
        std::regex(R"(fbtrack( (import|status|feedback|appeals?|risk|calendar|shops?|show|set|expedite|list|add|reply|messages|)"
                   R"(init|mail|fetch|report|notify|watch|data|backup|restore|--[a-z-]+(=\S+)?|[0-9][-0-9]*|[A-Z]+))*)"),
    };
    for (const auto& f : facts) line = std::regex_replace(line, f, " ");
    return line;
}

// Why a line of a Japanese run is not Japanese, or empty when it is.
std::string not_japanese(const std::string& line) {
    const std::string rest = without_facts(line);
    // Two ASCII words in a row make an English phrase ("not answered"); a code is one word, in
    // any case ("Closed" of "Closed 2026-12-29 to …"): each is named. Two spaces part columns of
    // facts ("tsuki  jp": the shop and its marketplace's code), not words of a sentence.
    static const std::regex english(R"([A-Za-z]{2,}(, |; | )[A-Za-z]{2,})");
    static const std::regex code(R"((\[[a-z]+(_[a-z]+)*\])|\b[a-z]+_[a-z_]+\b|\b(removable|none|buyer|seller|declined|accepted|)"
                                 R"(decline|acceptance|other|orders|feedback|shipments|messages|rows|added|rejected|closed|open|unanswered|)"
                                 R"(sun|mon|tue|wed|thu|fri|sat|sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b)",
                                 std::regex::icase);
    static const std::regex ascii_stars(R"(\*\*|\*\.|\.\.\.\.)");
    static const std::regex label(R"(^[A-Za-z][A-Za-z ]*:)");  // "Orders:", "Shop:"
    std::smatch m;
    if (std::regex_search(rest, m, english)) return "English words '" + m.str() + "'";
    if (std::regex_search(rest, m, code)) return "a code '" + m.str() + "'";
    if (std::regex_search(rest, m, ascii_stars)) return "stars in ASCII '" + m.str() + "'";
    if (std::regex_search(rest, m, label)) return "an English label '" + m.str() + "'";
    return {};
}

// Each line of `text` that is not Japanese, with why.
std::vector<std::string> english_lines(const std::string& text) {
    std::vector<std::string> found;
    for (std::size_t from = 0; from < text.size();) {
        const std::size_t end = std::min(text.find('\n', from), text.size());
        const std::string line = text.substr(from, end - from);
        if (const auto why = not_japanese(line); !why.empty()) found.push_back(why + " in: " + line);
        from = end + 1;
    }
    return found;
}

class JapaneseOutput : public ::testing::Test {
protected:
    // A fresh home, where `shops` finds the one shop of this test.
    RunResult fbtrack(std::vector<std::string> args) {
        args.insert(args.begin(), {"--shop", "tsuki", "--today", "2026-10-31"});
        RunOptions options;
        options.env = {"HOME=" + (dir_ / "home").string(), "XDG_CONFIG_HOME=" + (dir_ / "home" / ".config").string(),
                       "XDG_DATA_HOME=" + (dir_ / "home" / ".local" / "share").string()};
        return run_fbtrack(args, options);
    }
    // Every command of the issue, on the sample month imported into a fresh jp shop: what each
    // printed, out and err.
    std::vector<std::pair<std::string, RunResult>> every_command(const std::vector<std::string>& lang) {
        std::vector<std::pair<std::string, RunResult>> runs;
        auto with = [&](std::vector<std::string> args) {
            args.insert(args.begin(), lang.begin(), lang.end());
            return args;
        };
        runs.push_back({"import", fbtrack(with({"--marketplace", "jp", "import", project_data_samples().string()}))});
        // Named after the import, so that the drafts of `risk` are written: until then a draft's
        // refusal is an error's words, which are not this test's.
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"shop", "set", "--name", "月商店"},
                 {"status"}, {"feedback"}, {"feedback", "--month", "2026-10"}, {"risk"}, {"calendar"},
              {"calendar", "--year", "2027"}, {"shops"}, {"expedite", "list"}, {"messages"}, {"messages", "--order", "6630118"}, {"messages", "--order", "2342762-9604038"},
              {"shop", "show"}, {"calendar", "add", "2026-12-29", "2027-01-03", "--label", "年末年始"},
              {"calendar", "set", "--holidays-closed", "no"}, {"calendar"}, {"calendar", "remove", "年末年始"},
              {"appeal", "6630118"}, {"appeal", "5512907", "--mark", "submitted"},
              {"appeals", "--out", (dir_ / ("appeals" + std::to_string(runs.size()))).string()},
              {"import", project_data_samples().string()}}) {
            std::string name;
            for (const auto& a : args) name += (name.empty() ? "" : " ") + a;
            runs.push_back({name, fbtrack(with(args))});
        }
        return runs;
    }

    TempDir dir_;
};

TEST(JapaneseOutputCheck, FindsTheEnglishOfEveryCommandBeforeThisChange) {
    // A line of each command as it printed before its words were Japanese: the check finds each.
    for (const std::string line : {
             "/tmp/s/2026-10_feedback.txt: feedback (Seller feedback report (6 columns); feedback, 6 columns), CP932: 4 rows, 4 "
             "added, 0 updated, 0 unchanged, 0 rejected",
             "Ratings:    4 (the feedback report lists 1-3 star ratings only)",
             "Orders:     28 (32 items)",
             "2026-10-08  **...  249-8830124-5512907  removable (削除基準に該当の可能性) [product_review]",
             "2026-10-14  *....  503-2417785-6630118  context_only (基準外・経緯の説明のみ)",
             "2026-10-31  unanswered  503-9884526-7131195",
             "2026-10-30  expedite_no_rating  250-0580022-4620935",
             "  2026-01-01 thu  祝日：元日",
             "Staff names:      田中",
             "Shops in /tmp/home/.local/share/fbtrack:",
             "  none yet: 'fbtrack --shop NAME import FILES' makes one",
             "2026-10-29 07:15 JST  250-0580022-4620935  none      [mail] request: 「発送を早めることについてのお問い合わせ」",
             "2026-10-30 12:00 JST  buyer   503-9884526-7131195  other, not answered",
             "fbtrack: created a new database, /tmp/s.db",
             "Closed 2026-12-29 to 2027-01-03 (年末年始)",
         })
        EXPECT_FALSE(not_japanese(line).empty()) << line;
    // And lets facts and Japanese through.
    for (const std::string line : {
             "/tmp/samples/2026-10_feedback.txt：評価（Seller feedback report (6 columns)、feedback、6 列）、CP932：4 行、追加 4",
             "評価　　　　：4 件（評価レポートには星1〜3の評価のみ。一覧：fbtrack feedback）",
             "    → 文面：fbtrack appeal 249-8830124-5512907 --kind reply",
             "ショップのメール：shop@sakura-zakka.example（メールから登録）",
         })
        EXPECT_EQ(not_japanese(line), "") << line;
}

TEST_F(JapaneseOutput, AJpShopsCommandsPrintNoEnglishSentenceNorCode) {
    for (const auto& [command, r] : every_command({})) {
        EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.err;
        EXPECT_FALSE(r.out.empty()) << command;
        for (const auto& line : english_lines(r.out + r.err)) ADD_FAILURE() << command << ": " << line;
    }
    // The stars and the verdicts in words.
    const auto feedback = fbtrack({"feedback"});
    EXPECT_NE(feedback.out.find("★★☆☆☆"), std::string::npos) << feedback.out;
    EXPECT_NE(feedback.out.find("★☆☆☆☆"), std::string::npos) << feedback.out;
    EXPECT_NE(feedback.out.find("基準外・経緯の説明のみ"), std::string::npos) << feedback.out;
    EXPECT_NE(feedback.out.find("削除基準に該当の可能性"), std::string::npos) << feedback.out;
    // --json keeps the codes.
    const auto json = fbtrack({"feedback", "--json"});
    EXPECT_NE(json.out.find("\"verdict\": \"context_only\""), std::string::npos) << json.out;
}

TEST_F(JapaneseOutput, LangEnGivesEnglish) {
    for (const auto& [command, r] : every_command({"--lang", "en"})) {
        EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.err;
        // No words of the Japanese output (the sample's comments, subjects, holidays and phrases
        // are Japanese, and so are the labels of the layouts): no line starts in Japanese, and
        // none of the Japanese sentences' fragments is there.
        // A draft (appeal's stdout) quotes Amazon.co.jp's Japanese statements verbatim and is
        // signed with the shop's name: only what appeal says around it counts here.
        const std::string text = command.rfind("appeal ", 0) == 0 ? r.err : r.out + r.err;
        for (std::size_t from = 0; from < text.size();) {
            const std::size_t end = std::min(text.find('\n', from), text.size());
            EXPECT_LT(static_cast<unsigned char>(text[from]), 0x80) << command << ": " << text.substr(from, end - from);
            from = end + 1;
        }
        for (const std::string fragment : {"追加 ", "一覧：", "時間後に返信", "未返信", "（注文番号なし）", "営業日数", "最終取り込み", "まだありません",
                                           "休業日に", "保存しました", "作成しました", "購入者 ", "下書き", "取り込み済み"})
            EXPECT_EQ(text.find(fragment), std::string::npos) << command << " holds " << fragment << ":\n" << text;
    }
    const auto status = fbtrack({"--lang", "en", "status"});
    EXPECT_NE(status.out.find("Orders:     28 (32 items)"), std::string::npos) << status.out;
    const auto feedback = fbtrack({"--lang", "en", "feedback"});
    EXPECT_NE(feedback.out.find("★★☆☆☆  249-8830124-5512907  may meet a removal criterion"), std::string::npos) << feedback.out;
    const auto shop = fbtrack({"--lang", "en", "shop", "show"});
    EXPECT_NE(shop.out.find("Handling days:    2"), std::string::npos) << shop.out;
}

}  // namespace
