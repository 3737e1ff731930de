#pragma once
// An error said in a language from templates/errors.LANG.json, for the command line's last line
// and the pages' error box alike.
#include "catalogue/Catalogue.h"
#include "core/Errors.h"

#include <string>

namespace fbtrack {

// A sentence the file does not have (or a file that cannot be read, or no catalogue at all) is
// said in English.
std::string worded(const Said& said, const Catalogue* data, const std::string& lang);
inline std::string worded(const Error& e, const Catalogue* data, const std::string& lang) { return worded(e.said(), data, lang); }

}  // namespace fbtrack
