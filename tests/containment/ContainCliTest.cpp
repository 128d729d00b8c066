// `chainsight contain` end to end: a loopback gateway, backends in the settings (XDG_CONFIG_HOME of the test), secrets
// in a 0600 credentials file; exit codes, one-line errors, dry run, list.
#include "tests/containment/ContainmentFixture.h"

#include "core/store/ActionStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSettings>

#include <map>
#include <random>

#include <signal.h>

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

// Crash safety of a containment receipt: `chainsight contain` killed with SIGKILL at random points (before the intent,
// between intent and request, while the backend answers, while the outcome is written) leaves a case that passes
// PRAGMA integrity_check, a custody chain that verifies, and a receipt that matches its rows: every action row has
// its contain.intent, every finished row (confirmed, failed, or found interrupted by a later run: unknown) its
// contain.outcome, and no outcome is recorded without its row.
// CHAINSIGHT_RECEIPT_KILLS kills (default 20).
TEST_F(ContainCli, KilledWhileIssuingLeavesAnIntactCaseAndAMatchingReceipt)
{
    const int kills =
        qEnvironmentVariableIsSet("CHAINSIGHT_RECEIPT_KILLS") ? qEnvironmentVariableIntValue("CHAINSIGHT_RECEIPT_KILLS") : 20;
    auto start = [&](int k) {
        auto* p = new QProcess;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("CHAINSIGHT_ANALYST"), QStringLiteral("alice"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p->setProcessEnvironment(env);
        p->start(QStringLiteral(CHAINSIGHT_BIN),
                 contain({"--action", "quarantine-tool", "--backend", "gateway", "--target",
                          QStringLiteral("tool-%1").arg(k), "--approved-by", "bob"}));
        return p;
    };
    // How long a whole run takes here, to spread the kills over it.
    QElapsedTimer t;
    t.start();
    {
        std::unique_ptr<QProcess> p(start(-1));
        ASSERT_TRUE(waitUntil([&] { return p->state() == QProcess::NotRunning; }, 60000));
        ASSERT_EQ(p->exitCode(), 0) << p->readAllStandardError().toStdString();
    }
    const qint64 fullMs = std::max<qint64>(t.elapsed(), 50);
    std::mt19937 rng(20261123);
    int killedBeforeEnd = 0;
    for (int k = 0; k < kills; ++k) {
        std::unique_ptr<QProcess> p(start(k));
        ASSERT_TRUE(p->waitForStarted());
        const qint64 delay = static_cast<qint64>(rng() % static_cast<uint32_t>(fullMs + fullMs / 4));
        // The backend answers on this thread's event loop: keep it running while the child works.
        waitUntil([&] { return p->state() == QProcess::NotRunning; }, static_cast<int>(delay));
        if (p->state() != QProcess::NotRunning) {
            ::kill(static_cast<pid_t>(p->processId()), SIGKILL);
            ++killedBeforeEnd;
        }
        ASSERT_TRUE(waitUntil([&] { return p->state() == QProcess::NotRunning; }, 30000));

        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::ReadOnly;
        auto cs = store::CaseStore::open(casePath, o);
        ASSERT_TRUE(cs.ok()) << "kill " << k << ": " << cs.error().toString().toStdString();
        ASSERT_TRUE((*cs)->integrityCheck().ok()) << "kill " << k << " after " << delay << " ms";
        auto log = (*cs)->custody();
        ASSERT_TRUE(log.ok());
        EXPECT_TRUE(custody::verifyChain(*log).empty()) << "kill " << k;
        auto rows = store::ActionStore(**cs).list();
        ASSERT_TRUE(rows.ok());
        int intents = 0, outcomes = 0, finished = 0;
        for (const auto& e : *log) {
            intents += e.action == "contain.intent";
            outcomes += e.action == "contain.outcome";
        }
        for (const auto& r : *rows) {
            // "unknown": a later run found it interrupted (intent or sent) and recorded that as its outcome.
            EXPECT_TRUE(r.state == "intent" || r.state == "sent" || r.state == "confirmed" || r.state == "failed" ||
                        r.state == "unknown")
                << "kill " << k << ": state " << r.state;
            finished += r.state == "confirmed" || r.state == "failed" || r.state == "unknown";
        }
        EXPECT_EQ(intents, static_cast<int>(rows->size())) << "kill " << k << ": an action without its intent";
        EXPECT_EQ(outcomes, finished) << "kill " << k << ": an outcome without its row, or a row without its outcome";
    }
    // Where the kills landed, by the states the receipts were left in (a kill before the intent leaves no row).
    std::map<std::string, int> states;
    {
        auto cs = store::CaseStore::open(casePath, {});
        ASSERT_TRUE(cs.ok());
        auto rows = store::ActionStore(**cs).list();
        ASSERT_TRUE(rows.ok());
        for (const auto& r : *rows)
            ++states[r.state];
    }
    std::string tally;
    for (const auto& [state, n] : states)
        tally += " " + state + "=" + std::to_string(n);
    std::printf("[ receipt-kills ] %d kills, %d before the command ended (a whole run takes %lld ms); rows:%s\n", kills,
                killedBeforeEnd, static_cast<long long>(fullMs), tally.c_str());
    EXPECT_GT(killedBeforeEnd, 0);
}
