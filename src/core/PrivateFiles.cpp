#include "core/PrivateFiles.h"

#include "core/Errors.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace fbtrack {

void make_private_folder(const std::filesystem::path& folder, std::string_view hint) {
    if (folder.empty()) return;
    std::error_code ec;
    if (std::filesystem::is_directory(folder, ec)) return;
    make_private_folder(folder.parent_path(), hint);
    if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST)
        throw OutputError("cannot create " + folder.string() + ": " + std::strerror(errno) + ". Hint: " + std::string(hint));
    if (!std::filesystem::is_directory(folder, ec))
        throw OutputError("cannot create " + folder.string() + ": a file of that name is in the way. Hint: " + std::string(hint));
}

void write_private_file(const std::filesystem::path& path, std::string_view content, std::string_view hint) {
    const auto fail = [&](const std::string& why) {
        throw OutputError("cannot write " + path.string() + ": " + why + ". Hint: " + std::string(hint));
    };
    // A link there is replaced, not followed; anything else that is not a file (a folder, a
    // device such as /dev/null, a pipe) is refused, never replaced.
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        fail(S_ISDIR(st.st_mode) ? "it is a folder; name a file" : "it is not a regular file (a device or a pipe)");
    if (path.filename().empty()) fail("it names a folder; name a file");
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    make_private_folder(path.parent_path(), hint);
    std::string temporary = (folder / ("." + path.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(temporary.data());  // O_CREAT|O_EXCL, mode 0600
    if (fd < 0) fail(std::strerror(errno));
    bool ok = ::fchmod(fd, 0600) == 0;
    for (std::size_t done = 0; ok && done < content.size();) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    const std::string why = ok ? "" : std::strerror(errno);
    if (::close(fd) != 0 && ok) ok = false;
    if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string reason = why.empty() ? std::strerror(errno) : why;
        ::unlink(temporary.c_str());
        fail(reason);
    }
}

}  // namespace fbtrack
