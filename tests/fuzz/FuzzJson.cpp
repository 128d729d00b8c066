// Fuzz target: the strict JSON parser (core/json). Anything it accepts must dump to text that parses
// again to the same dump (the parser and the writer agree), and errors must say what is wrong.
#include "core/json/Json.h"

#include <cstdlib>

using namespace chainsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static json::Parser parser;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto v = parser.parse(text);
    if (!v.ok()) {
        if (v.error().message.isEmpty()) std::abort();
        return 0;
    }
    const std::string once = v->dump();
    json::Parser second;
    auto again = second.parse(once);
    if (!again.ok()) std::abort();           // the writer wrote what the parser refuses
    if (again->dump() != once) std::abort(); // not a fixed point
    return 0;
}
