// The evidence table panel: the filter bar over a virtualised table of every event of the case. Follows and sets
// the shared selection.
#pragma once

#include <QWidget>

class QTableView;

namespace chainsight::views {

class CaseContext;
class EventSelection;
class EventTableModel;
class FilterBar;

class EventTableView : public QWidget
{
    Q_OBJECT
public:
    EventTableView(CaseContext* context, EventSelection* selection, QWidget* parent = nullptr);

    EventTableModel* model() const { return m_model; }
    FilterBar* filterBar() const { return m_filterBar; }
    QTableView* table() const { return m_table; }

private:
    void followSelection(qint64 rowid, QObject* source);
    void updateCount();

    CaseContext* m_context;
    EventSelection* m_selection;
    EventTableModel* m_model;
    FilterBar* m_filterBar;
    QTableView* m_table;
};

} // namespace chainsight::views
