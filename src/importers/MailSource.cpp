#include "importers/MailSource.h"

#include "catalogue/JsonNode.h"
#include "catalogue/Marketplace.h"
#include "core/Errors.h"
#include "text/Dates.h"
#include "text/Ids.h"
#include "text/LineReader.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>

#include <boost/date_time/posix_time/posix_time.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <ctime>

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
    dt.makeUTC(tzd);  // checked once in UTC: a zone can shift a date out of the supported years
    if (dt.year() < first_supported_year || dt.year() > last_supported_year) return std::nullopt;
    const boost::posix_time::ptime t(
        boost::gregorian::date(static_cast<unsigned short>(dt.year()), static_cast<unsigned short>(dt.month()),
                               static_cast<unsigned short>(dt.day())),
        boost::posix_time::time_duration(dt.hour(), dt.minute(), dt.second()));
    return to_iso_utc(t);
}

std::optional<std::string> utc_of_mail_date(const std::string& text) {
    if (const auto t = parse_mail_date(text)) return to_iso_utc(*t);
    // Other shapes some mailers write (asctime, ISO 8601): Poco knows them.
    const std::string trimmed = trim_copy(text.substr(0, 200));
    Poco::DateTime dt;
    int tzd = 0;
    if (!Poco::DateTimeParser::tryParse(trimmed, dt, tzd)) return std::nullopt;
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

MailRules MailRules::load(const Catalogue& data_dir) {
    // Each list removes buyers' personal data before a message is stored: none may be left out
    // or of another shape, or names would be stored.
    const auto o = data_dir.json("mail.json");
    MailRules r;
    for (const auto& code : known_marketplaces(data_dir))
        for (const auto& d : load_marketplace(data_dir, code).mail_domains) r.marketplace_domains.push_back(d);
    // An empty list would switch a removal off without a word: each must hold a word.
    constexpr auto one = JsonNode::Entries::at_least_one;
    r.customer_name_after = o.strings("customer_name_after", one);
    r.customer_name_until = o.strings("customer_name_until", one);
    r.personal_line_labels = o.strings("personal_line_labels", one);
    r.greeting_name_suffixes = o.strings("greeting_name_suffixes", one);
    r.greeting_name_prefixes = o.strings("greeting_name_prefixes", one);
    r.quote_markers = o.strings("quote_markers", one);
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

namespace {

// "… from Amazon customer Jane Doe (Order: …)": the name goes, the order ID stays. One pass per
// marker, each looking no further than a name can be long, so the cost stays linear.
std::string replace_customer_names(std::string_view text, const std::string& after,
                                   const std::vector<std::string>& untils) {
    constexpr std::size_t longest_name = 120;
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    for (std::size_t found; (found = text.find(after, pos)) != std::string_view::npos;) {
        const std::size_t start = found + after.size();
        out.append(text.substr(pos, start - pos));
        pos = start;
        const std::string_view window = text.substr(start, longest_name + 1 + 16);
        std::size_t end = std::string_view::npos;
        for (const auto& until : untils) end = std::min(end, window.find(until));
        if (end == std::string_view::npos && text.size() - start <= longest_name) end = text.size() - start;
        if (end == std::string_view::npos || end == 0 || end > longest_name || window.substr(0, 7) == "[buyer]") continue;
        out += "[buyer]";
        pos = start + end;
    }
    out.append(text.substr(pos));
    return out;
}

}  // namespace

std::string MailRules::redact(std::string_view input) const {
    std::string text(input);
    for (const auto& after : customer_name_after) text = replace_customer_names(text, after, customer_name_until);
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

namespace {
const std::string buyer_mail_note = "recipient of buyer mail in ";
}

std::string ShopAddressBook::learnt_from_buyer_mail(const std::string& folder) { return buyer_mail_note + folder; }

std::optional<std::string> ShopAddressBook::buyer_mail_folder(const std::string& learnt_from) {
    if (learnt_from.rfind(buyer_mail_note, 0) != 0) return std::nullopt;
    return learnt_from.substr(buyer_mail_note.size());
}

void ShopAddressBook::add(const std::string& address, const std::string& learnt_from) {
    if (address.empty() || !known_.insert(address).second) return;
    learnt_.emplace_back(address, learnt_from);
}

MailboxPlace place_of_mailbox(const std::filesystem::path& path, MailboxFormat format, const std::string& maildir_folder) {
    MailboxPlace place;
    // A Thunderbird or Apple Mail export names each mbox after its folder ("Sent", "Sent.mbox"); a
    // single .eml file lies in a folder, whatever its own name ("spam.eml" is no junk folder).
    if (!maildir_folder.empty()) place.folder = maildir_folder;
    else if (format == MailboxFormat::mbox) place.folder = path.stem().string();
    else place.folder = path.parent_path().filename().string();
    place.maildir = !maildir_folder.empty();
    place.junk = is_junk_folder(place.folder);
    place.sent = is_sent_folder(place.folder);
    return place;
}

namespace {

struct Parties {
    // The one sender, or empty when From is missing, names several addresses, or comes twice:
    // such mail is nobody's we can tell, and never the buyer's or the shop's.
    std::string from;
    std::vector<std::string> to, cc;  // Reply-To is chosen by the sender and proves nothing
};

// An addr-spec as mail servers route it: no quotes, brackets, spaces or second '@' that could
// make "shop@example"@evil.example read as the shop's address.
bool is_plain_address(std::string_view a) {
    const std::size_t at = a.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= a.size() || a.find('@', at + 1) != std::string_view::npos)
        return false;
    for (char c : a)
        if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>' || c == '(' || c == ')' ||
            c == ',' || c == ';' || c == ':' || c == '[' || c == ']' || c == '\\')
            return false;
    return true;
}

std::string sole_sender(const MailHeaders& headers) {
    std::size_t from_fields = 0;
    std::string value;
    for (const auto& [name, v] : headers.fields)
        if (name.size() == 4 && (name[0] | 0x20) == 'f' && (name[1] | 0x20) == 'r' && (name[2] | 0x20) == 'o' &&
            (name[3] | 0x20) == 'm' && ++from_fields == 1)
            value = v;
    if (from_fields != 1) return {};
    // The address is what stands in <…>, or the whole value; anything else around a bare one is suspect.
    // An old-style comment ("shop@example.jp (Shop Name)") is no part of the address.
    std::string bare;
    int depth = 0;
    for (char c : value) {
        if (c == '(') ++depth;
        else if (c == ')' && depth > 0) --depth;
        else if (depth == 0) bare.push_back(c);
    }
    value = bare;
    const std::size_t open = value.rfind('<');
    std::string_view candidate = value;
    if (open != std::string::npos) {
        const std::size_t close = value.find('>', open);
        if (close == std::string::npos || value.find('<') != open) return {};
        candidate = std::string_view(value).substr(open + 1, close - open - 1);
    }
    while (!candidate.empty() && (candidate.front() == ' ' || candidate.front() == '\t')) candidate.remove_prefix(1);
    while (!candidate.empty() && (candidate.back() == ' ' || candidate.back() == '\t')) candidate.remove_suffix(1);
    if (!is_plain_address(candidate)) return {};
    std::string address(candidate);
    for (auto& c : address) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return address;
}

Parties parties_of(const MailHeaders& headers) {
    Parties p;
    p.from = sole_sender(headers);
    p.to = mail_addresses(headers.get("To").value_or(""));
    p.cc = mail_addresses(headers.get("Cc").value_or(""));
    return p;
}

bool any_alias(const std::vector<std::string>& list, const MailRules& rules) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& r) { return rules.is_marketplace_address(r); });
}

void learn_from(const MailHeaders& headers, const MailboxPlace& place, const MailRules& rules, ShopAddressBook& book) {
    if (place.junk) return;
    const Parties p = parties_of(headers);
    if (p.from.empty()) return;
    if (rules.is_marketplace_address(p.from)) {
        // In a live mailbox anyone can write to, a From of the marketplace proves nothing: only
        // shop.json and the sent folder teach there.
        if (place.live) return;
        // Amazon forwards a buyer's message to the one address the seller gave it; mail with more
        // recipients was not written by Amazon's relay and teaches nothing.
        if (p.to.size() == 1 && p.cc.empty() && is_plain_address(p.to[0]) && !rules.is_marketplace_address(p.to[0]))
            book.add(p.to[0], ShopAddressBook::learnt_from_buyer_mail(place.folder));
        return;
    }
    // Only the folder says a message was sent by the shop: no header a sender writes can.
    if (place.sent && (any_alias(p.to, rules) || any_alias(p.cc, rules)))
        book.add(p.from, "sender of mail in sent folder " + place.folder);
}

// The Message-ID of a message, for the record of one that could not be read: no personal data.
std::string message_id_of(const MailHeaders& headers) {
    std::string id = trim_copy(headers.get("Message-ID").value_or(""));
    if (id.empty()) return "(none)";
    if (id.size() > 200) id.resize(200);
    return decode_mail_header(id).text;
}

std::string joined(const std::vector<std::string>& notes) {
    std::string out;
    for (const auto& n : notes) out += (out.empty() ? "" : "; ") + n;
    return out;
}

// The date of the topmost Received header ("…; Tue, 6 Oct 2026 10:00:00 +0900"): written by the
// server that delivered the mail, so when it arrived (lower ones come from the sender's side).
std::optional<std::string> utc_of_received(const MailHeaders& headers) {
    for (const auto& [name, value] : headers.fields) {
        if (name.size() != 8 || !std::equal(name.begin(), name.end(), "received", [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            }))
            continue;
        const auto semi = value.rfind(';');
        return semi == std::string::npos ? std::nullopt : utc_of_mail_date(value.substr(semi + 1));
    }
    return std::nullopt;
}

}  // namespace

void learn_shop_addresses(const std::filesystem::path& path, MailboxFormat format, const MailboxPlace& place,
                          const MailRules& rules, ShopAddressBook& book) {
    MailboxReader reader(path, format);
    RawMail raw;
    while (reader.next(raw)) {
        try {
            learn_from(read_mail_headers(raw.bytes), place, rules, book);
        } catch (const MailError&) {
            // Not mail: nothing to learn; the import proper passes it over.
        }
    }
}

namespace {

std::optional<std::string> time_of_file(const std::filesystem::path& path, bool maildir) {
    std::int64_t seconds = 0;
    const std::string name = path.filename().string();
    std::size_t digits = 0;
    while (digits < name.size() && digits < 12 && std::isdigit(static_cast<unsigned char>(name[digits]))) ++digits;
    if (maildir && digits >= 9 && digits < name.size() && name[digits] == '.') {
        seconds = std::stoll(name.substr(0, digits));
    } else {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return std::nullopt;
        seconds = st.st_mtime;
    }
    // A file time no mail has (a Maildir name of year 9999, a clock set wrong) dates nothing.
    constexpr std::int64_t year_2200 = 7258118400;
    if (seconds <= 0 || seconds >= year_2200) return std::nullopt;
    return to_iso_utc(boost::posix_time::from_time_t(static_cast<std::time_t>(seconds)));
}

}  // namespace

MailSource::MailSource(const std::filesystem::path& path, MailboxFormat format, const MailRules& rules,
                       MailboxPlace place, ShopAddressBook& book)
    : format_(format), rules_(rules), place_(std::move(place)), book_(book),
      file_time_(format == MailboxFormat::eml ? time_of_file(path, place_.maildir) : std::nullopt),
      reader_(path, format) {}

bool MailSource::next(ImportedRow& row) {
    RawMail raw;
    if (!reader_.next(raw)) return false;
    row = ImportedRow{};
    row.line = raw.line;
    MailHeaders headers;
    try {
        headers = read_mail_headers(raw.bytes);
    } catch (const MailError&) {
        row.ignored = "not mail (no header fields)";
        return true;
    }
    // Addresses first: other mail is never decoded past its headers.
    learn_from(headers, place_, rules_, book_);
    std::string alias;
    const auto direction = direction_of(headers, alias, row);
    if (!direction) return true;
    try {
        row.record = convert(raw, headers, *direction, alias);
    } catch (const std::exception& e) {
        // One unreadable buyer-seller message is kept on record and never stops the others.
        row.problem = RowProblem{raw.line, "message " + std::to_string(raw.number) + ": " + e.what(),
                                 "Message-ID: " + message_id_of(headers)};
    }
    return true;
}

std::optional<std::string> MailSource::direction_of(const MailHeaders& headers, std::string& alias, ImportedRow& row) {
    if (place_.junk) {
        row.ignored = "in a junk folder";
        return std::nullopt;
    }
    const Parties p = parties_of(headers);
    if (p.from.empty()) {
        row.ignored = "no single plain From address";
        return std::nullopt;
    }
    if (rules_.is_marketplace_address(p.from)) {
        alias = p.from;
        return "buyer";
    }
    std::vector<std::string> recipients = p.to;
    recipients.insert(recipients.end(), p.cc.begin(), p.cc.end());
    const auto to_alias = std::find_if(recipients.begin(), recipients.end(),
                                       [&](const std::string& r) { return rules_.is_marketplace_address(r); });
    if (to_alias == recipients.end()) {
        row.ignored = "not a buyer-seller message (no Amazon marketplace address in From, To or Cc)";
        return std::nullopt;
    }
    if (!book_.contains(p.from)) {
        row.ignored = "mail to a marketplace address from one that is not the shop's";
        row.unknown_sender = p.from.empty() ? "(no From)" : p.from;
        return std::nullopt;
    }
    if (place_.live && !place_.sent) {
        // Anyone can put the shop's address in a From and mail it to the shop's INBOX; the
        // shop's own replies lie in its sent folder.
        row.ignored = "mail from the shop's address outside a sent folder (a From proves nothing there)";
        return std::nullopt;
    }
    alias = *to_alias;
    return "seller";
}

BuyerMessage MailSource::convert(const RawMail& raw, const MailHeaders& headers, const std::string& direction,
                                 const std::string& alias) const {
    BuyerMessage m;
    m.source = "mail";
    m.direction = direction;
    m.buyer_alias = alias.substr(0, alias.find('@'));

    std::vector<std::string> notes = headers.notes;
    const DecodedText subject = headers.decoded("Subject");
    if (subject.repaired) notes.push_back("subject: " + subject.note);
    MailBody body = read_mail_body(headers, raw.bytes);
    for (auto& n : body.notes) notes.push_back(std::move(n));
    if (raw.truncated) notes.push_back("message cut at " + std::to_string(max_message_bytes >> 20) + " MiB");
    m.subject = subject.text;
    m.body = std::move(body.text);

    std::string_view id = find_order_id(m.subject);
    if (id.empty()) id = find_order_id(m.body);
    if (!id.empty()) m.order_id = std::string(id);

    // As mail clients date a message: its Date, else when it arrived.
    const auto date = headers.get("Date");
    std::optional<std::string> sent = date ? utc_of_mail_date(trim_copy(*date)) : std::nullopt;
    if (!sent) {
        if (!raw.separator.empty()) sent = utc_of_separator(raw.separator);
        if (!sent) sent = utc_of_received(headers);
        if (sent) {
            notes.push_back("dated by its delivery, its Date header being missing or unreadable");
        } else if (file_time_) {
            sent = file_time_;
            notes.push_back(place_.maildir ? "dated by its delivery into the Maildir, it names no date"
                                           : "dated by its file's time, it names no date");
        } else {
            throw MailError(date ? "its Date header '" + decode_mail_header(date->substr(0, 80)).text +
                                       "' is not an RFC 5322 date, and nothing else dates it"
                                 : "it has no Date header and nothing else to date it by");
        }
    }
    m.sent_at = *sent;
    if (!notes.empty()) m.decoding_note = joined(notes);

    // A Message-ID is the key that makes re-imports idempotent; a monstrous one is kept by its hash.
    const std::string message_id = trim_copy(headers.get("Message-ID").value_or(""));
    constexpr std::size_t longest_message_id = 998;  // RFC 5322's line limit
    if (message_id.empty()) m.message_key = "sha256:" + sha256_of_text(raw.bytes);
    else if (message_id.size() > longest_message_id) m.message_key = "midsha256:" + sha256_of_text(message_id);
    else m.message_key = "mid:" + message_id;
    return m;
}

}  // namespace fbtrack
