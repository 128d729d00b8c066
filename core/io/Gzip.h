// Gzip streams (RFC 1952) for foreign log files such as CloudTrail's .json.gz: a reader that inflates another
// reader as it is read, with the same bomb limits as the archive sources, and a one-entry source for a gzip
// file that is not a tar archive. libarchive does the inflating behind this wall.
#pragma once

#include "core/io/BundleSource.h"

#include <memory>
#include <string_view>

namespace chainsight::io {

// True when bytes start with the gzip magic number.
bool looksGzip(std::string_view head);
bool isGzipFile(const QString& path);

// Inflates the gzip stream read from inner. Errors name `name`; limits bound the output (maxFileBytes) and
// the expansion ratio (maxRatio once past ratioFloorBytes).
class GzipReader : public EntryReader
{
public:
    GzipReader(EntryReader& inner, const QString& name, const SourceLimits& limits = {});
    ~GzipReader() override;
    GzipReader(const GzipReader&) = delete;
    GzipReader& operator=(const GzipReader&) = delete;
    Result<size_t> read(char* buf, size_t cap) override;
    int64_t compressedBytes() const; // read from inner so far

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// A single gzip-compressed file as a one-entry source (Kind::File); the entry is named after the file
// without its .gz suffix. Opening inflates it once to learn its size and to refuse bombs.
class GzipFileSource : public BundleSource
{
public:
    static Result<std::unique_ptr<GzipFileSource>> open(const QString& path, const SourceLimits& limits = {});
    Kind kind() const override { return Kind::File; }
    Result<std::string> readAll(const std::string& path, int64_t maxBytes) override;
    Status forEach(const std::function<Status(const SourceEntry&, EntryReader&)>& fn) override;
    // The file as collected (compressed): its SHA-256 and size, for custody.
    const std::string& compressedSha256() const { return m_compressedSha; }
    int64_t compressedBytes() const { return m_compressedBytes; }

private:
    SourceLimits m_limits;
    std::string m_compressedSha;
    int64_t m_compressedBytes = 0;
};

// BundleSource::open, except that a gzip file that is not a tar archive but whose content is JSON text is
// opened as a GzipFileSource (CloudTrail delivers .json.gz). Other failures are returned as they are.
Result<std::unique_ptr<BundleSource>> openSource(const QString& path, const SourceLimits& limits = {});

} // namespace chainsight::io
