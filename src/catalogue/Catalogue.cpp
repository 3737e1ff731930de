#include "catalogue/Catalogue.h"

#include "catalogue/DataFiles.h"
#include "core/Errors.h"

#include <algorithm>
#include <cstdlib>

namespace fbtrack {

namespace fs = std::filesystem;

namespace {

bool is_plain_name(const std::string& name) {
    if (name.empty() || name.front() == '/') return false;
    for (const auto& part : fs::path(name))
        if (part == ".." || part == ".") return false;
    return true;
}

}  // namespace

Catalogue::Catalogue(fs::path shipped, fs::path own) : shipped_(std::move(shipped)), own_(std::move(own)) {
    std::error_code ec;
    // Links to folders are followed, as reading a file through them would be.
    const auto options = fs::directory_options::follow_directory_symlink;
    for (auto it = fs::recursive_directory_iterator(own_, options, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const fs::path relative = it->path().lexically_relative(own_);
        std::error_code shipped_ec;
        if (!fs::is_regular_file(shipped_ / relative, shipped_ec)) {
            std::error_code kind_ec;
            if (!it->is_directory(kind_ec)) strays_.push_back(relative.generic_string());
            continue;
        }
        // A copy under a shipped file's name is meant to be read in its place: one that cannot be
        // (a link that loops or leads nowhere, a folder, a pipe) is kept as unusable, and whoever
        // reads it is refused naming it; it is never passed over for the shipped file without a word.
        const std::string name = relative.generic_string();
        std::error_code mine_ec;
        const auto status = fs::status(it->path(), mine_ec);
        if (mine_ec && mine_ec != std::errc::no_such_file_or_directory) {
            unusable_[name] = mine_ec == std::errc::too_many_symbolic_link_levels ? "is a symbolic link that leads round in a loop, not a file"
                                                                                  : "cannot be read (" + mine_ec.message() + ")";
        } else if (!fs::exists(status)) {
            std::error_code link_ec;
            const auto target = fs::read_symlink(it->path(), link_ec);
            unusable_[name] = "is a symbolic link to " + (link_ec ? std::string("a file") : target.string()) + ", which does not exist";
        } else if (!fs::is_regular_file(status)) {
            unusable_[name] = fs::is_directory(status) ? "is a folder, not a file" : "is not a regular file (a pipe or a device)";
        }
        own_copies_.push_back(name);
    }
    // A folder of copies that cannot be read hides the copies in it: refused, never passed over.
    // (One that cannot even be reached, in a home folder not this user's, holds none for them.)
    std::error_code reach;
    const bool there = !own_.empty() && fs::is_directory(own_, reach);
    if (ec && ec != std::errc::no_such_file_or_directory && there)
        data_file_error(own_, "(the folder of your copies, or one inside it) cannot be read: " + ec.message() +
                                  ". Hint: fix its permissions (chmod u+rx), or move it aside");
    std::sort(own_copies_.begin(), own_copies_.end());
    std::sort(strays_.begin(), strays_.end());
}

bool Catalogue::is_own_copy(const std::string& name) const {
    return std::binary_search(own_copies_.begin(), own_copies_.end(), name);
}

fs::path Catalogue::file(const std::string& name) const {
    if (!is_plain_name(name)) throw InternalError("data file name " + name + " is not relative");
    return is_own_copy(name) ? own_ / name : shipped_ / name;
}

bool Catalogue::has(const std::string& name) const {
    std::error_code ec;
    // An unusable copy is there, to be refused by whoever reads it.
    return is_plain_name(name) && (unusable_.count(name) || fs::is_regular_file(file(name), ec));
}

std::optional<std::string> Catalogue::unusable(const std::string& name) const {
    const auto it = unusable_.find(name);
    if (it == unusable_.end()) return std::nullopt;
    return it->second;
}

void Catalogue::refuse_if_unusable(const std::string& name) const {
    if (const auto why = unusable(name)) data_file_error(own_ / name, *why);
}

const std::string& Catalogue::text(const std::string& name) const {
    refuse_if_unusable(name);
    const std::lock_guard lock(mutex_);
    auto it = texts_.find(name);
    if (it == texts_.end()) it = texts_.emplace(name, std::make_unique<const std::string>(read_text_file(file(name)))).first;
    return *it->second;
}

JsonNode Catalogue::json(const std::string& name) const {
    {
        const std::lock_guard lock(mutex_);
        if (const auto it = json_.find(name); it != json_.end()) return it->second;
    }
    const fs::path path = file(name);
    JsonNode node = JsonNode::parsed(path, text(name));
    const std::lock_guard lock(mutex_);
    return json_.emplace(name, std::move(node)).first->second;
}

std::vector<std::string> Catalogue::names(const std::string& folder, const std::string& suffix) const {
    // The shipped names: a copy of the seller's under a name fbtrack does not ship is never read.
    std::vector<std::string> out;
    for (const auto& root : {shipped_}) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(root / folder, ec)) {
            const std::string n = e.path().filename().string();
            if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0 &&
                e.is_regular_file(ec))
                out.push_back(folder.empty() ? n : folder + "/" + n);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<std::string> Catalogue::own_copies() const { return own_copies_; }
std::vector<std::string> Catalogue::strays() const { return strays_; }

}  // namespace fbtrack
