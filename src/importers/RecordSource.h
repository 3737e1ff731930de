#pragma once
// Anything import reads records from: a tabular export or a mailbox.
#include "importers/Records.h"

#include <cstdint>
#include <optional>
#include <string>

namespace fbtrack {

struct RowProblem {
    std::size_t line = 0;
    std::string reason;
    std::string text;  // the row (or the mail's subject and Message-ID) without personal data
};

struct ImportedRow {
    std::size_t line = 0;
    std::optional<Record> record;  // set when the row is good
    std::optional<RowProblem> problem;
    std::optional<std::string> ignored;  // why a row that is not ours was passed over
};

class RecordSource {
public:
    virtual ~RecordSource() = default;
    virtual bool next(ImportedRow& row) = 0;
    virtual ImportKind kind() const = 0;
    virtual std::string title() const = 0;         // "All Orders report (全注文レポート)"
    virtual std::string layout_label() const = 0;  // "all-orders, 29 columns"
    virtual std::string encoding_label() const = 0;
    virtual std::uint64_t bytes_consumed() const = 0;
    virtual std::uint64_t file_size() const = 0;
};

}  // namespace fbtrack
