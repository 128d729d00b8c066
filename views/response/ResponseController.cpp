// The response workflow of the open case for the GUI; see ResponseController.h.
#include "views/response/ResponseController.h"

#include "core/store/CaseStore.h"
#include "views/AnalysisService.h"
#include "views/CaseContext.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QUndoCommand>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

namespace chainsight::views {

namespace {
class EditCommand : public QUndoCommand
{
public:
    EditCommand(ResponseController* c, response::Edit e) : m_c(c), m_e(std::move(e))
    {
        setText(QString::fromStdString(m_e.label));
    }
    void redo() override
    {
        if (m_first) { // applied before it was pushed
            m_first = false;
            return;
        }
        m_c->applyEdit(m_e, false);
    }
    void undo() override { m_c->applyEdit(m_e, true); }

private:
    ResponseController* m_c;
    response::Edit m_e;
    bool m_first = true;
};
} // namespace

ResponseController::ResponseController(CaseContext* context, QObject* parent, AnalysisService* analysis)
    : QObject(parent), m_context(context), m_analysis(analysis), m_dir(response::defaultPlaybookDir()),
      m_undo(new QUndoStack(this))
{
    if (m_analysis) {
        connect(m_analysis, &AnalysisService::ready, this, [this] {
            if (m_case) adoptReport(m_analysis->report());
        });
        connect(m_analysis, &AnalysisService::failed, this, [this](const QString& why) {
            if (!m_analysisRunning) return;
            m_analysisRunning = false;
            emit message(tr("Analysis failed: %1").arg(why), true);
            emit changed();
            emit analysisFinished();
        });
    }
    if (m_context) {
        connect(m_context, &CaseContext::opened, this, [this] { (void)openCase(m_context->path()); });
        connect(m_context, &CaseContext::closed, this, &ResponseController::closeCase);
        connect(m_context, &CaseContext::reloaded, this, [this] {
            if (m_case) (void)m_case->reload();
            startAnalysis();
        });
        if (m_context->isOpen()) (void)openCase(m_context->path());
    }
}

ResponseController::~ResponseController()
{
    // Release the case without telling anyone: the panel that listens is usually our parent, already half
    // destroyed (its destructor runs first and deletes us among its children), so a slot of it must not run.
    blockSignals(true);
    m_undo->blockSignals(true);
    closeCase();
}

Status ResponseController::openCase(const QString& path)
{
    closeCase();
    auto lib = response::loadPlaybookLibrary(m_dir);
    if (!lib) {
        m_libraryError = lib.error().toString();
        emit message(tr("Playbooks not loaded: %1").arg(m_libraryError), true);
        emit changed();
        return lib.error();
    }
    m_libraryError.clear();
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::OpenExisting;
    auto st = store::CaseStore::open(path, o);
    if (!st) {
        // A case on read-only media: show the response, refuse edits.
        o.mode = store::OpenOptions::Mode::ReadOnly;
        st = store::CaseStore::open(path, o);
        if (!st) {
            emit message(st.error().toString(), true);
            return st.error();
        }
    }
    m_store = std::move(*st);
    auto rc = response::ResponseCase::open(*m_store, std::move(*lib));
    if (!rc) {
        m_store.reset();
        emit message(rc.error().toString(), true);
        return rc.error();
    }
    m_case = std::move(*rc);
    emit changed();
    startAnalysis();
    return {};
}

void ResponseController::closeCase()
{
    ++m_generation;
    m_undo->clear();
    m_case.reset();
    m_store.reset();
    m_report.reset();
    m_analysisRunning = false;
    emit changed();
}

void ResponseController::adoptReport(std::shared_ptr<const analysis::AnalysisReport> report)
{
    m_analysisRunning = false;
    m_report = std::move(report);
    if (m_report && m_case && !m_case->readOnly()) {
        auto s = m_case->recordMachineProposal(*m_report);
        if (!s) emit message(s.error().toString(), true);
    }
    emit changed();
    emit analysisFinished();
}

void ResponseController::startAnalysis()
{
    if (!m_store) return;
    if (m_analysis) {
        // The window's analysis of the same case: take its report now, or when its run finishes.
        if (!m_analysis->isRunning() && m_analysis->report()) adoptReport(m_analysis->report());
        else m_analysisRunning = true;
        return;
    }
    const QString path = m_store->path();
    const int gen = ++m_generation;
    m_analysisRunning = true;
    auto* watcher = new QFutureWatcher<Result<analysis::AnalysisReport>>(this);
    connect(watcher, &QFutureWatcher<Result<analysis::AnalysisReport>>::finished, this, [this, watcher, gen] {
        watcher->deleteLater();
        if (gen != m_generation) return;
        m_analysisRunning = false;
        auto r = watcher->result();
        if (!r) {
            emit message(tr("Analysis failed: %1").arg(r.error().toString()), true);
            emit changed();
            emit analysisFinished();
            return;
        }
        adoptReport(std::make_shared<const analysis::AnalysisReport>(std::move(*r)));
    });
    watcher->setFuture(QtConcurrent::run(workPool(), [path]() -> Result<analysis::AnalysisReport> {
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::ReadOnly;
        auto st = store::CaseStore::open(path, o);
        if (!st) return st.error();
        return analysis::analyzeCase(**st);
    }));
}

bool ResponseController::waitForAnalysis(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (m_analysisRunning && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return !m_analysisRunning;
}

bool ResponseController::perform(Result<response::Edit> edit)
{
    if (!m_case) return false;
    if (!edit) {
        emit message(edit.error().toString(), true);
        return false;
    }
    response::Edit e = std::move(*edit);
    if (!applyEdit(e, false)) return false;
    m_undo->push(new EditCommand(this, std::move(e)));
    return true;
}

bool ResponseController::applyEdit(response::Edit& e, bool undo)
{
    if (!m_case) return false;
    Status s = undo ? m_case->revert(e) : m_case->apply(e);
    if (!s) emit message(s.error().toString(), true);
    emit changed();
    return s.ok();
}

} // namespace chainsight::views
