#pragma once
// Every data file fbtrack reads (layouts, mail rules, phrases, masking, holidays, calendars,
// templates, quotes, marketplaces), found once per process: the seller's own copy in
// ~/.config/fbtrack where there is one, else the shipped file. Each file is read and parsed at
// most once and kept; whoever reads it takes its values through a JsonNode, which refuses a
// wrong shape naming the file and the JSON path. No temporary folder, no links.
#include "catalogue/JsonNode.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

class Catalogue {
public:
    // `shipped`: fbtrack's data folder (find_data_dir()); `own`: the seller's copies. A copy
    // under a shipped file's name that cannot be read in its place (a link that loops or leads
    // nowhere, a folder, a pipe) is kept as unusable: reading it is refused, naming it. A folder of
    // copies that cannot be read is refused here.
    Catalogue(std::filesystem::path shipped, std::filesystem::path own);
    Catalogue(const Catalogue&) = delete;
    Catalogue& operator=(const Catalogue&) = delete;

    // The file read for `name` ("mail.json", "templates/removal.ja.txt"): the seller's copy or
    // the shipped file. Names are relative, in '/' form, never leaving the folders.
    std::filesystem::path file(const std::string& name) const;
    bool is_own_copy(const std::string& name) const;
    bool has(const std::string& name) const;
    // Why the seller's copy of `name` cannot be read in place of the shipped file, if it cannot.
    std::optional<std::string> unusable(const std::string& name) const;
    // A DataFileError naming the seller's copy of `name` if it is unusable.
    void refuse_if_unusable(const std::string& name) const;
    // Its bytes, read once. A file that cannot be read, or too large (read_text_file): DataFileError.
    const std::string& text(const std::string& name) const;
    // Its top-level JSON object, parsed once.
    JsonNode json(const std::string& name) const;
    // The shipped names in `folder` ending in `suffix`, sorted ("holidays", ".json").
    std::vector<std::string> names(const std::string& folder, const std::string& suffix) const;
    // Every file the seller keeps a copy of (usable or not), by name; and those with no shipped
    // file of that name.
    std::vector<std::string> own_copies() const;
    std::vector<std::string> strays() const;

    const std::filesystem::path& shipped() const { return shipped_; }
    const std::filesystem::path& own() const { return own_; }

private:
    std::filesystem::path shipped_, own_;
    std::vector<std::string> own_copies_, strays_;  // found when made
    std::map<std::string, std::string> unusable_;    // own copies that cannot be read, and why
    mutable std::mutex mutex_;  // serve answers pages from several threads
    mutable std::map<std::string, std::unique_ptr<const std::string>> texts_;
    mutable std::map<std::string, JsonNode> json_;
};

}  // namespace fbtrack
