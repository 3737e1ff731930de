#pragma once
// Mail as sellers export it: mbox files (with ">From " quoting), single .eml files and Maildir
// folders. Splits them into messages and reads each one's headers and its readable text.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fbtrack {

class LineReader;

enum class MailboxFormat { mbox, eml };

// Looks at the first bytes: "From " opens an mbox, a block of "Name: value" lines a message.
std::optional<MailboxFormat> sniff_mailbox(const std::filesystem::path& path);
bool is_maildir(const std::filesystem::path& dir);

struct RawMail {
    std::size_t number = 0;      // 1-based position in the mailbox
    std::size_t line = 0;        // line where it starts
    std::string separator;       // the mbox "From " line, if any
    std::string bytes;
};

// One message at a time, so a mailbox of years of mail needs no more memory than its largest message.
class MailboxReader {
public:
    MailboxReader(const std::filesystem::path& path, MailboxFormat format);
    ~MailboxReader();
    bool next(RawMail& mail);

private:
    MailboxFormat format_;
    std::unique_ptr<LineReader> lines_;
    std::string pending_separator_;
    std::size_t pending_line_ = 0;
    std::size_t count_ = 0;
    bool done_ = false;
};

class MailError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ParsedMail {
    std::vector<std::pair<std::string, std::string>> headers;  // raw, unfolded, in order
    std::string text;                                          // text/plain, else text from HTML
    std::optional<std::string> header(std::string_view name) const;  // first, case-insensitive, raw
    std::string decoded_header(std::string_view name) const;        // RFC 2047 decoded, "" if absent
};

// Throws MailError naming what is wrong (broken boundary, unknown charset, overlong header...).
ParsedMail parse_mail(std::string_view bytes);

// The address inside "Name <addr@host>" (or the bare address), lower-cased.
std::string mail_address(std::string_view header_value);
std::vector<std::string> mail_addresses(std::string_view header_value);

}  // namespace fbtrack
