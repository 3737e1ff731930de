#pragma once
// What fbtrack writes besides the database (reports, drafts) is the seller's alone, whatever
// the umask, and is never written through a link someone planted in the target folder.
#include "core/Errors.h"

#include <filesystem>
#include <string_view>

namespace fbtrack {

// Makes `folder` and its missing parents, each new one 0700. Throws OutputError naming it.
void make_private_folder(const std::filesystem::path& folder, const Said& hint = say("hint.another_place"));

// A file being made for `path`: created 0600 under a random name in the same folder
// (O_CREAT|O_EXCL, so never through a symbolic link) and renamed over `path` by put_in_place()
// (which replaces a link there instead of following it), so a reader never sees half a file.
// Removed again if it is never put in place. What is at `path` must be a file, a link or nothing:
// a folder, a device or a pipe is refused. Throws OutputError, with `hint`.
class NewPrivateFile {
public:
    NewPrivateFile(const std::filesystem::path& path, Said hint);
    ~NewPrivateFile();
    NewPrivateFile(const NewPrivateFile&) = delete;
    NewPrivateFile& operator=(const NewPrivateFile&) = delete;

    const std::filesystem::path& temporary() const { return temporary_; }
    void write(std::string_view content);
    // Flushed to the disk, then renamed over `path`, and the folder flushed too: a power cut
    // leaves the old file or the new one, whole. With `replace` false a file that appeared at
    // `path` meanwhile is kept and false returned (this one is then removed).
    bool put_in_place(bool replace = true);
    [[noreturn]] void fail(const Said& why) const;

private:
    std::filesystem::path path_, temporary_;
    Said hint_;
    int fd_ = -1;
    bool placed_ = false;
};

// Writes `content` as `path`, 0600: into a new file under a random name in the same folder
// (O_CREAT|O_EXCL, so never through a symbolic link), then renamed over `path` (which replaces a
// link there instead of following it). A reader never sees half a file. Throws OutputError.
void write_private_file(const std::filesystem::path& path, std::string_view content,
                        const Said& hint = say("hint.another_place"));

}  // namespace fbtrack
