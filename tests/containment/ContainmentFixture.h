// Shared set-up of the containment tests: a case, a CA bundle, canary secrets in an in-memory credential store,
// loopback backends and a service with short timeouts.
#pragma once

#include "core/containment/BackendSettings.h"
#include "core/containment/ContainmentService.h"
#include "core/custody/Custody.h"
#include "core/store/CaseStore.h"
#include "tests/containment/TestBackend.h"
#include "tests/containment/TestPki.h"

#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <memory>

namespace chainsight::testing {

// Secrets no record may ever contain.
inline const QByteArray kCanaryOAuth = "oauth-client:CANARY-oauth-c1e7a9";
inline const QByteArray kCanaryToken = "CANARY-agent-token-5d2f88";
inline const QByteArray kCanaryScim = "CANARY-scim-bearer-0b93aa";
inline const QByteArray kCanaryK8s = "CANARY-k8s-sa-token-77e1c4";
inline const QByteArray kCanaryVault = "hvs.CANARY-vault-3c8e21";
inline const QByteArray kCanaryGateway = "CANARY-gateway-hmac-a4b6d0";
inline const QByteArray kCanaryChat = "services/T01/B02/CANARY-chat-path-9f0e12";

class ContainmentFixture : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        casePath = dir.filePath(QStringLiteral("case.db"));
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::OpenOrCreate;
        auto cs = store::CaseStore::open(casePath, o);
        ASSERT_TRUE(cs.ok()) << cs.error().toString().toStdString();
        store = std::move(*cs);
        caPath = dir.filePath(QStringLiteral("ca.pem"));
        QFile f(caPath);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(pki().caPem());
        f.close();
        ASSERT_TRUE(creds.write(QStringLiteral("idp"), kCanaryOAuth).ok());
        ASSERT_TRUE(creds.write(QStringLiteral("token/sa:refund-bot@prod"), kCanaryToken).ok());
        ASSERT_TRUE(creds.write(QStringLiteral("scim"), kCanaryScim).ok());
        ASSERT_TRUE(creds.write(QStringLiteral("k8s"), kCanaryK8s).ok());
        ASSERT_TRUE(creds.write(QStringLiteral("vault"), kCanaryVault).ok());
        ASSERT_TRUE(creds.write(QStringLiteral("gateway"), kCanaryGateway).ok());
        ASSERT_TRUE(creds.write(QStringLiteral("chat"), kCanaryChat).ok());
        settings.transport.timeoutMs = 2000;
        settings.transport.maxAttempts = 3;
        settings.transport.backoffMs = 20;
    }

    static const TestPki& pki()
    {
        static TestPki p;
        return p;
    }
    static KeyPair goodLeaf()
    {
        static KeyPair k = pki().issue({QStringLiteral("IP:127.0.0.1"), QStringLiteral("DNS:localhost")});
        return k;
    }

    std::unique_ptr<TestBackend> startBackend(const KeyPair& pair = goodLeaf())
    {
        auto b = std::make_unique<TestBackend>(pair);
        EXPECT_TRUE(b->listening());
        return b;
    }

    containment::Backend backendFor(containment::BackendKind kind, const TestBackend& server, const QString& path = {})
    {
        using containment::BackendKind;
        containment::Backend b;
        b.kind = kind;
        b.name = containment::backendKindName(kind);
        b.baseUrl = server.url(path);
        b.caBundle = caPath;
        switch (kind) {
        case BackendKind::OAuth:
            b.credentialRef = QStringLiteral("idp");
            break;
        case BackendKind::Scim:
            b.credentialRef = QStringLiteral("scim");
            break;
        case BackendKind::Kubernetes:
            b.credentialRef = QStringLiteral("k8s");
            b.options = QStringLiteral("payments");
            break;
        case BackendKind::Vault:
            b.credentialRef = QStringLiteral("vault");
            break;
        case BackendKind::Gateway:
            b.credentialRef = QStringLiteral("gateway");
            break;
        case BackendKind::Chat:
            b.credentialRef = QStringLiteral("chat");
            break;
        }
        return b;
    }

    std::unique_ptr<containment::ContainmentService> service(QList<containment::Backend> backends)
    {
        return std::make_unique<containment::ContainmentService>(*store, creds, std::move(backends), settings);
    }

    // Issues and waits for the outcome.
    store::ActionRecord run(containment::ContainmentService& svc, containment::ActionSpec spec,
                            containment::IssueOptions opts = {QStringLiteral("bob"), {}})
    {
        std::optional<store::ActionRecord> out;
        auto id = svc.issue(spec, opts, [&](const store::ActionRecord& r) { out = r; });
        EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().toString().toStdString());
        if (!id) return {};
        EXPECT_TRUE(waitUntil([&] { return out.has_value(); }, 20000));
        return out.value_or(store::ActionRecord{});
    }
    store::ActionRecord resend(containment::ContainmentService& svc, int64_t id)
    {
        std::optional<store::ActionRecord> out;
        auto r = svc.resend(id, [&](const store::ActionRecord& rec) { out = rec; });
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().toString().toStdString());
        if (!r) return {};
        EXPECT_TRUE(waitUntil([&] { return out.has_value(); }, 20000));
        return out.value_or(store::ActionRecord{});
    }

    std::vector<CustodyEntry> custody()
    {
        auto c = store->custody();
        EXPECT_TRUE(c.ok());
        return c.ok() ? *c : std::vector<CustodyEntry>{};
    }

    static containment::ActionSpec spec(containment::ActionKind kind, const QString& backend, const QString& target)
    {
        containment::ActionSpec s;
        s.kind = kind;
        s.backend = backend;
        s.target = target;
        return s;
    }

    QTemporaryDir dir;
    QString casePath, caPath;
    std::unique_ptr<store::CaseStore> store;
    containment::MemoryCredentialStore creds;
    containment::ContainmentSettings settings;
};

} // namespace chainsight::testing
