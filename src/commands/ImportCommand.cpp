#include "commands/ImportCommand.h"

#include "app/Words.h"
#include "core/Errors.h"
#include "importers/MailSource.h"
#include "text/TerminalText.h"

#include <iostream>
#include <unistd.h>

namespace fbtrack {

namespace {

constexpr std::uint64_t progress_threshold = 4u << 20;  // show progress for files over 4 MiB

std::string where(const ImportNote& note) { return for_terminal(note.file.string()) + ":" + std::to_string(note.line); }

void print_list(std::ostream& out, const Sentences& words, const std::vector<std::string>& list, std::size_t count) {
    for (const auto& line : list) out << "  " << line << "\n";
    if (count > list.size()) out << words("more", {{"count", std::to_string(count - list.size())}}) << "\n";
}

// A reused Message-ID as the seller knows it; a message without one by fbtrack's key.
std::string message_shown(const Sentences& words, const std::string& key) {
    if (key.rfind("mid:", 0) == 0) return key.substr(4);
    return words("import_message_key", {{"key", key}});
}

// "2 added, 0 updated, …" and what mail adds to it.
std::string counts_shown(const Sentences& words, const ImportCounts& counts) {
    std::string shown = words("import_counts", {{"added", std::to_string(counts.added)},
                                                {"updated", std::to_string(counts.updated)},
                                                {"unchanged", std::to_string(counts.unchanged)},
                                                {"rejected", std::to_string(counts.rejected)}});
    if (counts.ignored) shown += words("import_ignored", {{"count", std::to_string(counts.ignored)}});
    if (counts.conflicting) shown += words("import_conflicting", {{"count", std::to_string(counts.conflicting)}});
    return shown;
}

}  // namespace

ImportPrinter::~ImportPrinter() { end_progress(); }

void ImportPrinter::end_progress() {
    if (progress_shown_ >= 0) err_ << "\r\033[K" << std::flush;
    progress_shown_ = -1;
    progress_file_.clear();
}

void ImportPrinter::reclassified(std::size_t messages) {
    out_ << words_("import_reclassified", {{"messages", std::to_string(messages)}}) << "\n";
}

void ImportPrinter::reading(const std::filesystem::path& file, std::uint64_t done, std::uint64_t size) {
    if (size <= progress_threshold || !::isatty(STDERR_FILENO)) return;
    if (file != progress_file_) {
        end_progress();
        progress_file_ = file;
    }
    const int percent = static_cast<int>(done * 100 / std::max<std::uint64_t>(size, 1));
    if (percent == progress_shown_) return;
    progress_shown_ = percent;
    err_ << "\r  " << file.filename().string() << ": " << percent << " %" << std::flush;
}

// The sentences come from a data file the seller may have edited: shown as a terminal cannot act on.
void ImportPrinter::file_done(const ImportedFile& file) {
    end_progress();
    const std::string shown = file.journal_name.empty() ? file.path.string() : file.journal_name;
    switch (file.outcome) {
    case ImportedFile::Outcome::imported_before:
        if (line_per_file_)
            out_ << for_terminal(words_("import_already", {{"file", shown}, {"earlier", file.earlier_name}, {"at", file.earlier_at}}))
                 << "\n";
        return;
    case ImportedFile::Outcome::unreadable:
        out_ << for_terminal(words_("import_unreadable", {{"file", file.path.string()}})) << "\n";
        return;
    case ImportedFile::Outcome::not_recognised:
        out_ << for_terminal(words_("import_passed_over", {{"file", file.path.string()}, {"found", for_terminal(file.reason, 200)}}))
             << "\n";
        return;
    case ImportedFile::Outcome::imported:
        break;
    }
    if (!line_per_file_) return;
    out_ << for_terminal(words_("import_file", {{"file", shown},
                                                {"kind", word_for(words_, "kind", file.kind)},
                                                {"title", file.title},
                                                {"layout", layout_shown(words_, file.layout)},
                                                {"encoding", file.encoding},
                                                {"count", counted(words_, file.mailbox ? "messages" : "rows", file.rows)},
                                                {"counts", counts_shown(words_, file.counts)}}))
         << "\n";
}

void ImportPrinter::summary(const ImportReport& report, const Catalogue& data) {
    auto& out = out_;
    const Sentences& words = words_;
    const auto& totals = report.totals;
    if (!line_per_file_ && report.files_read + report.imported_before) {
        std::string read = words("import_read", {{"count", counted(words, "messages", report.files_read + report.imported_before)}});
        if (report.imported_before) read += words("import_read_before", {{"count", std::to_string(report.imported_before)}});
        out << for_terminal(words("import_read_counts", {{"read", read}, {"counts", counts_shown(words, totals)}})) << "\n";
    }
    for (const auto& [address, learnt_from] : report.learnt_addresses) {
        const auto folder = ShopAddressBook::buyer_mail_folder(learnt_from);
        const std::string from = folder ? words("import_learnt_buyer_mail", {{"folder", *folder}}) : learnt_from;
        out << for_terminal(words("import_learnt", {{"address", for_terminal(address, 200)}, {"from", for_terminal(from, 200)}})) << "\n";
    }
    if (!report.folders_read.empty() && line_per_file_) {
        out << for_terminal(words("import_folders"));
        for (const auto& f : report.folders_read) out << " " << for_terminal(f.string());
        out << "\n";
    }
    if (!report.maildir_folders.empty() && line_per_file_) {
        out << for_terminal(words("import_maildir_folders"));
        for (const auto& f : report.maildir_folders) out << " " << for_terminal(f, 200);
        out << "\n";
    }
    if (!report.unknown_senders.empty()) {
        std::size_t total = 0;
        for (const auto& [address, n] : report.unknown_senders) total += n;
        out << for_terminal(words("import_unknown_senders", {{"count", counted(words, "messages", total)}})) << "\n";
        std::size_t shown = 0;
        for (const auto& [address, n] : report.unknown_senders)
            if (shown++ < ImportNotes::shown_most) out << "  " << for_terminal(address) << " (" << n << ")\n";
        out << for_terminal(words("import_unknown_hint", {{"file", data.file("shop.json").string()}})) << "\n";
    }
    if (report.conflicts.count) {
        out << for_terminal(counted(words, "import_conflicts", report.conflicts.count)) << "\n";
        std::vector<std::string> lines;
        for (const auto& c : report.conflicts.shown)
            lines.push_back(for_terminal(words("import_conflict", {{"where", where(c)},
                                                                   {"message", for_terminal(message_shown(words, c.detail), 200)}})));
        print_list(out, words, lines, report.conflicts.count);
    }
    if (report.refused()) {
        std::vector<Said> message{say(report.bad_rows.count == 1 ? "rows.refused.one" : "rows.refused.many",
                                      {{"count", std::to_string(report.bad_rows.count)}})};
        for (const auto& p : report.bad_rows.shown)
            message.push_back(joined({"\n  " + where(p) + ": ", p.said.empty() ? Said(p.detail) : p.said}));
        if (report.bad_rows.count > report.bad_rows.shown.size())
            message.push_back(say("rows.more", {{"count", std::to_string(report.bad_rows.count - report.bad_rows.shown.size())}}));
        message.push_back(say("rows.refused.hint"));
        throw InputError(joined(std::move(message)));
    }
    if (report.bad_rows.count) out << for_terminal(counted(words, "import_bad_rows", report.bad_rows.count)) << "\n";
    if (report.kept.count) {
        out << for_terminal(words("import_kept", {{"count", std::to_string(report.kept.count)}})) << "\n";
        std::vector<std::string> lines;
        for (const auto& k : report.kept.shown)
            lines.push_back(k.whole_file ? for_terminal(words("import_kept_file", {{"file", k.file.string()}, {"detail", for_terminal(k.detail, 400)}}))
                                         : where(k) + ": " + for_terminal(k.detail));
        print_list(out, words, lines, report.kept.count);
    }
}

void run_import(Session& session, const ImportOptions& options) {
    if (options.paths.empty()) throw UsageError(say("import.nothing_named"));
    ImportRequest request;
    request.files = expand_import_paths(options.paths);
    request.kind = options.kind;
    request.dry_run = options.dry_run;
    request.skip_bad_rows = options.skip_bad_rows;
    request.sort_run_bytes = options.sort_run_bytes;
    PhaseTimes times;
    if (options.timings) request.timings = &times;
    const auto print_timings = [&] {
        if (options.timings) session.err() << "timings: " << times.summary() << "\n";
    };

    const Sentences words = output_words(session.data(), session.lang());
    ImportPrinter printer(session.out(), session.err(), words, true);
    const ImportReport report = import_files(session.app_context(), request, printer);
    printer.summary(report, session.data());
    if (report.dry_run) {
        session.out() << for_terminal(words("import_dry_run", {{"database", session.options().db_path.string()}})) << "\n";
        print_timings();
        return;
    }
    print_timings();
    if (report.adopted_shop_settings) session.announce_adopted_settings();
}

}  // namespace fbtrack
