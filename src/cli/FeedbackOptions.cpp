// The command line of feedback, appeal and appeals: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/FeedbackCommand.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_feedback_commands(CLI::App& app, CommandLine& line) {
    auto& feedback_options = line.make<FeedbackOptions>();
    auto* feedback = app.add_subcommand("feedback", "negative and neutral ratings with the evidence and an honest verdict");
    feedback->add_flag("--json", feedback_options.json, "a JSON array");
    feedback->add_option("--month", feedback_options.month, "only ratings posted in this month (YYYY-MM)");
    feedback->callback([&] { line.command = [&](Session& s) { run_feedback(s, feedback_options); }; });

    auto& appeal_options = line.make<AppealOptions>();
    auto* appeal = app.add_subcommand("appeal", "print a draft to paste into Seller Central, or record an outcome");
    appeal->add_option("ORDER-ID", appeal_options.order_id, "the rated order, or its last digits (at least 7)")->required();
    appeal->add_option("--kind", appeal_options.kind, "removal (default), reply or buyer")
        ->check(CLI::IsMember({"removal", "reply", "buyer"}));
    auto* mark = appeal->add_option("--mark", appeal_options.mark, "record that the request was submitted, or its outcome (not_submitted takes the record back)")
        ->check(CLI::IsMember({"submitted", "removed", "refused", "not_submitted"}));
    appeal->add_flag("--copy", appeal_options.copy,
                     "put the draft on the clipboard too (wl-copy, xclip or xsel; else the terminal's, OSC 52)")
        ->excludes(mark);
    appeal->callback([&] { line.command = [&](Session& s) { run_appeal(s, appeal_options); }; });

    auto& appeals_options = line.make<AppealsOptions>();
    auto* appeals = app.add_subcommand("appeals", "write every open rating's drafts as .txt files, in the shop's language (--lang for the other)");
    appeals->add_option("--out", appeals_options.out_dir, "folder for the files")->required();
    appeals->callback([&] { line.command = [&](Session& s) { run_appeals(s, appeals_options); }; });
}

}  // namespace fbtrack
