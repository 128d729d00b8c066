#include "importers/Importer.h"

#include "importers/native/NativeImporter.h"

#include "core/store/CaseStore.h"
#include "importers/transcript/TranscriptImporter.h"

namespace chainsight::importers {

const std::vector<Importer*>& allImporters()
{
    static NativeImporter native;
    static TranscriptImporter transcript;
    static const std::vector<Importer*> all = {&native, &transcript};
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
    if (custody::append(store, options.actor, "import_refused", path.toStdString(), detail).ok()) (void)store.commit(*tx);
    return result;
}
} // namespace

Result<ImportReport> importPath(store::CaseStore& store, const QString& path, const ImportOptions& options,
                                const std::string& formatName)
{
    auto source = io::BundleSource::open(path, options.limits);
    if (!source) return recordRefusal(store, path, options, source.error());
    Importer* importer = nullptr;
    if (!formatName.empty()) {
        importer = findImporter(formatName);
        if (!importer)
            return makeError(ErrorCode::Usage, QStringLiteral("unknown format \"%1\"; supported: %2")
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
        if (!importer)
            return makeError(ErrorCode::Format, QStringLiteral("unrecognised evidence format; supported: %1")
                                                    .arg(QString::fromStdString(supportedFormats())),
                             path);
    }
    return recordRefusal(store, path, options, importer->import(store, **source, options));
}

} // namespace chainsight::importers
