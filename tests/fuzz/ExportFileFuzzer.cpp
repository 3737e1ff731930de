// libFuzzer entry point; the target itself is fbtrack::fuzz::export_file in FuzzTargets.cpp.
#include "FuzzTargets.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fbtrack::fuzz::export_file(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
