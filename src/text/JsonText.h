#pragma once
// JSON as fbtrack prints it: pretty-printed (two spaces), every invisible character escaped
// (escape_invisible_in_json), so that what a buyer wrote cannot hide in a command's JSON.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <ostream>

namespace fbtrack {

void write_json(std::ostream& out, const Poco::JSON::Object& value);
void write_json(std::ostream& out, const Poco::JSON::Array& value);

}  // namespace fbtrack
