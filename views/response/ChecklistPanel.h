// The checklist of the case's runbook: items by phase with state, owner, due time, notes, linked evidence and who
// changed them when; a phase closes only when its gate items are met, and the panel says why not.
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeView;

namespace chainsight::views {

class ChecklistModel;
class EventSelection;
class CaseContext;
class ResponseController;

class ChecklistPanel : public QWidget
{
    Q_OBJECT
public:
    ChecklistPanel(ResponseController* controller, CaseContext* context, EventSelection* selection,
                   QWidget* parent = nullptr);
    QTreeView* tree() const { return m_tree; }
    ChecklistModel* model() const { return m_model; }

private:
    void updateActions();
    int currentPhase() const; // -1 when nothing is selected
    QString currentItem() const;
    void linkSelectedEvent();
    void closePhase();

    ResponseController* m_c;
    CaseContext* m_context;
    EventSelection* m_selection;
    ChecklistModel* m_model;
    QTreeView* m_tree;
    QLabel* m_why;
    QPushButton *m_close, *m_link, *m_unlink;
};

} // namespace chainsight::views
