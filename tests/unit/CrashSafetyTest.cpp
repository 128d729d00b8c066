// Crash safety: `chainsight import` killed with SIGKILL at random points must leave a case that passes
// PRAGMA integrity_check and holds either the whole bundle or none of it. The number of kills is
// CHAINSIGHT_KILLS (default 30 in the suite) on a bundle of CHAINSIGHT_KILL_EVENTS events (default 20,000).
// CHAINSIGHT_TEST_BIN runs another chainsight binary than the one built with the test (long runs use a copy).
#include "tests/unit/Fixtures.h"

#include <QElapsedTimer>
#include <QProcess>

#include <random>

#include <signal.h>
#include <sys/types.h>

using namespace chainsight;
using namespace chainsight::testing;

static QString chainsightBinary() { return qEnvironmentVariable("CHAINSIGHT_TEST_BIN", QStringLiteral(CHAINSIGHT_BIN)); }

TEST(CrashSafety, KilledImportLeavesAllOrNothing)
{
    QTemporaryDir tmp;
    const QString bundle = tmp.filePath("bundle");
    const int64_t n = qEnvironmentVariableIsSet("CHAINSIGHT_KILL_EVENTS") ? qEnvironmentVariableIntValue("CHAINSIGHT_KILL_EVENTS") : 20000;
    ASSERT_TRUE(writeSyntheticBundle(bundle, n));
    const int kills = qEnvironmentVariableIsSet("CHAINSIGHT_KILLS") ? qEnvironmentVariableIntValue("CHAINSIGHT_KILLS") : 30;

    // How long a full import takes here, to spread the kills over it.
    const QString probe = tmp.filePath("probe.db");
    QElapsedTimer timer;
    timer.start();
    QProcess full;
    full.start(chainsightBinary(), {"import", bundle, "--case", probe});
    ASSERT_TRUE(full.waitForFinished(300000));
    ASSERT_EQ(full.exitCode(), 0) << full.readAllStandardError().toStdString();
    const qint64 fullMs = std::max<qint64>(timer.elapsed(), 50);

    std::mt19937 rng(7);
    int whole = 0, none = 0;
    for (int k = 0; k < kills; ++k) {
        const QString casePath = tmp.filePath(QStringLiteral("k%1.db").arg(k));
        // Half the cases already hold a small bundle: the kill must not damage what was there.
        const bool seeded = k % 2 == 1;
        if (seeded) {
            const QString small = tmp.filePath(QStringLiteral("small%1").arg(k));
            BundleWriter w = smallIncident();
            w.bundleId = "b-seed-" + std::to_string(k);
            ASSERT_TRUE(w.write(small));
            auto cs = openCase(casePath);
            ASSERT_TRUE(importInto(*cs, small).ok());
        }
        QProcess p;
        p.start(chainsightBinary(), {"import", bundle, "--case", casePath});
        ASSERT_TRUE(p.waitForStarted());
        const int delay = static_cast<int>(rng() % static_cast<uint32_t>(fullMs + fullMs / 4));
        if (!p.waitForFinished(delay)) {
            ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
            p.waitForFinished(30000);
        }
        auto cs = openCase(casePath);
        ASSERT_TRUE(cs) << "kill " << k;
        ASSERT_TRUE(cs->integrityCheck().ok()) << "kill " << k << " after " << delay << " ms";
        auto count = cs->eventCount();
        ASSERT_TRUE(count.ok());
        const int64_t base = seeded ? 8 : 0;
        ASSERT_TRUE(*count == base || *count == base + n) << "kill " << k << ": " << *count << " events";
        (*count == base ? none : whole)++;
        auto rep = custody::verifyCase(*cs, custody::VerifyDepth::Evidence);
        ASSERT_TRUE(rep.ok());
        EXPECT_TRUE(rep->intact()) << "kill " << k << ": " << rep->problems.front().toLine();
    }
    std::printf("[ crash-safety ] %d kills: %d left the bundle out, %d had it whole (full import %lld ms)\n", kills, none, whole,
                static_cast<long long>(fullMs));
    EXPECT_GT(none, 0);
}
