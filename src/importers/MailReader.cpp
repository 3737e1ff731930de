#include "importers/MailReader.h"

#include "core/Errors.h"
#include "text/Encoding.h"
#include "text/LineReader.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fbtrack {

namespace {

constexpr std::size_t header_value_limit = 64u << 10;
// Real mail carries a few hundred fields; the cap keeps a hostile header block from costing a
// vector entry per four bytes.
constexpr std::size_t header_field_limit = 10000;
constexpr std::size_t sniff_limit = 256u << 10;
constexpr std::size_t nesting_limit = 20;
constexpr std::size_t part_limit = 1000;
// Only this much of a text part is decoded: with base64 (4/3) and two-byte CJK charsets it gives
// about max_body_text_bytes of text, and it keeps a 10 MiB part from costing several copies.
constexpr std::size_t part_decode_limit = 2u << 20;
constexpr std::size_t read_block = 1u << 20;

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = ascii_lower(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

void add_note(std::vector<std::string>& notes, std::string note) {
    // The same damage repeated (every part of a broken mail) is one note.
    if (notes.size() < 20 && std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(std::move(note));
}

// A line and where the next one starts; CRLF, LF and a bare CR all end a line.
struct Line {
    std::size_t begin = 0, end = 0, next = 0;
};

Line line_at(std::string_view s, std::size_t pos) {
    std::size_t i = pos;
    while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
    std::size_t next = i;
    if (i < s.size()) {
        next = i + 1;
        if (s[i] == '\r' && next < s.size() && s[next] == '\n') ++next;
    }
    return {pos, i, next};
}

// Python's email parser takes any printable ASCII but ':' as a field name; so does this.
std::size_t field_name_length(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] != ':') {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c <= 32 || c >= 127) return 0;
        ++i;
    }
    return i < line.size() ? i : 0;
}

// For recognising a file as mail only: names as mailers write them, so that a CSV line such as
// "order","2026-10-05T08:00" is not taken for a field.
bool is_strict_field_line(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] != ':') {
        const char c = line[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return false;
        ++i;
    }
    return i > 0 && i < line.size();
}

bool is_mbox_separator(std::string_view line) { return line.substr(0, 5) == "From "; }

struct HeaderBlock {
    std::vector<std::pair<std::string, std::string>> fields;
    std::size_t body_offset = 0;
    std::vector<std::string> notes;
};

// The header block starting at `pos`. `ends_block` lets a MIME part's headers stop at a boundary
// line, which a broken part may put before its blank line.
template <class EndsBlock>
HeaderBlock parse_header_block(std::string_view s, std::size_t pos, EndsBlock ends_block) {
    HeaderBlock block;
    std::size_t skipped_fields = 0;
    bool current_kept = false;  // the last field line was stored (so its continuations belong to it)
    const std::size_t start = pos;
    for (;;) {
        if (pos >= s.size()) {
            block.body_offset = s.size();
            break;
        }
        const Line l = line_at(s, pos);
        const std::string_view line = s.substr(l.begin, l.end - l.begin);
        if (line.empty()) {
            block.body_offset = l.next;
            break;
        }
        if (ends_block(line)) {
            block.body_offset = pos;
            break;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            if (block.fields.empty() && skipped_fields == 0) {
                add_note(block.notes, "a continuation line before the first header field was skipped");
            } else if (current_kept) {
                auto& [name, value] = block.fields.back();
                if (value.size() < header_value_limit) {
                    // Unfold: drop the line break, keep the space.
                    value.append(line.substr(0, header_value_limit - value.size()));
                    if (value.size() == header_value_limit) {
                        value.resize(whole_utf8_prefix(value));
                        current_kept = false;  // its further lines are dropped with the rest
                        add_note(block.notes, "header " + name + " cut at 64 KiB");
                    }
                }
            }
        } else if (const std::size_t colon = field_name_length(line); colon > 0) {
            if (block.fields.size() < header_field_limit) {
                std::string_view value = line.substr(colon + 1);
                while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
                std::string name(line.substr(0, colon));
                if (value.size() > header_value_limit) {
                    value = value.substr(0, whole_utf8_prefix(value.substr(0, header_value_limit)));
                    add_note(block.notes, "header " + name + " cut at 64 KiB");
                }
                block.fields.emplace_back(std::move(name), std::string(value));
                current_kept = true;
            } else {
                ++skipped_fields;
                current_kept = false;
            }
        } else if (is_mbox_separator(line)) {
            // An mbox envelope line: Python keeps the first as the envelope and drops later ones.
            if (pos != start) add_note(block.notes, "an mbox \"From \" line inside the header block was skipped");
            current_kept = false;
        } else {
            // Python's email package: a defect; the header block ends and the body starts here.
            add_note(block.notes, "a line without a colon ended the header block; the rest is read as the body");
            block.body_offset = pos;
            break;
        }
        pos = l.next;
    }
    if (skipped_fields)
        add_note(block.notes, "more than " + std::to_string(header_field_limit) + " header fields; " +
                                  std::to_string(skipped_fields) + " skipped");
    return block;
}

// "type/subtype; name=value; name="quoted value"" with lower-case type and parameter names.
struct HeaderValue {
    std::string value;
    std::vector<std::pair<std::string, std::string>> params;
    std::string param(std::string_view name) const {
        for (const auto& [n, v] : params)
            if (n == name) return v;
        return {};
    }
};

// A token ends at white space or a comment: "us-ascii (Plain text)" is us-ascii.
std::string_view token(std::string_view s) {
    s = trim(s);
    const std::size_t end = s.find_first_of(" \t\r\n(");
    return end == std::string_view::npos ? s : s.substr(0, end);
}

HeaderValue parse_header_value(std::string_view raw) {
    HeaderValue out;
    std::size_t i = 0;
    const auto skip_space = [&] {
        while (i < raw.size() && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\r' || raw[i] == '\n')) ++i;
    };
    skip_space();
    const std::size_t value_begin = i;
    while (i < raw.size() && raw[i] != ';') ++i;
    out.value = lower(token(raw.substr(value_begin, i - value_begin)));
    while (i < raw.size()) {
        ++i;  // the ';'
        skip_space();
        const std::size_t name_begin = i;
        while (i < raw.size() && raw[i] != '=' && raw[i] != ';') ++i;
        std::string name = lower(trim(raw.substr(name_begin, i - name_begin)));
        if (i >= raw.size() || raw[i] == ';') continue;
        ++i;  // the '='
        skip_space();
        std::string value;
        if (i < raw.size() && raw[i] == '"') {
            for (++i; i < raw.size() && raw[i] != '"'; ++i) {
                if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
                value.push_back(raw[i]);
            }
            while (i < raw.size() && raw[i] != ';') ++i;
        } else {
            const std::size_t value_begin2 = i;
            while (i < raw.size() && raw[i] != ';') ++i;
            value = std::string(token(raw.substr(value_begin2, i - value_begin2)));
        }
        // RFC 2231 "charset*=utf-8''value": keep the value, which is what a label or boundary needs.
        if (!name.empty() && name.back() == '*') {
            name.pop_back();
            if (const auto q = value.find("''"); q != std::string::npos) value.erase(0, q + 2);
        }
        if (!name.empty()) out.params.emplace_back(std::move(name), std::move(value));
    }
    return out;
}

template <class Fields>
std::optional<std::string> first_field(const Fields& fields, std::string_view name) {
    for (const auto& [n, v] : fields)
        if (iequals(n, name)) return v;
    return std::nullopt;
}

struct PartInfo {
    std::string type = "text/plain";  // lower case
    std::string charset;
    std::string encoding;  // lower-case transfer encoding, "" for none
    std::string boundary;
    bool attachment = false;
};

template <class Fields>
PartInfo part_info(const Fields& fields) {
    PartInfo info;
    if (const auto ct = first_field(fields, "Content-Type")) {
        HeaderValue v = parse_header_value(*ct);
        // Python: a type without a '/' is no type; the default applies.
        if (v.value.find('/') != std::string::npos) info.type = v.value;
        info.charset = v.param("charset");
        std::string boundary = v.param("boundary");
        while (!boundary.empty() && (boundary.back() == ' ' || boundary.back() == '\t')) boundary.pop_back();
        info.boundary = std::move(boundary);
    }
    if (const auto te = first_field(fields, "Content-Transfer-Encoding")) {
        std::string_view e = trim(*te);
        if (e.size() >= 2 && e.front() == '"' && e.back() == '"') e = e.substr(1, e.size() - 2);
        info.encoding = lower(e);
    }
    if (const auto cd = first_field(fields, "Content-Disposition"))
        info.attachment = parse_header_value(*cd).value == "attachment";
    return info;
}

bool is_multipart(const PartInfo& info) { return info.type.rfind("multipart/", 0) == 0; }

enum class Delimiter { none, part, close };

// What a "--" line would name as a boundary: "--X" then spaces or tabs is a delimiter for X,
// "--X--" a close delimiter for X. Comparing whole names (as Python's boundary pattern does) means
// a boundary that is a prefix of another never matches the longer one's lines, and a line is
// checked against every open boundary by length first, without a scan per boundary.
struct DelimiterLine {
    bool dashes = false;
    std::string_view part, close;
    bool has_close = false;
};

DelimiterLine delimiter_line(std::string_view line) {
    DelimiterLine d;
    if (line.size() < 3 || line[0] != '-' || line[1] != '-') return d;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    d.dashes = true;
    d.part = line.substr(2);
    if (d.part.size() > 2 && d.part.substr(d.part.size() - 2) == "--") {
        d.close = d.part.substr(0, d.part.size() - 2);
        d.has_close = true;
    }
    return d;
}

Delimiter match_delimiter(const DelimiterLine& d, std::string_view boundary) {
    if (!d.dashes) return Delimiter::none;
    if (d.has_close && d.close == boundary) return Delimiter::close;
    if (d.part == boundary) return Delimiter::part;
    return Delimiter::none;
}

bool looks_like_text(std::string_view s) { return s.find('\0') == std::string_view::npos; }


// One pass over a body: a stack of the open multiparts, each line checked against all their
// boundaries (innermost first), so an inner part ends at any enclosing delimiter.
class BodyScanner {
public:
    BodyScanner(std::string_view s, std::vector<std::string>& notes) : s_(s), notes_(notes) {}

    struct Leaf {
        std::size_t begin = 0, end = 0;
        PartInfo info;
    };
    std::optional<Leaf> plain, html;

    void run(std::size_t begin, const PartInfo& top) {
        if (!is_multipart(top)) {
            open_ = Open{top, begin, true, false};
            finish_leaf(s_.size());
            return;
        }
        if (top.boundary.empty()) {
            add_note(notes_, "multipart without a boundary: its body read as text");
            open_ = Open{top, begin, true, true};
            finish_leaf(s_.size());
            return;
        }
        stack_.push_back(Frame{top.boundary, top, begin, 0, top.type == "multipart/related", true});
        std::size_t pos = begin, prev_end = begin;
        while (pos < s_.size() && !stop_) {
            const Line l = line_at(s_, pos);
            const std::string_view line = s_.substr(l.begin, l.end - l.begin);
            if (const DelimiterLine dl = delimiter_line(line); dl.dashes) {
                bool matched = false;
                for (std::size_t k = stack_.size(); k-- > 0;) {
                    const Delimiter d = match_delimiter(dl, stack_[k].boundary);
                    if (d == Delimiter::none) continue;
                    matched = true;
                    pos = on_delimiter(k, d, l, prev_end);
                    prev_end = pos;
                    break;
                }
                if (matched) {
                    if (stack_.empty()) return;  // the rest is the epilogue
                    continue;
                }
            }
            prev_end = l.end;
            pos = l.next;
        }
        if (stop_) return;
        finish_leaf(s_.size());
        while (!stack_.empty()) close_frame(s_.size(), false);
    }

private:
    struct Frame {
        std::string boundary;
        PartInfo info;
        std::size_t body_begin = 0;
        std::size_t parts = 0;
        bool related = false;  // only the first part of multipart/related is the body (as Python)
        bool eligible = true;  // may hold the message text (not inside an attachment)
    };
    struct Open {
        PartInfo info;
        std::size_t begin = 0;
        bool eligible = true;
        bool as_text = false;  // a multipart without parts, read as text/plain if it looks like text
    };

    // Returns where scanning goes on.
    std::size_t on_delimiter(std::size_t k, Delimiter d, const Line& l, std::size_t prev_end) {
        finish_leaf(prev_end);
        while (stack_.size() > k + 1) close_frame(prev_end, false);
        if (stop_) return l.next;
        if (d == Delimiter::close) {
            close_frame(prev_end, true);
            return l.next;
        }
        Frame& frame = stack_[k];
        ++frame.parts;
        if (++total_parts_ > part_limit) {
            add_note(notes_, "more than " + std::to_string(part_limit) + " MIME parts; the rest not read");
            stop_ = true;
            return l.next;
        }
        const HeaderBlock part = parse_header_block(s_, l.next, [this](std::string_view line) { return is_delimiter(line); });
        PartInfo info = part_info(part.fields);
        const bool eligible = frame.eligible && (!frame.related || frame.parts == 1) && !info.attachment;
        if (is_multipart(info) && !info.boundary.empty()) {
            if (stack_.size() >= nesting_limit) {
                add_note(notes_, "multiparts nested deeper than " + std::to_string(nesting_limit) + " levels; the rest not read");
                stop_ = true;
                return part.body_offset;
            }
            const bool related = info.type == "multipart/related";
            stack_.push_back(Frame{info.boundary, std::move(info), part.body_offset, 0, related, eligible});
        } else {
            const bool as_text = is_multipart(info);
            if (as_text) add_note(notes_, "multipart without a boundary: its body read as text");
            open_ = Open{std::move(info), part.body_offset, eligible, as_text};
        }
        return part.body_offset;
    }

    bool is_delimiter(std::string_view line) const {
        const DelimiterLine dl = delimiter_line(line);
        if (!dl.dashes) return false;
        for (const auto& f : stack_)
            if (match_delimiter(dl, f.boundary) != Delimiter::none) return true;
        return false;
    }

    void close_frame(std::size_t end, bool closed) {
        Frame frame = std::move(stack_.back());
        stack_.pop_back();
        if (!closed) add_note(notes_, "multipart never closed");
        if (frame.parts == 0) {
            add_note(notes_, "multipart with no parts: its body read as text");
            open_ = Open{std::move(frame.info), frame.body_begin, frame.eligible, true};
            finish_leaf(end);
        }
    }

    void finish_leaf(std::size_t end) {
        if (!open_) return;
        Open open = std::move(*open_);
        open_.reset();
        if (!open.eligible || stop_) return;
        end = std::max(end, open.begin);
        Leaf leaf{open.begin, end, std::move(open.info)};
        if (open.as_text) {
            if (!looks_like_text(s_.substr(leaf.begin, leaf.end - leaf.begin))) return;
            leaf.info.type = "text/plain";
        }
        if (leaf.info.type == "text/plain" && !plain) {
            plain = std::move(leaf);
            stop_ = true;  // the first plain text wins; nothing after it matters
        } else if (leaf.info.type == "text/html" && !html) {
            html = std::move(leaf);
        }
    }

    std::string_view s_;
    std::vector<std::string>& notes_;
    std::vector<Frame> stack_;
    std::optional<Open> open_;
    std::size_t total_parts_ = 0;
    bool stop_ = false;
};

void to_lf_line_ends(std::string& text) {
    std::size_t w = 0;
    for (std::size_t r = 0; r < text.size(); ++r) {
        if (text[r] == '\r') {
            text[w++] = '\n';
            if (r + 1 < text.size() && text[r + 1] == '\n') ++r;
        } else {
            text[w++] = text[r];
        }
    }
    text.resize(w);
}

std::string decode_leaf(std::string_view raw, const PartInfo& info, bool html, std::vector<std::string>& notes) {
    const bool cut_short = raw.size() > part_decode_limit;
    if (cut_short) {
        // At a line end, so that no base64 group or encoded character is split, unless that would
        // lose most of it (one long line): then at a whole base64 group or quoted-printable escape.
        const std::size_t line_end = raw.find_last_of("\r\n", part_decode_limit);
        std::size_t cut = part_decode_limit;
        if (line_end != std::string_view::npos && line_end >= part_decode_limit / 2) {
            cut = line_end;
        } else if (lower(info.encoding) == "base64") {
            cut -= cut % 4;
        } else if (lower(info.encoding) == "quoted-printable") {
            const std::size_t escape = raw.rfind('=', cut - 1);
            if (escape != std::string_view::npos && escape + 3 > cut) cut = escape;
        }
        raw = raw.substr(0, cut);
        add_note(notes, "text cut: only the first 2 MiB of its part read");
    }
    std::string broken;
    const std::string bytes = decode_transfer_encoding_lenient(raw, info.encoding, broken);
    if (!broken.empty()) add_note(notes, broken);
    DecodedText decoded = decode_mail_text(bytes, info.charset);
    // A part cut short may end inside a character: its last bytes are dropped rather than let
    // the broken end make the whole text read as another charset.
    for (std::size_t drop = 1; cut_short && decoded.repaired && drop <= 3 && drop < bytes.size(); ++drop) {
        DecodedText shorter = decode_mail_text(std::string_view(bytes).substr(0, bytes.size() - drop), info.charset);
        if (!shorter.repaired) decoded = std::move(shorter);
        if (!decoded.repaired) break;
    }
    if (decoded.repaired) add_note(notes, decoded.note);
    std::string text = html ? html_to_text(decoded.text) : std::move(decoded.text);
    to_lf_line_ends(text);
    if (text.size() > max_body_text_bytes) {
        std::size_t cut = max_body_text_bytes;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole characters
        text.resize(cut);
        add_note(notes, "text cut at 1 MiB");
    }
    return text;
}

// Owns a file descriptor.
class Fd {
public:
    explicit Fd(const std::filesystem::path& path) : fd_(open_input_file(path)) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

// Reads up to `limit` bytes; `more` says whether the file holds more.
std::string read_prefix(int fd, std::size_t limit, bool& more) {
    std::string out;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(std::min(limit, static_cast<std::size_t>(st.st_size)));
    std::array<char, 65536> block{};
    more = false;
    for (;;) {
        const std::size_t want = std::min(block.size(), limit - out.size() + 1);  // one byte more tells "more"
        const ssize_t got = ::read(fd, block.data(), want);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw MissingInputError(std::string("read failed: ") + std::strerror(errno));
        if (got == 0) break;
        const auto n = static_cast<std::size_t>(got);
        if (out.size() + n > limit) {
            out.append(block.data(), limit - out.size());
            more = true;
            break;
        }
        out.append(block.data(), n);
    }
    return out;
}

void append_capped(RawMail& mail, std::string_view content) {
    // Grow by doubling, but never past the cap: a 10 MiB message then needs 10 MiB, not 16.
    const std::size_t needed = std::min(mail.bytes.size() + content.size(), max_message_bytes);
    if (needed > mail.bytes.capacity())
        mail.bytes.reserve(std::min(std::max(mail.bytes.capacity() * 2, needed), max_message_bytes));
    if (mail.bytes.size() + content.size() > max_message_bytes) {
        mail.bytes.append(content.substr(0, max_message_bytes - mail.bytes.size()));
        mail.truncated = true;
    } else {
        mail.bytes.append(content);
    }
}

// IMAP modified UTF-7 ("&MAEwoQ-"), as Dovecot and Courier name folders on disk; ICU knows it.
std::string decode_modified_utf7(std::string_view s) {
    if (s.find('&') == std::string_view::npos) return std::string(s);
    try {
        TextDecoder decoder("IMAP-mailbox-name");
        std::string out;
        decoder.decode(s, out);
        return out;
    } catch (const std::exception&) {
        return std::string(s);  // not modified UTF-7 after all
    }
}

bool is_maildir_control_file(const std::string& name) {
    return name == "dovecot-uidlist" || name == "dovecot-keywords" || name == "dovecot-uidvalidity" ||
           name.rfind("dovecot.", 0) == 0 || name.rfind("dovecot-uidvalidity.", 0) == 0 || name == "subscriptions" ||
           name == "maildirfolder" || name == "maildirsize" || name.rfind("courier", 0) == 0 || name.front() == '.';
}

void add_message_files(const std::filesystem::path& dir, const std::string& folder, std::vector<MailFolderFile>& out) {
    for (const char* sub : {"cur", "new"}) {
        std::error_code ec;
        std::filesystem::directory_iterator it(dir / sub, ec), end;
        for (; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.empty() || is_maildir_control_file(name)) continue;
            std::error_code fec;
            if (it->is_regular_file(fec)) out.push_back({it->path(), folder});
        }
    }
}

bool has_message_folders(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_directory(dir / "cur", ec) || std::filesystem::is_directory(dir / "new", ec);
}

// Folders that are maildirs of their own below `dir` (Dovecot's LAYOUT=fs, Thunderbird's maildir
// store with "Name.sbd" for sub-folders), named "Parent/Child".
void add_plain_subfolders(const std::filesystem::path& dir, const std::string& prefix, int depth,
                          std::vector<MailFolderFile>& out) {
    if (depth > 8) return;
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::error_code dec;
        if (!it->is_directory(dec)) continue;
        std::string name = it->path().filename().string();
        if (name.empty() || name.front() == '.' || name == "cur" || name == "new" || name == "tmp") continue;
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".sbd") == 0) name.resize(name.size() - 4);
        const std::string folder = prefix.empty() ? decode_modified_utf7(name) : prefix + "/" + decode_modified_utf7(name);
        if (has_message_folders(it->path())) add_message_files(it->path(), folder, out);
        add_plain_subfolders(it->path(), folder, depth + 1, out);
    }
}

}  // namespace

std::optional<MailboxFormat> sniff_mailbox(const std::filesystem::path& path) {
    bool more = false;
    std::string head;
    try {
        const Fd fd(path);
        head = read_prefix(fd.get(), sniff_limit, more);
    } catch (const Error&) {
        return std::nullopt;  // the reader that takes it says why it cannot be read
    }
    std::string_view s = head;
    if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
    if (is_mbox_separator(s)) return MailboxFormat::mbox;
    // A header block: field lines and their continuations up to the blank line, however long.
    static constexpr std::string_view mail_fields[] = {
        "from", "to", "cc", "bcc", "date", "subject", "message-id", "received", "return-path", "mime-version",
        "content-type", "delivered-to", "reply-to", "sender", "in-reply-to", "references", "dkim-signature",
        "authentication-results", "x-mailer", "user-agent", "arc-seal", "x-received", "thread-topic", "thread-index"};
    std::size_t fields = 0;
    bool known = false, broken = false;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const Line l = line_at(s, pos);
        const std::string_view line = s.substr(l.begin, l.end - l.begin);
        if (line.empty()) break;
        if (l.end == s.size() && more) break;  // cut by the read: not judged
        if (line[0] == ' ' || line[0] == '\t') {
            if (fields == 0) return std::nullopt;
        } else if (is_strict_field_line(line)) {
            ++fields;
            const std::string_view name = line.substr(0, line.find(':'));
            for (const auto known_name : mail_fields) known = known || iequals(name, known_name);
        } else {
            broken = true;  // mail clients read on (the body starts here); so does the importer
            break;
        }
        pos = l.next;
    }
    if (fields == 0) return std::nullopt;
    if (known) return MailboxFormat::eml;
    if (!broken && iequals(path.extension().string(), ".eml")) return MailboxFormat::eml;
    return std::nullopt;
}

bool is_maildir(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_directory(dir / "cur", ec) && std::filesystem::is_directory(dir / "new", ec);
}

std::vector<MailFolderFile> maildir_files(const std::filesystem::path& root) {
    std::vector<MailFolderFile> out;
    add_message_files(root, "INBOX", out);
    std::error_code ec;
    std::filesystem::directory_iterator it(root, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::error_code dec;
        if (!it->is_directory(dec)) continue;
        const std::string name = it->path().filename().string();
        // Maildir++: every folder is ".Name" (".INBOX.Sent" for nested ones) beside cur/ new/ tmp/.
        if (name.size() > 1 && name.front() == '.' && name != "..")
            add_message_files(it->path(), decode_modified_utf7(name.substr(1)), out);
    }
    add_plain_subfolders(root, "", 0, out);
    std::sort(out.begin(), out.end(), [](const MailFolderFile& a, const MailFolderFile& b) { return a.path < b.path; });
    return out;
}

namespace {

// The last component of a folder name ("INBOX.Sent", "[Gmail]/Sent Mail"), lower-cased.
std::string folder_key(std::string_view folder) {
    std::string name = decode_modified_utf7(folder);
    std::string_view last = name;
    if (const auto slash = last.find_last_of('/'); slash != std::string_view::npos) last.remove_prefix(slash + 1);
    if (const auto dot = last.find_last_of('.'); dot != std::string_view::npos) last.remove_prefix(dot + 1);
    return lower(trim(last));
}

}  // namespace

bool is_sent_folder(std::string_view folder) {
    static constexpr std::string_view sent_names[] = {
        "sent", "sent items", "sent messages", "sent mail", "sent-mail", "sentmail", "sent-items", "sent email",
        "送信済み", "送信済みアイテム", "送信済みメール", "送信済みトレイ", "送信済", "送信箱",
        "gesendet", "gesendete elemente", "gesendete objekte", "envoyés", "éléments envoyés", "Éléments envoyés",
        "enviados", "elementos enviados", "inviati", "posta inviata"};
    const std::string key = folder_key(folder);
    return std::find(std::begin(sent_names), std::end(sent_names), key) != std::end(sent_names);
}

bool is_junk_folder(std::string_view folder) {
    static constexpr std::string_view junk_names[] = {
        "junk", "spam", "junk e-mail", "junk email", "junk mail", "bulk mail", "bulk", "迷惑メール", "迷惑メールフォルダ",
        "スパム", "spamverdacht", "indésirables", "courrier indésirable", "correo no deseado", "posta indesiderata"};
    const std::string key = folder_key(folder);
    return std::find(std::begin(junk_names), std::end(junk_names), key) != std::end(junk_names);
}

// Reads a mailbox in pieces of at most read_block bytes split at LF, so neither a long line nor
// a missing line end makes it hold more than that.
class MailLineReader {
public:
    explicit MailLineReader(const std::filesystem::path& path) : fd_(path), buffer_(read_block, '\0') {
    }

    // The next piece of a line (without LF, and without the CR before it); `starts` says it opens
    // a line, `ends` that it closes one.
    bool next(std::string_view& piece, bool& starts, bool& ends) {
        for (;;) {
            if (scan_ < end_) {
                const void* lf = std::memchr(buffer_.data() + scan_, '\n', end_ - scan_);
                if (lf) {
                    const auto at = static_cast<std::size_t>(static_cast<const char*>(lf) - buffer_.data());
                    std::size_t stop = at;
                    if (stop > begin_ && buffer_[stop - 1] == '\r') --stop;
                    return hand_out(begin_, stop, at + 1, true, piece, starts, ends);
                }
                scan_ = end_;
            }
            if (end_ - begin_ >= buffer_.size() || (eof_ && begin_ < end_))
                return hand_out(begin_, end_, end_, eof_, piece, starts, ends);
            if (eof_) return false;
            fill();
        }
    }
    std::size_t line_number() const { return line_; }

private:
    bool hand_out(std::size_t b, std::size_t e, std::size_t next, bool ends_line, std::string_view& piece,
                  bool& starts, bool& ends) {
        piece = std::string_view(buffer_.data() + b, e - b);
        starts = at_line_start_;
        if (at_line_start_) ++line_;
        ends = ends_line;
        at_line_start_ = ends_line;
        begin_ = scan_ = next;
        return true;
    }

    void fill() {
        if (begin_ > 0) {
            std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
            end_ -= begin_;
            scan_ -= begin_;
            begin_ = 0;
        }
        ssize_t got;
        do {
            got = ::read(fd_.get(), buffer_.data() + end_, buffer_.size() - end_);
        } while (got < 0 && errno == EINTR);
        if (got < 0) throw MissingInputError(std::string("read failed: ") + std::strerror(errno));
        if (got == 0) eof_ = true;
        end_ += static_cast<std::size_t>(std::max<ssize_t>(got, 0));
    }

    Fd fd_;
    std::string buffer_;
    std::size_t begin_ = 0, scan_ = 0, end_ = 0, line_ = 0;
    bool eof_ = false, at_line_start_ = true;
};

MailboxReader::MailboxReader(const std::filesystem::path& path, MailboxFormat format)
    : path_(path), format_(format) {
    if (format_ == MailboxFormat::mbox) lines_ = std::make_unique<MailLineReader>(path);
}

MailboxReader::~MailboxReader() = default;

bool MailboxReader::next_eml(RawMail& mail) {
    done_ = true;
    const Fd fd(path_);
    mail.line = 1;
    bool more = false;
    mail.bytes = read_prefix(fd.get(), max_message_bytes, more);
    mail.truncated = more;  // the rest is never read
    return !mail.bytes.empty();
}

bool MailboxReader::next(RawMail& mail) {
    if (format_ == MailboxFormat::eml) {
        if (done_) return false;
        mail = RawMail{};
        mail.number = ++count_;
        return next_eml(mail);
    }
    // Two separators with only blank lines between them hold no message.
    while (next_mbox(mail)) {
        if (mail.bytes.find_first_not_of(" \t\r\n") != std::string::npos) {
            mail.number = ++count_;
            return true;
        }
    }
    return false;
}

bool MailboxReader::next_mbox(RawMail& mail) {
    if (done_) return false;
    mail = RawMail{};
    std::string_view piece;
    bool starts = false, ends = false;
    if (pending_line_ == 0) {  // the first message: skip to its separator
        while (lines_->next(piece, starts, ends)) {
            if (skip_line_) {
                skip_line_ = !ends;
                continue;
            }
            if (starts && is_mbox_separator(piece)) {
                pending_separator_.assign(piece.substr(0, 1000));
                pending_line_ = lines_->line_number();
                skip_line_ = !ends;
                break;
            }
            skip_line_ = !ends;
        }
        if (pending_line_ == 0) {
            done_ = true;
            return false;
        }
    }
    mail.separator = pending_separator_;
    mail.line = pending_line_;
    // Not true at the start: a message saved with its own envelope line ("From x@y date") right
    // after the separator keeps it (its header block skips it) instead of becoming an empty one.
    bool previous_blank = false;
    while (lines_->next(piece, starts, ends)) {
        if (skip_line_) {  // the rest of an overlong separator line
            skip_line_ = !ends;
            continue;
        }
        // mboxo/mboxrd: a new message starts at "From " after a blank line; ">From " is quoted text.
        if (starts && previous_blank && is_mbox_separator(piece)) {
            pending_separator_.assign(piece.substr(0, 1000));
            pending_line_ = lines_->line_number();
            skip_line_ = !ends;
            if (!mail.truncated && !mail.bytes.empty() && mail.bytes.back() == '\n')
                mail.bytes.pop_back();  // the blank separator line
            return true;
        }
        std::string_view content = piece;
        if (starts) {
            std::size_t quotes = 0;
            while (quotes < content.size() && content[quotes] == '>') ++quotes;
            if (quotes > 0 && content.substr(quotes, 5) == "From ") content.remove_prefix(1);
        }
        if (!mail.truncated) {
            append_capped(mail, content);
            if (ends) append_capped(mail, "\n");
        }
        if (ends) previous_blank = starts && piece.empty();
    }
    // The last message is followed by a blank line too (as Python's mailbox drops it).
    if (previous_blank && !mail.truncated && !mail.bytes.empty() && mail.bytes.back() == '\n') mail.bytes.pop_back();
    done_ = true;
    return true;
}

std::optional<std::string> MailHeaders::get(std::string_view name) const { return first_field(fields, name); }

DecodedText MailHeaders::decoded(std::string_view name) const {
    const auto raw = get(name);
    if (!raw) return {};
    try {
        return decode_mail_header(*raw);
    } catch (const std::exception& e) {  // it promises not to throw; a header is never worth an abort
        return {std::string("\xEF\xBF\xBD"), true, e.what()};
    }
}

MailHeaders read_mail_headers(std::string_view bytes) {
    // Some Windows tools save a message with a UTF-8 byte order mark before its first field.
    const std::size_t start = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    HeaderBlock block = parse_header_block(bytes, start, [](std::string_view) { return false; });
    if (block.fields.empty()) {
        const std::string_view first = bytes.substr(0, line_at(bytes, 0).end);
        throw MailError("does not start with mail headers (found '" + std::string(first.substr(0, 40)) + "')");
    }
    MailHeaders out;
    out.fields = std::move(block.fields);
    out.body_offset = block.body_offset;
    out.notes = std::move(block.notes);
    return out;
}

MailBody read_mail_body(const MailHeaders& headers, std::string_view bytes) {
    MailBody body;
    try {
        const std::size_t begin = std::min(headers.body_offset, bytes.size());
        BodyScanner scanner(bytes, body.notes);
        scanner.run(begin, part_info(headers.fields));
        if (scanner.plain) {
            const auto& leaf = *scanner.plain;
            body.text = decode_leaf(bytes.substr(leaf.begin, leaf.end - leaf.begin), leaf.info, false, body.notes);
        } else if (scanner.html) {
            const auto& leaf = *scanner.html;
            body.text = decode_leaf(bytes.substr(leaf.begin, leaf.end - leaf.begin), leaf.info, true, body.notes);
        }
    } catch (const std::exception& e) {
        // Best effort means an import goes on with what the headers say.
        add_note(body.notes, std::string("the body could not be read: ") + e.what());
    }
    return body;
}

std::optional<std::string> ParsedMail::header(std::string_view name) const { return first_field(headers, name); }

std::string ParsedMail::decoded_header(std::string_view name) const {
    const auto raw = header(name);
    if (!raw) return {};
    try {
        return decode_mail_header(*raw).text;
    } catch (const std::exception&) {
        return "\xEF\xBF\xBD";
    }
}

ParsedMail parse_mail(std::string_view bytes) {
    MailHeaders headers = read_mail_headers(bytes);
    MailBody body = read_mail_body(headers, bytes);
    ParsedMail mail;
    mail.headers = std::move(headers.fields);
    mail.text = std::move(body.text);
    mail.notes = std::move(headers.notes);
    for (auto& n : body.notes) mail.notes.push_back(std::move(n));
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
