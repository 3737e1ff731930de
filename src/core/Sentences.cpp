#include "core/Sentences.h"

#include "core/DataFiles.h"
#include "core/Errors.h"

#include <kainjow/mustache.hpp>

namespace fbtrack {

Sentences::Sentences(const std::filesystem::path& json_file) : file_(json_file), json_(load_json_object(json_file)) {}

std::string Sentences::operator()(const std::string& key, const Facts& facts) const {
    if (!json_->has(key)) data_file_error(file_, "has no sentence '" + key + "'");
    kainjow::mustache::mustache tmpl(json_->getValue<std::string>(key));
    if (!tmpl.is_valid()) data_file_error(file_, "sentence '" + key + "': " + tmpl.error_message());
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    kainjow::mustache::data data;
    for (const auto& [k, v] : facts) data.set(k, v);
    return tmpl.render(data);
}

std::vector<std::string> Sentences::keys() const {
    std::vector<std::string> names;
    json_->getNames(names);
    return names;
}

}  // namespace fbtrack
