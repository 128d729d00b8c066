// The Response panel docked in the workbench: the classification decision, the containment ladder and the clocks
// on the left; the checklist of the runbook and the RACI matrix on the right; undo and redo of every analyst edit.
#pragma once

#include <QWidget>

class QLabel;
class QTabWidget;

namespace chainsight::views {

struct Workbench;
class ChecklistPanel;
class ClassificationPanel;
class ClocksView;
class RaciEditor;
class ResponseController;

class ResponsePanel : public QWidget
{
    Q_OBJECT
public:
    ResponsePanel(const Workbench& wb, QWidget* parent = nullptr);

    ResponseController* controller() const { return m_c; }
    ChecklistPanel* checklist() const { return m_checklist; }
    RaciEditor* raci() const { return m_raci; }
    ClassificationPanel* classification() const { return m_classification; }
    ClocksView* clocks() const { return m_clocks; }
    QTabWidget* tabs() const { return m_tabs; }

private:
    void updateTitle();

    ResponseController* m_c;
    QLabel* m_title;
    QLabel* m_message;
    ClassificationPanel* m_classification;
    ClocksView* m_clocks;
    ChecklistPanel* m_checklist;
    RaciEditor* m_raci;
    QTabWidget* m_tabs;
};

} // namespace chainsight::views
