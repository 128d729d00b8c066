// The exact request of every action: method, URL, headers, body; secrets masked in the dry-run text.
#include "core/containment/Containment.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace chainsight;
using namespace chainsight::containment;

namespace {
Backend backend(BackendKind kind, const QString& url = QStringLiteral("https://backend.example:8443/base/"))
{
    Backend b;
    b.name = QStringLiteral("b");
    b.kind = kind;
    b.baseUrl = url;
    return b;
}
ActionSpec spec(ActionKind kind, const QString& target)
{
    ActionSpec s;
    s.kind = kind;
    s.backend = QStringLiteral("b");
    s.target = target;
    s.caseId = QStringLiteral("case-1");
    s.actor = QStringLiteral("alice");
    s.approver = QStringLiteral("bob");
    s.idempotencyKey = QStringLiteral("key-1");
    s.issuedAt = QStringLiteral("2026-01-02T03:04:05.000Z");
    return s;
}
HttpRequest build(const Backend& b, const ActionSpec& s, const QByteArray& secret, const QByteArray& token = {},
                  qint64 ts = 0)
{
    auto r = buildRequest(b, s, secret, token, ts);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().toString().toStdString());
    return r.ok() ? *r : HttpRequest{};
}
} // namespace

TEST(RequestBuilder, OAuthRevocationIsRfc7009FormWithBasicClientAuth)
{
    const auto r = build(backend(BackendKind::OAuth, QStringLiteral("https://idp.example/oauth2/revoke")),
                         spec(ActionKind::RevokeToken, QStringLiteral("cred:tok")), "client-1:s3cret+/=", "tok en&x");
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.url, QStringLiteral("https://idp.example/oauth2/revoke"));
    EXPECT_EQ(r.header("Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(r.header("Authorization"), "Basic " + QByteArray("client-1:s3cret%2B%2F%3D").toBase64());
    EXPECT_EQ(r.body, "token=tok%20en%26x&token_type_hint=access_token");
    EXPECT_EQ(r.header("Idempotency-Key"), "key-1");
    const QString masked = r.masked();
    EXPECT_FALSE(masked.contains(QStringLiteral("s3cret")));
    EXPECT_FALSE(masked.contains(QStringLiteral("tok%20en")));
    EXPECT_FALSE(masked.contains(QString::fromLatin1(QByteArray("client-1:s3cret%2B%2F%3D").toBase64())));
    EXPECT_TRUE(masked.contains(QStringLiteral("Authorization: Basic ****")));
    EXPECT_TRUE(masked.contains(QStringLiteral("token=****&token_type_hint=access_token")));
}

TEST(RequestBuilder, OAuthNeedsClientIdAndSecret)
{
    auto r =
        buildRequest(backend(BackendKind::OAuth), spec(ActionKind::RevokeToken, QStringLiteral("t")), "nocolon", "t");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("CLIENT_ID:CLIENT_SECRET")));
}

TEST(RequestBuilder, ScimPatchSetsActiveFalseAndBack)
{
    const auto b = backend(BackendKind::Scim, QStringLiteral("https://idp.example/scim/v2"));
    const auto off = build(b, spec(ActionKind::DisableAccount, QStringLiteral("refund-bot@prod")), "scim-token-123");
    EXPECT_EQ(off.method, "PATCH");
    EXPECT_EQ(off.url, QStringLiteral("https://idp.example/scim/v2/Users/refund-bot%40prod"));
    EXPECT_EQ(off.header("Content-Type"), "application/scim+json");
    EXPECT_EQ(off.header("Authorization"), "Bearer scim-token-123");
    EXPECT_EQ(
        off.body,
        R"({"Operations":[{"op":"replace","path":"active","value":false}],"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]})");
    const auto on = build(b, spec(ActionKind::EnableAccount, QStringLiteral("refund-bot@prod")), "scim-token-123");
    EXPECT_TRUE(on.body.contains(R"("value":true)"));
    EXPECT_TRUE(off.masked().contains(QStringLiteral("Authorization: Bearer ****")));
}

TEST(RequestBuilder, KubernetesNetworkPolicyDeniesAllEgressOfTheSelectedPods)
{
    const auto b = backend(BackendKind::Kubernetes, QStringLiteral("https://k8s.example:6443"));
    const auto r = build(b, spec(ActionKind::QuarantinePod, QStringLiteral("payments/refund-agent")), "k8s-token");
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.url,
              QStringLiteral("https://k8s.example:6443/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies"));
    const auto o = QJsonDocument::fromJson(r.body).object();
    EXPECT_EQ(o[QStringLiteral("kind")].toString(), QStringLiteral("NetworkPolicy"));
    EXPECT_EQ(o[QStringLiteral("metadata")][QStringLiteral("name")].toString(),
              QStringLiteral("chainsight-quarantine-refund-agent"));
    const auto specObj = o[QStringLiteral("spec")].toObject();
    EXPECT_EQ(specObj[QStringLiteral("podSelector")][QStringLiteral("matchLabels")][QStringLiteral("app")].toString(),
              QStringLiteral("refund-agent"));
    EXPECT_EQ(specObj[QStringLiteral("policyTypes")].toArray().size(), 1);
    EXPECT_EQ(specObj[QStringLiteral("policyTypes")][0].toString(), QStringLiteral("Egress"));
    EXPECT_TRUE(specObj[QStringLiteral("egress")].toArray().isEmpty());
    const auto rel = build(b, spec(ActionKind::ReleaseQuarantine, QStringLiteral("payments/tier=agents")), "k8s-token");
    EXPECT_EQ(rel.method, "DELETE");
    EXPECT_EQ(rel.url, QStringLiteral("https://k8s.example:6443/apis/networking.k8s.io/v1/namespaces/payments/"
                                      "networkpolicies/chainsight-quarantine-agents"));
}

TEST(RequestBuilder, KubernetesScaleIsAMergePatchOfTheScaleSubresource)
{
    const auto b = backend(BackendKind::Kubernetes, QStringLiteral("https://k8s.example:6443/"));
    const auto r = build(b, spec(ActionKind::ScaleToZero, QStringLiteral("payments/refund-agent")), "k8s-token");
    EXPECT_EQ(r.method, "PATCH");
    EXPECT_EQ(r.url, QStringLiteral(
                         "https://k8s.example:6443/apis/apps/v1/namespaces/payments/deployments/refund-agent/scale"));
    EXPECT_EQ(r.header("Content-Type"), "application/merge-patch+json");
    EXPECT_EQ(r.body, R"({"spec":{"replicas":0}})");
    auto s = spec(ActionKind::RestoreScale, QStringLiteral("payments/refund-agent"));
    EXPECT_FALSE(buildRequest(b, s, "k8s-token").ok()); // needs a count
    s.replicas = 3;
    EXPECT_EQ(build(b, s, "k8s-token").body, R"({"spec":{"replicas":3}})");
}

TEST(RequestBuilder, VaultRevokeAccessorAndPrefix)
{
    const auto b = backend(BackendKind::Vault, QStringLiteral("https://vault.example:8200"));
    const auto a = build(b, spec(ActionKind::RevokeVaultAccessor, QStringLiteral("hmac-accessor-1")), "hvs.root");
    EXPECT_EQ(a.method, "POST");
    EXPECT_EQ(a.url, QStringLiteral("https://vault.example:8200/v1/auth/token/revoke-accessor"));
    EXPECT_EQ(a.header("X-Vault-Token"), "hvs.root");
    EXPECT_EQ(a.body, R"({"accessor":"hmac-accessor-1"})");
    const auto p =
        build(b, spec(ActionKind::RevokeVaultLeases, QStringLiteral("database/creds/refund agent")), "hvs.root");
    EXPECT_EQ(p.method, "PUT");
    EXPECT_EQ(p.url,
              QStringLiteral("https://vault.example:8200/v1/sys/leases/revoke-prefix/database/creds/refund%20agent"));
    EXPECT_TRUE(p.body.isEmpty());
    EXPECT_TRUE(p.masked().contains(QStringLiteral("X-Vault-Token: ****")));
    EXPECT_FALSE(buildRequest(b, spec(ActionKind::RevokeVaultLeases, QStringLiteral("../sys")), "hvs.root").ok());
}

TEST(RequestBuilder, GatewayWebhookIsSignedOverTimestampAndBody)
{
    const auto b = backend(BackendKind::Gateway, QStringLiteral("https://gw.example"));
    auto s = spec(ActionKind::QuarantineTool, QStringLiteral("payments.refund"));
    s.message = QStringLiteral("case 1");
    const auto r = build(b, s, "hmac-key", {}, 1700000000);
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.url, QStringLiteral("https://gw.example/v1/containment"));
    EXPECT_EQ(r.header("X-Chainsight-Timestamp"), "1700000000");
    EXPECT_EQ(r.header("X-Chainsight-Signature"), gatewaySignature("hmac-key", 1700000000, r.body));
    const auto o = QJsonDocument::fromJson(r.body).object();
    EXPECT_EQ(o[QStringLiteral("action")].toString(), QStringLiteral("quarantine_tool"));
    EXPECT_EQ(o[QStringLiteral("target")].toString(), QStringLiteral("payments.refund"));
    EXPECT_EQ(o[QStringLiteral("idempotency_key")].toString(), QStringLiteral("key-1"));
    EXPECT_EQ(o[QStringLiteral("approved_by")].toString(), QStringLiteral("bob"));
    EXPECT_EQ(o[QStringLiteral("version")].toInt(), 1);
    // A known-answer HMAC (computed independently: printf '1.{}' | openssl dgst -sha256 -hmac k).
    EXPECT_EQ(gatewaySignature("k", 1, "{}"),
              QByteArray("v1=3dd49b2593d0f9a349e9e71c4bde3e2b862c2be4003fe9b4ba81332029310158"));
    // Same inputs, same bytes: a replay rebuilds an identical body.
    EXPECT_EQ(build(b, s, "hmac-key", {}, 1700000999).body, r.body);
}

TEST(RequestBuilder, ChatWebhookHidesTheSecretPath)
{
    const auto b = backend(BackendKind::Chat, QStringLiteral("https://chat.example"));
    auto s = spec(ActionKind::Notify, QStringLiteral("payments-platform"));
    s.message = QStringLiteral("hello");
    const auto r = build(b, s, "services/T000/B000/XXXXSECRET");
    EXPECT_EQ(r.url, QStringLiteral("https://chat.example/services/T000/B000/XXXXSECRET"));
    EXPECT_EQ(r.body, R"({"text":"hello"})");
    EXPECT_FALSE(r.masked().contains(QStringLiteral("XXXXSECRET")));
    EXPECT_TRUE(r.masked().startsWith(QStringLiteral("POST https://chat.example/**** HTTP/1.1")));
}

TEST(RequestBuilder, RefusesWrongBackendKindPlainHttpAndBadTargets)
{
    EXPECT_FALSE(
        buildRequest(backend(BackendKind::Vault), spec(ActionKind::DisableAccount, QStringLiteral("x")), "t").ok());
    EXPECT_FALSE(buildRequest(backend(BackendKind::Scim, QStringLiteral("http://idp.example")),
                              spec(ActionKind::DisableAccount, QStringLiteral("x")), "t")
                     .ok());
    EXPECT_FALSE(validateTarget(ActionKind::ScaleToZero, QStringLiteral("no-namespace")).ok());
    EXPECT_FALSE(validateTarget(ActionKind::QuarantinePod, QStringLiteral("Bad NS/app")).ok());
    EXPECT_FALSE(validateTarget(ActionKind::DisableAccount, QStringLiteral("../admin")).ok());
    EXPECT_FALSE(validateTarget(ActionKind::KillSessions, QStringLiteral("a\nb")).ok());
    EXPECT_FALSE(validateTarget(ActionKind::KillSessions, QStringLiteral("  ")).ok());
    EXPECT_TRUE(validateTarget(ActionKind::ScaleToZero, QStringLiteral("payments/refund-agent")).ok());
}

TEST(RequestBuilder, LiteralTokensAreRecordedOnlyAsADigest)
{
    const QString rec = recordedTarget(ActionKind::RevokeToken, QStringLiteral("ya29.SECRET-TOKEN"));
    EXPECT_TRUE(rec.startsWith(QStringLiteral("token sha256:")));
    EXPECT_FALSE(rec.contains(QStringLiteral("SECRET")));
    EXPECT_EQ(recordedTarget(ActionKind::RevokeToken, QStringLiteral("cred:tok")), QStringLiteral("cred:tok"));
    EXPECT_EQ(recordedTarget(ActionKind::DisableAccount, QStringLiteral("u1")), QStringLiteral("u1"));
}

TEST(RequestBuilder, ActionNamesRoundTripAndReversesAreConsistent)
{
    for (const QString& n : actionNames()) {
        auto k = actionFromName(n);
        ASSERT_TRUE(k.has_value()) << n.toStdString();
        EXPECT_EQ(actionName(*k), n);
        if (auto r = reverseOf(*k)) {
            EXPECT_EQ(backendKindFor(*r), backendKindFor(*k));
            EXPECT_FALSE(isDestructive(*r));
        }
    }
    EXPECT_FALSE(actionFromName(QStringLiteral("nuke")).has_value());
}
