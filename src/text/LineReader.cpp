#include "text/LineReader.h"

#include "core/Errors.h"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fbtrack {

namespace {
constexpr std::size_t block_size = 1 << 20;
// Export rows are a few kilobytes; a longer "line" is a file that is not line-based text. The cap
// keeps memory bounded however the file is built.
constexpr std::size_t max_line_bytes = 16 << 20;

}  // namespace

int open_input_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT) throw MissingInputError(say("file.missing", {{"file", path.string()}}));
        throw MissingInputError(say("file.cannot_open", {{"file", path.string()}, {"reason", std::strerror(err)}}));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw InputError(InputLocation{path.string(), 0, 0, {}}, say("found.device"), say("expected.regular_file"),
                         say("hint.save_to_a_file"));
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

LineReader::LineReader(const std::filesystem::path& path, int unit_width, std::size_t skip_bytes, bool hash_content)
    : path_(path), fd_(open_input_file(path)), unit_(unit_width) {
    struct stat st {};
    if (::fstat(fd_, &st) == 0) file_size_ = static_cast<std::uint64_t>(st.st_size);
    buffer_.resize(block_size);
    if (hash_content) digest_ = std::make_unique<Poco::Crypto::DigestEngine>("SHA256");
    if (skip_bytes) {
        // A byte order mark: read and hashed with the rest, not handed on as text.
        std::string skipped(skip_bytes, '\0');
        std::size_t got = 0;
        while (got < skip_bytes) {
            const ssize_t n = ::read(fd_, skipped.data() + got, skip_bytes - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        if (digest_) digest_->update(skipped.data(), got);
        if (got < skip_bytes) eof_ = true;
        consumed_ = skip_bytes;
    }
}

std::string LineReader::content_sha256() {
    if (!digest_ || !eof_) throw InternalError(path_.string() + ": its hash was asked for before it was read to the end");
    if (sha256_.empty()) sha256_ = Poco::DigestEngine::digestToHex(digest_->digest());
    return sha256_;
}

LineReader::~LineReader() {
    if (fd_ >= 0) ::close(fd_);
}

bool LineReader::fill() {
    if (eof_) return false;
    if (begin_ > 0) {  // move the unfinished line to the front
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (end_ == buffer_.size()) {  // a very long line
        if (buffer_.size() >= max_line_bytes)
            throw InputError(InputLocation{path_.string(), line_number_ + 1, 0, {}},
                             say("found.long_line", {{"mib", std::to_string(max_line_bytes >> 20)}}),
                             say("expected.lines_of_text"), say("hint.line_ends_lost"));
        buffer_.resize(buffer_.size() * 2);
    }
    ssize_t got;
    do {
        got = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    } while (got < 0 && errno == EINTR);
    if (got < 0) throw MissingInputError(std::string("read failed: ") + std::strerror(errno));
    if (got == 0) {
        eof_ = true;
        return false;
    }
    if (digest_) digest_->update(buffer_.data() + end_, static_cast<std::size_t>(got));
    end_ += static_cast<std::size_t>(got);
    return true;
}

bool LineReader::next(std::string_view& line) {
    std::size_t scan = begin_;
    for (;;) {
        const char* data = buffer_.data();
        if (unit_ == 1) {
            const void* hit = std::memchr(data + scan, '\n', end_ - scan);
            if (hit) {
                const std::size_t nl = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
                std::size_t stop = nl;
                if (stop > begin_ && data[stop - 1] == '\r') --stop;
                line = std::string_view(data + begin_, stop - begin_);
                consumed_ += nl + 1 - begin_;
                begin_ = nl + 1;
                ++line_number_;
                ended_with_newline_ = true;
                return true;
            }
        } else {
            std::size_t i = scan + ((scan - begin_) % 2);
            for (; i + 1 < end_; i += 2) {
                if (data[i] == '\n' && data[i + 1] == '\0') {
                    std::size_t stop = i;
                    if (stop >= begin_ + 2 && data[stop - 2] == '\r' && data[stop - 1] == '\0') stop -= 2;
                    line = std::string_view(data + begin_, stop - begin_);
                    consumed_ += i + 2 - begin_;
                    begin_ = i + 2;
                    ++line_number_;
                    ended_with_newline_ = true;
                    return true;
                }
            }
        }
        const std::size_t pending = end_ - begin_;
        if (!fill()) {
            if (end_ == begin_) return false;
            std::size_t stop = end_;
            if (unit_ == 1 && stop > begin_ && buffer_[stop - 1] == '\r') --stop;
            line = std::string_view(buffer_.data() + begin_, stop - begin_);
            consumed_ += end_ - begin_;
            begin_ = end_;
            ++line_number_;
            ended_with_newline_ = false;
            return true;
        }
        scan = begin_ + pending;  // fill() moved the pending bytes to begin_ == 0
        if (unit_ == 2 && scan > begin_) --scan;  // a 0x0A may wait for its 0x00
    }
}

std::string sha256_of_file(const std::filesystem::path& path) {
    const int fd = open_input_file(path);
    // Poco's OpenSSL-backed engine: many times faster than Poco::SHA2Engine on large exports.
    Poco::Crypto::DigestEngine engine("SHA256");
    std::string block(block_size, '\0');
    for (;;) {
        const ssize_t got = ::read(fd, block.data(), block.size());
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        engine.update(block.data(), static_cast<std::size_t>(got));
    }
    ::close(fd);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string sha256_of_text(std::string_view text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text.data(), text.size());
    return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace fbtrack
