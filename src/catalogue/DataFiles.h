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

// Throws DataFileError: "data file PATH: WHAT", saying whether PATH is the seller's own copy or
// the shipped file, with a hint for mending it.
[[noreturn]] void data_file_error(const std::filesystem::path& path, const std::string& what);

std::string read_text_file(const std::filesystem::path& path);
// The file's top-level JSON object; read what is in it through JsonNode (core/JsonNode.h),
// which refuses a value of the wrong shape.
Poco::JSON::Object::Ptr load_json_object(const std::filesystem::path& path);
// The same for text read already; `path` names the file in errors.
Poco::JSON::Object::Ptr parse_json_object(const std::filesystem::path& path, const std::string& text);

}  // namespace fbtrack
