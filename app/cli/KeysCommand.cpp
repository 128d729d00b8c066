// chainsight keys pin KEYFILE.pem --case CASE.db [--id KEY_ID] | chainsight keys list --case CASE.db [--json]
#include "app/cli/CliCommon.h"
#include "core/crypto/Crypto.h"
#include "core/custody/Custody.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace chainsight::cli {

namespace {
QString defaultKeyId(const QString& path)
{
    QString base = QFileInfo(path).fileName();
    for (const char* suffix : {".pub.pem", ".pem", ".pub"})
        if (base.endsWith(QLatin1String(suffix))) return base.left(base.size() - static_cast<int>(strlen(suffix)));
    return base;
}
} // namespace

int runKeys(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("pin or list"), QStringLiteral("pin KEYFILE.pem | list"));
    QCommandLineOption caseOpt(QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("CASE.db"));
    QCommandLineOption idOpt(QStringLiteral("id"), QStringLiteral("The key id the decision log uses (default: the file name)."), QStringLiteral("KEY_ID"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print as JSON."));
    p.addOption(caseOpt);
    p.addOption(idOpt);
    p.addOption(jsonOpt);
    int code = Ok;
    if (!parseArgs(p, args, QStringLiteral("Pin and list the keys that decision logs are verified with."), &code)) return code;
    const QStringList pos = p.positionalArguments();
    const QString usage = QStringLiteral("usage: chainsight keys pin KEYFILE.pem --case CASE.db [--id KEY_ID] | chainsight keys list --case CASE.db [--json]");
    if (pos.isEmpty() || !p.isSet(caseOpt)) {
        printErr(usage);
        return BadInput;
    }
    if (pos[0] == QLatin1String("pin")) {
        if (pos.size() != 2) {
            printErr(usage);
            return BadInput;
        }
        QFile f(pos[1]);
        if (!f.open(QIODevice::ReadOnly)) {
            printErr(QStringLiteral("%1: %2").arg(pos[1], f.errorString()));
            return BadInput;
        }
        const QByteArray pem = f.read(1 << 20);
        auto key = crypto::PublicKey::fromPem(pem);
        if (!key) {
            printError(makeError(ErrorCode::Format, QStringLiteral("not an Ed25519 public key in PEM (%1)").arg(key.error().message), pos[1]));
            return BadInput;
        }
        auto store = openCase(p.value(caseOpt), true);
        if (!store) return BadInput;
        const custody::Actor actor = custody::Actor::current();
        KeyRecord k;
        k.keyId = (p.isSet(idOpt) ? p.value(idOpt) : defaultKeyId(pos[1])).toStdString();
        k.fingerprint = key->fingerprint();
        k.pem = key->pem().toStdString();
        k.pinnedAt = custody::nowRfc3339();
        k.pinnedBy = actor.name;
        auto tx = store->begin();
        if (!tx) {
            printError(tx.error());
            return Failed;
        }
        json::Value detail = json::Value::object();
        detail.set("fingerprint", json::Value::string(k.fingerprint));
        detail.set("file", json::Value::string(pos[1].toStdString()));
        Status s = store->pinKey(k);
        if (s) {
            auto e = custody::append(*store, actor, "pin_key", k.keyId, detail);
            if (!e) s = e.error();
        }
        if (s) s = store->commit(*tx);
        if (!s) {
            printError(s.error());
            return Failed;
        }
        printLine(QStringLiteral("pinned key %1 (SHA-256 %2) in %3").arg(fromStd(k.keyId), fromStd(k.fingerprint), p.value(caseOpt)));
        return Ok;
    }
    if (pos[0] == QLatin1String("list")) {
        auto store = openCase(p.value(caseOpt), false, true);
        if (!store) return BadInput;
        auto pinned = store->pinnedKeys();
        auto found = store->bundleKeys();
        if (!pinned || !found) {
            printError(!pinned ? pinned.error() : found.error());
            return Failed;
        }
        std::map<std::string, KeyRecord> pinnedById;
        for (const auto& k : *pinned) pinnedById[k.keyId] = k;
        QJsonArray pinnedJson, foundJson;
        for (const auto& k : *pinned) {
            QJsonObject o{{QStringLiteral("key_id"), fromStd(k.keyId)}, {QStringLiteral("fingerprint"), fromStd(k.fingerprint)},
                          {QStringLiteral("pinned_at"), fromStd(k.pinnedAt)}, {QStringLiteral("pinned_by"), fromStd(k.pinnedBy)}};
            pinnedJson.append(o);
        }
        for (const auto& k : *found) {
            QString status = QStringLiteral("unpinned");
            if (auto it = pinnedById.find(k.keyId); it != pinnedById.end())
                status = it->second.fingerprint == k.fingerprint ? QStringLiteral("pinned") : QStringLiteral("differs-from-pinned");
            QJsonObject o{{QStringLiteral("key_id"), fromStd(k.keyId)}, {QStringLiteral("fingerprint"), fromStd(k.fingerprint)},
                          {QStringLiteral("bundle"), static_cast<qint64>(k.bundle)}, {QStringLiteral("status"), status}};
            foundJson.append(o);
        }
        if (p.isSet(jsonOpt)) {
            printJson(QJsonObject{{QStringLiteral("pinned"), pinnedJson}, {QStringLiteral("bundle_keys"), foundJson}});
            return Ok;
        }
        printLine(QStringLiteral("Pinned keys:"));
        if (pinnedJson.isEmpty()) printLine(QStringLiteral("  (none)"));
        for (const auto& v : pinnedJson) {
            QJsonObject o = v.toObject();
            printLine(QStringLiteral("  %1  %2  pinned %3 by %4").arg(o[QStringLiteral("key_id")].toString(), o[QStringLiteral("fingerprint")].toString(),
                                                                   o[QStringLiteral("pinned_at")].toString(), o[QStringLiteral("pinned_by")].toString()));
        }
        printLine(QStringLiteral("Keys found in bundles:"));
        if (foundJson.isEmpty()) printLine(QStringLiteral("  (none)"));
        for (const auto& v : foundJson) {
            QJsonObject o = v.toObject();
            printLine(QStringLiteral("  %1  %2  %3").arg(o[QStringLiteral("key_id")].toString(), o[QStringLiteral("fingerprint")].toString(),
                                                        o[QStringLiteral("status")].toString()));
        }
        return Ok;
    }
    printErr(usage);
    return BadInput;
}

} // namespace chainsight::cli
