// Fuzz target: the signed, hash-chained decision log verifier (decisions.jsonl), with the scenario
// gateway key pinned so that inputs derived from the seeds reach the signature check.
#include "core/custody/DecisionLog.h"
#include "tests/fuzz/FuzzSupport.h"

#include <cstdlib>

using namespace chainsight;

static const custody::KeyRing& keyRing()
{
    static const custody::KeyRing ring = [] {
        custody::KeyRing r;
        QFile f(QStringLiteral(CHAINSIGHT_FUZZ_KEYS "/gw-2026.pem"));
        if (!f.open(QIODevice::ReadOnly) || !r.addPinned("gw-2026", f.readAll()).ok()) std::abort();
        return r;
    }();
    return ring;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    custody::DecisionLogVerifier verifier(keyRing());
    int64_t lines = 0, valid = 0;
    fuzz::forEachLine(std::string_view(reinterpret_cast<const char*>(data), size),
                      [&](std::string_view line, int64_t n) {
                          std::string detail;
                          auto d = verifier.add(line, n, &detail);
                          ++lines;
                          if (d.ok() && d->valid) ++valid;
                          if (d.ok() && !d->valid && detail.empty()) std::abort(); // a failure must say why
                      });
    if (verifier.validCount() != valid || verifier.validCount() > verifier.total()) std::abort();
    return 0;
}
