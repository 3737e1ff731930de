#include "importers/ImapReadBudget.h"

#include <algorithm>
#include <cstring>

namespace fbtrack {

namespace {

// "{4294967295}" and a CR fit; a longer tail cannot end in a literal IMAP allows.
constexpr std::size_t tail_keep = 16;

std::string kib(std::uint64_t bytes) {
    if (bytes >= 1024 * 1024) return std::to_string(bytes / (1024 * 1024)) + " MiB";
    if (bytes >= 1024) return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " bytes";
}

}  // namespace

void ImapReadBudget::begin(const ImapReadLimits& limits) {
    limits_ = limits;
    total_ = 0;
    last_literal_ = 0;
}

std::optional<std::string> ImapReadBudget::take(const char* bytes, std::size_t n) {
    total_ += n;
    if (total_ > limits_.total_bytes)
        return "it sent more than " + kib(limits_.total_bytes) + " in answer to one command";
    std::size_t i = 0;
    while (i < n) {
        if (literal_left_ > 0) {
            const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(literal_left_, n - i));
            literal_left_ -= k;
            i += k;
            continue;
        }
        const void* found = std::memchr(bytes + i, '\n', n - i);
        const std::size_t end = found ? static_cast<std::size_t>(static_cast<const char*>(found) - bytes) : n;
        const std::size_t k = end - i;
        line_ += k;
        if (line_ > limits_.line_bytes) return "it sent a line longer than " + kib(limits_.line_bytes);
        if (k >= tail_keep) tail_.assign(bytes + end - tail_keep, tail_keep);
        else {
            tail_.append(bytes + i, k);
            if (tail_.size() > tail_keep) tail_.erase(0, tail_.size() - tail_keep);
        }
        i = end;
        if (found) {
            ++i;
            if (auto problem = end_of_line()) return problem;
        }
    }
    return std::nullopt;
}

std::optional<std::string> ImapReadBudget::end_of_line() {
    std::string t = std::move(tail_);
    tail_.clear();
    line_ = 0;
    if (!t.empty() && t.back() == '\r') t.pop_back();
    if (t.empty() || t.back() != '}') return std::nullopt;
    t.pop_back();
    if (!t.empty() && t.back() == '+') t.pop_back();  // LITERAL+ (RFC 7888)
    const auto open = t.rfind('{');
    if (open == std::string::npos) {
        // A count too long for the tail kept: no literal of a size IMAP allows.
        if (t.size() + 2 >= tail_keep && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return "it announced a literal of more than " + std::to_string(t.size()) + " digits";
        return std::nullopt;
    }
    const std::string digits = t.substr(open + 1);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;  // not a literal: the parser says what is wrong with the line
    if (digits.size() > 12) return "it announced a literal of " + digits + " bytes";
    const std::uint64_t size = std::stoull(digits);
    if (size > limits_.literal_bytes)
        return "it announced " + kib(size) + " where at most " + kib(limits_.literal_bytes) + " were asked for";
    literal_left_ = size;
    last_literal_ = size;
    return std::nullopt;
}

}  // namespace fbtrack
