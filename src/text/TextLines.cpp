#include "text/TextLines.h"

#include "core/Errors.h"

#include <array>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace fbtrack {

namespace {

struct Signature {
    std::string_view magic;
    const char* what;  // sentences in templates/errors.LANG.json
    const char* hint;
};

// Files sellers download by mistake, or that Excel saved in its own format.
constexpr std::array<Signature, 7> binary_signatures{{
    {"PK\x03\x04", "found.zip", "hint.zip"},
    {"\xD0\xCF\x11\xE0", "found.xls", "hint.xls"},
    {"%PDF", "found.pdf", "hint.pdf"},
    {"SQLite format 3", "found.sqlite", "hint.sqlite"},
    {"\x1F\x8B", "found.gzip", "hint.gzip"},
    {"\x89PNG", "found.png", "hint.image"},
    {"\xFF\xD8\xFF", "found.jpeg", "hint.image"},
}};

std::string head_bytes(const std::filesystem::path& path, std::size_t count) {
    const int fd = open_input_file(path);
    std::string head(count, '\0');
    const ssize_t got = ::read(fd, head.data(), head.size());
    ::close(fd);
    head.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return head;
}

}  // namespace

TextLines::TextLines(const std::filesystem::path& path, PhaseTimes* timings, bool hash_content)
    : path_(path), timings_(timings) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) throw MissingInputError(say("file.missing", {{"file", path.string()}}));
    if (fs::is_directory(path, ec)) throw UsageError(say("file.is_folder", {{"file", path.string()}}));
    reader_ = std::make_unique<LineReader>(path, 1, 0, hash_content);  // opens it, so unreadable files fail here

    const std::string head = head_bytes(path, 64 * 1024);
    const InputLocation where{path.string(), 0, 0, {}};
    if (reader_->file_size() == 0)
        throw InputError(where, say("found.empty_file"), say("expected.header_line"), say("hint.download_failed"));
    for (const auto& sig : binary_signatures)
        if (head.compare(0, sig.magic.size(), sig.magic) == 0)
            throw InputError(where, say(sig.what), say("expected.text_export"), say(sig.hint));

    if (head.size() >= 3 && head.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        encoding_ = Encoding::utf8_bom;
        reader_ = std::make_unique<LineReader>(path, 1, 3, hash_content);
    } else if (head.size() >= 2 && head.compare(0, 2, "\xFF\xFE") == 0) {
        encoding_ = Encoding::utf16le_bom;
        reader_ = std::make_unique<LineReader>(path, 2, 2, hash_content);
        decoder_ = std::make_unique<TextDecoder>("UTF-16LE");
    } else if (head.size() >= 2 && head.compare(0, 2, "\xFE\xFF") == 0) {
        throw InputError(where, say("found.utf16be"), say("expected.encodings"), say("hint.save_as_utf8"));
    } else {
        // UTF-16 without a BOM shows as ASCII letters alternating with NUL bytes.
        std::size_t odd_nuls = 0, pairs = 0;
        for (std::size_t i = 0; i + 1 < head.size() && pairs < 512; i += 2, ++pairs)
            if (head[i] != '\0' && head[i + 1] == '\0') ++odd_nuls;
        if (pairs >= 4 && odd_nuls * 10 >= pairs * 8)
            throw InputError(where, say("found.utf16_without_bom"), say("expected.encodings_with_bom"), say("hint.save_as_utf8"));
    }
}

void TextLines::decide_encoding(std::string_view line) {
    // The first line with non-ASCII bytes decides, and the rest of the file must agree: Japanese
    // text in CP932 is practically never valid UTF-8 over a whole line.
    encoding_ = is_valid_utf8(line) ? Encoding::utf8 : Encoding::cp932;
    encoding_line_ = reader_->line_number();
    if (encoding_ == Encoding::cp932) decoder_ = std::make_unique<TextDecoder>("windows-31j");
}

void TextLines::decode_cp932(std::string_view raw, std::string& out) {
    // Only the stretches with non-ASCII bytes go through ICU: ASCII reads the same in CP932, and
    // most of an export's line is ASCII. A stretch runs from a byte of 0x80 or more to the next
    // byte below 0x40, which is never the second byte of a double-byte character, so each
    // stretch starts and ends between characters.
    std::size_t i = 0;
    while (i < raw.size()) {
        std::size_t j = i;
        while (j < raw.size() && static_cast<unsigned char>(raw[j]) < 0x80) ++j;
        out.append(raw.substr(i, j - i));
        if (j == raw.size()) break;
        std::size_t k = j;
        while (k < raw.size() && static_cast<unsigned char>(raw[k]) >= 0x40) ++k;
        try {
            decoder_->decode(raw.substr(j, k - j), out);
        } catch (const DecodeError& e) {
            throw DecodeError(j + e.offset(), e.bytes());
        }
        i = k;
    }
}

void TextLines::fail_decode(std::string_view raw, std::size_t line_number, std::size_t offset,
                            const std::string& bytes) const {
    InputLocation where{path_.string(), line_number, 0, {}};
    // Column in characters is unknowable for undecodable text; give the byte position instead.
    const bool at_end = offset + 2 >= raw.size() && !reader_->last_line_ended_with_newline();
    if (at_end)
        throw InputError(where, say("found.bytes_at_end", {{"bytes", bytes}}),
                         say("expected.whole_character", {{"encoding", encoding_name(encoding_)}}), say("hint.cut_in_character"));
    throw InputError(where, say("found.bytes", {{"bytes", bytes}}),
                     say("expected.text_in", {{"encoding", encoding_name(encoding_)}, {"byte", std::to_string(offset + 1)}}),
                     say("hint.mixed_or_damaged", {{"encoding", encoding_ == Encoding::cp932 ? "Shift_JIS (CP932)" : "UTF-8"}}));
}

bool TextLines::next(TextLine& line) {
    std::string_view raw;
    {
        PhaseTimes::Scope reading(timings_, PhaseTimes::read);
        if (!reader_->next(raw)) return false;
    }
    line.number = reader_->line_number();
    PhaseTimes::Scope decoding(timings_, PhaseTimes::decode);

    if (encoding_ == Encoding::utf16le_bom) {
        decoded_.clear();
        try {
            decoder_->decode(raw, decoded_);
        } catch (const DecodeError& e) {
            fail_decode(raw, line.number, e.offset(), e.bytes());
        }
        raw = decoded_;
    }
    if (const void* nul = std::memchr(raw.data(), '\0', raw.size())) {
        const auto at = static_cast<std::size_t>(static_cast<const char*>(nul) - raw.data());
        throw InputError(InputLocation{path_.string(), line.number, at + 1, {}}, say("found.nul"), say("expected.text"),
                         say("hint.damaged_download_again"));
    }
    if (encoding_ == Encoding::utf16le_bom) {
        line.text = raw;
        return true;
    }
    if (encoding_ == Encoding::unknown && !is_ascii(raw)) decide_encoding(raw);

    if (encoding_ == Encoding::cp932) {
        if (is_ascii(raw)) {
            line.text = raw;
            return true;
        }
        // A UTF-8 line would decode as CP932 without error, into mojibake. Japanese in UTF-8 has
        // three-byte sequences, which a line of real CP932 text practically never forms.
        if (is_valid_utf8(raw) && has_long_utf8_sequence(raw))
            throw InputError(InputLocation{path_.string(), line.number, 0, {}},
                             say("found.utf8_in_cp932", {{"line", std::to_string(encoding_line_)}}),
                             say("expected.one_encoding"), say("hint.pasted_together"));
        decoded_.clear();
        try {
            decode_cp932(raw, decoded_);
        } catch (const DecodeError& e) {
            fail_decode(raw, line.number, e.offset(), e.bytes());
        }
        line.text = decoded_;
        return true;
    }
    if (encoding_ != Encoding::unknown) {  // UTF-8, with or without BOM
        const std::size_t bad = find_invalid_utf8(raw);
        if (bad != std::string_view::npos)
            fail_decode(raw, line.number, bad, hex_bytes(raw.substr(bad, std::min<std::size_t>(2, raw.size() - bad))));
    }
    line.text = raw;
    return true;
}

}  // namespace fbtrack
