// Runs an import on a worker thread with progress and cancel. The import itself is injected (the app passes
// importers::importPath), so the views depend on core only. Cancelling leaves the case as it was: the importer
// writes in one transaction and rolls it back.
#pragma once

#include "core/Result.h"
#include "views/ProgressRelay.h"
#include "views/Workbench.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace chainsight::views {

class ImportController : public QObject
{
    Q_OBJECT
public:
    using ImportFunction = views::ImportFunction; // views/Workbench.h

    explicit ImportController(ImportFunction fn, QObject* parent = nullptr);
    ~ImportController() override;

    bool isRunning() const { return m_running; }
    void start(const QString& casePath, const QString& bundlePath);
    void cancel();
    // Blocks (running the event loop) until the import is over. For tests and the command line.
    bool wait(int timeoutMs = 600000);

signals:
    void progress(qint64 done, qint64 total);
    // ok: imported; cancelled: the analyst stopped it (the case is unchanged); message: the summary or the error.
    void finished(bool ok, bool cancelled, const QString& message, const QString& casePath);

private:
    ImportFunction m_fn;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    ProgressRelay m_progress;
    bool m_running = false;
};

} // namespace chainsight::views
