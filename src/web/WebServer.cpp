#include "web/WebServer.h"

#include "app/Calendar.h"
#include "app/FetchMail.h"
#include "app/ImportFiles.h"
#include "app/JsonViews.h"
#include "app/MonthlyReport.h"
#include "app/Notify.h"
#include "app/OpenShop.h"
#include "app/Orders.h"
#include "app/Ratings.h"
#include "app/Risks.h"
#include "app/Shop.h"
#include "app/Status.h"
#include "app/Words.h"
#include "catalogue/ErrorWords.h"
#include "catalogue/Marketplace.h"
#include "core/Clock.h"
#include "core/DesktopPrograms.h"
#include "core/Errors.h"
#include "core/ShopLock.h"
#include "core/StopSignals.h"
#include "core/UserDirs.h"
#include "report/HtmlReport.h"
#include "text/JsonText.h"
#include "text/TerminalText.h"
#include "web/Pages.h"

#include <Poco/JSON/Array.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <ostream>
#include <sstream>

namespace fbtrack {

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    for (std::size_t got = 0; got < bytes;) {
        const ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw InternalError("getrandom failed");
        }
        got += static_cast<std::size_t>(n);
    }
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (const unsigned char b : raw) {
        hex += digits[b >> 4];
        hex += digits[b & 15];
    }
    return hex;
}

// A value made safe in a path or a header: every byte but letters, digits and -._~ escaped (an
// order ID comes from an imported file, a shop's name from the seller).
std::string in_path(const std::string& value) {
    std::string out;
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]\"%<>\\^`{|} ", out);
    return out;
}

// Compared in the same time whatever the first difference: the token must not leak a byte at a time.
bool same_secret(const std::string& given, const std::string& secret) {
    if (given.size() != secret.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ secret[i]);
    return diff == 0;
}

// A request body read through a budget: more than `limit` bytes, or slower than the deadline
// allows, and the request is refused instead of filling the disk or holding a thread.
class TooLarge : public std::runtime_error {
public:
    TooLarge() : std::runtime_error("request too large") {}
};
class TooSlow : public std::runtime_error {
public:
    TooSlow() : std::runtime_error("request too slow") {}
};

// The files of an upload, each written into the import's private spool folder under a name of
// ours: a name from the browser never becomes a path.
class SpoolParts : public Poco::Net::PartHandler {
public:
    SpoolParts(std::filesystem::path folder, std::uint64_t max_bytes, std::size_t max_files,
               std::chrono::steady_clock::time_point deadline)
        : folder_(std::move(folder)), max_bytes_(max_bytes), max_files_(max_files), deadline_(deadline) {}

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        if (header.has("Content-Disposition"))
            Poco::Net::MessageHeader::splitParameters(header["Content-Disposition"], disposition, params);
        const std::string field = params.get("name", "");
        const std::string name = params.get("filename", "");
        if (field != "files" || name.empty()) {  // an empty file input sends a part without a name
            drain(stream);
            return;
        }
        if (files.size() >= max_files_) throw TooLarge();
        const std::filesystem::path path = folder_ / ("upload-" + std::to_string(files.size() + 1) + extension_of(name));
        {
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            if (!out) throw OutputError("cannot write " + path.string());
            ::chmod(path.c_str(), 0600);
            copy(stream, &out);
            out.close();
            if (!out) throw OutputError("cannot write " + path.string() + " (is the disk full?)");
        }
        names[path] = shown_name(name);
        files.push_back(path);
    }

    std::vector<std::filesystem::path> files;
    BrowserNames names;
    std::uint64_t bytes = 0;

private:
    // The last dot's letters and digits, which the readers may take as a hint (.eml, .mbox, .csv).
    static std::string extension_of(const std::string& name) {
        const std::size_t dot = name.rfind('.');
        if (dot == std::string::npos || name.size() - dot > 11) return "";
        const std::string ext = name.substr(dot + 1);
        if (ext.empty()) return "";
        for (const char ch : ext)
            if (!std::isalnum(static_cast<unsigned char>(ch))) return "";
        return "." + ext;
    }
    // The name as the seller knows it, made safe to show: no folders, no control or bidi characters.
    static std::string shown_name(const std::string& name) {
        std::string base = name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
        std::string safe = shop_file_name(base);
        return safe.empty() ? "?" : safe;
    }
    void drain(std::istream& stream) { copy(stream, nullptr); }
    void copy(std::istream& stream, std::ostream* out) {
        char buffer[64 * 1024];
        while (stream) {
            stream.read(buffer, sizeof buffer);
            const auto n = static_cast<std::uint64_t>(stream.gcount());
            if (n == 0) break;
            bytes += n;
            if (bytes > max_bytes_) throw TooLarge();
            if (std::chrono::steady_clock::now() > deadline_) throw TooSlow();
            if (out) out->write(buffer, static_cast<std::streamsize>(n));
        }
    }

    std::filesystem::path folder_;
    std::uint64_t max_bytes_;
    std::size_t max_files_;
    std::chrono::steady_clock::time_point deadline_;
};

// A shop's database opened for one request, with the context its use-cases take.
class RequestShop {
public:
    RequestShop(const Catalogue& data, const std::filesystem::path& database, const std::string& lang, const Clock& clock)
        : opened_(open_shop(data, OpenShopRequest{database, std::nullopt, std::nullopt, true})) {
        stand_on(*opened_.store, opened_.marketplace, clock.now_utc());
        context_.emplace(AppContext{*opened_.store, data, opened_.marketplace, stored_shop(*opened_.store, data, database.string()),
                                    lang.empty() ? opened_.marketplace.default_lang : lang, clock.now_utc(),
                                    folder_of(database)});
    }
    AppContext& context() { return *context_; }
    const AppContext& context() const { return *context_; }
    const Marketplace& marketplace() const { return opened_.marketplace; }

private:
    OpenedShop opened_;
    std::optional<AppContext> context_;
};

// What one `serve` run keeps between requests: the secrets, the shop and language chosen, the
// imports' turn and their results.
class ServeState {
public:
    ServeState(const Catalogue& data, const ServeOptions& options, int port, std::ostream& err)
        : data(data), options(options), port(port), err(err), token(random_hex(32)), session(random_hex(32)),
          csrf(random_hex(32)), pages(data), database_(options.database) {
        if (options.today) clock_.emplace(*typed_date(*options.today));
        else clock_.emplace();
        cookie_name = "fbtrack_" + std::to_string(port);
        spool = folder_of(options.database) / (".serve-spool-" + std::to_string(::getpid()));
        std::error_code ec;
        std::filesystem::remove_all(spool, ec);
        std::filesystem::create_directories(spool);
        std::filesystem::permissions(spool, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
    }
    ~ServeState() {
        std::error_code ec;
        std::filesystem::remove_all(spool, ec);
    }

    std::filesystem::path database() {
        std::lock_guard lock(mutex_);
        return database_;
    }
    void switch_to(const std::filesystem::path& database) {
        std::lock_guard lock(mutex_);
        database_ = database;
    }
    std::string lang() {
        std::lock_guard lock(mutex_);
        return lang_.value_or(options.lang.value_or(""));
    }
    void set_lang(const std::string& lang) {
        std::lock_guard lock(mutex_);
        lang_ = lang;
    }
    const Clock& clock() const { return *clock_; }
    int keep_result(std::string html) {
        std::lock_guard lock(mutex_);
        const int id = ++last_result_;
        results_[id] = std::move(html);
        while (results_.size() > 20) results_.erase(results_.begin());  // the last few are enough
        return id;
    }
    std::optional<std::string> result(int id) {
        std::lock_guard lock(mutex_);
        const auto it = results_.find(id);
        if (it == results_.end()) return std::nullopt;
        return it->second;
    }
    std::filesystem::path new_spool_folder() {
        const auto folder = spool / ("import-" + std::to_string(++spools_));
        std::filesystem::create_directory(folder);
        std::filesystem::permissions(folder, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
        return folder;
    }

    const Catalogue& data;
    const ServeOptions& options;
    const int port;
    std::ostream& err;
    const std::string token, session, csrf;
    std::string first_lang = "ja";  // the first shop's, for what is said before a shop is opened
    std::string cookie_name;
    std::filesystem::path spool;
    Pages pages;
    std::mutex import_turn;          // one import at a time, in the order they came
    std::atomic<bool> stopping{false};

private:
    std::mutex mutex_;
    std::filesystem::path database_;
    std::optional<std::string> lang_;
    std::optional<Clock> clock_;
    int last_result_ = 0;
    std::map<int, std::string> results_;
    std::atomic<int> spools_{0};
};

class Refused : public std::runtime_error {
public:
    Refused(HTTPResponse::HTTPStatus status, const std::string& text) : std::runtime_error(text), status(status) {}
    HTTPResponse::HTTPStatus status;
};

HTTPResponse::HTTPStatus status_of(const Error& e) {
    switch (e.code()) {
        case ExitCode::usage: return HTTPResponse::HTTP_BAD_REQUEST;
        case ExitCode::no_input: return HTTPResponse::HTTP_NOT_FOUND;
        case ExitCode::data: return HTTPResponse::HTTP_UNPROCESSABLE_ENTITY;
        case ExitCode::busy: return HTTPResponse::HTTP_SERVICE_UNAVAILABLE;
        default: return HTTPResponse::HTTP_INTERNAL_SERVER_ERROR;
    }
}

const char* page_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(ServeState& state) : s_(state) {}

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        response.set("X-Content-Type-Options", "nosniff");
        response.set("Referrer-Policy", "same-origin");
        response.set("X-Frame-Options", "DENY");
        response.set("Cross-Origin-Opener-Policy", "same-origin");
        response.set("Cross-Origin-Resource-Policy", "same-origin");
        response.set("Cache-Control", "no-store");
        response.set("Content-Security-Policy", page_policy);
        PageFrame frame;
        frame.lang = s_.lang().empty() ? s_.first_lang : s_.lang();
        frame.csrf = s_.csrf;
        try {
            answer(request, response, frame);
        } catch (const Refused& r) {
            plain(response, r.status, r.what());
        } catch (const TooLarge&) {
            plain(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, s_.pages.word(frame.lang, "refused_too_large"));
        } catch (const TooSlow&) {
            plain(response, HTTPResponse::HTTP_REQUEST_TIMEOUT, s_.pages.word(frame.lang, "refused_too_slow"));
        } catch (const Error& e) {
            if (response.sent()) return;
            std::string message = worded(e, &s_.data, frame.lang);
            html(response, status_of(e), s_.pages.error(frame, message));
        } catch (const Poco::Exception& e) {
            // A malformed request (multipart, headers): the client's fault, the server goes on.
            if (!response.sent()) plain(response, HTTPResponse::HTTP_BAD_REQUEST, s_.pages.word(frame.lang, "refused_malformed"));
        } catch (const std::exception& e) {
            s_.err << "fbtrack serve: " << for_terminal(e.what(), 400) << "\n";
            if (!response.sent()) plain(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal error");
        }
    }

private:
    void plain(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& text) {
        if (response.sent()) return;
        response.setStatusAndReason(status);
        response.setContentType("text/plain; charset=utf-8");
        response.setContentLength(static_cast<std::streamsize>(text.size() + 1));
        response.send() << text << "\n";
    }
    void html(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& body) {
        response.setStatusAndReason(status);
        response.setContentType("text/html; charset=utf-8");
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send() << body;
    }
    void redirect(HTTPServerResponse& response, const std::string& location) {
        // Never a line break into the headers, whatever a form sent back.
        if (std::any_of(location.begin(), location.end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; }))
            return redirect(response, "/");
        response.setStatusAndReason(HTTPResponse::HTTP_SEE_OTHER);
        response.set("Location", location);
        response.setContentLength(0);
        response.send();
    }

    // Only names of this server: a page of another site whose name was made to point at
    // 127.0.0.1 (DNS rebinding) sends its own name and gets nothing.
    bool host_is_ours(const HTTPServerRequest& request) const {
        const std::string host = request.getHost();
        const std::string port = ":" + std::to_string(s_.port);
        return host == "127.0.0.1" + port || host == "localhost" + port;
    }
    bool origin_is_ours(const HTTPServerRequest& request) const {
        const std::string port = ":" + std::to_string(s_.port);
        const auto ours = [&](const std::string& url, bool prefix) {
            for (const std::string& base : {"http://127.0.0.1" + port, "http://localhost" + port}) {
                if (url == base) return true;
                if (prefix && url.rfind(base + "/", 0) == 0) return true;
            }
            return false;
        };
        if (request.has("Origin")) return ours(request.get("Origin"), false);
        if (request.has("Referer")) return ours(request.get("Referer"), true);
        return false;
    }
    bool has_session(const HTTPServerRequest& request) const {
        Poco::Net::NameValueCollection cookies;
        request.getCookies(cookies);
        return cookies.has(s_.cookie_name) && same_secret(cookies.get(s_.cookie_name), s_.session);
    }

    void answer(HTTPServerRequest& request, HTTPServerResponse& response, PageFrame& frame) {
        if (!host_is_ours(request)) throw Refused(HTTPResponse::HTTP_MISDIRECTED_REQUEST, s_.pages.word(frame.lang, "refused_host"));
        const Poco::URI uri(request.getURI());
        const std::string path = uri.getPath();
        Query query;
        for (const auto& [k, v] : uri.getQueryParameters()) query[k] = v;
        const std::string& method = request.getMethod();

        // The printed address: its token, once right, becomes the session's cookie.
        if (query.count("token")) {
            if (method != "GET" || !same_secret(query["token"], s_.token))
                throw Refused(HTTPResponse::HTTP_UNAUTHORIZED, s_.pages.word(frame.lang, "refused_session"));
            // Written whole: Poco 1.11's HTTPCookie has no SameSite attribute.
            response.add("Set-Cookie", s_.cookie_name + "=" + s_.session + "; Path=/; HttpOnly; SameSite=Strict");
            redirect(response, path.empty() ? "/" : path);
            return;
        }
        if (!has_session(request)) throw Refused(HTTPResponse::HTTP_UNAUTHORIZED, s_.pages.word(frame.lang, "refused_session"));

        if (method == "POST") {
            if (!origin_is_ours(request)) throw Refused(HTTPResponse::HTTP_FORBIDDEN, s_.pages.word(frame.lang, "refused_origin"));
            // Poco's HTMLForm takes the query's fields into the form: a token or a field in an
            // address is none of our pages' forms (theirs carry no query), and an address leaks.
            if (!uri.getRawQuery().empty()) throw Refused(HTTPResponse::HTTP_FORBIDDEN, s_.pages.word(frame.lang, "refused_origin"));
            post(request, response, frame, path);
            return;
        }
        if (method != "GET" && method != "HEAD") throw Refused(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "GET or POST");
        get(request, response, frame, path, query);
    }

    RequestShop open(PageFrame& frame) {
        const auto database = s_.database();
        RequestShop shop(s_.data, database, s_.lang(), s_.clock());
        frame.lang = shop.context().lang;
        frame.shop = database.stem().string();
        frame.shop_name = shop.context().shop.shop_name;
        return shop;
    }

    void get(HTTPServerRequest& request, HTTPServerResponse& response, PageFrame& frame, const std::string& path, Query& query) {
        if (path == "/static/web.css" || path == "/static/web.js") {
            const std::string name = path == "/static/web.css" ? "templates/web/web.css" : "templates/web/web.js";
            const std::string& text = s_.data.text(name);
            response.set("Cache-Control", "no-cache");
            response.setContentType(path.ends_with(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
            response.setContentLength(static_cast<std::streamsize>(text.size()));
            response.send() << text;
            return;
        }
        if (path == "/favicon.ico") {
            response.setStatusAndReason(HTTPResponse::HTTP_NO_CONTENT);
            response.send();
            return;
        }
        if (path.rfind("/api/", 0) == 0) {
            api(response, frame, path);
            return;
        }
        frame.path = request.getURI();
        if (query.count("done")) frame.notice = query["done"];
        RequestShop shop = open(frame);
        AppContext& c = shop.context();
        std::string body;
        if (path == "/") body = s_.pages.today(c, frame);
        else if (path == "/ratings") {
            // The last digits of an order typed into the search box lead straight to its rating.
            if (const auto typed = query.find("order"); typed != query.end() && !typed->second.empty()) {
                const std::string id = resolve_order_id(c.store, typed->second);
                if (!c.store.feedback().rating(id)) throw MissingInputError(say("appeal.no_rating", {{"order", id}}));
                redirect(response, "/ratings/" + in_path(id));
                return;
            }
            body = s_.pages.ratings(c, frame, query);
        } else if (path.rfind("/ratings/", 0) == 0) {
            const std::string typed = path.substr(9);
            const std::string id = resolve_order_id(c.store, typed);
            if (id != typed) {
                redirect(response, "/ratings/" + in_path(id));
                return;
            }
            const auto page = s_.pages.rating(c, frame, id);
            if (!page) throw MissingInputError(say("appeal.no_rating", {{"order", id}}));
            body = *page;
        } else if (path == "/requests") body = s_.pages.requests(c, frame);
        else if (path == "/import") body = s_.pages.import_form(c, frame);
        else if (path.rfind("/import/result/", 0) == 0) {
            const auto kept = s_.result(std::atoi(path.substr(15).c_str()));
            if (!kept) {
                redirect(response, "/import");
                return;
            }
            body = *kept;
        } else if (path == "/report") body = s_.pages.report(c, frame, query["month"]);
        else if (path == "/report/view" || path == "/report/download") {
            report(response, c, shop.marketplace(), query["month"], path == "/report/download");
            return;
        } else if (path == "/calendar") body = s_.pages.calendar(c, frame, query);
        else if (path == "/shop") body = s_.pages.shop(c, frame);
        else if (path == "/shops") body = s_.pages.shops(frame, shops_in(folder_of(s_.options.database)));
        else if (path == "/mail") body = s_.pages.mail(c, frame);
        else {
            html(response, HTTPResponse::HTTP_NOT_FOUND, s_.pages.error(frame, s_.pages.word(frame.lang, "not_found")));
            return;
        }
        html(response, HTTPResponse::HTTP_OK, body);
    }

    // What the command line prints with --json, for a seller's own scripts (the cookie is needed
    // as for the pages).
    void api(HTTPServerResponse& response, PageFrame& frame, const std::string& path) {
        RequestShop shop = open(frame);
        AppContext& c = shop.context();
        std::ostringstream out;
        if (path == "/api/status") {
            write_json(out, status_json(shop_status(c, StatusRequest{}), c.marketplace.code));
        } else if (path == "/api/feedback") {
            // As feedback --json writes it: one case a line.
            std::size_t written = 0;
            for_each_rated_case(c, RatingsRequest{}, [&](const RatedCase& r) {
                out << (written++ ? ",\n" : "[\n");
                write_json(out, rating_case_json(r.judged));
            });
            out << (written ? "\n]" : "[]");
        } else if (path == "/api/risk") {
            Poco::JSON::Array list;
            for (const auto& r : todays_risks(c)) list.add(risk_json(r));
            write_json(out, list);
        } else {
            throw Refused(HTTPResponse::HTTP_NOT_FOUND, s_.pages.word(frame.lang, "not_found"));
        }
        out << "\n";
        response.setContentType("application/json; charset=utf-8");
        const std::string body = out.str();
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send() << body;
    }

    void report(HTTPServerResponse& response, AppContext& c, const Marketplace& marketplace, const std::string& month,
                bool download) {
        ReportRequest period = last_complete_month(c.today());
        if (!month.empty()) {
            try {
                const auto [from, to] = month_range(month);
                period = ReportRequest{from, to};
            } catch (const ValueError&) {
                throw UsageError(say("usage.month", {{"option", "month"}, {"found", month}}));
            }
        }
        const ReportContents contents = monthly_report(c, period);
        const std::string page = render_html_report(contents, marketplace, c.shop, c.data, c.lang);
        // The report carries its own style and script, allowed by their hashes alone.
        response.set("Content-Security-Policy",
                     "default-src 'none'; style-src '" + csp_hash(c.data.text("templates/report.css")) + "'; script-src '" +
                         csp_hash(c.data.text("templates/report.js")) + "'; img-src data:; base-uri 'none'; form-action 'none'; "
                         "frame-ancestors 'none'");
        if (download) {
            const std::string name = default_report_file(c.shop.shop_name, "fbtrack", period).filename().string();
            response.set("Content-Disposition", "attachment; filename=\"report-" + period_name(period) +
                                                    ".html\"; filename*=UTF-8''" + in_path(name));
        }
        html(response, HTTPResponse::HTTP_OK, page);
    }

    // A form of the page's own: its fields, the CSRF token checked.
    void load_small_form(HTTPServerRequest& request, Poco::Net::HTMLForm& form) {
        // A browser sends a form with its length; a body of unknown length is no form of ours.
        if (request.getContentLength() == HTTPServerRequest::UNKNOWN_CONTENT_LENGTH || request.getContentLength() > 256 * 1024)
            throw TooLarge();
        form.setFieldLimit(64);
        form.setValueLengthLimit(64 * 1024);
        SpoolParts nothing({}, 0, 0, std::chrono::steady_clock::now() + std::chrono::seconds(s_.options.timeout_seconds));
        form.load(request, request.stream(), nothing);
        if (!same_secret(form.get("csrf", ""), s_.csrf)) throw Refused(HTTPResponse::HTTP_FORBIDDEN, s_.pages.word(s_.lang(), "refused_origin"));
    }

    void post(HTTPServerRequest& request, HTTPServerResponse& response, PageFrame& frame, const std::string& path) {
        if (path == "/import") {
            import(request, response, frame);
            return;
        }
        Poco::Net::HTMLForm form;
        load_small_form(request, form);
        const std::string back = form.get("back", "/");
        // Back to a page of ours only.
        const bool plain = std::none_of(back.begin(), back.end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f || ch == '\\'; });
        const std::string to = plain && back.size() > 1 && back[0] == '/' && back[1] != '/' ? back : "/";
        const auto done = [&](const std::string& target, const std::string& notice) {
            redirect(response, target + (target.find('?') == std::string::npos ? "?" : "&") + "done=" + notice);
        };
        if (path == "/lang") {
            const std::string lang = form.get("lang", "");
            if (lang != "ja" && lang != "en") throw UsageError(say("usage.lang", {{"lang", lang}}));
            s_.set_lang(lang);
            redirect(response, to);
            return;
        }
        if (path == "/shops/switch" || path == "/shops/add") {
            const std::string name = checked_shop_name(form.get("shop", ""));
            const auto database = folder_of(s_.options.database) / (name + ".db");
            if (path == "/shops/add") {
                if (std::filesystem::exists(database)) throw UsageError(say("serve.shop_exists", {{"shop", name}}));
                RequestShop shop(s_.data, database, s_.lang(), s_.clock());
                ShopSetupRequest setup;
                setup.marketplace = form.get("marketplace", new_shop_marketplace);
                setup.name = form.get("name", "");
                if (setup.name->empty()) setup.name.reset();
                const ShopSetup made = set_up_shop(shop.context(), setup);
                if (made.change.refused != SettingsRefusal::none) throw UsageError(refusal_said(made.change));
            } else {
                // Only a shop's database: a device, a pipe or another program's file would leave
                // every page failing after the switch. Opening it here says what is wrong instead.
                std::error_code ec;
                if (!std::filesystem::is_regular_file(database, ec)) throw MissingInputError(say("serve.no_such_shop", {{"shop", name}}));
                const RequestShop opened(s_.data, database, s_.lang(), s_.clock());
            }
            s_.switch_to(database);
            done("/", path == "/shops/add" ? "shop_added" : "shop_switched");
            return;
        }
        RequestShop shop = open(frame);
        AppContext& c = shop.context();
        if (path.rfind("/ratings/", 0) == 0 && path.ends_with("/outcome")) {
            const std::string id = path.substr(9, path.size() - 9 - 8);
            record_appeal_outcome(c, AppealOutcomeRequest{id, form.get("outcome", "")});
            done("/ratings/" + in_path(id), "outcome_saved");
        } else if (path == "/shop") {
            ShopSetRequest set;
            set.name = form.get("name", "");
            set.staff = lines_of(form.get("staff", ""));
            if (form.has("own_addresses")) set.own_addresses = lines_of(form.get("own_addresses", ""));
            if (form.has("buy_shipping")) set.buy_shipping = form.get("buy_shipping");
            refused_or(set_shop(c, set), [&] { done(to, "saved"); });
        } else if (path == "/calendar/add") {
            refused_or(add_closed_range(c, ClosedRangeRequest{form.get("from", ""), form.get("to", ""), form.get("label", "")}),
                       [&] { done("/calendar", "closed_added"); });
        } else if (path == "/calendar/remove") {
            const ClosedRangeRemoval removed =
                remove_closed_range(c, ClosedRange{form.get("from", ""), form.get("to", ""), form.get("label", "")});
            refused_or(removed.change, [&] { done("/calendar", "closed_removed"); });
        } else if (path == "/calendar/set") {
            CalendarSetRequest set;
            std::string weekdays;
            for (const auto& day : weekday_names())
                if (form.has("closed_" + day)) weekdays += (weekdays.empty() ? "" : ",") + day;
            set.closed_weekdays = weekdays.empty() ? "none" : weekdays;
            set.holidays_closed = form.has("holidays_closed") ? "yes" : "no";
            if (const auto days = form.get("handling_days", ""); !days.empty()) {
                try {
                    set.handling_days = std::stoi(days);
                } catch (const std::exception&) {
                    set.handling_days = -1;  // refused by the use-case with its own words
                }
            }
            if (const auto hours = form.get("reply_hours", ""); !hours.empty()) set.reply_hours = hours;
            refused_or(set_calendar(c, set), [&] { done("/calendar", "saved"); });
        } else if (path == "/mail/fetch") {
            ShopLock lock(s_.database(), "fetch");
            FetchListener quiet;
            FetchRequest fetch;
            fetch.limits = s_.options.imap_limits;
            const FetchReport fetched = fetch_mail(c, fetch, quiet);
            done("/mail", fetched.failed.empty() ? "fetched" : "fetch_failed");
        } else if (path == "/mail/test") {
            const auto settings = notify_settings(c);
            if (!settings) throw UsageError(say("serve.no_alerts"));
            send_test_alert(c, *settings, s_.options.smtp_deadline);
            done("/mail", "test_sent");
        } else {
            html(response, HTTPResponse::HTTP_NOT_FOUND, s_.pages.error(frame, s_.pages.word(frame.lang, "not_found")));
        }
    }

    static std::vector<std::string> lines_of(const std::string& text) {
        std::vector<std::string> out;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line, '\n');) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == ',')) line.pop_back();
            const std::size_t start = line.find_first_not_of(' ');
            if (start != std::string::npos) out.push_back(line.substr(start));
        }
        return out;
    }

    template <class Then>
    void refused_or(const SettingsChange& change, Then then) {
        if (change.refused != SettingsRefusal::none) throw UsageError(refusal_said(change));
        then();
    }

    void import(HTTPServerRequest& request, HTTPServerResponse& response, PageFrame& frame) {
        if (s_.stopping) throw Refused(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, s_.pages.word(frame.lang, "refused_stopping"));
        if (request.getContentLength() != HTTPServerRequest::UNKNOWN_CONTENT_LENGTH &&
            static_cast<std::uint64_t>(request.getContentLength()) > s_.options.max_upload_bytes)
            throw TooLarge();
        const auto folder = s_.new_spool_folder();
        struct RemoveAfter {
            std::filesystem::path folder;
            ~RemoveAfter() {
                std::error_code ec;
                std::filesystem::remove_all(folder, ec);
            }
        } remove_after{folder};
        // A year's mbox arrives within this from a browser on the same machine; a client that
        // drips it is dropped.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(s_.options.timeout_seconds) +
                              std::chrono::seconds(s_.options.max_upload_bytes >> 20);
        SpoolParts parts(folder, s_.options.max_upload_bytes, s_.options.max_upload_files, deadline);
        Poco::Net::HTMLForm form;
        form.setFieldLimit(64);
        form.setValueLengthLimit(64 * 1024);
        form.load(request, request.stream(), parts);
        const std::string csrf = request.has("X-CSRF-Token") ? request.get("X-CSRF-Token") : form.get("csrf", "");
        if (!same_secret(csrf, s_.csrf)) throw Refused(HTTPResponse::HTTP_FORBIDDEN, s_.pages.word(s_.lang(), "refused_origin"));
        if (parts.files.empty()) {
            redirect(response, "/import?done=no_files");
            return;
        }
        ImportOutcome outcome;
        std::unique_lock turn(s_.import_turn, std::try_to_lock);
        if (!turn.owns_lock()) {
            outcome.waited = true;
            turn.lock();
        }
        RequestShop shop = open(frame);
        ImportRequest run;
        for (const auto& path : parts.files) {
            ImportFile file;
            file.path = path;
            file.journal_name = parts.names[path];
            file.found_in = folder;  // a dropped README or PDF is passed over, as in a downloads folder
            run.files.push_back(file);
        }
        run.skip_bad_rows = form.has("skip_bad_rows");
        try {
            ImportListener quiet;
            outcome.report = import_files(shop.context(), run, quiet);
            if (outcome.report->refused()) {
                std::string message = s_.pages.word(frame.lang, "import_refused_rows");
                outcome.error = message;
            }
        } catch (const Error& e) {
            outcome.report.reset();
            outcome.error = worded(e, &s_.data, frame.lang);
        }
        // The spool's paths stand for the browser's names in whatever the seller reads.
        for (const auto& [spooled, name] : parts.names) {
            for (std::size_t at; (at = outcome.error.find(spooled.string())) != std::string::npos;)
                outcome.error.replace(at, spooled.string().size(), name);
        }
        const int id = s_.keep_result(s_.pages.import_result(shop.context(), frame, outcome, parts.names));
        redirect(response, "/import/result/" + std::to_string(id));
    }

    ServeState& s_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(ServeState& state) : s_(state) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new Handler(s_); }

private:
    ServeState& s_;
};

}  // namespace

void serve(const Catalogue& data, const ServeOptions& options, std::ostream& out, std::ostream& err) {
    if (options.port < 0 || options.port > 65535) throw UsageError(say("serve.port", {{"port", std::to_string(options.port)}}));
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(options.port)), false);
        socket.listen(64);
    } catch (const Poco::Exception& e) {
        throw UnavailableError(say("serve.cannot_listen", {{"port", std::to_string(options.port)}, {"error", e.displayText()}}));
    }
    const int port = socket.address().port();
    ServeState state(data, options, port, err);
    {
        const RequestShop first(data, options.database, options.lang.value_or(""), state.clock());
        state.first_lang = first.context().lang;
    }

    // A browser keeps a connection open per tab for a while, each holding a thread: threads enough
    // for many tabs, idle ones let go after 2 seconds, a silent client after 10.
    Poco::ThreadPool pool(2, options.threads + 2);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.threads);
    params->setMaxQueued(64);
    params->setTimeout(Poco::Timespan(10, 0));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(2, 0));
    params->setMaxKeepAliveRequests(1000);
    Poco::Net::HTTPServer server(new Factory(state), pool, socket, params);
    server.start();

    const std::string address = "http://127.0.0.1:" + std::to_string(port) + "/?token=" + state.token;
    out << "fbtrack serve: " << address << std::endl;
    // Only where a desktop is: on a server over ssh the seller opens the address themselves.
    if (options.open_browser && (std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY")))
        if (const auto opener = find_on_path("xdg-open")) start_program(*opener, {address}, std::chrono::seconds(2));

    while (!StopSignals::wait_for(std::chrono::milliseconds(250))) {
    }
    // An import under way finishes and is kept; none starts after this.
    state.stopping = true;
    { std::lock_guard wait_for_import(state.import_turn); }
    server.stopAll(true);
}

}  // namespace fbtrack
