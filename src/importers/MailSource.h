#pragma once
// Buyer-seller messages from a mailbox: which order, when, from whom to whom, and the text —
// without the buyer's name and address.
#include "importers/MailReader.h"
#include "importers/RecordSource.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fbtrack {

// The rules in data/mail.json.
struct MailRules {
    std::vector<std::string> marketplace_domains;  // every known marketplace's
    std::vector<std::string> customer_name_after, customer_name_until;
    std::vector<std::string> personal_line_labels;
    std::vector<std::string> greeting_name_suffixes, greeting_name_prefixes;
    std::vector<std::string> quote_markers;

    static MailRules load(const std::filesystem::path& data_dir);
    bool is_marketplace_address(const std::string& address) const;
    // The subject or body with the buyer's name, greeting and address blocks replaced.
    std::string redact(std::string text) const;
    // The text without quoted replies ("> ..." lines, "-----Original Message-----" and after).
    std::string unquoted(std::string_view text) const;
};

class MailSource : public RecordSource {
public:
    MailSource(const std::filesystem::path& path, MailboxFormat format, const MailRules& rules);

    bool next(ImportedRow& row) override;
    ImportKind kind() const override { return ImportKind::messages; }
    std::string title() const override { return format_ == MailboxFormat::mbox ? "mailbox (mbox)" : "mail message (.eml)"; }
    std::string layout_label() const override { return format_ == MailboxFormat::mbox ? "mbox" : "eml"; }
    std::string encoding_label() const override { return "MIME"; }
    std::uint64_t bytes_consumed() const override { return 0; }
    std::uint64_t file_size() const override { return 0; }

private:
    BuyerMessage convert(const RawMail& raw, const ParsedMail& mail, std::string& ignored) const;

    MailboxFormat format_;
    const MailRules& rules_;
    MailboxReader reader_;
};

}  // namespace fbtrack
