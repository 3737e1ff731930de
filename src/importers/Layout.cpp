#include "importers/Layout.h"

#include "core/DataFiles.h"
#include "core/Errors.h"
#include "text/Ids.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>

#include <algorithm>

namespace fbtrack {

std::string_view kind_name(ImportKind kind) {
    switch (kind) {
        case ImportKind::orders: return "orders";
        case ImportKind::shipments: return "shipments";
        case ImportKind::feedback: return "feedback";
        case ImportKind::messages: return "messages";
    }
    return "?";
}

std::optional<ImportKind> kind_from_name(std::string_view name) {
    if (name == "orders") return ImportKind::orders;
    if (name == "shipments") return ImportKind::shipments;
    if (name == "feedback") return ImportKind::feedback;
    if (name == "messages") return ImportKind::messages;
    return std::nullopt;
}

LayoutCatalog LayoutCatalog::load(const std::filesystem::path& layouts_json) {
    try {
        return read_layouts(layouts_json);
    } catch (const Poco::Exception& e) {
        // Valid JSON of the wrong shape: a value missing, or of another type than a layout needs.
        data_file_error(layouts_json, "a layout is not as fbtrack reads it (" + e.message() + ")");
    }
}

LayoutCatalog LayoutCatalog::read_layouts(const std::filesystem::path& layouts_json) {
    const auto root = load_json_object(layouts_json);
    LayoutCatalog catalog;
    const auto list = root->getArray("layouts");
    if (!list) data_file_error(layouts_json, "has no 'layouts' list");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto o = list->getObject(static_cast<unsigned>(i));
        Layout l;
        l.name = o->getValue<std::string>("name");
        const auto kind = kind_from_name(o->getValue<std::string>("kind"));
        if (!kind) data_file_error(layouts_json, "layout '" + l.name + "' has an unknown kind");
        l.kind = *kind;
        l.title = o->optValue<std::string>("title", l.name);
        l.identify_by = json_strings(o, "identify_by");
        if (const auto shape = o->getObject("shape")) {
            l.shape_columns = shape->getValue<std::size_t>("columns");
            l.shape_order_id_column = shape->getValue<std::size_t>("order_id_column");
        }
        const auto fields = o->getObject("fields");
        std::vector<std::string> names;
        fields->getNames(names);
        for (const auto& name : names) {
            FieldSource source;
            if (fields->isArray(name))
                source.header_names = json_strings(fields, name);
            else
                source.position = fields->getValue<std::size_t>(name);
            l.fields[name] = source;
        }
        if (const auto constants = o->getObject("constants")) {
            std::vector<std::string> keys;
            constants->getNames(keys);
            for (const auto& k : keys) l.constants[k] = constants->getValue<std::string>(k);
        }
        l.required = json_strings(o, "required");
        l.personal = json_strings(o, "personal");
        if (const auto cols = o->getArray("personal_columns"))
            for (std::size_t c = 0; c < cols->size(); ++c) l.personal_columns.push_back(cols->getElement<std::size_t>(c));
        catalog.layouts_.push_back(std::move(l));
    }
    return catalog;
}

const Layout* LayoutCatalog::match_by_header(const std::vector<std::string>& header,
                                             std::optional<ImportKind> kind) const {
    const Layout* best = nullptr;
    for (const auto& l : layouts_) {
        if (kind && l.kind != *kind) continue;
        if (l.identify_by.empty()) continue;
        if (l.shape_columns && header.size() != l.shape_columns) continue;
        const bool all = std::all_of(l.identify_by.begin(), l.identify_by.end(), [&](const std::string& name) {
            return std::find(header.begin(), header.end(), name) != header.end();
        });
        if (all && (!best || l.identify_by.size() > best->identify_by.size())) best = &l;
    }
    return best;
}

const Layout* LayoutCatalog::shape_layout_for_width(std::size_t columns, std::optional<ImportKind> kind) const {
    for (const auto& l : layouts_)
        if (l.shape_columns == columns && (!kind || l.kind == *kind)) return &l;
    return nullptr;
}

const Layout* LayoutCatalog::match_by_shape(const std::vector<std::string>& row, std::optional<ImportKind> kind) const {
    const Layout* l = shape_layout_for_width(row.size(), kind);
    if (l && is_order_id(row[l->shape_order_id_column - 1])) return l;
    return nullptr;
}

std::string LayoutCatalog::describe_known() const {
    std::string out;
    for (const auto& l : layouts_) {
        out += "\n  - " + l.title + " [" + l.name + "]: ";
        if (l.shape_columns)
            out += std::to_string(l.shape_columns) + " columns with order IDs in column " +
                   std::to_string(l.shape_order_id_column);
        else {
            std::string cols;
            for (const auto& c : l.identify_by) cols += (cols.empty() ? "" : ", ") + c;
            out += "header with " + cols;
        }
    }
    return out;
}

}  // namespace fbtrack
