#include "catalogue/JsonNode.h"

#include "catalogue/DataFiles.h"
#include "core/Errors.h"
#include "text/TerminalText.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>

namespace fbtrack {

struct JsonNode::Source {
    std::filesystem::path file;  // empty for what fbtrack wrote itself
    std::string what;            // then this names it
};

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// What a value is, in the words of "… was expected, X was found".
std::string found(const Var& v) {
    if (v.isEmpty()) return "null";
    if (v.type() == typeid(Array::Ptr) || v.type() == typeid(Array)) return "a list";
    if (v.type() == typeid(Object::Ptr) || v.type() == typeid(Object)) return "an object";
    if (v.isString()) return "a string";
    if (v.isBoolean()) return v.extract<bool>() ? "true" : "false";
    if (v.isInteger()) return "a whole number";
    if (v.isNumeric()) return "a number with a fraction";
    return "a value of another kind";
}

Array::Ptr as_array(const Var& v) {
    if (v.type() == typeid(Array::Ptr)) return v.extract<Array::Ptr>();
    if (v.type() == typeid(Array)) return new Array(v.extract<Array>());
    return nullptr;
}

Object::Ptr as_object(const Var& v) {
    if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>();
    if (v.type() == typeid(Object)) return new Object(v.extract<Object>());
    return nullptr;
}

std::string index_path(const std::string& parent, std::size_t i) { return parent + "[" + std::to_string(i) + "]"; }

std::string range_text(std::int64_t min, std::int64_t max) {
    return "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

JsonNode::JsonNode(std::shared_ptr<const Source> source, Poco::JSON::Object::Ptr object, std::string path)
    : source_(std::move(source)), object_(std::move(object)), path_(std::move(path)) {}

JsonNode JsonNode::data_file(const std::filesystem::path& file) { return parsed(file, read_text_file(file)); }

JsonNode JsonNode::parsed(const std::filesystem::path& file, const std::string& text) {
    return JsonNode(std::make_shared<Source>(Source{file, {}}), parse_json_object(file, text), "$");
}

JsonNode JsonNode::written_by_fbtrack(const Poco::JSON::Object::Ptr& object, const std::string& what) {
    if (!object) throw InternalError(what + ": not a JSON object");
    return JsonNode(std::make_shared<Source>(Source{{}, what}), object, "$");
}

std::string JsonNode::path_of(const std::string& parent, const std::string& key) {
    const bool plain = !key.empty() && key.size() <= 64 && !(key[0] >= '0' && key[0] <= '9') &&
                       key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
    if (plain) return parent + "." + key;
    // Anything may stand in a key: it is shown as for_terminal shows text, and cut short.
    return parent + "[\"" + for_terminal(key, 64) + "\"]";
}

void JsonNode::fail(const std::string& what) const {
    if (source_->file.empty()) throw InternalError(source_->what + ": " + path_ + ": " + what);
    data_file_error(source_->file, path_ + ": " + what);
}

void JsonNode::fail(const std::string& key, const std::string& what) const {
    JsonNode(source_, object_, path_of(path_, key)).fail(what);
}

bool JsonNode::has(const std::string& key) const { return object_->has(key); }

std::vector<std::string> JsonNode::keys() const { return object_->getNames(); }

Poco::Dynamic::Var JsonNode::value(const std::string& key, const char* expected) const {
    if (!object_->has(key)) fail(key, std::string(expected) + " was expected, the key is missing");
    return object_->get(key);
}

std::string JsonNode::string(const std::string& key) const {
    const Var v = value(key, "a string");
    if (!v.isString()) fail(key, "a string was expected, " + found(v) + " was found");
    return v.extract<std::string>();
}

std::vector<std::string> JsonNode::strings(const std::string& key, Entries entries) const {
    const Var v = value(key, "a list of strings");
    const auto list = as_array(v);
    if (!list) fail(key, "a list of strings was expected, " + found(v) + " was found");
    if (entries == Entries::at_least_one && list->size() == 0)
        fail(key, "a list of at least one string was expected, an empty list was found");
    std::vector<std::string> out;
    out.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
        const Var item = list->get(static_cast<unsigned>(i));
        const JsonNode at(source_, object_, index_path(path_of(path_, key), i));
        if (!item.isString()) at.fail("a string was expected, " + found(item) + " was found");
        if (item.extract<std::string>().empty()) at.fail("some text was expected, an empty string was found");
        out.push_back(item.extract<std::string>());
    }
    return out;
}

namespace {
// A whole number within [min, max], or none.
bool is_whole(const Var& v) { return v.isInteger() && !v.isBoolean(); }  // Poco counts true as an integer

std::optional<std::int64_t> whole_number(const Var& v, std::int64_t min, std::int64_t max) {
    if (!is_whole(v)) return std::nullopt;
    try {
        // Past the range of a 64-bit number (a UInt64 from the parser), the conversion throws.
        const auto n = v.convert<std::int64_t>();
        if (n >= min && n <= max) return n;
    } catch (const Poco::Exception&) {
    }
    return std::nullopt;
}
}  // namespace

std::int64_t JsonNode::integer(const std::string& key, std::int64_t min, std::int64_t max) const {
    const Var v = value(key, "a whole number");
    const auto n = whole_number(v, min, max);
    if (!n) fail(key, range_text(min, max) + " was expected, " + (is_whole(v) ? v.toString() : found(v)) + " was found");
    return *n;
}

std::vector<std::int64_t> JsonNode::integers(const std::string& key, std::int64_t min, std::int64_t max) const {
    const Var v = value(key, "a list of whole numbers");
    const auto list = as_array(v);
    if (!list) fail(key, "a list of whole numbers was expected, " + found(v) + " was found");
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const Var item = list->get(static_cast<unsigned>(i));
        const auto n = whole_number(item, min, max);
        if (!n)
            JsonNode(source_, object_, index_path(path_of(path_, key), i))
                .fail(range_text(min, max) + " was expected, " + (is_whole(item) ? item.toString() : found(item)) + " was found");
        out.push_back(*n);
    }
    return out;
}

bool JsonNode::boolean(const std::string& key) const {
    const Var v = value(key, "true or false");
    if (!v.isBoolean()) fail(key, "true or false was expected, " + found(v) + " was found");
    return v.extract<bool>();
}

JsonNode JsonNode::object(const std::string& key) const {
    const Var v = value(key, "an object ({ ... })");
    const auto o = as_object(v);
    if (!o) fail(key, "an object ({ ... }) was expected, " + found(v) + " was found");
    return JsonNode(source_, o, path_of(path_, key));
}

std::vector<JsonNode> JsonNode::objects(const std::string& key) const {
    const Var v = value(key, "a list of objects");
    const auto list = as_array(v);
    if (!list) fail(key, "a list of objects ([{ ... }, ...]) was expected, " + found(v) + " was found");
    std::vector<JsonNode> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const Var item = list->get(static_cast<unsigned>(i));
        const auto o = as_object(item);
        const std::string path = index_path(path_of(path_, key), i);
        if (!o) JsonNode(source_, object_, path).fail("an object ({ ... }) was expected, " + found(item) + " was found");
        out.push_back(JsonNode(source_, o, path));
    }
    return out;
}

bool JsonNode::is_list(const std::string& key) const { return object_->has(key) && as_array(object_->get(key)); }

std::optional<std::string> JsonNode::optional_string(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    return string(key);
}

std::optional<std::vector<std::string>> JsonNode::optional_strings(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    return strings(key);
}

std::optional<std::int64_t> JsonNode::optional_integer(const std::string& key, std::int64_t min, std::int64_t max) const {
    if (!has(key)) return std::nullopt;
    return integer(key, min, max);
}

std::optional<std::vector<std::int64_t>> JsonNode::optional_integers(const std::string& key, std::int64_t min, std::int64_t max) const {
    if (!has(key)) return std::nullopt;
    return integers(key, min, max);
}

std::optional<bool> JsonNode::optional_boolean(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    return boolean(key);
}

std::optional<JsonNode> JsonNode::optional_object(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    return object(key);
}

std::optional<std::vector<JsonNode>> JsonNode::optional_objects(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    return objects(key);
}

}  // namespace fbtrack
