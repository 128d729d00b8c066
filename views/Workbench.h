// What a workbench panel is given: the open case, the one selection, the shared analysis of the case, and the
// window (for dialogs and the status bar). Panels added by other areas (checklist, containment, report preview,
// exercise) register through a views/ fragment:
//
//   chainsight_workbench_panel(ID "Title" views/MyPanel.h chainsight::views::MyPanel AREA)
//
// where AREA is Left, Right, Bottom or Top and the class has a constructor MyPanel(const Workbench&, QWidget* parent).
// app/MainWindow docks each one (restorable, listed in the View menu); no edit of the main window is needed.
#pragma once

#include "core/Result.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>

class QMainWindow;

namespace chainsight::views {

class CaseContext;
class EventSelection;
class AnalysisService;

// Imports bundlePath into the case at casePath (creating it if new); fills summary on success. Runs off the UI
// thread. The app supplies it: views do not link the importers.
using ImportFunction = std::function<Status(const QString& casePath, const QString& bundlePath, const std::atomic<bool>* cancel,
                                            const std::function<void(int64_t, int64_t)>& progress, QString* summary)>;

struct Workbench
{
    CaseContext* context = nullptr;
    EventSelection* selection = nullptr;
    AnalysisService* analysis = nullptr; // may be null until the analysis service exists
    QMainWindow* window = nullptr;
    ImportFunction import; // may be null: a panel that needs it then says it cannot import
    // Blocks, running the event loop, until the window's jobs are done (import, index, analysis, graph, table);
    // false on timeout. May be null (a plain window): a panel then waits for what it knows itself.
    std::function<bool(int timeoutMs)> waitUntilSettled;
};

} // namespace chainsight::views
