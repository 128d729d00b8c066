// chainsight verify CASE.db|BUNDLE [--json] [--case CASE.db] [--key KEY.pem]...
// In the manner of CloudTrail's validate-logs: one line per failure, then a summary; exit 0 intact, 1 not.
#include "app/cli/CliCommon.h"
#include "core/crypto/Crypto.h"
#include "core/custody/CaseVerifier.h"
#include "core/package/EvidencePackage.h"
#include "importers/native/NativeBundle.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace chainsight::cli {

namespace {
std::string checkFor(const Error& e)
{
    switch (e.code) {
    case ErrorCode::Integrity:
        return "sha256";
    case ErrorCode::Manifest:
        if (e.message.contains(QLatin1String("missing"))) return "missing";
        if (e.message.contains(QLatin1String("not listed"))) return "unlisted";
        if (e.message.startsWith(QLatin1String("size"))) return "size";
        return "manifest";
    case ErrorCode::Limit:
        return "limit";
    case ErrorCode::Unsafe:
        return "unsafe";
    default:
        return "format";
    }
}

class CollectVisitor : public importers::NativeVisitor
{
public:
    std::vector<custody::VerifyProblem> problems;
    bool problem(const Error& e) override
    {
        custody::VerifyProblem p;
        p.file = e.file.toStdString();
        p.line = e.line;
        p.check = checkFor(e);
        p.message = (e.field.isEmpty() ? e.message : e.field + QStringLiteral(": ") + e.message).toStdString();
        problems.push_back(std::move(p));
        return true; // go on: report every failure
    }
    void decision(Decision&& d, const std::string& detail) override
    {
        if (!d.valid) problems.push_back({"", "decisions.jsonl", -1, d.seq, d.failure, detail});
    }
};

QJsonObject counts(int64_t valid, int64_t total)
{
    return QJsonObject{{QStringLiteral("valid"), static_cast<qint64>(valid)}, {QStringLiteral("total"), static_cast<qint64>(total)}};
}

int report(const QString& path, const QString& kind, const custody::VerifyReport& rep, bool json, bool hasDecisionLog)
{
    // Keys: trust as used by the decision log.
    int unpinned = 0;
    QJsonArray keys;
    QStringList keyWords;
    for (const auto& [id, trust] : rep.keys) {
        keys.append(QJsonObject{{QStringLiteral("key_id"), fromStd(id)}, {QStringLiteral("trust"), fromStd(std::string(custody::keyTrustName(trust)))}});
        keyWords << QStringLiteral("%1 %2").arg(fromStd(id), fromStd(std::string(custody::keyTrustName(trust))));
        if (trust != custody::KeyTrust::Pinned) ++unpinned;
    }
    if (json) {
        QJsonArray failures;
        for (const auto& p : rep.problems) {
            QJsonObject o{{QStringLiteral("file"), fromStd(p.file)}, {QStringLiteral("check"), fromStd(p.check)},
                          {QStringLiteral("message"), fromStd(p.message)}};
            if (p.line > 0) o[QStringLiteral("line")] = static_cast<qint64>(p.line);
            if (p.seq >= 0) o[QStringLiteral("seq")] = static_cast<qint64>(p.seq);
            if (!p.bundle.empty()) o[QStringLiteral("bundle")] = fromStd(p.bundle);
            failures.append(o);
        }
        QJsonObject out{{QStringLiteral("path"), path},
                        {QStringLiteral("kind"), kind},
                        {QStringLiteral("intact"), rep.intact()},
                        {QStringLiteral("files"), counts(rep.filesValid, rep.files)},
                        {QStringLiteral("events"), counts(rep.eventsValid, rep.events)},
                        {QStringLiteral("decisions"), counts(rep.decisionsValid, rep.decisions)},
                        {QStringLiteral("keys"), keys},
                        {QStringLiteral("keys_unpinned"), unpinned},
                        {QStringLiteral("failures"), failures}};
        if (kind == QLatin1String("case")) out[QStringLiteral("custody")] = counts(rep.custodyValid, rep.custody);
        printJson(out);
    } else {
        for (const auto& p : rep.problems) printLine(QStringLiteral("FAIL %1").arg(fromStd(p.toLine())));
        printLine(QStringLiteral("Results for %1 (%2): %3").arg(path, kind, rep.intact() ? QStringLiteral("intact") : QStringLiteral("NOT INTACT")));
        printLine(QStringLiteral("  files valid %1/%2").arg(rep.filesValid).arg(rep.files));
        printLine(QStringLiteral("  events valid %1/%2").arg(rep.eventsValid).arg(rep.events));
        if (hasDecisionLog || rep.decisions)
            printLine(QStringLiteral("  decisions valid %1/%2").arg(rep.decisionsValid).arg(rep.decisions));
        else
            printLine(QStringLiteral("  decisions: no decision log"));
        if (kind == QLatin1String("case")) printLine(QStringLiteral("  custody entries valid %1/%2").arg(rep.custodyValid).arg(rep.custody));
        if (keyWords.isEmpty())
            printLine(QStringLiteral("  keys: none used"));
        else
            printLine(QStringLiteral("  keys: %1%2").arg(keyWords.join(QStringLiteral(", ")),
                                                        unpinned ? QStringLiteral(" (signatures by unpinned keys prove nothing: pin the collector's key)") : QString()));
    }
    return rep.intact() ? Ok : Failed;
}
// A signed evidence package (chainsight export --package): the DSSE signature over the manifest, then every file.
int verifyPackageFile(const QString& path, bool json, const QStringList& keyPaths)
{
    QByteArray trusted;
    if (!keyPaths.isEmpty()) {
        QFile f(keyPaths.first());
        if (!f.open(QIODevice::ReadOnly)) {
            printErr(QStringLiteral("%1: %2").arg(keyPaths.first(), f.errorString()));
            return BadInput;
        }
        trusted = f.read(1 << 20);
        if (!crypto::PublicKey::fromPem(trusted)) {
            printErr(QStringLiteral("%1: not an Ed25519 public key in PEM").arg(keyPaths.first()));
            return BadInput;
        }
    }
    auto rep = package::verifyPackage(path, trusted);
    if (!rep) {
        printError(rep.error(), path);
        return Failed;
    }
    if (json) {
        QJsonArray failures;
        for (const auto& pr : rep->problems)
            failures.append(QJsonObject{{QStringLiteral("file"), fromStd(pr.file)}, {QStringLiteral("check"), fromStd(pr.check)},
                                        {QStringLiteral("message"), fromStd(pr.message)}});
        printJson(QJsonObject{{QStringLiteral("path"), path},
                              {QStringLiteral("kind"), QStringLiteral("package")},
                              {QStringLiteral("intact"), rep->intact()},
                              {QStringLiteral("signature"), QJsonObject{{QStringLiteral("valid"), rep->signatureValid},
                                                                        {QStringLiteral("key_id"), fromStd(rep->keyId)},
                                                                        {QStringLiteral("key_pinned"), rep->keyPinned}}},
                              {QStringLiteral("files"), counts(rep->filesValid, rep->files)},
                              {QStringLiteral("failures"), failures}});
    } else {
        for (const auto& pr : rep->problems) printLine(QStringLiteral("FAIL %1").arg(fromStd(pr.toLine())));
        printLine(QStringLiteral("Results for %1 (package): %2").arg(path, rep->intact() ? QStringLiteral("intact") : QStringLiteral("NOT INTACT")));
        printLine(QStringLiteral("  manifest signature %1 (key %2%3)")
                      .arg(rep->signatureValid ? QStringLiteral("valid") : QStringLiteral("INVALID"), fromStd(rep->keyId.substr(0, 16)),
                           rep->keyPinned ? QStringLiteral(", given with --key") : QStringLiteral(", the package's own: pass --key to check who signed it")));
        printLine(QStringLiteral("  files valid %1/%2").arg(rep->filesValid).arg(rep->files));
    }
    return rep->intact() ? Ok : Failed;
}
} // namespace

int runVerify(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("target"), QStringLiteral("A case file or an evidence bundle."), QStringLiteral("CASE.db|BUNDLE"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print the result as JSON."));
    QCommandLineOption caseOpt(QStringLiteral("case"), QStringLiteral("Verify a bundle with the keys pinned in this case."), QStringLiteral("CASE.db"));
    QCommandLineOption keyOpt(QStringLiteral("key"), QStringLiteral("Trust this public key (id = file name) for a bundle."), QStringLiteral("KEY.pem"));
    p.addOption(jsonOpt);
    p.addOption(caseOpt);
    p.addOption(keyOpt);
    int code = Ok;
    if (!parseArgs(p, args, QStringLiteral("Verify a case or a bundle: hashes, decision-log chain and signatures, custody."), &code)) return code;
    if (p.positionalArguments().size() != 1) {
        printErr(QStringLiteral("usage: chainsight verify CASE.db|BUNDLE [--json] [--case CASE.db] [--key KEY.pem]"));
        return BadInput;
    }
    const QString target = p.positionalArguments().first();
    if (!QFileInfo::exists(target)) {
        printErr(QStringLiteral("%1: no such file or directory").arg(target));
        return BadInput;
    }

    if (package::isPackage(target)) return verifyPackageFile(target, p.isSet(jsonOpt), p.values(keyOpt));

    if (store::looksLikeCaseFile(target)) {
        auto store = openCase(target, false, true);
        if (!store) return BadInput;
        auto rep = custody::verifyCase(*store, custody::VerifyDepth::Full);
        if (!rep) {
            printError(rep.error());
            return Failed;
        }
        return report(target, QStringLiteral("case"), *rep, p.isSet(jsonOpt), rep->decisions > 0);
    }

    std::map<std::string, std::string> pinned;
    if (p.isSet(caseOpt)) {
        auto store = openCase(p.value(caseOpt), false, true);
        if (!store) return BadInput;
        auto keys = store->pinnedKeys();
        if (!keys) {
            printError(keys.error());
            return Failed;
        }
        for (const auto& k : *keys) pinned[k.keyId] = k.pem;
    }
    for (const QString& keyPath : p.values(keyOpt)) {
        QFile f(keyPath);
        if (!f.open(QIODevice::ReadOnly)) {
            printErr(QStringLiteral("%1: %2").arg(keyPath, f.errorString()));
            return BadInput;
        }
        QByteArray pem = f.read(1 << 20);
        if (!crypto::PublicKey::fromPem(pem)) {
            printErr(QStringLiteral("%1: not an Ed25519 public key in PEM").arg(keyPath));
            return BadInput;
        }
        QString id = QFileInfo(keyPath).fileName();
        for (const char* suffix : {".pub.pem", ".pem"})
            if (id.endsWith(QLatin1String(suffix))) id.chop(static_cast<int>(strlen(suffix)));
        pinned[id.toStdString()] = pem.toStdString();
    }

    auto source = io::BundleSource::open(target);
    if (!source) {
        printError(source.error(), target);
        return exitFor(source.error());
    }
    CollectVisitor visitor;
    auto walked = importers::walkNativeBundle(**source, pinned, visitor);
    if (!walked) {
        printError(walked.error(), target);
        return walked.error().code == ErrorCode::Manifest || walked.error().code == ErrorCode::Json ? Failed : BadInput;
    }
    custody::VerifyReport rep;
    rep.files = walked->files;
    rep.filesValid = walked->filesValid;
    rep.events = walked->events + walked->eventsBad;
    rep.eventsValid = walked->events;
    rep.decisions = walked->decisions;
    rep.decisionsValid = walked->decisionsValid;
    rep.keys = walked->keys;
    rep.problems = std::move(visitor.problems);
    return report(target, QStringLiteral("bundle"), rep, p.isSet(jsonOpt), walked->hasDecisions);
}

} // namespace chainsight::cli
