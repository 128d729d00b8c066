// Crash safety of analyst edits (issue 9): a process recording classifications, each a row and its custody
// entry in one transaction, is killed with SIGKILL at random points. Every time the case must pass
// PRAGMA integrity_check, its custody chain must verify, and every classification must have its custody
// entry and no entry its classification missing: each edit whole or absent. CHAINSIGHT_EDIT_KILLS kills
// (default 30), on a fresh case every 50 (the writer adds thousands of edits between kills, and checking an
// ever longer custody chain on every kill made 1,000 kills run for more than half an hour).
#include "core/store/Database.h"
#include "tests/unit/Fixtures.h"

#include <QProcess>

#include <random>

#include <signal.h>

using namespace chainsight;
using namespace chainsight::testing;

TEST(EditCrashSafety, KilledClassificationEditIsWholeOrAbsent)
{
    QTemporaryDir tmp;
    const QString bundle = tmp.filePath("b");
    ASSERT_TRUE(smallIncident().write(bundle));
    QString casePath;
    const int kills =
        qEnvironmentVariableIsSet("CHAINSIGHT_EDIT_KILLS") ? qEnvironmentVariableIntValue("CHAINSIGHT_EDIT_KILLS") : 30;
    std::mt19937 rng(3);
    int64_t lastEdits = 0, grew = 0;
    int64_t totalEdits = 0;
    for (int k = 0; k < kills; ++k) {
        if (k % 50 == 0) {
            totalEdits += lastEdits;
            lastEdits = 0;
            casePath = tmp.filePath(QStringLiteral("case%1.db").arg(k / 50));
            auto cs = openCase(casePath);
            ASSERT_TRUE(importInto(*cs, bundle).ok());
        }
        QProcess p;
        p.start(QStringLiteral(CHAINSIGHT_EDIT_WRITER), {casePath});
        ASSERT_TRUE(p.waitForStarted());
        ASSERT_TRUE(p.waitForReadyRead(30000))
            << "the writer did not start: " << p.readAllStandardError().toStdString();
        const int delay = static_cast<int>(rng() % 150);
        if (delay > 0) p.waitForFinished(delay);
        ASSERT_EQ(p.state(), QProcess::Running)
            << "the writer stopped by itself: " << p.readAllStandardError().toStdString();
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        p.waitForFinished(30000);

        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::OpenExisting;
        auto cs = store::CaseStore::open(casePath, o);
        ASSERT_TRUE(cs.ok()) << "kill " << k << ": " << errorText(cs.error());
        ASSERT_TRUE((*cs)->integrityCheck().ok()) << "kill " << k;
        auto log = (*cs)->custody();
        ASSERT_TRUE(log.ok());
        const auto problems = custody::verifyChain(*log);
        ASSERT_TRUE(problems.empty()) << "kill " << k << ": custody seq " << problems.front().seq << " "
                                      << problems.front().what;
        int64_t entries = 0;
        for (const auto& e : *log)
            entries += e.action == "classification.set";
        auto st = (*cs)->database()->prepare("SELECT count(*) FROM classifications");
        ASSERT_TRUE(st.ok());
        ASSERT_TRUE(*st->step());
        const int64_t rows = st->int64(0);
        ASSERT_EQ(rows, entries) << "kill " << k << " after " << delay
                                 << " ms: an edit without its custody entry or the reverse";
        grew += rows > lastEdits;
        lastEdits = rows;
    }
    EXPECT_GT(grew, kills / 2) << "the writer rarely got an edit in before the kill";
    std::printf("[ crash-safety ] %d kills during analyst edits: %lld edits on record, each with its custody entry\n",
                kills, static_cast<long long>(totalEdits + lastEdits));
}
