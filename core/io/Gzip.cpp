#include "core/io/Gzip.h"

#include "core/crypto/Crypto.h"

#include <QFile>
#include <QFileInfo>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace chainsight::io {

bool looksGzip(std::string_view head)
{
    return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b;
}

bool isGzipFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return false;
    const QByteArray head = f.read(2);
    return looksGzip(std::string_view(head.constData(), static_cast<size_t>(head.size())));
}

struct GzipReader::Impl
{
    EntryReader& inner;
    QString name;
    SourceLimits limits;
    archive* a = nullptr;
    std::vector<char> in = std::vector<char>(1 << 16);
    int64_t compressed = 0, produced = 0;
    std::optional<Error> innerError;
    bool opened = false, done = false;

    Impl(EntryReader& r, const QString& n, const SourceLimits& l) : inner(r), name(n), limits(l) {}
    ~Impl()
    {
        if (a) archive_read_free(a);
    }

    static la_ssize_t readCb(archive*, void* client, const void** buff)
    {
        auto* self = static_cast<Impl*>(client);
        auto n = self->inner.read(self->in.data(), self->in.size());
        if (!n) {
            self->innerError = n.error();
            return -1;
        }
        self->compressed += static_cast<int64_t>(*n);
        *buff = self->in.data();
        return static_cast<la_ssize_t>(*n);
    }

    Error archiveError(const QString& what) const
    {
        if (innerError) return *innerError;
        const char* msg = a ? archive_error_string(a) : nullptr;
        return makeError(ErrorCode::Format, QStringLiteral("%1: %2").arg(what, QString::fromUtf8(msg ? msg : "unknown error")), name);
    }

    Status open()
    {
        opened = true;
        a = archive_read_new();
        archive_read_support_filter_gzip(a);
        archive_read_support_format_raw(a);
        if (archive_read_open(a, this, nullptr, &Impl::readCb, nullptr) != ARCHIVE_OK)
            return archiveError(QStringLiteral("not a gzip stream"));
        archive_entry* ent = nullptr;
        const int rc = archive_read_next_header(a, &ent);
        if (rc == ARCHIVE_EOF) {
            done = true;
            return {};
        }
        if (rc < ARCHIVE_WARN) return archiveError(QStringLiteral("corrupt gzip stream"));
        if (archive_filter_count(a) < 2 || archive_filter_code(a, 0) != ARCHIVE_FILTER_GZIP)
            return makeError(ErrorCode::Format, QStringLiteral("not a gzip stream"), name);
        return {};
    }
};

GzipReader::GzipReader(EntryReader& inner, const QString& name, const SourceLimits& limits)
    : d(std::make_unique<Impl>(inner, name, limits))
{
}

GzipReader::~GzipReader() = default;

int64_t GzipReader::compressedBytes() const { return d->compressed; }

Result<size_t> GzipReader::read(char* buf, size_t cap)
{
    if (!d->opened) CS_TRY(d->open());
    if (d->done || cap == 0) return size_t(0);
    const la_ssize_t n = archive_read_data(d->a, buf, cap);
    if (n < 0) return d->archiveError(QStringLiteral("corrupt gzip stream"));
    if (n == 0) {
        d->done = true;
        return size_t(0);
    }
    d->produced += n;
    if (d->produced > d->limits.maxFileBytes)
        return makeError(ErrorCode::Limit, QStringLiteral("inflates beyond the limit of %1 bytes").arg(d->limits.maxFileBytes), d->name);
    if (d->produced > d->limits.ratioFloorBytes &&
        static_cast<double>(d->produced) > d->limits.maxRatio * static_cast<double>(std::max<int64_t>(d->compressed, 1)))
        return makeError(ErrorCode::Limit,
                         QStringLiteral("inflates more than %1 times its size (a decompression bomb?)").arg(d->limits.maxRatio), d->name);
    return static_cast<size_t>(n);
}

namespace {
class QFileReader : public EntryReader
{
public:
    QFileReader(QFile& f, crypto::Sha256* h) : m_f(f), m_h(h) {}
    Result<size_t> read(char* buf, size_t cap) override
    {
        const qint64 n = m_f.read(buf, static_cast<qint64>(cap));
        if (n < 0) return makeError(ErrorCode::Io, QStringLiteral("read error: %1").arg(m_f.errorString()), m_f.fileName());
        if (m_h && n > 0) m_h->update(buf, static_cast<size_t>(n));
        return static_cast<size_t>(n);
    }

private:
    QFile& m_f;
    crypto::Sha256* m_h;
};

std::string entryNameOf(const QString& path)
{
    QString name = QFileInfo(path).fileName();
    if (name.endsWith(QStringLiteral(".gz"), Qt::CaseInsensitive)) name.chop(3);
    else if (name.endsWith(QStringLiteral(".tgz"), Qt::CaseInsensitive)) name = name.chopped(4) + QStringLiteral(".tar");
    if (name.isEmpty()) name = QStringLiteral("data");
    return name.toStdString();
}
} // namespace

Result<std::unique_ptr<GzipFileSource>> GzipFileSource::open(const QString& path, const SourceLimits& limits)
{
    std::unique_ptr<GzipFileSource> s(new GzipFileSource);
    s->m_path = path;
    s->m_limits = limits;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return makeError(ErrorCode::Io, f.errorString(), path);
    crypto::Sha256 h;
    QFileReader raw(f, &h);
    GzipReader gz(raw, path, limits);
    std::vector<char> buf(1 << 16);
    int64_t size = 0;
    for (;;) {
        auto n = gz.read(buf.data(), buf.size());
        if (!n) return n.error();
        if (*n == 0) break;
        size += static_cast<int64_t>(*n);
    }
    // Trailing bytes the inflater did not need are still part of the file as collected.
    for (;;) {
        auto n = raw.read(buf.data(), buf.size());
        if (!n) return n.error();
        if (*n == 0) break;
    }
    s->m_compressedBytes = f.size();
    s->m_compressedSha = crypto::toHex(h.finish());
    s->m_entries.push_back({entryNameOf(path), size});
    return s;
}

Status GzipFileSource::forEach(const std::function<Status(const SourceEntry&, EntryReader&)>& fn)
{
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly)) return makeError(ErrorCode::Io, f.errorString(), m_path);
    QFileReader raw(f, nullptr);
    GzipReader gz(raw, m_path, m_limits);
    return fn(m_entries.front(), gz);
}

Result<std::string> GzipFileSource::readAll(const std::string&, int64_t maxBytes)
{
    if (m_entries.front().size > maxBytes)
        return makeError(ErrorCode::Limit, QStringLiteral("larger than the limit of %1 bytes").arg(maxBytes), m_path);
    std::string out;
    Status s = forEach([&](const SourceEntry&, EntryReader& r) -> Status {
        std::vector<char> buf(1 << 16);
        for (;;) {
            auto n = r.read(buf.data(), buf.size());
            if (!n) return n.error();
            if (*n == 0) return {};
            out.append(buf.data(), *n);
            if (static_cast<int64_t>(out.size()) > maxBytes)
                return makeError(ErrorCode::Limit, QStringLiteral("larger than the limit of %1 bytes").arg(maxBytes), m_path);
        }
    });
    if (!s) return s.error();
    return out;
}

Result<std::unique_ptr<BundleSource>> openSource(const QString& path, const SourceLimits& limits)
{
    auto source = BundleSource::open(path, limits);
    if (source || source.error().code != ErrorCode::Format || !isGzipFile(path)) return source;
    // A gzip file that is not a tar archive: if it holds JSON text, read it as one file.
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return source;
    QFileReader raw(f, nullptr);
    GzipReader gz(raw, path, limits);
    char head[512];
    size_t got = 0;
    while (got < sizeof head) {
        auto n = gz.read(head + got, sizeof head - got);
        if (!n || *n == 0) break;
        got += *n;
    }
    size_t i = 0;
    if (got >= 3 && static_cast<unsigned char>(head[0]) == 0xEF && static_cast<unsigned char>(head[1]) == 0xBB &&
        static_cast<unsigned char>(head[2]) == 0xBF)
        i = 3;
    while (i < got && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
    if (i >= got || (head[i] != '{' && head[i] != '[')) return source;
    auto gzSource = GzipFileSource::open(path, limits);
    if (!gzSource) return gzSource.error();
    return std::unique_ptr<BundleSource>(std::move(*gzSource));
}

} // namespace chainsight::io
