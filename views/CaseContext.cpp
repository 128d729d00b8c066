// Opening a case for the panels, loading its index and checking custody in the background.
#include "views/CaseContext.h"

#include "core/crypto/Crypto.h"
#include "core/custody/CaseVerifier.h"
#include "core/store/CaseStore.h"
#include "views/Theme.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdlib>

namespace chainsight::views {

void drainWorkPool()
{
    workPool()->clear();
    if (!workPool()->waitForDone(15000))
        qWarning("chainsight: %d background job(s) still running after 15 s; exiting without them",
                 workPool()->activeThreadCount());
}

QThreadPool* workPool()
{
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool; // lives until exit: jobs may still be winding down when statics are destroyed
        p->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        // Drained when the application object is destroyed, at the end of main: before exit() destroys the
        // function-local statics the jobs use (the analysis's phrase tables are made on first use, after the
        // pool, so an atexit handler registered here would run after they are gone: a cancelled analysis
        // still finishing a batch crashed the test programs at exit). The window already waits for its jobs
        // when it closes; this covers code that exits without one. atexit stays for programs without a
        // QCoreApplication.
        qAddPostRoutine(drainWorkPool);
        crypto::initialise(); // so that OpenSSL's exit handler runs after ours (see there)
        std::atexit(drainWorkPool);
        return p;
    }();
    return pool;
}

Result<std::unique_ptr<store::CaseQueries>> openQueries(const QString& path) { return store::CaseQueries::open(path); }

CaseContext::CaseContext(QObject* parent)
    : QObject(parent), m_indexProgress(this, [this](int64_t done, int64_t total) {
          const int pct = total > 0 ? static_cast<int>(done * 100 / total) : 100;
          if (pct == m_indexPercent) return;
          m_indexPercent = pct;
          emit indexProgress(pct);
      })
{
}

CaseContext::~CaseContext()
{
    if (m_cancel) m_cancel->store(true);
}

Status CaseContext::open(const QString& path)
{
    auto q = store::CaseQueries::open(path);
    if (!q) return q.error();
    close();
    m_path = path;
    m_queries = std::move(*q);
    readFigures();
    emit opened();
    startIndex();
    startCustody();
    return {};
}

void CaseContext::close()
{
    if (!m_queries) return;
    if (m_cancel) m_cancel->store(true);
    ++m_generation;
    m_queries.reset();
    m_index.reset();
    m_indexProgress.stop();
    m_indexRunning = false;
    m_path.clear();
    m_title.clear();
    m_count = 0;
    m_window = {0, 0};
    m_custody = Custody::Unknown;
    emit closed();
}

void CaseContext::reload()
{
    if (!m_queries) return;
    readFigures();
    // The old index goes before the panels hear of the reload, so none reads the new data through it (the table
    // used to refresh through the old index and keep the old rows); they take the new one at indexReady().
    startIndex();
    emit reloaded();
    startCustody();
}

void CaseContext::readFigures()
{
    auto n = m_queries->eventCount();
    m_count = n ? *n : 0;
    auto w = m_queries->timeWindow();
    m_window = w ? *w : std::pair<int64_t, int64_t>{0, 0};
    auto t = m_queries->caseTitle();
    m_title = t && !t->empty() ? fromStd(*t) : QString();
}

void CaseContext::startIndex()
{
    if (m_cancel) m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto cancel = m_cancel;
    const int gen = ++m_generation;
    const QString path = m_path;
    m_index.reset(); // a reload's index is of the data before: no panel may take it for the new one
    m_indexRunning = true;
    m_indexPercent = -1;
    auto progress = m_indexProgress.start();
    auto* watcher = new QFutureWatcher<Result<std::shared_ptr<const store::CaseIndex>>>(this);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen, timer] {
        watcher->deleteLater();
        if (gen != m_generation) return;
        m_indexProgress.poll(); // the last figures before the outcome
        m_indexProgress.stop();
        m_indexRunning = false;
        auto r = watcher->result();
        if (!r) {
            emit indexFailed(); // cancelled or failed: the panels that need it say so
            return;
        }
        m_index = *r;
        m_indexMs = timer->elapsed();
        emit indexReady();
    });
    // The job touches no QObject: it reports progress through the cell (see ProgressRelay.h).
    watcher->setFuture(QtConcurrent::run(workPool(), [path, cancel, progress]() -> Result<std::shared_ptr<const store::CaseIndex>> {
        auto q = store::CaseQueries::open(path);
        if (!q) return q.error();
        return (*q)->loadIndex(cancel.get(), [&](int64_t done, int64_t total) { progress->set(done, total); });
    }));
}

namespace {
struct CustodyResult
{
    CaseContext::Custody state = CaseContext::Custody::Unknown;
    QString text, detail;
};
} // namespace

void CaseContext::startCustody()
{
    m_custody = Custody::Checking;
    m_custodyText = tr("checking…");
    m_custodyDetail.clear();
    emit custodyChanged();
    const int gen = m_generation;
    const QString path = m_path;
    auto* watcher = new QFutureWatcher<CustodyResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen] {
        watcher->deleteLater();
        if (gen != m_generation) return;
        const CustodyResult r = watcher->result();
        m_custody = r.state;
        m_custodyText = r.text;
        m_custodyDetail = r.detail;
        emit custodyChanged();
    });
    watcher->setFuture(QtConcurrent::run(workPool(), [path]() {
        CustodyResult out;
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::ReadOnly;
        auto st = store::CaseStore::open(path, o);
        if (!st) {
            out.text = tr("unknown");
            out.detail = st.error().toString();
            return out;
        }
        auto rep = custody::verifyCase(**st, custody::VerifyDepth::Evidence);
        if (!rep) {
            out.text = tr("unknown");
            out.detail = rep.error().toString();
            return out;
        }
        if (!rep->intact()) {
            out.state = Custody::Tampered;
            out.text = tr("TAMPERED");
            out.detail = QStringLiteral("%1 problem(s); first: %2").arg(rep->problems.size()).arg(fromStd(rep->problems.front().toLine()));
            return out;
        }
        auto q = store::CaseQueries::open(path);
        std::vector<std::string> unpinned;
        if (q) {
            auto u = (*q)->unpinnedDecisionKeys();
            if (u) unpinned = *u;
        }
        if (!unpinned.empty()) {
            QStringList keys;
            for (const auto& k : unpinned) keys << fromStd(k);
            out.state = Custody::Unpinned;
            out.text = tr("intact · key unpinned");
            out.detail = tr("Evidence matches its recorded hashes, but the decision log is signed with %1, which no analyst pinned "
                            "(File ▸ Pin Key…).").arg(keys.join(QStringLiteral(", ")));
            return out;
        }
        out.state = Custody::Intact;
        out.text = tr("intact");
        out.detail = tr("%1 evidence file(s) and %2 custody entries match their recorded hashes; decision keys pinned.")
                         .arg(rep->filesValid)
                         .arg(rep->custodyValid);
        return out;
    }));
}

QString CaseContext::custodyText() const { return m_custodyText; }
QString CaseContext::custodyDetail() const { return m_custodyDetail; }

bool CaseContext::waitForIndex(int timeoutMs)
{
    if (m_index) return true;
    if (!m_indexRunning) return false;
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    connect(this, &CaseContext::indexReady, &loop, &QEventLoop::quit);
    loop.exec();
    return m_index != nullptr;
}

} // namespace chainsight::views
