#include "importers/MailReader.h"

#include "text/LineReader.h"
#include "text/Mime.h"

#include <Poco/Exception.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>

#include <algorithm>
#include <cctype>
#include <fcntl.h>
#include <sstream>
#include <unistd.h>

namespace fbtrack {

namespace {

constexpr std::size_t header_length_limit = 65536;
constexpr int part_header_field_limit = 1000;  // Poco's default of 100 is below what real mail carries

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool is_header_line(std::string_view line) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 76) return false;
    for (std::size_t i = 0; i < colon; ++i) {
        const unsigned char c = static_cast<unsigned char>(line[i]);
        if (c <= 32 || c >= 127) return false;
    }
    return true;
}

bool is_mbox_separator(std::string_view line) { return line.rfind("From ", 0) == 0; }

}  // namespace

std::optional<MailboxFormat> sniff_mailbox(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string head(8192, '\0');
    const ssize_t got = ::read(fd, head.data(), head.size());
    ::close(fd);
    head.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    if (is_mbox_separator(head)) return MailboxFormat::mbox;
    // A message: header lines up to the first blank line, among them From and Date or Subject.
    std::istringstream in(head);
    std::string line;
    bool from = false, date_or_subject = false;
    int lines = 0;
    while (std::getline(in, line) && lines++ < 200) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) break;
        if (line[0] == ' ' || line[0] == '\t') continue;
        if (!is_header_line(line)) return std::nullopt;
        const std::string name = lower(line.substr(0, line.find(':')));
        from = from || name == "from";
        date_or_subject = date_or_subject || name == "date" || name == "subject";
    }
    if (from && date_or_subject) return MailboxFormat::eml;
    return std::nullopt;
}

bool is_maildir(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_directory(dir / "cur", ec) && std::filesystem::is_directory(dir / "new", ec);
}

MailboxReader::MailboxReader(const std::filesystem::path& path, MailboxFormat format)
    : format_(format), lines_(std::make_unique<LineReader>(path)) {}

MailboxReader::~MailboxReader() = default;

bool MailboxReader::next(RawMail& mail) {
    if (done_) return false;
    mail = RawMail{};
    mail.number = ++count_;
    std::string_view line;
    if (format_ == MailboxFormat::eml) {
        mail.line = 1;
        while (lines_->next(line)) {
            mail.bytes.append(line);
            mail.bytes.push_back('\n');
        }
        done_ = true;
        return !mail.bytes.empty();
    }
    if (pending_separator_.empty()) {  // the first message: skip to its separator
        while (lines_->next(line)) {
            if (is_mbox_separator(line)) {
                pending_separator_.assign(line);
                pending_line_ = lines_->line_number();
                break;
            }
        }
        if (pending_separator_.empty()) {
            done_ = true;
            return false;
        }
    }
    mail.separator = pending_separator_;
    mail.line = pending_line_;
    bool previous_blank = true;
    while (lines_->next(line)) {
        // mboxo/mboxrd: a new message starts at "From " after a blank line; ">From " is quoted text.
        if (is_mbox_separator(line) && previous_blank) {
            pending_separator_.assign(line);
            pending_line_ = lines_->line_number();
            if (!mail.bytes.empty() && mail.bytes.back() == '\n') mail.bytes.pop_back();  // the blank separator line
            return true;
        }
        std::string_view content = line;
        std::size_t quotes = 0;
        while (quotes < content.size() && content[quotes] == '>') ++quotes;
        if (quotes > 0 && content.substr(quotes).rfind("From ", 0) == 0) content.remove_prefix(1);
        mail.bytes.append(content);
        mail.bytes.push_back('\n');
        previous_blank = line.empty();
    }
    done_ = true;
    return true;
}

std::optional<std::string> ParsedMail::header(std::string_view name) const {
    for (const auto& [n, v] : headers)
        if (iequals(n, name)) return v;
    return std::nullopt;
}

std::string ParsedMail::decoded_header(std::string_view name) const {
    const auto raw = header(name);
    if (!raw) return {};
    try {
        return decode_encoded_words(*raw);
    } catch (const MimeError& e) {
        throw MailError("header " + std::string(name) + ": " + e.what());
    }
}

namespace {

struct BodyText {
    std::optional<std::string> plain, html;
    int parts = 0;
};

// Poco's MultipartReader keeps handing out empty parts when a nested multipart ends without its
// closing boundary (found by the Mail fuzzer); real mail has a handful of parts, so a cap ends it.
constexpr int part_limit = 1000;

void collect_text(const Poco::Net::NameValueCollection& headers, std::istream& body, BodyText& out, int depth);

std::string header_value(const Poco::Net::NameValueCollection& h, const std::string& name, const std::string& def) {
    return h.has(name) ? h.get(name) : def;
}

void collect_part(const std::string& content_type, const std::string& transfer, const std::string& disposition,
                  std::istream& body, BodyText& out, int depth) {
    std::string type;
    Poco::Net::NameValueCollection params;
    Poco::Net::MessageHeader::splitParameters(content_type, type, params);
    type = lower(type);
    if (depth > 20) throw MailError("multipart nesting deeper than 20 levels");
    if (type.rfind("multipart/", 0) == 0) {
        const std::string boundary = header_value(params, "boundary", "");
        if (boundary.empty()) throw MailError("a multipart part without a boundary");
        try {
            Poco::Net::MultipartReader reader(body, boundary);
            bool any = false;
            while (reader.hasNextPart()) {
                if (++out.parts > part_limit)
                    throw MailError("more than " + std::to_string(part_limit) +
                                    " MIME parts (a multipart without its closing boundary?)");
                Poco::Net::MessageHeader part_headers;
                part_headers.setFieldLimit(part_header_field_limit);
                reader.nextPart(part_headers);
                collect_text(part_headers, reader.stream(), out, depth + 1);
                any = true;
            }
            if (!any) throw MailError("multipart body with no part for boundary '" + boundary + "'");
        } catch (const Poco::Exception& e) {
            throw MailError("broken multipart structure (boundary '" + boundary + "'): " + e.displayText());
        }
        return;
    }
    const bool attachment = lower(disposition).rfind("attachment", 0) == 0;
    if (attachment || (type != "text/plain" && type != "text/html")) {
        body.ignore(std::numeric_limits<std::streamsize>::max());
        return;
    }
    std::string raw((std::istreambuf_iterator<char>(body)), std::istreambuf_iterator<char>());
    std::string bytes;
    try {
        bytes = decode_transfer_encoding(raw, transfer);
    } catch (const MimeError& e) {
        throw MailError(type + " part: " + e.what());
    }
    std::string text;
    try {
        text = charset_to_utf8(bytes, header_value(params, "charset", "us-ascii"));
    } catch (const MimeError& e) {
        throw MailError(type + " part: " + e.what());
    }
    if (type == "text/plain" && !out.plain) out.plain = std::move(text);
    else if (type == "text/html" && !out.html) out.html = std::move(text);
}

void collect_text(const Poco::Net::NameValueCollection& headers, std::istream& body, BodyText& out, int depth) {
    collect_part(header_value(headers, "Content-Type", "text/plain; charset=us-ascii"),
                 header_value(headers, "Content-Transfer-Encoding", "7bit"),
                 header_value(headers, "Content-Disposition", ""), body, out, depth);
}

}  // namespace

ParsedMail parse_mail(std::string_view bytes) {
    ParsedMail mail;
    std::size_t pos = 0;
    bool ended = false;
    while (pos < bytes.size()) {
        std::size_t eol = bytes.find('\n', pos);
        if (eol == std::string_view::npos) eol = bytes.size();
        std::string_view line = bytes.substr(pos, eol - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos = eol + 1;
        if (line.empty()) {
            ended = true;
            break;
        }
        if ((line[0] == ' ' || line[0] == '\t') && !mail.headers.empty()) {
            mail.headers.back().second.append(line);  // unfold: drop the line break, keep the space
        } else if (is_header_line(line)) {
            const std::size_t colon = line.find(':');
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
            mail.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
        } else if (mail.headers.empty()) {
            throw MailError("does not start with mail headers (found '" + std::string(line.substr(0, 40)) + "')");
        } else {
            throw MailError("a header line without a name: '" + std::string(line.substr(0, 40)) + "'");
        }
        if (mail.headers.back().second.size() > header_length_limit)
            throw MailError("header " + mail.headers.back().first + " is longer than " +
                            std::to_string(header_length_limit) + " characters");
    }
    if (mail.headers.empty()) throw MailError("no mail headers");
    if (!ended) pos = bytes.size();

    Poco::Net::NameValueCollection top;
    for (const char* name : {"Content-Type", "Content-Transfer-Encoding", "Content-Disposition"})
        if (auto v = mail.header(name)) top.set(name, *v);
    std::istringstream body{std::string(bytes.substr(std::min(pos, bytes.size())))};
    BodyText text;
    collect_text(top, body, text, 0);
    if (text.plain) mail.text = std::move(*text.plain);
    else if (text.html) mail.text = html_to_text(*text.html);
    // One line-ending convention for everything stored.
    mail.text.erase(std::remove(mail.text.begin(), mail.text.end(), '\r'), mail.text.end());
    return mail;
}

std::vector<std::string> mail_addresses(std::string_view value) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < value.size()) {
        // Split on commas outside quotes and angle brackets.
        std::size_t end = pos;
        bool quoted = false;
        int angle = 0;
        for (; end < value.size(); ++end) {
            const char c = value[end];
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == '<') ++angle;
            else if (!quoted && c == '>') --angle;
            else if (!quoted && angle == 0 && c == ',') break;
        }
        const std::string_view one = value.substr(pos, end - pos);
        std::string address;
        const std::size_t lt = one.rfind('<');
        if (lt != std::string_view::npos) {
            const std::size_t gt = one.find('>', lt);
            address = std::string(one.substr(lt + 1, gt == std::string_view::npos ? std::string_view::npos : gt - lt - 1));
        } else {
            const std::size_t at = one.find('@');
            if (at != std::string_view::npos) {
                std::size_t b = at, e = at;
                while (b > 0 && one[b - 1] != ' ' && one[b - 1] != '\t' && one[b - 1] != '"') --b;
                while (e < one.size() && one[e] != ' ' && one[e] != '\t' && one[e] != '"') ++e;
                address = std::string(one.substr(b, e - b));
            }
        }
        while (!address.empty() && (address.back() == ' ')) address.pop_back();
        while (!address.empty() && (address.front() == ' ')) address.erase(0, 1);
        if (!address.empty()) out.push_back(lower(address));
        pos = end + 1;
    }
    return out;
}

std::string mail_address(std::string_view value) {
    const auto all = mail_addresses(value);
    return all.empty() ? std::string() : all.front();
}

}  // namespace fbtrack
