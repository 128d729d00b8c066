// Reads an evidence bundle as a set of files, wherever it lives: a directory, a .zip or a .tar.gz.
// Archives are read in process and never extracted by path; hostile entries (absolute, `..`, drive or
// backslash paths, symlinks, devices, duplicates) and bombs (too many entries, too many bytes, too high an
// expansion ratio) are refused before anything is imported.
#pragma once

#include "core/Result.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chainsight::io {

struct SourceLimits
{
    int64_t maxEntries = 200000;
    int64_t maxFileBytes = 8LL << 30;   // one file
    int64_t maxTotalBytes = 32LL << 30; // the whole bundle, uncompressed
    double maxRatio = 250.0;            // uncompressed / compressed, per entry (zip) and overall
    int64_t ratioFloorBytes = 1 << 20;  // tiny entries may compress better than the ratio
    int64_t maxCaseBytes = 64LL << 30;  // the case file once the bundle is in it (checked before importing)
};

struct SourceEntry
{
    std::string path; // relative to the bundle root, '/' separated
    int64_t size = 0;
};

// Reads one entry's bytes in chunks.
class EntryReader
{
public:
    virtual ~EntryReader() = default;
    // Returns 0 at the end.
    virtual Result<size_t> read(char* buf, size_t cap) = 0;
};

class BundleSource
{
public:
    enum class Kind { Directory, Zip, TarGz, File };
    virtual ~BundleSource() = default;

    // Opens and inspects the source: every entry is listed and checked against the limits.
    static Result<std::unique_ptr<BundleSource>> open(const QString& path, const SourceLimits& limits = {});

    virtual Kind kind() const = 0;
    const QString& path() const { return m_path; }
    const std::vector<SourceEntry>& entries() const { return m_entries; }
    const SourceEntry* entry(const std::string& path) const;

    // Reads a small entry whole (at most maxBytes).
    virtual Result<std::string> readAll(const std::string& path, int64_t maxBytes) = 0;
    // Calls fn for every entry, in the source's natural order, with a reader for its bytes.
    virtual Status forEach(const std::function<Status(const SourceEntry&, EntryReader&)>& fn) = 0;

    // Checks one entry path from an archive or manifest; returns the normalised path or an error.
    static Result<std::string> checkPath(const std::string& raw);

protected:
    QString m_path;
    std::vector<SourceEntry> m_entries;
};

// Is this path something BundleSource can read as an archive (by content, not name)?
BundleSource::Kind sniffKind(const QString& path);

} // namespace chainsight::io
