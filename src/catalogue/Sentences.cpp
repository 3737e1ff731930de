#include "catalogue/Sentences.h"

#include "catalogue/DataFiles.h"
#include "core/Errors.h"

#include <kainjow/mustache.hpp>

#include <map>
#include <memory>

namespace fbtrack {

struct Sentences::Parsed {
    std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>, std::less<>> templates;
};

Sentences::Sentences(const Catalogue& data, const std::string& name)
    : file_(data.file(name)), json_(data.json(name)), parsed_(std::make_shared<Parsed>()) {}

std::string Sentences::operator()(const std::string& key, const Facts& facts) const {
    auto it = parsed_->templates.find(key);
    if (it == parsed_->templates.end()) {
        if (!json_.has(key)) data_file_error(file_, "has no sentence '" + key + "'");
        auto tmpl = std::make_unique<kainjow::mustache::mustache>(json_.string(key));
        if (!tmpl->is_valid()) data_file_error(file_, "sentence '" + key + "': " + tmpl->error_message());
        tmpl->set_custom_escape([](const std::string& s) { return s; });
        it = parsed_->templates.emplace(key, std::move(tmpl)).first;
    }
    kainjow::mustache::data data;
    for (const auto& [k, v] : facts) data.set(k, v);
    return it->second->render(data);
}

std::vector<std::string> Sentences::keys() const {
    return json_.keys();
}

}  // namespace fbtrack
