// Runs core analysis off the UI thread for the open case and caches the report; see AnalysisService.h.
#include "views/AnalysisService.h"

#include "core/store/CaseStore.h"
#include "views/CaseContext.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace chainsight::views {

AnalysisService::AnalysisService(CaseContext* context, QObject* parent) : QObject(parent), m_context(context)
{
    connect(m_context, &CaseContext::opened, this, &AnalysisService::start);
    connect(m_context, &CaseContext::reloaded, this, &AnalysisService::start);
    connect(m_context, &CaseContext::closed, this, &AnalysisService::clear);
    if (m_context->isOpen()) start();
}

AnalysisService::~AnalysisService()
{
    if (m_cancel) m_cancel->store(true);
}

void AnalysisService::refresh()
{
    if (m_context->isOpen()) start();
}

void AnalysisService::clear()
{
    if (m_cancel) m_cancel->store(true);
    ++m_generation;
    const bool had = m_report || m_running;
    m_report.reset();
    m_rowids.clear();
    m_running = false;
    m_error.clear();
    if (had) emit cleared();
}

void AnalysisService::start()
{
    if (m_cancel) m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const int gen = ++m_generation;
    const QString path = m_context->path();
    auto cancel = m_cancel;
    m_running = true;
    m_error.clear();
    m_report.reset();
    m_rowids.clear();
    emit started();
    using R = Result<std::shared_ptr<const analysis::AnalysisReport>>;
    auto* watcher = new QFutureWatcher<R>(this);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen, timer] {
        watcher->deleteLater();
        if (gen != m_generation) return; // superseded by a newer open, reload or close
        m_running = false;
        m_ms = timer->elapsed();
        R r = watcher->result();
        if (!r) {
            m_error = r.error().toString();
            emit failed(m_error);
            return;
        }
        m_report = std::move(*r);
        emit ready();
    });
    watcher->setFuture(QtConcurrent::run(workPool(), [path, cancel]() -> R {
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::ReadOnly;
        auto st = store::CaseStore::open(path, o);
        if (!st) return st.error();
        analysis::AnalysisOptions options;
        options.cancel = cancel.get();
        auto rep = analysis::analyzeCase(**st, options);
        if (!rep) return rep.error();
        return std::make_shared<const analysis::AnalysisReport>(std::move(*rep));
    }));
}

bool AnalysisService::waitUntilReady(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (m_running && t.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return !m_running;
}

int64_t AnalysisService::rowidOf(const std::string& eventId) const
{
    if (eventId.empty() || !m_context->isOpen() || !m_context->queries()) return 0;
    if (auto it = m_rowids.find(eventId); it != m_rowids.end()) return it->second;
    auto r = m_context->queries()->findEvent(eventId);
    const int64_t rowid = r ? *r : 0;
    m_rowids.emplace(eventId, rowid);
    return rowid;
}

} // namespace chainsight::views
