#include "importers/ImapClient.h"

#include "core/Errors.h"
#include "text/TerminalText.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <libetpan/libetpan.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <unicode/unistr.h>

#include <arpa/inet.h>

#include <algorithm>
#include <ctime>
#include <sstream>

namespace fbtrack {

namespace {

template <class T, void (*F)(T*)>
struct Freer {
    void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Freer<X509, X509_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Freer<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Freer<X509_STORE_CTX, X509_STORE_CTX_free>>;
void free_cert_stack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
using CertStackPtr = std::unique_ptr<STACK_OF(X509), Freer<STACK_OF(X509), free_cert_stack>>;

X509Ptr from_der(const std::string& der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

bool is_ip_address(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// TLS server name indication: Gmail and most shared hosts choose the certificate by it, and
// without it send one for another name (Gmail: "invalid2.invalid").
void send_server_name(mailstream_ssl_context* context, void* host) {
    const auto* name = static_cast<const std::string*>(host);
    if (!is_ip_address(*name)) mailstream_ssl_set_server_name(context, const_cast<char*>(name->c_str()));
}

}  // namespace

ImapEndpoint parse_imap_url(const std::string& url) {
    const std::string hint = " Hint: give imaps://HOST (TLS, port 993) or imap://HOST (STARTTLS, port 143), with :PORT if another";
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception&) {
        throw UsageError("--url: \"" + for_terminal(url, 200) + "\" is not a URL." + hint);
    }
    ImapEndpoint e;
    if (uri.getScheme() == "imaps") e.implicit_tls = true;
    else if (uri.getScheme() == "imap") e.implicit_tls = false;
    else throw UsageError("--url: \"" + for_terminal(url, 200) + "\" is not an IMAP address." + hint);
    if (uri.getHost().empty()) throw UsageError("--url: \"" + for_terminal(url, 200) + "\" names no host." + hint);
    if (!uri.getUserInfo().empty())
        throw UsageError("--url: give the user with --user and the password through --password-command, not in the URL");
    if (!uri.getPath().empty() && uri.getPath() != "/")
        throw UsageError("--url: \"" + for_terminal(url, 200) + "\" names a folder; give folders with --folders." + hint);
    e.host = uri.getHost();
    e.port = uri.getPort() ? uri.getPort() : (e.implicit_tls ? 993 : 143);
    return e;
}

std::optional<std::string> certificate_problem(const std::vector<std::string>& chain_der, const std::string& host,
                                               const std::optional<std::filesystem::path>& cacert) {
    if (chain_der.empty()) return "the server sent no certificate";
    const X509Ptr leaf = from_der(chain_der.front());
    if (!leaf) return "the server's certificate cannot be read";
    CertStackPtr untrusted(sk_X509_new_null());
    for (std::size_t i = 1; i < chain_der.size(); ++i)
        if (auto c = from_der(chain_der[i])) sk_X509_push(untrusted.get(), c.release());

    StorePtr store(X509_STORE_new());
    if (cacert) {
        if (X509_STORE_load_file(store.get(), cacert->c_str()) != 1)
            return "the CA certificate " + cacert->string() + " cannot be read (a PEM file is expected)";
    } else if (X509_STORE_set_default_paths(store.get()) != 1) {
        return "the system's trusted certificates cannot be read";
    }
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted.get()) != 1)
        return "the certificate cannot be checked";
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    if (is_ip_address(host)) X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    else X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    if (X509_verify_cert(ctx.get()) == 1) return std::nullopt;
    const int code = X509_STORE_CTX_get_error(ctx.get());
    return std::string("its certificate is not trusted: ") + X509_verify_cert_error_string(code);
}

std::optional<std::string> ca_file_problem(const std::filesystem::path& file) {
    StorePtr store(X509_STORE_new());
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return "not a file";
    if (!store || X509_STORE_load_file(store.get(), file.c_str()) != 1 || !X509_STORE_get0_objects(store.get()) ||
        sk_X509_OBJECT_num(X509_STORE_get0_objects(store.get())) == 0)
        return "holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)";
    return std::nullopt;
}

std::string to_imap_utf7(const std::string& utf8) {
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
    std::string out;
    std::u16string pending;  // a run of characters outside printable ASCII
    auto flush = [&] {
        if (pending.empty()) return;
        std::string be;
        for (char16_t c : pending) {
            be += static_cast<char>(c >> 8);
            be += static_cast<char>(c & 0xFF);
        }
        std::ostringstream b64;
        Poco::Base64Encoder encoder(b64);
        encoder.rdbuf()->setLineLength(0);
        encoder << be;
        encoder.close();
        std::string s = b64.str();
        while (!s.empty() && s.back() == '=') s.pop_back();
        for (auto& ch : s)
            if (ch == '/') ch = ',';
        out += "&" + s + "-";
        pending.clear();
    };
    for (int32_t i = 0; i < text.length(); ++i) {
        const char16_t c = text.charAt(i);
        if (c >= 0x20 && c <= 0x7E) {
            flush();
            out += c == '&' ? std::string("&-") : std::string(1, static_cast<char>(c));
        } else {
            pending += c;
        }
    }
    flush();
    return out;
}

void ImapSession::Free::operator()(mailimap* imap) const { mailimap_free(imap); }

ImapSession::ImapSession(const ImapEndpoint& endpoint, const std::optional<std::filesystem::path>& cacert,
                         std::chrono::seconds timeout, std::string account)
    : imap_(mailimap_new(0, nullptr)), account_(std::move(account)), host_(endpoint.host) {
    if (!imap_) throw InternalError("out of memory");
    mailimap_set_timeout(imap_.get(), static_cast<time_t>(timeout.count()));
    const std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
    int r = endpoint.implicit_tls
                ? mailimap_ssl_connect_with_callback(imap_.get(), endpoint.host.c_str(), endpoint.port, send_server_name, &host_)
                : mailimap_socket_connect(imap_.get(), endpoint.host.c_str(), endpoint.port);
    if (r != MAILIMAP_NO_ERROR && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED && r != MAILIMAP_NO_ERROR_AUTHENTICATED)
        throw UnavailableError("mail account " + account_ + ": cannot connect to " + where +
                               (endpoint.implicit_tls ? " over TLS" : "") +
                               " (the server is down, the address or port is wrong, or no network). Hint: check the "
                               "--url given to 'fbtrack mail add'; fetch tries again next round");
    if (!endpoint.implicit_tls) {
        // Never on in the clear: without STARTTLS the password would cross the network readable.
        if (mailimap_socket_starttls_with_callback(imap_.get(), send_server_name, &host_) != MAILIMAP_NO_ERROR)
            throw UnavailableError("mail account " + account_ + ": " + where +
                                   " does not offer STARTTLS, and fbtrack never sends a password unencrypted. Hint: "
                                   "use imaps://" + endpoint.host + " if the server offers IMAPS");
    }
    std::vector<std::string> chain;
    if (carray* certs = mailstream_get_certificate_chain(imap_->imap_stream)) {
        for (unsigned i = 0; i < carray_count(certs); ++i) {
            const auto* der = static_cast<MMAPString*>(carray_get(certs, i));
            chain.emplace_back(der->str, der->len);
        }
        mailstream_certificate_chain_free(certs);
    }
    if (const auto problem = certificate_problem(chain, endpoint.host, cacert))
        throw UnavailableError("mail account " + account_ + ": " + where + " is not the server it claims to be: " + *problem +
                               ". Nothing was sent to it. Hint: if the server uses a private CA, give its certificate "
                               "with 'fbtrack mail add ... --cacert FILE'");
}

ImapSession::~ImapSession() { logout(); }

void ImapSession::logout() noexcept {
    if (imap_ && imap_->imap_stream) mailimap_logout(imap_.get());
}

void ImapSession::fail(int code, const std::string& doing) {
    const std::string said = imap_->imap_response ? for_terminal(imap_->imap_response, 300) : std::string();
    if (code == MAILIMAP_ERROR_STREAM || code == MAILIMAP_ERROR_CONNECTION_REFUSED || code == MAILIMAP_ERROR_SSL)
        throw UnavailableError("mail account " + account_ + ": the connection to " + host_ + " was lost while " + doing +
                               " (or the server took too long). Hint: fetch again later");
    throw UnavailableError("mail account " + account_ + ": the server refused " + doing + (said.empty() ? "" : ": " + said));
}

void ImapSession::login(const std::string& user, const std::string& password) {
    const int r = mailimap_login(imap_.get(), user.c_str(), password.c_str());
    if (r == MAILIMAP_NO_ERROR) return;
    if (r == MAILIMAP_ERROR_LOGIN) {
        const std::string said = imap_->imap_response ? for_terminal(imap_->imap_response, 300) : std::string();
        throw PermissionError("mail account " + account_ + ": the server refused the login of " + for_terminal(user, 200) +
                              (said.empty() ? "" : " (" + said + ")") +
                              ". Hint: check the user name, and that the password command prints the right password");
    }
    fail(r, "the login");
}

ImapFolder ImapSession::examine(const std::string& folder) {
    const std::string name = to_imap_utf7(folder);
    const int r = mailimap_examine(imap_.get(), name.c_str());
    if (r == MAILIMAP_ERROR_EXAMINE)
        throw MissingInputError("mail account " + account_ + ": the server has no folder \"" + for_terminal(folder, 200) +
                                "\". Hint: name the folders as your mail program shows them, with 'fbtrack mail add "
                                "... --folders INBOX,Sent'");
    if (r != MAILIMAP_NO_ERROR) fail(r, "opening the folder " + folder);
    folder_ = folder;
    ImapFolder f;
    if (const auto* info = imap_->imap_selection_info) {
        f.uidvalidity = info->sel_uidvalidity;
        f.uidnext = info->sel_uidnext;
        f.exists = info->sel_exists;
    }
    if (f.uidvalidity == 0)
        throw UnavailableError("mail account " + account_ + ": the server gave the folder \"" + for_terminal(folder, 200) +
                               "\" no UIDVALIDITY, so new mail cannot be told from mail read before");
    return f;
}

namespace {

struct FetchResult {
    clist* list = nullptr;
    ~FetchResult() {
        if (list) mailimap_fetch_list_free(list);
    }
};

struct FetchType {
    mailimap_fetch_type* type = mailimap_fetch_type_new_fetch_att_list_empty();
    ~FetchType() { mailimap_fetch_type_free(type); }
};

struct Set {
    mailimap_set* set;
    ~Set() { mailimap_set_free(set); }
};

std::int64_t seconds_since_1970(const mailimap_date_time& d) {
    std::tm tm{};
    tm.tm_year = d.dt_year - 1900;
    tm.tm_mon = d.dt_month - 1;
    tm.tm_mday = d.dt_day;
    tm.tm_hour = d.dt_hour;
    tm.tm_min = d.dt_min;
    tm.tm_sec = d.dt_sec;
    // dt_zone is +HHMM as a number (+0900 -> 900).
    const int zone_minutes = (d.dt_zone / 100) * 60 + d.dt_zone % 100;
    return static_cast<std::int64_t>(timegm(&tm)) - zone_minutes * 60;
}

struct Attributes {
    std::uint32_t uid = 0;
    const mailimap_msg_att_body_section* body = nullptr;
    std::int64_t delivered_at = 0;
};

template <class Visit>
void for_each_message(clist* messages, Visit visit) {
    for (clistiter* m = clist_begin(messages); m; m = clist_next(m)) {
        const auto* att = static_cast<mailimap_msg_att*>(clist_content(m));
        Attributes a;
        for (clistiter* i = clist_begin(att->att_list); i; i = clist_next(i)) {
            const auto* item = static_cast<mailimap_msg_att_item*>(clist_content(i));
            if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC || !item->att_data.att_static) continue;
            const auto* s = item->att_data.att_static;
            if (s->att_type == MAILIMAP_MSG_ATT_UID) a.uid = s->att_data.att_uid;
            else if (s->att_type == MAILIMAP_MSG_ATT_BODY_SECTION) a.body = s->att_data.att_body_section;
            else if (s->att_type == MAILIMAP_MSG_ATT_INTERNALDATE && s->att_data.att_internal_date)
                a.delivered_at = seconds_since_1970(*s->att_data.att_internal_date);
        }
        visit(a);
    }
}

}  // namespace

std::vector<std::uint32_t> ImapSession::uids_after(std::uint32_t last_uid) {
    // "last+1:*" always names the folder's last message, even when its UID is lower: filtered below.
    Set set{mailimap_set_new_interval(last_uid + 1, 0)};
    FetchType type;
    mailimap_fetch_type_new_fetch_att_list_add(type.type, mailimap_fetch_att_new_uid());
    FetchResult result;
    const int r = mailimap_uid_fetch(imap_.get(), set.set, type.type, &result.list);
    if (r != MAILIMAP_NO_ERROR) fail(r, "listing the new messages of " + folder_);
    std::vector<std::uint32_t> uids;
    for_each_message(result.list, [&](const Attributes& a) {
        if (a.uid > last_uid) uids.push_back(a.uid);
    });
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
}

ImapMessage ImapSession::fetch(std::uint32_t uid, std::size_t cap) {
    Set set{mailimap_set_new_single(uid)};
    FetchType type;
    mailimap_fetch_type_new_fetch_att_list_add(type.type, mailimap_fetch_att_new_uid());
    mailimap_fetch_type_new_fetch_att_list_add(type.type, mailimap_fetch_att_new_internaldate());
    // PEEK: reading a message must not mark it seen in the seller's mail program.
    mailimap_fetch_type_new_fetch_att_list_add(
        type.type, mailimap_fetch_att_new_body_peek_section_partial(mailimap_section_new(nullptr), 0,
                                                                    static_cast<std::uint32_t>(cap + 1)));
    FetchResult result;
    const int r = mailimap_uid_fetch(imap_.get(), set.set, type.type, &result.list);
    if (r != MAILIMAP_NO_ERROR) fail(r, "reading message " + std::to_string(uid) + " of " + folder_);
    ImapMessage message;
    bool found = false;
    for_each_message(result.list, [&](const Attributes& a) {
        if (a.uid != uid || !a.body || found) return;
        found = true;
        message.uid = uid;
        message.delivered_at = a.delivered_at;
        if (a.body->sec_body_part) message.bytes.assign(a.body->sec_body_part, a.body->sec_length);
    });
    if (!found) message.uid = uid;  // expunged meanwhile: nothing to read
    // One byte over the cap stays: the importer reads `cap` bytes, sees there is more and notes
    // "message cut at 10 MiB" on the message, as it does for a mailbox file.
    if (message.bytes.size() > cap) {
        message.bytes.resize(cap + 1);
        message.truncated = true;
    }
    return message;
}

}  // namespace fbtrack
