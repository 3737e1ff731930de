#include "core/DataFiles.h"

#include "core/Errors.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

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
        for (const auto& candidate : {exe.parent_path().parent_path() / "data",
                                      exe.parent_path().parent_path() / "share" / "fbtrack" / "data"})
            if (looks_right(candidate)) return candidate;
    }
    if (looks_right(FBTRACK_SOURCE_DATA_DIR)) return FBTRACK_SOURCE_DATA_DIR;
    throw InternalError("cannot find fbtrack's data folder (layouts.json); set FBTRACK_DATA to it");
}

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InternalError("cannot read data file " + path.string());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

Poco::JSON::Object::Ptr load_json_object(const std::filesystem::path& path) {
    try {
        Poco::JSON::Parser parser;
        auto object = parser.parse(read_text_file(path)).extract<Poco::JSON::Object::Ptr>();
        if (!object) throw InternalError(path.string() + " does not hold a JSON object");
        return object;
    } catch (const Poco::Exception& e) {
        throw InternalError("data file " + path.string() + " is not valid JSON: " + e.displayText());
    }
}

std::vector<std::string> json_strings(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    std::vector<std::string> out;
    if (const auto array = object->getArray(key))
        for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
    return out;
}

}  // namespace fbtrack
