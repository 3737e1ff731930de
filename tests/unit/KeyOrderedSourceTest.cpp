#include "importers/KeyOrderedSource.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <unistd.h>

using namespace fbtrack;

namespace {

// Rows as a reader hands them on: order lines and shipments in the file's order, with a row
// problem now and then.
class ListSource : public RecordSource {
public:
    explicit ListSource(std::vector<ImportedRow> rows) : rows_(std::move(rows)) {}
    bool next(ImportedRow& row) override {
        if (at_ == rows_.size()) return false;
        row = rows_[at_++];
        return true;
    }
    ImportKind kind() const override { return ImportKind::orders; }
    std::string title() const override { return "test rows"; }
    std::string layout_label() const override { return "test"; }
    std::string encoding_label() const override { return "UTF-8"; }
    std::uint64_t bytes_consumed() const override { return at_; }
    std::uint64_t file_size() const override { return rows_.size(); }

private:
    std::vector<ImportedRow> rows_;
    std::size_t at_ = 0;
};

std::vector<ImportedRow> file_rows(std::size_t n) {
    std::mt19937 rng(7);
    std::vector<ImportedRow> rows;
    for (std::size_t i = 0; i < n; ++i) {
        ImportedRow r;
        r.line = i + 2;
        const std::string id = "250-" + std::to_string(1000000 + rng() % 9000000) + "-" + std::to_string(1000000 + rng() % 97);
        if (i % 50 == 7) {
            r.problem = RowProblem{r.line, "a bad date", "order " + id};
        } else if (i % 3 == 0) {
            Shipment s;
            s.order_id = id;
            s.ship_date = "2026-10-0" + std::to_string(1 + i % 9);
            s.quantity = static_cast<long long>(i);
            if (i % 2) s.tracking_number = "TN" + std::to_string(i);
            r.record = s;
        } else {
            OrderLine o;
            o.order_id = id;
            o.purchased_at = "2026-10-01T00:00:00Z";
            if (i % 4) o.status = "Shipped";
            o.is_prime = i % 5 == 0 ? std::optional<bool>() : std::optional<bool>(i % 2 == 0);
            o.quantity = i % 7 ? std::optional<long long>(static_cast<long long>(i)) : std::nullopt;
            o.product_name = std::string(i % 40, 'x') + "マグカップ";  // rows of many sizes
            o.sku = i % 6 ? std::optional<std::string>("SKU-" + std::to_string(i % 11)) : std::nullopt;
            r.record = o;
        }
        rows.push_back(r);
    }
    return rows;
}

std::string order_id_of(const ImportedRow& r) {
    if (const auto* o = std::get_if<OrderLine>(&*r.record)) return o->order_id;
    return std::get<Shipment>(*r.record).order_id;
}

class KeyOrdered : public ::testing::TestWithParam<std::size_t> {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("fbtrack-sort-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

}  // namespace

// Every row comes out once and whole; rows of one order keep the file's order; orders come in
// key order; problems are handed on at once, in file order. The same with the rows in memory
// and spilled in many runs.
TEST_P(KeyOrdered, HandsOnEveryRowSortedByOrderIdThenLine) {
    const auto rows = file_rows(3000);
    KeyOrderedSource sorted(std::make_unique<ListSource>(rows), dir_, nullptr, GetParam());
    std::vector<ImportedRow> out;
    ImportedRow r;
    while (sorted.next(r)) out.push_back(r);
    ASSERT_EQ(out.size(), rows.size());
    if (GetParam() < 4096) EXPECT_GT(sorted.spilled_runs(), 10u);
    else EXPECT_EQ(sorted.spilled_runs(), 0u);

    const auto first_record = std::find_if(out.begin(), out.end(), [](const ImportedRow& x) { return x.record.has_value(); });
    EXPECT_TRUE(std::all_of(out.begin(), first_record, [](const ImportedRow& x) { return x.problem.has_value(); }));
    EXPECT_TRUE(std::is_sorted(out.begin(), first_record, [](const auto& a, const auto& b) { return a.line < b.line; }));
    EXPECT_TRUE(std::is_sorted(first_record, out.end(), [](const ImportedRow& a, const ImportedRow& b) {
        return std::pair(order_id_of(a), a.line) < std::pair(order_id_of(b), b.line);
    }));

    // Whole: each row equals the one read at its line, field for field.
    for (const auto& o : out) {
        const auto& in = rows[o.line - 2];
        ASSERT_EQ(in.record.has_value(), o.record.has_value());
        if (!o.record) continue;
        if (const auto* a = std::get_if<OrderLine>(&*in.record)) {
            const auto& b = std::get<OrderLine>(*o.record);
            EXPECT_EQ(a->order_id, b.order_id);
            EXPECT_EQ(a->status, b.status);
            EXPECT_EQ(a->is_prime, b.is_prime);
            EXPECT_EQ(a->quantity, b.quantity);
            EXPECT_EQ(a->product_name, b.product_name);
            EXPECT_EQ(a->sku, b.sku);
            EXPECT_EQ(a->purchased_at, b.purchased_at);
            EXPECT_EQ(a->asin, b.asin);
        } else {
            const auto& a2 = std::get<Shipment>(*in.record);
            const auto& b = std::get<Shipment>(*o.record);
            EXPECT_EQ(a2.order_id, b.order_id);
            EXPECT_EQ(a2.ship_date, b.ship_date);
            EXPECT_EQ(a2.quantity, b.quantity);
            EXPECT_EQ(a2.tracking_number, b.tracking_number);
            EXPECT_EQ(a2.order_item_id, b.order_item_id);
        }
    }
    // The spill file has no name: nothing is left in the folder, even before the source ends.
    EXPECT_TRUE(std::filesystem::is_empty(dir_));
}

INSTANTIATE_TEST_SUITE_P(InMemoryAndSpilled, KeyOrdered, ::testing::Values(std::size_t{1000}, std::size_t{64} << 20));
