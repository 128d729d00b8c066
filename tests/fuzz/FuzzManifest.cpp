// Fuzz target: manifest.json of a native bundle (parseManifest): every path it accepts must pass
// BundleSource::checkPath, so nothing a manifest names can reach outside the bundle.
#include "core/io/BundleSource.h"
#include "importers/native/NativeBundle.h"

#include <cstdlib>

using namespace chainsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto m = importers::parseManifest(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!m.ok()) return 0;
    for (const auto& f : m->files) {
        auto p = io::BundleSource::checkPath(f.path);
        if (!p.ok() || *p != f.path) std::abort(); // the manifest let through a path the archive reader refuses
        if (f.bytes < 0) std::abort();
    }
    return 0;
}
