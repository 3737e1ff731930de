#include "catalogue/DataFiles.h"

#include "core/Errors.h"
#include "core/UserDirs.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace fbtrack {

namespace {
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

namespace {
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
    const auto known = path.lexically_normal();
    if (is_own_copy(known))
        throw DataFileError("data file " + known.string() + ": " + what +
                            ". This is your own copy, read in place of the shipped file. Hint: mend it, or delete it "
                            "to read the shipped one again ('fbtrack data' lists your copies)");
    throw DataFileError("data file " + known.string() + ": " + what +
                        ". Hint: this file came with fbtrack; reinstall fbtrack to mend it, or keep a mended copy of "
                        "it under the same name in ~/.config/fbtrack ('fbtrack data' says where)");
}

namespace {
// Closes the file however the reading ends.
struct OpenFile {
    int fd;
    ~OpenFile() {
        if (fd >= 0) ::close(fd);
    }
};
std::string too_large(std::uintmax_t bytes) {
    return "is " + std::to_string(bytes) + " bytes, more than the " + std::to_string(max_data_file_bytes) + " bytes (" +
           std::to_string(max_data_file_bytes >> 20) + " MiB) a data file may hold";
}
}  // namespace

std::string read_text_file(const std::filesystem::path& path) {
    // Without O_NONBLOCK, opening a pipe would wait for a writer that never comes.
    const OpenFile file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
    if (file.fd < 0) data_file_error(path, "cannot be read");
    struct stat status {};
    if (::fstat(file.fd, &status) != 0) data_file_error(path, "cannot be read");
    if (S_ISDIR(status.st_mode)) data_file_error(path, "is a folder, not a file");
    if (!S_ISREG(status.st_mode)) data_file_error(path, "is not a regular file (a pipe or a device)");
    // Refused before a byte is read: a huge copy would take the process's memory with it.
    if (static_cast<std::uintmax_t>(status.st_size) > max_data_file_bytes)
        data_file_error(path, too_large(static_cast<std::uintmax_t>(status.st_size)));
    std::string text;
    text.reserve(static_cast<std::size_t>(status.st_size));
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::read(file.fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) data_file_error(path, std::string("cannot be read (") + std::strerror(errno) + ")");
        if (got == 0) break;
        text.append(buffer, static_cast<std::size_t>(got));
        // A file that grows while it is read is refused as soon as it is too large.
        if (text.size() > max_data_file_bytes) data_file_error(path, too_large(text.size()) + " (it grew as it was read)");
    }
    return text;
}

Poco::JSON::Object::Ptr load_json_object(const std::filesystem::path& path) { return parse_json_object(path, read_text_file(path)); }

Poco::JSON::Object::Ptr parse_json_object(const std::filesystem::path& path, const std::string& text) {
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(text);
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
