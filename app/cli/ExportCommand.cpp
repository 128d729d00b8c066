// chainsight export CASE.db [--package FILE.zip --sign KEY.pem] [--atlas-layer FILE.json] [--stix FILE.json]
// [--timeline FILE.jsonl|FILE.csv]: the signed evidence package and exports for other tools.
#include "app/cli/CliCommon.h"
#include "core/crypto/Crypto.h"
#include "core/package/EvidencePackage.h"
#include "core/report/Exports.h"
#include "core/report/Redaction.h"
#include "core/report/ReportRenderer.h"

#include <QFile>
#include <QSaveFile>

namespace chainsight::cli {

namespace {
Status writeFile(const QString& path, const QByteArray& bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return makeError(ErrorCode::Io, f.errorString(), path);
    return {};
}
} // namespace

int runExport(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("CASE.db"));
    QCommandLineOption packageOpt(QStringLiteral("package"),
                                  QStringLiteral("Write the signed evidence package (.zip)."),
                                  QStringLiteral("FILE.zip"));
    QCommandLineOption signOpt(QStringLiteral("sign"),
                               QStringLiteral("Ed25519 private key (PKCS#8 PEM) to sign the package with."),
                               QStringLiteral("KEY.pem"));
    QCommandLineOption atlasOpt(QStringLiteral("atlas-layer"), QStringLiteral("Write a MITRE ATLAS Navigator layer."),
                                QStringLiteral("FILE.json"));
    QCommandLineOption stixOpt(QStringLiteral("stix"), QStringLiteral("Write a STIX 2.1 bundle of indicators."),
                               QStringLiteral("FILE.json"));
    QCommandLineOption timelineOpt(QStringLiteral("timeline"),
                                   QStringLiteral("Write the timeline for Timesketch (.jsonl or .csv)."),
                                   QStringLiteral("FILE"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print what was written as JSON."));
    for (auto* o : {&packageOpt, &signOpt, &atlasOpt, &stixOpt, &timelineOpt, &jsonOpt})
        p.addOption(*o);
    int code = Ok;
    if (!parseArgs(
            p, args,
            QStringLiteral(
                "Export the signed evidence package, an ATLAS Navigator layer, a STIX 2.1 bundle or the timeline."),
            &code))
        return code;
    const QString usage =
        QStringLiteral("usage: chainsight export CASE.db [--package FILE.zip --sign KEY.pem] [--atlas-layer FILE.json] "
                       "[--stix FILE.json] [--timeline FILE.jsonl|FILE.csv]");
    if (p.positionalArguments().size() != 1 ||
        !(p.isSet(packageOpt) || p.isSet(atlasOpt) || p.isSet(stixOpt) || p.isSet(timelineOpt))) {
        printErr(usage);
        return BadInput;
    }
    if (p.isSet(packageOpt) != p.isSet(signOpt)) {
        printErr(QStringLiteral("--package needs --sign KEY.pem (and --sign goes with --package)"));
        return BadInput;
    }
    if (p.isSet(timelineOpt)) {
        const QString t = p.value(timelineOpt);
        if (!t.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive) &&
            !t.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive)) {
            printErr(QStringLiteral("%1: the timeline is written as .jsonl or .csv").arg(t));
            return BadInput;
        }
    }
    QByteArray keyPem;
    if (p.isSet(signOpt)) {
        QFile f(p.value(signOpt));
        if (!f.open(QIODevice::ReadOnly)) {
            printErr(QStringLiteral("%1: %2").arg(p.value(signOpt), f.errorString()));
            return BadInput;
        }
        keyPem = f.read(1 << 20);
        if (!crypto::PrivateKey::fromPem(keyPem)) {
            printErr(QStringLiteral("%1: not an Ed25519 private key in PEM").arg(p.value(signOpt)));
            return BadInput;
        }
    }

    const QString casePath = p.positionalArguments().first();
    auto store = openCase(casePath, false, true);
    if (!store) return BadInput;
    const bool needData = p.isSet(packageOpt) || p.isSet(atlasOpt) || p.isSet(stixOpt);
    report::ReportData data;
    if (needData) {
        report::CollectOptions co;
        co.withIndex = p.isSet(packageOpt); // the charts are only drawn for the report in the package
        auto d = report::collectReport(*store, co);
        if (!d) {
            printError(d.error(), casePath);
            return exitFor(d.error());
        }
        data = std::move(*d);
        data.tool = CHAINSIGHT_VERSION;
    }
    QJsonObject written;
    std::vector<std::pair<std::string, QString>> toRecord;
    if (p.isSet(atlasOpt)) {
        if (auto w = writeFile(p.value(atlasOpt), report::atlasLayerJson(data)); !w) {
            printError(w.error());
            return BadInput;
        }
        written[QStringLiteral("atlas_layer")] = p.value(atlasOpt);
        toRecord.emplace_back("atlas-layer", p.value(atlasOpt));
    }
    if (p.isSet(stixOpt)) {
        if (auto w = writeFile(p.value(stixOpt), report::stixBundleJson(data)); !w) {
            printError(w.error());
            return BadInput;
        }
        written[QStringLiteral("stix")] = p.value(stixOpt);
        written[QStringLiteral("indicators")] = static_cast<qint64>(report::indicators(data).size());
        toRecord.emplace_back("stix", p.value(stixOpt));
    }
    if (p.isSet(timelineOpt)) {
        if (auto w = report::writeTimeline(*store, p.value(timelineOpt)); !w) {
            printError(w.error());
            return exitFor(w.error());
        }
        written[QStringLiteral("timeline")] = p.value(timelineOpt);
        toRecord.emplace_back("timeline", p.value(timelineOpt));
    }
    if (p.isSet(packageOpt)) {
        package::PackageOptions po;
        po.privateKeyPem = keyPem;
        po.tool = std::string("chainsight ") + CHAINSIGHT_VERSION;
        report::RenderOptions ro;
        auto full = report::renderReport(data, ro);
        if (!full) {
            printError(full.error());
            return BadInput;
        }
        auto pdf = report::renderPdf(*full);
        if (!pdf) {
            printError(pdf.error());
            return Failed;
        }
        po.extra.push_back({"report/report.pdf", "report", *pdf});
        po.extra.push_back({"report/report.html", "report", report::standaloneHtml(*full)});
        report::Redactor redactor = report::Redactor::defaults();
        ro.redactor = &redactor;
        ro.images = false;
        if (auto legal = report::renderReport(data, ro))
            po.extra.push_back({"report/legal-review-copy.html", "legal-copy", report::standaloneHtml(*legal)});
        po.extra.push_back({"exports/atlas-layer.json", "export", report::atlasLayerJson(data)});
        po.extra.push_back({"exports/stix-bundle.json", "export", report::stixBundleJson(data)});
        auto s = package::writePackage(*store, p.value(packageOpt), po);
        if (!s) {
            printError(s.error());
            return exitFor(s.error());
        }
        written[QStringLiteral("package")] = p.value(packageOpt);
        written[QStringLiteral("package_files")] = s->files;
        written[QStringLiteral("package_sha256")] = fromStd(s->packageSha256);
        written[QStringLiteral("manifest_sha256")] = fromStd(s->manifestSha256);
        written[QStringLiteral("key_id")] = fromStd(s->keyId);
        toRecord.emplace_back("package", p.value(packageOpt));
    }
    store.reset();
    for (const auto& [kind, file] : toRecord)
        if (auto r = report::recordExport(casePath, kind, file); !r)
            printErr(QStringLiteral("warning: %1: the export was not recorded in the custody log: %2")
                         .arg(casePath, r.error().toString()));
    if (p.isSet(jsonOpt)) {
        printJson(written);
    } else {
        for (auto it = written.begin(); it != written.end(); ++it)
            printLine(QStringLiteral("%1: %2").arg(
                it.key(), it.value().isString() ? it.value().toString() : QString::number(it.value().toInteger())));
    }
    return Ok;
}

} // namespace chainsight::cli
