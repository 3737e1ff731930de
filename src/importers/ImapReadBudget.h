#pragma once
// Every byte an IMAP server sends is counted here before the protocol library buffers it: a
// response line, a literal ({N} and N bytes) and all of one command's answer each have a limit,
// so a server that sends an endless line or announces a 4 GiB literal is dropped at once instead
// of filling the machine's memory. It follows IMAP's framing just far enough to tell a line from
// a literal (RFC 3501 4.3); the parsing proper stays the library's.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace fbtrack {

struct ImapReadLimits {
    std::size_t line_bytes = 64 * 1024;     // one line outside literals
    std::size_t literal_bytes = 64 * 1024;  // one announced literal
    std::size_t total_bytes = 1024 * 1024;  // everything read for one command
};

class ImapReadBudget {
public:
    // A new command: its limits, and the total counted from zero. The framing state (inside a
    // line or a literal) carries over, as the stream does.
    void begin(const ImapReadLimits& limits);
    // Counts `n` bytes about to reach the parser. Returns what is wrong with them, or nothing.
    std::optional<std::string> take(const char* bytes, std::size_t n);
    // The size of the last literal announced since begin(), 0 if none.
    std::uint64_t last_literal() const { return last_literal_; }

private:
    std::optional<std::string> end_of_line();

    ImapReadLimits limits_;
    std::size_t total_ = 0;
    std::size_t line_ = 0;
    std::uint64_t literal_left_ = 0;
    std::uint64_t last_literal_ = 0;
    std::string tail_;  // the last few bytes of the line, where "{N}" would stand
};

}  // namespace fbtrack
