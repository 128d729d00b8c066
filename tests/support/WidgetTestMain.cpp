// gtest main for the widget tests: a QApplication (offscreen unless the environment says otherwise, since test
// discovery runs the binary without the test's environment), test-mode paths and settings cleared, the analyst
// "alice" unless set. The target names itself with CHAINSIGHT_TEST_APP.
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
    return RUN_ALL_TESTS();
}
