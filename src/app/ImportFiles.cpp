#include "app/ImportFiles.h"

#include "analysis/MessageClassifier.h"
#include "analysis/PersonalInfo.h"
#include "catalogue/ShopSettings.h"
#include "core/Errors.h"
#include "importers/ExportReader.h"
#include "importers/KeyOrderedSource.h"
#include "importers/MailSource.h"
#include "text/Dates.h"
#include "text/Encoding.h"
#include "text/LineReader.h"
#include "text/TerminalText.h"

#include <algorithm>
#include <sys/stat.h>

namespace fbtrack {

namespace {

// A folder's files in name order, and those of its subfolders (a downloads folder with a mail/
// folder in it): a Maildir as its messages. A link to a folder is not followed (as find does):
// one to / or /proc in a downloads folder would read the machine. `seen` guards against the rest.
void add_files_in(const std::filesystem::path& dir, std::vector<ImportFile>& files, std::set<std::filesystem::path>& seen,
                  int depth) {
    std::error_code ec;
    const auto real = std::filesystem::canonical(dir, ec);
    if (ec || !seen.insert(real).second) return;
    if (depth > 16)
        throw InputError(say("import.nested_too_deep", {{"folder", for_terminal(dir.string())}}));
    if (is_maildir(dir)) {
        for (auto& f : maildir_files(dir)) files.push_back({std::move(f.path), std::move(f.folder), {}, false, dir});
        return;
    }
    std::vector<std::filesystem::path> entries;
    std::filesystem::directory_iterator it(dir, ec);
    for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const auto& entry = *it;
        const auto name = entry.path().filename().string();
        if (name.empty() || name[0] == '.') continue;  // .DS_Store and friends
        // Thunderbird's folder indexes and filter rules sit beside its mailboxes.
        if (entry.path().extension() == ".msf" || name == "msgFilterRules.dat" || name == "popstate.dat") continue;
        std::error_code type_ec;
        if (entry.is_directory(type_ec) && entry.is_symlink(type_ec)) continue;
        if (entry.is_regular_file(type_ec) || entry.is_directory(type_ec)) entries.push_back(entry.path());
    }
    if (ec)
        throw MissingInputError(say("import.folder_unreadable", {{"folder", for_terminal(dir.string())}, {"reason", ec.message()}}));
    std::sort(entries.begin(), entries.end());
    for (const auto& e : entries) {
        if (std::filesystem::is_directory(e, ec)) add_files_in(e, files, seen, depth + 1);
        else files.push_back({e, {}, {}, false, dir});
    }
}

// A file is mail by where it lies (a Maildir), by its name (.eml, .mbox, a Thunderbird folder
// beside its .msf index), or else by its first lines.
std::optional<MailboxFormat> mailbox_format(const ImportFile& file) {
    if (!file.maildir_folder.empty()) return MailboxFormat::eml;
    std::string ext = file.path.extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".eml") return MailboxFormat::eml;
    if (ext == ".mbox" || ext == ".mbx") return MailboxFormat::mbox;
    std::error_code ec;
    if (std::filesystem::exists(file.path.string() + ".msf", ec)) return MailboxFormat::mbox;
    return sniff_mailbox(file.path);
}

MailboxPlace place_of(const ImportFile& file, MailboxFormat format) {
    MailboxPlace place = place_of_mailbox(file.path, format, file.maildir_folder);
    place.live = file.live;
    return place;
}

std::optional<MailboxFormat> read_as_mail(const ImportFile& file, const ImportRequest& options) {
    if (options.kind && *options.kind != ImportKind::messages) return std::nullopt;
    return mailbox_format(file);
}

// `hash_content`: an export's SHA-256 is computed while it is read (content_sha256()).
std::unique_ptr<RecordSource> open_source(const ImportFile& file, const LayoutCatalog& catalog,
                                          const ImportRequest& options, const AppContext& context,
                                          const MailRules& mail_rules, ShopAddressBook& addresses, PhaseTimes* timings,
                                          bool hash_content) {
    if (const auto format = read_as_mail(file, options))
        return std::make_unique<MailSource>(file.path, *format, mail_rules,
                                            place_of(file, *format), addresses);
    auto reader = std::make_unique<ExportReader>(file.path, catalog, options.kind, context.marketplace, timings,
                                                 hash_content);
    if (reader->kind() != ImportKind::orders && reader->kind() != ImportKind::shipments) return reader;
    // Sorted by order ID so that the store's tables are written front to back; the rows that do
    // not fit in memory wait beside the database, on the disk that needs that room anyway.
    const auto& folder = context.work_folder;
    std::error_code ec;
    return std::make_unique<KeyOrderedSource>(std::move(reader), std::filesystem::is_directory(folder, ec)
                                                                     ? folder
                                                                     : std::filesystem::temp_directory_path(),
                                              timings, options.sort_run_bytes.value_or(KeyOrderedSource::default_run_bytes));
}

// The shop's addresses as far as they are known: shop.json, earlier imports, and what the headers
// of the mail about to be imported teach (so that the order of files and messages does not matter).
ShopAddressBook shop_addresses(Store& store, const ShopSettings& shop, const std::vector<ImportFile>& files,
                               const std::vector<bool>& to_read, const MailRules& rules, const ImportRequest& options) {
    ShopAddressBook book;
    for (const auto& a : shop.own_addresses) book.add(mail_address(a), "shop.json");
    for (const auto& [address, from] : store.messaging().shop_addresses()) book.add(address, from);
    book.forget_learnt();
    if (options.kind && *options.kind != ImportKind::messages) return book;
    for (std::size_t i = 0; i < files.size(); ++i)
        if (to_read[i])
            if (const auto format = mailbox_format(files[i]))
                learn_shop_addresses(files[i].path, *format, place_of(files[i], *format), rules, book);
    return book;
}

// Mail is stored without the buyer's name, greeting, address blocks, phone numbers and e-mail
// addresses, whatever it came from (mail or the seller's CSV log).
void protect_personal_data(BuyerMessage& m, const MailRules& rules, const std::vector<std::string>& staff_names,
                           const std::string& lang, const MaskingRules& masking) {
    m.subject = mask_personal_info(rules.redact(m.subject), staff_names, lang, &masking);
    m.body = mask_personal_info(rules.redact(m.body), staff_names, lang, &masking);
}

// Phrase lists are data and may have been edited: classifications made with older lists are redone.
std::size_t reclassify_if_phrases_changed(Store& store, const MessageClassifier& classifier, const MailRules& rules) {
    if (store.settings().get("classifier_version") == classifier.version()) return 0;
    std::size_t changed = 0;
    for (const auto& m : store.messaging().messages(std::nullopt, true)) {
        const auto c = classifier.classify(m.direction, m.subject, rules.unquoted(m.body));
        if (c.label != m.classification || c.phrase != m.phrase) {
            store.messaging().set_classification(m.message_key, c.label, c.phrase);
            ++changed;
        }
    }
    store.settings().set("classifier_version", classifier.version());
    return changed;
}

}  // namespace

std::vector<ImportFile> expand_import_paths(const std::vector<std::filesystem::path>& paths) {
    namespace fs = std::filesystem;
    std::vector<ImportFile> files;
    for (const auto& p : paths) {
        std::error_code ec;
        if (!fs::exists(p, ec)) throw MissingInputError(say("file.no_such_file_or_folder", {{"file", p.string()}}));
        if (fs::is_directory(p, ec)) {
            std::set<std::filesystem::path> seen;
            add_files_in(p, files, seen, 0);
        } else if (fs::is_regular_file(p, ec)) {
            files.push_back({p, {}, {}, false, {}});
        } else {
            // /dev/zero or a pipe would be read for ever, holding the database's write lock.
            throw InputError(say("file.not_regular_for_import", {{"file", p.string()}}));
        }
    }
    return files;
}

namespace {

// What tells that a file changed: its size, its modification time to the nanosecond, its inode.
struct FileIdentity {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t inode = 0;
    bool operator==(const FileIdentity&) const = default;
};

FileIdentity identity_of(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return {};
    return {static_cast<std::uintmax_t>(st.st_size), static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
            static_cast<std::uint64_t>(st.st_ino)};
}

}  // namespace

ImportReport import_files(const AppContext& context, const ImportRequest& options, ImportListener& listener) {
    const auto& files = options.files;
    if (files.empty()) throw MissingInputError(say("import.no_files"));

    std::optional<ImportRules> own_rules;
    if (!options.rules) own_rules.emplace(ImportRules::load(context.data));
    const ImportRules& rules = options.rules ? *options.rules : *own_rules;
    const auto& catalog = rules.layouts;
    const auto& mail_rules = rules.mail;
    const auto& classifier = rules.classifier;
    const auto& masking = rules.masking;
    const ShopSettings& shop = context.shop;
    Store& store = context.store;
    const std::string imported_at = to_iso_utc(context.now);
    PhaseTimes* const timings = options.timings;
    ImportReport report;
    report.dry_run = options.dry_run;
    report.skipped_bad_rows = options.skip_bad_rows;

    store.database().prepare_for_bulk_load();
    Store::Transaction tx(store, Store::Transaction::DamageCheck::later);

    // A file is known by its SHA-256. An export that cannot be one imported before (no import had
    // its size, no other file of this run has it) is hashed while it is read: one read, not two.
    // Any other file is hashed first, so that one imported before is not read at all.
    std::vector<std::string> shas;  // empty: hashed while read
    std::vector<bool> to_read;
    std::vector<FileIdentity> identities;
    std::map<std::uintmax_t, int> files_of_size;
    for (const auto& file : files) ++files_of_size[identities.emplace_back(identity_of(file.path)).size];
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto size = identities[i].size;
        if (files_of_size[size] == 1 && !read_as_mail(files[i], options) && !store.imports().may_have_imported(size)) {
            shas.emplace_back();
            to_read.push_back(true);
            continue;
        }
        PhaseTimes::Scope hashing(timings, PhaseTimes::hash);
        shas.push_back(sha256_of_file(files[i].path));
        to_read.push_back(!store.imports().find_import(shas.back()));
    }
    // Reading every page for damage costs as much as a small import: a run that only finds its
    // files imported already writes no more than its settings, and skips it.
    if (std::find(to_read.begin(), to_read.end(), true) != to_read.end()) store.database().check_for_damage();
    // A row of an order export is a few hundred bytes: a generous count of the rows to come.
    std::uint64_t export_bytes = 0;
    for (std::size_t i = 0; i < files.size(); ++i)
        if (to_read[i] && !read_as_mail(files[i], options)) export_bytes += identities[i].size;
    const auto deferred_indexes = store.database().defer_indexes_for_bulk_load(export_bytes / 100);
    if (!store.settings().get("marketplace")) store.settings().set("marketplace", context.marketplace.code);
    // A shop's first import keeps the settings it was run with (the default ones) in its database.
    if (!store.settings().get("shop")) {
        store.settings().set("shop", shop.to_json());
        report.adopted_shop_settings = true;
    }
    report.reclassified = reclassify_if_phrases_changed(store, classifier, mail_rules);
    if (report.reclassified) listener.reclassified(report.reclassified);
    ShopAddressBook addresses = shop_addresses(store, shop, files, to_read, mail_rules, options);

    for (const auto& file : files)
        if (!file.found_in.empty() && std::find(report.folders_read.begin(), report.folders_read.end(), file.found_in) ==
                                          report.folders_read.end())
            report.folders_read.push_back(file.found_in);
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& file = files[i];
        const std::string& sha = shas[i];
        ImportedFile done;
        done.path = file.path;
        done.journal_name = file.journal_name;
        if (const auto earlier = sha.empty() ? std::nullopt : store.imports().find_import(sha)) {
            ++report.imported_before;
            done.outcome = ImportedFile::Outcome::imported_before;
            done.earlier_name = earlier->file_name;
            done.earlier_at = earlier->imported_at;
            listener.file_done(report.files.emplace_back(std::move(done)));
            continue;
        }
        if (!file.maildir_folder.empty()) report.maildir_folders.insert(file.maildir_folder);
        // Under --skip-bad-rows a file that cannot be read at all is undone alone and kept on record.
        Store::Savepoint savepoint(store);
        try {
            std::unique_ptr<RecordSource> source;
            try {
                source = open_source(file, catalog, options, context, mail_rules, addresses, timings, sha.empty());
            } catch (const InputError& e) {
                // Beside the month's downloads lie other files (a README, an invoice as PDF): one
                // that is neither a known export nor mail is passed over, and named.
                if (file.found_in.empty()) throw;
                ++report.not_recognised;
                done.outcome = ImportedFile::Outcome::not_recognised;
                done.reason = e.found().empty() ? std::string(e.what()) : e.found();
                listener.file_done(report.files.emplace_back(std::move(done)));
                continue;
            }
            JournalEntry entry;
            entry.file_name = valid_utf8(file.journal_name.empty() ? file.path.filename().string() : file.journal_name);
            entry.sha256 = sha;
            entry.imported_at = imported_at;
            entry.kind = std::string(kind_name(source->kind()));
            entry.layout = source->layout_label();
            entry.encoding = source->encoding_label();
            entry.size_bytes = identities[i].size;
            const std::int64_t import_id = store.imports().begin_import(entry);
            const bool mailbox = !source->fixable_by_seller();

            ImportCounts counts;
            const auto size = source->file_size();
            const auto tell_progress = [&] { listener.reading(file.path, source->bytes_consumed(), size); };
            source->while_reading(tell_progress);
            ImportedRow row;
            std::size_t rows = 0;
            auto next_row = [&] {
                PhaseTimes::Scope parsing(timings, PhaseTimes::parse);
                return source->next(row);
            };
            while (next_row()) {
                if ((++rows & 0xFFF) == 0) tell_progress();
                if (row.ignored) {
                    ++counts.ignored;
                    if (row.unknown_sender) ++report.unknown_senders[*row.unknown_sender];
                    continue;
                }
                if (row.problem) {
                    ++counts.rejected;
                    if (mailbox) {
                        report.kept.add({file.path, row.line, row.problem->reason});
                        store.imports().add_rejected_row(import_id, row.problem->line, row.problem->reason, row.problem->text);
                        continue;
                    }
                    report.bad_rows.add({file.path, row.line, row.problem->reason, false, row.problem->said});
                    if (options.skip_bad_rows)
                        store.imports().add_rejected_row(import_id, row.problem->line, row.problem->reason, row.problem->text);
                    continue;
                }
                if (auto* message = std::get_if<BuyerMessage>(&*row.record)) {
                    protect_personal_data(*message, mail_rules, shop.staff_names, context.lang, masking);
                    const auto c = classifier.classify(message->direction, message->subject, mail_rules.unquoted(message->body));
                    message->classification = c.label;
                    message->phrase = c.phrase;
                }
                PhaseTimes::Scope inserting(timings, PhaseTimes::insert);
                const RowOutcome outcome = std::visit([&](const auto& record) { return store.upsert(record); }, *row.record);
                counts.count(outcome);
                if (outcome == RowOutcome::conflicting)
                    report.conflicts.add({file.path, row.line, std::get<BuyerMessage>(*row.record).message_key});
            }
            // A file still being written (a download, a sync client) would be half imported under
            // the hash of what it was at first, and its rest never read: refused, nothing kept.
            if (identity_of(file.path) != identities[i])
                throw InputError(say("import.file_changed", {{"file", for_terminal(file.path.string())}}));
            // The encoding may only be known after the first non-ASCII line.
            entry.encoding = source->encoding_label();
            std::string content_sha = sha;
            if (content_sha.empty()) {
                const auto hashed = source->content_sha256();
                content_sha = hashed ? *hashed : sha256_of_file(file.path);
            }
            store.imports().finish_import(import_id, counts, entry.encoding, content_sha);
            ++report.files_read;
            report.rows += rows;
            report.totals.added += counts.added;
            report.totals.updated += counts.updated;
            report.totals.unchanged += counts.unchanged;
            report.totals.rejected += counts.rejected;
            report.totals.ignored += counts.ignored;
            report.totals.conflicting += counts.conflicting;
            savepoint.release();
            done.kind = entry.kind;
            done.title = source->title();
            done.title_ja = source->title_ja();
            done.layout = entry.layout;
            done.encoding = entry.encoding;
            done.mailbox = mailbox;
            done.rows = rows;
            done.counts = counts;
            listener.file_done(report.files.emplace_back(std::move(done)));
        } catch (const InputError& e) {
            if (!options.skip_bad_rows) throw;
            // Nothing of the file stays but the record that it was skipped; the hash is kept apart
            // so that the file is read again once it can be.
            JournalEntry skipped;
            skipped.file_name = valid_utf8(file.journal_name.empty() ? file.path.filename().string() : file.journal_name);
            skipped.sha256 = "skipped:" + (sha.empty() ? sha256_of_file(file.path) : sha);
            skipped.size_bytes = identities[i].size;
            skipped.imported_at = imported_at;
            store.imports().record_unreadable(skipped, e.what(), "(the whole file)");
            savepoint.release();
            report.kept.add({file.path, 0, e.what(), true});
            done.outcome = ImportedFile::Outcome::unreadable;
            done.reason = e.what();
            listener.file_done(report.files.emplace_back(std::move(done)));
        }
    }
    for (const auto& [address, where] : addresses.learnt()) {
        store.messaging().add_shop_address(address, where);
        report.learnt_addresses.emplace_back(address, where);
    }
    if (report.refused() || options.dry_run) return report;  // the transaction rolls back
    {
        PhaseTimes::Scope indexing(timings, PhaseTimes::index);
        store.database().build_deferred_indexes(deferred_indexes);
    }
    if (options.before_commit) options.before_commit(store);
    {
        PhaseTimes::Scope committing(timings, PhaseTimes::commit);
        tx.commit();
    }
    return report;
}

}  // namespace fbtrack
