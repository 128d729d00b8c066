// The open case as the panels see it: a read connection for the UI thread, the case's in-memory index (built off
// the UI thread once per open or reload), headline figures, and custody at a glance (intact, tampered, unpinned),
// checked in the background. Worker jobs get a connection of their own through runQuery().
#pragma once

#include "core/Result.h"
#include "core/store/CaseQueries.h"
#include "views/ProgressRelay.h"

#include <QFuture>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace chainsight::views {

class CaseContext : public QObject
{
    Q_OBJECT
public:
    enum class Custody { Unknown, Checking, Intact, Tampered, Unpinned };
    Q_ENUM(Custody)

    explicit CaseContext(QObject* parent = nullptr);
    ~CaseContext() override;

    Status open(const QString& path);
    void close();
    // The window is going away: panels cancel their long background jobs (without waiting), so that the window's
    // wait for the work pool is short. Emits shuttingDown().
    void announceShutdown() { emit shuttingDown(); }
    // Re-reads figures and rebuilds the index (after an import into the open case).
    void reload();

    bool isOpen() const { return m_queries != nullptr; }
    QString path() const { return m_path; }
    QString title() const { return m_title; }
    int64_t eventCount() const { return m_count; }
    std::pair<int64_t, int64_t> timeWindow() const { return m_window; }

    store::CaseQueries* queries() { return m_queries.get(); } // UI thread only
    std::shared_ptr<const store::CaseIndex> index() const { return m_index; }
    bool indexLoading() const { return m_indexRunning; }
    qint64 indexLoadMs() const { return m_indexMs; }

    Custody custody() const { return m_custody; }
    QString custodyText() const;   // "intact", "TAMPERED", "unpinned key gw-2026", ...
    QString custodyDetail() const; // the first problem or the keys, for a tooltip

    // Blocks (running the event loop) until the index is loaded; false on timeout. For tests and --screenshot.
    bool waitForIndex(int timeoutMs = 30000);

    // Runs fn on a worker thread with its own read-only connection to this case.
    template <class T>
    QFuture<Result<T>> runQuery(std::function<Result<T>(store::CaseQueries&)> fn) const;

signals:
    void opened();
    void closed();
    void reloaded();
    void indexProgress(int percent);
    void indexReady();
    void indexFailed(); // the index load ended without an index (index() is null)
    void custodyChanged();
    void shuttingDown();

private:
    void startIndex();
    void startCustody();
    void readFigures();

    QString m_path, m_title;
    std::unique_ptr<store::CaseQueries> m_queries;
    std::shared_ptr<const store::CaseIndex> m_index;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    ProgressRelay m_indexProgress;
    int m_indexPercent = -1;
    bool m_indexRunning = false;
    qint64 m_indexMs = 0;
    int m_generation = 0;
    int64_t m_count = 0;
    std::pair<int64_t, int64_t> m_window{0, 0};
    Custody m_custody = Custody::Unknown;
    QString m_custodyText, m_custodyDetail;
};

Result<std::unique_ptr<store::CaseQueries>> openQueries(const QString& path);

// The pool the workbench's background jobs (index, analysis, layout, queries, imports) run on. Not Qt's global pool:
// Qt 6.4's raster paint engine splits large fills across QThreadPool::globalInstance() and waits for them, so long
// jobs there would hold the window's painting back until they finish.
QThreadPool* workPool();
// Drops the pool's jobs not started yet and waits (bounded, 15 s) for those running: a custody check has no cancel,
// and a cancelled index load or analysis needs a moment to notice. Runs at the application object's destruction and
// at exit; a program that tears down widgets or the application object itself calls it first.
void drainWorkPool();

template <class T>
QFuture<Result<T>> CaseContext::runQuery(std::function<Result<T>(store::CaseQueries&)> fn) const
{
    const QString path = m_path;
    return QtConcurrent::run(workPool(), [path, fn]() -> Result<T> {
        auto q = openQueries(path);
        if (!q) return q.error();
        return fn(**q);
    });
}

} // namespace chainsight::views
