#pragma once
// Every data file read by the reader that uses it, as the commands do: for `data --check`, and for
// the seller's own copies before any command runs, so that a copy of the wrong shape (a list
// written as a string in mail.json, say) stops the run with the file and the JSON path named
// instead of switching a rule off.
#include "catalogue/Catalogue.h"

#include <functional>
#include <string>
#include <vector>

namespace fbtrack {

struct DataCheck {
    std::vector<std::string> files;  // the catalogue's names of the files it reads
    std::function<void()> read;      // throws DataFileError
};

// The checks of every data file, shipped and the seller's: each file is read by at least one.
std::vector<DataCheck> data_checks(const Catalogue& data);

// Refuses a copy of the seller's that is unusable (a pipe, a link to nowhere), then runs the checks
// that read a copy; the first problem is thrown.
void check_own_copies(const Catalogue& data);

}  // namespace fbtrack
