#include "core/DataFiles.h"

#include "core/Errors.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <stdlib.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace fbtrack {

std::filesystem::path find_data_dir() {
    namespace fs = std::filesystem;
    auto looks_right = [](const fs::path& p) { return fs::exists(p / "layouts.json"); };
    if (const char* env = std::getenv("FBTRACK_DATA"); env && *env) {
        if (!looks_right(env))
            throw UsageError(std::string("FBTRACK_DATA points to '") + env +
                             "', which has no layouts.json; unset it or point it at fbtrack's data folder");
        return env;
    }
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const auto& candidate : {exe.parent_path().parent_path() / "data",  // build/fbtrack
                                      exe.parent_path().parent_path() / "share" / "fbtrack"})  // PREFIX/bin/fbtrack
            if (looks_right(candidate)) return candidate;
    }
    if (looks_right(FBTRACK_SOURCE_DATA_DIR)) return FBTRACK_SOURCE_DATA_DIR;
    throw InternalError("cannot find fbtrack's data folder (layouts.json); set FBTRACK_DATA to it");
}

DataFolder::DataFolder(const std::filesystem::path& shipped, const std::filesystem::path& own) : path_(shipped) {
    namespace fs = std::filesystem;
    std::error_code ec;
    bool any = false;
    for (auto it = fs::recursive_directory_iterator(own, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file() && fs::exists(shipped / fs::relative(it->path(), own))) any = true;
    if (!any) return;
    std::string pattern = (fs::temp_directory_path() / "fbtrack-data-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw OutputError("cannot make a private folder under " + fs::temp_directory_path().string());
    path_ = pattern;
    overlay_ = true;
    for (const auto& e : fs::recursive_directory_iterator(shipped)) {
        const fs::path relative = fs::relative(e.path(), shipped);
        if (e.is_directory()) {
            fs::create_directories(path_ / relative);
        } else {
            const fs::path mine = own / relative;
            fs::create_symlink(fs::is_regular_file(mine) ? fs::absolute(mine) : fs::absolute(e.path()), path_ / relative);
        }
    }
}

DataFolder::~DataFolder() {
    if (!overlay_) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);  // links only: the files they point to stay
}

namespace {
// A data file as the seller knows it: the file a link of a DataFolder points to (their own copy
// in ~/.config/fbtrack, or the shipped one), not the link in a private folder.
std::string shown(const std::filesystem::path& path) {
    std::error_code ec;
    const auto real = std::filesystem::canonical(path, ec);
    return (ec ? path : real).string();
}
}  // namespace

void data_file_error(const std::filesystem::path& path, const std::string& what) {
    throw DataFileError("data file " + shown(path) + ": " + what +
                        ". Hint: if it is your own copy ('fbtrack data' lists them), mend it or delete it to read the "
                        "shipped one again; a shipped file is mended by reinstalling fbtrack");
}

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) data_file_error(path, "cannot be read");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

Poco::JSON::Object::Ptr load_json_object(const std::filesystem::path& path) {
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(read_text_file(path));
    } catch (const Poco::Exception& e) {
        // Poco names the byte it stopped at as it is, which may be anything: only its words are kept.
        std::string why = e.message();
        for (char& c : why)
            if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
        data_file_error(path, "not valid JSON (" + why + ")");
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        data_file_error(path, parsed.type() == typeid(Poco::JSON::Array::Ptr) ? "holds a JSON list, expected a JSON object ({ ... })"
                                                                               : "expected a JSON object ({ ... })");
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> json_strings(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    std::vector<std::string> out;
    if (const auto array = object->getArray(key))
        for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
    return out;
}

}  // namespace fbtrack
