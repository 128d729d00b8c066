#include "importers/logs/ForeignImport.h"

#include "core/crypto/Crypto.h"
#include "core/ingest/IngestSession.h"
#include "core/io/Gzip.h"
#include "core/store/CaseStore.h"
#include "importers/cloudtrail/CloudTrailDecoder.h"
#include "importers/otlp/OtlpDecoder.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace chainsight::importers {

namespace {
constexpr size_t kReadChunk = 1 << 20;

// A read buffer no larger than the file needs (a transcript of a few kilobytes does not need a zeroed mebibyte,
// twice per import); an inflated file's size is not known up front.
std::string readBuffer(io::BundleSource& source)
{
    size_t n = kReadChunk;
    if (!dynamic_cast<io::GzipFileSource*>(&source) && !source.entries().empty())
        n = static_cast<size_t>(std::clamp<int64_t>(source.entries().front().size + 1, 4096, static_cast<int64_t>(kReadChunk)));
    return std::string(n, '\0');
}

class SessionSink : public LogSink
{
public:
    SessionSink(ingest::IngestSession& s, int handle, ImportReport& r) : m_session(s), m_handle(handle), m_report(r) {}
    void event(Event&& e) override { m_session.addEvent(std::move(e), m_handle); }
    void decision(Decision&& d) override { m_session.addDecision(std::move(d)); }
    void baseline(AgentBaseline&& b) override { m_session.addBaseline(std::move(b)); }
    void warning(std::string w) override { m_report.warnings.push_back(std::move(w)); }

private:
    ingest::IngestSession& m_session;
    int m_handle;
    ImportReport& m_report;
};

Result<std::pair<std::string, int64_t>> hashSource(io::BundleSource& source)
{
    if (auto* gz = dynamic_cast<io::GzipFileSource*>(&source))
        return std::make_pair(gz->compressedSha256(), gz->compressedBytes());
    crypto::Sha256 h;
    int64_t size = 0;
    std::string buf = readBuffer(source);
    Status s = source.forEach([&](const io::SourceEntry&, io::EntryReader& r) -> Status {
        for (;;) {
            auto n = r.read(buf.data(), buf.size());
            if (!n) return n.error();
            if (*n == 0) return {};
            h.update(std::string_view(buf.data(), *n));
            size += static_cast<int64_t>(*n);
        }
    });
    if (!s) return s.error();
    return std::make_pair(crypto::toHex(h.finish()), size);
}
} // namespace

std::string sourceHead(io::BundleSource& source, size_t bytes)
{
    std::string head;
    if (source.kind() != io::BundleSource::Kind::File) return head;
    (void)source.forEach([&](const io::SourceEntry&, io::EntryReader& r) -> Status {
        head.resize(bytes);
        size_t got = 0;
        while (got < head.size()) {
            auto n = r.read(head.data() + got, head.size() - got);
            if (!n || *n == 0) break;
            got += *n;
        }
        head.resize(got);
        return {};
    });
    return head;
}

std::string sniffLogFormat(std::string_view head)
{
    const int otlp = OtlpDecoder::sniff(head), ct = CloudTrailDecoder::sniff(head);
    if (otlp == 0 && ct == 0) return {};
    return otlp >= ct ? "otlp" : "cloudtrail";
}

Result<ImportReport> importForeignFile(store::CaseStore& store, io::BundleSource& source, const ImportOptions& options,
                                       const ForeignImportSpec& spec)
{
    ImportReport report;
    report.importer = spec.format;
    if (source.kind() != io::BundleSource::Kind::File || source.entries().empty())
        return makeError(ErrorCode::Usage,
                         QStringLiteral("the %1 importer reads one file").arg(QString::fromStdString(spec.format)),
                         source.path());
    const QString path = source.path();
    const QString fileName = QFileInfo(path).fileName();
    // "runs.v2.jsonl" -> "runs.v2", "trail.json.gz" -> "trail".
    QString stemName = fileName;
    if (stemName.endsWith(QLatin1String(".gz"), Qt::CaseInsensitive)) stemName.chop(3);
    const std::string stem = QFileInfo(stemName).completeBaseName().toStdString();
    auto* gz = dynamic_cast<io::GzipFileSource*>(&source);

    auto hashed = hashSource(source);
    if (!hashed) {
        Error e = hashed.error();
        if (e.file.isEmpty()) e.file = fileName;
        return e;
    }
    // Not a structured binding: the progress lambda below captures size, which clang 14 (the sanitizer and fuzz
    // build) refuses for a binding.
    const std::string sha = hashed->first;
    const int64_t size = hashed->second;
    auto existing = store.bundleByContentHash(sha);
    if (!existing) return existing.error();
    if (*existing) {
        report.alreadyImported = true;
        report.bundleRow = (*existing)->id;
        report.bundleId = (*existing)->bundleId;
        return report;
    }
    if (spec.prepare) CS_TRY(spec.prepare(store));

    BundleRecord b;
    b.bundleId = (stem.empty() ? spec.format : stem) + "-" + sha.substr(0, 12);
    b.format = spec.format;
    b.title = spec.title + " " + fileName.toStdString();
    b.contentSha256 = sha;
    b.source = path.toStdString();
    b.importedAt = custody::nowRfc3339();
    b.importedBy = options.actor.name;
    b.importedOn = options.actor.host;
    b.parentBundle = options.parentBundle;
    report.bundleId = b.bundleId;

    ingest::IngestSession session(store);
    CS_TRY(session.begin(b, size / 600));
    const int handle = session.beginFile(fileName.toStdString(), "log");
    SessionSink sink(session, handle, report);
    std::unique_ptr<LogDecoder> decoder = spec.make(sink, b.bundleId, stem);

    auto fail = [&](Error e) -> Error {
        session.abort();
        if (e.file.isEmpty()) e.file = fileName;
        return e;
    };
    auto cancelled = [&] { return options.cancel && options.cancel->load(); };

    // The bytes as collected, kept whole: a compressed file is kept compressed.
    crypto::Sha256 check;
    int64_t checkSize = 0;
    std::string buf = readBuffer(source);
    if (gz) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) return fail(makeError(ErrorCode::Io, f.errorString()));
        for (;;) {
            const qint64 n = f.read(buf.data(), static_cast<qint64>(buf.size()));
            if (n < 0) return fail(makeError(ErrorCode::Io, f.errorString()));
            if (n == 0) break;
            check.update(std::string_view(buf.data(), static_cast<size_t>(n)));
            session.fileBytes(handle, std::string_view(buf.data(), static_cast<size_t>(n)));
            checkSize += n;
        }
    }
    const int passes = decoder->passes();
    int64_t done = 0;
    for (int pass = 0; pass < passes; ++pass) {
        if (Status s = decoder->beginPass(pass); !s) return fail(s.error());
        Status read = source.forEach([&](const io::SourceEntry&, io::EntryReader& r) -> Status {
            for (;;) {
                if (cancelled()) return makeError(ErrorCode::Cancelled, QStringLiteral("import cancelled"));
                if (session.failed()) return {};
                auto n = r.read(buf.data(), buf.size());
                if (!n) return n.error();
                if (*n == 0) return {};
                const std::string_view chunk(buf.data(), *n);
                if (!gz && pass == 0) {
                    check.update(chunk);
                    checkSize += static_cast<int64_t>(*n);
                    session.fileBytes(handle, chunk);
                }
                CS_TRY(decoder->feed(chunk));
                done += static_cast<int64_t>(*n);
                if (options.progress) options.progress(done, size * passes);
            }
        });
        if (session.failed()) return session.writerError();
        if (!read) return fail(read.error());
        if (Status s = decoder->endPass(); !s) return fail(s.error());
    }
    if (crypto::toHex(check.finish()) != sha || checkSize != size)
        return fail(makeError(ErrorCode::Integrity, QStringLiteral("the file changed while it was being imported")));
    session.endFile(handle, sha, size);
    if (session.failed()) return session.writerError();

    json::Value detail = json::Value::object();
    detail.set("source", json::Value::string(b.source));
    detail.set("format", json::Value::string(spec.format));
    detail.set("sha256", json::Value::string(sha));
    detail.set("bytes", json::Value::integer(size));
    if (gz) detail.set("compression", json::Value::string("gzip"));
    const json::Value summary = decoder->summary();
    for (const auto& [k, v] : summary.members())
        detail.set(k, v);
    auto row = session.finish(options.actor, "import", b.bundleId, detail);
    if (!row) {
        Error e = row.error();
        if (e.file.isEmpty()) e.file = fileName;
        return e;
    }
    report.bundleRow = *row;
    report.events = decoder->events();
    report.decisions = decoder->decisions();
    if (report.events == 0 && report.decisions == 0) report.warnings.push_back("the file holds no events");
    return report;
}

} // namespace chainsight::importers
