#pragma once
// Reading JSON that people edit by hand (the data files, the seller's own copies of them) by the
// shape fbtrack expects. Every value is taken through a JsonNode that knows its file and its path
// in it ($.layouts[2].fields), so a wrong shape is refused with both named (DataFileError, exit
// 78), never read as empty: a list written as a string ("a,b") must not quietly switch off the
// removal of buyers' names.
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

class JsonNode {
public:
    // The top-level object of a data file.
    static JsonNode data_file(const std::filesystem::path& file);
    // The same for a file's text read already (the catalogue keeps it).
    static JsonNode parsed(const std::filesystem::path& file, const std::string& text);
    // An object fbtrack wrote itself (the shop settings it keeps in the database): a wrong shape
    // there is an InternalError that names `what` ("the shop settings in the database").
    static JsonNode written_by_fbtrack(const Poco::JSON::Object::Ptr& object, const std::string& what);

    const std::string& path() const { return path_; }  // "$", "$.quotes[3]"

    bool has(const std::string& key) const;  // whatever its value, null included
    std::vector<std::string> keys() const;   // in byte order (as Poco keeps a parsed object)

    // Each names the shape it expects; a key that is missing, or holds another shape, fails.
    // A list of strings is a list of words: an empty one would match everywhere, so none is.
    enum class Entries { any, at_least_one };
    std::string string(const std::string& key) const;
    std::vector<std::string> strings(const std::string& key, Entries entries = Entries::any) const;
    std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max) const;
    std::vector<std::int64_t> integers(const std::string& key, std::int64_t min, std::int64_t max) const;
    bool boolean(const std::string& key) const;
    JsonNode object(const std::string& key) const;
    std::vector<JsonNode> objects(const std::string& key) const;
    bool is_list(const std::string& key) const;

    // The same for a key that may be left out (the caller knows what that means); present, it
    // must still be of the shape expected.
    std::optional<std::string> optional_string(const std::string& key) const;
    std::optional<std::vector<std::string>> optional_strings(const std::string& key) const;
    std::optional<std::int64_t> optional_integer(const std::string& key, std::int64_t min, std::int64_t max) const;
    std::optional<std::vector<std::int64_t>> optional_integers(const std::string& key, std::int64_t min, std::int64_t max) const;
    std::optional<bool> optional_boolean(const std::string& key) const;
    std::optional<JsonNode> optional_object(const std::string& key) const;
    std::optional<std::vector<JsonNode>> optional_objects(const std::string& key) const;

    // Refuses what this node (or its `key`) holds: "FILE: $.path: WHAT", for the checks the
    // caller makes beyond the shape (a value out of the ones known, say).
    [[noreturn]] void fail(const std::string& what) const;
    [[noreturn]] void fail(const std::string& key, const std::string& what) const;

    // "$.a" + "b" → "$.a.b"; a key that is not a plain name is quoted: $["two words"].
    static std::string path_of(const std::string& parent, const std::string& key);

private:
    struct Source;
    JsonNode(std::shared_ptr<const Source> source, Poco::JSON::Object::Ptr object, std::string path);
    Poco::Dynamic::Var value(const std::string& key, const char* expected) const;  // fails when missing

    std::shared_ptr<const Source> source_;
    Poco::JSON::Object::Ptr object_;
    std::string path_;
};

}  // namespace fbtrack
