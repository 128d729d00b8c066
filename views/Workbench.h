// What a workbench panel is given: the open case, the one selection, the shared analysis of the case, and the
// window (for dialogs and the status bar). Panels added by other areas (checklist, containment, report preview,
// exercise) register through a views/ fragment:
//
//   chainsight_workbench_panel(ID "Title" views/MyPanel.h chainsight::views::MyPanel AREA)
//
// where AREA is Left, Right, Bottom or Top and the class has a constructor MyPanel(const Workbench&, QWidget* parent).
// app/MainWindow docks each one (restorable, listed in the View menu); no edit of the main window is needed.
#pragma once

class QMainWindow;

namespace chainsight::views {

class CaseContext;
class EventSelection;
class AnalysisService;

struct Workbench
{
    CaseContext* context = nullptr;
    EventSelection* selection = nullptr;
    AnalysisService* analysis = nullptr; // may be null until the analysis service exists
    QMainWindow* window = nullptr;
};

} // namespace chainsight::views
