#include "core/PrivateFiles.h"

#include "core/Errors.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace fbtrack {

void make_private_folder(const std::filesystem::path& folder, const Said& hint) {
    if (folder.empty()) return;
    std::error_code ec;
    if (std::filesystem::is_directory(folder, ec)) return;
    make_private_folder(folder.parent_path(), hint);
    if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST)
        throw OutputError(say("file.cannot_create", {{"file", folder.string()}, {"reason", std::strerror(errno)}, {"hint", hint}}));
    if (!std::filesystem::is_directory(folder, ec))
        throw OutputError(say("file.cannot_create_in_the_way", {{"file", folder.string()}, {"hint", hint}}));
}

NewPrivateFile::NewPrivateFile(const std::filesystem::path& path, Said hint) : path_(path), hint_(std::move(hint)) {
    // A link there is replaced, not followed; anything else that is not a file (a folder, a
    // device such as /dev/null, a pipe) is refused, never replaced.
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        fail(say(S_ISDIR(st.st_mode) ? "file.is_a_folder_name_a_file" : "file.not_regular_device_or_pipe"));
    if (path.filename().empty()) fail(say("file.names_a_folder"));
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    make_private_folder(path.parent_path(), hint_);
    std::string temporary = (folder / ("." + path.filename().string() + ".XXXXXX")).string();
    fd_ = ::mkstemp(temporary.data());  // O_CREAT|O_EXCL, mode 0600
    if (fd_ < 0) fail(std::strerror(errno));
    temporary_ = temporary;
    if (::fchmod(fd_, 0600) != 0) fail(std::strerror(errno));
}

NewPrivateFile::~NewPrivateFile() {
    if (fd_ >= 0) ::close(fd_);
    if (placed_ || temporary_.empty()) return;
    ::unlink(temporary_.c_str());
    ::unlink((temporary_.string() + "-journal").c_str());  // SQLite's, when a database was written into it
}

void NewPrivateFile::fail(const Said& why) const {
    throw OutputError(say("file.cannot_write", {{"file", path_.string()}, {"reason", why}, {"hint", hint_}}));
}

void NewPrivateFile::write(std::string_view content) {
    for (std::size_t done = 0; done < content.size();) {
        const ssize_t n = ::write(fd_, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

bool NewPrivateFile::put_in_place(bool replace) {
    // What SQLite wrote through its own handle is flushed by this one as well: same file.
    if (::fsync(fd_) != 0) fail(std::strerror(errno));
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(std::strerror(errno));
    if (replace) {
        if (::rename(temporary_.c_str(), path_.c_str()) != 0) fail(std::strerror(errno));
    } else if (::renameat2(AT_FDCWD, temporary_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE) != 0) {
        if (errno == EEXIST) return false;
        fail(std::strerror(errno));
    }
    placed_ = true;
    const std::filesystem::path folder = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
    if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return true;
}

void write_private_file(const std::filesystem::path& path, std::string_view content, const Said& hint) {
    NewPrivateFile file(path, hint);
    file.write(content);
    file.put_in_place();
}

}  // namespace fbtrack
