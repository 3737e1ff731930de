#include "text/JsonText.h"

#include "text/TerminalText.h"

#include <sstream>

namespace fbtrack {

namespace {
template <typename T>
void write_escaped(std::ostream& out, const T& value) {
    std::ostringstream text;
    value.stringify(text, 2);
    out << escape_invisible_in_json(text.view());
}
}  // namespace

void write_json(std::ostream& out, const Poco::JSON::Object& value) { write_escaped(out, value); }
void write_json(std::ostream& out, const Poco::JSON::Array& value) { write_escaped(out, value); }

}  // namespace fbtrack
