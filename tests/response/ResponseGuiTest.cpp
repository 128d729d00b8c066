// The Response panel on the demo incident: the analyst confirms the type, sees the reasoning-compromise runbook,
// assigns an owner, ticks items, fills the RACI, and the clocks and metrics move; every edit undoes and redoes.
// Models run under QAbstractItemModelTester. With CHAINSIGHT_SCREENSHOT=FILE.png the panel is saved as an image.
#include "core/model/Time.h"
#include "core/response/Response.h"
#include "tests/analysis/AnalysisTestUtil.h"
#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "views/Workbench.h"
#include "views/response/ChecklistModel.h"
#include "views/response/ChecklistPanel.h"
#include "views/response/ClassificationPanel.h"
#include "views/response/ClocksView.h"
#include "views/response/RaciEditor.h"
#include "views/response/RaciModel.h"
#include "views/response/ResponseController.h"
#include "views/response/ResponsePanel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTreeView>
#include <QUndoStack>

#include <gtest/gtest.h>

using namespace chainsight;
using namespace chainsight::views;
using chainsight::testing::sourcePath;

namespace {

// The QApplication is tests/support/WidgetTestMain.cpp's, which also waits for the work pool's jobs before it is
// torn down (a program whose QApplication is never destroyed drains the pool only in an exit handler, after the
// function-local statics the jobs use are gone: this program once crashed there).
struct AppInit
{
    AppInit() { qputenv("CHAINSIGHT_PLAYBOOKS", QByteArray(CHAINSIGHT_SOURCE_DIR "/resources/playbooks")); }
};

struct Fixture
{
    AppInit init;
    chainsight::testing::TempCase tc;
    QString path;
    CaseContext context;
    EventSelection selection;
    std::unique_ptr<ResponsePanel> panel;
    Fixture()
    {
        auto imp = tc.import(sourcePath(QStringLiteral("resources/demo/refund-incident")));
        EXPECT_TRUE(imp.ok());
        path = tc.store->path();
        tc.store.reset();
        Workbench wb{&context, &selection, nullptr, nullptr};
        panel = std::make_unique<ResponsePanel>(wb);
        EXPECT_TRUE(context.open(path).ok());
        EXPECT_TRUE(panel->controller()->waitForAnalysis());
    }
    ResponseController* c() { return panel->controller(); }
    response::ResponseCase* rc() { return c()->responseCase(); }
};

} // namespace

TEST(ResponseGui, AnalystWorksTheDemoIncident)
{
    Fixture f;
    ASSERT_NE(f.rc(), nullptr);
    ChecklistModel* model = f.panel->checklist()->model();
    QAbstractItemModelTester checklistTester(model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester raciTester(f.panel->raci()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);

    // The machine proposal is recorded and opens the reasoning-compromise runbook.
    ASSERT_TRUE(f.rc()->state().machine);
    EXPECT_EQ(f.rc()->state().machine->type, "reasoning_compromise");
    EXPECT_EQ(model->rowCount(), 6);
    EXPECT_TRUE(model->indexOfItem(QStringLiteral("rc.contain.soft-quarantine")).isValid());

    // Confirm the type with a reason.
    f.panel->classification()->decide(QStringLiteral("reasoning_compromise"), f.rc()->state().machine->tier,
                                      QStringLiteral("poisoned policy document evt-001623 drove seven refunds"));
    ASSERT_TRUE(f.rc()->state().analyst);
    EXPECT_EQ(f.rc()->state().analyst->actor, "alice");
    const auto m0 = f.rc()->metrics(f.c()->report(), QDateTime::currentMSecsSinceEpoch());
    EXPECT_FALSE(m0.toClassification->to.empty()); // the classification clock stopped

    // Assign an owner and tick items.
    const QModelIndex owner = model->indexOfItem(QStringLiteral("common.contain.revoke-tokens"), ChecklistModel::Owner);
    ASSERT_TRUE(model->setData(owner, QStringLiteral("Bob (IAM)")));
    EXPECT_EQ(f.rc()->item("common.contain.revoke-tokens").owner, "Bob (IAM)");
    const QModelIndex tick = model->indexOfItem(QStringLiteral("common.contain.revoke-tokens"));
    ASSERT_TRUE(model->setData(tick, Qt::Checked, Qt::CheckStateRole));
    EXPECT_EQ(model->data(tick, Qt::CheckStateRole).toInt(), Qt::Checked);
    const auto m1 = f.rc()->metrics(f.c()->report(), QDateTime::currentMSecsSinceEpoch());
    EXPECT_EQ(m1.phases[2].done, 1);
    ASSERT_TRUE(
        model->setData(model->indexOfItem(QStringLiteral("common.analyze.preserve-traces"), ChecklistModel::State),
                       QStringLiteral("done")));
    EXPECT_GT(f.rc()->metrics(f.c()->report(), QDateTime::currentMSecsSinceEpoch()).forensicCompleteness,
              m1.forensicCompleteness);

    // Gating: the Recover phase cannot close and the panel says why.
    QTreeView* tree = f.panel->checklist()->tree();
    tree->setCurrentIndex(model->index(int(response::Phase::Recover), 0));
    auto* close = f.panel->checklist()->findChild<QPushButton*>(QStringLiteral("closePhase"));
    auto* why = f.panel->checklist()->findChild<QLabel*>(QStringLiteral("gateExplanation"));
    ASSERT_TRUE(close && why);
    EXPECT_FALSE(close->isEnabled());
    EXPECT_NE(why->text().indexOf(QStringLiteral("cannot close")), -1);

    // RACI: a second A is flagged.
    RaciModel* raci = f.panel->raci()->model();
    EXPECT_TRUE(f.rc()->raciProblems().empty());
    int legal = -1;
    for (int c = 0; c < raci->columnCount(); ++c)
        if (raci->headerData(c, Qt::Horizontal).toString() == QLatin1String("Legal / compliance")) legal = c;
    ASSERT_GE(legal, 0);
    ASSERT_TRUE(raci->setData(raci->index(int(response::Phase::Contain), legal), QStringLiteral("A")));
    EXPECT_EQ(f.rc()->raciProblems().size(), 1u);
    EXPECT_FALSE(raci->data(raci->index(int(response::Phase::Contain), raci->columnCount() - 1), RaciModel::ProblemRole)
                     .toString()
                     .isEmpty());

    // Undo and redo every step.
    QUndoStack* undo = f.c()->undoStack();
    EXPECT_EQ(undo->count(), 5);
    undo->undo(); // RACI
    EXPECT_TRUE(f.rc()->raciProblems().empty());
    undo->undo(); // preserve traces
    undo->undo(); // tick
    EXPECT_EQ(f.rc()->itemState("common.contain.revoke-tokens"), response::ItemState::Open);
    undo->undo(); // owner
    undo->undo(); // classification
    EXPECT_FALSE(f.rc()->state().analyst);
    for (int i = 0; i < 5; ++i)
        undo->redo();
    EXPECT_TRUE(f.rc()->state().analyst);
    EXPECT_EQ(f.rc()->itemState("common.contain.revoke-tokens"), response::ItemState::Done);
    EXPECT_EQ(f.rc()->item("common.contain.revoke-tokens").owner, "Bob (IAM)");
    EXPECT_EQ(f.rc()->raciProblems().size(), 1u);
    undo->undo();

    // Reopening the case shows the same state.
    const std::string before = f.rc()->toJson(f.c()->report(), 0).dump();
    f.context.close();
    EXPECT_EQ(f.rc(), nullptr);
    ASSERT_TRUE(f.context.open(f.path).ok());
    ASSERT_TRUE(f.c()->waitForAnalysis());
    ASSERT_NE(f.rc(), nullptr);
    json::Value a = f.rc()->toJson(f.c()->report(), 0);
    EXPECT_EQ(f.rc()->itemState("common.contain.revoke-tokens"), response::ItemState::Done);
    EXPECT_EQ(a.dump(), before);
}

// A populated panel for docs/screenshot-playbook.png (CHAINSIGHT_SCREENSHOT=FILE.png); also checks it renders.
TEST(ResponseGui, Screenshot)
{
    Fixture f;
    ASSERT_NE(f.rc(), nullptr);
    auto* rc = f.rc();
    ASSERT_TRUE(f.c()->perform(rc->setAwareness(custody::nowRfc3339().substr(0, 11) + "08:40:00Z")));
    f.panel->classification()->decide(
        QStringLiteral("reasoning_compromise"), rc->state().machine ? rc->state().machine->tier : 2,
        QStringLiteral("Confirmed: poisoned refund policy evt-001623 drove seven unapproved refunds"));
    auto set = [&](const char* id, const char* state, const char* owner, const char* notes = "",
                   std::vector<std::string> events = {}) {
        auto r = rc->item(id);
        r.state = state;
        if (*owner) r.owner = owner;
        if (*notes) r.notes = notes;
        if (!events.empty()) r.events = events;
        ASSERT_TRUE(f.c()->perform(rc->updateItem(r))) << id;
        EXPECT_EQ(rc->item(id).state, r.state) << id;
    };
    set("common.detect.alert-triage", "done", "Alice (SOC)", "Alert from refund anomaly rule");
    set("rc.detect.harmful-actions", "done", "Alice (SOC)", "7 refunds to acct-9921", {"evt-001623"});
    set("common.analyze.preserve-traces", "done", "Alice (SOC)", "Bundle hashed into the case");
    set("common.analyze.preserve-memory", "done", "Dana (AI eng)");
    set("common.analyze.preserve-config", "in_progress", "Priya (Platform)");
    set("common.analyze.preserve-decisions", "done", "Alice (SOC)", "gw-2026 pinned");
    set("common.analyze.classify", "done", "Alice (SOC)");
    set("rc.analyze.injection-source", "done", "Alice (SOC)", "policy doc in RAG corpus", {"evt-001623"});
    set("rc.analyze.prompt-provenance", "in_progress", "Priya (Platform)");
    set("common.contain.revoke-tokens", "done", "Bob (IAM)", "refund-bot OAuth scopes revoked");
    set("common.contain.kill-sessions", "done", "Priya (Platform)");
    set("common.contain.freeze-account", "in_progress", "Bob (IAM)");
    set("rc.contain.soft-quarantine", "done", "Priya (Platform)", "approval gate on payments.refund");
    set("rc.contain.corpus-pin", "in_progress", "Dana (AI eng)");
    ASSERT_TRUE(f.c()->perform(rc->setAgentProfile("refund-agent", "", true)));
    f.panel->resize(1600, 1040);
    f.panel->show();
    f.panel->checklist()->tree()->setCurrentIndex(
        f.panel->checklist()->model()->index(int(response::Phase::Recover), 0));
    f.panel->checklist()->tree()->scrollTo(
        f.panel->checklist()->model()->indexOfItem(QStringLiteral("common.contain.revoke-tokens")));
    f.panel->clocks()->refresh();
    QApplication::processEvents();
    // What the picture shows is the state: the analyst's classification and the items set above.
    ASSERT_TRUE(rc->state().analyst);
    EXPECT_EQ(rc->state().analyst->type, "reasoning_compromise");
    EXPECT_EQ(rc->itemState("common.contain.revoke-tokens"), response::ItemState::Done);
    EXPECT_EQ(rc->item("rc.contain.corpus-pin").owner, "Dana (AI eng)");
    const QPixmap shot = f.panel->grab();
    EXPECT_EQ(shot.width(), 1600);
    const QByteArray out = qgetenv("CHAINSIGHT_SCREENSHOT");
    if (!out.isEmpty()) {
        EXPECT_TRUE(shot.save(QString::fromLocal8Bit(out)));
    }
}
