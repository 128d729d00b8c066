// The workbench window shell; see MainWindow.h.
#include "app/MainWindow.h"

#include "core/custody/CaseVerifier.h"
#include "core/custody/Custody.h"
#include "core/crypto/Crypto.h"
#include "core/store/CaseStore.h"
#include "views/AnalysisService.h"
#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "views/EventTableView.h"
#include "views/FilterBar.h"
#include "views/GraphView.h"
#include "views/InspectorView.h"
#include "views/Theme.h"
#include "views/TimelineView.h"
#include "views/Workbench.h"
#define CHAINSIGHT_PANEL_HEADERS
#include "WorkbenchPanels.inc"
#undef CHAINSIGHT_PANEL_HEADERS
#include "views/models/EventTableModel.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QThreadPool>

#include <algorithm>
#include <map>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace chainsight {

using views::fromStd;

MainWindow::MainWindow(views::ImportController::ImportFunction importFn, QWidget* parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    m_context = new views::CaseContext(this);
    m_selection = new views::EventSelection(this);
    m_analysis = new views::AnalysisService(m_context, this);
    m_importFn = importFn; // also handed to the panels (views/Workbench.h)
    m_importer = new views::ImportController(std::move(importFn), this);
    buildDocks();
    buildMenus();
    buildStatusBar();
    setAcceptDrops(true);
    // 1480x920, or less on a smaller screen (a 1366x768 laptop): the window starts inside what the screen offers.
    const QSize room = screen() ? screen()->availableGeometry().size() : QSize(1480, 920);
    resize(std::min(1480, room.width() * 95 / 100), std::min(920, room.height() * 95 / 100));
    m_defaultState = saveState(1);
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    // Without a saved layout the docks get their default shares of the window once it has its size (showEvent).
    m_defaultSizesPending = !restoreState(s.value(QStringLiteral("window/state")).toByteArray(), 1);

    connect(m_context, &views::CaseContext::opened, this, [this] {
        updateTitle();
        updateStatus();
        if (!m_pendingSelect.isEmpty()) selectEventId(m_pendingSelect);
    });
    connect(m_context, &views::CaseContext::reloaded, this, &MainWindow::updateStatus);
    connect(m_context, &views::CaseContext::custodyChanged, this, &MainWindow::updateStatus);
    connect(m_context, &views::CaseContext::indexProgress, this, [this](int pct) { m_indexLabel->setText(tr("indexing %1%").arg(pct)); });
    connect(m_context, &views::CaseContext::indexReady, this, [this] {
        m_indexLabel->setText(tr("indexed in %1 ms").arg(m_context->indexLoadMs()));
    });
    connect(m_importer, &views::ImportController::finished, this, &MainWindow::importFinished);
    connect(m_importer, &views::ImportController::progress, this, [this](qint64 done, qint64 total) {
        if (!m_progress) return;
        m_progress->setMaximum(1000);
        m_progress->setValue(total > 0 ? static_cast<int>(done * 1000 / total) : 0);
    });
    updateTitle();
    updateStatus();
}

MainWindow::~MainWindow()
{
    // Background jobs (index, layout, analysis, queries) run on views::workPool() and report back to the panels.
    // Closing the case first sets the cancel flags of the index and the analysis (the analysis clears on closed()),
    // so the wait below is short; the wait lets the rest finish while the panels still exist, so none calls into
    // a destroyed object at exit.
    m_context->announceShutdown(); // a panel's long job (the exercise's policy evaluation) stops early
    m_context->close();
    views::workPool()->waitForDone();
}

void MainWindow::buildDocks()
{
    auto* central = new QWidget(this);
    auto* lay = new QVBoxLayout(central);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    m_banner = new QLabel(central);
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->hide();
    m_graph = new views::GraphView(m_context, m_selection, central);
    m_graph->setAnalysis(m_analysis);
    lay->addWidget(m_banner);
    lay->addWidget(m_graph);
    setCentralWidget(central);

    m_table = new views::EventTableView(m_context, m_selection, this);
    m_timeline = new views::TimelineView(m_context, m_selection, this);
    m_inspector = new views::InspectorView(m_context, m_selection, this);
    auto dock = [this](const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
        addDockWidget(area, d);
        return d;
    };
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    m_timelineDock = dock(tr("Timeline"), QStringLiteral("timelineDock"), m_timeline, Qt::BottomDockWidgetArea);
    m_tableDock = dock(tr("Evidence"), QStringLiteral("evidenceDock"), m_table, Qt::BottomDockWidgetArea);
    m_inspectorDock = dock(tr("Inspector"), QStringLiteral("inspectorDock"), m_inspector, Qt::RightDockWidgetArea);
    splitDockWidget(m_timelineDock, m_tableDock, Qt::Vertical);
    resizeDocks({m_timelineDock, m_tableDock}, {200, 230}, Qt::Vertical);
    resizeDocks({m_inspectorDock}, {400}, Qt::Horizontal);

    // Panels other areas register (views/Workbench.h): docked beside the built-in ones, tabbed per area.
    views::Workbench wb{m_context, m_selection, m_analysis, this, m_importFn,
                        [this](int timeoutMs) { return waitUntilSettled(timeoutMs); }};
    std::map<Qt::DockWidgetArea, QDockWidget*> lastInArea{{Qt::RightDockWidgetArea, m_inspectorDock}, {Qt::BottomDockWidgetArea, m_tableDock}};
    auto addPanel = [&](const char* id, const char* title, QWidget* w, Qt::DockWidgetArea area) {
        // In a scroll area: a panel's minimum size (a row of fields and buttons) would otherwise be the minimum of
        // its whole dock area, tabbed panels' the largest of them, and the window could grow wider than the
        // screen (the containment panel's 818 pixels did at 1600). A narrow dock scrolls its panel instead.
        auto* scroll = new QScrollArea(this);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidgetResizable(true);
        scroll->setWidget(w);
        QDockWidget* d = dock(tr(title), QString::fromLatin1(id) + QStringLiteral("Dock"), scroll, area);
        if (auto it = lastInArea.find(area); it != lastInArea.end()) tabifyDockWidget(it->second, d);
        lastInArea[area] = d;
        m_panelDocks.push_back(d);
    };
#define CHAINSIGHT_PANEL(ID, TITLE, CLASS, AREA) addPanel(ID, TITLE, new CLASS(wb, this), AREA);
#include "WorkbenchPanels.inc"
#undef CHAINSIGHT_PANEL
    m_inspectorDock->raise();
    m_tableDock->raise();
    // The incident card and findings open on top of their area: the analyst starts from what the analysis found.
    if (auto* d = findChild<QDockWidget*>(QStringLiteral("analysisDock"))) {
        d->raise();
        resizeDocks({d}, {380}, Qt::Horizontal);
    }

    // Panels talk through the shared selection; the timeline range and graph requests narrow the table.
    views::FilterBar* bar = m_table->filterBar();
    connect(m_timeline, &views::TimelineView::rangeSelected, bar, &views::FilterBar::setTimeRange);
    connect(bar, &views::FilterBar::filterChanged, this, [this](const store::EventFilter& f) { m_timeline->setFilterBand(f.fromNs, f.toNs); });
    connect(m_graph, &views::GraphView::facetRequested, bar, &views::FilterBar::addFacetValue);
    connect(m_graph, &views::GraphView::searchRequested, bar, &views::FilterBar::setSearchText);
    connect(m_table->model(), &views::EventTableModel::refreshed, this, &MainWindow::updateStatus);
    connect(m_table->model(), &views::EventTableModel::queryFailed, this, [this](const QString& m) { showMessage(m, true); });
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Case…"), QKeySequence::New, this, &MainWindow::newCase);
    file->addAction(tr("&Open Case…"), QKeySequence::Open, this, &MainWindow::openCaseDialog);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(tr("&Import Bundle Folder…"), QKeySequence(Qt::CTRL | Qt::Key_I), this, [this] { importDialog(false); });
    file->addAction(tr("Import Bundle &Archive (.zip, .tar.gz)…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this, [this] { importDialog(true); });
    file->addSeparator();
    file->addAction(tr("&Verify Custody…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V), this, &MainWindow::verifyCustody);
    file->addAction(tr("&Pin Key…"), this, &MainWindow::pinKey);
    file->addAction(tr("&Export Graph…"), QKeySequence(Qt::CTRL | Qt::Key_E), m_graph->exportAction(), &QAction::trigger);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    go->addAction(tr("&Find in Evidence"), QKeySequence::Find, this, [this] {
        m_tableDock->show();
        m_tableDock->raise();
        m_table->filterBar()->focusSearch();
    });
    go->addAction(tr("&Clear Filters"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), this, [this] { m_table->filterBar()->clearAll(); });
    go->addSeparator();
    go->addAction(tr("&Back"), QKeySequence::Back, m_selection, &views::EventSelection::back);
    go->addAction(tr("&Forward"), QKeySequence::Forward, m_selection, &views::EventSelection::forward);
    go->addAction(tr("Cause (&Parent Event)"), QKeySequence(Qt::ALT | Qt::Key_Up), m_inspector, &views::InspectorView::goToParent);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    auto focus = [](QWidget* w, QDockWidget* d) {
        if (d) {
            d->show();
            d->raise();
        }
        w->setFocus(Qt::ShortcutFocusReason);
    };
    view->addAction(tr("&Graph"), QKeySequence(Qt::CTRL | Qt::Key_1), this, [this, focus] { focus(m_graph->findChild<QWidget*>(QStringLiteral("graphCanvas")), nullptr); });
    view->addAction(tr("&Evidence Table"), QKeySequence(Qt::CTRL | Qt::Key_2), this, [this, focus] { focus(m_table->table(), m_tableDock); });
    view->addAction(tr("&Timeline"), QKeySequence(Qt::CTRL | Qt::Key_3), this, [this, focus] { focus(m_timeline->findChild<QWidget*>(QStringLiteral("timelineChart")), m_timelineDock); });
    view->addAction(tr("&Inspector"), QKeySequence(Qt::CTRL | Qt::Key_4), this, [this, focus] { focus(m_inspector->tree(), m_inspectorDock); });
    view->addSeparator();
    view->addAction(tr("&Fit Graph"), QKeySequence(Qt::CTRL | Qt::Key_0), m_graph, &views::GraphView::fit);
    view->addAction(tr("&Whole Case on Timeline"), QKeySequence(Qt::CTRL | Qt::Key_Home), m_timeline, &views::TimelineView::resetZoom);
    view->addSeparator();
    for (QDockWidget* d : {m_tableDock, m_timelineDock, m_inspectorDock}) view->addAction(d->toggleViewAction());
    if (!m_panelDocks.empty()) view->addSeparator();
    for (QDockWidget* d : m_panelDocks) view->addAction(d->toggleViewAction());
    view->addAction(tr("&Reset Layout"), this, &MainWindow::useDefaultLayout);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), QKeySequence::HelpContents, this, [this] {
        QMessageBox::information(this, tr("Keyboard Shortcuts"),
                                 tr("<table>"
                                    "<tr><td><b>Ctrl+F</b></td><td>search all evidence</td></tr>"
                                    "<tr><td><b>Ctrl+1…4</b></td><td>graph, evidence, timeline, inspector</td></tr>"
                                    "<tr><td><b>Alt+←/→</b></td><td>back / forward through selected events</td></tr>"
                                    "<tr><td><b>Alt+↑</b></td><td>the event that caused this one</td></tr>"
                                    "<tr><td><b>Graph</b></td><td>F fit · +/− zoom · drag pan · double-click or Enter fold/unfold</td></tr>"
                                    "<tr><td><b>Timeline</b></td><td>drag filter by time · wheel/+/− zoom · ←/→ pan · Home whole case · Esc clear range</td></tr>"
                                    "<tr><td><b>Ctrl+I</b></td><td>import a bundle (or drop it on the window)</td></tr>"
                                    "<tr><td><b>Ctrl+Shift+V</b></td><td>verify custody</td></tr>"
                                    "</table>"));
    });
    help->addAction(tr("&About Chainsight"), this, [this] {
        QMessageBox::about(this, tr("About Chainsight"),
                           tr("<b>Chainsight %1</b><br>Forensics workbench for incidents in which an AI agent went rogue.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::buildStatusBar()
{
    auto label = [this](const QString& name) {
        auto* l = new QLabel(this);
        l->setObjectName(name);
        l->setContentsMargins(6, 0, 6, 0);
        return l;
    };
    m_caseLabel = label(QStringLiteral("statusCase"));
    m_countLabel = label(QStringLiteral("statusCount"));
    m_windowLabel = label(QStringLiteral("statusWindow"));
    m_indexLabel = label(QStringLiteral("statusIndex"));
    m_custodyLabel = label(QStringLiteral("statusCustody"));
    statusBar()->addWidget(m_caseLabel, 1);
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_windowLabel);
    statusBar()->addPermanentWidget(m_indexLabel);
    statusBar()->addPermanentWidget(m_custodyLabel);
}

void MainWindow::updateTitle()
{
    if (!m_context->isOpen()) {
        setWindowTitle(tr("Chainsight"));
        return;
    }
    const QString name = QFileInfo(m_context->path()).fileName();
    setWindowTitle(m_context->title().isEmpty() ? tr("%1 — Chainsight").arg(name) : tr("%1 (%2) — Chainsight").arg(m_context->title(), name));
}

void MainWindow::updateStatus()
{
    if (!m_context->isOpen()) {
        m_caseLabel->setText(tr("No case open — File ▸ Open Case (Ctrl+O), or drop an evidence bundle here"));
        m_countLabel->clear();
        m_windowLabel->clear();
        m_custodyLabel->clear();
        m_indexLabel->clear();
        return;
    }
    const QLocale loc;
    m_caseLabel->setText(tr("Case: %1").arg(m_context->title().isEmpty() ? QFileInfo(m_context->path()).fileName() : m_context->title()));
    m_caseLabel->setToolTip(m_context->path());
    const qint64 shown = m_table->model()->rowCount();
    m_countLabel->setText(shown == m_context->eventCount() ? tr("%1 events").arg(loc.toString(static_cast<qlonglong>(m_context->eventCount())))
                                                          : tr("%1 of %2 events").arg(loc.toString(shown), loc.toString(static_cast<qlonglong>(m_context->eventCount()))));
    const auto [from, to] = m_context->timeWindow();
    m_windowLabel->setText(from ? tr("%1 → %2").arg(views::timeLong(from), views::timeShort(to)) : QString());
    using C = views::CaseContext::Custody;
    QString color;
    switch (m_context->custody()) {
    case C::Intact:
        color = views::verdictColor(Verdict::Allow).name();
        break;
    case C::Tampered:
        color = views::verdictColor(Verdict::Block).name();
        break;
    case C::Unpinned:
        color = views::verdictColor(Verdict::Constrain).name();
        break;
    default:
        break;
    }
    m_custodyLabel->setText(tr("custody: %1").arg(m_context->custodyText()));
    m_custodyLabel->setStyleSheet(color.isEmpty() ? QString() : QStringLiteral("color: %1; font-weight: bold;").arg(color));
    m_custodyLabel->setToolTip(m_context->custodyDetail());
}

void MainWindow::showMessage(const QString& text, bool error)
{
    const QColor c = error ? views::verdictColor(Verdict::Block) : QApplication::palette().color(QPalette::Highlight);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: %1; border-bottom: 2px solid %2; padding: 6px 10px; }")
                                .arg(views::soften(c, 0.8).name(), c.name()));
    m_banner->setText(text);
    m_banner->show();
    if (!error) QTimer::singleShot(8000, m_banner, [b = m_banner, text] { if (b->text() == text) b->hide(); });
}

bool MainWindow::openCase(const QString& path)
{
    m_selection->clear();
    Status s = m_context->open(path);
    if (!s) {
        showMessage(tr("Cannot open %1: %2").arg(path, s.error().toString()), true);
        return false;
    }
    m_banner->hide();
    rememberRecent(path);
    return true;
}

QString MainWindow::defaultCaseFor(const QString& bundlePath)
{
    QFileInfo fi(bundlePath);
    QString base = fi.fileName();
    for (const char* suffix : {".tar.gz", ".tgz", ".zip"})
        if (base.endsWith(QLatin1String(suffix))) base.chop(static_cast<int>(strlen(suffix)));
    const QString beside = fi.absoluteDir().filePath(base + QStringLiteral(".chainsight.db"));
    if (QFileInfo(fi.absolutePath()).isWritable()) return beside;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/cases");
    QDir().mkpath(dir);
    return dir + QLatin1Char('/') + base + QStringLiteral(".chainsight.db");
}

void MainWindow::importBundle(const QString& bundlePath, const QString& casePath)
{
    if (m_importer->isRunning()) {
        showMessage(tr("An import is already running."), true);
        return;
    }
    QString target = casePath;
    if (target.isEmpty()) target = m_context->isOpen() ? m_context->path() : defaultCaseFor(bundlePath);
    m_progress = new QProgressDialog(tr("Importing %1…").arg(QFileInfo(bundlePath).fileName()), tr("Cancel"), 0, 0, this);
    m_progress->setWindowTitle(tr("Import Evidence"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(400);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    connect(m_progress, &QProgressDialog::canceled, m_importer, &views::ImportController::cancel);
    m_importer->start(target, bundlePath);
}

void MainWindow::importFinished(bool ok, bool cancelled, const QString& message, const QString& casePath)
{
    if (m_progress) {
        m_progress->deleteLater();
        m_progress = nullptr;
    }
    if (!ok) {
        showMessage(message, !cancelled);
        return;
    }
    if (m_context->isOpen() && QFileInfo(m_context->path()) == QFileInfo(casePath)) m_context->reload();
    else openCase(casePath);
    showMessage(message);
}

void MainWindow::selectEventId(const QString& id)
{
    const QString eventId = id; // id may be m_pendingSelect itself
    if (!m_context->isOpen()) {
        m_pendingSelect = eventId;
        return;
    }
    m_pendingSelect.clear();
    auto r = m_context->queries()->findEvent(eventId.toStdString());
    if (!r) showMessage(r.error().toString(), true);
    else if (*r) m_selection->select(*r, nullptr);
    else showMessage(tr("No event %1 in this case.").arg(eventId), true);
}

bool MainWindow::waitUntilSettled(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    auto spin = [] {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    };
    auto idle = [this] {
        const bool busy = m_importer->isRunning() || (m_context->isOpen() && (m_context->indexLoading() || !m_context->index())) ||
                          !m_graph->isIdle() || m_table->model()->isBusy() || (m_context->isOpen() && m_context->custody() == views::CaseContext::Custody::Checking) ||
                          m_analysis->isRunning();
        return !busy && (!m_context->isOpen() || m_graph->waitUntilIdle(0) || m_context->eventCount() == 0);
    };
    // Idle for 15 turns of the event loop in a row (about 300 ms): queued paints and re-bins land, and a panel that
    // writes to the case once the analysis is in (the response panel records the machine's proposal) has started
    // the next round of index, analysis and graph, which this then waits for too.
    int quiet = 0;
    while (t.elapsed() < timeoutMs && quiet < 15) {
        quiet = idle() ? quiet + 1 : 0;
        spin();
    }
    return quiet >= 15;
}

void MainWindow::useDefaultLayout()
{
    restoreState(m_defaultState, 1);
    for (QDockWidget* d : {m_tableDock, m_timelineDock, m_inspectorDock}) d->show();
    if (auto* d = findChild<QDockWidget*>(QStringLiteral("analysisDock"))) {
        d->show();
        d->raise();
    }
    m_defaultSizesPending = true;
    if (isVisible()) applyDefaultSizes();
}

// The default shares of the window: the graph, where the incident is read, gets most of the width; the incident
// card on the left and the inspector on the right about a fifth and a quarter; the timeline and the evidence
// table below about a fifth and a quarter of the height. Sizes given before the window has its size are
// redistributed by the layout as the window grows (the inspector used to take 40% of a 1600-pixel screen).
void MainWindow::applyDefaultSizes()
{
    m_defaultSizesPending = false;
    const int w = width(), h = height();
    resizeDocks({m_timelineDock, m_tableDock}, {std::max(170, h * 20 / 100), std::max(200, h * 27 / 100)},
                Qt::Vertical);
    QList<QDockWidget*> side{m_inspectorDock};
    QList<int> widths{std::max(380, w * 26 / 100)};
    if (auto* d = findChild<QDockWidget*>(QStringLiteral("analysisDock"))) {
        side.prepend(d);
        widths.prepend(std::max(340, w * 21 / 100));
    }
    resizeDocks(side, widths, Qt::Horizontal);
}

void MainWindow::showEvent(QShowEvent* e)
{
    QMainWindow::showEvent(e);
    if (m_defaultSizesPending) QTimer::singleShot(0, this, [this] {
            if (m_defaultSizesPending) applyDefaultSizes();
        });
}

void MainWindow::rememberRecent(const QString& path)
{
    QSettings s;
    QStringList recent = s.value(QStringLiteral("recentCases")).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    recent.removeAll(abs);
    recent.prepend(abs);
    while (recent.size() > 10) recent.removeLast();
    s.setValue(QStringLiteral("recentCases"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentCases")).toStringList();
    int n = 0;
    for (const QString& p : recent) {
        if (!QFileInfo::exists(p)) continue;
        QAction* a = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(++n % 10).arg(QFileInfo(p).fileName()), this, [this, p] { openCase(p); });
        a->setToolTip(p);
    }
    m_recentMenu->setEnabled(n > 0);
}

void MainWindow::newCase()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("New Case"), QStringLiteral("case.db"), tr("Chainsight cases (*.db)"));
    if (path.isEmpty()) return;
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::OpenOrCreate;
    auto st = store::CaseStore::open(path, o);
    if (!st) {
        showMessage(st.error().toString(), true);
        return;
    }
    st->reset();
    openCase(path);
}

void MainWindow::openCaseDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Case"), {}, tr("Chainsight cases (*.db);;All files (*)"));
    if (!path.isEmpty()) openCase(path);
}

void MainWindow::importDialog(bool archive)
{
    const QString path = archive ? QFileDialog::getOpenFileName(this, tr("Import Bundle Archive"), {}, tr("Evidence bundles (*.zip *.tar.gz *.tgz);;All files (*)"))
                                 : QFileDialog::getExistingDirectory(this, tr("Import Bundle Folder"));
    if (!path.isEmpty()) importBundle(path);
}

void MainWindow::verifyCustody()
{
    if (!m_context->isOpen()) return;
    const QString path = m_context->path();
    auto* watcher = new QFutureWatcher<QString>(this);
    showMessage(tr("Verifying every evidence file, decision and event of the case…"));
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        QMessageBox::information(this, tr("Custody"), watcher->result());
        m_context->reload();
    });
    watcher->setFuture(QtConcurrent::run(views::workPool(), [path] {
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::ReadOnly;
        auto st = store::CaseStore::open(path, o);
        if (!st) return st.error().toString();
        auto rep = custody::verifyCase(**st, custody::VerifyDepth::Full);
        if (!rep) return rep.error().toString();
        QString out = tr("<b>%1</b><br>files %2/%3 · decisions %4/%5 · events %6/%7 · custody %8/%9")
                          .arg(rep->intact() ? tr("Intact") : tr("Problems found"))
                          .arg(rep->filesValid).arg(rep->files).arg(rep->decisionsValid).arg(rep->decisions)
                          .arg(rep->eventsValid).arg(rep->events).arg(rep->custodyValid).arg(rep->custody);
        for (const auto& [id, trust] : rep->keys) out += tr("<br>key %1: %2").arg(fromStd(id), fromStd(std::string(custody::keyTrustName(trust))));
        for (size_t i = 0; i < rep->problems.size() && i < 12; ++i) out += QStringLiteral("<br>• %1").arg(fromStd(rep->problems[i].toLine()).toHtmlEscaped());
        return out;
    }));
}

void MainWindow::pinKey()
{
    if (!m_context->isOpen()) return;
    const QString file = QFileDialog::getOpenFileName(this, tr("Pin Key"), {}, tr("Ed25519 public keys (*.pem);;All files (*)"));
    if (file.isEmpty()) return;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return showMessage(tr("%1: %2").arg(file, f.errorString()), true);
    auto key = crypto::PublicKey::fromPem(f.read(1 << 20));
    if (!key) return showMessage(tr("%1 is not an Ed25519 public key in PEM (%2)").arg(file, key.error().message), true);
    QString id = QFileInfo(file).completeBaseName();
    bool ok = false;
    id = QInputDialog::getText(this, tr("Pin Key"), tr("Key id the decision log names (fingerprint %1):").arg(fromStd(key->fingerprint()).left(16)),
                               QLineEdit::Normal, id, &ok);
    if (!ok || id.isEmpty()) return;
    auto st = store::CaseStore::open(m_context->path());
    if (!st) return showMessage(st.error().toString(), true);
    const custody::Actor actor = custody::Actor::current();
    KeyRecord k;
    k.keyId = id.toStdString();
    k.fingerprint = key->fingerprint();
    k.pem = key->pem().toStdString();
    k.pinnedAt = custody::nowRfc3339();
    k.pinnedBy = actor.name;
    auto tx = (*st)->begin();
    if (!tx) return showMessage(tx.error().toString(), true);
    json::Value detail = json::Value::object();
    detail.set("fingerprint", json::Value::string(k.fingerprint));
    detail.set("file", json::Value::string(file.toStdString()));
    Status s = (*st)->pinKey(k);
    if (s) {
        auto e = custody::append(**st, actor, "pin_key", k.keyId, detail);
        if (!e) s = e.error();
    }
    if (s) s = (*st)->commit(*tx);
    if (!s) return showMessage(s.error().toString(), true);
    showMessage(tr("Pinned key %1; decision signatures by it are now trusted.").arg(id));
    m_context->reload();
}

void MainWindow::closeEvent(QCloseEvent* e)
{
    if (m_importer->isRunning()) {
        m_importer->cancel();
        m_importer->wait(30000);
    }
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState(1));
    e->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e)
{
    if (e->mimeData()->hasUrls() && e->mimeData()->urls().first().isLocalFile()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e)
{
    const QString path = e->mimeData()->urls().first().toLocalFile();
    if (store::looksLikeCaseFile(path)) openCase(path);
    else importBundle(path);
    e->acceptProposedAction();
}

} // namespace chainsight
