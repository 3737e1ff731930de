#pragma once
// The bodies of the fuzz targets. Each takes arbitrary bytes and must either succeed or fail with
// one of fbtrack's named errors; anything else (a crash, a sanitizer report, another exception)
// is a bug. The same functions run in three places: the libFuzzer binaries (tests/fuzz/*Fuzzer.cpp),
// and the regular test suite, which replays the seed corpus and every crash ever found.
#include <string>
#include <string_view>

namespace fbtrack {
class Store;
}

namespace fbtrack::fuzz {

// Fills `store` with one merchant order of 2026-10-09 (ship-by 2026-10-11) rated on 2026-10-14
// with `comment`. With `declined_and_shipped`, the buyer's request to ship faster was declined
// and the order shipped on time, so that every kind of draft applies. Shared by the Draft target
// and the property tests.
void store_rated_order(Store& store, const std::string& order_id, const std::string& comment, int rating,
                       bool declined_and_shipped);

// An export file: encoding detection, line splitting, the table reader and every layout's
// row conversion, read once as amazon.co.jp and once as amazon.com.
void export_file(std::string_view bytes);
// The date and time parsers on one value, in both marketplaces' zones and date orders.
void dates(std::string_view bytes);
// A mailbox: mbox splitting, MIME parsing, charset decoding, redaction and conversion. Messages
// are read best effort; what comes out is valid UTF-8 without ESC or NUL.
void mail(std::string_view bytes);
// Header and body text in any charset label (first line: the label): always clean UTF-8.
void mail_text(std::string_view bytes);
// The phrase classifier: "direction \n subject \n body", plus quote stripping and redaction.
void classifier(std::string_view bytes);
// Personal data in a buyer's comment: finding and masking e-mails, phones, names and addresses.
void personal_info(std::string_view bytes);
// A buyer's comment in every kind of draft, both languages: valid UTF-8, nothing hidden, and the
// comment on its one quoted line between the draft's only pair of quotation marks.
void draft(std::string_view bytes);

}  // namespace fbtrack::fuzz
