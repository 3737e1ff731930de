// The hostile-input catalogue: one case per way a buyer (or a file name, or a terminal) tries to
// make fbtrack say what the seller did not write (tests/hostile/catalogue.json lists them).
// Each case imports the bundled sample month with its attack in place, runs one command, and
// checks the exit code, the exact output (tests/hostile/expected/ID.txt) and that nothing a
// terminal or a paste would act on reaches the seller.
#include "DraftChecks.h"
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;
using namespace fbtrack::test;

namespace {

const fs::path hostile_dir = fs::path(FBTRACK_TEST_FIXTURES).parent_path() / "hostile";
// The sample month's rating that every kind of draft applies to.
const std::string order = "503-2417785-6630118";

struct Case {
    std::string id, attack, comment, subject, body, file_name, output;
    std::vector<std::string> args;
    int exit_code = 0;
    bool golden = true, database_unchanged = false;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.id; }

std::string from_hex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

std::string repeat_to(const std::string& unit, std::size_t bytes) {
    std::string out;
    out.reserve(bytes + unit.size());
    while (out.size() + unit.size() <= bytes) out += unit;
    return out;
}

std::vector<Case> load_cases() {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(read_file(hostile_dir / "catalogue.json")).extract<Poco::JSON::Object::Ptr>();
    std::vector<Case> cases;
    const auto list = root->getArray("cases");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto o = list->getObject(static_cast<unsigned>(i));
        Case c;
        c.id = o->getValue<std::string>("id");
        c.attack = o->getValue<std::string>("attack");
        c.comment = o->optValue<std::string>("comment", "");
        if (o->has("comment_unit"))
            c.comment = repeat_to(o->getValue<std::string>("comment_unit"), o->getValue<std::size_t>("comment_bytes"));
        c.subject = o->optValue<std::string>("subject", "");
        c.body = o->optValue<std::string>("body", "");
        if (o->has("message_unit")) {
            c.body = repeat_to(o->getValue<std::string>("message_unit"), o->getValue<std::size_t>("message_bytes"));
            c.subject = "発送を早めることについてのお問い合わせ" + c.body;
        }
        c.file_name = from_hex(o->optValue<std::string>("file_name_hex", ""));
        c.output = o->optValue<std::string>("output", "stdout");
        const auto args = o->getArray("args");
        for (std::size_t k = 0; k < args->size(); ++k) c.args.push_back(args->getElement<std::string>(static_cast<unsigned>(k)));
        c.exit_code = o->getValue<int>("exit");
        c.golden = o->optValue<bool>("golden", true);
        c.database_unchanged = o->optValue<bool>("database_unchanged", false);
        cases.push_back(c);
    }
    return cases;
}



// The import journal says when each file was imported: the time of the run, not of the case.
std::string without_import_times(std::string text) {
    const auto digit = [&](std::size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
    const std::string shape = "dddd-dd-ddTdd:dd:ddZ";
    for (std::size_t i = 0; i + shape.size() <= text.size(); ++i) {
        bool match = true;
        for (std::size_t k = 0; k < shape.size() && match; ++k)
            match = shape[k] == 'd' ? digit(i + k) : text[i + k] == shape[k];
        if (match) text.replace(i, shape.size(), "{imported at}");
    }
    return text;
}

class HostileCatalogue : public ::testing::TestWithParam<Case> {
protected:
    void SetUp() override {
        // Calendar cases must not touch the project's own data folder.
        fs::copy(fs::path(FBTRACK_SOURCE_DATA_DIR), dir_ / "data", fs::copy_options::recursive);
        ::setenv("FBTRACK_DATA", (dir_ / "data").c_str(), 1);
    }
    void TearDown() override { ::unsetenv("FBTRACK_DATA"); }

    // The sample month, with the case's comment on the order's rating, its message in the
    // seller's CSV log, and one of its files under the case's file name.
    void import_month(const Case& c) {
        const fs::path in = dir_ / "in";
        fs::create_directories(in);
        for (const auto& e : fs::directory_iterator(project_data_samples())) {
            const std::string name = e.path().filename().string();
            if (!c.comment.empty() && name.find("feedback") != std::string::npos) continue;
            const bool renamed = !c.file_name.empty() && name.find("shipping_confirmation") != std::string::npos;
            fs::copy_file(e.path(), in / (renamed ? c.file_name : name));
        }
        if (!c.comment.empty()) {
            // CSV, where a quoted field may hold line breaks.
            std::string quoted = "\"";
            for (char ch : c.comment) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
            quoted += "\"";
            write_file(in / "2026-10_feedback.csv",
                       "日付,評価,コメント,出品者の回答,注文番号,評価者のEメール\r\n2026/10/14,1," + quoted + ",," + order +
                           ",x7k2m9q4w1z8c3v@marketplace.amazon.co.jp\r\n");
        }
        if (!c.subject.empty() || !c.body.empty()) {
            const auto field = [](const std::string& s) { return "\"" + replace_all(s, "\"", "\"\"") + "\""; };
            write_file(in / "messages_log.csv", "order_id,sent_at,direction,subject,body\r\n" + order + ",2026-10-12 09:00,buyer," +
                                                    field(c.subject) + "," + field(c.body) + "\r\n");
        }
        ASSERT_EQ(name_sample_shop(db_).exit_code, 0);
        const auto r = run_fbtrack({"--db", db_.string(), "import", in.string()});
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    }

    std::string expand(const std::string& arg) const {
        if (arg.rfind("{hex:", 0) == 0) return from_hex(arg.substr(5, arg.size() - 6));
        return replace_all(replace_all(arg, "{order}", order), "{out}", (dir_ / "out").string());
    }

    TempDir dir_;
    fs::path db_ = dir_ / "fbtrack.db";
};

TEST_P(HostileCatalogue, ChangesNothingOutsideItsQuoteAndReachesNoTerminal) {
    const Case& c = GetParam();
    SCOPED_TRACE(c.attack);
    ASSERT_NO_FATAL_FAILURE(import_month(c));
    const std::string db_before = read_file(db_);

    std::vector<std::string> args{"--db", db_.string(), "--today", "2026-10-31"};
    for (const auto& a : c.args) args.push_back(expand(a));
    const auto r = run_fbtrack(args);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err.substr(0, 2000);

    std::string shown = c.output == "stderr" ? r.err : r.out;
    if (c.output.rfind("file:", 0) == 0) shown = read_file(dir_ / "out" / c.output.substr(5));
    shown = replace_all(replace_all(shown, db_.string(), "{db}"), (dir_ / "out").string(), "{out}");
    if (c.args.front() == "status") shown = without_import_times(shown);

    for (const std::string* text : std::vector<const std::string*>{&r.out, &r.err, &shown})
        EXPECT_EQ(first_hidden(*text), "") << text->substr(0, 2000);
    if (fs::exists(dir_ / "out")) {
        for (const auto& e : fs::recursive_directory_iterator(dir_ / "out")) {
            if (e.is_regular_file()) {
                EXPECT_EQ(first_hidden(read_file(e.path())), "") << e.path();
            }
        }
    }
    if (c.database_unchanged) {
        EXPECT_TRUE(read_file(db_) == db_before) << "the database file changed";
    }

    if (!c.golden) return;
    const fs::path expected_path = hostile_dir / "expected" / (c.id + ".txt");
    if (std::getenv("FBTRACK_UPDATE_GOLDEN")) {
        fs::create_directories(expected_path.parent_path());
        write_file(expected_path, shown);
    }
    EXPECT_EQ(shown, read_file(expected_path));
}

INSTANTIATE_TEST_SUITE_P(Cases, HostileCatalogue, ::testing::ValuesIn(load_cases()),
                         [](const auto& info) { return info.param.id; });

}  // namespace
