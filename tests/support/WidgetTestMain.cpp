// gtest main for the widget tests: a QApplication (offscreen unless the environment says otherwise, since test
// discovery runs the binary without the test's environment), test-mode paths and settings cleared, the analyst
// "alice" unless set. The target names itself with CHAINSIGHT_TEST_APP.
#include "views/CaseContext.h"

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>

#include <gtest/gtest.h>

#ifndef CHAINSIGHT_TEST_APP
#error "define CHAINSIGHT_TEST_APP to the test binary's name"
#endif

int main(int argc, char** argv)
{
    QStandardPaths::setTestModeEnabled(true);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("CHAINSIGHT_ANALYST")) qputenv("CHAINSIGHT_ANALYST", "alice");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ChainsightTest"));
    QApplication::setApplicationName(QStringLiteral(CHAINSIGHT_TEST_APP));
    QSettings().clear();
    ::testing::InitGoogleTest(&argc, argv);
    const int rc = RUN_ALL_TESTS();
    // The tests' jobs end before the application object is torn down, not in its destructor's post routines:
    // ~QApplication and ~QGuiApplication run before those, and a job must not run beside them.
    chainsight::views::drainWorkPool();
    return rc;
}
