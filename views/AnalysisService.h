// The analysis of the open case, shared by every panel: core analysis (core/analysis/Analysis.h) runs once per open
// or reload on a worker thread with its own read-only connection; the result is cached here as the core struct,
// as-is, and `ready()` says when it changed. A newer open/reload cancels the run in flight; its result is dropped.
#pragma once

#include "core/analysis/Analysis.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace chainsight::views {

class CaseContext;

class AnalysisService : public QObject
{
    Q_OBJECT
public:
    explicit AnalysisService(CaseContext* context, QObject* parent = nullptr);
    ~AnalysisService() override;

    // The report of the open case; null while none is ready (no case, running, or failed).
    std::shared_ptr<const analysis::AnalysisReport> report() const { return m_report; }
    bool isRunning() const { return m_running; }
    QString errorText() const { return m_error; } // why the last run failed, "" when it did not
    qint64 lastRunMs() const { return m_ms; }

    // Runs the analysis again (e.g. after an edit other panels made to the case).
    void refresh();
    // Blocks (running the event loop) until no run is in flight; false on timeout. For tests and --screenshot.
    bool waitUntilReady(int timeoutMs = 60000);

    // The case rowid of a bundle event id (as findings and taint edges name them); 0 when the case has none.
    // Looked up through the case's queries on the UI thread, cached.
    int64_t rowidOf(const std::string& eventId) const;

signals:
    void started();
    void ready();                        // report() is the new report
    void failed(const QString& message); // report() is null
    void cleared();                      // the case closed

private:
    void start();
    void clear();

    CaseContext* m_context;
    std::shared_ptr<const analysis::AnalysisReport> m_report;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    int m_generation = 0;
    bool m_running = false;
    QString m_error;
    qint64 m_ms = 0;
    mutable std::unordered_map<std::string, int64_t> m_rowids;
};

} // namespace chainsight::views
