#include "importers/ExportReader.h"

#include "core/Errors.h"
#include "text/Dates.h"
#include "text/Ids.h"
#include "text/LineReader.h"

#include <algorithm>
#include <charconv>
#include <regex>

namespace fbtrack {

namespace {

// A problem with one field of one row: the row is rejected, the import may go on.
struct FieldProblem : std::runtime_error {
    explicit FieldProblem(Said s) : std::runtime_error(english(s)), said(std::move(s)) {}
    Said said;
};

std::string header_preview(const std::vector<std::string>& header) {
    std::string out;
    for (std::size_t i = 0; i < header.size() && i < 6; ++i) out += (i ? "', '" : "'") + header[i];
    if (!header.empty()) out += "'";
    if (header.size() > 6) out += ", … (" + std::to_string(header.size()) + " fields)";
    return out;
}

constexpr std::array<const char*, 37> field_names = {
    "order_id", "purchased_at", "last_updated_at", "status", "fulfillment", "sales_channel", "service_level", "ship_state", "ship_country", "ssa_carrier", "buy_shipping", "is_prime", "ship_by", "deliver_by", "order_item_id", "sku", "asin", "product_name", "item_status", "currency", "item_price", "quantity", "shipped_at", "ship_date", "carrier_code", "carrier_name", "tracking_number", "ship_method", "promised_delivery", "rated_on", "rating", "comment", "response", "sent_at", "direction", "subject", "body"};

std::string_view trimmed(std::string_view v) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return v;
}

std::optional<bool> parse_bool(std::string_view v) {
    if (v == "true" || v == "TRUE" || v == "True" || v == "Yes" || v == "yes" || v == "Y" || v == "1") return true;
    if (v == "false" || v == "FALSE" || v == "False" || v == "No" || v == "no" || v == "N" || v == "0") return false;
    return std::nullopt;
}

}  // namespace

ExportReader::ExportReader(const std::filesystem::path& path, const LayoutCatalog& catalog,
                           std::optional<ImportKind> forced_kind, const Marketplace& marketplace,
                           PhaseTimes* timings, bool hash_content)
    : path_(path), marketplace_(marketplace), hash_content_(hash_content), lines_(path, timings, hash_content),
      table_(lines_) {
    identify(catalog, forced_kind);
    bind_columns();
}

void ExportReader::identify(const LayoutCatalog& catalog, std::optional<ImportKind> forced_kind) {
    std::size_t header_line = 0;
    if (!table_.read_header(header_, header_line))
        throw InputError(InputLocation{path_.string(), 0, 0, {}}, "only blank lines", "an export with a header line",
                         "the download may have failed; download the report again");

    layout_ = catalog.match_by_header(header_, forced_kind);
    // Amazon's upload templates carry two rows above the real header.
    if (!layout_ && !header_.empty() && header_[0].rfind("TemplateType=", 0) == 0) {
        for (int extra = 0; extra < 2 && !layout_; ++extra) {
            if (!table_.read_header(header_, header_line)) break;
            layout_ = catalog.match_by_header(header_, forced_kind);
        }
        template_header_ = layout_ != nullptr;
    }
    if (!layout_) {
        // The feedback report's header is translated per marketplace: recognise it by shape.
        const Layout* by_width = catalog.shape_layout_for_width(header_.size(), forced_kind);
        if (by_width) {
            pending_row_ = table_.next(row_);
            if (pending_row_) {
                std::vector<std::string> first(row_.fields.begin(), row_.fields.begin() + row_.field_count);
                layout_ = catalog.match_by_shape(first, forced_kind);
            } else if (forced_kind) {
                layout_ = by_width;  // header only, and the user said what it is
            }
        }
    }
    if (!layout_) {
        throw InputError(InputLocation{path_.string(), header_line, 0, {}},
                         say("found.header_fields", {{"fields", header_preview(header_)}}),
                         joined({forced_kind ? say("expected.known_header_of_kind", {{"kind", kind_name(*forced_kind)}})
                                             : say("expected.known_header"),
                                 say("layout.known_list", {{"layouts", catalog.describe_known()}})}),
                         say("hint.unknown_layout"));
    }
}

std::string LayoutLabel::to_string() const {
    std::string label = name + ", " + std::to_string(columns) + " columns";
    if (upload_template) label += ", upload template";
    return label;
}

std::optional<LayoutLabel> LayoutLabel::parse(const std::string& label) {
    static const std::regex shape(R"(^(.+), ([0-9]{1,6}) columns(, upload template)?$)");
    std::smatch m;
    if (!std::regex_match(label, m, shape)) return std::nullopt;
    return LayoutLabel{m[1].str(), static_cast<std::size_t>(std::stoul(m[2].str())), m[3].matched};
}

std::string ExportReader::layout_label() const {
    return LayoutLabel{layout_->name, header_.size(), template_header_}.to_string();
}

void ExportReader::bind_columns() {
    for (const auto& [field, source] : layout_->fields) {
        if (source.header_names.empty()) {
            if (source.position >= 1 && source.position <= header_.size()) column_of_[field] = source.position - 1;
            continue;
        }
        for (const auto& name : source.header_names) {
            const auto it = std::find(header_.begin(), header_.end(), name);
            if (it != header_.end()) {
                column_of_[field] = static_cast<std::size_t>(it - header_.begin());
                break;
            }
        }
    }
    for (const auto& field : layout_->required)
        if (!column_of_.count(field) && !layout_->constants.count(field)) {
            const auto& names = layout_->fields.at(field).header_names;
            throw InputError(InputLocation{path_.string(), 1, 0, {}}, "header fields " + header_preview(header_),
                             "a column '" + (names.empty() ? field : names.front()) + "' in a " + layout_->title,
                             "the report was cut or edited; download it again");
        }
    for (std::size_t f = 0; f < field_count; ++f) {
        const std::string name = field_names[f];
        bound_[f] = binding_of(name);
        if (std::find(layout_->required.begin(), layout_->required.end(), name) != layout_->required.end())
            required_fields_.push_back(static_cast<Field>(f));
    }
    for (const auto& name : layout_->required)
        if (std::find(field_names.begin(), field_names.end(), name) == field_names.end()) required_by_name_.push_back(name);
    personal_column_.assign(header_.size(), false);
    for (std::size_t i = 0; i < header_.size(); ++i)
        if (std::find(layout_->personal.begin(), layout_->personal.end(), header_[i]) != layout_->personal.end())
            personal_column_[i] = true;
    for (const auto p : layout_->personal_columns)
        if (p >= 1 && p <= personal_column_.size()) personal_column_[p - 1] = true;
}

std::optional<std::string_view> ExportReader::value(Field field) const { return value(bound_[field]); }

std::optional<std::string_view> ExportReader::value(const std::string& field) const { return value(binding_of(field)); }

ExportReader::Binding ExportReader::binding_of(const std::string& field) const {
    Binding b;
    if (const auto it = column_of_.find(field); it != column_of_.end()) b.column = it->second;
    else if (const auto c = layout_->constants.find(field); c != layout_->constants.end()) b.constant = &c->second;
    return b;
}

std::optional<std::string_view> ExportReader::value(const Binding& b) const {
    if (!b.column) {
        if (b.constant) return std::string_view(*b.constant);
        return std::nullopt;
    }
    if (*b.column >= row_.field_count) return std::nullopt;
    const std::string_view v = trimmed(row_.fields[*b.column]);
    if (v.empty()) return std::nullopt;
    return v;
}

std::string ExportReader::redacted_text() const {
    const char sep = table_.delimiter() == Delimiter::comma ? ',' : '\t';
    std::string out;
    for (std::size_t i = 0; i < row_.field_count; ++i) {
        if (i) out.push_back(sep);
        if (i < personal_column_.size() && personal_column_[i] && !row_.fields[i].empty())
            out += "[removed]";
        else
            out += row_.fields[i];
    }
    return out;
}

void ExportReader::field_error(Field field, std::string_view found, const Said& expected, const Said& hint) const {
    field_error(std::string(field_names[field]), found, expected, hint);
}

void ExportReader::field_error(const std::string& field, std::string_view found, const Said& expected,
                               const Said& hint) const {
    const auto it = column_of_.find(field);
    InputLocation where;
    if (it != column_of_.end()) {
        where.column = it->second + 1;
        where.column_name = header_[it->second];
    }
    // Location is added by the caller's problem list; keep the column here.
    std::string shown(found.substr(0, 80));
    if (found.size() > 80) shown += "… (" + std::to_string(found.size()) + " bytes)";
    throw FieldProblem(joined({where.column ? say("row.in_column", {{"number", std::to_string(where.column)},
                                                                     {"column", where.column_name}})
                                            : Said(),
                               say("row.found_expected", {{"found", shown}, {"expected", expected}}),
                               hint.empty() ? Said() : say("row.hint", {{"hint", hint}})}));
}

bool ExportReader::next(ImportedRow& out) {
    if (pending_row_) {
        pending_row_ = false;
    } else if (!table_.next(row_)) {
        return false;
    }
    out = ImportedRow{};
    out.line = row_.line;

    if (row_.field_count != header_.size()) {
        // A last line without its newline and with too few fields: the download stopped early.
        // Only the last line can lack its newline: a short one means the download stopped early.
        if (row_.field_count < header_.size() && !lines_.last_line_ended_with_newline())
            throw InputError(InputLocation{path_.string(), out.line, 0, {}},
                             say("found.cut_last_line", {{"fields", std::to_string(row_.field_count)},
                                                         {"header", std::to_string(header_.size())}}),
                             say("expected.complete_rows"), say("hint.cut_off"));
        // Its fields do not line up with the header, so no column can be told personal or not:
        // keep only an order ID, which names no one.
        std::string kept = "(row text not kept: its fields do not line up with the header)";
        for (std::size_t i = 0; i < row_.field_count; ++i)
            if (const auto id = find_order_id(row_.fields[i]); !id.empty()) {
                kept = "order " + std::string(id) + " " + kept;
                break;
            }
        const Said reason = say("row.field_count", {{"header", std::to_string(header_.size())},
                                                    {"found", std::to_string(row_.field_count)}});
        out.problem = RowProblem{out.line, english(reason), kept, reason};
        return true;
    }
    // Excel turns long numeric IDs into 5.80293E+13; the real ID is gone, so no row can be trusted.
    for (const Field id_field : {order_id, order_item_id}) {
        const auto v = value(id_field);
        if (v && looks_excel_mangled(*v)) {
            const auto col = *bound_[id_field].column;
            throw InputError(InputLocation{path_.string(), out.line, col + 1, header_[col]}, std::string(*v),
                             say("expected.id_as_text"), say("hint.excel_numbers"));
        }
    }
    try {
        out.record = convert();
    } catch (const FieldProblem& p) {
        out.problem = RowProblem{out.line, p.what(), redacted_text(), p.said};
    }
    return true;
}

Record ExportReader::convert() {
    const auto& zone = marketplace_.zone;
    auto text = [&](Field f) -> std::optional<std::string> {
        if (auto v = value(f)) return std::string(*v);
        return std::nullopt;
    };
    auto required = [&](Field f) -> std::string_view {
        auto v = value(f);
        if (!v) field_error(f, "", say("expected.value"));
        return *v;
    };
    auto checked_order_id = [&]() {
        const auto id = required(order_id);
        if (!is_order_id(id)) field_error(order_id, id, say("expected.order_id"));
        return std::string(id);
    };
    auto timestamp = [&](Field f) -> std::optional<std::string> {
        const auto v = value(f);
        if (!v) return std::nullopt;
        try {
            return to_iso_utc(parse_timestamp(*v, zone));
        } catch (const ValueError& e) {
            field_error(f, *v, e.expected(), e.hint());
        }
    };
    auto integer = [&](Field f) -> std::optional<long long> {
        const auto v = value(f);
        if (!v) return std::nullopt;
        long long n = 0;
        const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
        if (ec != std::errc() || ptr != v->data() + v->size() || n < 0) field_error(f, *v, say("expected.whole_number"));
        return n;
    };
    auto boolean = [&](Field f) -> std::optional<bool> {
        const auto v = value(f);
        if (!v) return std::nullopt;
        const auto b = parse_bool(*v);
        if (!b) field_error(f, *v, say("expected.true_or_false"));
        return b;
    };
    auto channel = [&]() -> std::optional<std::string> {
        const auto v = value(fulfillment);
        if (!v) return std::nullopt;
        if (*v == "Merchant" || *v == "MFN" || *v == "merchant") return "merchant";
        if (*v == "Amazon" || *v == "AFN" || *v == "amazon") return "amazon";
        field_error(fulfillment, *v, "Amazon or Merchant");
    };

    switch (layout_->kind) {
        case ImportKind::orders: {
            OrderLine o;
            o.order_id = checked_order_id();
            o.purchased_at = timestamp(purchased_at);
            o.last_updated_at = timestamp(last_updated_at);
            o.status = text(status);
            o.fulfillment = channel();
            o.sales_channel = text(sales_channel);
            o.service_level = text(service_level);
            o.ship_state = text(ship_state);
            o.ship_country = text(ship_country);
            o.ssa_carrier = text(ssa_carrier);
            o.buy_shipping = boolean(buy_shipping);
            o.is_prime = boolean(is_prime);
            o.ship_by = timestamp(ship_by);
            o.deliver_by = timestamp(deliver_by);
            o.order_item_id = text(order_item_id);
            o.sku = text(sku);
            o.asin = text(asin);
            o.product_name = text(product_name);
            o.item_status = text(item_status);
            o.currency = text(currency);
            o.item_price = text(item_price);
            o.quantity = integer(quantity);
            for (const auto f : required_fields_)
                if (!value(f)) field_error(f, "", say("expected.value"));
            for (const auto& f : required_by_name_)
                if (!value(f)) field_error(f, "", say("expected.value"));
            return o;
        }
        case ImportKind::shipments: {
            Shipment s;
            s.order_id = checked_order_id();
            s.order_item_id = text(order_item_id);
            s.quantity = integer(quantity);
            if (const auto at = value(shipped_at)) {
                try {
                    const auto t = parse_timestamp(*at, zone);
                    s.shipped_at = to_iso_utc(t);
                    s.ship_date = to_iso_date(local_date_of(t, zone));
                } catch (const ValueError& e) {
                    field_error(shipped_at, *at, e.expected(), e.hint());
                }
            } else {
                const auto d = required(ship_date);
                try {
                    s.ship_date = to_iso_date(parse_local_date(d, zone));
                } catch (const ValueError& e) {
                    field_error(ship_date, d, say("row.ship_date", {{"expected", e.expected()}}), e.hint());
                }
            }
            s.carrier_code = text(carrier_code);
            s.carrier_name = text(carrier_name);
            s.tracking_number = text(tracking_number);
            s.ship_method = text(ship_method);
            s.fulfillment = channel();
            s.promised_delivery = timestamp(promised_delivery);
            return s;
        }
        case ImportKind::feedback: {
            FeedbackEntry f;
            f.order_id = checked_order_id();
            const auto d = required(rated_on);
            try {
                f.rated_on = to_iso_date(parse_feedback_date(d, marketplace_.feedback_date_order));
            } catch (const ValueError& e) {
                field_error(rated_on, d, e.expected(), say("row.day_order", {{"marketplace", marketplace_.name}}));
            }
            const auto r = integer(rating);
            if (!r || *r < 1 || *r > 5) field_error(rating, value(rating).value_or(""), say("expected.rating"));
            f.rating = static_cast<int>(*r);
            f.comment = text(comment).value_or("");
            f.response = text(response);
            return f;
        }
        case ImportKind::messages: {
            BuyerMessage m;
            if (const auto id = value(order_id)) {
                if (!is_order_id(*id)) field_error(order_id, *id, "an order ID like 250-1234567-1234567, or nothing");
                m.order_id = std::string(*id);
            }
            required(sent_at);
            m.sent_at = *timestamp(sent_at);
            const auto way = required(direction);
            if (way != "buyer" && way != "seller") field_error(direction, way, "buyer or seller");
            m.direction = std::string(way);
            m.subject = text(subject).value_or("");
            m.body = text(body).value_or("");
            m.source = "csv";
            m.message_key = "csv:" + sha256_of_text(m.order_id.value_or("") + "\n" + m.sent_at + "\n" + m.direction +
                                                    "\n" + m.subject + "\n" + m.body);
            return m;
        }
    }
    throw InternalError("unknown import kind");
}

}  // namespace fbtrack
