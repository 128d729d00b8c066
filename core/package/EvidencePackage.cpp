// Writing and verifying the signed evidence package (see EvidencePackage.h and docs/evidence-package.md).
#include "core/package/EvidencePackage.h"
#include "core/crypto/Crypto.h"
#include "core/custody/Custody.h"
#include "core/io/ArchiveWriter.h"
#include "core/io/BundleSource.h"
#include "core/json/Json.h"
#include "core/store/CaseStore.h"
#include "core/store/ReportQueries.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <QFileInfo>
#include <QTemporaryDir>

#include <map>
#include <set>

namespace chainsight::package {

std::string pae(const std::string& payloadType, const std::string& body)
{
    return "DSSEv1 " + std::to_string(payloadType.size()) + " " + payloadType + " " + std::to_string(body.size()) +
           " " + body;
}

namespace {

std::string b64(const QByteArray& b)
{
    return b.toBase64().toStdString();
}

// A path segment safe in a zip on every system: bundle ids come from the collector.
std::string safeSegment(const std::string& s)
{
    std::string out;
    for (char c : s)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
    if (out.empty() || out == "." || out == "..") out = "bundle";
    return out;
}

} // namespace

Result<PackageSummary> writePackage(store::CaseStore& store, const QString& out, const PackageOptions& options)
{
    auto key = crypto::PrivateKey::fromPem(options.privateKeyPem);
    if (!key) return key.error();
    const QByteArray pubPem = key->publicPem();
    auto pub = crypto::PublicKey::fromPem(pubPem);
    if (!pub) return pub.error();

    std::vector<io::ArchiveItem> items;
    json::Value files = json::Value::array();
    int64_t total = 0;
    auto add = [&](std::string path, std::string data, const std::string& role) {
        json::Value f = json::Value::object();
        f.set("path", json::Value::string(path));
        f.set("sha256", json::Value::string(crypto::sha256Hex(data)));
        f.set("bytes", json::Value::integer(static_cast<int64_t>(data.size())));
        f.set("role", json::Value::string(role));
        files.append(std::move(f));
        total += static_cast<int64_t>(data.size());
        items.push_back({std::move(path), std::move(data)});
    };

    // The original bundle files, as stored at import (their hashes were checked then).
    auto bundles = store.bundles();
    if (!bundles) return bundles.error();
    std::map<int64_t, std::string> dirOf;
    std::set<std::string> usedDirs;
    for (const auto& b : *bundles) {
        std::string dir = safeSegment(b.bundleId);
        for (int n = 2; !usedDirs.insert(dir).second; ++n)
            dir = safeSegment(b.bundleId) + "-" + std::to_string(n);
        dirOf[b.id] = dir;
    }
    auto evidence = store.evidenceFiles();
    if (!evidence) return evidence.error();
    for (const auto& f : *evidence) {
        std::string data;
        CS_TRY(store.readEvidence(f.id, [&](std::string_view chunk) {
            data.append(chunk);
            return true;
        }));
        if (crypto::sha256Hex(data) != f.sha256)
            return makeError(ErrorCode::Integrity,
                             QStringLiteral("stored evidence no longer matches its recorded SHA-256"),
                             QString::fromStdString(f.path));
        add("evidence/" + dirOf[f.bundle] + "/" + f.path, std::move(data), "evidence:" + f.role);
    }

    // A consistent snapshot of the case database.
    QTemporaryDir tmp;
    if (!tmp.isValid()) return makeError(ErrorCode::Io, QStringLiteral("cannot make a temporary directory"));
    const QString snap = tmp.filePath(QStringLiteral("case.db"));
    CS_TRY(store::report::snapshot(store, snap));
    {
        QFile f(snap);
        if (!f.open(QIODevice::ReadOnly)) return makeError(ErrorCode::Io, f.errorString(), snap);
        add("case/case.db", f.readAll().toStdString(), "case");
    }

    // The custody log, one JSON object a line (the chain can be checked from it alone).
    auto custody = store.custody();
    if (!custody) return custody.error();
    std::string log;
    for (const auto& c : *custody) {
        json::Value o = json::Value::object();
        o.set("seq", json::Value::integer(c.seq));
        o.set("ts", json::Value::string(c.ts));
        o.set("actor", json::Value::string(c.actor));
        o.set("host", json::Value::string(c.host));
        o.set("action", json::Value::string(c.action));
        o.set("target", json::Value::string(c.target));
        o.set("detail", json::Value::string(c.detail));
        o.set("prev", json::Value::string(c.prev));
        o.set("hash", json::Value::string(c.hash));
        log += o.dump() + "\n";
    }
    add("custody/custody.jsonl", std::move(log), "custody");
    for (const auto& e : options.extra)
        add(e.path, e.data.toStdString(), e.role);
    add(kPublicKeyPath, pubPem.toStdString(), "key");

    auto title = store.meta("title");
    json::Value manifest = json::Value::object();
    manifest.set("format", json::Value::string(kManifestFormat));
    manifest.set("version", json::Value::integer(1));
    manifest.set("created_at", json::Value::string(custody::nowRfc3339()));
    manifest.set("created_by", json::Value::string(custody::Actor::current().name));
    manifest.set("tool", json::Value::string(options.tool));
    manifest.set("case_file", json::Value::string(QFileInfo(store.path()).fileName().toStdString()));
    if (title && *title) manifest.set("case_title", json::Value::string(**title));
    manifest.set("key_id", json::Value::string(pub->fingerprint()));
    manifest.set("files", std::move(files));
    const std::string payload = manifest.dump();
    const std::string signedBytes = pae(kPayloadType, payload);
    const QByteArray sig = key->sign(reinterpret_cast<const uint8_t*>(signedBytes.data()), signedBytes.size());

    json::Value signature = json::Value::object();
    signature.set("keyid", json::Value::string(pub->fingerprint()));
    signature.set("sig", json::Value::string(b64(sig)));
    json::Value envelope = json::Value::object();
    envelope.set("payloadType", json::Value::string(kPayloadType));
    envelope.set("payload", json::Value::string(b64(QByteArray::fromStdString(payload))));
    envelope.set("signatures", json::Value::array({std::move(signature)}));
    items.insert(items.begin(), io::ArchiveItem{kEnvelopePath, envelope.dump() + "\n"});

    // Written beside the target and renamed, so a failed export never leaves half a package under its name.
    const QString part = out + QStringLiteral(".part");
    QFile::remove(part);
    CS_TRY(io::writeArchive(part, io::ArchiveFormat::Zip, items));
    QFile::remove(out);
    if (!QFile::rename(part, out)) {
        QFile::remove(part);
        return makeError(ErrorCode::Io, QStringLiteral("cannot write the package"), out);
    }
    PackageSummary s;
    s.files = static_cast<int>(items.size());
    s.bytes = total;
    s.manifestSha256 = crypto::sha256Hex(payload);
    s.keyId = pub->fingerprint();
    QFile f(out);
    if (f.open(QIODevice::ReadOnly)) {
        QCryptographicHash h(QCryptographicHash::Sha256);
        h.addData(&f);
        s.packageSha256 = h.result().toHex().toStdString();
    }
    return s;
}

bool isPackage(const QString& path)
{
    if (QFileInfo(path).isDir() || io::sniffKind(path) != io::BundleSource::Kind::Zip) return false;
    auto src = io::BundleSource::open(path);
    if (src && (*src)->entry(kEnvelopePath) != nullptr) return true;
    // A damaged entry makes the archive unreadable as a whole, and a damaged local header hides the envelope's name
    // from the entry list; a package still names its envelope in the zip's central directory at the end of the
    // file, so it is still recognised (and then fails verification by name).
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return false;
    const qint64 tail = std::min<qint64>(f.size(), 4 << 20);
    f.seek(f.size() - tail);
    return f.read(tail).contains(QByteArray(kEnvelopePath));
}

Result<PackageReport> verifyPackage(const QString& path, const QByteArray& trustedKeyPem)
{
    PackageReport rep;
    const std::string pkg = QFileInfo(path).fileName().toStdString();
    auto src = io::BundleSource::open(path);
    if (!src) {
        // A damaged entry: name it, as a changed file.
        const std::string entry = src.error().field.toStdString();
        if (!entry.empty()) rep.problems.push_back({entry, "sha256", "unreadable: " + src.error().message.toStdString()});
        else rep.problems.push_back({pkg, "format", src.error().toString().toStdString()});
        return rep;
    }
    io::BundleSource& s = **src;

    // The envelope and its signature.
    auto env = s.readAll(kEnvelopePath, 16 << 20);
    if (!env) {
        rep.problems.push_back(
            {kEnvelopePath, s.entry(kEnvelopePath) ? "format" : "missing", env.error().message.toStdString()});
        return rep;
    }
    json::Parser parser;
    auto envelope = parser.parse(*env);
    std::string payload;
    if (!envelope || !envelope->isObject()) {
        rep.problems.push_back(
            {kEnvelopePath, "format", envelope ? "not a JSON object" : envelope.error().toString().toStdString()});
        return rep;
    }
    if (envelope->str("payloadType") != kPayloadType) {
        rep.problems.push_back({kEnvelopePath, "format", "payloadType is not " + std::string(kPayloadType)});
        return rep;
    }
    const QByteArray decoded =
        QByteArray::fromBase64Encoding(QByteArray::fromStdString(std::string(envelope->str("payload"))),
                                       QByteArray::AbortOnBase64DecodingErrors)
            .decoded;
    payload = decoded.toStdString();

    QByteArray keyPem = trustedKeyPem;
    rep.keyPinned = !keyPem.isEmpty();
    if (keyPem.isEmpty()) {
        auto k = s.readAll(kPublicKeyPath, 64 << 10);
        if (k) keyPem = QByteArray::fromStdString(*k);
    }
    auto pub = crypto::PublicKey::fromPem(keyPem);
    if (!pub) {
        rep.problems.push_back(
            {rep.keyPinned ? "(key)" : kPublicKeyPath, "key", "no Ed25519 public key to check the signature with"});
    } else {
        rep.keyId = pub->fingerprint();
        const std::string signedBytes = pae(kPayloadType, payload);
        const json::Value* sigs = envelope->find("signatures");
        bool named = false;
        if (sigs && sigs->isArray())
            for (const auto& sig : sigs->items()) {
                if (sig.str("keyid") != rep.keyId) continue;
                named = true;
                const QByteArray raw = QByteArray::fromBase64(QByteArray::fromStdString(std::string(sig.str("sig"))));
                if (pub->verify(reinterpret_cast<const uint8_t*>(signedBytes.data()), signedBytes.size(), raw))
                    rep.signatureValid = true;
            }
        if (!rep.signatureValid)
            rep.problems.push_back({kEnvelopePath, "signature",
                                    named ? "the manifest's signature does not verify"
                                          : "no signature by key " + rep.keyId.substr(0, 16)});
    }

    auto manifest = parser.parse(payload);
    if (!manifest || !manifest->isObject() || manifest->str("format") != kManifestFormat || !manifest->find("files") ||
        !manifest->find("files")->isArray()) {
        rep.problems.push_back({kEnvelopePath, "format", "the payload is not a chainsight-evidence-package manifest"});
        return rep;
    }
    rep.createdAt = std::string(manifest->str("created_at"));
    rep.caseTitle = std::string(manifest->str("case_title"));
    if (rep.keyPinned || !pub) {
    } else if (manifest->str("key_id") != rep.keyId) {
        rep.problems.push_back({kPublicKeyPath, "key", "the package's key is not the one the manifest names"});
    }

    // Every entry hashed in one pass; when an entry cannot be read (a damaged archive), that entry fails and
    // the others are read one by one so each still gets its own verdict.
    std::map<std::string, std::string> hashOf, errorOf;
    auto hashEntries = [&](const std::set<std::string>* only) {
        std::string current;
        Status st = s.forEach([&](const io::SourceEntry& entry, io::EntryReader& r) -> Status {
            if (only && !only->count(entry.path)) return {};
            if (hashOf.count(entry.path) || errorOf.count(entry.path)) return {};
            current = entry.path;
            crypto::Sha256 h;
            std::vector<char> buf(1 << 16);
            for (;;) {
                auto got = r.read(buf.data(), buf.size());
                if (!got) return got.error();
                if (*got == 0) break;
                h.update(buf.data(), *got);
            }
            hashOf[entry.path] = crypto::toHex(h.finish());
            return {};
        });
        if (!st && !current.empty() && !hashOf.count(current)) errorOf[current] = st.error().message.toStdString();
        return st.ok();
    };
    if (!hashEntries(nullptr)) {
        for (const auto& e : s.entries()) {
            if (hashOf.count(e.path) || errorOf.count(e.path)) continue;
            const std::set<std::string> one{e.path};
            if (!hashEntries(&one) && !hashOf.count(e.path) && !errorOf.count(e.path)) errorOf[e.path] = "unreadable";
        }
    }

    std::set<std::string> listed{kEnvelopePath};
    for (const auto& f : manifest->find("files")->items()) {
        ++rep.files;
        const std::string p(f.str("path"));
        const std::string want(f.str("sha256"));
        const json::Value* bytes = f.find("bytes");
        auto norm = io::BundleSource::checkPath(p);
        if (!norm) {
            rep.problems.push_back({p, "unsafe", norm.error().message.toStdString()});
            continue;
        }
        listed.insert(*norm);
        const io::SourceEntry* e = s.entry(*norm);
        if (!e) {
            rep.problems.push_back({p, "missing", "listed in the manifest, absent from the package"});
            continue;
        }
        if (bytes && bytes->isInt() && bytes->asInt() != e->size) {
            rep.problems.push_back(
                {p, "size",
                 "size " + std::to_string(e->size) + ", the manifest says " + std::to_string(bytes->asInt())});
            continue;
        }
        if (auto err = errorOf.find(*norm); err != errorOf.end()) {
            rep.problems.push_back({p, "sha256", "unreadable: " + err->second});
            continue;
        }
        auto got = hashOf.find(*norm);
        if (got == hashOf.end() || got->second != want) {
            rep.problems.push_back({p, "sha256", "SHA-256 differs from the manifest"});
            continue;
        }
        ++rep.filesValid;
    }
    for (const auto& e : s.entries())
        if (!listed.count(e.path))
            rep.problems.push_back({e.path, "unlisted", "in the package, not in the signed manifest"});
    return rep;
}

} // namespace chainsight::package
