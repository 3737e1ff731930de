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
    const char* what;
    const char* hint;
};

// Files sellers download by mistake, or that Excel saved in its own format.
constexpr std::array<Signature, 7> binary_signatures{{
    {"PK\x03\x04", "a ZIP archive or an Excel workbook (.xlsx)",
     "download the report again as a text file, or in Excel use Save As 'Text (Tab delimited)'"},
    {"\xD0\xCF\x11\xE0", "an old Excel workbook (.xls)", "in Excel use Save As 'Text (Tab delimited)'"},
    {"%PDF", "a PDF document", "download the report as a text file from Seller Central"},
    {"SQLite format 3", "an SQLite database", "import the exports, not a database file"},
    {"\x1F\x8B", "a gzip archive", "unpack it first (gunzip) and import the text file inside"},
    {"\x89PNG", "a PNG image", "import the report's text file"},
    {"\xFF\xD8\xFF", "a JPEG image", "import the report's text file"},
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
    if (!fs::exists(path, ec)) throw MissingInputError(path.string() + ": no such file");
    if (fs::is_directory(path, ec)) throw UsageError(path.string() + " is a folder, not a file");
    reader_ = std::make_unique<LineReader>(path, 1, 0, hash_content);  // opens it, so unreadable files fail here

    const std::string head = head_bytes(path, 64 * 1024);
    const InputLocation where{path.string(), 0, 0, {}};
    if (reader_->file_size() == 0)
        throw InputError(where, "an empty file (0 bytes)", "an exported report with at least a header line",
                         "the download may have failed; download the report again from Seller Central");
    for (const auto& sig : binary_signatures)
        if (head.compare(0, sig.magic.size(), sig.magic) == 0)
            throw InputError(where, sig.what, "a tab- or comma-separated text export", sig.hint);

    if (head.size() >= 3 && head.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        encoding_ = Encoding::utf8_bom;
        reader_ = std::make_unique<LineReader>(path, 1, 3, hash_content);
    } else if (head.size() >= 2 && head.compare(0, 2, "\xFF\xFE") == 0) {
        encoding_ = Encoding::utf16le_bom;
        reader_ = std::make_unique<LineReader>(path, 2, 2, hash_content);
        decoder_ = std::make_unique<TextDecoder>("UTF-16LE");
    } else if (head.size() >= 2 && head.compare(0, 2, "\xFE\xFF") == 0) {
        throw InputError(where, "UTF-16 big-endian text", "UTF-8, UTF-16LE or CP932 text",
                         "open the file in a text editor and save it as UTF-8");
    } else {
        // UTF-16 without a BOM shows as ASCII letters alternating with NUL bytes.
        std::size_t odd_nuls = 0, pairs = 0;
        for (std::size_t i = 0; i + 1 < head.size() && pairs < 512; i += 2, ++pairs)
            if (head[i] != '\0' && head[i + 1] == '\0') ++odd_nuls;
        if (pairs >= 4 && odd_nuls * 10 >= pairs * 8)
            throw InputError(where, "text that looks like UTF-16 without a byte order mark",
                             "UTF-8, CP932, or UTF-16LE starting with a byte order mark",
                             "open the file in a text editor and save it as UTF-8");
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
        throw InputError(where, "bytes " + bytes + " at the very end of the file",
                         "a complete " + std::string(encoding_name(encoding_)) + " character",
                         "the file was cut off in the middle of a character; download it again");
    std::string expected = std::string(encoding_name(encoding_)) + " text (byte " +
                           std::to_string(offset + 1) + " of the line)";
    std::string hint = "the file mixes encodings or is damaged; open it in a text editor and save it as ";
    hint += encoding_ == Encoding::cp932 ? "Shift_JIS (CP932)" : "UTF-8";
    throw InputError(where, "bytes " + bytes, expected, hint);
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
        throw InputError(InputLocation{path_.string(), line.number, at + 1, {}}, "a NUL byte (0x00)",
                         "text", "the file is damaged or is not a text export; download it again");
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
                             "a line in UTF-8, in a file whose line " + std::to_string(encoding_line_) +
                                 " is in CP932 (Shift_JIS)",
                             "one encoding for the whole file",
                             "the file was pasted together from two sources or edited in two programs; "
                             "download the report again from Seller Central instead of editing it");
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
