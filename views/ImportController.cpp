// The background import; see ImportController.h.
#include "views/ImportController.h"

#include "views/CaseContext.h"

#include <QEventLoop>
#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace chainsight::views {

namespace {
struct Outcome
{
    bool ok = false, cancelled = false;
    QString message;
};
} // namespace

ImportController::ImportController(ImportFunction fn, QObject* parent)
    : QObject(parent), m_fn(std::move(fn)),
      m_progress(this, [this](int64_t done, int64_t total) { emit progress(done, total); })
{
}

ImportController::~ImportController()
{
    if (m_cancel) m_cancel->store(true);
}

void ImportController::start(const QString& casePath, const QString& bundlePath)
{
    if (m_running) return;
    m_running = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto cancel = m_cancel;
    auto fn = m_fn;
    auto cell = m_progress.start();
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, casePath] {
        watcher->deleteLater();
        m_progress.poll(); // the last figures before the outcome
        m_progress.stop();
        m_running = false;
        const Outcome o = watcher->result();
        emit finished(o.ok, o.cancelled, o.message, casePath);
    });
    // The job touches no QObject: it reports progress through the cell (see ProgressRelay.h).
    watcher->setFuture(QtConcurrent::run(workPool(), [fn, casePath, bundlePath, cancel, cell] {
        Outcome o;
        QString summary;
        auto progress = [&](int64_t done, int64_t total) { cell->set(done, total); };
        Status s = fn(casePath, bundlePath, cancel.get(), progress, &summary);
        o.ok = s.ok();
        o.cancelled = !s.ok() && (s.error().code == ErrorCode::Cancelled || cancel->load());
        o.message = s.ok() ? summary : (o.cancelled ? tr("Import cancelled; the case is unchanged.") : s.error().toString());
        return o;
    }));
}

void ImportController::cancel()
{
    if (m_cancel) m_cancel->store(true);
}

bool ImportController::wait(int timeoutMs)
{
    if (!m_running) return true;
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    connect(this, &ImportController::finished, &loop, &QEventLoop::quit);
    loop.exec();
    return !m_running;
}

} // namespace chainsight::views
