// End-to-end: a buyer's comment built to break out of its quotation marks. Whatever it holds,
// every draft quotes it on one line, nothing of it reaches the seller's own lines, and no
// invisible or line-breaking character reaches the text a seller pastes.
#include "DraftChecks.h"
#include "TestSupport.h"

#include <gtest/gtest.h>


using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

const std::string order = "503-2417785-6630118";  // context_only: every kind of draft applies
// Written as the seller's own bullet, with words the lint refuses outside a quote.
const std::string injected = "・当店は返金とクーポンをお約束しますので評価を削除してください。";
const std::string kinds[] = {"removal", "reply", "buyer"};
const std::string langs[] = {"ja", "en"};

std::string repeat(const std::string& s, std::size_t times) {
    std::string out;
    out.reserve(s.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += s;
    return out;
}

// The pieces of a comment a reader would see: the text between separators and hidden characters.
std::vector<std::string> visible_pieces(const std::string& comment) {
    std::vector<std::string> pieces(1);
    for (std::size_t i = 0; i < comment.size();) {
        char32_t cp = 0;
        const std::size_t decoded = decode(comment, i, cp);
        const std::size_t len = decoded ? decoded : 1;  // a byte that is not UTF-8 counts as hidden
        const std::string ch = comment.substr(i, len);
        if (!decoded || hides_text(cp) || cp == '\n' || cp == ' ' || cp == '\t') {
            if (!pieces.back().empty()) pieces.emplace_back();
        } else {
            pieces.back() += ch;
        }
        i += len;
    }
    if (pieces.back().empty()) pieces.pop_back();
    return pieces;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t from = 0;
    for (std::size_t at; (at = text.find('\n', from)) != std::string::npos; from = at + 1)
        lines.push_back(text.substr(from, at - from));
    if (from < text.size()) lines.push_back(text.substr(from));
    return lines;
}

class HostileDraft : public ::testing::Test {
protected:
    // The sample month, with a feedback report whose only rating carries `comment`. A comment
    // with CR or LF goes in the CSV form, where a quoted field may hold them.
    void import_comment(const std::string& comment) {
        const fs::path in = dir_ / "in";
        fs::create_directories(in);
        for (const auto& e : fs::directory_iterator(project_data_samples()))
            if (e.path().filename().string().find("feedback") == std::string::npos)
                fs::copy_file(e.path(), in / e.path().filename(), fs::copy_options::overwrite_existing);
        const std::string header[] = {"日付", "評価", "コメント", "出品者の回答", "注文番号", "評価者のEメール"};
        const std::string row[] = {"2026/10/14", "1", comment, "", order, "x7k2m9q4w1z8c3v@marketplace.amazon.co.jp"};
        const bool csv = comment.find_first_of("\r\n") != std::string::npos;
        std::string text;
        for (const auto* fields : {header, row}) {
            for (int i = 0; i < 6; ++i) {
                if (i) text += csv ? "," : "\t";
                if (!csv) {
                    text += fields[i];
                    continue;
                }
                std::string quoted = "\"";
                for (char c : fields[i]) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
                text += quoted + "\"";
            }
            text += csv ? "\r\n" : "\n";
        }
        write_file(in / (csv ? "2026-10_feedback.csv" : "2026-10_feedback.txt"), text);
        ASSERT_EQ(name_sample_shop(dir_ / "fbtrack.db").exit_code, 0);
        const auto r = fbtrack({"import", in.string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto f = fbtrack({"feedback", "--json"});
        ASSERT_NE(f.out.find(order), std::string::npos) << "the hostile rating was not imported: " << r.out << r.err;
    }

    RunResult fbtrack(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", (dir_ / "fbtrack.db").string(), "--today", "2026-10-31"});
        return run_fbtrack(args);
    }

    // Every kind and language of draft for the hostile rating, checked line by line.
    void expect_every_draft_keeps_the_comment_quoted(const std::string& comment, const std::string& marker_expected) {
        const auto pieces = visible_pieces(comment);
        for (const auto& kind : kinds) {
            for (const auto& lang : langs) {
                SCOPED_TRACE(kind + "." + lang);
                const auto r = fbtrack({"appeal", order, "--kind", kind, "--lang", lang});
                ASSERT_EQ(r.exit_code, 0) << r.err;
                ASSERT_EQ(first_hidden(r.out), "") << "in the draft";
                const std::string open = quote_opening(lang), close = quote_closing(lang);
                int quotes = 0;
                for (const auto& line : lines_of(r.out)) {
                    if (line.rfind(open, 0) == 0) {
                        ++quotes;
                        EXPECT_EQ(line.substr(line.size() - close.size()), close) << "the quote does not end its line";
                        if (!marker_expected.empty()) {
                            EXPECT_NE(line.find(lang == "ja" ? "〔削除〕" : "[removed]"), std::string::npos)
                                << "nothing shows that characters were removed";
                        }
                        continue;
                    }
                    for (const auto& piece : pieces)
                        ASSERT_EQ(line.find(piece), std::string::npos) << "comment text '" << piece.substr(0, 60)
                                                                       << "' outside the quote: " << line.substr(0, 200);
                }
                EXPECT_EQ(quotes, kind == "removal" ? 1 : 0) << r.out.substr(0, 2000);
            }
        }
    }

    TempDir dir_;
};

struct Attack {
    std::string name, comment;
    bool hides_something;  // the draft must show a removal marker
};

class HostileComment : public HostileDraft, public ::testing::WithParamInterface<Attack> {};

TEST_P(HostileComment, StaysOnItsOneQuotedLineInEveryDraft) {
    ASSERT_NO_FATAL_FAILURE(import_comment(GetParam().comment));
    expect_every_draft_keeps_the_comment_quoted(GetParam().comment, GetParam().hides_something ? "yes" : "");
}

const std::string late = "発送が遅すぎて使えなかった";

INSTANTIATE_TEST_SUITE_P(
    Attacks, HostileComment,
    ::testing::Values(Attack{"LF", late + "\n" + injected, false}, Attack{"CRLF", late + "\r\n" + injected, false},
                      Attack{"CR", late + "\r" + injected, false},
                      Attack{"LineSeparator", late + "\u2028" + injected, false},
                      Attack{"ParagraphSeparator", late + "\u2029" + injected, false},
                      Attack{"NEL", late + "\xC2\x85" + injected, false}, Attack{"VT", late + "\v" + injected, false},
                      Attack{"FF", late + "\f" + injected, false},
                      Attack{"BidiOverride", late + "\u202E" + "ylno sdrow esrever" + "\u202C", true},
                      Attack{"ZeroWidthJoiner", "発送が\u200D遅すぎて\u200D使えなかった", true},
                      Attack{"EscapeSequence", late + "\x1B[2J\x1B]52;c;cmVmdW5k\x07" + "終わり", true},
                      Attack{"Huge_a", repeat("a", 65536), false}, Attack{"Huge_LF", repeat("\n", 65536), false},
                      Attack{"Huge_LineSeparator", repeat("\u2028", 65536 / 3), false},
                      Attack{"Huge_a_ja", repeat("あ", 65536 / 3), false}),
    [](const auto& info) { return info.param.name; });

// Issue 25: a phone number written with its country code and no '+' reached a removal draft.
// However a draft is written, its digits are gone; the order ID, date, price and tracking number
// beside it are quoted as the buyer wrote them.
TEST_F(HostileDraft, AnInternationalPhoneNumberIsMaskedInEveryDraftAndTheOtherNumbersStay) {
    const std::string phone = "81 90 1234 5678";
    const std::string comment = "発送が遅い。連絡は" + phone + "まで。注文249-8830124-5512907は2026-10-11発送、1,980円、追跡番号1234-5678-9012";
    ASSERT_NO_FATAL_FAILURE(import_comment(comment));
    const char* const others[] = {"249-8830124-5512907", "2026-10-11", "1,980円", "1234-5678-9012"};
    // The number's digits however a draft spaced them, the other numbers of the comment left out.
    const auto digits_of = [&](std::string text) {
        for (const char* other : others) text = replace_all(text, other, " ");
        std::string out;
        for (char c : text)
            if (c >= '0' && c <= '9') out += c;
        return out;
    };
    for (const auto& kind : kinds) {
        for (const auto& lang : langs) {
            SCOPED_TRACE(kind + "." + lang);
            const auto r = fbtrack({"appeal", order, "--kind", kind, "--lang", lang});
            ASSERT_EQ(r.exit_code, 0) << r.err;
            EXPECT_EQ(r.out.find("90 1234 5678"), std::string::npos) << r.out;
            EXPECT_EQ(digits_of(r.out).find("9012345678"), std::string::npos) << r.out;
            if (kind != "removal") continue;
            EXPECT_NE(r.out.find(lang == "ja" ? "連絡は[電話番号]まで" : "連絡は[phone number]まで"), std::string::npos) << r.out;
            for (const char* kept : others)
                EXPECT_NE(r.out.find(kept), std::string::npos) << kept << " is not quoted as written:\n" << r.out;
        }
    }
}

TEST_F(HostileDraft, AppealsWritesEveryOtherDraftWhenOneRatingsDraftIsRefused) {
    // The sample month, with a carrier name the lint refuses on one order: data, not a template.
    const fs::path in = dir_ / "in";
    fs::create_directories(in);
    for (const auto& e : fs::directory_iterator(project_data_samples()))
        fs::copy_file(e.path(), in / e.path().filename());
    const fs::path shipping = in / "2026-10_shipping_confirmation.txt";
    std::string bytes = read_file(shipping);
    const std::string poisoned = "249-8830124-5512907";
    const std::size_t line = bytes.find(poisoned);
    ASSERT_NE(line, std::string::npos);
    const std::string carrier = to_cp932("佐川急便");
    const std::size_t at = bytes.find(carrier, line);
    ASSERT_NE(at, std::string::npos);
    bytes.replace(at, carrier.size(), to_cp932("返金急便"));
    write_file(shipping, bytes);
    ASSERT_EQ(name_sample_shop(dir_ / "fbtrack.db").exit_code, 0);
    ASSERT_EQ(fbtrack({"import", in.string()}).exit_code, 0);

    const auto r = fbtrack({"appeals", "--out", (dir_ / "drafts").string()});
    EXPECT_EQ(r.exit_code, 65) << r.err;
    EXPECT_NE(r.err.find(poisoned), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("返金"), std::string::npos) << "the reason is not named: " << r.err;
    EXPECT_NE(r.err.find("carrier name"), std::string::npos) << "the data is not named as the cause: " << r.err;
    EXPECT_EQ(r.err.find("data/templates"), std::string::npos) << "the templates are blamed: " << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "drafts" / (poisoned + "-removal.ja.txt")));
    EXPECT_TRUE(fs::exists(dir_ / "drafts" / (poisoned + "-reply.ja.txt")));
    // A jp shop's drafts are written in Japanese only.
    for (const std::string other : {"503-2417785-6630118", "250-6672019-3381455", "503-9105532-1176240"})
        for (const auto& kind : kinds)
            if (kind != "removal" || other != "503-9105532-1176240") {  // that one has no removal ground
                EXPECT_TRUE(fs::exists(dir_ / "drafts" / (other + "-" + kind + ".ja.txt"))) << other << " " << kind;
                EXPECT_FALSE(fs::exists(dir_ / "drafts" / (other + "-" + kind + ".en.txt"))) << other << " " << kind;
            }
    EXPECT_NE(r.out.find("未決の評価 4 件の文面 11 件を"), std::string::npos) << r.out;
}

}  // namespace
