#include "catalogue/DataFiles.h"

#include "core/Errors.h"
#include "core/UserDirs.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

namespace fbtrack {

namespace {
// The private folders of the DataFolders alive: a link in one stands for the file it points to.
std::mutex overlays_mutex;
std::vector<std::filesystem::path> overlays;

bool under(const std::filesystem::path& folder, const std::filesystem::path& file) {
    return !folder.empty() && std::mismatch(folder.begin(), folder.end(), file.begin(), file.end()).first == folder.end();
}
}  // namespace

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
    for (auto it = fs::recursive_directory_iterator(own, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::path relative = it->path().lexically_relative(own);
        std::error_code shipped_ec;
        if (!fs::is_regular_file(shipped / relative, shipped_ec)) continue;
        // A copy under a shipped file's name is meant to be read in its place: one that cannot be
        // (a link that loops or leads nowhere, a folder, a pipe) is refused, never passed over for
        // the shipped file without a word.
        std::error_code mine_ec;
        const auto status = fs::status(it->path(), mine_ec);
        if (mine_ec && mine_ec != std::errc::no_such_file_or_directory)
            data_file_error(it->path(), mine_ec == std::errc::too_many_symbolic_link_levels
                                            ? "is a symbolic link that leads round in a loop, not a file"
                                            : "cannot be read (" + mine_ec.message() + ")");
        if (!fs::exists(status)) {
            std::error_code link_ec;
            const auto target = fs::read_symlink(it->path(), link_ec);
            data_file_error(it->path(), "is a symbolic link to " + (link_ec ? std::string("a file") : target.string()) +
                                            ", which does not exist");
        }
        if (!fs::is_regular_file(status))
            data_file_error(it->path(), fs::is_directory(status) ? "is a folder, not a file" : "is not a plain file (a pipe or a device)");
        any = true;
    }
    if (!any) return;
    std::string pattern = (fs::temp_directory_path() / "fbtrack-data-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw OutputError("cannot make a private folder under " + fs::temp_directory_path().string());
    path_ = pattern;
    overlay_ = true;
    {
        const std::lock_guard lock(overlays_mutex);
        overlays.push_back(path_);
    }
    for (const auto& e : fs::recursive_directory_iterator(shipped)) {
        const fs::path relative = e.path().lexically_relative(shipped);
        if (e.is_directory()) {
            fs::create_directories(path_ / relative);
        } else {
            const fs::path mine = own / relative;
            std::error_code mine_ec;
            fs::create_symlink(fs::is_regular_file(mine, mine_ec) ? fs::absolute(mine) : fs::absolute(e.path()), path_ / relative);
        }
    }
}

DataFolder::~DataFolder() {
    if (!overlay_) return;
    {
        const std::lock_guard lock(overlays_mutex);
        std::erase(overlays, path_);
    }
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);  // links only: the files they point to stay
}

namespace {
// A data file as the seller knows it: the file a link of a DataFolder points to (their own copy
// in ~/.config/fbtrack, or the shipped one), not the link in a private folder.
std::filesystem::path as_known(const std::filesystem::path& path) {
    const auto normal = path.lexically_normal();
    const std::lock_guard lock(overlays_mutex);
    if (std::none_of(overlays.begin(), overlays.end(), [&](const auto& o) { return under(o, normal); })) return normal;
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(normal, ec);
    return ec ? normal : target;
}

// Whether it is one of the seller's own copies, in ~/.config/fbtrack.
bool is_own_copy(const std::filesystem::path& known) {
    std::filesystem::path own;
    try {
        own = user_config_dir();
    } catch (const Error&) {  // no home folder: no copies either
        return false;
    }
    if (under(own.lexically_normal(), known.lexically_normal())) return true;
    // ~/.config reached through another name (a link to it, say).
    std::error_code own_ec, known_ec;
    const auto real_own = std::filesystem::weakly_canonical(own, own_ec);
    const auto real_folder = std::filesystem::weakly_canonical(known.parent_path(), known_ec);
    return !own_ec && !known_ec && under(real_own, real_folder / known.filename());
}
}  // namespace

void data_file_error(const std::filesystem::path& path, const std::string& what) {
    const auto known = as_known(path);
    if (is_own_copy(known))
        throw DataFileError("data file " + known.string() + ": " + what +
                            ". This is your own copy, read in place of the shipped file. Hint: mend it, or delete it "
                            "to read the shipped one again ('fbtrack data' lists your copies)");
    throw DataFileError("data file " + known.string() + ": " + what +
                        ". Hint: this file came with fbtrack; reinstall fbtrack to mend it, or keep a mended copy of "
                        "it under the same name in ~/.config/fbtrack ('fbtrack data' says where)");
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

}  // namespace fbtrack
