#include "core/io/BundleSource.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <map>
#include <set>

namespace chainsight::io {

const SourceEntry* BundleSource::entry(const std::string& path) const
{
    for (const auto& e : m_entries)
        if (e.path == path) return &e;
    return nullptr;
}

Result<std::string> BundleSource::checkPath(const std::string& raw)
{
    auto bad = [&](const QString& why) {
        return makeError(ErrorCode::Unsafe, QStringLiteral("entry \"%1\": %2").arg(QString::fromStdString(raw), why));
    };
    if (raw.empty()) return bad(QStringLiteral("empty path"));
    if (raw.find('\\') != std::string::npos) return bad(QStringLiteral("backslash in path"));
    if (raw[0] == '/') return bad(QStringLiteral("absolute path"));
    if (raw.size() >= 2 && raw[1] == ':') return bad(QStringLiteral("drive-letter path"));
    if (raw.find('\0') != std::string::npos) return bad(QStringLiteral("NUL in path"));
    std::string out;
    size_t start = 0;
    while (start <= raw.size()) {
        size_t end = raw.find('/', start);
        if (end == std::string::npos) end = raw.size();
        std::string part = raw.substr(start, end - start);
        if (part == "..") return bad(QStringLiteral("path traversal (..)"));
        if (!part.empty() && part != ".") {
            if (!out.empty()) out += '/';
            out += part;
        }
        start = end + 1;
    }
    if (out.empty()) return bad(QStringLiteral("empty path"));
    return out;
}

namespace {

// ---- directory ----------------------------------------------------------------------------------------------
class FileReader : public EntryReader
{
public:
    explicit FileReader(QFile& f) : m_f(f) {}
    Result<size_t> read(char* buf, size_t cap) override
    {
        qint64 n = m_f.read(buf, static_cast<qint64>(cap));
        if (n < 0) return makeError(ErrorCode::Io, QStringLiteral("read error: %1").arg(m_f.errorString()), m_f.fileName());
        return static_cast<size_t>(n);
    }

private:
    QFile& m_f;
};

class DirectorySource : public BundleSource
{
public:
    Kind kind() const override { return Kind::Directory; }

    Status scan(const QString& path, const SourceLimits& limits)
    {
        m_path = path;
        m_root = QFileInfo(path).canonicalFilePath();
        // Walk from the absolute path: QDir::relativeFilePath() returns a relative file name unchanged, so a bundle
        // given as a relative path ("bundles/x") would list "bundles/x/manifest.json" instead of "manifest.json".
        const QString base = QFileInfo(path).absoluteFilePath();
        QDirIterator it(base, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        int64_t total = 0;
        while (it.hasNext()) {
            it.next();
            QFileInfo fi = it.fileInfo();
            const QString rel = QDir(base).relativeFilePath(fi.absoluteFilePath());
            if (fi.isSymLink()) {
                // A link is followed only when it stays inside the bundle.
                const QString target = fi.canonicalFilePath();
                if (target.isEmpty() || !(target + QLatin1Char('/')).startsWith(m_root + QLatin1Char('/')) || target == m_root)
                    return makeError(ErrorCode::Unsafe, QStringLiteral("symbolic link \"%1\" points outside the bundle").arg(rel), path);
                if (QFileInfo(target).isDir())
                    return makeError(ErrorCode::Unsafe, QStringLiteral("symbolic link \"%1\" to a directory").arg(rel), path);
            }
            if (fi.isDir()) continue;
            if (!fi.isFile()) return makeError(ErrorCode::Unsafe, QStringLiteral("\"%1\" is not a regular file").arg(rel), path);
            auto checked = checkPath(rel.toStdString());
            if (!checked) {
                Error e = checked.error();
                e.file = path;
                return e;
            }
            if (static_cast<int64_t>(m_entries.size()) >= limits.maxEntries)
                return makeError(ErrorCode::Limit, QStringLiteral("more than %1 files").arg(limits.maxEntries), path);
            if (fi.size() > limits.maxFileBytes)
                return makeError(ErrorCode::Limit, QStringLiteral("\"%1\" is larger than the limit of %2 bytes").arg(rel).arg(limits.maxFileBytes), path);
            total += fi.size();
            if (total > limits.maxTotalBytes)
                return makeError(ErrorCode::Limit, QStringLiteral("bundle larger than the limit of %1 bytes").arg(limits.maxTotalBytes), path);
            m_entries.push_back({*checked, fi.size()});
        }
        // A natural order that puts the small, structural files first.
        std::sort(m_entries.begin(), m_entries.end(), [](const SourceEntry& a, const SourceEntry& b) { return a.path < b.path; });
        return {};
    }

    Result<std::string> readAll(const std::string& rel, int64_t maxBytes) override
    {
        QFile f(QDir(m_path).filePath(QString::fromStdString(rel)));
        if (!f.open(QIODevice::ReadOnly)) return makeError(ErrorCode::Io, f.errorString(), QString::fromStdString(rel));
        if (f.size() > maxBytes)
            return makeError(ErrorCode::Limit, QStringLiteral("larger than the limit of %1 bytes").arg(maxBytes), QString::fromStdString(rel));
        QByteArray b = f.readAll();
        return std::string(b.constData(), static_cast<size_t>(b.size()));
    }

    Status forEach(const std::function<Status(const SourceEntry&, EntryReader&)>& fn) override
    {
        for (const auto& e : m_entries) {
            QFile f(QDir(m_path).filePath(QString::fromStdString(e.path)));
            if (!f.open(QIODevice::ReadOnly)) return makeError(ErrorCode::Io, f.errorString(), QString::fromStdString(e.path));
            FileReader r(f);
            CS_TRY(fn(e, r));
        }
        return {};
    }

private:
    QString m_root;
};

// ---- archives (libarchive) -----------------------------------------------------------------------------------
struct ArchiveDeleter
{
    void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

class ArchiveReader : public EntryReader
{
public:
    ArchiveReader(archive* a, const QString& name, int64_t limit) : m_a(a), m_name(name), m_limit(limit) {}
    Result<size_t> read(char* buf, size_t cap) override
    {
        la_ssize_t n = archive_read_data(m_a, buf, cap);
        if (n < 0) return makeError(ErrorCode::Format, QStringLiteral("archive read error: %1").arg(QString::fromUtf8(archive_error_string(m_a))), m_name);
        m_read += n;
        if (m_read > m_limit)
            return makeError(ErrorCode::Limit, QStringLiteral("entry expands beyond its listed size"), m_name);
        return static_cast<size_t>(n);
    }

private:
    archive* m_a;
    QString m_name;
    int64_t m_limit;
    int64_t m_read = 0;
};

class ArchiveSource : public BundleSource
{
public:
    explicit ArchiveSource(Kind k) : m_kind(k) {}
    Kind kind() const override { return m_kind; }

    Result<ArchivePtr> openArchive()
    {
        ArchivePtr a(archive_read_new());
        if (m_kind == Kind::Zip) {
            archive_read_support_format_zip(a.get());
        } else {
            archive_read_support_filter_gzip(a.get());
            archive_read_support_format_tar(a.get());
        }
        if (archive_read_open_filename(a.get(), m_path.toLocal8Bit().constData(), 1 << 16) != ARCHIVE_OK)
            return makeError(ErrorCode::Format, QStringLiteral("cannot open archive: %1").arg(QString::fromUtf8(archive_error_string(a.get()))), m_path);
        return a;
    }

    // Pass 1: list every entry, decompressing it to learn (and bound) its real size.
    Status scan(const QString& path, const SourceLimits& limits)
    {
        m_path = path;
        m_limits = limits;
        const int64_t archiveBytes = QFileInfo(path).size();
        auto a = openArchive();
        if (!a) return a.error();
        std::vector<std::string> raw;
        std::set<std::string> seen;
        int64_t total = 0;
        std::vector<char> buf(1 << 16);
        for (;;) {
            archive_entry* ent = nullptr;
            const int64_t before = archive_filter_bytes(a->get(), -1);
            int rc = archive_read_next_header(a->get(), &ent);
            if (rc == ARCHIVE_EOF) break;
            if (rc < ARCHIVE_WARN)
                return makeError(ErrorCode::Format, QStringLiteral("corrupt archive: %1").arg(QString::fromUtf8(archive_error_string(a->get()))), path);
            const char* name = archive_entry_pathname(ent);
            std::string rawName = name ? name : "";
            const mode_t type = archive_entry_filetype(ent);
            if (type == AE_IFDIR) continue;
            if (type == AE_IFLNK || archive_entry_hardlink(ent) || archive_entry_symlink(ent))
                return makeError(ErrorCode::Unsafe, QStringLiteral("entry \"%1\" is a link").arg(QString::fromStdString(rawName)), path);
            if (type != AE_IFREG)
                return makeError(ErrorCode::Unsafe, QStringLiteral("entry \"%1\" is not a regular file").arg(QString::fromStdString(rawName)), path);
            auto checked = checkPath(rawName);
            if (!checked) {
                Error e = checked.error();
                e.file = path;
                return e;
            }
            if (!seen.insert(*checked).second)
                return makeError(ErrorCode::Unsafe, QStringLiteral("entry \"%1\" appears twice").arg(QString::fromStdString(*checked)), path);
            if (static_cast<int64_t>(seen.size()) > limits.maxEntries)
                return makeError(ErrorCode::Limit, QStringLiteral("more than %1 entries").arg(limits.maxEntries), path);
            int64_t size = 0;
            const bool keep = isStructural(*checked);
            std::string kept;
            for (;;) {
                la_ssize_t n = archive_read_data(a->get(), buf.data(), buf.size());
                if (n < 0) {
                    Error e = makeError(ErrorCode::Format, QStringLiteral("corrupt entry \"%1\": %2").arg(QString::fromStdString(*checked), QString::fromUtf8(archive_error_string(a->get()))), path);
                    e.field = QString::fromStdString(*checked); // which entry, for callers that judge entry by entry
                    return e;
                }
                if (n == 0) break;
                size += n;
                total += n;
                if (keep && size <= kCacheEntryBytes) kept.append(buf.data(), static_cast<size_t>(n));
                if (size > limits.maxFileBytes)
                    return makeError(ErrorCode::Limit, QStringLiteral("entry \"%1\" is larger than the limit of %2 bytes").arg(QString::fromStdString(*checked)).arg(limits.maxFileBytes), path);
                if (total > limits.maxTotalBytes)
                    return makeError(ErrorCode::Limit, QStringLiteral("archive expands beyond the limit of %1 bytes").arg(limits.maxTotalBytes), path);
                if (total > limits.ratioFloorBytes && total > limits.maxRatio * static_cast<double>(std::max<int64_t>(archiveBytes, 1)))
                    return makeError(ErrorCode::Limit, QStringLiteral("archive expands more than %1 times its size (a decompression bomb?)").arg(limits.maxRatio), path);
            }
            const int64_t consumed = archive_filter_bytes(a->get(), -1) - before;
            if (m_kind == Kind::Zip && size > limits.ratioFloorBytes && size > limits.maxRatio * static_cast<double>(std::max<int64_t>(consumed, 1)))
                return makeError(ErrorCode::Limit, QStringLiteral("entry \"%1\" expands more than %2 times (a decompression bomb?)").arg(QString::fromStdString(*checked)).arg(limits.maxRatio), path);
            raw.push_back(*checked);
            m_entries.push_back({*checked, size});
            if (keep && size <= kCacheEntryBytes) m_cache[*checked] = std::move(kept);
        }
        // The tree may sit in a single top-level directory.
        if (!entry("manifest.json")) {
            std::string prefix;
            for (const auto& e : m_entries) {
                if (e.path.size() > 14 && e.path.compare(e.path.size() - 14, 14, "/manifest.json") == 0 &&
                    e.path.find('/') == e.path.size() - 14) {
                    prefix = e.path.substr(0, e.path.size() - 13);
                    break;
                }
            }
            if (!prefix.empty()) {
                bool allUnder = std::all_of(m_entries.begin(), m_entries.end(), [&](const SourceEntry& e) { return e.path.rfind(prefix, 0) == 0; });
                if (allUnder) {
                    m_prefix = prefix;
                    for (auto& e : m_entries) e.path = e.path.substr(prefix.size());
                    std::map<std::string, std::string> rekeyed;
                    for (auto& [k, v] : m_cache) rekeyed[k.substr(prefix.size())] = std::move(v);
                    m_cache = std::move(rekeyed);
                }
            }
        }
        return {};
    }

    Result<std::string> readAll(const std::string& rel, int64_t maxBytes) override
    {
        if (auto it = m_cache.find(rel); it != m_cache.end()) {
            if (static_cast<int64_t>(it->second.size()) > maxBytes)
                return makeError(ErrorCode::Limit, QStringLiteral("larger than the limit of %1 bytes").arg(maxBytes), QString::fromStdString(rel));
            return it->second;
        }
        std::string out;
        bool found = false;
        Status s = forEach([&](const SourceEntry& e, EntryReader& r) -> Status {
            if (e.path != rel) return {};
            found = true;
            if (e.size > maxBytes)
                return makeError(ErrorCode::Limit, QStringLiteral("larger than the limit of %1 bytes").arg(maxBytes), QString::fromStdString(rel));
            char buf[65536];
            for (;;) {
                auto n = r.read(buf, sizeof buf);
                if (!n) return n.error();
                if (*n == 0) break;
                out.append(buf, *n);
            }
            return makeError(ErrorCode::Cancelled, QString()); // stop early
        });
        if (!s && s.error().code != ErrorCode::Cancelled) return s.error();
        if (!found) return makeError(ErrorCode::Io, QStringLiteral("no such entry"), QString::fromStdString(rel));
        return out;
    }

    // Pass 2: the same entries, streamed.
    Status forEach(const std::function<Status(const SourceEntry&, EntryReader&)>& fn) override
    {
        auto a = openArchive();
        if (!a) return a.error();
        size_t index = 0;
        for (;;) {
            archive_entry* ent = nullptr;
            int rc = archive_read_next_header(a->get(), &ent);
            if (rc == ARCHIVE_EOF) break;
            if (rc < ARCHIVE_WARN)
                return makeError(ErrorCode::Format, QStringLiteral("corrupt archive: %1").arg(QString::fromUtf8(archive_error_string(a->get()))), m_path);
            if (archive_entry_filetype(ent) == AE_IFDIR) continue;
            if (index >= m_entries.size())
                return makeError(ErrorCode::Format, QStringLiteral("archive changed while it was read"), m_path);
            const SourceEntry& e = m_entries[index++];
            ArchiveReader r(a->get(), QString::fromStdString(e.path), e.size);
            CS_TRY(fn(e, r));
        }
        return {};
    }

private:
    static bool isStructural(const std::string& p)
    {
        auto ends = [&](std::string_view suffix) { return p.size() >= suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0; };
        return ends("manifest.json") || ends("agents.json") || ends(".pem");
    }
    static constexpr int64_t kCacheEntryBytes = 16 << 20;
    Kind m_kind;
    SourceLimits m_limits;
    std::string m_prefix;
    std::map<std::string, std::string> m_cache; // small structural files, read during the scan
};

// ---- a single file (foreign formats) -------------------------------------------------------------------------
class SingleFileSource : public BundleSource
{
public:
    Kind kind() const override { return Kind::File; }
    Status scan(const QString& path, const SourceLimits& limits)
    {
        m_path = path;
        QFileInfo fi(path);
        if (fi.size() > limits.maxFileBytes)
            return makeError(ErrorCode::Limit, QStringLiteral("larger than the limit of %1 bytes").arg(limits.maxFileBytes), path);
        m_entries.push_back({fi.fileName().toStdString(), fi.size()});
        return {};
    }
    Result<std::string> readAll(const std::string&, int64_t maxBytes) override
    {
        QFile f(m_path);
        if (!f.open(QIODevice::ReadOnly)) return makeError(ErrorCode::Io, f.errorString(), m_path);
        if (f.size() > maxBytes) return makeError(ErrorCode::Limit, QStringLiteral("larger than the limit of %1 bytes").arg(maxBytes), m_path);
        QByteArray b = f.readAll();
        return std::string(b.constData(), static_cast<size_t>(b.size()));
    }
    Status forEach(const std::function<Status(const SourceEntry&, EntryReader&)>& fn) override
    {
        QFile f(m_path);
        if (!f.open(QIODevice::ReadOnly)) return makeError(ErrorCode::Io, f.errorString(), m_path);
        FileReader r(f);
        return fn(m_entries.front(), r);
    }
};

} // namespace

BundleSource::Kind sniffKind(const QString& path)
{
    QFileInfo fi(path);
    if (fi.isDir()) return BundleSource::Kind::Directory;
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) {
        QByteArray head = f.read(4);
        if (head.startsWith("PK\x03\x04") || head.startsWith("PK\x05\x06")) return BundleSource::Kind::Zip;
        if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b)
            return BundleSource::Kind::TarGz;
    }
    return BundleSource::Kind::File;
}

Result<std::unique_ptr<BundleSource>> BundleSource::open(const QString& path, const SourceLimits& limits)
{
    QFileInfo fi(path);
    if (!fi.exists()) return makeError(ErrorCode::Io, QStringLiteral("no such file or directory"), path);
    switch (sniffKind(path)) {
    case Kind::Directory: {
        auto s = std::make_unique<DirectorySource>();
        CS_TRY(s->scan(path, limits));
        return std::unique_ptr<BundleSource>(std::move(s));
    }
    case Kind::Zip: {
        auto s = std::make_unique<ArchiveSource>(Kind::Zip);
        CS_TRY(s->scan(path, limits));
        return std::unique_ptr<BundleSource>(std::move(s));
    }
    case Kind::TarGz: {
        auto s = std::make_unique<ArchiveSource>(Kind::TarGz);
        CS_TRY(s->scan(path, limits));
        return std::unique_ptr<BundleSource>(std::move(s));
    }
    case Kind::File: {
        auto s = std::make_unique<SingleFileSource>();
        CS_TRY(s->scan(path, limits));
        return std::unique_ptr<BundleSource>(std::move(s));
    }
    }
    return makeError(ErrorCode::Internal, QStringLiteral("unreachable"));
}

} // namespace chainsight::io
