// The exercise panel plays the demo scenario as the participants see it: at 60x the clock runs and the
// participants' case grows with it, injects arrive in the feed, a containment issued mid-way (+17m) stops the refunds
// after it and the live score says so, and the after-action report renders. With CHAINSIGHT_SCREENSHOT=FILE.png it
// also saves the score and after-action tabs (tests/exercise/screenshot.sh).
#include "views/AnalysisService.h"
#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "tests/support/ImportInto.h"
#include "tests/support/Wait.h"
#include "views/exercise/ExercisePanel.h"

#include <QApplication>
#include <QListWidget>
#include <QMainWindow>
#include <QTabWidget>
#include <QTest>
#include <QTextBrowser>

#include <gtest/gtest.h>

using namespace chainsight;
using namespace chainsight::views;
using chainsight::testing::waitUntil;

namespace {
constexpr int64_t kMinute = 60'000'000'000LL;

struct Window
{
    CaseContext context;
    EventSelection selection;
    AnalysisService analysis{&context};
    QMainWindow window;
    ExercisePanel* panel = nullptr;
    Window()
    {
        panel = new ExercisePanel(Workbench{&context, &selection, &analysis, &window, &chainsight::testing::importInto}, &window);
        window.setCentralWidget(panel);
        window.setWindowTitle(QStringLiteral("Chainsight — Exercise (refund-incident)"));
        window.resize(1100, 800);
        window.show();
    }
    ~Window()
    {
        panel->endExercise();
        context.close();
    }
    bool open()
    {
        panel->openScenario(QStringLiteral(CHAINSIGHT_SOURCE_DIR "/resources/exercises/refund-incident.exercise.json"));
        return waitUntil([&] { return panel->running() && panel->score().has_value(); }, 120000);
    }
};
} // namespace

TEST(ExerciseGui, SixtyTimesWithInjectsAndAMidwayContainmentThatShowsInTheScore)
{
    Window w;
    ASSERT_TRUE(w.open());
    ExercisePanel* p = w.panel;
    const int64_t eventsAtStart = w.context.eventCount();
    EXPECT_EQ(p->scenarioNowNs(), 0);
    // The exercise runs before the policy's evaluation is done (it analyses the case at each checkpoint).
    EXPECT_TRUE(p->policyPending());

    // 60x on the real timer: 2 s of wall time is about 2 minutes of scenario time, and the participants' case grows.
    p->setSpeed(60);
    QTest::qWait(2000);
    const int64_t after2s = p->scenarioNowNs();
    EXPECT_GT(after2s, 60 * 1'000'000'000LL);
    EXPECT_LT(after2s, 6 * kMinute);
    EXPECT_GE(p->injectsDelivered(), 1u); // the +0s shift start
    ASSERT_TRUE(waitUntil([&] { return w.context.eventCount() > eventsAtStart; }, 10000));

    // Next inject: the +13m payments alert.
    p->pause();
    p->nextInject();
    EXPECT_EQ(p->scenarioNowNs(), 13 * kMinute);
    EXPECT_EQ(p->injectsDelivered(), 2u);

    // Mid-way, at +17m: two refunds are paid, none contained.
    p->jumpTo(17 * kMinute);
    ASSERT_TRUE(p->score());
    EXPECT_EQ(p->score()->containedAtNs, -1);
    EXPECT_EQ(p->score()->containmentPoints, 0);
    EXPECT_EQ(p->score()->harmDone.size(), 2u);
    const int totalBefore = p->score()->total;

    // The automation policy is evaluated in the background while the exercise runs (open() does not wait for it).
    // Once it is done, the Policy tab shows what it would have fired by now: the automatic kill at the first refund.
    ASSERT_TRUE(waitUntil([&] { return !p->policyPending(); }, 300000));
    QListWidget* policyList = nullptr;
    {
        auto* tabs = p->findChild<QTabWidget*>();
        ASSERT_NE(tabs, nullptr);
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->tabText(i) == QStringLiteral("Policy")) policyList = qobject_cast<QListWidget*>(tabs->widget(i));
    }
    ASSERT_NE(policyList, nullptr);
    QStringList shown;
    for (int i = 0; i < policyList->count(); ++i)
        shown << policyList->item(i)->text();
    ASSERT_TRUE(p->policy()) << shown.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(p->policy()->harmAllowed, 1);
    EXPECT_FALSE(shown.join(QLatin1Char('\n')).contains(QStringLiteral("Evaluating"))) << shown.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(shown.filter(QStringLiteral("AUTOMATIC")).filter(QStringLiteral("refund-agent")).size(), 1)
        << shown.join(QLatin1Char('\n')).toStdString();

    ASSERT_TRUE(p->issueSimulatedContainment(QStringLiteral("kill-sessions"), QStringLiteral("refund-agent")).ok());
    ASSERT_TRUE(p->score());
    EXPECT_EQ(p->score()->containedAtNs, 17 * kMinute);
    EXPECT_GT(p->score()->containmentPoints, 0);
    EXPECT_GT(p->score()->total, totalBefore);

    // To the end: the five refunds after +17m count as prevented.
    p->jumpTo(40 * kMinute);
    ASSERT_TRUE(p->score());
    EXPECT_EQ(p->score()->harmTotal, 7);
    EXPECT_EQ(p->score()->harmDone.size(), 2u);
    EXPECT_EQ(p->score()->harmPrevented, 5);
    EXPECT_EQ(p->injectsDelivered(), 5u);
    // The after-action tab holds the report (the score tab also says "prevented"; this is the report's own line).
    auto* tabs = p->findChild<QTabWidget*>();
    ASSERT_NE(tabs, nullptr);
    QTextBrowser* afterAction = nullptr;
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->tabText(i).contains(QStringLiteral("After-action")))
            afterAction = qobject_cast<QTextBrowser*>(tabs->widget(i));
    ASSERT_NE(afterAction, nullptr);
    EXPECT_TRUE(afterAction->toPlainText().contains(QStringLiteral("5 prevented by containment")))
        << afterAction->toPlainText().left(400).toStdString();

    const QString shot = qEnvironmentVariable("CHAINSIGHT_SCREENSHOT");
    if (!shot.isEmpty()) {
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->tabText(i).contains(QStringLiteral("Score"))) tabs->setCurrentIndex(i);
        QApplication::processEvents();
        EXPECT_TRUE(w.window.grab().save(shot));
    }
}

TEST(ExerciseGui, WithoutContainmentNothingIsPrevented)
{
    Window w;
    ASSERT_TRUE(w.open());
    w.panel->jumpTo(40 * kMinute);
    ASSERT_TRUE(w.panel->score());
    EXPECT_EQ(w.panel->score()->containedAtNs, -1);
    EXPECT_EQ(w.panel->score()->harmDone.size(), 7u);
    EXPECT_EQ(w.panel->score()->harmPrevented, 0);
}

// Ending the exercise while the policy is still being evaluated stops the evaluation at once, and the Policy tab and
// the final score say it was stopped (not "still being evaluated", for ever).
TEST(ExerciseGui, EndingBeforeThePolicyIsEvaluatedStopsItAndSaysSo)
{
    Window w;
    ASSERT_TRUE(w.open());
    ASSERT_TRUE(w.panel->policyPending());
    w.panel->endExercise();
    EXPECT_FALSE(w.panel->running());
    EXPECT_FALSE(w.panel->policyPending());
    EXPECT_FALSE(w.panel->policy());
    auto* tabs = w.panel->findChild<QTabWidget*>();
    ASSERT_NE(tabs, nullptr);
    QString policyText, scoreText;
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->tabText(i) == QStringLiteral("Policy"))
            if (auto* list = qobject_cast<QListWidget*>(tabs->widget(i)))
                for (int r = 0; r < list->count(); ++r)
                    policyText += list->item(r)->text() + QLatin1Char('\n');
        if (tabs->tabText(i) == QStringLiteral("Score"))
            if (auto* b = qobject_cast<QTextBrowser*>(tabs->widget(i))) scoreText = b->toPlainText();
    }
    EXPECT_TRUE(policyText.contains(QStringLiteral("stopped when the exercise ended"))) << policyText.toStdString();
    EXPECT_FALSE(policyText.contains(QStringLiteral("Evaluating"))) << policyText.toStdString();
    EXPECT_TRUE(scoreText.contains(QStringLiteral("stopped when the exercise ended"))) << scoreText.toStdString();
    EXPECT_FALSE(scoreText.contains(QStringLiteral("still being evaluated"))) << scoreText.toStdString();
    // The finished() the cancelled job queued changes nothing.
    QTest::qWait(200);
    EXPECT_FALSE(w.panel->policy());
}
