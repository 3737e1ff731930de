// Installed like a real tool: `cmake --install` into a prefix, then the installed program run
// from another folder with a fresh home: the seller's state goes to ~/.local/share/fbtrack, one
// database per shop with its own settings, and no installed file changes. And `cpack -G DEB`
// makes a package with the program, its data, the manual and the runtime Depends.
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>
#include <gtest/gtest.h>

#include <map>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> hashes_under(const fs::path& root) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file()) continue;
        Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
        sha.update(read_file(e.path()));
        out[fs::relative(e.path(), root).string()] = Poco::DigestEngine::digestToHex(sha.digest());
    }
    return out;
}

RunResult run(const std::string& program, const std::vector<std::string>& args, RunOptions options = {}) {
    options.program = program;
    return run_fbtrack(args, options);
}

class Installed : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>();
        const auto r = run("/usr/bin/cmake", {"--install", FBTRACK_BUILD_DIR, "--prefix", prefix().string()});
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    }
    static void TearDownTestSuite() { dir_.reset(); }
    static fs::path prefix() { return *dir_ / "prefix"; }

    // The installed program, run in an empty folder with a fresh home and none of the
    // variables that would point it elsewhere.
    RunResult fbtrack(const std::vector<std::string>& args) {
        fs::create_directories(home_);
        fs::create_directories(work_);
        RunOptions options;
        options.cwd = work_;
        options.env = {"HOME=" + home_.string(), "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", "FBTRACK_DATA=", "FBTRACK_DB=", "FBTRACK_SHOP="};
        return run((prefix() / "bin" / "fbtrack").string(), args, options);
    }
    Poco::JSON::Object::Ptr shop_settings(const std::string& shop) {
        const auto r = fbtrack({"--shop", shop, "shop", "show", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
    }

    static inline std::unique_ptr<TempDir> dir_;
    TempDir scratch_;
    fs::path home_ = scratch_ / "home", work_ = scratch_ / "elsewhere";
};

TEST_F(Installed, PutsTheProgramItsDataTheManualAndTheCompletionInPlace) {
    EXPECT_TRUE(fs::is_regular_file(prefix() / "bin" / "fbtrack"));
    EXPECT_TRUE(fs::is_regular_file(prefix() / "share" / "fbtrack" / "layouts.json"));
    EXPECT_TRUE(fs::is_regular_file(prefix() / "share" / "fbtrack" / "shop.json"));
    EXPECT_TRUE(fs::is_directory(prefix() / "share" / "fbtrack" / "samples"));
    EXPECT_TRUE(fs::is_regular_file(prefix() / "share" / "bash-completion" / "completions" / "fbtrack"));
    const fs::path manual = prefix() / "share" / "man" / "man1" / "fbtrack.1";
    ASSERT_TRUE(fs::is_regular_file(manual));
    // The manual renders, and names every command, the files and the exit codes.
    RunOptions plain;
    plain.env = {"MANWIDTH=100", "MAN_KEEP_FORMATTING="};
    const auto shown = run("/usr/bin/man", {"-P", "cat", "-l", manual.string()}, plain);
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    for (const char* part : {"COMMANDS", "FILES", "ENVIRONMENT", "EXIT STATUS", "import", "feedback", "appeal", "appeals", "report",
                             "risk", "calendar", "shops", "shop set", "--shop", ".local/share/fbtrack", ".config/fbtrack", "64", "65"})
        EXPECT_NE(shown.out.find(part), std::string::npos) << part;
}

TEST_F(Installed, KeepsEachShopsStateInTheSellersFoldersAndChangesNoInstalledFile) {
    const auto before = hashes_under(prefix());
    const fs::path samples = prefix() / "share" / "fbtrack" / "samples";

    const auto jp = fbtrack({"import", samples.string()});
    ASSERT_EQ(jp.exit_code, 0) << jp.err;
    EXPECT_NE(jp.err.find("shop.json の設定を保存しました"), std::string::npos) << "the first import says where the settings came from";
    const auto us = fbtrack({"--shop", "us", "--marketplace", "us", "import", (samples / "2026-10_all_orders.txt").string()});
    ASSERT_EQ(us.exit_code, 0) << us.err;
    EXPECT_TRUE(fs::is_regular_file(home_ / ".local" / "share" / "fbtrack" / "default.db"));
    EXPECT_TRUE(fs::is_regular_file(home_ / ".local" / "share" / "fbtrack" / "us.db"));
    EXPECT_EQ(fs::status(home_ / ".local" / "share" / "fbtrack").permissions() & fs::perms::all, fs::perms::owner_all);

    // A closure added to one shop is that shop's only.
    ASSERT_EQ(fbtrack({"calendar", "add", "2026-08-13", "2026-08-16", "--label", "お盆休み"}).exit_code, 0);
    EXPECT_NE(shop_settings("default")->get("closed_ranges").toString().find("お盆休み"), std::string::npos);
    EXPECT_EQ(shop_settings("us")->get("closed_ranges").toString().find("お盆休み"), std::string::npos);
    ASSERT_EQ(fbtrack({"--shop", "us", "shop", "set", "--name", "Sakura Goods", "--staff", "Tanaka,Suzuki"}).exit_code, 0);
    EXPECT_EQ(shop_settings("us")->getValue<std::string>("shop_name"), "Sakura Goods");
    EXPECT_EQ(shop_settings("default")->getValue<std::string>("shop_name"), "") << "a new shop has no name until it is given one";

    // Both shops are listed, each with its marketplace and counts.
    const auto listed = fbtrack({"shops", "--json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    const auto shops = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(shops->size(), 2u) << listed.out;
    EXPECT_EQ(shops->getObject(0)->getValue<std::string>("shop"), "default");
    EXPECT_EQ(shops->getObject(0)->getValue<std::string>("marketplace"), "jp");
    EXPECT_EQ(shops->getObject(1)->getValue<std::string>("shop"), "us");
    EXPECT_EQ(shops->getObject(1)->getValue<std::string>("marketplace"), "us");
    EXPECT_GT(shops->getObject(0)->getValue<int>("ratings"), 0);

    // The report goes where the seller says; nothing lands in the current folder by itself.
    const auto report = fbtrack({"--today", "2026-10-31", "report", "--month", "2026-10", "--out", (scratch_ / "report.html").string()});
    ASSERT_EQ(report.exit_code, 0) << report.err;
    const auto by_default = fbtrack({"--today", "2026-10-31", "report", "--month", "2026-10"});
    ASSERT_EQ(by_default.exit_code, 0) << by_default.err;
    // In the documents folder, named by the shop and the month.
    const fs::path report_file = by_default.out.substr(0, by_default.out.find('\n'));
    EXPECT_TRUE(fs::is_regular_file(report_file)) << by_default.out;
    EXPECT_TRUE(report_file.string().starts_with((home_ / "Documents" / "fbtrack").string() + "/")) << by_default.out;
    EXPECT_TRUE(report_file.string().ends_with("-2026-10.html")) << by_default.out;
    EXPECT_TRUE(fs::is_empty(work_)) << "fbtrack wrote into the current folder";
    EXPECT_EQ(hashes_under(prefix()), before) << "an installed file changed";
    EXPECT_EQ(fbtrack({"--shop", "../x", "status"}).exit_code, 64);
}

TEST_F(Installed, ASellersCopyOfADataFileOverridesTheShippedOne) {
    const fs::path mine = home_ / ".config" / "fbtrack" / "phrases" / "topic_delivery.ja.txt";
    fs::create_directories(mine.parent_path());
    write_file(mine, "# mine\nのろのろ\n");
    const auto listed = fbtrack({"data"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("yours    phrases/topic_delivery.ja.txt"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("shipped  phrases/topic_delivery.en.txt"), std::string::npos) << listed.out;
    write_file(home_ / ".config" / "fbtrack" / "phrases" / "topic_delivry.ja.txt", "x\n");  // a typo: never read
    EXPECT_NE(fbtrack({"data"}).out.find("unread   phrases/topic_delivry.ja.txt"), std::string::npos);
    // A broken copy is named as the seller's file, not as a link in a private folder, with exit 78
    // (a data file that cannot be used), whether it is not JSON, the wrong shape, or a template
    // that does not parse.
    const std::vector<std::pair<std::string, std::string>> broken_copies = {
        {"marketplaces.json", "{ broken"}, {"layouts.json", "[1, 2, 3]"}, {"layouts.json", R"({"layout": []})"}, {"layouts.json", R"({"layouts": [5]})"}};
    for (const auto& [name, content] : broken_copies) {
        write_file(home_ / ".config" / "fbtrack" / name, content);
        const auto broken = fbtrack({"import", (prefix() / "share" / "fbtrack" / "samples").string()});
        EXPECT_EQ(broken.exit_code, 78) << name << ": " << broken.err;
        EXPECT_NE(broken.err.find("data file " + (home_ / ".config" / "fbtrack" / name).string() + ": "), std::string::npos) << broken.err;
        EXPECT_EQ(broken.err.find("internal"), std::string::npos) << broken.err;
        fs::remove(home_ / ".config" / "fbtrack" / name);
    }
    // The seller's phrase list is the one read: "のろのろ" is now a delivery complaint.
    const fs::path in = scratch_ / "in";
    fs::create_directories(in);
    for (const auto& e : fs::directory_iterator(prefix() / "share" / "fbtrack" / "samples"))
        if (e.path().filename().string().find("feedback") == std::string::npos) fs::copy_file(e.path(), in / e.path().filename());
    write_file(in / "2026-10_feedback.csv", "日付,評価,コメント,出品者の回答,注文番号,評価者のEメール\r\n"
                                           "2026/10/14,1,のろのろ,,503-2417785-6630118,x@marketplace.amazon.co.jp\r\n");
    const auto imported = fbtrack({"import", in.string()});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    const auto feedback = fbtrack({"--today", "2026-10-31", "feedback", "--json"});
    ASSERT_EQ(feedback.exit_code, 0) << feedback.err;
    EXPECT_NE(feedback.out.find("\"delivery\": \"のろのろ\""), std::string::npos) << feedback.out.substr(0, 3000);

    const fs::path template_copy = home_ / ".config" / "fbtrack" / "templates" / "removal.ja.txt";
    fs::create_directories(template_copy.parent_path());
    write_file(template_copy, "{{#unclosed}} section\n");
    const auto broken_template = fbtrack({"--today", "2026-10-31", "appeal", "503-2417785-6630118"});
    EXPECT_EQ(broken_template.exit_code, 78) << broken_template.err;
    EXPECT_NE(broken_template.err.find("data file " + template_copy.string() + ": "), std::string::npos) << broken_template.err;
}

// The Debian package: the program, its data, the manual, and Depends read off its libraries.
TEST_F(Installed, CpackMakesADebianPackageWithItsRuntimeDepends) {
    const fs::path out = scratch_ / "deb";
    const auto made = run("/usr/bin/cpack", {"-G", "DEB", "-B", out.string(), "--config", std::string(FBTRACK_BUILD_DIR) + "/CPackConfig.cmake"});
    ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
    fs::path deb;
    for (const auto& e : fs::directory_iterator(out))
        if (e.path().extension() == ".deb") deb = e.path();
    ASSERT_FALSE(deb.empty()) << made.out;
    const auto contents = run("/usr/bin/dpkg-deb", {"-c", deb.string()});
    for (const char* path : {"./usr/bin/fbtrack", "./usr/share/fbtrack/layouts.json", "./usr/share/fbtrack/shop.json",
                             "./usr/share/man/man1/fbtrack.1", "./usr/share/bash-completion/completions/fbtrack"})
        EXPECT_NE(contents.out.find(path), std::string::npos) << path;
    const auto depends = run("/usr/bin/dpkg-deb", {"-f", deb.string(), "Depends"});
    for (const char* library : {"libpocofoundation", "libpocojson", "libicu", "libre2", "libsqlite3", "libstdc++6"})
        EXPECT_NE(depends.out.find(library), std::string::npos) << library << " missing from Depends: " << depends.out;
    // The packaged program runs where it is unpacked, with the data beside it.
    const fs::path root = scratch_ / "unpacked";
    ASSERT_EQ(run("/usr/bin/dpkg-deb", {"-x", deb.string(), root.string()}).exit_code, 0);
    RunOptions options;
    options.env = {"HOME=" + home_.string(), "XDG_DATA_HOME=", "FBTRACK_DATA=", "FBTRACK_DB="};
    fs::create_directories(home_);
    const auto version = run((root / "usr" / "bin" / "fbtrack").string(), {"shops"}, options);
    EXPECT_EQ(version.exit_code, 0) << version.err;
}

}  // namespace
