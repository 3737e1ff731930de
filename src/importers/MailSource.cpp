#include "importers/MailSource.h"

#include "core/DataFiles.h"
#include "core/Errors.h"
#include "text/Dates.h"
#include "text/Ids.h"
#include "text/LineReader.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>

#include <boost/date_time/posix_time/posix_time.hpp>

namespace fbtrack {

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::string trim_copy(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return std::string(s);
}

// Empty for a year outside the supported range (a mangled Date header), so that the message is
// reported like any other unreadable date instead of failing inside Boost.
std::optional<std::string> utc_of(Poco::DateTime dt, int tzd) {
    if (dt.year() < first_supported_year || dt.year() > last_supported_year) return std::nullopt;
    dt.makeUTC(tzd);
    const boost::posix_time::ptime t(
        boost::gregorian::date(static_cast<unsigned short>(dt.year()), static_cast<unsigned short>(dt.month()),
                               static_cast<unsigned short>(dt.day())),
        boost::posix_time::time_duration(dt.hour(), dt.minute(), dt.second()));
    return to_iso_utc(t);
}

std::optional<std::string> utc_of_mail_date(std::string text) {
    // Drop comments such as "(JST)" that mailers append and parsers trip over.
    for (std::size_t open; (open = text.find('(')) != std::string::npos;) {
        const std::size_t close = text.find(')', open);
        text.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
    }
    text = trim_copy(text);
    Poco::DateTime dt;
    int tzd = 0;
    if (!Poco::DateTimeParser::tryParse(text, dt, tzd)) return std::nullopt;
    return utc_of(dt, tzd);
}

// "From sender@example.com Mon Oct 13 10:12:00 2026": the date after the sender.
std::optional<std::string> utc_of_separator(const std::string& separator) {
    const std::size_t sender_end = separator.find(' ', 5);
    if (sender_end == std::string::npos) return std::nullopt;
    const std::string date = trim_copy(separator.substr(sender_end + 1));
    Poco::DateTime dt;
    int tzd = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ASCTIME_FORMAT, date, dt, tzd) &&
        !Poco::DateTimeParser::tryParse(date, dt, tzd))
        return std::nullopt;
    return utc_of(dt, tzd);  // separator lines carry no zone; mail tools write them in UTC
}

}  // namespace

MailRules MailRules::load(const std::filesystem::path& data_dir) {
    const auto o = load_json_object(data_dir / "mail.json");
    MailRules r;
    for (const auto& code : known_marketplaces(data_dir))
        for (const auto& d : load_marketplace(data_dir, code).mail_domains) r.marketplace_domains.push_back(d);
    r.customer_name_after = json_strings(o, "customer_name_after");
    r.customer_name_until = json_strings(o, "customer_name_until");
    r.personal_line_labels = json_strings(o, "personal_line_labels");
    r.greeting_name_suffixes = json_strings(o, "greeting_name_suffixes");
    r.greeting_name_prefixes = json_strings(o, "greeting_name_prefixes");
    r.quote_markers = json_strings(o, "quote_markers");
    return r;
}

bool MailRules::is_marketplace_address(const std::string& address) const {
    const std::size_t at = address.rfind('@');
    if (at == std::string::npos) return false;
    const std::string domain = address.substr(at + 1);
    for (const auto& d : marketplace_domains)
        if (domain == d) return true;
    return false;
}

std::string MailRules::redact(std::string text) const {
    // "… from Amazon customer Jane Doe (Order: …)": the name goes, the order ID stays.
    for (const auto& after : customer_name_after) {
        std::size_t pos = 0;
        while ((pos = text.find(after, pos)) != std::string::npos) {
            const std::size_t start = pos + after.size();
            std::size_t end = std::string::npos;
            for (const auto& until : customer_name_until) end = std::min(end, text.find(until, start));
            if (end == std::string::npos) end = text.size();
            if (end - start > 0 && end - start <= 120 && text.compare(start, 7, "[buyer]") != 0) text.replace(start, end - start, "[buyer]");
            pos = start;
        }
    }
    std::string out;
    std::size_t pos = 0;
    bool first_line = true, in_block = false;
    while (pos <= text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string::npos) eol = text.size();
        std::string line = text.substr(pos, eol - pos);
        const std::string trimmed = trim_copy(line);
        if (in_block) {
            if (trimmed.empty()) in_block = false;
            else line = "[removed]";
        } else {
            // Quoted copies ("> Ship to: …") are redacted like the original.
            std::size_t quote_end = 0;
            while (quote_end < trimmed.size() && (trimmed[quote_end] == '>' || trimmed[quote_end] == ' ')) ++quote_end;
            const std::string quote = trimmed.substr(0, quote_end);
            const std::string content = trimmed.substr(quote_end);
            for (const auto& label : personal_line_labels) {
                if (content.rfind(label, 0) != 0) continue;
                std::string rest = trim_copy(std::string_view(content).substr(label.size()));
                if (rest.rfind(":", 0) == 0 || rest.rfind("：", 0) == 0) {
                    rest = trim_copy(std::string_view(rest).substr(rest[0] == ':' ? 1 : 3));
                    line = quote + label + ": [removed]";
                    in_block = rest.empty();  // the address follows on its own lines
                    break;
                }
            }
        }
        // "On Mon, Oct 5, Jane Doe wrote:" names the buyer too; keep only the marker.
        for (const auto& marker : quote_markers)
            if (marker[0] != '-' && trimmed.find(marker) != std::string::npos) line = "[buyer] " + marker;
        // The greeting names the buyer: 山田 太郎 様 / Dear Jane Doe,
        if (first_line && !trimmed.empty()) {
            first_line = false;
            for (const auto& suffix : greeting_name_suffixes)
                if (ends_with(trimmed, suffix) && trimmed.size() <= 60) line = "[購入者] " + suffix;
            for (const auto& prefix : greeting_name_prefixes)
                if (trimmed.rfind(prefix, 0) == 0 && ends_with(trimmed, ",") && trimmed.size() <= 60)
                    line = prefix + "[buyer],";
        }
        out += line;
        if (eol < text.size()) out.push_back('\n');
        pos = eol + 1;
    }
    return out;
}

std::string MailRules::unquoted(std::string_view text) const {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) eol = text.size();
        const std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        const std::string trimmed = trim_copy(line);
        bool marker = false;
        for (const auto& m : quote_markers)
            if (trimmed.find(m) != std::string::npos) marker = true;
        if (marker) break;  // everything below is the earlier message
        if (trimmed.rfind(">", 0) == 0 || trimmed.rfind("＞", 0) == 0) continue;
        out.append(line);
        out.push_back('\n');
    }
    return out;
}

MailSource::MailSource(const std::filesystem::path& path, MailboxFormat format, const MailRules& rules)
    : format_(format), rules_(rules), reader_(path, format) {}

bool MailSource::next(ImportedRow& row) {
    RawMail raw;
    if (!reader_.next(raw)) return false;
    row = ImportedRow{};
    row.line = raw.line;
    const std::string where = "message " + std::to_string(raw.number);
    try {
        const ParsedMail mail = parse_mail(raw.bytes);
        std::string ignored;
        BuyerMessage m = convert(raw, mail, ignored);
        if (!ignored.empty()) row.ignored = ignored;
        else row.record = std::move(m);
    } catch (const MailError& e) {
        // Keep only what identifies the mail; its headers name the buyer.
        std::string id;
        if (const auto p = raw.bytes.find("\nMessage-ID:"); p != std::string::npos)
            id = trim_copy(std::string_view(raw.bytes).substr(p + 12, raw.bytes.find('\n', p + 1) - p - 12));
        row.problem = RowProblem{raw.line, where + ": " + e.what(), "Message-ID: " + (id.empty() ? "(none)" : id)};
    }
    return true;
}

BuyerMessage MailSource::convert(const RawMail& raw, const ParsedMail& mail, std::string& ignored) const {
    BuyerMessage m;
    m.source = "mail";
    const std::string from = mail_address(mail.header("From").value_or(""));
    std::vector<std::string> to = mail_addresses(mail.header("To").value_or(""));
    for (const auto& a : mail_addresses(mail.header("Reply-To").value_or(""))) to.push_back(a);
    std::optional<std::string> alias_address;
    if (rules_.is_marketplace_address(from)) {
        m.direction = "buyer";
        alias_address = from;
    } else {
        for (const auto& a : to)
            if (rules_.is_marketplace_address(a)) alias_address = a;
        if (!alias_address) {
            ignored = "not a buyer-seller message (no Amazon marketplace address in From, To or Reply-To)";
            return m;
        }
        m.direction = "seller";
    }
    m.buyer_alias = alias_address->substr(0, alias_address->find('@'));

    const std::string subject = mail.decoded_header("Subject");
    m.subject = rules_.redact(subject);
    m.body = rules_.redact(mail.text);
    std::string_view id = find_order_id(subject);
    if (id.empty()) id = find_order_id(mail.text);
    if (!id.empty()) m.order_id = std::string(id);

    std::optional<std::string> sent;
    if (const auto date = mail.header("Date")) {
        sent = utc_of_mail_date(trim_copy(*date));
        if (!sent) throw MailError("its Date header '" + *date + "' is not an RFC 5322 date");
    } else if (!raw.separator.empty()) {
        sent = utc_of_separator(raw.separator);
    }
    if (!sent) throw MailError("it has no Date header and no mbox separator date to date it by");
    m.sent_at = *sent;

    const auto message_id = mail.header("Message-ID");
    m.message_key = message_id && !trim_copy(*message_id).empty() ? "mid:" + trim_copy(*message_id)
                                                                   : "sha256:" + sha256_of_text(raw.bytes);
    return m;
}

}  // namespace fbtrack
