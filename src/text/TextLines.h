#pragma once
// Lines of an export as UTF-8, whatever encoding the file came in. The encoding is decided by the
// byte order mark, else by the first bytes that are not ASCII (valid UTF-8 → UTF-8, else CP932),
// and then held for the whole file: a line that does not fit is an error, never a silent guess.
#include "core/PhaseTimes.h"
#include "text/Encoding.h"
#include "text/LineReader.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace fbtrack {

struct TextLine {
    std::size_t number = 0;  // 1-based physical line number
    std::string_view text;   // UTF-8, valid until the next call
};

class TextLines {
public:
    // Checks the file's first bytes (empty, binary, UTF-16 without BOM) and throws InputError
    // with a named reason before anything is read as text.
    // With `hash_content` the file's SHA-256 is computed from the bytes as they are read.
    explicit TextLines(const std::filesystem::path& path, PhaseTimes* timings = nullptr, bool hash_content = false);

    bool next(TextLine& line);
    Encoding encoding() const { return encoding_; }
    const std::filesystem::path& path() const { return path_; }
    bool last_line_ended_with_newline() const { return reader_->last_line_ended_with_newline(); }
    std::uint64_t bytes_consumed() const { return reader_->bytes_consumed(); }
    std::uint64_t file_size() const { return reader_->file_size(); }
    std::string content_sha256() { return reader_->content_sha256(); }  // once every line was read

private:
    void decide_encoding(std::string_view first_non_ascii_line);
    void decode_cp932(std::string_view raw, std::string& out);  // throws DecodeError
    [[noreturn]] void fail_decode(std::string_view raw, std::size_t line_number, std::size_t offset,
                                  const std::string& bytes) const;

    std::filesystem::path path_;
    Encoding encoding_ = Encoding::unknown;
    std::size_t encoding_line_ = 0;  // the line that decided the encoding
    std::unique_ptr<LineReader> reader_;
    std::unique_ptr<TextDecoder> decoder_;
    std::string decoded_;
    PhaseTimes* timings_;
};

}  // namespace fbtrack
