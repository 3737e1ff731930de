#include "commands/ImportCommand.h"

#include "core/Errors.h"
#include "text/TerminalText.h"

#include <iostream>
#include <unistd.h>

namespace fbtrack {

namespace {

constexpr std::uint64_t progress_threshold = 4u << 20;  // show progress for files over 4 MiB

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string where(const ImportNote& note) { return for_terminal(note.file.string()) + ":" + std::to_string(note.line); }

void print_list(std::ostream& out, const std::vector<std::string>& list, std::size_t count) {
    for (const auto& line : list) out << "  " << line << "\n";
    if (count > list.size()) out << "  … and " << (count - list.size()) << " more\n";
}

// A reused Message-ID as the seller knows it; a message without one by fbtrack's key.
std::string message_shown(const std::string& key) {
    if (key.rfind("mid:", 0) == 0) return key.substr(4);
    return "the message with key " + key;
}

}  // namespace

ImportPrinter::~ImportPrinter() { end_progress(); }

void ImportPrinter::end_progress() {
    if (progress_shown_ >= 0) err_ << "\r\033[K" << std::flush;
    progress_shown_ = -1;
    progress_file_.clear();
}

void ImportPrinter::reclassified(std::size_t messages) {
    out_ << "The phrase lists have changed: " << messages << " stored messages were classified again\n";
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

void ImportPrinter::file_done(const ImportedFile& file) {
    end_progress();
    const std::string shown = for_terminal(file.journal_name.empty() ? file.path.string() : file.journal_name);
    switch (file.outcome) {
    case ImportedFile::Outcome::imported_before:
        if (line_per_file_)
            out_ << shown << ": already imported (same content as " << for_terminal(file.earlier_name) << ", "
                 << file.earlier_at << "): nothing to do\n";
        return;
    case ImportedFile::Outcome::unreadable:
        out_ << for_terminal(file.path.string()) << ": skipped, it cannot be read (kept on record)\n";
        return;
    case ImportedFile::Outcome::not_recognised:
        out_ << for_terminal(file.path.string()) << ": passed over: neither a known export nor mail (found "
             << for_terminal(file.reason, 200) << ")\n";
        return;
    case ImportedFile::Outcome::imported:
        break;
    }
    if (!line_per_file_) return;
    const auto& counts = file.counts;
    out_ << shown << ": " << file.kind << " (" << file.title << "; " << file.layout << "), " << file.encoding << ": "
         << (file.mailbox ? plural(file.rows, "message", "messages") : plural(file.rows, "row", "rows")) << ", "
         << counts.added << " added, " << counts.updated << " updated, " << counts.unchanged << " unchanged, "
         << counts.rejected << " rejected";
    if (counts.ignored) out_ << ", " << counts.ignored << " ignored (not buyer-seller mail)";
    if (counts.conflicting) out_ << ", " << counts.conflicting << " conflicting (Message-ID reused)";
    out_ << "\n";
}

void ImportPrinter::summary(const ImportReport& report, const Catalogue& data) {
    auto& out = out_;
    const auto& totals = report.totals;
    if (!line_per_file_ && report.files_read + report.imported_before) {
        out << plural(report.files_read + report.imported_before, "message", "messages") << " read";
        if (report.imported_before) out << " (" << report.imported_before << " of them stored before)";
        out << ": " << totals.added << " added, " << totals.updated << " updated, " << totals.unchanged << " unchanged, "
            << totals.rejected << " rejected";
        if (totals.ignored) out << ", " << totals.ignored << " ignored (not buyer-seller mail)";
        if (totals.conflicting) out << ", " << totals.conflicting << " conflicting (Message-ID reused)";
        out << "\n";
    }
    for (const auto& [address, learnt_from] : report.learnt_addresses)
        out << "The shop's mail address " << for_terminal(address, 200) << " was learnt (" << for_terminal(learnt_from, 200)
            << ")\n";
    if (!report.folders_read.empty() && line_per_file_) {
        out << "Folders read:";
        for (const auto& f : report.folders_read) out << " " << for_terminal(f.string());
        out << "\n";
    }
    if (!report.maildir_folders.empty() && line_per_file_) {
        out << "Maildir folders read:";
        for (const auto& f : report.maildir_folders) out << " " << for_terminal(f, 200);
        out << "\n";
    }
    if (!report.unknown_senders.empty()) {
        std::size_t total = 0;
        for (const auto& [address, n] : report.unknown_senders) total += n;
        out << plural(total, "message", "messages")
            << " to a marketplace address came from an address not known as the shop's, so they do not count as "
               "your replies:\n";
        std::size_t shown = 0;
        for (const auto& [address, n] : report.unknown_senders)
            if (shown++ < ImportNotes::shown_most) out << "  " << for_terminal(address) << " (" << n << ")\n";
        out << "Hint: if one of them is yours, add it to \"own_addresses\" in " << data.file("shop.json").string()
            << " and import the mail again\n";
    }
    if (report.conflicts.count) {
        out << plural(report.conflicts.count, "message reuses", "messages reuse")
            << " a Message-ID stored already with other content (kept as first stored):\n";
        std::vector<std::string> lines;
        for (const auto& c : report.conflicts.shown)
            lines.push_back(where(c) + ": " + for_terminal(message_shown(c.detail), 200) +
                            " is stored already with other content; the first copy is kept");
        print_list(out, lines, report.conflicts.count);
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
    if (report.bad_rows.count)
        out << plural(report.bad_rows.count, "row was", "rows were") << " rejected and recorded; 'fbtrack status' lists them\n";
    if (report.kept.count) {
        out << report.kept.count << " unreadable (kept on record, not imported; 'fbtrack status' lists them), the rest "
            << "was imported:\n";
        std::vector<std::string> lines;
        for (const auto& k : report.kept.shown)
            lines.push_back(k.whole_file ? for_terminal(k.file.string()) + ": skipped: " + for_terminal(k.detail, 400)
                                         : where(k) + ": " + for_terminal(k.detail));
        print_list(out, lines, report.kept.count);
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

    ImportPrinter printer(session.out(), session.err(), true);
    const ImportReport report = import_files(session.app_context(), request, printer);
    printer.summary(report, session.data());
    if (report.dry_run) {
        session.out() << "Dry run: nothing was written to " << for_terminal(session.options().db_path.string()) << "\n";
        print_timings();
        return;
    }
    print_timings();
    if (report.adopted_shop_settings) session.announce_adopted_settings();
}

}  // namespace fbtrack
