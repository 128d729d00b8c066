// gtest main with a QCoreApplication: the executor and the test backends run on its event loop.
#include <QCoreApplication>
#include <QStandardPaths>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    QStandardPaths::setTestModeEnabled(true);
    if (qEnvironmentVariableIsEmpty("CHAINSIGHT_ANALYST")) qputenv("CHAINSIGHT_ANALYST", "alice");
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("ChainsightTest"));
    QCoreApplication::setApplicationName(QStringLiteral("containment_tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
