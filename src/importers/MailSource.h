#pragma once
// Buyer-seller messages from a mailbox: which order, when, from whom to whom, and the text —
// without the buyer's name and address.
#include "catalogue/Catalogue.h"
#include "importers/MailReader.h"
#include "importers/RecordSource.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace fbtrack {

// The rules in data/mail.json.
struct MailRules {
    std::vector<std::string> marketplace_domains;  // every known marketplace's
    std::vector<std::string> customer_name_after, customer_name_until;
    std::vector<std::string> personal_line_labels;
    std::vector<std::string> greeting_name_suffixes, greeting_name_prefixes;
    std::vector<std::string> quote_markers;

    static MailRules load(const Catalogue& data);
    bool is_marketplace_address(const std::string& address) const;
    // The subject or body with the buyer's name, greeting and address blocks replaced. Linear in
    // the length of the text.
    std::string redact(std::string_view text) const;
    // The text without quoted replies ("> ..." lines, "-----Original Message-----" and after).
    std::string unquoted(std::string_view text) const;
};

// The shop's own mail addresses. Only mail from one of them to a marketplace alias is the
// seller's reply: Reply-To, and any other sender, prove nothing (anyone can write to an alias).
// Known from shop.json and earlier imports, and learnt from mail itself: Amazon forwards a
// buyer's message to the shop's address, and mail in a sent folder was sent by the shop.
class ShopAddressBook {
public:
    // Where an address was learnt, as the database keeps it: "recipient of buyer mail in FOLDER".
    static std::string learnt_from_buyer_mail(const std::string& folder);
    // The FOLDER of such a note, or nothing for another.
    static std::optional<std::string> buyer_mail_folder(const std::string& learnt_from);
    void add(const std::string& address, const std::string& learnt_from);
    bool contains(const std::string& address) const { return known_.count(address) > 0; }
    // What add() learnt that was not known before, in order: to be kept in the database.
    const std::vector<std::pair<std::string, std::string>>& learnt() const { return learnt_; }
    void forget_learnt() { learnt_.clear(); }

private:
    std::set<std::string> known_;
    std::vector<std::pair<std::string, std::string>> learnt_;
};

// Where a mailbox file sits: its folder decides whether its mail was sent by the shop.
struct MailboxPlace {
    std::string folder;  // the Maildir folder ("INBOX", "Sent") or the mbox file's name
    bool sent = false;   // a sent folder (is_sent_folder)
    bool maildir = false;
    bool junk = false;   // Junk, Spam, 迷惑メール: its mail counts for nobody and teaches nothing
    // Read from the live mailbox (fetch): anyone can put any From into mail to the seller, so
    // outside a sent folder no From makes a reply the seller's or teaches a shop address.
    bool live = false;
};
MailboxPlace place_of_mailbox(const std::filesystem::path& path, MailboxFormat format, const std::string& maildir_folder);

// Reads only the headers of every message in a mailbox and learns the shop's addresses from
// them, so that a reply read before the buyer message that teaches its sender still counts.
void learn_shop_addresses(const std::filesystem::path& path, MailboxFormat format, const MailboxPlace& place,
                          const MailRules& rules, ShopAddressBook& book);

class MailSource : public RecordSource {
public:
    // `book` is consulted (and taught) for every message.
    MailSource(const std::filesystem::path& path, MailboxFormat format, const MailRules& rules, MailboxPlace place,
               ShopAddressBook& book);

    bool next(ImportedRow& row) override;
    ImportKind kind() const override { return ImportKind::messages; }
    std::string title() const override { return format_ == MailboxFormat::mbox ? "mailbox (mbox)" : "mail message (.eml)"; }
    std::string layout_label() const override { return format_ == MailboxFormat::mbox ? "mbox" : "eml"; }
    std::string encoding_label() const override { return "MIME"; }
    bool fixable_by_seller() const override { return false; }
    std::uint64_t bytes_consumed() const override { return 0; }
    std::uint64_t file_size() const override { return 0; }

private:
    // Decides from the headers alone; leaves `row` ignored when the message is not ours.
    std::optional<std::string> direction_of(const MailHeaders& headers, std::string& alias, ImportedRow& row);
    BuyerMessage convert(const RawMail& raw, const MailHeaders& headers, const std::string& direction,
                         const std::string& alias) const;

    MailboxFormat format_;
    const MailRules& rules_;
    MailboxPlace place_;
    ShopAddressBook& book_;
    // When a message names no date at all: a Maildir file's delivery time (the leading seconds of
    // its name), else the file's modification time. Noted on the message.
    std::optional<std::string> file_time_;
    MailboxReader reader_;
};

}  // namespace fbtrack
