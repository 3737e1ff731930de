#pragma once
// What fbtrack writes besides the database (reports, drafts) is the seller's alone, whatever
// the umask, and is never written through a link someone planted in the target folder.
#include <filesystem>
#include <string_view>

namespace fbtrack {

// Makes `folder` and its missing parents, each new one 0700. Throws OutputError naming it.
void make_private_folder(const std::filesystem::path& folder, std::string_view hint = "choose another place");

// Writes `content` as `path`, 0600: into a new file under a random name in the same folder
// (O_CREAT|O_EXCL, so never through a symbolic link), then renamed over `path` (which replaces a
// link there instead of following it). A reader never sees half a file. Throws OutputError.
void write_private_file(const std::filesystem::path& path, std::string_view content,
                        std::string_view hint = "choose another place");

}  // namespace fbtrack
