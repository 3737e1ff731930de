#pragma once
// Streams a file as raw lines, split on LF before any decoding. That is safe for CP932 (no lead
// or trail byte equals LF or tab) and keeps memory flat however large the file is.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace Poco::Crypto {
class DigestEngine;
}

namespace fbtrack {

class LineReader {
public:
    // unit_width 2 reads UTF-16LE, where a line ends in the two bytes 0x0A 0x00. With
    // `hash_content`, every byte read (the skipped ones too) goes through SHA-256 on the way, so
    // that the file is read once: content_sha256() once the last line was read.
    explicit LineReader(const std::filesystem::path& path, int unit_width = 1, std::size_t skip_bytes = 0,
                        bool hash_content = false);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    // The next line without its LF (and without a CR before it). Valid until the next call.
    bool next(std::string_view& line);
    std::size_t line_number() const { return line_number_; }
    bool last_line_ended_with_newline() const { return ended_with_newline_; }
    std::uint64_t bytes_consumed() const { return consumed_; }
    std::uint64_t file_size() const { return file_size_; }
    std::string content_sha256();  // hex; throws InternalError before the end or without hash_content

private:
    bool fill();

    std::filesystem::path path_;
    int fd_ = -1;
    int unit_;
    std::string buffer_;
    std::size_t begin_ = 0, end_ = 0;
    bool eof_ = false;
    bool ended_with_newline_ = true;
    std::size_t line_number_ = 0;
    std::uint64_t consumed_ = 0, file_size_ = 0;
    std::unique_ptr<Poco::Crypto::DigestEngine> digest_;
    std::string sha256_;
};

// Opens a file of the seller's to read it: MissingInputError when it cannot be, InputError when it
// is not a regular file. Opened without waiting, so that a pipe (or a file swapped for one after
// a folder was listed) is refused instead of waiting for a writer for ever.
int open_input_file(const std::filesystem::path& path);

// Hex SHA-256 of a whole file, read in blocks.
std::string sha256_of_file(const std::filesystem::path& path);
std::string sha256_of_text(std::string_view text);

}  // namespace fbtrack
