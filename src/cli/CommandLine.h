#pragma once
// What the command line decides, and the functions that add each command's options to it: one
// file per command (ImportOptions.cpp, MailOptions.cpp, …), so that each stays short and the
// front ends to come find the options beside nothing else.
#include "commands/Session.h"
#include "commands/MailCommand.h"

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <utility>
#include <vector>
#include <optional>

namespace CLI {
class App;
}

namespace fbtrack {

struct CommandLine {
    GlobalOptions global;
    std::function<void(Session&)> command;
    std::function<void()> without_database;  // commands that open no database of their own
    bool stoppable = false;  // talks to servers: SIGINT and SIGTERM stop it at a safe point, exit 0
    bool restoring = false;  // restore: a database too damaged to open is moved aside first
    std::ostream& out;

    // A command's options, kept as long as the command line: its callbacks fill them in.
    template <class T, class... Args>
    T& make(Args&&... args) {
        auto kept = std::make_shared<T>(std::forward<Args>(args)...);
        storage.push_back(kept);
        return *kept;
    }
    std::vector<std::shared_ptr<void>> storage;
};

// Each adds its commands, with options that live as long as `app`; a callback sets `line`.
void add_init_commands(CLI::App& app, CommandLine& line);  // init
void add_import_commands(CLI::App& app, CommandLine& line);  // import
void add_status_commands(CLI::App& app, CommandLine& line);  // status and messages
void add_expedite_commands(CLI::App& app, CommandLine& line);  // expedite
void add_feedback_commands(CLI::App& app, CommandLine& line);  // feedback, appeal and appeals
void add_report_commands(CLI::App& app, CommandLine& line);  // report
void add_calendar_commands(CLI::App& app, CommandLine& line);  // calendar
void add_shop_commands(CLI::App& app, CommandLine& line);  // shops, shop and data
void add_backup_commands(CLI::App& app, CommandLine& line);  // backup and restore
void add_mail_commands(CLI::App& app, CommandLine& line);  // mail and fetch
void add_notify_commands(CLI::App& app, CommandLine& line);  // notify and watch
void add_risk_commands(CLI::App& app, CommandLine& line);  // risk
void add_serve_commands(CLI::App& app, CommandLine& line);  // serve

// The environment's settings that commands read: a positive number (`what` names its unit), or
// nothing when unset; the deadlines against the seller's mail servers.
std::optional<long long> positive_number_from(const char* variable, const char* what);
ImapLimits server_limits();
std::chrono::seconds round_timeout();
std::chrono::seconds smtp_deadline();

}  // namespace fbtrack
