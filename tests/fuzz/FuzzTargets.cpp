#include "FuzzTargets.h"

#include "DraftChecks.h"

#include "analysis/MessageClassifier.h"
#include "analysis/PersonalInfo.h"
#include "analysis/RatingCase.h"
#include "drafts/DraftWriter.h"
#include "catalogue/DataFiles.h"
#include "core/Errors.h"
#include "catalogue/Marketplace.h"
#include "importers/ExportReader.h"
#include "importers/Layout.h"
#include "importers/MailSource.h"
#include "text/Dates.h"
#include "text/Encoding.h"
#include "text/Mime.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fbtrack::fuzz {
namespace {

// A new shop's defaults, named as a seller names it (`fbtrack init`): unnamed, no draft is written.
ShopSettings named(ShopSettings shop) {
    shop.shop_name = "さくら雑貨";
    shop.staff_names = {"田中"};
    return shop;
}

// Loaded once per process: the data files do not change while a fuzzer runs.
struct Fixtures {
    Catalogue data{find_data_dir(), {}};
    LayoutCatalog layouts = LayoutCatalog::load(data);
    Marketplace jp = load_marketplace(data, "jp");
    Marketplace us = load_marketplace(data, "us");
    MailRules mail_rules = MailRules::load(data);
    MessageClassifier classifier = MessageClassifier::load(data);
    MaskingRules masking = MaskingRules::load(data);
    ShopSettings shop = named(ShopSettings::load(data));
    DraftWriter drafts{data, jp, shop};
    // The readers take a path, so each input goes through one scratch file per process.
    std::filesystem::path scratch = std::filesystem::temp_directory_path() /
                                    ("fbtrack-fuzz-" + std::to_string(::getpid()) + ".txt");
};

const Fixtures& fixtures() {
    static const Fixtures f;
    return f;
}

const std::filesystem::path& write_scratch(std::string_view bytes) {
    const auto& path = fixtures().scratch;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

void read_export(const std::filesystem::path& path, const Marketplace& marketplace) {
    try {
        ExportReader reader(path, fixtures().layouts, std::nullopt, marketplace);
        ImportedRow row;
        while (reader.next(row)) {
        }
    } catch (const Error&) {
        // A named refusal (InputError, UsageError...) is a correct answer to bad bytes.
    }
}

template <class Parse>
void expect_value_or_named_error(Parse parse) {
    try {
        parse();
    } catch (const ValueError&) {
    }
}

}  // namespace

void export_file(std::string_view bytes) {
    const auto& path = write_scratch(bytes);
    read_export(path, fixtures().jp);
    read_export(path, fixtures().us);
}

void dates(std::string_view bytes) {
    for (const Marketplace* m : {&fixtures().jp, &fixtures().us}) {
        expect_value_or_named_error([&] {
            // A parsed time must print and read back as itself.
            const auto t = parse_timestamp(bytes, m->zone);
            if (from_iso_utc(to_iso_utc(t)) != t) __builtin_trap();
            (void)to_local_minutes(t, m->zone);
        });
        expect_value_or_named_error([&] {
            const auto d = parse_local_date(bytes, m->zone);
            if (from_iso_date(to_iso_date(d)) != d) __builtin_trap();
        });
        expect_value_or_named_error([&] { (void)parse_feedback_date(bytes, m->feedback_date_order); });
    }
}

namespace {

// What the mail readers hand on must be text a terminal and a database can take.
void expect_clean_utf8(std::string_view text) {
    if (!is_valid_utf8(text) || text.find('\x1b') != std::string_view::npos || text.find('\0') != std::string_view::npos)
        __builtin_trap();
}

}  // namespace

void mail(std::string_view bytes) {
    // A mailbox's messages are read best effort: only "no header at all" may be refused.
    try {
        const MailHeaders headers = read_mail_headers(bytes);
        expect_clean_utf8(headers.decoded("Subject").text);
        expect_clean_utf8(read_mail_body(headers, bytes).text);
    } catch (const MailError&) {
    }
    const auto& path = write_scratch(bytes);
    for (MailboxFormat format : {MailboxFormat::mbox, MailboxFormat::eml}) {
        try {
            ShopAddressBook book;
            MailSource source(path, format, fixtures().mail_rules, MailboxPlace{"Sent", true}, book);
            ImportedRow row;
            while (source.next(row))
                if (row.record)
                    if (const auto* m = std::get_if<BuyerMessage>(&*row.record)) {
                        expect_clean_utf8(m->subject);
                        expect_clean_utf8(m->body);
                        expect_clean_utf8(fixtures().mail_rules.redact(m->body));
                    }
        } catch (const Error&) {
        }
    }
}

void mail_text(std::string_view bytes) {
    // The first line names a charset label, the rest is the text: as a header and as a body.
    const std::size_t eol = bytes.find('\n');
    const std::string_view label = eol == std::string_view::npos ? std::string_view() : bytes.substr(0, std::min<std::size_t>(eol, 40));
    const std::string_view text = eol == std::string_view::npos ? bytes : bytes.substr(eol + 1);
    expect_clean_utf8(decode_mail_header(text).text);
    expect_clean_utf8(decode_mail_text(text, label).text);
    expect_clean_utf8(html_to_text(decode_mail_text(text, label).text));
}

void classifier(std::string_view bytes) {
    // direction, subject and body are the first, second and remaining "lines".
    std::string_view parts[3];
    std::size_t i = 0;
    for (; i < 2; ++i) {
        const auto nl = bytes.find('\n');
        if (nl == std::string_view::npos) break;
        parts[i] = bytes.substr(0, nl);
        bytes.remove_prefix(nl + 1);
    }
    parts[i] = bytes;
    const auto& f = fixtures();
    const std::string own_text = f.mail_rules.unquoted(parts[2]);
    const auto c = f.classifier.classify(parts[0], parts[1], own_text);
    // A label other than "other" must name the phrase that decided it.
    if (c.label != "other" && !c.phrase) __builtin_trap();
    (void)f.mail_rules.redact(std::string(parts[2]));
}

void personal_info(std::string_view bytes) {
    // Comments reach the analysis as UTF-8 (the importers refuse anything else).
    if (!is_valid_utf8(bytes)) return;
    const auto& f = fixtures();
    const std::string text(bytes);
    (void)find_personal_info(text, {"田中"});
    for (const char* lang : {"ja", "en"}) {
        // Masking replaces whole characters: what it returns is still UTF-8.
        if (!is_valid_utf8(mask_personal_info(text, {"田中"}, lang, &f.masking))) __builtin_trap();
    }
}

void store_rated_order(Store& store, const std::string& order_id, const std::string& comment, int rating,
                       bool declined_and_shipped) {
    OrderLine o;
    o.order_id = order_id;
    o.purchased_at = "2026-10-09T12:14:05Z";
    o.last_updated_at = "2026-10-09T12:20:00Z";
    o.fulfillment = "merchant";
    o.sku = "SZ-MUG-01";
    o.ship_by = "2026-10-11T14:59:59Z";
    store.upsert(o);
    if (declined_and_shipped) {
        Shipment shipped;
        shipped.order_id = order_id;
        shipped.ship_date = "2026-10-11";
        shipped.carrier_name = "ヤマト運輸";
        shipped.tracking_number = "5894-5030-5373";
        store.upsert(shipped);
        store.upsert(ManualExpedite{order_id, "2026-10-09T13:30:00Z", "declined", "2026-10-10T00:05:00Z", std::nullopt});
    }
    store.upsert(FeedbackEntry{order_id, "2026-10-14", rating, comment, std::nullopt});
}

void draft(std::string_view bytes) {
    if (!is_valid_utf8(bytes)) return;
    const auto& f = fixtures();
    Store store(":memory:");
    const std::string id = "503-2417785-6630118";
    store_rated_order(store, id, std::string(bytes), 1, true);
    Correlator correlator(store, f.jp, f.shop, f.data, "ja", from_iso_date("2026-10-31"));
    const RatingCase c = *correlator.case_for(id);
    for (const auto& kind : DraftWriter::kinds()) {
        if (!DraftWriter::applies(c, kind)) continue;
        for (const std::string lang : {"ja", "en"}) {
            std::string text;
            try {
                text = f.drafts.write(c, kind, lang).text;
            } catch (const DraftLintError&) {
                continue;  // a refused draft says nothing
            }
            // Nothing that hides text or breaks a line other than the draft's own line feeds, and the
            // comment on one line, between the draft's only pair of quotation marks.
            if (!test::first_hidden(text).empty()) __builtin_trap();
            const std::string open = test::quote_opening(lang);
            const std::size_t at = text.find(open);
            if (at == std::string::npos) continue;
            if (test::occurrences(text, open) != 1 || !test::quote_line_problem(text.substr(at, text.find('\n', at) - at), lang).empty())
                __builtin_trap();
        }
    }
}

}  // namespace fbtrack::fuzz
