// Containment against loopback HTTPS backends: exact requests, records before and after, retries and idempotency,
// the approval gate, failure paths, TLS refusals, unknown outcomes and reconciliation, reversal, canary secrets,
// and the suggestions for the demo incident.
#include "core/analysis/Analysis.h"
#include "core/containment/Suggestions.h"
#include "core/json/Json.h"
#include "importers/Importer.h"
#include "tests/containment/ContainmentFixture.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSettings>
#include <QUrlQuery>

#include <mutex>

using namespace chainsight;
using namespace chainsight::containment;
using namespace chainsight::testing;

namespace {

json::Value detailOf(const CustodyEntry& e)
{
    json::Parser p;
    auto v = p.parse(e.detail);
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : json::Value();
}

struct Case
{
    ActionKind kind;
    BackendKind backend;
    QString target;
    QByteArray method, path;
};

} // namespace

TEST_F(ContainmentFixture, EachProtocolSendsItsExactRequestWithIntentCommittedBeforeAndOutcomeAfter)
{
    auto server = startBackend();
    server->handler = [](const Received& r) {
        if (r.path.endsWith("/scale"))
            return Reply{200, R"({"kind":"Scale","spec":{"replicas":0},"status":{"replicas":3}})"};
        if (r.path.startsWith("/v1/sys") || r.path.startsWith("/v1/auth")) return Reply{204, ""};
        return Reply{200, R"({"status":"applied"})"};
    };
    QList<Backend> backends;
    for (auto k : {BackendKind::OAuth, BackendKind::Scim, BackendKind::Kubernetes, BackendKind::Vault,
                   BackendKind::Gateway, BackendKind::Chat})
        backends << backendFor(k, *server, k == BackendKind::OAuth ? QStringLiteral("/oauth2/revoke") : QString());
    auto svc = service(backends);

    const std::vector<Case> cases = {
        {ActionKind::RevokeToken, BackendKind::OAuth, QStringLiteral("cred:token/sa:refund-bot@prod"), "POST",
         "/oauth2/revoke"},
        {ActionKind::DisableAccount, BackendKind::Scim, QStringLiteral("refund-bot"), "PATCH", "/Users/refund-bot"},
        {ActionKind::QuarantinePod, BackendKind::Kubernetes, QStringLiteral("payments/refund-agent"), "POST",
         "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies"},
        {ActionKind::ScaleToZero, BackendKind::Kubernetes, QStringLiteral("payments/refund-agent"), "PATCH",
         "/apis/apps/v1/namespaces/payments/deployments/refund-agent/scale"},
        {ActionKind::RevokeVaultAccessor, BackendKind::Vault, QStringLiteral("acc-123"), "POST",
         "/v1/auth/token/revoke-accessor"},
        {ActionKind::RevokeVaultLeases, BackendKind::Vault, QStringLiteral("database/creds/refund-agent"), "PUT",
         "/v1/sys/leases/revoke-prefix/database/creds/refund-agent"},
        {ActionKind::KillSessions, BackendKind::Gateway, QStringLiteral("refund-agent"), "POST", "/v1/containment"},
        {ActionKind::QuarantineTool, BackendKind::Gateway, QStringLiteral("payments.refund"), "POST",
         "/v1/containment"},
        {ActionKind::BlockRule, BackendKind::Gateway, QStringLiteral("refund-agent"), "POST", "/v1/containment"},
        {ActionKind::PauseAutomations, BackendKind::Gateway, QStringLiteral("refund-agent"), "POST", "/v1/containment"},
        {ActionKind::Notify, BackendKind::Chat, QStringLiteral("payments-platform"), "POST", "/" + kCanaryChat},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(actionName(c.kind).toStdString());
        const size_t before = custody().size();
        const int receivedBefore = int(server->received.size());
        bool checkedAtArrival = false;
        server->onArrive = [&](const Received& r) {
            // The intent must already be committed when the request reaches the backend: read with a second connection.
            store::OpenOptions ro;
            ro.mode = store::OpenOptions::Mode::ReadOnly;
            auto other = store::CaseStore::open(casePath, ro);
            ASSERT_TRUE(other.ok());
            store::ActionStore as(**other);
            auto row = as.byKey(r.header("Idempotency-Key").toStdString());
            ASSERT_TRUE(row.ok() && row->has_value());
            EXPECT_EQ((*row)->state, "sent");
            auto entries = (*other)->custody();
            ASSERT_TRUE(entries.ok());
            ASSERT_EQ(entries->size(), before + 1);
            EXPECT_EQ(entries->back().action, "contain.intent");
            EXPECT_EQ(detailOf(entries->back()).str("idempotency_key"), r.header("Idempotency-Key").toStdString());
            checkedAtArrival = true;
        };
        const auto rec = run(*svc, spec(c.kind, backendKindName(c.backend), c.target));
        EXPECT_TRUE(checkedAtArrival);
        EXPECT_EQ(rec.state, "confirmed") << rec.error;
        ASSERT_EQ(server->received.size(), receivedBefore + 1);
        const Received& got = server->received.back();
        EXPECT_EQ(got.method, c.method);
        EXPECT_EQ(got.path, c.path);
        EXPECT_EQ(got.header("Idempotency-Key").toStdString(), rec.idempotencyKey);
        // The bytes on the wire are exactly what the builder makes (the gateway's signature aside, which is timed).
        auto b = svc->backend(backendKindName(c.backend));
        ActionSpec sp = spec(c.kind, b->name, c.target);
        sp.actor = QStringLiteral("alice");
        sp.approver = QString::fromStdString(rec.approver);
        sp.idempotencyKey = QString::fromStdString(rec.idempotencyKey);
        sp.issuedAt = QString::fromStdString(rec.createdAt);
        auto title = store->meta("title");
        sp.caseId =
            title.ok() && *title && !(*title)->empty() ? QString::fromStdString(**title) : QStringLiteral("case");
        if (c.kind == ActionKind::Notify)
            sp.message = QJsonDocument::fromJson(got.body).object().value(QStringLiteral("text")).toString();
        const QByteArray secret = *creds.read(b->credentialRef);
        auto expect = buildRequest(*b, sp, secret, c.kind == ActionKind::RevokeToken ? kCanaryToken : QByteArray(),
                                   got.header("X-Chainsight-Timestamp").toLongLong());
        ASSERT_TRUE(expect.ok());
        EXPECT_EQ(got.body, expect->body);
        for (const auto& [k, v] : expect->headers)
            EXPECT_EQ(got.header(k), v) << k.toStdString();
        EXPECT_EQ(QCryptographicHash::hash(got.body, QCryptographicHash::Sha256).toHex().toStdString(), rec.bodySha256);

        const auto entries = custody();
        ASSERT_EQ(entries.size(), before + 2);
        EXPECT_EQ(entries[before].action, "contain.intent");
        EXPECT_EQ(entries[before + 1].action, "contain.outcome");
        const auto out = detailOf(entries[before + 1]);
        EXPECT_EQ(out.str("state"), "confirmed");
        EXPECT_EQ(out.str("idempotency_key"), rec.idempotencyKey);
        EXPECT_EQ(out.find("http_status")->asInt(), rec.httpStatus);
        EXPECT_FALSE(out.str("response_sha256").empty());
        EXPECT_FALSE(out.str("sent_at").empty());
        EXPECT_FALSE(out.str("finished_at").empty());
        const auto intent = detailOf(entries[before]);
        EXPECT_EQ(intent.str("actor"), "alice");
        EXPECT_EQ(intent.str("approver"), "bob");
        EXPECT_EQ(intent.str("action"), actionName(c.kind).toStdString());
    }
    EXPECT_TRUE(custody::verifyChain(custody()).empty());
    // Gateway signatures verify with the shared secret.
    for (const auto& r : server->received) {
        if (r.path != "/v1/containment") continue;
        EXPECT_EQ(r.header("X-Chainsight-Signature"),
                  gatewaySignature(kCanaryGateway, r.header("X-Chainsight-Timestamp").toLongLong(), r.body));
    }
}

TEST_F(ContainmentFixture, TransientFaultsAreRetriedWithTheSameKeyAndTheBackendSeesOneEffect)
{
    auto server = startBackend();
    server->queueFault(TestBackend::Fault::Status503);
    server->queueFault(TestBackend::Fault::DropAfterApply); // applied, answer lost
    auto svc = service({backendFor(BackendKind::Gateway, *server)});
    const auto rec =
        run(*svc, spec(ActionKind::KillSessions, QStringLiteral("gateway"), QStringLiteral("refund-agent")));
    EXPECT_EQ(rec.state, "confirmed") << rec.error;
    // Qt's network layer itself re-sends a request once when a kept-alive connection closes before the answer,
    // so the dropped attempt may be re-sent below us: the backend sees three requests for two or three attempts.
    EXPECT_GE(rec.attempts, 2);
    EXPECT_LE(rec.attempts, 3);
    ASSERT_EQ(server->received.size(), 3);
    for (const auto& r : server->received)
        EXPECT_EQ(r.header("Idempotency-Key").toStdString(), rec.idempotencyKey);
    EXPECT_EQ(server->received[0].body, server->received[2].body);
    EXPECT_EQ(server->effects, 1); // the 503 took no effect; the dropped one did; the third replayed it
    EXPECT_EQ(server->replays, 1);
}

TEST_F(ContainmentFixture, AReusedKeyWithAnotherBodyIsReportedAsAConflict)
{
    auto server = startBackend();
    auto cas = loadCaBundle(caPath);
    ASSERT_TRUE(cas.ok());
    Executor ex;
    HttpRequest a;
    a.method = "POST";
    a.url = server->url(QStringLiteral("/v1/containment"));
    a.headers = {{"Idempotency-Key", "same-key"}, {"Content-Type", "application/json"}};
    a.body = R"({"n":1})";
    HttpRequest b = a;
    b.body = R"({"n":2})";
    std::optional<Outcome> first, second;
    ex.send(a, *cas, settings.transport, [&](const Outcome& o) { first = o; });
    ASSERT_TRUE(waitUntil([&] { return first.has_value(); }));
    EXPECT_TRUE(first->confirmed());
    ex.send(b, *cas, settings.transport, [&](const Outcome& o) { second = o; });
    ASSERT_TRUE(waitUntil([&] { return second.has_value(); }));
    EXPECT_EQ(second->kind, Outcome::Kind::Conflict);
    EXPECT_EQ(second->httpStatus, 422);
    EXPECT_EQ(second->attempts, 1);
    EXPECT_TRUE(second->message.contains(QStringLiteral("idempotency key")));
    EXPECT_EQ(server->effects, 1);
}

TEST_F(ContainmentFixture, TimeoutFailsPlainlyAndARetryIsConfirmed)
{
    auto server = startBackend();
    for (int i = 0; i < 3; ++i)
        server->queueFault(TestBackend::Fault::Stall);
    // The timer covers connecting too (a new client, the TLS handshake): 1.5 s leaves room for a loaded machine
    // under the sanitizers, where an attempt that timed out before reaching the server would leave its stall
    // queued for the resend.
    settings.transport.timeoutMs = 1500;
    auto svc = service({backendFor(BackendKind::Scim, *server)});
    auto rec = run(*svc, spec(ActionKind::DisableAccount, QStringLiteral("scim"), QStringLiteral("refund-bot")));
    EXPECT_EQ(rec.state, "failed");
    EXPECT_EQ(rec.attempts, 3);
    EXPECT_EQ(rec.httpStatus, 0);
    EXPECT_NE(rec.error.find("no answer within 1500 ms"), std::string::npos) << rec.error;
    EXPECT_EQ(server->received.size(), 3) << "each attempt reached the server";
    auto c = custody();
    ASSERT_GE(c.size(), 2u);
    EXPECT_EQ(detailOf(c.back()).str("state"), "failed");
    EXPECT_EQ(detailOf(c.back()).str("outcome"), "timeout");

    rec = resend(*svc, rec.id);
    EXPECT_EQ(rec.state, "confirmed") << rec.error;
    EXPECT_EQ(server->effects, 1); // the first stalled attempt had applied it; the rest were replays
    c = custody();
    int intents = 0;
    for (const auto& e : c)
        intents += e.action == "contain.intent";
    EXPECT_EQ(intents, 2);
    EXPECT_EQ(detailOf(c.back()).str("state"), "confirmed");
}

TEST_F(ContainmentFixture, Unauthorized401IsNotRetriedAndIsRecorded)
{
    auto server = startBackend();
    server->queueFault(TestBackend::Fault::Status401);
    auto svc = service({backendFor(BackendKind::Vault, *server)});
    const auto rec = run(*svc, spec(ActionKind::RevokeVaultAccessor, QStringLiteral("vault"), QStringLiteral("acc-1")));
    EXPECT_EQ(rec.state, "failed");
    EXPECT_EQ(rec.attempts, 1);
    EXPECT_EQ(rec.httpStatus, 401);
    EXPECT_NE(rec.error.find("refused the credential"), std::string::npos) << rec.error;
    EXPECT_EQ(server->received.size(), 1);
    EXPECT_EQ(server->effects, 0);
    auto rows = svc->actions().list();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().state, "failed");
}

TEST_F(ContainmentFixture, ServerErrorsAreRetriedThenReportedAsFailed)
{
    auto server = startBackend();
    for (int i = 0; i < 3; ++i)
        server->queueFault(TestBackend::Fault::Status503);
    auto svc = service({backendFor(BackendKind::Gateway, *server)});
    const auto rec =
        run(*svc, spec(ActionKind::PauseAutomations, QStringLiteral("gateway"), QStringLiteral("refund-agent")));
    EXPECT_EQ(rec.state, "failed");
    EXPECT_EQ(rec.httpStatus, 503);
    EXPECT_EQ(rec.attempts, 3);
    EXPECT_EQ(server->effects, 0);
}

TEST_F(ContainmentFixture, CertificatesThatAreExpiredSelfSignedOrForAnotherHostAreRefused)
{
    struct Bad
    {
        const char* name;
        KeyPair pair;
    };
    const std::vector<Bad> bad = {
        {"expired", pki().issue({QStringLiteral("IP:127.0.0.1")}, -30, -1)},
        {"wrong host", pki().issue({QStringLiteral("DNS:backend.example")})},
        {"self-signed", TestPki::selfSigned({QStringLiteral("IP:127.0.0.1")})},
    };
    for (const auto& b : bad) {
        SCOPED_TRACE(b.name);
        auto server = startBackend(b.pair);
        auto svc = service({backendFor(BackendKind::Gateway, *server)});
        const auto rec =
            run(*svc, spec(ActionKind::KillSessions, QStringLiteral("gateway"), QStringLiteral("refund-agent")));
        EXPECT_EQ(rec.state, "failed");
        EXPECT_EQ(rec.attempts, 1); // a certificate problem is not retried
        EXPECT_NE(rec.error.find("TLS refused"), std::string::npos) << rec.error;
        EXPECT_TRUE(server->received.isEmpty()); // not a byte of the request reached the server
        EXPECT_EQ(detailOf(custody().back()).str("outcome"), "tls");
    }
    // And the good certificate passes with the same CA bundle.
    auto good = startBackend();
    auto svc = service({backendFor(BackendKind::Gateway, *good)});
    EXPECT_EQ(run(*svc, spec(ActionKind::KillSessions, QStringLiteral("gateway"), QStringLiteral("x"))).state,
              "confirmed");
}

TEST_F(ContainmentFixture, CaBundleThatDoesNotIssueTheServerIsRefusedEvenIfTheSystemWouldTrustIt)
{
    auto server = startBackend();
    const TestPki other;
    QFile f(dir.filePath(QStringLiteral("other-ca.pem")));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(other.caPem());
    f.close();
    auto b = backendFor(BackendKind::Gateway, *server);
    b.caBundle = f.fileName();
    auto svc = service({b});
    const auto rec = run(*svc, spec(ActionKind::KillSessions, QStringLiteral("gateway"), QStringLiteral("x")));
    EXPECT_EQ(rec.state, "failed");
    EXPECT_TRUE(server->received.isEmpty());
    // No CA bundle at all: refused before any record is made.
    b.caBundle.clear();
    auto svc2 = service({b});
    auto id = svc2->issue(spec(ActionKind::KillSessions, QStringLiteral("gateway"), QStringLiteral("x")),
                          {QStringLiteral("bob"), {}});
    EXPECT_FALSE(id.ok());
}

TEST_F(ContainmentFixture, ApprovalGateRefusesMissingAndSelfApprovalAndFlagsBreakGlass)
{
    auto server = startBackend();
    auto svc = service({backendFor(BackendKind::Kubernetes, *server), backendFor(BackendKind::Chat, *server)});
    const auto before = custody().size();
    const auto kill =
        spec(ActionKind::ScaleToZero, QStringLiteral("kubernetes"), QStringLiteral("payments/refund-agent"));
    auto none = svc->issue(kill, {});
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, ErrorCode::Blocked);
    auto self = svc->issue(kill, {QStringLiteral(" Alice "), {}});
    ASSERT_FALSE(self.ok());
    EXPECT_TRUE(self.error().message.contains(QStringLiteral("self-approval")));
    EXPECT_EQ(custody().size(), before); // refused: no record, nothing sent
    EXPECT_TRUE(svc->actions().list()->empty());
    EXPECT_TRUE(server->received.isEmpty());

    // Non-destructive actions need no approval.
    EXPECT_EQ(run(*svc, spec(ActionKind::Notify, QStringLiteral("chat"), QStringLiteral("team")), {}).state,
              "confirmed");

    // Break-glass: goes, logged and flagged.
    const auto rec = run(*svc, kill, {{}, QStringLiteral("approver unreachable, refunds still flowing")});
    EXPECT_EQ(rec.state, "confirmed");
    EXPECT_TRUE(rec.breakGlass);
    EXPECT_EQ(rec.reason, "approver unreachable, refunds still flowing");
    const auto c = custody();
    const auto intent = detailOf(c[c.size() - 2]);
    EXPECT_EQ(c[c.size() - 2].action, "contain.intent");
    EXPECT_TRUE(intent.find("break_glass")->asBool());

    // With the setting off, a destructive action goes without a second analyst (but self-approval is still refused).
    settings.requireApproval = false;
    auto relaxed = service({backendFor(BackendKind::Kubernetes, *server)});
    EXPECT_EQ(run(*relaxed, kill, {}).state, "confirmed");
    EXPECT_FALSE(relaxed->issue(kill, {QStringLiteral("alice"), {}}).ok());
}

TEST_F(ContainmentFixture, AnActionInFlightWhenTheAppDiesIsUnknownOnRestartAndReconciles)
{
    auto server = startBackend();
    server->queueFault(TestBackend::Fault::Stall); // applies, then never answers
    settings.transport.timeoutMs = 60000;
    int64_t id = 0;
    {
        auto svc = service({backendFor(BackendKind::Scim, *server)});
        auto r = svc->issue(spec(ActionKind::DisableAccount, QStringLiteral("scim"), QStringLiteral("refund-bot")),
                            {QStringLiteral("bob"), {}});
        ASSERT_TRUE(r.ok());
        id = *r;
        ASSERT_TRUE(waitUntil([&] { return server->effects == 1; }));
        // The app dies here: the service is gone before any answer.
    }
    auto row = store::ActionStore(*store).byId(id);
    ASSERT_TRUE(row.ok() && row->has_value());
    EXPECT_EQ((*row)->state, "sent");

    settings.transport.timeoutMs = 2000;
    auto svc = service({backendFor(BackendKind::Scim, *server)});
    auto n = svc->markInterrupted();
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 1);
    row = svc->actions().byId(id);
    EXPECT_EQ((*row)->state, "unknown");
    auto c = custody();
    EXPECT_EQ(c.back().action, "contain.outcome");
    EXPECT_EQ(detailOf(c.back()).str("state"), "unknown");
    EXPECT_EQ(detailOf(c.back()).str("previous_state"), "sent");

    // Reconcile: the same key and body again; the backend replays its result, so there is still one effect.
    const auto rec = resend(*svc, id);
    EXPECT_EQ(rec.state, "confirmed") << rec.error;
    EXPECT_EQ(server->effects, 1);
    EXPECT_EQ(server->replays, 1);
    EXPECT_EQ(server->received[0].body, server->received[1].body);
    EXPECT_EQ(server->received[0].header("Idempotency-Key"), server->received[1].header("Idempotency-Key"));
    EXPECT_TRUE(custody::verifyChain(custody()).empty());
}

TEST_F(ContainmentFixture, ReversibleActionsAreReversedTheSameWay)
{
    auto server = startBackend();
    server->handler = [](const Received& r) {
        if (r.path.endsWith("/scale"))
            return Reply{200, R"({"kind":"Scale","spec":{"replicas":0},"status":{"replicas":3}})"};
        return Reply{200, "{}"};
    };
    auto svc = service({backendFor(BackendKind::Scim, *server), backendFor(BackendKind::Kubernetes, *server)});
    const auto off = run(*svc, spec(ActionKind::DisableAccount, QStringLiteral("scim"), QStringLiteral("refund-bot")));
    ASSERT_EQ(off.state, "confirmed");
    std::optional<store::ActionRecord> back;
    auto rid = svc->reverse(off.id, {}, [&](const store::ActionRecord& r) { back = r; });
    ASSERT_TRUE(rid.ok()) << rid.error().toString().toStdString();
    ASSERT_TRUE(waitUntil([&] { return back.has_value(); }));
    EXPECT_EQ(back->action, "enable-account");
    EXPECT_EQ(back->state, "confirmed");
    EXPECT_EQ(back->reverses, off.id);
    EXPECT_TRUE(server->received.back().body.contains(R"("value":true)"));
    EXPECT_EQ((*svc->actions().byId(off.id))->state, "reversed");
    EXPECT_EQ(detailOf(custody().back()).find("reversed")->asInt(), off.id);

    const auto kill =
        run(*svc, spec(ActionKind::ScaleToZero, QStringLiteral("kubernetes"), QStringLiteral("payments/refund-agent")));
    ASSERT_EQ(kill.state, "confirmed");
    back.reset();
    ASSERT_TRUE(svc->reverse(kill.id, {}, [&](const store::ActionRecord& r) { back = r; }).ok());
    ASSERT_TRUE(waitUntil([&] { return back.has_value(); }));
    EXPECT_EQ(back->action, "restore-scale");
    EXPECT_EQ(server->received.back().body, R"({"spec":{"replicas":3}})");

    // Not reversible, or not confirmed: refused.
    const auto vaultish = svc->reverse(back->id, {});
    EXPECT_FALSE(vaultish.ok());
}

TEST_F(ContainmentFixture, DryRunShowsTheExactRequestMaskedAndSendsNothing)
{
    auto server = startBackend();
    auto svc = service({backendFor(BackendKind::OAuth, *server, QStringLiteral("/revoke"))});
    auto d = svc->dryRun(
        spec(ActionKind::RevokeToken, QStringLiteral("oauth"), QStringLiteral("cred:token/sa:refund-bot@prod")), {});
    ASSERT_TRUE(d.ok()) << d.error().toString().toStdString();
    EXPECT_TRUE(d->maskedRequest.startsWith(QStringLiteral("POST ") + server->url(QStringLiteral("/revoke"))));
    EXPECT_TRUE(d->maskedRequest.contains(QStringLiteral("Authorization: Basic ****")));
    EXPECT_TRUE(d->maskedRequest.contains(QStringLiteral("token=****&token_type_hint=access_token")));
    EXPECT_FALSE(d->maskedRequest.contains(QString::fromLatin1(kCanaryToken)));
    EXPECT_TRUE(d->needsApproval);
    for (int i = 0; i < 20; ++i)
        QCoreApplication::processEvents();
    EXPECT_TRUE(server->received.isEmpty());
    EXPECT_TRUE(svc->actions().list()->empty());
    EXPECT_EQ(custody().back().action, "contain.dry_run");
}

namespace {
std::mutex g_logMutex;
QByteArray g_log;
void captureLog(QtMsgType, const QMessageLogContext&, const QString& msg)
{
    std::lock_guard lock(g_logMutex);
    g_log += msg.toUtf8() + '\n';
}
} // namespace

TEST_F(ContainmentFixture, CanarySecretsNeverReachTheCaseTheSettingsOrTheLog)
{
    const auto previous = qInstallMessageHandler(captureLog);
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
    {
        auto server = startBackend();
        // A hostile backend echoes the credential it got; only the digest of a response is kept.
        server->handler = [](const Received& r) {
            return Reply{200, "{\"echo\":\"" + r.header("Authorization") + r.header("X-Vault-Token") + "\"}"};
        };
        QList<Backend> backends;
        for (auto k : {BackendKind::OAuth, BackendKind::Scim, BackendKind::Kubernetes, BackendKind::Vault,
                       BackendKind::Gateway, BackendKind::Chat})
            backends << backendFor(k, *server);
        auto svc = service(backends);
        QStringList progress;
        svc->setObserver([&](const store::ActionRecord&, const QString& p) { progress << p; });
        run(*svc,
            spec(ActionKind::RevokeToken, QStringLiteral("oauth"), QStringLiteral("cred:token/sa:refund-bot@prod")));
        run(*svc, spec(ActionKind::RevokeToken, QStringLiteral("oauth"), QString::fromLatin1(kCanaryToken)));
        run(*svc, spec(ActionKind::DisableAccount, QStringLiteral("scim"), QStringLiteral("u1")));
        run(*svc,
            spec(ActionKind::QuarantinePod, QStringLiteral("kubernetes"), QStringLiteral("payments/refund-agent")));
        run(*svc, spec(ActionKind::RevokeVaultAccessor, QStringLiteral("vault"), QStringLiteral("acc")));
        run(*svc, spec(ActionKind::BlockRule, QStringLiteral("gateway"), QStringLiteral("refund-agent")));
        server->queueFault(TestBackend::Fault::Status401);
        run(*svc, spec(ActionKind::Notify, QStringLiteral("chat"), QStringLiteral("team")));
        for (const auto& s : {ActionKind::Notify, ActionKind::KillSessions})
            (void)svc->dryRun(spec(s, backendKindName(backendKindFor(s)), QStringLiteral("team")), {});
        // TLS failure against a URL with the secret in its path (chat): the error text is masked.
        auto wrong = startBackend(pki().issue({QStringLiteral("DNS:elsewhere.example")}));
        auto chat = backendFor(BackendKind::Chat, *wrong);
        chat.name = QStringLiteral("chat2");
        auto svc2 = service({chat});
        svc2->setObserver([&](const store::ActionRecord&, const QString& p) { progress << p; });
        const auto failed = run(*svc2, spec(ActionKind::Notify, QStringLiteral("chat2"), QStringLiteral("team")));
        EXPECT_EQ(failed.state, "failed");
        for (const auto& p : progress)
            qWarning("progress: %s", qPrintable(p));
        const auto records = svc->actions().list(); // kept alive: the loop below reads into it
        ASSERT_TRUE(records);
        for (const auto& r : *records)
            qWarning("record: %s", store::ActionStore::toJson(r).dump().c_str());

        QSettings s(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        saveBackends(s, backends);
        saveSettings(s, settings);
        s.sync();
    }
    store.reset(); // close the case: everything is on disk
    qInstallMessageHandler(previous);

    QByteArray everything;
    QDirIterator it(dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.fileName().endsWith(QLatin1String(".pem"))) continue;
        ASSERT_TRUE(f.open(QIODevice::ReadOnly));
        everything += f.readAll();
    }
    everything += g_log;
    ASSERT_TRUE(everything.contains("contain.intent"));
    ASSERT_TRUE(everything.contains("credential=idp")); // the settings are there, by reference
    for (const QByteArray& canary : {kCanaryOAuth, kCanaryToken, kCanaryScim, kCanaryK8s, kCanaryVault, kCanaryGateway,
                                     kCanaryChat, QByteArray("CANARY")}) {
        EXPECT_FALSE(everything.contains(canary)) << canary.toStdString();
        EXPECT_FALSE(everything.contains(canary.toBase64())) << canary.toStdString();
    }
}

TEST_F(ContainmentFixture, SuggestionsForTheDemoIncidentContainTheRefundAgentInTheSeedsOrder)
{
    importers::ImportOptions o;
    o.actor = custody::Actor{"tester", "test-host"};
    auto imp =
        importers::importPath(*store, QStringLiteral(CHAINSIGHT_SOURCE_DIR "/resources/demo/refund-incident"), o, {});
    ASSERT_TRUE(imp.ok()) << imp.error().toString().toStdString();
    auto report = analysis::analyzeCase(*store);
    ASSERT_TRUE(report.ok());
    auto baselines = store->baselines();
    ASSERT_TRUE(baselines.ok());
    auto server = startBackend();
    QList<Backend> backends;
    for (auto k : {BackendKind::OAuth, BackendKind::Scim, BackendKind::Kubernetes, BackendKind::Vault,
                   BackendKind::Gateway, BackendKind::Chat})
        backends << backendFor(k, *server);
    const auto sugg = suggest(*report, *baselines, backends);
    ASSERT_FALSE(sugg.empty());
    QStringList got;
    for (const auto& s : sugg) {
        EXPECT_EQ(s.agent, QStringLiteral("refund-agent"));
        EXPECT_FALSE(s.spec.backend.isEmpty());
        EXPECT_TRUE(validateTarget(s.spec.kind, s.spec.target).ok()) << s.spec.target.toStdString();
        got << actionName(s.spec.kind) + QLatin1Char(' ') + s.spec.target;
    }
    // Tokens first, then sessions, the service account, the write tools, downstream automations; platform; people.
    QStringList expected = {
        QStringLiteral("revoke-token cred:token/sa:refund-bot@prod"),
        QStringLiteral("vault-revoke-prefix database/creds/refund-agent"),
        QStringLiteral("kill-sessions refund-agent"),
        QStringLiteral("disable-account refund-bot@prod"),
    };
    for (int i = 0; i < expected.size(); ++i)
        EXPECT_EQ(got.value(i), expected[i]) << got.join('\n').toStdString();
    EXPECT_TRUE(got.contains(QStringLiteral("quarantine-tool payments.refund"))) << got.join('\n').toStdString();
    EXPECT_FALSE(got.contains(QStringLiteral("quarantine-tool crm.lookup"))); // read-only tools stay
    EXPECT_TRUE(got.contains(QStringLiteral("pause-automations refund-agent")));
    EXPECT_TRUE(got.contains(QStringLiteral("quarantine-pod payments/refund-agent")));
    EXPECT_EQ(got.last(), QStringLiteral("notify payments-platform"));
    const auto stageIndex = [&](const QString& stage) {
        for (size_t i = 0; i < sugg.size(); ++i)
            if (sugg[i].stage == stage) return int(i);
        return -1;
    };
    EXPECT_LT(stageIndex(QStringLiteral("tokens")), stageIndex(QStringLiteral("sessions")));
    EXPECT_LT(stageIndex(QStringLiteral("sessions")), stageIndex(QStringLiteral("service-account")));
    EXPECT_LT(stageIndex(QStringLiteral("service-account")), stageIndex(QStringLiteral("tools")));
    EXPECT_LT(stageIndex(QStringLiteral("tools")), stageIndex(QStringLiteral("automations")));
    // No incident, no suggestion.
    EXPECT_TRUE(suggest(analysis::AnalysisReport{}, *baselines, backends).empty());
}
