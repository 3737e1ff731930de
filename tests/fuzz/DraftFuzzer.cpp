// libFuzzer entry point; the target itself is fbtrack::fuzz::draft in FuzzTargets.cpp.
#include "FuzzTargets.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fbtrack::fuzz::draft(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
