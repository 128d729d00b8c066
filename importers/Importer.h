// One interface for every evidence format, and the registry that picks a format from content.
#pragma once

#include "core/Result.h"
#include "core/custody/Custody.h"
#include "core/io/BundleSource.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::importers {

struct ImportOptions
{
    custody::Actor actor = custody::Actor::current();
    const std::atomic<bool>* cancel = nullptr;                      // set to true to cancel
    std::function<void(int64_t done, int64_t total)> progress;      // bytes; called from the importing thread
    io::SourceLimits limits;
    int64_t parentBundle = 0; // logs/ of a native bundle: the bundle they belong to
};

struct ImportReport
{
    std::string importer;       // the format used
    std::string bundleId;
    int64_t bundleRow = 0;
    bool alreadyImported = false;
    int64_t events = 0;
    int64_t decisions = 0;
    int64_t decisionsValid = 0;
    std::vector<std::string> warnings;
    std::vector<ImportReport> children; // logs/ imported with a bundle
};

class Importer
{
public:
    virtual ~Importer() = default;
    virtual std::string name() const = 0;        // used with --format
    virtual std::string description() const = 0; // for the list of supported formats
    // 0: not this format; higher: more certain. Looks at content, not only the name.
    virtual int sniff(io::BundleSource& source) = 0;
    virtual Result<ImportReport> import(store::CaseStore& store, io::BundleSource& source, const ImportOptions& options) = 0;
};

// All importers, in a fixed order.
const std::vector<Importer*>& allImporters();
Importer* findImporter(const std::string& name);
std::string supportedFormats(); // "native (…), otlp (…), …"

// Opens path, picks the importer (or uses formatName), and imports it into the case.
Result<ImportReport> importPath(store::CaseStore& store, const QString& path, const ImportOptions& options,
                                const std::string& formatName = {});

} // namespace chainsight::importers
