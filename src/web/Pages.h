#pragma once
// The pages of `fbtrack serve`, each rendered from what a use-case returns, in the page's
// language, from the templates in data/templates/web/ with the words of templates/web.LANG.json.
// Every string from an export, a mail or the browser is escaped by the templates; nothing here
// decides anything about the shop.
#include "app/AppContext.h"
#include "app/ImportFiles.h"
#include "app/Shop.h"
#include "catalogue/Catalogue.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

using Query = std::map<std::string, std::string>;

// What every page shows around its content and needs for its forms.
struct PageFrame {
    std::string lang;    // ja or en
    std::string csrf;    // the session's token, in every form
    std::string path;    // the page's path and query: the language switch comes back to it
    std::string notice;  // what the last change did (a key of web.LANG.json's notice_*), or ""
    std::string shop;    // the shop's database name (without .db)
    std::string shop_name;  // as the seller named it, or ""
};

// What a dropped file was called in the browser: its spool path stands in for it nowhere the
// seller reads.
using BrowserNames = std::map<std::filesystem::path, std::string>;

// An import as the page tells it: the report, or the error that left the database as it was.
struct ImportOutcome {
    std::optional<ImportReport> report;
    std::string error;       // worded in the page's language
    bool waited = false;     // another import ran first
};

class Pages {
public:
    explicit Pages(const Catalogue& data) : data_(data) {}

    std::string today(AppContext& c, const PageFrame& f) const;
    std::string ratings(AppContext& c, const PageFrame& f, const Query& q) const;
    // One rating's page; nothing when the order holds no rating of 1-3 stars.
    std::optional<std::string> rating(AppContext& c, const PageFrame& f, const std::string& order_id) const;
    std::string requests(AppContext& c, const PageFrame& f) const;
    std::string import_form(AppContext& c, const PageFrame& f) const;
    std::string import_result(AppContext& c, const PageFrame& f, const ImportOutcome& outcome, const BrowserNames& names) const;
    std::string report(AppContext& c, const PageFrame& f, const std::string& month) const;
    std::string calendar(AppContext& c, const PageFrame& f, const Query& q) const;
    std::string shop(AppContext& c, const PageFrame& f) const;
    std::string shops(const PageFrame& f, const std::vector<ShopSummary>& shops) const;
    std::string mail(AppContext& c, const PageFrame& f) const;
    // A page that says what went wrong, in the page's language, with a way back.
    std::string error(const PageFrame& f, const std::string& message) const;

    // The words of a page's language (web.LANG.json).
    std::string word(const std::string& lang, const std::string& key) const;

private:
    std::string page(const PageFrame& f, const std::string& name, const std::string& title_key, const std::string& body) const;
    const Catalogue& data_;
};

}  // namespace fbtrack
