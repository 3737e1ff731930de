#pragma once
// The export layouts fbtrack knows, read from data/layouts.json.
#include "core/Errors.h"
#include "catalogue/Catalogue.h"
#include "model/Records.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

struct FieldSource {
    std::vector<std::string> header_names;  // alternatives, first present wins
    std::size_t position = 0;               // 1-based; used when header_names is empty
};

struct Layout {
    std::string name;
    ImportKind kind;
    std::string title;
    std::string title_ja;  // the same in Japanese, for a Japanese shop's messages
    std::vector<std::string> identify_by;
    std::size_t shape_columns = 0;          // 0: identified by header names only
    std::size_t shape_order_id_column = 0;  // 1-based
    std::map<std::string, FieldSource> fields;
    std::map<std::string, std::string> constants;
    std::vector<std::string> required;
    std::vector<std::string> personal;               // header names never stored
    std::vector<std::size_t> personal_columns;       // 1-based positions never stored
};

class LayoutCatalog {
public:
    static LayoutCatalog load(const Catalogue& data);
    const std::vector<Layout>& layouts() const { return layouts_; }

    // The most specific layout whose identifying header names are all present.
    const Layout* match_by_header(const std::vector<std::string>& header,
                                  std::optional<ImportKind> kind) const;
    // Layouts recognised by column count and an order ID in a given column.
    const Layout* match_by_shape(const std::vector<std::string>& first_row, std::optional<ImportKind> kind) const;
    const Layout* shape_layout_for_width(std::size_t columns, std::optional<ImportKind> kind) const;
    Said describe_known() const;

private:
    static LayoutCatalog read_layouts(const Catalogue& data);
    std::vector<Layout> layouts_;
};

}  // namespace fbtrack
