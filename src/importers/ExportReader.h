#pragma once
// Reads one Seller Central export: identifies its layout from the header (or, for the feedback
// report, from its shape) and turns each row into a checked record or a row problem.
// It never touches the database.
#include "catalogue/Marketplace.h"
#include "importers/Layout.h"
#include "model/Records.h"
#include "importers/RecordSource.h"
#include "text/TableReader.h"
#include "text/TextLines.h"

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

// What an export's layout label says ("all-orders, 74 columns, upload template"): the journal
// keeps the label as text, and a command shows its parts in the seller's words.
struct LayoutLabel {
    std::string name;  // the layout's name in data/layouts.json
    std::size_t columns = 0;
    bool upload_template = false;
    std::string to_string() const;
    // A label of an export, or nothing for any other (a mailbox's: "mbox").
    static std::optional<LayoutLabel> parse(const std::string& label);
};

class ExportReader : public RecordSource {
public:
    ExportReader(const std::filesystem::path& path, const LayoutCatalog& catalog,
                 std::optional<ImportKind> forced_kind, const Marketplace& marketplace,
                 PhaseTimes* timings = nullptr, bool hash_content = false);

    const Layout& layout() const { return *layout_; }
    ImportKind kind() const override { return layout_->kind; }
    std::string title() const override { return layout_->title; }
    std::string title_ja() const override { return layout_->title_ja; }
    std::string layout_label() const override;  // "all-orders, 29 columns"
    std::string encoding_label() const override { return std::string(encoding_name(lines_.encoding())); }
    Encoding encoding() const { return lines_.encoding(); }
    std::uint64_t bytes_consumed() const override { return lines_.bytes_consumed(); }
    std::uint64_t file_size() const override { return lines_.file_size(); }
    std::optional<std::string> content_sha256() override {
        if (!hash_content_) return std::nullopt;
        return lines_.content_sha256();
    }

    // False at the end of the file. Damage that makes the whole file untrustworthy
    // (Excel-mangled IDs, a cut-off file) throws InputError.
    bool next(ImportedRow& row) override;

private:
    // The fields convert() reads, each bound once per file to its column (or a layout's constant)
    // instead of being looked up by name in every row.
    enum Field : std::uint8_t {
        order_id, purchased_at, last_updated_at, status, fulfillment, sales_channel, service_level, ship_state, ship_country, ssa_carrier, buy_shipping, is_prime, ship_by, deliver_by, order_item_id, sku, asin, product_name, item_status, currency, item_price, quantity, shipped_at, ship_date, carrier_code, carrier_name, tracking_number, ship_method, promised_delivery, rated_on, rating, comment, response, sent_at, direction, subject, body,
        field_count
    };
    struct Binding {
        std::optional<std::size_t> column;
        const std::string* constant = nullptr;
    };

    void identify(const LayoutCatalog& catalog, std::optional<ImportKind> forced_kind);
    void bind_columns();
    Binding binding_of(const std::string& field) const;  // its column, else a layout's constant
    std::optional<std::string_view> value(const Binding& binding) const;
    std::optional<std::string_view> value(Field field) const;
    std::optional<std::string_view> value(const std::string& field) const;
    std::string redacted_text() const;
    Record convert();
    [[noreturn]] void field_error(Field field, std::string_view found, const Said& expected, const Said& hint = {}) const;
    [[noreturn]] void field_error(const std::string& field, std::string_view found, const Said& expected, const Said& hint = {}) const;

    std::filesystem::path path_;
    const Marketplace& marketplace_;
    bool hash_content_;
    TextLines lines_;
    TableReader table_;
    const Layout* layout_ = nullptr;
    std::vector<std::string> header_;
    bool template_header_ = false;
    std::map<std::string, std::size_t> column_of_;  // field → 0-based column
    std::array<Binding, field_count> bound_;
    std::vector<Field> required_fields_;  // the layout's required fields that convert() reads
    std::vector<std::string> required_by_name_;  // and any other a seller's layouts.json names
    std::vector<bool> personal_column_;
    TableRow row_;
    bool pending_row_ = false;  // row_ was read while identifying and not yet returned
};

}  // namespace fbtrack
