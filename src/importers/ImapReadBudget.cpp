#include "importers/ImapReadBudget.h"

#include <algorithm>
#include <cstring>

namespace fbtrack {

namespace {

constexpr std::size_t head_keep = 24;
constexpr std::size_t tail_keep = 48;  // "BODY[HEADER.FIELDS.NOT]<0> {4294967295}" and a CR fit

std::string size_text(std::uint64_t bytes) {
    if (bytes >= 1024 * 1024) return std::to_string(bytes / (1024 * 1024)) + " MiB";
    if (bytes >= 1024) return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " bytes";
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "* 12 FETCH (": the answer to a FETCH, where a message's content may come.
bool is_fetch_response(const std::string& head) {
    if (head.rfind("* ", 0) != 0) return false;
    std::size_t i = 2;
    while (i < head.size() && is_digit(head[i])) ++i;
    return i > 2 && head.compare(i, 8, " FETCH (") == 0;
}

// "... BODY[]<0> " or "... BODY[1.2] ": what stands before the literal of a section's content.
bool ends_with_section(const std::string& before) {
    if (before.empty() || before.back() != ' ') return false;
    std::size_t i = before.size() - 1;
    if (i > 0 && before[i - 1] == '>') {
        std::size_t j = i - 1;
        while (j > 0 && is_digit(before[j - 1])) --j;
        if (j == i - 1 || j == 0 || before[j - 1] != '<') return false;
        i = j - 1;
    }
    return i > 0 && before[i - 1] == ']';
}

}  // namespace

void ImapReadBudget::begin(const ImapReadLimits& limits) {
    limits_ = limits;
    received_ = 0;
    structure_ = 0;
}

std::optional<ImapReadBudget::Problem> ImapReadBudget::take(const char* bytes, std::size_t n) {
    received_ += n;
    for (std::size_t i = 0; i < n;) {
        if (literal_left_ > 0) {
            const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(literal_left_, n - i));
            literal_left_ -= k;
            i += k;
            continue;
        }
        const char c = bytes[i++];
        if (++structure_ > limits_.structure_bytes)
            return Problem{Excess::structure, "it sent more than " + size_text(limits_.structure_bytes) +
                                                  " of responses to one command"};
        if (c == '\n') {
            if (auto problem = end_of_line()) return problem;
            continue;
        }
        if (++line_ > limits_.line_bytes)
            return Problem{Excess::line, "it sent a line longer than " + size_text(limits_.line_bytes)};
        if (head_.size() < head_keep) head_ += c;
        tail_ += c;
        if (tail_.size() > 2 * tail_keep) tail_.erase(0, tail_.size() - tail_keep);
        if (quoted_) {
            if (escaped_) escaped_ = false;
            else if (c == '\\') escaped_ = true;
            else if (c == '"') quoted_ = false;
        } else if (c == '"') {
            quoted_ = true;
        } else if (c == '(') {
            if (++depth_ > limits_.depth)
                return Problem{Excess::depth, "it nested parentheses more than " + std::to_string(limits_.depth) + " deep"};
        } else if (c == ')' && depth_ > 0) {
            --depth_;
        }
    }
    return std::nullopt;
}

std::optional<ImapReadBudget::Problem> ImapReadBudget::end_of_line() {
    std::string t = std::move(tail_);
    tail_.clear();
    line_ = 0;
    quoted_ = escaped_ = false;  // a quoted string never spans lines
    auto response_ends = [&] {
        depth_ = 0;
        head_.clear();
    };
    if (!t.empty() && t.back() == '\r') t.pop_back();
    if (t.empty() || t.back() != '}') {
        response_ends();
        return std::nullopt;
    }
    t.pop_back();
    if (!t.empty() && t.back() == '+') t.pop_back();  // LITERAL+ (RFC 7888)
    std::size_t open = t.size();
    while (open > 0 && is_digit(t[open - 1])) --open;
    const std::size_t digits = t.size() - open;
    if (open == 0 || t[open - 1] != '{' || digits == 0) {
        // Digits that fill the whole tail: a count too long for any literal IMAP allows.
        if (open == 0 && digits >= 12) return Problem{Excess::literal, "it announced a literal of more than 12 digits"};
        response_ends();
        return std::nullopt;  // not a literal: the parser says what is wrong with the line
    }
    if (digits > 12) return Problem{Excess::literal, "it announced a literal of " + t.substr(open) + " bytes"};
    const std::uint64_t size = std::stoull(t.substr(open));
    const bool body = limits_.body_bytes > 0 && is_fetch_response(head_) && ends_with_section(t.substr(0, open - 1));
    const std::size_t allowed = body ? std::max(limits_.body_bytes, limits_.literal_bytes) : limits_.literal_bytes;
    if (size > allowed)
        return Problem{body ? Excess::body : Excess::literal,
                       "it announced " + size_text(size) + " where at most " + size_text(allowed) + " were asked for"};
    structure_ += per_literal;
    literal_left_ = size;
    return std::nullopt;
}

}  // namespace fbtrack
