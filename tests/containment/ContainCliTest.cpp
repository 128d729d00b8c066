// `chainsight contain` end to end: a loopback gateway, backends in the settings (XDG_CONFIG_HOME of the test), secrets
// in a 0600 credentials file; exit codes, one-line errors, dry run, list.
#include "tests/containment/ContainmentFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>

using namespace chainsight;
using namespace chainsight::containment;
using namespace chainsight::testing;

namespace {
struct CliRun
{
    int code = -1;
    QByteArray out, err;
};
} // namespace

class ContainCli : public ContainmentFixture
{
protected:
    void SetUp() override
    {
        ContainmentFixture::SetUp();
        store.reset(); // the CLI opens the case itself
        server = startBackend();
        QDir().mkpath(dir.filePath(QStringLiteral("config/Chainsight")));
        QSettings s(dir.filePath(QStringLiteral("config/Chainsight/Chainsight.conf")), QSettings::IniFormat);
        saveBackends(s, {backendFor(BackendKind::Gateway, *server)});
        ContainmentSettings cs;
        cs.transport.backoffMs = 10;
        cs.transport.maxAttempts = 2;
        saveSettings(s, cs);
        s.sync();
        credFile = dir.filePath(QStringLiteral("creds"));
        QFile f(credFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("# test secrets\ngateway=" + kCanaryGateway + "\n");
        f.close();
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    CliRun cli(QStringList args)
    {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("CHAINSIGHT_ANALYST"), QStringLiteral("alice"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(CHAINSIGHT_BIN), args);
        EXPECT_TRUE(waitUntil([&] { return p.state() == QProcess::NotRunning; }, 60000));
        return CliRun{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                      p.readAllStandardError()};
    }

    QStringList contain(const QStringList& extra)
    {
        return QStringList{QStringLiteral("contain"), casePath, QStringLiteral("--credentials"), credFile} + extra;
    }

    std::unique_ptr<TestBackend> server;
    QString credFile;
};

TEST_F(ContainCli, IssuesAnApprovedActionAndListsIt)
{
    auto r = cli(contain({"--action", "quarantine-tool", "--backend", "gateway", "--target", "payments.refund",
                          "--approved-by", "bob"}));
    EXPECT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("confirmed (HTTP 200)")) << r.out.toStdString();
    ASSERT_EQ(server->received.size(), 1);
    const auto& got = server->received.front();
    EXPECT_EQ(got.header("X-Chainsight-Signature"),
              gatewaySignature(kCanaryGateway, got.header("X-Chainsight-Timestamp").toLongLong(), got.body));
    EXPECT_EQ(QJsonDocument::fromJson(got.body).object().value(QStringLiteral("approved_by")).toString(),
              QStringLiteral("bob"));

    r = cli(contain({"--list", "--json"}));
    EXPECT_EQ(r.code, 0);
    const auto arr = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("actions")).toArray();
    ASSERT_EQ(arr.size(), 1);
    EXPECT_EQ(arr[0][QStringLiteral("state")].toString(), QStringLiteral("confirmed"));
    EXPECT_EQ(arr[0][QStringLiteral("approver")].toString(), QStringLiteral("bob"));
    EXPECT_EQ(arr[0][QStringLiteral("idempotency_key")].toString().toUtf8(), got.header("Idempotency-Key"));
    EXPECT_FALSE(r.out.contains(kCanaryGateway));
}

TEST_F(ContainCli, DryRunPrintsTheMaskedRequestAndSendsNothing)
{
    auto r =
        cli(contain({"--action", "kill-sessions", "--backend", "gateway", "--target", "refund-agent", "--dry-run"}));
    EXPECT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.startsWith("POST " + server->url(QStringLiteral("/v1/containment")).toUtf8()))
        << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Idempotency-Key: "));
    EXPECT_TRUE(r.out.contains("needs --approved-by"));
    EXPECT_FALSE(r.out.contains(kCanaryGateway));
    EXPECT_TRUE(server->received.isEmpty());
}

TEST_F(ContainCli, RefusalsAreOneLineWithExitTwoAndFailuresExitOne)
{
    auto r = cli(contain(
        {"--action", "block-rule", "--backend", "gateway", "--target", "refund-agent", "--approved-by", "alice"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err.count('\n'), 1) << r.err.toStdString();
    EXPECT_TRUE(r.err.startsWith("chainsight: ")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("self-approval refused"));
    r = cli(contain({"--action", "block-rule", "--backend", "gateway", "--target", "refund-agent"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("approval"));
    r = cli(contain({"--action", "nuke", "--backend", "gateway", "--target", "x"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("unknown action 'nuke'"));
    r = cli(contain({"--action", "kill-sessions", "--backend", "nowhere", "--target", "x", "--approved-by", "bob"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("no backend named 'nowhere'"));
    EXPECT_TRUE(server->received.isEmpty());

    server->queueFault(TestBackend::Fault::Status401);
    r = cli(contain({"--action", "kill-sessions", "--backend", "gateway", "--target", "x", "--approved-by", "bob"}));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.out.contains("failed (HTTP 401)")) << r.out.toStdString();
    // Retry it: same key, now confirmed.
    r = cli(contain({"--retry", "1"}));
    EXPECT_EQ(r.code, 0) << r.err.toStdString() << r.out.toStdString();
    ASSERT_EQ(server->received.size(), 2);
    EXPECT_EQ(server->received[0].header("Idempotency-Key"), server->received[1].header("Idempotency-Key"));

    // A credentials file others can read is refused.
    QFile(credFile).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    r = cli(contain({"--list"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains("chmod 600"));
}
