// The workbench window: a thin shell that docks the panels (graph, evidence table, timeline, inspector) around one
// case and one shared selection, holds the menus, shortcuts and status bar, remembers layout and recent cases, and
// runs imports in the background. The work itself lives in views/ and core/.
#pragma once

#include "views/ImportController.h"

#include <QMainWindow>

#include <vector>

class QLabel;
class QDockWidget;
class QMenu;
class QProgressDialog;

namespace chainsight {

namespace views {
class AnalysisService;
class CaseContext;
class EventSelection;
class EventTableView;
class GraphView;
class InspectorView;
class TimelineView;
} // namespace views

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(views::ImportController::ImportFunction importFn, QWidget* parent = nullptr);
    ~MainWindow() override;

    bool openCase(const QString& path);
    // Imports a bundle into casePath (default: the open case; with none open, a new case beside the bundle), then
    // opens that case. Runs in the background with a progress dialog that can cancel.
    void importBundle(const QString& bundlePath, const QString& casePath = {});
    // Selects the event with this bundle id (e.g. "evt-001623") once the case is open.
    void selectEventId(const QString& eventId);
    // Blocks (running the event loop) until imports, the index, the analysis, the graph layout and the table are
    // done, and stay done for a moment. Panels reach it through Workbench::waitUntilSettled.
    bool waitUntilSettled(int timeoutMs = 60000);
    void useDefaultLayout(); // ignores the saved layout (screenshots, tests)
    void showMessage(const QString& text, bool error = false);

    views::CaseContext* context() const { return m_context; }
    views::EventSelection* selection() const { return m_selection; }
    views::AnalysisService* analysis() const { return m_analysis; }
    views::EventTableView* tableView() const { return m_table; }
    views::GraphView* graphView() const { return m_graph; }
    views::TimelineView* timelineView() const { return m_timeline; }
    views::InspectorView* inspectorView() const { return m_inspector; }
    views::ImportController* importer() const { return m_importer; }

    static QString defaultCaseFor(const QString& bundlePath);

protected:
    void closeEvent(QCloseEvent* e) override;
    void showEvent(QShowEvent* e) override;
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;

private:
    void buildDocks();
    void applyDefaultSizes();
    void buildMenus();
    void buildStatusBar();
    void updateStatus();
    void updateTitle();
    void rememberRecent(const QString& path);
    void rebuildRecentMenu();
    void newCase();
    void openCaseDialog();
    void importDialog(bool archive);
    void verifyCustody();
    void pinKey();
    void importFinished(bool ok, bool cancelled, const QString& message, const QString& casePath);

    views::CaseContext* m_context;
    views::EventSelection* m_selection;
    views::AnalysisService* m_analysis;
    views::ImportController* m_importer;
    views::ImportFunction m_importFn;
    views::EventTableView* m_table;
    views::GraphView* m_graph;
    views::TimelineView* m_timeline;
    views::InspectorView* m_inspector;
    QDockWidget *m_tableDock, *m_timelineDock, *m_inspectorDock;
    std::vector<QDockWidget*> m_panelDocks; // registered through views/ fragments
    QLabel* m_banner;
    QLabel *m_caseLabel, *m_countLabel, *m_windowLabel, *m_custodyLabel, *m_indexLabel;
    QMenu* m_recentMenu;
    QProgressDialog* m_progress = nullptr;
    QString m_pendingSelect;
    QByteArray m_defaultState;
    bool m_defaultSizesPending = true; // no saved layout yet: applyDefaultSizes() once the window has its size
};

} // namespace chainsight
