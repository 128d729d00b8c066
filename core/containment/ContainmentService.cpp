// Containment orchestration: approval gate, records before and after, retries, reversal, reconciliation.
#include "core/containment/ContainmentService.h"

#include "core/custody/Custody.h"
#include "core/store/CaseStore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace chainsight::containment {

namespace {
std::string s(const QString& q)
{
    return q.toStdString();
}
QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QString caseIdOf(store::CaseStore& store)
{
    auto t = store.meta("title");
    if (t && *t && !(*t)->empty()) return q(**t);
    return QFileInfo(store.path()).completeBaseName();
}
} // namespace

ContainmentService::ContainmentService(store::CaseStore& store, CredentialStore& credentials, QList<Backend> backends,
                                       ContainmentSettings settings)
    : m_store(store), m_credentials(credentials), m_backends(std::move(backends)), m_settings(settings),
      m_actions(store)
{
}

ContainmentService::~ContainmentService()
{
    m_alive.reset();
}

std::optional<Backend> ContainmentService::backend(const QString& name) const
{
    for (const auto& b : m_backends)
        if (b.name == name) return b;
    return std::nullopt;
}

Status ContainmentService::checkApproval(ActionKind kind, const QString& actor, const IssueOptions& options) const
{
    const QString approver = options.approver.trimmed();
    if (!approver.isEmpty() && approver.compare(actor.trimmed(), Qt::CaseInsensitive) == 0)
        return makeError(ErrorCode::Blocked,
                         QStringLiteral("self-approval refused: %1 cannot approve their own action").arg(actor), {}, -1,
                         QStringLiteral("approved-by"));
    if (!m_settings.requireApproval || !isDestructive(kind)) return {};
    if (!approver.isEmpty() || !options.breakGlassReason.trimmed().isEmpty()) return {};
    return makeError(
        ErrorCode::Blocked,
        QStringLiteral("%1 is destructive and needs a second analyst's approval (or break-glass with a reason)")
            .arg(actionName(kind)),
        {}, -1, QStringLiteral("approved-by"));
}

Result<ContainmentService::Prepared> ContainmentService::prepare(const ActionSpec& spec, qint64 timestamp)
{
    auto b = backend(spec.backend);
    if (!b)
        return makeError(ErrorCode::Usage, QStringLiteral("no backend named '%1'").arg(spec.backend), {}, -1,
                         QStringLiteral("backend"));
    Prepared p;
    p.backend = *b;
    QByteArray secret;
    if (!b->credentialRef.isEmpty()) {
        auto sec = m_credentials.read(b->credentialRef);
        if (!sec) return sec.error();
        secret = *sec;
    }
    QByteArray token;
    if (spec.kind == ActionKind::RevokeToken) {
        if (spec.target.startsWith(QLatin1String("cred:"))) {
            auto t = m_credentials.read(spec.target.mid(5));
            if (!t) return t.error();
            token = *t;
        } else {
            token = spec.target.toUtf8();
        }
    }
    auto req = buildRequest(*b, spec, secret, token, timestamp);
    if (!req) return req.error();
    p.request = std::move(*req);
    auto cas = loadCaBundle(b->caBundle);
    if (!cas) {
        Error e = cas.error();
        e.message = QStringLiteral("backend '%1': ").arg(b->name) + e.message;
        return e;
    }
    p.cas = *cas;
    return p;
}

Result<DryRun> ContainmentService::dryRun(const ActionSpec& spec0, const IssueOptions& options)
{
    ActionSpec spec = spec0;
    if (spec.actor.isEmpty()) spec.actor = q(custody::Actor::current().name);
    if (spec.caseId.isEmpty()) spec.caseId = caseIdOf(m_store);
    if (spec.idempotencyKey.isEmpty()) spec.idempotencyKey = QStringLiteral("dry-run");
    if (spec.issuedAt.isEmpty()) spec.issuedAt = q(custody::nowRfc3339());
    spec.approver = options.approver;
    auto p = prepare(spec, QDateTime::currentSecsSinceEpoch());
    if (!p) return p.error();
    DryRun d;
    d.maskedRequest = p->request.masked();
    d.recordedTarget = recordedTarget(spec.kind, spec.target);
    d.needsApproval = !checkApproval(spec.kind, spec.actor, IssueOptions{}).ok();
    if (!m_store.readOnly() && m_store.schemaVersion() >= 4) {
        using json::Value;
        auto detail = Value::object();
        detail.set("action", Value::string(s(actionName(spec.kind))));
        detail.set("backend", Value::string(s(spec.backend)));
        detail.set("target", Value::string(s(d.recordedTarget)));
        detail.set("method", Value::string(p->request.method.toStdString()));
        detail.set("url", Value::string(s(maskSecrets(p->request.url, p->request.secrets))));
        detail.set(
            "body_sha256",
            Value::string(QCryptographicHash::hash(p->request.body, QCryptographicHash::Sha256).toHex().toStdString()));
        CS_TRY(m_actions.recordDryRun(custody::Actor::current(),
                                      s(actionName(spec.kind) + QLatin1Char(' ') + d.recordedTarget), detail));
    }
    return d;
}

Result<int64_t> ContainmentService::issue(ActionSpec spec, const IssueOptions& options,
                                          std::function<void(const store::ActionRecord&)> done)
{
    const auto actor = custody::Actor::current();
    spec.actor = q(actor.name);
    CS_TRY(checkApproval(spec.kind, spec.actor, options));
    spec.approver = options.approver.trimmed();
    if (spec.caseId.isEmpty()) spec.caseId = caseIdOf(m_store);
    spec.idempotencyKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    spec.issuedAt = q(custody::nowRfc3339());
    auto p = prepare(spec, QDateTime::currentSecsSinceEpoch());
    if (!p) return p.error();

    store::ActionRecord rec;
    rec.idempotencyKey = s(spec.idempotencyKey);
    rec.action = s(actionName(spec.kind));
    rec.backend = s(spec.backend);
    rec.backendKind = s(backendKindName(p->backend.kind));
    rec.target = s(recordedTarget(spec.kind, spec.target));
    QJsonObject params{{QStringLiteral("case"), spec.caseId}};
    if (!spec.message.isEmpty()) params.insert(QStringLiteral("message"), spec.message);
    if (spec.replicas >= 0) params.insert(QStringLiteral("replicas"), spec.replicas);
    rec.params = QJsonDocument(params).toJson(QJsonDocument::Compact).toStdString();
    rec.bodySha256 = QCryptographicHash::hash(p->request.body, QCryptographicHash::Sha256).toHex().toStdString();
    rec.actor = actor.name;
    rec.approver = s(spec.approver);
    rec.breakGlass = spec.approver.isEmpty() && !options.breakGlassReason.trimmed().isEmpty() &&
                     isDestructive(spec.kind) && m_settings.requireApproval;
    rec.reason = s(options.breakGlassReason.trimmed());
    rec.reverses = 0;
    rec.createdAt = s(spec.issuedAt);
    using json::Value;
    auto extra = Value::object();
    extra.set("method", Value::string(p->request.method.toStdString()));
    extra.set("url", Value::string(s(maskSecrets(p->request.url, p->request.secrets))));
    extra.set("attempt", Value::integer(1));
    auto id = m_actions.recordIntent(actor, rec, extra);
    if (!id) return id.error();
    if (spec.kind == ActionKind::RevokeToken && !spec.target.startsWith(QLatin1String("cred:")))
        m_literalTokens.insert(*id, spec.target.toUtf8());
    send(*id, std::move(*p), std::move(done));
    return *id;
}

Result<ActionSpec> ContainmentService::specOf(const store::ActionRecord& r)
{
    ActionSpec spec;
    auto kind = actionFromName(q(r.action));
    if (!kind) return makeError(ErrorCode::Format, QStringLiteral("unknown action '%1'").arg(q(r.action)));
    spec.kind = *kind;
    spec.backend = q(r.backend);
    spec.target = q(r.target);
    if (spec.kind == ActionKind::RevokeToken && !spec.target.startsWith(QLatin1String("cred:"))) {
        auto it = m_literalTokens.find(r.id);
        if (it == m_literalTokens.end())
            return makeError(ErrorCode::Usage,
                             QStringLiteral("the token of action %1 was given literally and is not kept; "
                                            "issue it again with cred:REF")
                                 .arg(r.id));
        spec.target = QString::fromUtf8(*it);
    }
    spec.actor = q(r.actor);
    spec.approver = q(r.approver);
    spec.idempotencyKey = q(r.idempotencyKey);
    spec.issuedAt = q(r.createdAt);
    const auto params = QJsonDocument::fromJson(QByteArray::fromStdString(r.params)).object();
    spec.caseId = params.value(QStringLiteral("case")).toString();
    spec.message = params.value(QStringLiteral("message")).toString();
    spec.replicas = params.value(QStringLiteral("replicas")).toInt(-1);
    return spec;
}

Result<int64_t> ContainmentService::resend(int64_t id, std::function<void(const store::ActionRecord&)> done)
{
    auto rec = m_actions.byId(id);
    if (!rec) return rec.error();
    if (!*rec) return makeError(ErrorCode::Usage, QStringLiteral("no action %1").arg(id));
    const auto& r = **rec;
    if (r.state != "failed" && r.state != "unknown")
        return makeError(
            ErrorCode::Usage,
            QStringLiteral("action %1 is %2; only failed or unknown actions are sent again").arg(id).arg(q(r.state)));
    auto spec = specOf(r);
    if (!spec) return spec.error();
    auto p = prepare(*spec, QDateTime::currentSecsSinceEpoch());
    if (!p) return p.error();
    const std::string digest =
        QCryptographicHash::hash(p->request.body, QCryptographicHash::Sha256).toHex().toStdString();
    if (digest != r.bodySha256)
        return makeError(ErrorCode::Integrity,
                         QStringLiteral("action %1 cannot be rebuilt byte for byte (the credential or target changed); "
                                        "issue a new action instead")
                             .arg(id));
    CS_TRY(m_actions.recordRetryIntent(custody::Actor::current(), id, r.state == "unknown" ? "reconcile" : "retry"));
    send(id, std::move(*p), std::move(done));
    return id;
}

Result<int64_t> ContainmentService::reverse(int64_t id, const IssueOptions& options,
                                            std::function<void(const store::ActionRecord&)> done)
{
    auto rec = m_actions.byId(id);
    if (!rec) return rec.error();
    if (!*rec) return makeError(ErrorCode::Usage, QStringLiteral("no action %1").arg(id));
    const auto& r = **rec;
    auto kind = actionFromName(q(r.action));
    if (!kind || !reverseOf(*kind))
        return makeError(ErrorCode::Usage, QStringLiteral("%1 cannot be reversed").arg(q(r.action)));
    if (r.state != "confirmed")
        return makeError(
            ErrorCode::Usage,
            QStringLiteral("action %1 is %2; only a confirmed action is reversed").arg(id).arg(q(r.state)));
    auto orig = specOf(r);
    if (!orig) return orig.error();
    ActionSpec spec;
    spec.kind = *reverseOf(*kind);
    spec.backend = orig->backend;
    spec.target = orig->target;
    spec.caseId = orig->caseId;
    spec.message = options.breakGlassReason;
    if (spec.kind == ActionKind::RestoreScale) {
        const auto params = QJsonDocument::fromJson(QByteArray::fromStdString(r.params)).object();
        spec.replicas = params.value(QStringLiteral("previous_replicas")).toInt(1);
    }
    // The reverse goes through issue() with a pointer back to the original.
    const auto actor = custody::Actor::current();
    spec.actor = q(actor.name);
    CS_TRY(checkApproval(spec.kind, spec.actor, options));
    spec.approver = options.approver.trimmed();
    spec.idempotencyKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    spec.issuedAt = q(custody::nowRfc3339());
    auto p = prepare(spec, QDateTime::currentSecsSinceEpoch());
    if (!p) return p.error();
    store::ActionRecord nr;
    nr.idempotencyKey = s(spec.idempotencyKey);
    nr.action = s(actionName(spec.kind));
    nr.backend = r.backend;
    nr.backendKind = r.backendKind;
    nr.target = r.target;
    QJsonObject params{{QStringLiteral("case"), spec.caseId}};
    if (spec.replicas >= 0) params.insert(QStringLiteral("replicas"), spec.replicas);
    nr.params = QJsonDocument(params).toJson(QJsonDocument::Compact).toStdString();
    nr.bodySha256 = QCryptographicHash::hash(p->request.body, QCryptographicHash::Sha256).toHex().toStdString();
    nr.actor = actor.name;
    nr.approver = s(spec.approver);
    nr.reason = s(options.breakGlassReason.trimmed());
    nr.reverses = id;
    nr.createdAt = s(spec.issuedAt);
    using json::Value;
    auto extra = Value::object();
    extra.set("method", Value::string(p->request.method.toStdString()));
    extra.set("url", Value::string(s(maskSecrets(p->request.url, p->request.secrets))));
    extra.set("attempt", Value::integer(1));
    auto nid = m_actions.recordIntent(actor, nr, extra);
    if (!nid) return nid.error();
    send(*nid, std::move(*p), std::move(done));
    return *nid;
}

Result<int> ContainmentService::markInterrupted()
{
    return m_actions.markInterrupted(custody::Actor::current());
}

void ContainmentService::notify(int64_t id, const QString& progress)
{
    if (!m_observer) return;
    auto rec = m_actions.byId(id);
    if (rec && *rec) m_observer(**rec, progress);
}

void ContainmentService::send(int64_t id, Prepared p, std::function<void(const store::ActionRecord&)> done)
{
    const std::string sentAt = custody::nowRfc3339();
    // 'sent' is written before the bytes leave: a crash from here on shows 'outcome unknown' on restart.
    (void)m_actions.markSent(id, sentAt);
    notify(id, QStringLiteral("sending"));
    std::weak_ptr<bool> alive = m_alive;
    const bool scale = p.request.url.endsWith(QLatin1String("/scale")) && p.request.body.contains("\"replicas\":0");
    m_executor.send(
        p.request, p.cas, m_settings.transport,
        [this, id, alive, scale, done, sentAt](const Outcome& o) {
            if (alive.expired()) return;
            store::ActionRecord out;
            out.id = id;
            out.state = o.confirmed() ? "confirmed" : "failed";
            out.sentAt = sentAt;
            out.finishedAt = custody::nowRfc3339();
            out.attempts = o.attempts;
            out.httpStatus = o.httpStatus;
            out.responseSha256 = o.responseSha256.toStdString();
            out.error = o.confirmed() ? std::string() : o.message.toStdString();
            auto extra = json::Value::object();
            extra.set("outcome", json::Value::string(outcomeKindName(o.kind).toStdString()));
            out.params.clear(); // unchanged unless the scale-down tells how many replicas ran
            if (scale && o.confirmed()) {
                // Remember how many replicas ran (the Scale's status.replicas), so the reverse restores them.
                const auto obj = QJsonDocument::fromJson(o.responseBody).object();
                const int prev =
                    obj.value(QStringLiteral("status")).toObject().value(QStringLiteral("replicas")).toInt(0);
                auto rec = m_actions.byId(id);
                if (prev > 0 && rec && *rec) {
                    auto params = QJsonDocument::fromJson(QByteArray::fromStdString((*rec)->params)).object();
                    params.insert(QStringLiteral("previous_replicas"), prev);
                    out.params = QJsonDocument(params).toJson(QJsonDocument::Compact).toStdString();
                    extra.set("previous_replicas", json::Value::integer(prev));
                }
            }
            Status st = m_actions.recordOutcome(custody::Actor::current(), out, extra);
            if (!st.ok()) {
                // The outcome could not be written: the row stays 'sent' and shows 'unknown' on the next open.
                if (m_observer) {
                    auto rec = m_actions.byId(id);
                    if (rec && *rec) m_observer(**rec, QStringLiteral("outcome not recorded: ") + st.error().message);
                }
            }
            notify(id, o.confirmed() ? QStringLiteral("confirmed (%1)").arg(o.message) : o.message);
            if (done) {
                auto rec = m_actions.byId(id);
                if (rec && *rec) done(**rec);
            }
        },
        [this, id, alive](int, const QString& what) {
            if (alive.expired()) return;
            notify(id, what);
        });
}

} // namespace chainsight::containment
