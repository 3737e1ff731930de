#pragma once
// Every byte an IMAP server sends is counted here before the protocol library buffers and parses
// it. It follows IMAP's framing just far enough (RFC 3501 4.3: lines, quoted strings, literals
// announced as {N}, parentheses) to hold a server to what a command asked for: a line, a
// literal, the nesting of parentheses and all of one command's answer each have a limit, so that
// an endless line, a 4 GiB literal, a flood of short responses or parentheses nested 30,000
// deep end the connection at once instead of filling the machine's memory or the parser's stack.
// The parsing proper stays the library's.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace fbtrack {

struct ImapReadLimits {
    std::size_t line_bytes = 64 * 1024;     // one line outside literals
    std::size_t literal_bytes = 64 * 1024;  // a literal anywhere
    // A literal where a message's content stands, "* N FETCH (... BODY[...]<...> {N}": the one
    // place a large one is asked for. 0: no larger than literal_bytes.
    std::size_t body_bytes = 0;
    // Everything outside literals for one command, each literal counting `per_literal` more: the
    // parser makes a structure of every token, so these bytes cost far more than they weigh.
    std::size_t structure_bytes = 256 * 1024;
    unsigned depth = 64;  // parentheses nested
};

class ImapReadBudget {
public:
    enum class Excess { line, literal, body, structure, depth };
    struct Problem {
        Excess excess;
        std::string text;  // "it sent a line longer than 64 KiB"
    };
    static constexpr std::size_t per_literal = 256;

    // A new command: its limits, and its counts from zero. The framing state (inside a line, a
    // literal or a response) carries over, as the stream does.
    void begin(const ImapReadLimits& limits);
    // Counts `n` bytes about to reach the parser. Returns what is wrong with them, or nothing.
    std::optional<Problem> take(const char* bytes, std::size_t n);
    // Bytes of the command's answer so far, inside literals and out.
    std::uint64_t received() const { return received_; }

private:
    std::optional<Problem> end_of_line();

    ImapReadLimits limits_;
    std::uint64_t received_ = 0;
    std::size_t structure_ = 0;
    std::size_t line_ = 0;
    std::uint64_t literal_left_ = 0;
    unsigned depth_ = 0;
    bool quoted_ = false, escaped_ = false;
    std::string head_;  // the first bytes of the response ("* 12 FETCH (")
    std::string tail_;  // the last bytes of the line, where "{N}" would stand
};

}  // namespace fbtrack
