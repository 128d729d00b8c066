// The response workflow of the open case for the GUI: a writable connection to the case, the playbook library,
// the core ResponseCase, the analysis (run once per open off the UI thread, its proposal recorded as the machine's),
// and the case's QUndoStack. Every analyst edit goes through perform(): applied and recorded in the custody log,
// then pushed as an undo command whose undo/redo revert/apply the same Edit.
#pragma once

#include "core/analysis/Analysis.h"
#include "core/response/Response.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

class QUndoStack;

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::views {

class AnalysisService;
class CaseContext;

class ResponseController : public QObject
{
    Q_OBJECT
public:
    // With an AnalysisService (the window's), the controller uses its report instead of running its own analysis.
    explicit ResponseController(CaseContext* context, QObject* parent = nullptr, AnalysisService* analysis = nullptr);
    ~ResponseController() override;

    // Opens a case directly (tests, screenshot tool); the panel follows its CaseContext instead.
    Status openCase(const QString& path);
    void closeCase();
    bool isOpen() const { return m_case != nullptr; }

    response::ResponseCase* responseCase() { return m_case.get(); }
    const analysis::AnalysisReport* report() const { return m_report.get(); }
    bool analysisRunning() const { return m_analysisRunning; }
    QUndoStack* undoStack() const { return m_undo; }
    QString libraryError() const { return m_libraryError; }
    QString playbookDir() const { return m_dir; }
    void setPlaybookDir(const QString& dir) { m_dir = dir; }

    // Applies the edit, records it, and pushes it on the undo stack. False (and message()) when refused.
    bool perform(Result<response::Edit> edit);
    // Blocks (running the event loop) until the analysis has finished; for tests and screenshots.
    bool waitForAnalysis(int timeoutMs = 60000);

    // Called by the undo commands.
    bool applyEdit(response::Edit& e, bool undo);

signals:
    void changed(); // the response state changed (edit, undo, reload)
    void analysisFinished();
    void message(const QString& text, bool error);

private:
    void startAnalysis();
    void adoptReport(std::shared_ptr<const analysis::AnalysisReport> report);

    CaseContext* m_context = nullptr;
    AnalysisService* m_analysis = nullptr;
    QString m_dir;
    QString m_libraryError;
    std::unique_ptr<store::CaseStore> m_store;
    std::unique_ptr<response::ResponseCase> m_case;
    std::shared_ptr<const analysis::AnalysisReport> m_report;
    QUndoStack* m_undo = nullptr;
    bool m_analysisRunning = false;
    int m_generation = 0;
};

} // namespace chainsight::views
