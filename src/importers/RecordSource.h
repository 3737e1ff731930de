#pragma once
// Anything import reads records from: a tabular export or a mailbox.
#include "core/Errors.h"
#include "model/Records.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace fbtrack {

struct RowProblem {
    std::size_t line = 0;
    std::string reason;
    std::string text;  // the row (or the mail's subject and Message-ID) without personal data
    Said said = {};    // the reason as sentences, for the terminal (reason is its English, kept on record)
};

struct ImportedRow {
    std::size_t line = 0;
    std::optional<Record> record;  // set when the row is good
    std::optional<RowProblem> problem;
    std::optional<std::string> ignored;  // why a row that is not ours was passed over
    // Mail to a marketplace alias from an address not known as the shop's: passed over, and
    // named in the summary so that the seller can add it to shop.json if it is theirs.
    std::optional<std::string> unknown_sender;
};

class RecordSource {
public:
    virtual ~RecordSource() = default;
    virtual bool next(ImportedRow& row) = 0;
    virtual ImportKind kind() const = 0;
    virtual std::string title() const = 0;         // "All Orders report (全注文レポート)"
    virtual std::string title_ja() const { return {}; }  // "全注文レポート", where the layout names it so
    virtual std::string layout_label() const = 0;  // "all-orders, 29 columns"
    virtual std::string encoding_label() const = 0;
    virtual std::uint64_t bytes_consumed() const = 0;
    virtual std::uint64_t file_size() const = 0;
    // An export is the seller's to fix: one bad row refuses the file. A mailbox is not: its
    // unreadable messages are kept on record and the rest is imported.
    virtual bool fixable_by_seller() const { return true; }
    // Called now and then while a source reads ahead before next() returns (a sort): a progress
    // display. bytes_consumed() then tells how far it is.
    virtual void while_reading(std::function<void()> tick) { (void)tick; }
    // The file's SHA-256 when it was computed while reading (asked for once every row was read).
    virtual std::optional<std::string> content_sha256() { return std::nullopt; }
};

}  // namespace fbtrack
