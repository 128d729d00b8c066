// The analysis panel: the classification card (incident type, confidence, tier and the reasons, each naming its
// events), the completeness meter, the blast radius, and the findings table (severity, rule, ATLAS id, events).
// Clicking a finding, a reason or an event id selects that event in every panel; selecting an event elsewhere
// brings up the first finding that names it. Reads the shared AnalysisService; holds no SQL.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QComboBox;
class QProgressBar;
class QTableView;
class QTreeWidget;
class QTreeWidgetItem;

namespace chainsight::views {

struct Workbench;
class AnalysisService;
class CaseContext;
class EventSelection;
class FindingsModel;
class FindingsFilter;

class AnalysisPanel : public QWidget
{
    Q_OBJECT
public:
    AnalysisPanel(const Workbench& wb, QWidget* parent = nullptr);

    FindingsModel* findingsModel() const { return m_model; }
    FindingsFilter* findingsFilter() const { return m_filter; }
    QTableView* findingsTable() const { return m_table; }
    QLabel* card() const { return m_card; }
    QTreeWidget* blastTree() const { return m_blast; }
    QProgressBar* completenessMeter() const { return m_meter; }

    // Selects the event with this bundle id in every panel; false when the case has none.
    bool selectEvent(const QString& eventId);

private:
    void showReport();
    void showState(const QString& text);
    void findingActivated(const QModelIndex& proxyIndex);
    void followSelection(qint64 rowid, QObject* source);

    CaseContext* m_context;
    EventSelection* m_selection;
    AnalysisService* m_analysis;
    QLabel* m_card;
    QProgressBar* m_meter;
    QLabel* m_meterDetail;
    QTreeWidget* m_blast;
    QComboBox* m_severity;
    QLineEdit* m_search;
    QLabel* m_count;
    QTableView* m_table;
    FindingsModel* m_model;
    FindingsFilter* m_filter;
    bool m_following = false;
};

} // namespace chainsight::views
