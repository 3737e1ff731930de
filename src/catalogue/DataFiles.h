#pragma once
// Finding and reading the editable data files (phrase lists, layouts, quotes, templates).
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fbtrack {

// $FBTRACK_DATA, else data/ beside the executable's parent (build/fbtrack → data/), else
// share/fbtrack beside it (PREFIX/bin/fbtrack → PREFIX/share/fbtrack), else the source tree's
// data/ the program was built from.
std::filesystem::path find_data_dir();

// The data folder a run reads: the shipped one, with the seller's own copies (files of the same
// name under `own`, ~/.config/fbtrack) in their place. When the seller has any, it is a private
// folder of symbolic links made for the run and removed after it; otherwise the shipped folder.
// A copy that cannot be read in place of its shipped file (a link that loops or leads nowhere, a
// folder) is refused with a DataFileError.
// Upgrades replace the shipped files and never touch the seller's copies.
class DataFolder {
public:
    DataFolder(const std::filesystem::path& shipped, const std::filesystem::path& own);
    ~DataFolder();
    DataFolder(const DataFolder&) = delete;
    DataFolder& operator=(const DataFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    bool overlay_ = false;
};

// Throws DataFileError: "data file PATH: WHAT", PATH as the seller knows it (their own copy or
// the shipped file, never the link a DataFolder made), saying which of the two it is, with a
// hint for mending it.
[[noreturn]] void data_file_error(const std::filesystem::path& path, const std::string& what);

std::string read_text_file(const std::filesystem::path& path);
// The file's top-level JSON object; read what is in it through JsonNode (core/JsonNode.h),
// which refuses a value of the wrong shape.
Poco::JSON::Object::Ptr load_json_object(const std::filesystem::path& path);

}  // namespace fbtrack
