// The background import; see ImportController.h.
#include "views/ImportController.h"

#include "views/CaseContext.h"

#include <QEventLoop>
#include <QFutureWatcher>
#include <QPointer>
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

ImportController::ImportController(ImportFunction fn, QObject* parent) : QObject(parent), m_fn(std::move(fn)) {}

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
    QPointer<ImportController> self(this);
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, casePath] {
        watcher->deleteLater();
        m_running = false;
        const Outcome o = watcher->result();
        emit finished(o.ok, o.cancelled, o.message, casePath);
    });
    watcher->setFuture(QtConcurrent::run(workPool(), [fn, casePath, bundlePath, cancel, self] {
        Outcome o;
        QString summary;
        qint64 lastEmit = -1;
        auto progress = [&](int64_t done, int64_t total) {
            const qint64 step = total > 0 ? done * 200 / total : done >> 20;
            if (step == lastEmit || !self) return;
            lastEmit = step;
            QMetaObject::invokeMethod(self.data(), [self, done, total] { if (self) emit self->progress(done, total); }, Qt::QueuedConnection);
        };
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
