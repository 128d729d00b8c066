// The exact request of each containment action, one protocol per function. Pure: no network, no clock.
#include "core/containment/Containment.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QUrl>

namespace chainsight::containment {

namespace {

struct ActionInfo
{
    ActionKind kind;
    const char* name;
    const char* title;
    BackendKind backend;
    bool destructive;
    std::optional<ActionKind> reverse;
    const char* hint;
};

const std::vector<ActionInfo>& table()
{
    static const std::vector<ActionInfo> t = {
        {ActionKind::RevokeToken, "revoke-token", "Revoke token / OAuth grant", BackendKind::OAuth, true, std::nullopt,
         "the token, or cred:REF naming it in the keychain"},
        {ActionKind::DisableAccount, "disable-account", "Freeze service account", BackendKind::Scim, true,
         ActionKind::EnableAccount, "the SCIM user id"},
        {ActionKind::EnableAccount, "enable-account", "Re-enable service account", BackendKind::Scim, false,
         std::nullopt, "the SCIM user id"},
        {ActionKind::QuarantinePod, "quarantine-pod", "Soft quarantine (deny egress)", BackendKind::Kubernetes, true,
         ActionKind::ReleaseQuarantine, "NAMESPACE/APP or NAMESPACE/LABEL=VALUE"},
        {ActionKind::ReleaseQuarantine, "release-quarantine", "Release quarantine", BackendKind::Kubernetes, false,
         std::nullopt, "NAMESPACE/APP or NAMESPACE/LABEL=VALUE"},
        {ActionKind::ScaleToZero, "scale-to-zero", "Kill (scale Deployment to 0)", BackendKind::Kubernetes, true,
         ActionKind::RestoreScale, "NAMESPACE/DEPLOYMENT"},
        {ActionKind::RestoreScale, "restore-scale", "Restore Deployment scale", BackendKind::Kubernetes, false,
         std::nullopt, "NAMESPACE/DEPLOYMENT"},
        {ActionKind::RevokeVaultAccessor, "vault-revoke-accessor", "Revoke Vault token (accessor)", BackendKind::Vault,
         true, std::nullopt, "the token accessor"},
        {ActionKind::RevokeVaultLeases, "vault-revoke-prefix", "Revoke Vault leases (prefix)", BackendKind::Vault, true,
         std::nullopt, "the lease prefix, e.g. database/creds/refund-agent"},
        {ActionKind::KillSessions, "kill-sessions", "Kill agent sessions", BackendKind::Gateway, true, std::nullopt,
         "the agent id or a session id"},
        {ActionKind::QuarantineTool, "quarantine-tool", "Quarantine tool / MCP server", BackendKind::Gateway, true,
         ActionKind::ReleaseTool, "the tool or MCP server name"},
        {ActionKind::ReleaseTool, "release-tool", "Release tool / MCP server", BackendKind::Gateway, false,
         std::nullopt, "the tool or MCP server name"},
        {ActionKind::BlockRule, "block-rule", "Blanket BLOCK rule", BackendKind::Gateway, true,
         ActionKind::RemoveBlockRule, "the agent id the rule blocks"},
        {ActionKind::RemoveBlockRule, "remove-block-rule", "Remove BLOCK rule", BackendKind::Gateway, false,
         std::nullopt, "the agent id the rule blocks"},
        {ActionKind::PauseAutomations, "pause-automations", "Pause downstream automations", BackendKind::Gateway, true,
         ActionKind::ResumeAutomations, "the automation or the agent whose consumers to pause"},
        {ActionKind::ResumeAutomations, "resume-automations", "Resume downstream automations", BackendKind::Gateway,
         false, std::nullopt, "the automation or the agent whose consumers to pause"},
        {ActionKind::Notify, "notify", "Notify dependants", BackendKind::Chat, false, std::nullopt,
         "the audience (e.g. the owning team)"},
    };
    return t;
}

const ActionInfo& info(ActionKind k)
{
    for (const auto& i : table())
        if (i.kind == k) return i;
    return table().back();
}

QString joinUrl(const QString& base, const QString& path)
{
    QString b = base;
    while (b.endsWith(QLatin1Char('/')))
        b.chop(1);
    return path.isEmpty() ? b : b + path;
}

QByteArray pct(const QString& s)
{
    return QUrl::toPercentEncoding(s);
}

QByteArray compact(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void common(HttpRequest& r, const ActionSpec& spec)
{
    r.headers.push_back({"Accept", "application/json"});
    r.headers.push_back({"User-Agent", "Chainsight/0.1 containment"});
    r.headers.push_back({"Idempotency-Key", spec.idempotencyKey.toUtf8()});
}

// "ns/app" or "ns/key=value" -> (ns, key, value)
struct PodSelector
{
    QString ns, key, value;
};
std::optional<PodSelector> podSelector(const QString& target)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)/(?:([A-Za-z0-9][-A-Za-z0-9_./]{0,252})=)?([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$)"));
    const auto m = re.match(target);
    if (!m.hasMatch()) return std::nullopt;
    return PodSelector{m.captured(1), m.captured(3).isEmpty() ? QStringLiteral("app") : m.captured(3), m.captured(4)};
}

std::optional<QPair<QString, QString>> nsName(const QString& target)
{
    static const QRegularExpression re(
        QStringLiteral(R"(^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)/([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)$)"));
    const auto m = re.match(target);
    if (!m.hasMatch()) return std::nullopt;
    return QPair<QString, QString>{m.captured(1), m.captured(3)};
}

QString policyName(const PodSelector& s)
{
    QString n = QStringLiteral("chainsight-quarantine-") + s.value.toLower();
    n.replace(QRegularExpression(QStringLiteral("[^a-z0-9-]")), QStringLiteral("-"));
    if (n.size() > 63) n = n.left(63);
    while (n.endsWith(QLatin1Char('-')))
        n.chop(1);
    return n;
}

Error targetError(ActionKind k, const QString& what)
{
    return makeError(ErrorCode::Usage, what + QStringLiteral(" (expected ") + info(k).hint + QStringLiteral(")"), {},
                     -1, QStringLiteral("target"));
}

} // namespace

QString backendKindName(BackendKind k)
{
    switch (k) {
    case BackendKind::OAuth:
        return QStringLiteral("oauth");
    case BackendKind::Scim:
        return QStringLiteral("scim");
    case BackendKind::Kubernetes:
        return QStringLiteral("kubernetes");
    case BackendKind::Vault:
        return QStringLiteral("vault");
    case BackendKind::Gateway:
        return QStringLiteral("gateway");
    case BackendKind::Chat:
        return QStringLiteral("chat");
    }
    return {};
}

std::optional<BackendKind> backendKindFromName(const QString& name)
{
    for (auto k : {BackendKind::OAuth, BackendKind::Scim, BackendKind::Kubernetes, BackendKind::Vault,
                   BackendKind::Gateway, BackendKind::Chat})
        if (backendKindName(k) == name) return k;
    return std::nullopt;
}

QString actionName(ActionKind k)
{
    return QString::fromLatin1(info(k).name);
}
QString actionTitle(ActionKind k)
{
    return QString::fromLatin1(info(k).title);
}
QString targetHint(ActionKind k)
{
    return QString::fromLatin1(info(k).hint);
}
BackendKind backendKindFor(ActionKind k)
{
    return info(k).backend;
}
bool isDestructive(ActionKind k)
{
    return info(k).destructive;
}
std::optional<ActionKind> reverseOf(ActionKind k)
{
    return info(k).reverse;
}

std::optional<ActionKind> actionFromName(const QString& name)
{
    for (const auto& i : table())
        if (name == QLatin1String(i.name)) return i.kind;
    return std::nullopt;
}

QStringList actionNames()
{
    QStringList out;
    for (const auto& i : table())
        out << QString::fromLatin1(i.name);
    return out;
}

QByteArray HttpRequest::header(const QByteArray& name) const
{
    for (const auto& [k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0) return v;
    return {};
}

QByteArray maskSecrets(QByteArray text, const QList<QByteArray>& secrets)
{
    for (const QByteArray& s : secrets) {
        if (s.size() < 4) continue; // never mask trivially short strings (they would mangle the text)
        for (const QByteArray& form : {s, s.toBase64(), QUrl::toPercentEncoding(QString::fromUtf8(s))})
            text.replace(form, "****");
    }
    return text;
}

QString maskSecrets(const QString& text, const QList<QByteArray>& secrets)
{
    return QString::fromUtf8(maskSecrets(text.toUtf8(), secrets));
}

QString HttpRequest::masked() const
{
    QByteArray out = method + ' ' + url.toUtf8() + " HTTP/1.1\n";
    for (const auto& [k, v] : headers)
        out += k + ": " + v + '\n';
    out += '\n';
    out += body;
    return QString::fromUtf8(maskSecrets(out, secrets));
}

QByteArray gatewaySignature(const QByteArray& secret, qint64 timestampSecs, const QByteArray& body)
{
    const QByteArray msg = QByteArray::number(timestampSecs) + '.' + body;
    return "v1=" + QMessageAuthenticationCode::hash(msg, secret, QCryptographicHash::Sha256).toHex();
}

QString recordedTarget(ActionKind k, const QString& target)
{
    if (k == ActionKind::RevokeToken && !target.startsWith(QLatin1String("cred:")))
        return QStringLiteral("token sha256:") +
               QString::fromLatin1(
                   QCryptographicHash::hash(target.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
    return target;
}

Status validateTarget(ActionKind k, const QString& target)
{
    if (target.trimmed().isEmpty()) return targetError(k, QStringLiteral("empty"));
    if (target.size() > 1024) return targetError(k, QStringLiteral("longer than 1024 characters"));
    for (QChar c : target)
        if (c.category() == QChar::Other_Control) return targetError(k, QStringLiteral("contains a control character"));
    switch (k) {
    case ActionKind::QuarantinePod:
    case ActionKind::ReleaseQuarantine:
        if (!podSelector(target)) return targetError(k, QStringLiteral("'%1' is not a pod selector").arg(target));
        break;
    case ActionKind::ScaleToZero:
    case ActionKind::RestoreScale:
        if (!nsName(target)) return targetError(k, QStringLiteral("'%1' is not NAMESPACE/DEPLOYMENT").arg(target));
        break;
    case ActionKind::DisableAccount:
    case ActionKind::EnableAccount:
    case ActionKind::RevokeVaultAccessor:
        if (target.contains(QLatin1Char('/')) || target.contains(QLatin1Char(' ')))
            return targetError(k, QStringLiteral("'%1' contains '/' or a space").arg(target));
        break;
    case ActionKind::RevokeVaultLeases:
        if (target.startsWith(QLatin1Char('/')) || target.contains(QLatin1String("..")))
            return targetError(k, QStringLiteral("'%1' is not a relative lease prefix").arg(target));
        break;
    default:
        break;
    }
    return {};
}

Result<HttpRequest> buildRequest(const Backend& backend, const ActionSpec& spec, const QByteArray& secret,
                                 const QByteArray& tokenSecret, qint64 timestampSecs)
{
    if (backend.kind != backendKindFor(spec.kind))
        return makeError(ErrorCode::Usage, QStringLiteral("backend '%1' is %2, but %3 needs a %4 backend")
                                               .arg(backend.name, backendKindName(backend.kind), actionName(spec.kind),
                                                    backendKindName(backendKindFor(spec.kind))));
    const QUrl base(backend.baseUrl);
    if (!base.isValid() || base.scheme() != QLatin1String("https") || base.host().isEmpty())
        return makeError(ErrorCode::Usage,
                         QStringLiteral("backend '%1': base URL must be https://HOST[:PORT][/PATH]").arg(backend.name));
    CS_TRY(validateTarget(spec.kind, spec.target));
    if (spec.idempotencyKey.isEmpty()) return makeError(ErrorCode::Usage, QStringLiteral("no idempotency key"));

    HttpRequest r;
    if (!secret.isEmpty()) r.secrets.append(secret);
    if (!tokenSecret.isEmpty()) r.secrets.append(tokenSecret);
    const QByteArray bearer = "Bearer " + secret;

    switch (backend.kind) {
    case BackendKind::OAuth: {
        // RFC 7009 section 2.1: form-encoded token (+ hint), client authenticated with HTTP Basic (RFC 6749 2.3.1).
        if (tokenSecret.isEmpty()) return makeError(ErrorCode::Usage, QStringLiteral("no token to revoke"));
        const int colon = secret.indexOf(':');
        if (colon <= 0)
            return makeError(
                ErrorCode::Usage,
                QStringLiteral("backend '%1': the credential must be CLIENT_ID:CLIENT_SECRET").arg(backend.name));
        const QByteArray clientSecret = secret.mid(colon + 1);
        if (!clientSecret.isEmpty()) r.secrets.append(clientSecret);
        const QByteArray basic = QUrl::toPercentEncoding(QString::fromUtf8(secret.left(colon))) + ':' +
                                 QUrl::toPercentEncoding(QString::fromUtf8(clientSecret));
        r.secrets.append(basic.toBase64());
        r.method = "POST";
        r.url = joinUrl(backend.baseUrl, {});
        r.headers.push_back({"Authorization", "Basic " + basic.toBase64()});
        r.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
        const QString hint = backend.options.isEmpty() ? QStringLiteral("access_token") : backend.options;
        r.body = "token=" + QUrl::toPercentEncoding(QString::fromUtf8(tokenSecret)) + "&token_type_hint=" + pct(hint);
        break;
    }
    case BackendKind::Scim: {
        // RFC 7644 section 3.5.2: PATCH with a PatchOp replacing "active".
        r.method = "PATCH";
        r.url = joinUrl(backend.baseUrl, QStringLiteral("/Users/") + QString::fromLatin1(pct(spec.target)));
        r.headers.push_back({"Authorization", bearer});
        r.headers.push_back({"Content-Type", "application/scim+json"});
        QJsonObject op{{QStringLiteral("op"), QStringLiteral("replace")},
                       {QStringLiteral("path"), QStringLiteral("active")},
                       {QStringLiteral("value"), spec.kind == ActionKind::EnableAccount}};
        QJsonObject body{
            {QStringLiteral("schemas"), QJsonArray{QStringLiteral("urn:ietf:params:scim:api:messages:2.0:PatchOp")}},
            {QStringLiteral("Operations"), QJsonArray{op}}};
        r.body = compact(body);
        break;
    }
    case BackendKind::Kubernetes: {
        r.headers.push_back({"Authorization", bearer});
        if (spec.kind == ActionKind::QuarantinePod || spec.kind == ActionKind::ReleaseQuarantine) {
            const auto sel = *podSelector(spec.target);
            const QString coll =
                QStringLiteral("/apis/networking.k8s.io/v1/namespaces/") + sel.ns + QStringLiteral("/networkpolicies");
            if (spec.kind == ActionKind::ReleaseQuarantine) {
                r.method = "DELETE";
                r.url = joinUrl(backend.baseUrl, coll + QLatin1Char('/') + policyName(sel));
                break;
            }
            // An Egress policy with no egress rules denies all egress of the selected pods; they keep running.
            r.method = "POST";
            r.url = joinUrl(backend.baseUrl, coll);
            r.headers.push_back({"Content-Type", "application/json"});
            QJsonObject meta{{QStringLiteral("name"), policyName(sel)},
                             {QStringLiteral("namespace"), sel.ns},
                             {QStringLiteral("labels"), QJsonObject{{QStringLiteral("app.kubernetes.io/managed-by"),
                                                                     QStringLiteral("chainsight")}}},
                             {QStringLiteral("annotations"),
                              QJsonObject{{QStringLiteral("chainsight.io/idempotency-key"), spec.idempotencyKey},
                                          {QStringLiteral("chainsight.io/case"), spec.caseId}}}};
            QJsonObject specObj{{QStringLiteral("podSelector"),
                                 QJsonObject{{QStringLiteral("matchLabels"), QJsonObject{{sel.key, sel.value}}}}},
                                {QStringLiteral("policyTypes"), QJsonArray{QStringLiteral("Egress")}},
                                {QStringLiteral("egress"), QJsonArray{}}};
            r.body = compact(QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("networking.k8s.io/v1")},
                                         {QStringLiteral("kind"), QStringLiteral("NetworkPolicy")},
                                         {QStringLiteral("metadata"), meta},
                                         {QStringLiteral("spec"), specObj}});
        } else {
            const auto [ns, name] = *nsName(spec.target);
            if (spec.kind == ActionKind::RestoreScale && spec.replicas < 1)
                return makeError(ErrorCode::Usage, QStringLiteral("restore-scale needs a replica count of 1 or more"),
                                 {}, -1, QStringLiteral("replicas"));
            r.method = "PATCH";
            r.url = joinUrl(backend.baseUrl,
                            QStringLiteral("/apis/apps/v1/namespaces/%1/deployments/%2/scale").arg(ns, name));
            r.headers.push_back({"Content-Type", "application/merge-patch+json"});
            const int replicas = spec.kind == ActionKind::ScaleToZero ? 0 : spec.replicas;
            r.body =
                compact(QJsonObject{{QStringLiteral("spec"), QJsonObject{{QStringLiteral("replicas"), replicas}}}});
        }
        break;
    }
    case BackendKind::Vault: {
        r.headers.push_back({"X-Vault-Token", secret});
        r.headers.push_back({"Content-Type", "application/json"});
        if (spec.kind == ActionKind::RevokeVaultAccessor) {
            r.method = "POST";
            r.url = joinUrl(backend.baseUrl, QStringLiteral("/v1/auth/token/revoke-accessor"));
            r.body = compact(QJsonObject{{QStringLiteral("accessor"), spec.target}});
        } else {
            r.method = "PUT";
            QStringList parts;
            for (const QString& p : spec.target.split(QLatin1Char('/'), Qt::SkipEmptyParts))
                parts << QString::fromLatin1(pct(p));
            r.url = joinUrl(backend.baseUrl,
                            QStringLiteral("/v1/sys/leases/revoke-prefix/") + parts.join(QLatin1Char('/')));
        }
        break;
    }
    case BackendKind::Gateway: {
        QString verb = actionName(spec.kind);
        QJsonObject body{{QStringLiteral("version"), 1},
                         {QStringLiteral("action"), verb.replace(QLatin1Char('-'), QLatin1Char('_'))},
                         {QStringLiteral("target"), spec.target},
                         {QStringLiteral("case"), spec.caseId},
                         {QStringLiteral("idempotency_key"), spec.idempotencyKey},
                         {QStringLiteral("issued_at"), spec.issuedAt},
                         {QStringLiteral("issued_by"), spec.actor},
                         {QStringLiteral("approved_by"), spec.approver},
                         {QStringLiteral("reason"), spec.message}};
        r.method = "POST";
        r.url = joinUrl(backend.baseUrl, QStringLiteral("/v1/containment"));
        r.body = compact(body);
        r.headers.push_back({"Content-Type", "application/json"});
        r.headers.push_back({"X-Chainsight-Timestamp", QByteArray::number(timestampSecs)});
        r.headers.push_back({"X-Chainsight-Signature", gatewaySignature(secret, timestampSecs, r.body)});
        break;
    }
    case BackendKind::Chat: {
        // Incoming webhooks carry their secret in the path: the credential is that path.
        QString path = QString::fromUtf8(secret);
        if (!path.isEmpty() && !path.startsWith(QLatin1Char('/'))) path.prepend(QLatin1Char('/'));
        r.method = "POST";
        r.url = joinUrl(backend.baseUrl, path);
        r.headers.push_back({"Content-Type", "application/json"});
        QString text = spec.message;
        if (text.isEmpty())
            text = QStringLiteral("Chainsight containment on case %1: the agent is being contained; %2 is affected.")
                       .arg(spec.caseId, spec.target);
        r.body = compact(QJsonObject{{QStringLiteral("text"), text}});
        break;
    }
    }
    common(r, spec);
    return r;
}

} // namespace chainsight::containment
