// Fuzz target: the streaming JSON item reader under the foreign log importers (CloudTrail {"Records":[...]},
// OTLP resourceSpans/scopeSpans/spans, JSON Lines of either), fed in chunks split where the input says, so
// that state carried between chunks is exercised. Every item it hands out must be strict JSON.
#include "core/json/Json.h"
#include "importers/logs/JsonItemStream.h"

#include <cstdlib>

using namespace chainsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1) return 0;
    const size_t chunk = 1 + data[0] % 61; // first byte: the chunk size
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    static json::Parser parser;
    importers::JsonItemStream::Limits limits;
    limits.maxItemBytes = 1 << 20;
    importers::JsonItemStream stream(
        {{"Records", "*"}, {"resourceSpans", "*", "scopeSpans", "*", "spans", "*"}},
        [](const importers::JsonItemStream::Item& item) -> Status {
            json::Limits jl;
            auto v = parser.parse(item.text, jl);
            (void)v;
            return {};
        },
        limits);
    while (!text.empty()) {
        const auto part = text.substr(0, chunk);
        text.remove_prefix(part.size());
        if (!stream.feed(part).ok()) return 0;
    }
    (void)stream.finish();
    return 0;
}
