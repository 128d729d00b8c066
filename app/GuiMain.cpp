// The workbench window's entry point: QApplication, the main window, and the command line of the GUI —
// `--demo`, `open CASE.db|BUNDLE`, `--select EVENT_ID`, `--screenshot FILE.png`. Without the GUI built
// (CHAINSIGHT_BUILD_GUI=OFF) it says so and the subcommands remain.
#include "app/GuiMain.h"

#ifndef CHAINSIGHT_WITH_GUI
#include <cstdio>
namespace chainsight {
int runGui(int, char**)
{
    std::fprintf(stderr, "chainsight: built without the workbench window; use the subcommands (chainsight --help)\n");
    return 2;
}
} // namespace chainsight
#else

#include "app/MainWindow.h"
#include "core/custody/CaseVerifier.h"
#include "core/store/CaseStore.h"
#include "importers/Importer.h"
#include "views/CaseContext.h"
#include "views/GraphView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>

namespace chainsight {

namespace {

// The import the window runs in the background: the case is created if new, checked, then the bundle imported.
Status importInto(const QString& casePath, const QString& bundlePath, const std::atomic<bool>* cancel,
                  const std::function<void(int64_t, int64_t)>& progress, QString* summary)
{
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::OpenOrCreate;
    o.bulk = true;
    auto st = store::CaseStore::open(casePath, o);
    if (!st) return st.error();
    CS_TRY(custody::checkOnOpen(**st));
    importers::ImportOptions options;
    options.cancel = cancel;
    options.progress = progress;
    auto r = importers::importPath(**st, bundlePath, options);
    if (!r) return r.error();
    if (summary)
        *summary = r->alreadyImported ? QObject::tr("Bundle %1 is already in the case; nothing imported.").arg(QString::fromStdString(r->bundleId))
                                      : QObject::tr("Imported %1: %2 events, %3 decisions (%4 verified).")
                                            .arg(QString::fromStdString(r->bundleId))
                                            .arg(r->events)
                                            .arg(r->decisions)
                                            .arg(r->decisionsValid);
    return {};
}

QString demoBundleDir()
{
#ifdef CHAINSIGHT_SOURCE_DEMO_DIR
    if (QFileInfo::exists(QStringLiteral(CHAINSIGHT_SOURCE_DEMO_DIR) + QStringLiteral("/manifest.json"))) return QStringLiteral(CHAINSIGHT_SOURCE_DEMO_DIR);
#endif
    const QString installed = QCoreApplication::applicationDirPath() + QStringLiteral("/../share/chainsight/demo/refund-incident");
    return QDir::cleanPath(installed);
}

// Does this case exist and hold events already?
bool hasEvents(const QString& casePath)
{
    if (!QFileInfo::exists(casePath)) return false;
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::ReadOnly;
    auto st = store::CaseStore::open(casePath, o);
    if (!st) return false;
    auto n = (*st)->eventCount();
    return n && *n > 0;
}

} // namespace

int runGui(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Chainsight"));
    QApplication::setOrganizationName(QStringLiteral("Chainsight"));
    QApplication::setApplicationVersion(QStringLiteral(CHAINSIGHT_VERSION));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Chainsight workbench"));
    p.addHelpOption();
    QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Open the demo incident (imported on first use)."));
    QCommandLineOption shot(QStringLiteral("screenshot"), QStringLiteral("Render the window once loaded, save it and exit."), QStringLiteral("FILE.png"));
    QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Select this event (its id in the bundle) once loaded."), QStringLiteral("EVENT_ID"));
    QCommandLineOption unfold(QStringLiteral("unfold"), QStringLiteral("Open the graph folds with this label (e.g. a tool name)."), QStringLiteral("LABEL"));
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for --screenshot (default 1600x1000)."), QStringLiteral("WxH"));
    p.addOption(demo);
    p.addOption(shot);
    p.addOption(select);
    p.addOption(size);
    p.addOption(unfold);
    p.addPositionalArgument(QStringLiteral("open"), QStringLiteral("open CASE.db|BUNDLE: open a case, or import a bundle into a new case and open it."),
                            QStringLiteral("[open PATH]"));
    p.process(app);

    MainWindow w(&importInto);
    const bool screenshot = p.isSet(shot);
    if (screenshot) {
        w.useDefaultLayout();
        const QStringList wh = p.value(size).split(QLatin1Char('x'));
        w.resize(wh.size() == 2 ? wh[0].toInt() : 1600, wh.size() == 2 ? wh[1].toInt() : 1000);
        w.move(0, 0);
    }
    w.show();
    if (p.isSet(select)) w.selectEventId(p.value(select));
    for (const QString& l : p.values(unfold)) w.graphView()->unfoldByLabel(l);

    QStringList pos = p.positionalArguments();
    if (!pos.isEmpty() && pos.first() == QLatin1String("open")) pos.removeFirst();
    if (p.isSet(demo)) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/demo");
        QDir().mkpath(dir);
        const QString casePath = dir + QStringLiteral("/refund-incident.db");
        if (hasEvents(casePath)) {
            w.openCase(casePath);
        } else {
            const QString bundle = demoBundleDir();
            if (!QFileInfo::exists(bundle + QStringLiteral("/manifest.json"))) {
                std::fprintf(stderr, "chainsight: the demo bundle is not installed (looked in %s)\n", qPrintable(bundle));
                w.showMessage(QObject::tr("The demo bundle is not installed (looked in %1).").arg(bundle), true);
            } else {
                QFile::remove(casePath);
                w.importBundle(bundle, casePath);
            }
        }
    } else if (!pos.isEmpty()) {
        const QString path = QFileInfo(pos.first()).absoluteFilePath();
        if (!QFileInfo::exists(path)) {
            std::fprintf(stderr, "chainsight: %s: no such file or directory\n", qPrintable(path));
            return 2;
        }
        if (store::looksLikeCaseFile(path)) w.openCase(path);
        else w.importBundle(path, MainWindow::defaultCaseFor(path));
    } else {
        const QStringList recent = QSettings().value(QStringLiteral("recentCases")).toStringList();
        if (!recent.isEmpty() && QFileInfo::exists(recent.first()) && !screenshot) w.openCase(recent.first());
    }

    if (screenshot) {
        const QString out = p.value(shot);
        int rc = 0;
        QTimer::singleShot(0, &w, [&w, &rc, out] {
            if (!w.waitUntilSettled(120000)) std::fprintf(stderr, "chainsight: still loading after 120 s; saving what is shown\n");
            if (!w.grab().save(out)) {
                std::fprintf(stderr, "chainsight: cannot write %s\n", qPrintable(out));
                rc = 1;
            }
            QApplication::exit(rc);
        });
        return QApplication::exec() == 0 ? rc : 1;
    }
    return QApplication::exec();
}

} // namespace chainsight
#endif
