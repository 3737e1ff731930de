#pragma once
// Finding and reading the editable data files (phrase lists, layouts, quotes, templates).
#include <Poco/JSON/Object.h>

#include <cstdint>
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

// The largest data file fbtrack reads, in bytes. The largest it ships (layouts.json) is some 12 KB;
// a file past this is a mistake (a log pasted into a phrase list) that would take the memory of
// every command reading it.
inline constexpr std::uintmax_t max_data_file_bytes = 4u << 20;

// A data file's bytes. DataFileError naming it when it cannot be read, is not a regular file (a
// pipe would block the read for ever) or is larger than max_data_file_bytes (refused unread).
std::string read_text_file(const std::filesystem::path& path);
// The file's top-level JSON object; read what is in it through JsonNode (core/JsonNode.h),
// which refuses a value of the wrong shape.
Poco::JSON::Object::Ptr load_json_object(const std::filesystem::path& path);
// The same for text read already; `path` names the file in errors.
Poco::JSON::Object::Ptr parse_json_object(const std::filesystem::path& path, const std::string& text);

}  // namespace fbtrack
