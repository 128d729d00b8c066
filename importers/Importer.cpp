#include "importers/Importer.h"

#include "importers/native/NativeImporter.h"

#include "core/io/Gzip.h"
#include "core/store/CaseStore.h"
#include "importers/cloudtrail/CloudTrailImporter.h"
#include "importers/otlp/OtlpImporter.h"
#include "importers/transcript/TranscriptImporter.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>

namespace chainsight::importers {

const std::vector<Importer*>& allImporters()
{
    static NativeImporter native;
    static OtlpImporter otlp;
    static CloudTrailImporter cloudtrail;
    static TranscriptImporter transcript;
    static const std::vector<Importer*> all = {&native, &otlp, &cloudtrail, &transcript};
    return all;
}

Importer* findImporter(const std::string& name)
{
    for (Importer* i : allImporters())
        if (i->name() == name) return i;
    return nullptr;
}

std::string supportedFormats()
{
    std::string out;
    for (Importer* i : allImporters()) {
        if (!out.empty()) out += ", ";
        out += i->name() + " (" + i->description() + ")";
    }
    return out;
}

namespace {
// Hostile input (a limit hit, an unsafe archive) is refused and the refusal is on record: the import itself
// left nothing behind, so the custody entry goes in a transaction of its own.
Result<ImportReport> recordRefusal(store::CaseStore& store, const QString& path, const ImportOptions& options,
                                   Result<ImportReport> result)
{
    if (result.ok()) return result;
    const Error& e = result.error();
    if (e.code != ErrorCode::Limit && e.code != ErrorCode::Unsafe) return result;
    auto tx = store.begin();
    if (!tx) return result;
    json::Value detail = json::Value::object();
    detail.set("error", json::Value::string(e.toString().toStdString()));
    detail.set("kind", json::Value::string(e.code == ErrorCode::Limit ? "limit" : "unsafe"));
    if (custody::append(store, options.actor, "import_refused", path.toStdString(), detail).ok())
        (void)store.commit(*tx);
    return result;
}
} // namespace

namespace {
// A folder that is not a bundle (say, AWSLogs/.../CloudTrail/ or a directory of exported traces): every file in
// it, in name order, through the registry. Each file is its own import; the first failure stops the walk and
// names the file (the files before it are in the case, each whole).
Result<ImportReport> importFolder(store::CaseStore& store, const QString& path, const ImportOptions& options,
                                  const std::string& formatName)
{
    QStringList files;
    QDirIterator it(path, QDir::Files | QDir::NoSymLinks | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    std::sort(files.begin(), files.end());
    ImportReport report;
    report.importer = "folder";
    for (const QString& file : files) {
        const QString rel = QDir(QFileInfo(path).absoluteFilePath()).relativeFilePath(QFileInfo(file).absoluteFilePath());
        if (QFileInfo(file).fileName().startsWith(QLatin1Char('.'))) continue;
        auto r = importPath(store, file, options, formatName);
        if (!r) {
            if (r.error().code == ErrorCode::Unsupported) {
                report.warnings.push_back(rel.toStdString() + ": not a format Chainsight reads; skipped");
                continue;
            }
            return r.error();
        }
        report.events += r->events;
        report.decisions += r->decisions;
        report.decisionsValid += r->decisionsValid;
        r->bundleId = r->bundleId.empty() ? rel.toStdString() : r->bundleId;
        report.children.push_back(std::move(*r));
    }
    if (report.children.empty())
        return makeError(
            ErrorCode::Format,
            QStringLiteral("neither an evidence bundle nor a folder of files in a supported format; supported: %1")
                .arg(QString::fromStdString(supportedFormats())),
            path);
    return report;
}
} // namespace

Result<ImportReport> importPath(store::CaseStore& store, const QString& path, const ImportOptions& options,
                                const std::string& formatName)
{
    auto source = io::openSource(path, options.limits);
    if (!source) return recordRefusal(store, path, options, source.error());
    // The case must stay within its size limit: what it holds now plus the bundle, which it keeps whole.
    {
        int64_t bundleBytes = 0;
        for (const auto& e : (*source)->entries())
            bundleBytes += e.size;
        const int64_t caseBytes =
            QFileInfo(store.path()).size() + QFileInfo(store.path() + QStringLiteral("-wal")).size();
        if (caseBytes + bundleBytes > options.limits.maxCaseBytes)
            return recordRefusal(
                store, path, options,
                makeError(
                    ErrorCode::Limit,
                    QStringLiteral("importing %1 bytes would grow the case (%2 bytes) beyond its limit of %3 bytes")
                        .arg(bundleBytes)
                        .arg(caseBytes)
                        .arg(options.limits.maxCaseBytes),
                    path));
    }
    Importer* importer = nullptr;
    if (!formatName.empty()) {
        importer = findImporter(formatName);
        if (importer && importer->name() != "native" && (*source)->kind() == io::BundleSource::Kind::Directory)
            return importFolder(store, path, options, formatName);
        if (!importer)
            return makeError(ErrorCode::Usage,
                             QStringLiteral("unknown format \"%1\"; supported: %2")
                                 .arg(QString::fromStdString(formatName), QString::fromStdString(supportedFormats())));
    } else {
        int best = 0;
        for (Importer* i : allImporters()) {
            const int score = i->sniff(**source);
            if (score > best) {
                best = score;
                importer = i;
            }
        }
        if (!importer && (*source)->kind() == io::BundleSource::Kind::Directory)
            return importFolder(store, path, options, formatName);
        if (!importer)
            return makeError(ErrorCode::Unsupported,
                             QStringLiteral("unrecognised evidence format; supported: %1")
                                 .arg(QString::fromStdString(supportedFormats())),
                             path);
    }
    return recordRefusal(store, path, options, importer->import(store, **source, options));
}

} // namespace chainsight::importers
