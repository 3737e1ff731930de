// End-to-end: `fbtrack serve` answering a browser's requests over real HTTP on loopback — the
// session, the pages drawn from the same use-cases as the command line, buyer text escaped, and a
// change made on a page being the one the command line then shows. (The attacks on it are
// tests/serve/serve_security.py; the pages in Chromium are tests/browser/serve_test.mjs.)
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <regex>
#include <sstream>
#include <thread>

using namespace fbtrack::test;
namespace fs = std::filesystem;

namespace {

struct Answer {
    int status = 0;
    std::string body;
    Poco::Net::NameValueCollection headers;
};

class Serve : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(fbtrack({"init", "--marketplace", "jp", "--name", "さくら雑貨", "--staff", "田中", "--own-addresses",
                           "shop@sakura-zakka.example"}).exit_code, 0);
        // A rating whose comment tries to be markup: it must arrive on the pages as text.
        write_file(dir_ / "hostile.txt", "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n"
                                         "2026/10/20\t1\t<script>alert(1)</script></textarea><b>x</b>\t\t503-4723356-2553575\t"
                                         "x@marketplace.amazon.co.jp\n");
        const auto r = fbtrack({"import", project_data_samples().string(), (dir_ / "hostile.txt").string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        server_ = std::make_unique<FbtrackProcess>(args({"serve", "--port", "0", "--no-open"}), [&] {
            RunOptions options;
            options.env = {"HOME=" + dir_.path().string()};
            return options;
        }());
        const std::regex line(R"(fbtrack serve: http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{64}))");
        std::smatch m;
        for (int i = 0; i < 100; ++i) {
            const std::string out = server_->output_so_far();
            if (std::regex_search(out, m, line)) {
                port_ = std::stoi(m[1]);
                token_ = m[2];
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ASSERT_NE(port_, 0) << "no address line: " << server_->output_so_far();
    }

    std::vector<std::string> args(std::vector<std::string> a) {
        a.insert(a.begin(), {"--db", (dir_ / "fbtrack.db").string(), "--today", "2026-10-31"});
        return a;
    }
    RunResult fbtrack(const std::vector<std::string>& a) { return run_fbtrack(args(a)); }

    Answer request(const std::string& method, const std::string& path, const std::string& body = "",
                   const std::string& content_type = "application/x-www-form-urlencoded") {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
        Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        req.setHost("127.0.0.1", static_cast<Poco::UInt16>(port_));
        if (!cookie_.empty()) req.set("Cookie", cookie_);
        if (method == "POST") {
            req.set("Origin", "http://127.0.0.1:" + std::to_string(port_));
            req.setContentType(content_type);
            req.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(req) << body;
        Poco::Net::HTTPResponse res;
        std::istream& in = session.receiveResponse(res);
        Answer a;
        a.status = res.getStatus();
        Poco::StreamCopier::copyToString(in, a.body);
        for (const auto& [name, value] : res) a.headers.add(name, value);
        return a;
    }
    void sign_in() {
        const Answer a = request("GET", "/?token=" + token_);
        ASSERT_EQ(a.status, 303);
        const std::string set = a.headers.get("Set-Cookie", "");
        ASSERT_NE(set.find("HttpOnly"), std::string::npos) << set;
        ASSERT_NE(set.find("SameSite=Strict"), std::string::npos) << set;
        cookie_ = set.substr(0, set.find(';'));
    }
    std::string csrf_of(const std::string& page) {
        std::smatch m;
        EXPECT_TRUE(std::regex_search(page, m, std::regex(R"re(name="csrf" value="([0-9a-f]{64})")re"))) << "no CSRF token";
        return m[1];
    }

    TempDir dir_;
    std::unique_ptr<FbtrackProcess> server_;
    int port_ = 0;
    std::string token_, cookie_;
};

TEST_F(Serve, PagesNeedTheSessionAndShowBuyerTextAsText) {
    EXPECT_EQ(request("GET", "/ratings").status, 401);
    EXPECT_EQ(request("GET", "/?token=" + std::string(64, '0')).status, 401);
    sign_in();
    for (const std::string path : {"/", "/ratings", "/requests", "/import", "/report", "/calendar", "/shop", "/shops", "/mail",
                                   "/ratings/503-2417785-6630118", "/report/view?month=2026-10"}) {
        const Answer a = request("GET", path);
        EXPECT_EQ(a.status, 200) << path << "\n" << a.body.substr(0, 400);
        EXPECT_EQ(a.headers.get("Cache-Control", ""), "no-store") << path;
        EXPECT_NE(a.headers.get("Content-Security-Policy", "").find("frame-ancestors 'none'"), std::string::npos) << path;
        EXPECT_EQ(a.headers.get("Content-Security-Policy", "").find("unsafe-inline"), std::string::npos) << path;
        EXPECT_EQ(a.body.find("<script>alert"), std::string::npos) << path;
    }
    const Answer hostile = request("GET", "/ratings/2553575");  // its last digits lead to it
    EXPECT_EQ(hostile.status, 303);
    EXPECT_EQ(hostile.headers.get("Location", ""), "/ratings/503-4723356-2553575");
    const Answer page = request("GET", "/ratings/503-4723356-2553575");
    EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << page.body;
    EXPECT_EQ(page.body.find("</textarea><b>"), std::string::npos);
    // The pages speak Japanese for a jp shop.
    EXPECT_NE(request("GET", "/").body.find("今やること"), std::string::npos);
    // What --json prints, under /api/.
    EXPECT_EQ(request("GET", "/api/feedback").body, fbtrack({"feedback", "--json"}).out);
    EXPECT_EQ(request("GET", "/api/status").body, fbtrack({"status", "--json"}).out);
}

TEST_F(Serve, AStatusSetOnThePageIsWhatTheCommandLineShows) {
    sign_in();
    const std::string csrf = csrf_of(request("GET", "/ratings/503-2417785-6630118").body);
    // Without the token, or from another site: refused, nothing recorded.
    EXPECT_EQ(request("POST", "/ratings/503-2417785-6630118/outcome", "outcome=submitted").status, 403);
    const Answer saved = request("POST", "/ratings/503-2417785-6630118/outcome", "outcome=submitted&csrf=" + csrf);
    EXPECT_EQ(saved.status, 303);
    const auto list = Poco::JSON::Parser().parse(fbtrack({"feedback", "--json"}).out).extract<Poco::JSON::Array::Ptr>();
    std::string submitted_on;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto o = list->getObject(i);
        if (o->getValue<std::string>("order_id") == "503-2417785-6630118" && !o->isNull("appeal"))
            submitted_on = o->getObject("appeal")->getValue<std::string>("submitted_on");
    }
    EXPECT_EQ(submitted_on, "2026-10-31");
    EXPECT_NE(request("GET", "/ratings/503-2417785-6630118?done=outcome_saved").body.find("記録しました"), std::string::npos);
}

TEST_F(Serve, ABadFileIsRefusedWithTheImportsOwnErrorAndTheDatabaseAsItWas) {
    sign_in();
    const std::string csrf = csrf_of(request("GET", "/import").body);
    const std::string before = fbtrack({"status", "--json"}).out;
    Poco::Net::HTMLForm form(Poco::Net::HTMLForm::ENCODING_MULTIPART);
    form.set("csrf", csrf);
    // A feedback report whose second row rates 9 stars, under a name a browser may well send.
    form.addPart("files", new Poco::Net::StringPartSource("Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n"
                                                          "2026/10/21\t9\tbad\t\t503-1111111-2222222\tx@marketplace.amazon.co.jp\n",
                                                          "text/plain", "評価 10月.txt"));
    std::ostringstream body;
    Poco::Net::HTTPRequest made(Poco::Net::HTTPRequest::HTTP_POST, "/import");
    form.prepareSubmit(made);  // chooses the boundary
    form.write(body);
    const Answer posted = request("POST", "/import", body.str(), form.getEncoding() + "; boundary=" + form.boundary());
    ASSERT_EQ(posted.status, 303) << posted.body;
    const Answer result = request("GET", posted.headers.get("Location", "/"));
    EXPECT_NE(result.body.find("取り込めませんでした"), std::string::npos) << result.body;
    // The file by the name the seller gave it, the line, what was found: the import's own words.
    EXPECT_NE(result.body.find("評価 10月.txt:2"), std::string::npos) << result.body;
    EXPECT_NE(result.body.find("「9」"), std::string::npos) << result.body;
    EXPECT_EQ(result.body.find("upload-1"), std::string::npos) << "the spool's name reached the page";
    EXPECT_EQ(fbtrack({"status", "--json"}).out, before);
}

TEST_F(Serve, SigtermEndsItWithExitZeroAndLeavesNoSpool) {
    sign_in();
    EXPECT_EQ(request("GET", "/").status, 200);
    server_->kill(SIGTERM);
    const RunResult r = server_->wait();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const auto& entry : fs::directory_iterator(dir_.path()))
        EXPECT_EQ(entry.path().filename().string().rfind(".serve-spool", 0), std::string::npos) << entry.path();
}

}  // namespace
