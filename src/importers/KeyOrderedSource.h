#pragma once
// Hands on the rows of an order or shipment export sorted by order ID (and, within an order, in
// the file's order), so that the store writes its tables front to back. Rows in file order land at
// random places in a table keyed by order ID: past a few hundred thousand rows nearly every row
// then rewrites a page that had already left SQLite's cache, and an import costs many times the
// writing it needs. Each order's rows still reach the store in the order the file has them, and
// rows of different orders never affect each other, so the stored result is the same.
//
// Memory stays bounded: rows are kept in runs of at most `run_bytes`; a larger file spills its
// sorted runs to an unnamed file in `spill_folder` (the database's folder, which needs that room
// anyway) that disappears with the process, and the runs are merged while the rows are handed on.
// Problems and rows the store does not key by order pass through at once, in file order.
#include "core/PhaseTimes.h"
#include "importers/RecordSource.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fbtrack {

class KeyOrderedSource : public RecordSource {
public:
    static constexpr std::size_t default_run_bytes = 8u << 20;

    KeyOrderedSource(std::unique_ptr<RecordSource> source, std::filesystem::path spill_folder,
                     PhaseTimes* timings = nullptr, std::size_t run_bytes = default_run_bytes);
    ~KeyOrderedSource() override;
    KeyOrderedSource(const KeyOrderedSource&) = delete;
    KeyOrderedSource& operator=(const KeyOrderedSource&) = delete;

    bool next(ImportedRow& row) override;
    ImportKind kind() const override { return source_->kind(); }
    std::string title() const override { return source_->title(); }
    std::string title_ja() const override { return source_->title_ja(); }
    std::string layout_label() const override { return source_->layout_label(); }
    std::string encoding_label() const override { return source_->encoding_label(); }
    // Reading counts as the first half of the work, handing the sorted rows on as the second.
    std::uint64_t bytes_consumed() const override;
    void while_reading(std::function<void()> tick) override { tick_ = std::move(tick); }
    std::uint64_t file_size() const override { return source_->file_size(); }
    bool fixable_by_seller() const override { return source_->fixable_by_seller(); }
    std::optional<std::string> content_sha256() override { return source_->content_sha256(); }

    // How many sorted runs went to the spill file (0: the file fitted in memory). For tests.
    std::size_t spilled_runs() const { return runs_.size(); }

private:
    struct Entry {
        std::uint32_t offset;  // of the serialized row in buffer_
        std::uint32_t size;
    };
    struct Run {
        std::uint64_t offset, size;  // in the spill file
    };
    class RunReader;

    void add(const ImportedRow& row);
    void sort_buffer();
    void spill_buffer();
    void start_merge();

    std::unique_ptr<RecordSource> source_;
    std::filesystem::path spill_folder_;
    PhaseTimes* timings_;
    std::size_t run_bytes_;
    int spill_fd_ = -1;
    std::uint64_t spill_size_ = 0;

    std::string buffer_;          // serialized rows of the current run
    std::vector<Entry> entries_;  // into buffer_, sorted before they are handed on or spilled
    std::vector<Run> runs_;
    bool reading_ = true;
    std::function<void()> tick_;
    std::uint64_t rows_sorted_ = 0, rows_handed_on_ = 0;
    std::size_t next_entry_ = 0;  // when everything fitted in memory
    std::vector<std::unique_ptr<RunReader>> readers_;
    std::vector<std::size_t> heap_;  // indexes into readers_, smallest key first
};

}  // namespace fbtrack
