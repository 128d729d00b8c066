// chainsight: one binary. A subcommand (import, verify, info, keys, ...) runs headless on QCoreApplication;
// anything else opens the workbench window.
#include "app/GuiMain.h"
#include "app/cli/Cli.h"
#include "core/Allocator.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <cstdio>
#include <memory>
#include <cstring>

namespace {
void printUsage()
{
    std::printf(
        "Chainsight %s: forensics workbench for incidents in which an AI agent went rogue.\n\n"
        "Usage:\n"
        "  chainsight [--demo | open CASE.db|BUNDLE] [--screenshot FILE.png]   open the workbench\n"
        "  chainsight import BUNDLE... --case CASE.db [--format NAME] [--json]\n"
        "  chainsight verify CASE.db|BUNDLE [--json] [--case CASE.db] [--key KEY.pem]\n"
        "  chainsight info CASE.db [--json]\n"
        "  chainsight keys pin KEYFILE.pem --case CASE.db [--id KEY_ID]\n"
        "  chainsight keys list --case CASE.db [--json]\n"
        "  chainsight analyze CASE.db [--json] [--per-session]\n"
        "  chainsight playbook CASE.db [--json] [--playbooks DIR]\n"
        "  chainsight contain CASE.db --action ACTION --backend NAME --target T [--dry-run] [--approved-by NAME]\n"
        "  chainsight report CASE.db --out FILE.pdf|FILE.html [--redact]\n"
        "  chainsight export CASE.db [--package FILE.zip --sign KEY.pem] [--atlas-layer FILE.json] [--stix FILE.json] [--timeline FILE.jsonl]\n"
        "  chainsight exercise SCENARIO --headless [--speed N] [--json] [--team FILE] [--policy FILE]\n"
        "  chainsight lessons CASE.db [--baseline OUT.json] [--sigma DIR] [--json]\n\n"
        "Exit status: 0 success or intact, 1 verification failed, 2 bad input.\n"
        "Each command takes --help.\n",
        CHAINSIGHT_VERSION);
}
} // namespace

int main(int argc, char** argv)
{
    chainsight::configureAllocator(argv);
    if (argc > 1 && (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "-V") == 0)) {
        std::printf("chainsight %s\n", CHAINSIGHT_VERSION);
        return 0;
    }
    if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 || std::strcmp(argv[1], "help") == 0)) {
        printUsage();
        return 0;
    }
    if (argc > 1 && chainsight::cli::isSubcommand(QString::fromLocal8Bit(argv[1]))) {
        // `report` and `export` lay out text and draw charts, which needs a QGuiApplication; without a display
        // they use the offscreen platform. Every other subcommand stays headless on QCoreApplication.
        const bool needsGui = std::strcmp(argv[1], "report") == 0 || std::strcmp(argv[1], "export") == 0;
        if (needsGui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
            qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        std::unique_ptr<QCoreApplication> appPtr = needsGui ? std::make_unique<QGuiApplication>(argc, argv)
                                                            : std::make_unique<QCoreApplication>(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("Chainsight"));
        QCoreApplication::setOrganizationName(QStringLiteral("Chainsight"));
        QCoreApplication::setApplicationVersion(QStringLiteral(CHAINSIGHT_VERSION));
        QStringList args = QCoreApplication::arguments();
        args.removeFirst();
        return chainsight::cli::run(args);
    }
    return chainsight::runGui(argc, argv);
}
