// Containment actions: what an analyst can do to the agent's reach, the backends that carry them out, and the exact
// HTTP request each action becomes. Pure data and pure functions (QtCore only): the network lives in Executor.h,
// the records in core/store/ActionStore.h, the orchestration in ContainmentService.h.
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace chainsight::containment {

// The kind of backend, i.e. the protocol it speaks.
enum class BackendKind {
    OAuth,      // OAuth 2.0 Token Revocation (RFC 7009)
    Scim,       // SCIM 2.0 (RFC 7644)
    Kubernetes, // Kubernetes REST API, bearer token
    Vault,      // HashiCorp Vault HTTP API
    Gateway,    // the runtime gateway webhook (docs/gateway-webhook.md)
    Chat        // a chat incoming webhook (Slack/Mattermost-style {"text": ...})
};
QString backendKindName(BackendKind k); // oauth, scim, kubernetes, vault, gateway, chat
std::optional<BackendKind> backendKindFromName(const QString& name);

// One configured backend. No secret here: credentialRef names an entry in the CredentialStore.
struct Backend
{
    QString name;
    BackendKind kind = BackendKind::Gateway;
    QString baseUrl;       // https only
    QString caBundle;      // path to a PEM file with the CA(s) this backend's certificate must chain to
    QString credentialRef; // key in the CredentialStore
    QString options;       // kind-specific: OAuth: the token_type_hint (default access_token)
};

enum class ActionKind {
    RevokeToken,         // oauth: revoke a token / grant
    DisableAccount,      // scim: PATCH active=false
    EnableAccount,       // scim: PATCH active=true (reverses DisableAccount)
    QuarantinePod,       // kubernetes: NetworkPolicy denying all egress of the agent's pods
    ReleaseQuarantine,   // kubernetes: delete that NetworkPolicy
    ScaleToZero,         // kubernetes: scale the Deployment to 0
    RestoreScale,        // kubernetes: scale it back
    RevokeVaultAccessor, // vault: revoke a token by accessor
    RevokeVaultLeases,   // vault: revoke leases by prefix
    KillSessions,        // gateway
    QuarantineTool,      // gateway (tool or MCP server)
    ReleaseTool,         // gateway
    BlockRule,           // gateway: a blanket BLOCK rule
    RemoveBlockRule,     // gateway
    PauseAutomations,    // gateway: downstream automations
    ResumeAutomations,   // gateway
    Notify               // chat
};
QString actionName(ActionKind k); // revoke-token, disable-account, ... (the CLI's --action values; stable)
std::optional<ActionKind> actionFromName(const QString& name);
QStringList actionNames();
BackendKind backendKindFor(ActionKind k);
bool isDestructive(ActionKind k);                  // needs approval when the setting asks for it
std::optional<ActionKind> reverseOf(ActionKind k); // the action that undoes it, if any
QString actionTitle(ActionKind k);                 // "Revoke token", for the panel
QString targetHint(ActionKind k);                  // what the target is, for the panel and --help

// What the analyst issues.
struct ActionSpec
{
    ActionKind kind = ActionKind::Notify;
    QString backend;
    QString target;
    QString caseId;   // the case title or file name, for webhook bodies
    QString actor;    // who issues it
    QString approver; // who approved it ("" when none)
    QString idempotencyKey;
    QString issuedAt;  // RFC 3339, the intent's time: part of bodies so a replay rebuilds the same body
    QString message;   // Notify: the text; others: an optional reason
    int replicas = -1; // RestoreScale: the replica count to restore
};

// An HTTP request, exactly as it will be sent. secrets lists every secret value in it so that masked() can
// hide them wherever they appear (headers, URL, body).
struct HttpRequest
{
    QByteArray method;
    QString url;
    std::vector<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QList<QByteArray> secrets;

    QByteArray header(const QByteArray& name) const;
    // The request as text (request line, headers, blank line, body) with every secret replaced by "****".
    QString masked() const;
};

// Replaces every secret (and its base64 and percent-encoded forms) in text by "****".
QByteArray maskSecrets(QByteArray text, const QList<QByteArray>& secrets);
QString maskSecrets(const QString& text, const QList<QByteArray>& secrets);

// Builds the request of spec against backend with the secret from the credential store. Pure: the same inputs give
// the same bytes. For OAuth the secret is "client_id:client_secret" and a target "cred:REF" is resolved by the
// caller into tokenSecret. For Gateway timestampSecs goes into the signature header (not the body).
Result<HttpRequest> buildRequest(const Backend& backend, const ActionSpec& spec, const QByteArray& secret,
                                 const QByteArray& tokenSecret = {}, qint64 timestampSecs = 0);

// The gateway's signature header value: "v1=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).
QByteArray gatewaySignature(const QByteArray& secret, qint64 timestampSecs, const QByteArray& body);

// How a target is written into the case: the target itself, except a literal OAuth token, which is a secret and
// is recorded only as "token sha256:<first 16 hex>".
QString recordedTarget(ActionKind k, const QString& target);

// Validates a target for an action ("payments/refund-agent" for Kubernetes, ...): an error names what is wrong.
Status validateTarget(ActionKind k, const QString& target);

} // namespace chainsight::containment
