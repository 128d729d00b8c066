// Fuzz target: native event lines (events.jsonl) as the importer reads them: each line parsed strictly,
// then mapped onto the event model (eventFromJson), which must refuse or accept without crashing.
#include "core/json/Json.h"
#include "core/model/Event.h"
#include "tests/fuzz/FuzzSupport.h"

#include <cstdlib>

using namespace chainsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static json::Parser parser;
    fuzz::forEachLine(std::string_view(reinterpret_cast<const char*>(data), size), [](std::string_view line, int64_t) {
        auto v = parser.parse(line);
        if (!v.ok()) return;
        auto e = eventFromJson(*v, std::string(line));
        if (!e.ok() && e.error().message.isEmpty()) std::abort();
    });
    return 0;
}
