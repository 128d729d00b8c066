// SQL of the containment actions table.
#include "core/store/ActionStore.h"

#include "core/custody/Custody.h"
#include "core/store/CaseStore.h"
#include "core/store/Database.h"

namespace chainsight::store {

namespace {
constexpr std::string_view kColumns =
    "id, idempotency_key, action, backend, backend_kind, target, params, body_sha256, state, actor, approver, "
    "break_glass, reason, reverses, created_at, sent_at, finished_at, attempts, http_status, response_sha256, error";

ActionRecord readRow(const Statement& st)
{
    ActionRecord r;
    r.id = st.int64(0);
    r.idempotencyKey = st.text(1);
    r.action = st.text(2);
    r.backend = st.text(3);
    r.backendKind = st.text(4);
    r.target = st.text(5);
    r.params = st.text(6);
    r.bodySha256 = st.text(7);
    r.state = st.text(8);
    r.actor = st.text(9);
    r.approver = st.text(10);
    r.breakGlass = st.int64(11) != 0;
    r.reason = st.text(12);
    r.reverses = st.isNull(13) ? 0 : st.int64(13);
    r.createdAt = st.text(14);
    r.sentAt = st.text(15);
    r.finishedAt = st.text(16);
    r.attempts = static_cast<int>(st.int64(17));
    r.httpStatus = static_cast<int>(st.int64(18));
    r.responseSha256 = st.text(19);
    r.error = st.text(20);
    return r;
}

json::Value merged(json::Value base, const json::Value& extra)
{
    if (extra.isObject())
        for (const auto& [k, v] : extra.members())
            base.set(k, v);
    return base;
}

Status needsSchema(CaseStore& s)
{
    if (s.schemaVersion() < 4)
        return makeError(ErrorCode::Usage, QStringLiteral("the case predates containment (schema %1); open it "
                                                          "read-write once to migrate it")
                                               .arg(s.schemaVersion()));
    return {};
}
} // namespace

json::Value ActionStore::toJson(const ActionRecord& r)
{
    using json::Value;
    auto o = Value::object();
    o.set("id", Value::integer(r.id));
    o.set("idempotency_key", Value::string(r.idempotencyKey));
    o.set("action", Value::string(r.action));
    o.set("backend", Value::string(r.backend));
    o.set("backend_kind", Value::string(r.backendKind));
    o.set("target", Value::string(r.target));
    o.set("state", Value::string(r.state));
    o.set("actor", Value::string(r.actor));
    o.set("approver", Value::string(r.approver));
    o.set("break_glass", Value::boolean(r.breakGlass));
    if (!r.reason.empty()) o.set("reason", Value::string(r.reason));
    if (r.reverses) o.set("reverses", Value::integer(r.reverses));
    o.set("body_sha256", Value::string(r.bodySha256));
    o.set("created_at", Value::string(r.createdAt));
    o.set("sent_at", Value::string(r.sentAt));
    o.set("finished_at", Value::string(r.finishedAt));
    o.set("attempts", Value::integer(r.attempts));
    o.set("http_status", Value::integer(r.httpStatus));
    o.set("response_sha256", Value::string(r.responseSha256));
    o.set("error", Value::string(r.error));
    return o;
}

Result<int64_t> ActionStore::recordIntent(const custody::Actor& actor, ActionRecord& rec, const json::Value& extra)
{
    CS_TRY(needsSchema(m_store));
    auto tx = m_store.begin();
    if (!tx) return tx.error();
    Database* db = m_store.database();
    auto st = db->prepare("INSERT INTO actions(idempotency_key, action, backend, backend_kind, target, params, "
                          "body_sha256, state, actor, approver, break_glass, reason, reverses, created_at) "
                          "VALUES(?,?,?,?,?,?,?,'intent',?,?,?,?,?,?)");
    if (!st) return st.error();
    rec.state = "intent";
    st->bind(1, rec.idempotencyKey).bind(2, rec.action).bind(3, rec.backend).bind(4, rec.backendKind);
    st->bind(5, rec.target)
        .bind(6, rec.params.empty() ? std::string("{}") : rec.params)
        .bind(7, rec.bodySha256)
        .bind(8, rec.actor)
        .bind(9, rec.approver);
    st->bind(10, int64_t(rec.breakGlass ? 1 : 0)).bind(11, rec.reason);
    if (rec.reverses)
        st->bind(12, rec.reverses);
    else
        st->bindNull(12);
    st->bind(13, rec.createdAt);
    CS_TRY(st->exec());
    rec.id = db->lastInsertId();
    auto detail = merged(toJson(rec), extra);
    auto c = custody::append(m_store, actor, "contain.intent", rec.action + " " + rec.target, detail);
    if (!c) return c.error();
    CS_TRY(m_store.commit(*tx));
    return rec.id;
}

Status ActionStore::recordRetryIntent(const custody::Actor& actor, int64_t id, const std::string& why)
{
    CS_TRY(needsSchema(m_store));
    auto rec = byId(id);
    if (!rec) return rec.error();
    if (!*rec) return makeError(ErrorCode::Usage, QStringLiteral("no action %1").arg(id));
    auto tx = m_store.begin();
    if (!tx) return tx.error();
    auto st = m_store.database()->prepare("UPDATE actions SET state='intent', error='' WHERE id=?");
    if (!st) return st.error();
    st->bind(1, id);
    CS_TRY(st->exec());
    auto r = **rec;
    r.state = "intent";
    auto detail = toJson(r);
    detail.set("retry_of_state", json::Value::string((*rec)->state));
    detail.set("why", json::Value::string(why));
    auto c = custody::append(m_store, actor, "contain.intent", r.action + " " + r.target, detail);
    if (!c) return c.error();
    return m_store.commit(*tx);
}

Status ActionStore::markSent(int64_t id, const std::string& sentAt)
{
    auto st = m_store.database()->prepare("UPDATE actions SET state='sent', sent_at=? WHERE id=? AND state='intent'");
    if (!st) return st.error();
    st->bind(1, sentAt).bind(2, id);
    return st->exec();
}

Status ActionStore::recordOutcome(const custody::Actor& actor, const ActionRecord& o, const json::Value& extra)
{
    auto tx = m_store.begin();
    if (!tx) return tx.error();
    Database* db = m_store.database();
    auto st = db->prepare("UPDATE actions SET state=?, sent_at=CASE WHEN ?='' THEN sent_at ELSE ? END, finished_at=?, "
                          "attempts=attempts+?, http_status=?, response_sha256=?, error=? WHERE id=?");
    if (!st) return st.error();
    st->bind(1, o.state).bind(2, o.sentAt).bind(3, o.sentAt).bind(4, o.finishedAt).bind(5, int64_t(o.attempts));
    st->bind(6, int64_t(o.httpStatus)).bind(7, o.responseSha256).bind(8, o.error).bind(9, o.id);
    CS_TRY(st->exec());
    if (!o.params.empty()) {
        auto up = db->prepare("UPDATE actions SET params=? WHERE id=?");
        if (!up) return up.error();
        up->bind(1, o.params).bind(2, o.id);
        CS_TRY(up->exec());
    }
    auto rec = byId(o.id);
    if (!rec) return rec.error();
    if (!*rec) return makeError(ErrorCode::Internal, QStringLiteral("action %1 vanished").arg(o.id));
    using json::Value;
    auto detail = Value::object();
    detail.set("id", Value::integer(o.id));
    detail.set("idempotency_key", Value::string((*rec)->idempotencyKey));
    detail.set("action", Value::string((*rec)->action));
    detail.set("state", Value::string(o.state));
    detail.set("http_status", Value::integer(o.httpStatus));
    detail.set("response_sha256", Value::string(o.responseSha256));
    detail.set("attempts", Value::integer(o.attempts));
    detail.set("sent_at", Value::string(o.sentAt));
    detail.set("finished_at", Value::string(o.finishedAt));
    if (!o.error.empty()) detail.set("error", Value::string(o.error));
    detail = merged(std::move(detail), extra);
    if (o.state == "confirmed" && (*rec)->reverses) {
        auto up = db->prepare("UPDATE actions SET state='reversed' WHERE id=? AND state='confirmed'");
        if (!up) return up.error();
        up->bind(1, (*rec)->reverses);
        CS_TRY(up->exec());
        detail.set("reversed", Value::integer((*rec)->reverses));
    }
    auto c = custody::append(m_store, actor, "contain.outcome", (*rec)->action + " " + (*rec)->target, detail);
    if (!c) return c.error();
    return m_store.commit(*tx);
}

Result<int> ActionStore::markInterrupted(const custody::Actor& actor)
{
    if (m_store.schemaVersion() < 4 || m_store.readOnly()) return 0;
    auto all = list();
    if (!all) return all.error();
    int n = 0;
    for (const auto& r : *all) {
        if (r.state != "intent" && r.state != "sent") continue;
        ActionRecord o;
        o.id = r.id;
        o.state = "unknown";
        o.finishedAt = custody::nowRfc3339();
        o.error = r.state == "sent"
                      ? "the app ended after sending and before the result; reconcile to learn the outcome"
                      : "the app ended before the request was confirmed sent; reconcile to learn the outcome";
        auto extra = json::Value::object();
        extra.set("previous_state", json::Value::string(r.state));
        CS_TRY(recordOutcome(actor, o, extra));
        ++n;
    }
    return n;
}

Status ActionStore::recordDryRun(const custody::Actor& actor, const std::string& target, const json::Value& detail)
{
    auto tx = m_store.begin();
    if (!tx) return tx.error();
    auto c = custody::append(m_store, actor, "contain.dry_run", target, detail);
    if (!c) return c.error();
    return m_store.commit(*tx);
}

Result<std::vector<ActionRecord>> ActionStore::list()
{
    std::vector<ActionRecord> out;
    if (m_store.schemaVersion() < 4) return out;
    auto st = m_store.database()->prepare(std::string("SELECT ") + std::string(kColumns) + " FROM actions ORDER BY id");
    if (!st) return st.error();
    for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(readRow(*st));
    }
    return out;
}

Result<std::optional<ActionRecord>> ActionStore::byId(int64_t id)
{
    auto st = m_store.database()->prepare(std::string("SELECT ") + std::string(kColumns) + " FROM actions WHERE id=?");
    if (!st) return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<ActionRecord>{};
    return std::optional<ActionRecord>{readRow(*st)};
}

Result<std::optional<ActionRecord>> ActionStore::byKey(const std::string& key)
{
    auto st = m_store.database()->prepare(std::string("SELECT ") + std::string(kColumns) +
                                          " FROM actions WHERE idempotency_key=?");
    if (!st) return st.error();
    st->bind(1, key);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<ActionRecord>{};
    return std::optional<ActionRecord>{readRow(*st)};
}

} // namespace chainsight::store
