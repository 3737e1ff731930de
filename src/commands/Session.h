#pragma once
// What every command needs: the options given before the command, the data folder, the store
// and the marketplace it is remembered for.
#include "core/Clock.h"
#include "core/Marketplace.h"
#include "store/Store.h"
#include "text/Dates.h"

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

namespace fbtrack {

struct GlobalOptions {
    std::filesystem::path db_path;
    std::optional<std::string> marketplace;  // as given with --marketplace
    std::optional<std::string> lang;
    std::optional<std::string> today;  // YYYY-MM-DD
    // $FBTRACK_MAX_DB_PAGES: a cap on the database's size in pages, so that a full disk can be
    // tried out (the tests do) without filling one.
    std::optional<long long> max_db_pages;
};

// A YYYY-MM-DD command-line value, or a UsageError naming the option.
Date date_option(const std::string& option, const std::string& text);

class Session {
public:
    Session(const GlobalOptions& options, std::ostream& out, std::ostream& err);

    Store& store() { return *store_; }
    const Marketplace& marketplace() const { return marketplace_; }
    const std::filesystem::path& data_dir() const { return data_dir_; }
    const Clock& clock() const { return clock_; }
    std::string lang() const;
    std::ostream& out() { return out_; }
    std::ostream& err() { return err_; }
    const GlobalOptions& options() const { return options_; }
    // Remember the marketplace in the database (inside the caller's transaction).
    void remember_marketplace();

private:
    GlobalOptions options_;
    std::ostream& out_;
    std::ostream& err_;
    std::filesystem::path data_dir_;
    Clock clock_;
    std::unique_ptr<Store> store_;
    Marketplace marketplace_;
};

}  // namespace fbtrack
