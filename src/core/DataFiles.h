#pragma once
// Finding and reading the editable data files (phrase lists, layouts, quotes, templates).
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fbtrack {

// $FBTRACK_DATA, else data/ beside the executable's parent (build/fbtrack → data/),
// else the source tree's data/ the program was built from.
std::filesystem::path find_data_dir();

std::string read_text_file(const std::filesystem::path& path);
Poco::JSON::Object::Ptr load_json_object(const std::filesystem::path& path);
// The strings of a JSON array (empty when the key is missing).
std::vector<std::string> json_strings(const Poco::JSON::Object::Ptr& object, const std::string& key);

}  // namespace fbtrack
