// The Containment panel on the demo incident against a loopback test backend: suggestions for the refund agent, a
// dry run (masked, nothing sent), a real run confirmed by the backend, a refused self-approval, a failure shown
// plainly, the receipts from the custody log. With CHAINSIGHT_SCREENSHOT=FILE.png it also saves a screenshot
// (tests/containment/screenshot.sh runs it under Xvfb for docs/screenshot-containment.png).
#include "core/containment/BackendSettings.h"
#include "core/custody/Custody.h"
#include "tests/containment/TestBackend.h"
#include "tests/containment/TestPki.h"
#include "tests/support/TempCase.h"
#include "views/AnalysisService.h"
#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "views/containment/ActionsModel.h"
#include "views/containment/ContainmentPanel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFile>
#include <QMainWindow>
#include <QSettings>
#include <QTemporaryDir>
#include <QTreeWidget>

#include <gtest/gtest.h>

using namespace chainsight;
using namespace chainsight::containment;
using namespace chainsight::testing;
using namespace chainsight::views;

TEST(ContainmentPanel, DemoIncidentSuggestionsDryRunAndRealRunShowInThePanelAndTheCustodyLog)
{
    TempCase demo;
    demo.mustImport(sourcePath(QStringLiteral("resources/demo/refund-incident")));
    const QString casePath = demo.store->path();
    demo.store.reset(); // the panel's case context opens it
    QTemporaryDir& dir = demo.dir;
    TestPki pki;
    TestBackend server(pki.issue({QStringLiteral("IP:127.0.0.1")}));
    ASSERT_TRUE(server.listening());
    server.handler = [](const Received& r) {
        if (r.path.startsWith("/scim/")) return Reply{401, R"({"detail":"invalid bearer token"})"};
        return Reply{200, R"({"status":"applied"})"};
    };
    QFile ca(dir.filePath(QStringLiteral("ca.pem")));
    ASSERT_TRUE(ca.open(QIODevice::WriteOnly));
    ca.write(pki.caPem());
    ca.close();
    QList<Backend> backends;
    const std::vector<std::tuple<BackendKind, QString, QString>> defs = {
        {BackendKind::OAuth, QStringLiteral("idp-revoke"), QStringLiteral("/oauth2/revoke")},
        {BackendKind::Vault, QStringLiteral("vault"), QString()},
        {BackendKind::Gateway, QStringLiteral("agent-gateway"), QString()},
        {BackendKind::Scim, QStringLiteral("idp-scim"), QStringLiteral("/scim/v2")},
        {BackendKind::Kubernetes, QStringLiteral("k8s-prod"), QString()},
        {BackendKind::Chat, QStringLiteral("soc-chat"), QString()},
    };
    auto creds = std::make_shared<MemoryCredentialStore>();
    for (const auto& [kind, name, path] : defs) {
        Backend b;
        b.kind = kind;
        b.name = name;
        b.baseUrl = server.url(path);
        b.caBundle = ca.fileName();
        b.credentialRef = name;
        if (kind == BackendKind::Kubernetes) b.options = QStringLiteral("payments");
        backends << b;
        ASSERT_TRUE(creds
                        ->write(name, kind == BackendKind::OAuth ? QByteArray("chainsight:CANARY-client-secret")
                                                                 : QByteArray("CANARY-secret-") + name.toUtf8())
                        .ok());
    }
    ASSERT_TRUE(creds->write(QStringLiteral("token/sa:refund-bot@prod"), "CANARY-refund-bot-token").ok());
    {
        QSettings s;
        saveBackends(s, backends);
        ContainmentSettings cs;
        cs.transport.timeoutMs = 3000;
        cs.transport.backoffMs = 20;
        saveSettings(s, cs);
    }

    CaseContext context;
    EventSelection selection;
    AnalysisService analysis(&context);
    QMainWindow window;
    Workbench wb{&context, &selection, &analysis, &window};
    auto* panel = new ContainmentPanel(wb, &window);
    panel->setCredentialStore(creds);
    QAbstractItemModelTester tester(panel->actionsModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    window.setCentralWidget(panel);
    window.setWindowTitle(QStringLiteral("Chainsight — Containment (refund-incident)"));
    window.resize(1500, 1000);
    window.show();

    ASSERT_TRUE(context.open(casePath).ok());
    ASSERT_TRUE(analysis.waitUntilReady(60000));
    ASSERT_TRUE(waitUntil([&] { return panel->suggestionCount() > 0; }, 10000));

    // Dry run of the first suggestion: revoke the refund bot's token. Exact request, secrets masked, nothing sent.
    panel->selectSuggestion(0);
    ASSERT_TRUE(panel->dryRun()) << panel->statusText().toStdString();
    EXPECT_TRUE(panel->dryRunText().contains(QStringLiteral("POST ") + server.url(QStringLiteral("/oauth2/revoke"))));
    EXPECT_TRUE(panel->dryRunText().contains(QStringLiteral("token=****")));
    EXPECT_FALSE(panel->dryRunText().contains(QStringLiteral("CANARY")));
    EXPECT_TRUE(server.received.isEmpty());

    // Self-approval is refused with no record.
    panel->setApprover(QStringLiteral("alice"));
    EXPECT_FALSE(panel->issue());
    EXPECT_TRUE(panel->statusText().contains(QStringLiteral("self-approval")));
    EXPECT_EQ(panel->actionsModel()->rowCount(), 0);

    // Real runs approved by bob: revoke the token, kill the sessions, quarantine the refund tool; the SCIM freeze
    // fails (401) and says so.
    panel->setApprover(QStringLiteral("bob"));
    QStringList issued;
    for (int i = 0; i < panel->suggestionCount() && issued.size() < 4; ++i) {
        panel->selectSuggestion(i);
        // Pick by action name through the model of suggestions: the editor shows the chosen one.
        const QString text = panel->findChild<QTreeWidget*>()->topLevelItem(i)->text(1) + ' ' +
                             panel->findChild<QTreeWidget*>()->topLevelItem(i)->text(2);
        if (text == QLatin1String("revoke-token cred:token/sa:refund-bot@prod") ||
            text == QLatin1String("kill-sessions refund-agent") ||
            text == QLatin1String("disable-account refund-bot@prod") ||
            text == QLatin1String("quarantine-tool payments.refund")) {
            ASSERT_TRUE(panel->issue()) << panel->statusText().toStdString();
            issued << text;
            ASSERT_TRUE(waitUntil([&] { return panel->running() == 0; }, 15000));
        }
    }
    EXPECT_EQ(issued.size(), 4) << issued.join(QStringLiteral(", ")).toStdString();
    ASSERT_TRUE(waitUntil([&] { return panel->running() == 0; }, 15000));
    auto* model = panel->actionsModel();
    ASSERT_EQ(model->rowCount(), 4);
    int confirmed = 0, failed = 0;
    for (int r = 0; r < model->rowCount(); ++r) {
        const auto* rec = model->at(r);
        confirmed += rec->state == "confirmed";
        failed += rec->state == "failed";
        if (rec->action == "disable-account") {
            EXPECT_EQ(rec->state, "failed");
            EXPECT_EQ(rec->httpStatus, 401);
        }
    }
    EXPECT_EQ(confirmed, 3);
    EXPECT_EQ(failed, 1);
    EXPECT_EQ(server.received.size(), 4);

    const QString receipts = panel->receiptsText();
    EXPECT_TRUE(receipts.contains(QStringLiteral("contain.dry_run")));
    EXPECT_EQ(receipts.count(QStringLiteral("contain.intent")), 4);
    EXPECT_EQ(receipts.count(QStringLiteral("contain.outcome")), 4);
    EXPECT_FALSE(receipts.contains(QStringLiteral("CANARY")));

    // Dry run again to leave it visible for the screenshot, then show it.
    panel->selectSuggestion(0);
    ASSERT_TRUE(panel->dryRun());
    const QString shot = qEnvironmentVariable("CHAINSIGHT_SCREENSHOT");
    if (!shot.isEmpty()) {
        QApplication::processEvents();
        EXPECT_TRUE(window.grab().save(shot));
        panel->showReceipts();
        QApplication::processEvents();
        QString second = shot;
        second.replace(QStringLiteral(".png"), QStringLiteral("-receipts.png"));
        EXPECT_TRUE(window.grab().save(second));
    }
    context.close();
}
