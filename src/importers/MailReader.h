#pragma once
// Mail as sellers export it: mbox files (with ">From " quoting), single .eml files and Maildir
// folders. Splits them into messages and reads each one's headers and its readable text, as mail
// clients do: damaged structure is repaired or cut (and noted), never refused.
#include "text/Mime.h"

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

class MailLineReader;

enum class MailboxFormat { mbox, eml };

// Looks at the first bytes: "From " opens an mbox; a block of "Name: value" lines up to the blank
// line that ends it (however long, CRLF, LF or CR line ends) is a message, with or without From.
std::optional<MailboxFormat> sniff_mailbox(const std::filesystem::path& path);
bool is_maildir(const std::filesystem::path& dir);

// One message file of a Maildir and the folder it sits in.
struct MailFolderFile {
    std::filesystem::path path;
    std::string folder;  // "INBOX" for the root, "Sent" for ".Sent", "INBOX.Sent" for ".INBOX.Sent"
};
// The files in cur/ and new/ of the root and of every Maildir++ sub-folder (.Name) and plain
// sub-folder that is a maildir itself, sorted by path. tmp/ and the control files of Dovecot and
// Courier are skipped. Folder names in IMAP modified UTF-7 ("&MAEwoQ-") are decoded.
std::vector<MailFolderFile> maildir_files(const std::filesystem::path& root);
// Sent, Sent Items, Sent Messages, [Gmail]/Sent Mail, INBOX.Sent, 送信済み, 送信済みアイテム, …
// (case-insensitive, on the last path component).
bool is_sent_folder(std::string_view folder);
// Junk, Spam, 迷惑メール, …: what the mail server judged forged or unwanted.
bool is_junk_folder(std::string_view folder);

// Messages are cut at this many raw bytes; the rest is read past, not stored.
constexpr std::size_t max_message_bytes = 10u << 20;

struct RawMail {
    std::size_t number = 0;      // 1-based position in the mailbox
    std::size_t line = 0;        // line where it starts
    std::string separator;       // the mbox "From " line, if any
    std::string bytes;
    bool truncated = false;      // the message was longer than max_message_bytes
};

// One message at a time, so a mailbox of years of mail needs no more memory than its largest
// message, and no message more than max_message_bytes.
class MailboxReader {
public:
    MailboxReader(const std::filesystem::path& path, MailboxFormat format);
    ~MailboxReader();
    MailboxReader(const MailboxReader&) = delete;
    MailboxReader& operator=(const MailboxReader&) = delete;
    bool next(RawMail& mail);

private:
    bool next_eml(RawMail& mail);
    bool next_mbox(RawMail& mail);

    std::filesystem::path path_;
    MailboxFormat format_;
    std::unique_ptr<MailLineReader> lines_;  // mbox only
    std::string pending_separator_;
    std::size_t pending_line_ = 0;  // 0 until the first separator is found
    std::size_t count_ = 0;
    bool skip_line_ = false;  // inside the rest of an overlong line that is not kept
    bool done_ = false;
};

class MailError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The header block of a message, read without touching its body.
struct MailHeaders {
    std::vector<std::pair<std::string, std::string>> fields;  // raw, unfolded, in order
    std::size_t body_offset = 0;                             // where the body starts in the bytes
    std::vector<std::string> notes;                          // what was odd: a line without a colon, a cut field
    std::optional<std::string> get(std::string_view name) const;  // first, case-insensitive
    DecodedText decoded(std::string_view name) const;             // via decode_mail_header; never throws
};
// Header lines end in CRLF, LF or CR. A line that is neither a field nor a continuation ends the
// header block and starts the body (as Python's email package does). A field value over 64 KiB is
// cut. Raw 8-bit bytes stay raw. Throws MailError only when the bytes hold no header field at all.
MailHeaders read_mail_headers(std::string_view bytes);

struct MailBody {
    std::string text;                // text/plain, else text from HTML (html_to_text); LF line ends
    std::vector<std::string> notes;  // what was repaired or cut
};
// The readable text of the message: the first text/plain part that is not an attachment, else the
// first text/html one, found by one linear scan that knows every enclosing boundary. Best effort:
// never throws for damaged structure. Text is cut at max_body_text_bytes.
constexpr std::size_t max_body_text_bytes = 1u << 20;
MailBody read_mail_body(const MailHeaders& headers, std::string_view bytes);

struct ParsedMail {
    std::vector<std::pair<std::string, std::string>> headers;  // raw, unfolded, in order
    std::string text;                                          // text/plain, else text from HTML
    std::vector<std::string> notes;                            // header and body notes
    std::optional<std::string> header(std::string_view name) const;  // first, case-insensitive, raw
    std::string decoded_header(std::string_view name) const;        // RFC 2047 decoded, "" if absent; never throws
};

// read_mail_headers + read_mail_body. Throws MailError only when there are no headers.
ParsedMail parse_mail(std::string_view bytes);

// The address inside "Name <addr@host>" (or the bare address), lower-cased.
std::string mail_address(std::string_view header_value);
std::vector<std::string> mail_addresses(std::string_view header_value);

}  // namespace fbtrack
