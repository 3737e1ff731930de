#include "importers/Layout.h"

#include "core/Errors.h"
#include "catalogue/JsonNode.h"
#include "text/Ids.h"
#include "text/TerminalText.h"

#include <algorithm>

namespace fbtrack {

LayoutCatalog LayoutCatalog::load(const Catalogue& data) { return read_layouts(data); }

LayoutCatalog LayoutCatalog::read_layouts(const Catalogue& data) {
    constexpr std::int64_t most_columns = 10000;  // column positions are 1-based
    const auto root = data.json("layouts.json");
    LayoutCatalog catalog;
    for (const auto& o : root.objects("layouts")) {
        Layout l;
        l.name = o.string("name");
        const auto kind = kind_from_name(o.string("kind"));
        if (!kind) o.fail("kind", "orders, shipments, feedback or messages was expected, \"" + for_terminal(o.string("kind"), 40) + "\" was found");
        l.kind = *kind;
        l.title = o.optional_string("title").value_or(l.name);
        l.title_ja = o.optional_string("title_ja").value_or(l.title);
        l.identify_by = o.strings("identify_by");
        if (const auto shape = o.optional_object("shape")) {
            l.shape_columns = static_cast<std::size_t>(shape->integer("columns", 1, most_columns));
            l.shape_order_id_column = static_cast<std::size_t>(shape->integer("order_id_column", 1, static_cast<std::int64_t>(l.shape_columns)));
        }
        const auto fields = o.object("fields");
        for (const auto& name : fields.keys()) {
            FieldSource source;
            if (fields.is_list(name))
                source.header_names = fields.strings(name, JsonNode::Entries::at_least_one);
            else
                source.position = static_cast<std::size_t>(fields.integer(name, 1, most_columns));
            l.fields[name] = source;
        }
        if (const auto constants = o.optional_object("constants"))
            for (const auto& k : constants->keys()) l.constants[k] = constants->string(k);
        l.required = o.strings("required");
        // Which columns hold personal data, never stored: by header name, or by position in a
        // file without a header. A layout that says neither would store them.
        if (!o.has("personal") && !o.has("personal_columns"))
            o.fail("personal", "a list of the header names of personal columns was expected (or \"personal_columns\", their "
                               "positions), the key is missing");
        l.personal = o.optional_strings("personal").value_or(std::vector<std::string>{});
        for (const auto p : o.optional_integers("personal_columns", 1, most_columns).value_or(std::vector<std::int64_t>{}))
            l.personal_columns.push_back(static_cast<std::size_t>(p));
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

Said LayoutCatalog::describe_known() const {
    std::vector<Said> out;
    for (const auto& l : layouts_) {
        std::string cols;
        for (const auto& c : l.identify_by) cols += (cols.empty() ? "" : ", ") + c;
        out.push_back(say("layout.known", {{"title", say("layout.title", {{"title", l.title}, {"title_ja", l.title_ja}})},
                                           {"name", l.name},
                                           {"shape", l.shape_columns ? say("layout.by_shape", {{"columns", std::to_string(l.shape_columns)},
                                                                                                {"column", std::to_string(l.shape_order_id_column)}})
                                                                     : say("layout.by_header", {{"columns", cols}})}}));
    }
    return joined(std::move(out));
}

}  // namespace fbtrack
