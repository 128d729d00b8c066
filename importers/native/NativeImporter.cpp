#include "importers/native/NativeImporter.h"

#include "core/ingest/IngestSession.h"
#include "core/store/CaseStore.h"
#include "importers/logs/BundleLogs.h"
#include "importers/native/NativeBundle.h"

namespace chainsight::importers {

int NativeImporter::sniff(io::BundleSource& source)
{
    if (source.kind() == io::BundleSource::Kind::File) return 0;
    // A tree with events.jsonl but no manifest is a broken native bundle: say so rather than "unknown format".
    if (!source.entry("manifest.json")) return source.entry("events.jsonl") ? 30 : 0;
    auto raw = source.readAll("manifest.json", 1 << 20);
    if (!raw) return 10;
    return raw->find("\"agent-evidence-bundle\"") != std::string::npos ? 100 : 20;
}

namespace {
class ImportVisitor : public NativeVisitor
{
public:
    ImportVisitor(ingest::IngestSession& s, const ImportOptions& o) : m_session(s), m_options(o) {}

    bool problem(const Error& e) override
    {
        m_error = e;
        return false; // an import stops at the first problem and leaves the case as it was
    }
    void fileBegin(const std::string& path, const std::string& role) override
    {
        m_role = role;
        m_handle = role == "blob" ? 0 : m_session.beginFile(path, role);
        if (role == "log" && m_logs) m_logs->fileBegin(path, m_handle);
    }
    void fileBytes(std::string_view bytes) override
    {
        if (m_handle) m_session.fileBytes(m_handle, bytes);
        if (m_role == "log" && m_logs) m_logs->fileBytes(bytes);
    }
    void fileEnd(const std::string& path, const std::string& sha256, int64_t bytes) override
    {
        if (m_handle) m_session.endFile(m_handle, sha256, bytes);
        if (m_role == "events") m_session.buildIndexes(); // while the walk finishes its signature checks
        if (m_role == "log" && m_logs) m_logs->fileEnd();
        m_handle = 0;
    }
    void event(Event&& e) override
    {
        if (m_logs) m_logs->nativeEvent(e);
        m_session.addEvent(std::move(e), m_handle);
    }
    // Decisions are stored as they stream; the few whose signature check fails afterwards are revised.
    bool deferSignatures() const override { return true; }
    void decision(Decision&& d, const std::string&) override
    {
        if (m_logs) m_logs->nativeDecision(d);
        const int64_t ordinal = m_session.addDecision(std::move(d));
        if (m_decisions++ == 0) m_firstDecision = ordinal;
    }
    void decisionRevised(int64_t ordinal, const Decision& d, const std::string&) override
    {
        m_session.reviseDecision(m_firstDecision + ordinal, d.failure);
    }
    void baseline(AgentBaseline&& b) override
    {
        if (m_logs) m_logs->nativeBaseline(b);
        m_session.addBaseline(std::move(b));
    }
    void setLogs(BundleLogs* logs) { m_logs = logs; }
    void key(KeyRecord&& k) override { m_session.addBundleKey(std::move(k)); }
    void blob(const std::string& path, const std::string& sha256, std::string&& data) override
    {
        m_session.addBlobFile(path, sha256, std::move(data));
    }
    bool cancelled() override { return (m_options.cancel && m_options.cancel->load()) || m_session.failed(); }
    void progress(int64_t done, int64_t total) override
    {
        if (m_options.progress) m_options.progress(done, total);
    }
    const std::optional<Error>& error() const { return m_error; }

private:
    ingest::IngestSession& m_session;
    const ImportOptions& m_options;
    std::optional<Error> m_error;
    std::string m_role;
    int m_handle = 0;
    BundleLogs* m_logs = nullptr;
    int64_t m_decisions = 0, m_firstDecision = 0; // the walk's decision ordinals start at the session's m_firstDecision
};
} // namespace

Result<ImportReport> NativeImporter::import(store::CaseStore& store, io::BundleSource& source,
                                            const ImportOptions& options)
{
    ImportReport report;
    report.importer = name();

    // Identify the bundle before touching the case: the same manifest again is the same bundle.
    if (!source.entry("manifest.json"))
        return makeError(ErrorCode::Manifest, QStringLiteral("no manifest.json at the top of the bundle"),
                         source.path());
    auto rawManifest = source.readAll("manifest.json", 16 << 20);
    if (!rawManifest) {
        Error e = rawManifest.error();
        if (e.file.isEmpty()) e.file = QStringLiteral("manifest.json");
        return e;
    }
    auto manifest = parseManifest(*rawManifest);
    if (!manifest) return manifest.error();
    report.bundleId = manifest->bundleId;
    auto existing = store.bundleByContentHash(manifest->sha256);
    if (!existing) return existing.error();
    if (*existing) {
        report.alreadyImported = true;
        report.bundleRow = (*existing)->id;
        return report;
    }
    auto sameId = store.bundleByBundleId(manifest->bundleId);
    if (!sameId) return sameId.error();
    if (*sameId)
        return makeError(
            ErrorCode::Duplicate,
            QStringLiteral("a different bundle with bundle_id \"%1\" is already in the case (imported %2)")
                .arg(QString::fromStdString(manifest->bundleId), QString::fromStdString((*sameId)->importedAt)),
            QStringLiteral("manifest.json"), -1, QStringLiteral("bundle_id"));

    std::map<std::string, std::string> pinned;
    auto keys = store.pinnedKeys();
    if (!keys) return keys.error();
    for (const auto& k : *keys)
        pinned[k.keyId] = k.pem;

    BundleRecord b;
    b.bundleId = manifest->bundleId;
    b.format = name();
    b.title = manifest->title;
    b.collectedAt = manifest->collectedAt;
    b.collector = manifest->collectorJson;
    b.windowStart = manifest->windowStart;
    b.windowEnd = manifest->windowEnd;
    b.contentSha256 = manifest->sha256;
    b.manifest = manifest->raw;
    b.source = source.path().toStdString();
    b.importedAt = custody::nowRfc3339();
    b.importedBy = options.actor.name;
    b.importedOn = options.actor.host;
    b.parentBundle = options.parentBundle;

    ingest::IngestSession session(store);
    int64_t expected = 0;
    bool hasLogs = false;
    for (const auto& f : manifest->files) {
        if (f.path == "events.jsonl") expected = f.bytes / 300; // a rough count: events run a few hundred bytes
        if (roleOf(f.path) == "log") hasLogs = true;
    }
    // logs/ is decoded by the foreign-log importers into this same bundle and transaction; correlation also
    // looks at the agent actions already in the case, read before the transaction starts.
    std::unique_ptr<BundleLogs> logs;
    if (hasLogs) {
        logs = std::make_unique<BundleLogs>(manifest->bundleId);
        CS_TRY(logs->loadCase(store));
    }
    CS_TRY(session.begin(b, expected));
    ImportVisitor visitor(session, options);
    visitor.setLogs(logs.get());
    auto walked = walkNativeBundle(source, pinned, visitor);
    if (session.failed()) return session.writerError();
    if (!walked) {
        session.abort();
        return walked.error();
    }
    if (visitor.error()) {
        session.abort();
        return *visitor.error();
    }
    if (logs) {
        auto decoded = logs->decode(session, options);
        if (session.failed()) return session.writerError();
        if (!decoded) {
            session.abort();
            return decoded.error();
        }
        report.children = std::move(*decoded);
        for (const auto& child : report.children)
            for (const auto& w : child.warnings)
                report.warnings.push_back(w);
    }

    // The custody entry names every file with its hash: who brought what in, when, from where.
    json::Value files = json::Value::array();
    for (const auto& f : manifest->files) {
        json::Value o = json::Value::object();
        o.set("path", json::Value::string(f.path));
        o.set("sha256", json::Value::string(f.sha256));
        o.set("bytes", json::Value::integer(f.bytes));
        files.append(std::move(o));
    }
    json::Value keysSeen = json::Value::object();
    for (const auto& [id, trust] : walked->keys)
        keysSeen.set(id, json::Value::string(std::string(custody::keyTrustName(trust))));
    json::Value detail = json::Value::object();
    detail.set("source", json::Value::string(b.source));
    detail.set("format", json::Value::string(name()));
    detail.set("manifest_sha256", json::Value::string(manifest->sha256));
    detail.set("files", std::move(files));
    detail.set("events", json::Value::integer(walked->events));
    detail.set("decisions", json::Value::integer(walked->decisions));
    detail.set("decisions_valid", json::Value::integer(walked->decisionsValid));
    detail.set("decision_keys", std::move(keysSeen));
    if (logs) detail.set("logs", logs->custodyDetail());
    auto row = session.finish(options.actor, "import", manifest->bundleId, detail);
    if (!row) return row.error();
    report.bundleRow = *row;
    report.events = walked->events;
    report.decisions = walked->decisions;
    report.decisionsValid = walked->decisionsValid;
    if (walked->decisionsValid < walked->decisions)
        report.warnings.push_back(std::to_string(walked->decisions - walked->decisionsValid) +
                                  " decision log line(s) fail verification: run `chainsight verify` for details");
    for (const auto& [id, trust] : walked->keys)
        if (trust != custody::KeyTrust::Pinned)
            report.warnings.push_back("decision key \"" + id + "\" is " + std::string(custody::keyTrustName(trust)) +
                                      ": pin it with `chainsight keys pin` to trust its signatures");
    return report;
}

} // namespace chainsight::importers
