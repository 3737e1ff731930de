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
// The names of the data files fbtrack reads (all the shipped ones but the samples and examples).
std::vector<std::string> data_file_names(const Catalogue& data);
// Runs the checks that read a file the seller keeps a copy of; the first problem is thrown.
void check_own_copies(const Catalogue& data);

}  // namespace fbtrack
