// Fuzz target: a native bundle as an archive (.zip or .tar.gz bytes), read in process by BundleSource
// (entry paths, links, duplicates, bomb ratios) and walked as the verifier walks it: manifest, hashes,
// events, decision log, keys, blobs. Nothing may be written anywhere but the input file itself.
#include "core/io/BundleSource.h"
#include "importers/native/NativeBundle.h"
#include "tests/fuzz/FuzzSupport.h"

#include <cstdlib>

using namespace chainsight;

namespace {
class CollectingVisitor : public importers::NativeVisitor
{
public:
    bool problem(const Error& e) override
    {
        if (e.message.isEmpty()) std::abort();
        return ++problems < 1000;
    }
    int problems = 0;
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QString path = fuzz::writeInput(QStringLiteral("bundle.bin"), data, size);
    io::SourceLimits limits;
    limits.maxTotalBytes = 64 << 20; // keep one input cheap: the limits themselves are what is tested
    limits.maxFileBytes = 32 << 20;
    auto source = io::BundleSource::open(path, limits);
    if (!source.ok()) return 0;
    for (const auto& e : (*source)->entries()) {
        auto p = io::BundleSource::checkPath(e.path);
        if (!p.ok() || *p != e.path) std::abort(); // an entry name that escaped the path checks
    }
    CollectingVisitor visitor;
    importers::WalkLimits walk;
    walk.maxBlobBytes = 16 << 20;
    (void)importers::walkNativeBundle(**source, {}, visitor, nullptr, walk);
    return 0;
}
