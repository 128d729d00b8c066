#include "core/store/CaseStore.h"

#include "core/store/Database.h"
#include "core/store/Rows.h"
#include "core/store/Schema.h"

#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

namespace chainsight::store {

struct CaseStore::Prepared
{
    Statement insertEvent, insertFts, insertChunk, insertBlob, insertDecision;
};

namespace {

BundleRecord readBundle(const Statement& st)
{
    BundleRecord b;
    b.id = st.int64(0);
    b.bundleId = st.text(1);
    b.format = st.text(2);
    b.title = st.text(3);
    b.collectedAt = st.text(4);
    b.collector = st.text(5);
    b.windowStart = st.int64(6);
    b.windowEnd = st.int64(7);
    b.contentSha256 = st.text(8);
    b.manifest = st.text(9);
    b.source = st.text(10);
    b.importedAt = st.text(11);
    b.importedBy = st.text(12);
    b.importedOn = st.text(13);
    b.parentBundle = st.int64(14);
    return b;
}
constexpr std::string_view kBundleCols =
    "id, bundle_id, format, title, collected_at, collector, window_start, window_end, content_sha256, manifest, "
    "source, imported_at, imported_by, imported_on, parent_bundle";

} // namespace

bool looksLikeCaseFile(const QString& path)
{
    QFile f(path);
    if (!QFileInfo(path).isFile() || !f.open(QIODevice::ReadOnly)) return false;
    return f.read(16) == QByteArray("SQLite format 3\0", 16);
}

Result<std::unique_ptr<CaseStore>> CaseStore::open(const QString& path, const OpenOptions& options)
{
    using Mode = OpenOptions::Mode;
    const bool exists = QFileInfo::exists(path);
    if (!exists && options.mode != Mode::OpenOrCreate)
        return makeError(ErrorCode::Io, QStringLiteral("no such case file"), path);
    if (exists && QFileInfo(path).isDir()) return makeError(ErrorCode::NotACase, QStringLiteral("is a directory, not a case file"), path);

    std::unique_ptr<CaseStore> cs(new CaseStore);
    cs->m_path = path;
    cs->m_readOnly = options.mode == Mode::ReadOnly;
    auto db = Database::open(path, cs->m_readOnly ? Database::Access::ReadOnly : Database::Access::ReadWrite,
                             options.mode == Mode::OpenOrCreate);
    if (!db) return db.error();
    cs->m_db = std::move(*db);

    // Is this a case? A new, empty file becomes one; a SQLite file of another application is refused.
    auto appId = cs->m_db->scalar("PRAGMA application_id");
    if (!appId) {
        return makeError(ErrorCode::NotACase, QStringLiteral("not a Chainsight case (%1)").arg(appId.error().message), path);
    }
    auto tables = cs->m_db->scalar("SELECT count(*) FROM sqlite_schema");
    if (!tables) return makeError(ErrorCode::NotACase, QStringLiteral("not a Chainsight case (%1)").arg(tables.error().message), path);
    const bool isNew = *appId == 0 && *tables == 0;
    if (!isNew && *appId != kApplicationId)
        return makeError(ErrorCode::NotACase, QStringLiteral("not a Chainsight case (application_id %1)").arg(*appId), path);
    if (isNew && cs->m_readOnly) return makeError(ErrorCode::NotACase, QStringLiteral("empty file, not a case"), path);

    CS_TRY(cs->configure(options, isNew));
    return cs;
}

CaseStore::~CaseStore()
{
    m_st.reset();
    if (m_db && !m_readOnly) (void)m_db->exec("PRAGMA optimize");
}

Status CaseStore::configure(const OpenOptions& options, bool isNew)
{
    // foreign_keys is per connection: every connection turns it on.
    CS_TRY(m_db->exec("PRAGMA foreign_keys = ON"));
    // Larger pages: fewer B-tree splits for event rows and evidence chunks (only before WAL and the first table).
    if (isNew) CS_TRY(m_db->exec("PRAGMA page_size = 8192"));
    if (!m_readOnly) {
        CS_TRY(m_db->exec("PRAGMA journal_mode = WAL"));
        CS_TRY(m_db->exec("PRAGMA synchronous = NORMAL"));
    }
    CS_TRY(m_db->exec("PRAGMA temp_store = MEMORY"));
    CS_TRY(m_db->exec(options.bulk ? "PRAGMA cache_size = -131072" : "PRAGMA cache_size = -32768"));
    if (isNew) {
        CS_TRY(m_db->exec("PRAGMA application_id = " + std::to_string(kApplicationId)));
    }
    auto v = m_db->scalar("PRAGMA user_version");
    if (!v) return v.error();
    m_version = static_cast<int>(*v);
    if (m_version > latestSchemaVersion())
        return makeError(ErrorCode::NotACase,
                         QStringLiteral("case schema version %1 is newer than this Chainsight (%2): upgrade Chainsight")
                             .arg(m_version)
                             .arg(latestSchemaVersion()),
                         m_path);
    const int target = options.targetVersion >= 0 ? options.targetVersion : latestSchemaVersion();
    if (m_version < target) {
        if (m_readOnly)
            return makeError(ErrorCode::Blocked, QStringLiteral("case schema %1 needs migration; open it writable once").arg(m_version), m_path);
        CS_TRY(migrate(target));
    }
    m_st = std::make_unique<Prepared>();
    return {};
}

Status CaseStore::migrate(int target)
{
    for (const Migration& m : migrations()) {
        if (m.version <= m_version || m.version > target) continue;
        CS_TRY(m_db->exec("BEGIN IMMEDIATE"));
        Status s = m_db->exec(m.sql);
        if (s) s = m_db->exec("PRAGMA user_version = " + std::to_string(m.version));
        if (s) s = m_db->exec("COMMIT");
        if (!s) {
            (void)m_db->exec("ROLLBACK");
            return makeError(ErrorCode::Database,
                             QStringLiteral("migration to schema %1 failed: %2").arg(m.version).arg(s.error().message), m_path);
        }
        m_version = m.version;
    }
    return {};
}

Result<std::unique_ptr<Transaction>> CaseStore::begin()
{
    if (m_readOnly) return makeError(ErrorCode::Blocked, QStringLiteral("the case is open read-only"), m_path);
    CS_TRY(m_db->exec("BEGIN IMMEDIATE"));
    return std::make_unique<Transaction>(m_db.get());
}

Status CaseStore::commit(std::unique_ptr<Transaction>& tx)
{
    Status s = tx->commit();
    tx.reset();
    return s;
}

Result<std::optional<std::string>> CaseStore::meta(const std::string& key)
{
    auto st = m_db->prepare("SELECT value FROM case_meta WHERE key = ?");
    if (!st) return st.error();
    st->bind(1, key);
    auto r = st->step();
    if (!r) return r.error();
    if (!*r) return std::optional<std::string>();
    return std::optional<std::string>(st->text(0));
}

Status CaseStore::setMeta(const std::string& key, const std::string& value)
{
    auto st = m_db->prepare("INSERT INTO case_meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!st) return st.error();
    st->bind(1, key).bind(2, value);
    return st->exec();
}

Result<std::optional<BundleRecord>> CaseStore::bundleByContentHash(const std::string& sha256)
{
    auto st = m_db->prepare("SELECT " + std::string(kBundleCols) + " FROM bundles WHERE content_sha256 = ?");
    if (!st) return st.error();
    st->bind(1, sha256);
    auto r = st->step();
    if (!r) return r.error();
    if (!*r) return std::optional<BundleRecord>();
    return std::optional<BundleRecord>(readBundle(*st));
}

Result<std::optional<BundleRecord>> CaseStore::bundleByBundleId(const std::string& bundleId)
{
    auto st = m_db->prepare("SELECT " + std::string(kBundleCols) + " FROM bundles WHERE bundle_id = ? ORDER BY id LIMIT 1");
    if (!st) return st.error();
    st->bind(1, bundleId);
    auto r = st->step();
    if (!r) return r.error();
    if (!*r) return std::optional<BundleRecord>();
    return std::optional<BundleRecord>(readBundle(*st));
}

Result<std::vector<BundleRecord>> CaseStore::bundles()
{
    auto st = m_db->prepare("SELECT " + std::string(kBundleCols) + " FROM bundles ORDER BY id");
    if (!st) return st.error();
    std::vector<BundleRecord> out;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        out.push_back(readBundle(*st));
    }
    return out;
}

Result<int64_t> CaseStore::insertBundle(const BundleRecord& b)
{
    auto st = m_db->prepare("INSERT INTO bundles(bundle_id, format, title, collected_at, collector, window_start, window_end, "
                            "content_sha256, manifest, source, imported_at, imported_by, imported_on, parent_bundle) "
                            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, b.bundleId).bind(2, b.format).bind(3, b.title).bind(4, b.collectedAt).bind(5, b.collector);
    st->bind(6, b.windowStart).bind(7, b.windowEnd).bind(8, b.contentSha256).bind(9, b.manifest).bind(10, b.source);
    st->bind(11, b.importedAt).bind(12, b.importedBy).bind(13, b.importedOn);
    if (b.parentBundle) st->bind(14, b.parentBundle);
    else st->bindNull(14);
    CS_TRY(st->exec());
    return m_db->lastInsertId();
}

Result<int64_t> CaseStore::insertEvidenceFile(const EvidenceFile& f)
{
    auto st = m_db->prepare("INSERT INTO evidence_files(bundle, path, sha256, bytes, role) VALUES(?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, f.bundle).bind(2, f.path).bind(3, f.sha256).bind(4, f.bytes).bind(5, f.role);
    CS_TRY(st->exec());
    return m_db->lastInsertId();
}

Status CaseStore::appendEvidenceChunk(int64_t fileId, int64_t seq, std::string_view data)
{
    Statement& st = m_st->insertChunk;
    if (!st.valid()) {
        auto p = m_db->prepare("INSERT INTO evidence_chunks(file, seq, data) VALUES(?,?,?)");
        if (!p) return p.error();
        st = std::move(*p);
    }
    st.bind(1, fileId).bind(2, seq).bindBlob(3, data.data(), data.size());
    return st.exec();
}

Status CaseStore::updateEvidenceFile(int64_t fileId, const std::string& sha256, int64_t bytes)
{
    auto st = m_db->prepare("UPDATE evidence_files SET sha256 = ?, bytes = ? WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, sha256).bind(2, bytes).bind(3, fileId);
    return st->exec();
}

Result<std::vector<EvidenceFile>> CaseStore::evidenceFiles(int64_t bundle)
{
    auto st = m_db->prepare("SELECT id, bundle, path, sha256, bytes, role FROM evidence_files WHERE ?1 = 0 OR bundle = ?1 ORDER BY id");
    if (!st) return st.error();
    st->bind(1, bundle);
    std::vector<EvidenceFile> out;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        out.push_back({st->int64(0), st->int64(1), st->text(2), st->text(3), st->int64(4), st->text(5)});
    }
    return out;
}

Status CaseStore::readEvidence(int64_t fileId, const std::function<bool(std::string_view)>& sink)
{
    // A blob's bytes are stored once, content-addressed, in blobs; other files in chunks.
    auto role = m_db->prepare("SELECT role, sha256 FROM evidence_files WHERE id = ?");
    if (!role) return role.error();
    role->bind(1, fileId);
    auto rr = role->step();
    if (!rr) return rr.error();
    if (*rr && role->textView(0) == "blob") {
        auto b = m_db->prepare("SELECT data FROM blobs WHERE sha256 = ?");
        if (!b) return b.error();
        b->bind(1, role->textView(1));
        auto br = b->step();
        if (!br) return br.error();
        if (*br) sink(b->blob(0));
        return {};
    }
    auto st = m_db->prepare("SELECT data FROM evidence_chunks WHERE file = ? ORDER BY seq");
    if (!st) return st.error();
    st->bind(1, fileId);
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        if (!sink(st->blob(0))) break;
    }
    return {};
}

Status CaseStore::insertEvent(Event& e, int64_t fileId)
{
    Statement& st = m_st->insertEvent;
    Statement& fts = m_st->insertFts;
    if (!st.valid()) {
        auto p = m_db->prepare("INSERT INTO events(bundle, eid, ts, type, agent, session, identity, parent, call_id, tool, "
                               "trace_id, span_id, summary, json, file, line) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!p) return p.error();
        st = std::move(*p);
        auto q = m_db->prepare("INSERT INTO events_fts(rowid, text) VALUES(?, ?)");
        if (!q) return q.error();
        fts = std::move(*q);
    }
    // The event outlives both steps below: bind without copying.
    st.bind(1, e.bundle).bindStatic(2, e.id).bind(3, e.tsNs).bind(4, static_cast<int64_t>(e.type)).bindStatic(5, e.agent).bindStatic(6, e.session);
    st.bindStaticOptional(7, e.identity).bindStaticOptional(8, e.parent).bindStaticOptional(9, e.callId).bindStaticOptional(10, e.tool);
    st.bindStaticOptional(11, e.traceId).bindStaticOptional(12, e.spanId).bindStatic(13, e.summary).bindStatic(14, e.json);
    if (fileId) st.bind(15, fileId);
    else st.bindNull(15);
    st.bind(16, e.line);
    Status s = st.exec();
    if (!s) {
        if (m_db->extendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE)
            return makeError(ErrorCode::Format,
                             QStringLiteral("duplicate event id \"%1\"").arg(QString::fromStdString(e.id)), {}, e.line, QStringLiteral("id"));
        return s;
    }
    e.rowid = m_db->lastInsertId();
    fts.bind(1, e.rowid).bindStatic(2, e.text);
    return fts.exec();
}

// A large load drops the event indexes and builds them once at its end; the full-text index stops merging its
// segments while rows pour in (each merge would rewrite what the next flush adds to) and resumes afterwards.
// Both are plain writes inside the import's transaction, so a failed import rolls them back too.
Status CaseStore::dropEventIndexes()
{
    CS_TRY(m_db->exec(dropEventIndexesSql()));
    return m_db->exec("INSERT INTO events_fts(events_fts, rank) VALUES('automerge', 0)");
}

Status CaseStore::createEventIndexes()
{
    CS_TRY(m_db->exec(eventIndexesSql()));
    return m_db->exec("INSERT INTO events_fts(events_fts, rank) VALUES('automerge', 4)");
}

Result<int64_t> CaseStore::eventCount() { return m_db->scalar("SELECT count(*) FROM events"); }

Status CaseStore::insertBlob(const std::string& sha256, std::string_view data)
{
    Statement& st = m_st->insertBlob;
    if (!st.valid()) {
        auto p = m_db->prepare("INSERT INTO blobs(sha256, bytes, data) VALUES(?,?,?) ON CONFLICT(sha256) DO NOTHING");
        if (!p) return p.error();
        st = std::move(*p);
    }
    st.bind(1, sha256).bind(2, static_cast<int64_t>(data.size())).bindBlob(3, data.data(), data.size());
    return st.exec();
}

Result<std::optional<std::string>> CaseStore::blob(const std::string& sha256)
{
    auto st = m_db->prepare("SELECT data FROM blobs WHERE sha256 = ?");
    if (!st) return st.error();
    st->bind(1, sha256);
    auto r = st->step();
    if (!r) return r.error();
    if (!*r) return std::optional<std::string>();
    return std::optional<std::string>(std::string(st->blob(0)));
}

Status CaseStore::insertBaseline(int64_t bundle, const AgentBaseline& b)
{
    auto st = m_db->prepare("INSERT INTO agents(bundle, agent, baseline) VALUES(?,?,?)");
    if (!st) return st.error();
    st->bind(1, bundle).bind(2, b.id).bind(3, b.json);
    Status s = st->exec();
    if (!s && m_db->extendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE)
        return makeError(ErrorCode::Format, QStringLiteral("agent \"%1\" is listed twice").arg(QString::fromStdString(b.id)),
                         QStringLiteral("agents.json"));
    return s;
}

Result<std::vector<AgentBaseline>> CaseStore::baselines()
{
    auto st = m_db->prepare("SELECT baseline FROM agents ORDER BY id");
    if (!st) return st.error();
    std::vector<AgentBaseline> out;
    json::Parser parser;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        auto v = parser.parse(st->textView(0));
        if (!v) return v.error();
        auto wrapped = json::Value::object();
        wrapped.set("agents", json::Value::array({*v}));
        auto list = baselinesFromJson(wrapped);
        if (!list) return list.error();
        for (auto& b : *list) out.push_back(std::move(b));
    }
    return out;
}

Result<int64_t> CaseStore::insertDecision(int64_t bundle, const Decision& d)
{
    Statement* st = &m_st->insertDecision;
    if (!st->valid()) {
        auto p = m_db->prepare("INSERT INTO decisions(bundle, seq, ts, agent, session, event, verdict, policy, reason, key_id, "
                               "hash, valid, failure, payload, line) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!p) return p.error();
        *st = std::move(*p);
    }
    st->bind(1, bundle).bind(2, d.seq).bind(3, d.tsNs).bind(4, d.agent).bind(5, d.session).bindOptional(6, d.event);
    st->bind(7, verdictName(d.verdict)).bind(8, d.policy).bind(9, d.reason).bind(10, d.keyId).bind(11, d.hash);
    st->bind(12, static_cast<int64_t>(d.valid)).bindOptional(13, d.failure).bind(14, d.payloadJson).bind(15, d.line);
    CS_TRY(st->exec());
    return m_db->lastInsertId();
}

Status CaseStore::markDecisionInvalid(int64_t rowid, const std::string& failure)
{
    auto st = m_db->prepare("UPDATE decisions SET valid = 0, failure = ? WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, failure).bind(2, rowid);
    CS_TRY(st->exec());
    if (m_db->changes() != 1)
        return makeError(ErrorCode::Internal, QStringLiteral("no decision row %1 to mark invalid").arg(rowid));
    return {};
}

namespace {
Result<std::vector<DecisionRow>> readDecisionRows(Statement& st)
{
    std::vector<DecisionRow> out;
    CS_TRY(rows::eachRow(st, [&](const Statement& row) {
        DecisionRow r;
        r.bundle = rows::readDecision(row, r.decision, true);
        out.push_back(std::move(r));
    }));
    return out;
}
} // namespace

Result<std::vector<DecisionRow>> CaseStore::decisions(int64_t bundle)
{
    auto st = m_db->prepare("SELECT " + rows::decisionCols({}, true) +
                            " FROM decisions WHERE ?1 = 0 OR bundle = ?1 ORDER BY bundle, seq");
    if (!st) return st.error();
    st->bind(1, bundle);
    return readDecisionRows(*st);
}

Result<std::vector<DecisionRow>> CaseStore::decisionsBetween(int64_t afterNs, int64_t untilNs)
{
    auto st = m_db->prepare("SELECT " + rows::decisionCols({}, true) +
                            " FROM decisions WHERE ts > ? AND ts <= ? ORDER BY ts, bundle, seq");
    if (!st) return st.error();
    st->bind(1, afterNs);
    st->bind(2, untilNs);
    return readDecisionRows(*st);
}

Result<std::vector<DecisionRow>> CaseStore::decisionsOn(int64_t bundle, const std::string& eventId)
{
    auto st = m_db->prepare("SELECT " + rows::decisionCols({}, true) +
                            " FROM decisions WHERE bundle = ? AND event = ? ORDER BY seq");
    if (!st) return st.error();
    st->bind(1, bundle);
    st->bind(2, eventId);
    return readDecisionRows(*st);
}

Status CaseStore::insertBundleKey(int64_t bundle, const KeyRecord& k)
{
    auto st = m_db->prepare("INSERT INTO bundle_keys(bundle, key_id, fingerprint, pem) VALUES(?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, bundle).bind(2, k.keyId).bind(3, k.fingerprint).bind(4, k.pem);
    return st->exec();
}

Result<std::vector<KeyRecord>> CaseStore::bundleKeys(int64_t bundle)
{
    auto st = m_db->prepare("SELECT key_id, fingerprint, pem, bundle FROM bundle_keys WHERE ?1 = 0 OR bundle = ?1 ORDER BY id");
    if (!st) return st.error();
    st->bind(1, bundle);
    std::vector<KeyRecord> out;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        KeyRecord k;
        k.keyId = st->text(0);
        k.fingerprint = st->text(1);
        k.pem = st->text(2);
        k.bundle = st->int64(3);
        out.push_back(std::move(k));
    }
    return out;
}

Status CaseStore::pinKey(const KeyRecord& k)
{
    auto st = m_db->prepare("INSERT INTO pinned_keys(key_id, fingerprint, pem, pinned_at, pinned_by) VALUES(?,?,?,?,?) "
                            "ON CONFLICT(key_id) DO UPDATE SET fingerprint = excluded.fingerprint, pem = excluded.pem, "
                            "pinned_at = excluded.pinned_at, pinned_by = excluded.pinned_by");
    if (!st) return st.error();
    st->bind(1, k.keyId).bind(2, k.fingerprint).bind(3, k.pem).bind(4, k.pinnedAt).bind(5, k.pinnedBy);
    return st->exec();
}

Result<std::vector<KeyRecord>> CaseStore::pinnedKeys()
{
    auto st = m_db->prepare("SELECT key_id, fingerprint, pem, pinned_at, pinned_by FROM pinned_keys ORDER BY key_id");
    if (!st) return st.error();
    std::vector<KeyRecord> out;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        KeyRecord k;
        k.keyId = st->text(0);
        k.fingerprint = st->text(1);
        k.pem = st->text(2);
        k.pinnedAt = st->text(3);
        k.pinnedBy = st->text(4);
        out.push_back(std::move(k));
    }
    return out;
}

namespace {
CustodyEntry readCustody(const Statement& st)
{
    CustodyEntry e;
    e.seq = st.int64(0);
    e.ts = st.text(1);
    e.actor = st.text(2);
    e.host = st.text(3);
    e.action = st.text(4);
    e.target = st.text(5);
    e.detail = st.text(6);
    e.prev = st.text(7);
    e.hash = st.text(8);
    return e;
}
} // namespace

Result<std::optional<CustodyEntry>> CaseStore::lastCustody()
{
    auto st = m_db->prepare("SELECT seq, ts, actor, host, action, target, detail, prev, hash FROM custody ORDER BY seq DESC LIMIT 1");
    if (!st) return st.error();
    auto r = st->step();
    if (!r) return r.error();
    if (!*r) return std::optional<CustodyEntry>();
    return std::optional<CustodyEntry>(readCustody(*st));
}

Status CaseStore::insertCustody(const CustodyEntry& e)
{
    auto st = m_db->prepare("INSERT INTO custody(seq, ts, actor, host, action, target, detail, prev, hash) VALUES(?,?,?,?,?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, e.seq).bind(2, e.ts).bind(3, e.actor).bind(4, e.host).bind(5, e.action).bind(6, e.target);
    st->bind(7, e.detail).bind(8, e.prev).bind(9, e.hash);
    return st->exec();
}

Result<std::vector<CustodyEntry>> CaseStore::custody()
{
    auto st = m_db->prepare("SELECT seq, ts, actor, host, action, target, detail, prev, hash FROM custody ORDER BY seq");
    if (!st) return st.error();
    std::vector<CustodyEntry> out;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        out.push_back(readCustody(*st));
    }
    return out;
}

Result<std::vector<TypeCount>> CaseStore::countsByType()
{
    auto st = m_db->prepare("SELECT type, count(*) FROM events GROUP BY type ORDER BY type");
    if (!st) return st.error();
    std::vector<TypeCount> out;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        out.push_back({static_cast<EventType>(st->int64(0)), st->int64(1)});
    }
    return out;
}

Result<std::vector<NameCount>> CaseStore::countsByAgent()
{
    auto st = m_db->prepare("SELECT agent, count(*) FROM events GROUP BY agent ORDER BY agent");
    if (!st) return st.error();
    std::vector<NameCount> out;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        out.push_back({st->text(0), st->int64(1)});
    }
    return out;
}

Result<std::pair<int64_t, int64_t>> CaseStore::timeWindow()
{
    auto st = m_db->prepare("SELECT min(ts), max(ts) FROM events");
    if (!st) return st.error();
    auto r = st->step();
    if (!r) return r.error();
    if (!*r || st->isNull(0)) return std::pair<int64_t, int64_t>(0, 0);
    return std::pair<int64_t, int64_t>(st->int64(0), st->int64(1));
}

Status CaseStore::forEachEvent(const std::function<bool(const Event&)>& fn, int64_t maxTsNs, int64_t afterTsNs)
{
    auto st = m_db->prepare("SELECT " + std::string(rows::kEventCols) +
                            " FROM events WHERE ts <= ? AND ts > ? ORDER BY ts, id");
    if (!st) return st.error();
    st->bind(1, maxTsNs);
    st->bind(2, afterTsNs);
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        if (!fn(rows::readEvent(*st))) break;
    }
    return {};
}

Result<std::optional<Event>> CaseStore::event(int64_t rowid)
{
    auto st = m_db->prepare("SELECT " + std::string(rows::kEventCols) + " FROM events WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, rowid);
    auto r = st->step();
    if (!r) return r.error();
    if (!*r) return std::optional<Event>();
    return std::optional<Event>(rows::readEvent(*st));
}

Status CaseStore::forEachEventOfFile(int64_t fileId, const std::function<bool(int64_t, std::string_view, const std::string&)>& fn)
{
    auto st = m_db->prepare("SELECT line, json, eid FROM events WHERE file = ? ORDER BY id");
    if (!st) return st.error();
    st->bind(1, fileId);
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        if (!fn(st->int64(0), st->textView(1), st->text(2))) break;
    }
    return {};
}

Status CaseStore::integrityCheck()
{
    auto st = m_db->prepare("PRAGMA integrity_check");
    if (!st) return st.error();
    auto r = st->step();
    if (!r) return r.error();
    std::string res = *r ? st->text(0) : std::string("no result");
    if (res != "ok") return makeError(ErrorCode::Integrity, QStringLiteral("integrity_check: %1").arg(QString::fromStdString(res)), m_path);
    return {};
}

} // namespace chainsight::store

namespace chainsight::store {

Result<std::map<std::string, int64_t>> CaseStore::tableCounts()
{
    auto st = m_db->prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                            "AND name NOT LIKE 'events_fts_%' ORDER BY name");
    if (!st) return st.error();
    std::vector<std::string> names;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        names.push_back(st->text(0));
    }
    std::map<std::string, int64_t> out;
    for (const auto& n : names) {
        if (n == "events_fts") continue; // contentless: no rows to count
        auto c = m_db->scalar("SELECT count(*) FROM \"" + n + "\"");
        if (!c) return c.error();
        out[n] = *c;
    }
    return out;
}

} // namespace chainsight::store
