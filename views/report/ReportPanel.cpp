// The report preview panel (see ReportPanel.h).
#include "views/report/ReportPanel.h"
#include "core/package/EvidencePackage.h"
#include "core/report/Exports.h"
#include "core/report/Redaction.h"
#include "core/store/CaseStore.h"
#include "views/AnalysisService.h"
#include "views/CaseContext.h"
#include "views/Workbench.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace chainsight::views {

namespace {
Result<report::ReportData> collect(const QString& path, const report::CollectOptions& options)
{
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::ReadOnly;
    auto cs = store::CaseStore::open(path, o);
    if (!cs) return cs.error();
    auto d = report::collectReport(**cs, options);
    if (d) d->tool = QCoreApplication::applicationVersion().toStdString();
    return d;
}

void loadImages(QTextDocument* doc, const report::RenderedReport& r)
{
    for (const auto& [name, img] : r.images)
        doc->addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("cs-image:") + name), QVariant(img));
}
} // namespace

ReportPanel::ReportPanel(const Workbench& wb, QWidget* parent)
    : QWidget(parent), m_context(wb.context), m_analysis(wb.analysis), m_window(wb.window)
{
    setObjectName(QStringLiteral("ReportPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* bar = new QHBoxLayout;
    auto addButton = [&](const QString& text, const QString& tip, void (ReportPanel::*slot)()) {
        auto* a = new QAction(text, this);
        a->setToolTip(tip);
        a->setEnabled(false);
        connect(a, &QAction::triggered, this, slot);
        auto* b = new QToolButton(this);
        b->setDefaultAction(a);
        bar->addWidget(b);
        m_actions << a;
        return a;
    };
    addButton(tr("Refresh"), tr("Analyse the case again and rebuild the report"), &ReportPanel::rebuild);
    addButton(tr("Export…"), tr("Write the incident report as PDF or HTML"), &ReportPanel::exportReport);
    addButton(tr("Legal copy…"), tr("Write the legal review copy: secrets and personal data masked, exhibits numbered"),
              &ReportPanel::exportLegalCopy);
    addButton(tr("Package…"), tr("Write the signed evidence package (.zip)"), &ReportPanel::exportPackage);
    bar->addStretch(1);
    layout->addLayout(bar);
    m_status = new QLabel(tr("Open a case to see its report."), this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_browser = new QTextBrowser(this);
    m_browser->setOpenLinks(false);
    layout->addWidget(m_browser, 1);

    // Built from the window's analysis and index once both are ready for this case: after an open or reload they
    // restart (the refresh is queued, so it sees them running), and whichever finishes second builds the preview.
    // Without an analysis service, collectReport runs the analysis itself.
    if (m_analysis) {
        connect(m_analysis, &AnalysisService::ready, this, &ReportPanel::refresh);
        connect(m_analysis, &AnalysisService::failed, this, &ReportPanel::refresh);
    }
    if (m_context) {
        auto later = [this] { QTimer::singleShot(0, this, &ReportPanel::refresh); };
        connect(m_context, &CaseContext::opened, this, later);
        connect(m_context, &CaseContext::reloaded, this, later);
        connect(m_context, &CaseContext::indexReady, this, &ReportPanel::refresh);
        connect(m_context, &CaseContext::indexFailed, this, &ReportPanel::refresh);
        connect(m_context, &CaseContext::shuttingDown, this, &ReportPanel::cancelBuild);
        connect(m_context, &CaseContext::closed, this, [this] {
            cancelBuild();
            ++m_generation;
            m_data.reset();
            m_rendered.reset();
            m_browser->clear();
            m_status->setText(tr("Open a case to see its report."));
            enableActions(false, false);
        });
        if (m_context->isOpen()) refresh();
    }
    installMenuActions();
}

ReportPanel::~ReportPanel()
{
    ++m_generation;
}

QString ReportPanel::previewHtml() const
{
    return m_rendered ? m_rendered->html : QString();
}

void ReportPanel::installMenuActions()
{
    auto* mw = qobject_cast<QMainWindow*>(m_window);
    if (!mw) return;
    for (QAction* top : mw->menuBar()->actions()) {
        if (!top->menu() || top->text().remove(QLatin1Char('&')) != QLatin1String("File")) continue;
        QMenu* sub = new QMenu(tr("Export &Report"), top->menu());
        sub->addAction(m_actions[1]);
        sub->addAction(m_actions[2]);
        sub->addAction(m_actions[3]);
        const auto acts = top->menu()->actions();
        top->menu()->insertMenu(acts.size() > 1 ? acts[acts.size() - 1] : nullptr, sub);
        return;
    }
}

void ReportPanel::enableActions(bool exports, bool refresh)
{
    m_actions[0]->setEnabled(refresh);
    for (int i = 1; i < m_actions.size(); ++i)
        m_actions[i]->setEnabled(exports);
}

void ReportPanel::setBusy(const QString& message)
{
    m_status->setText(message);
}

// A build in flight is for data that is about to change or go: it stops at its next kill-chain step (on a case
// whose kill chain runs to thousands of steps it would otherwise hold the work pool, and the window's exit, for
// tens of seconds).
void ReportPanel::cancelBuild()
{
    if (m_cancel) m_cancel->store(true);
    m_cancel.reset();
}

void ReportPanel::refresh()
{
    cancelBuild();
    if (!m_context || !m_context->isOpen()) return;
    if ((m_analysis && m_analysis->isRunning()) || m_context->indexLoading()) {
        ++m_generation;             // a build in flight is for data about to change
        enableActions(false, false); // the preview shown is of the data before: not to be exported
        setBusy(tr("Waiting for the analysis and the index…"));
        return;
    }
    if (m_analysis && !m_analysis->report()) {
        ++m_generation;
        enableActions(false, true); // to try again
        setBusy(tr("The report could not be built: the analysis failed (%1)").arg(m_analysis->errorText()));
        return;
    }
    report::CollectOptions options; // what is null here, collectReport computes
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    options.cancel = m_cancel.get(); // kept alive by the job's copy of m_cancel
    if (m_analysis) options.analysis = m_analysis->report();
    options.index = m_context->index(); // null when its load failed
    const int gen = ++m_generation;
    const QString path = m_context->path();
    setBusy(tr("Building the report…"));
    enableActions(false, false);
    auto* watcher =
        new QFutureWatcher<std::pair<Result<report::ReportData>, std::shared_ptr<report::RenderedReport>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen] {
        watcher->deleteLater();
        if (gen != m_generation) return;
        auto [data, rendered] = watcher->result();
        enableActions(false, true);
        if (!data) {
            setBusy(tr("The report could not be built: %1").arg(data.error().toString()));
            return;
        }
        m_data = std::make_shared<report::ReportData>(std::move(*data));
        if (!rendered) {
            setBusy(tr("The report could not be built."));
            return;
        }
        showPreview(*rendered);
        m_rendered = rendered;
        enableActions(true, true);
        setBusy(tr("%1 · %2 kill-chain step(s), %3 finding(s), %4 evidence file(s)")
                    .arg(report::fromStd(m_data->title))
                    .arg(m_data->killChain.size())
                    .arg(m_data->analysis.findings.size())
                    .arg(m_data->evidence.size()));
        emit previewReady();
    });
    watcher->setFuture(QtConcurrent::run(workPool(), [path, options, cancel = m_cancel] {
        auto d = collect(path, options);
        std::shared_ptr<report::RenderedReport> r;
        if (d) {
            auto rr = report::renderReport(*d, {});
            if (rr) r = std::make_shared<report::RenderedReport>(std::move(*rr));
        }
        return std::make_pair(std::move(d), r);
    }));
}

void ReportPanel::rebuild()
{
    if (m_analysis && m_context && m_context->isOpen() && !m_analysis->isRunning()) m_analysis->refresh(); // ready() rebuilds
    refresh();
}

void ReportPanel::showPreview(const report::RenderedReport& r)
{
    loadImages(m_browser->document(), r);
    m_browser->setHtml(r.html);
}

void ReportPanel::record(const std::string& kind, const QString& file)
{
    if (auto s = report::recordExport(m_context->path(), kind, file); !s)
        QMessageBox::warning(
            this, tr("Custody"),
            tr("The export was written but not recorded in the custody log: %1").arg(s.error().toString()));
}

void ReportPanel::exportReport()
{
    if (!m_rendered) return;
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export incident report"), QString(), tr("PDF (*.pdf);;HTML (*.html)"));
    if (file.isEmpty()) return;
    if (auto s = report::writeReport(*m_rendered, file); !s) {
        QMessageBox::warning(this, tr("Export"), s.error().toString());
        return;
    }
    record("report", file);
    setBusy(tr("Wrote %1").arg(file));
}

void ReportPanel::exportLegalCopy()
{
    if (!m_data) return;
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export legal review copy"), QString(), tr("PDF (*.pdf);;HTML (*.html)"));
    if (file.isEmpty()) return;
    report::Redactor redactor = report::Redactor::defaults();
    report::RenderOptions o;
    o.redactor = &redactor;
    auto r = report::renderReport(*m_data, o);
    if (!r) {
        QMessageBox::warning(this, tr("Legal copy"), r.error().toString());
        return;
    }
    if (auto s = report::writeReport(*r, file); !s) {
        QMessageBox::warning(this, tr("Legal copy"), s.error().toString());
        return;
    }
    record("legal-copy", file);
    openReadOnly(*r, file);
}

void ReportPanel::openReadOnly(const report::RenderedReport& r, const QString& file)
{
    auto* dlg = new QDialog(this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setWindowTitle(tr("Legal review copy (read-only) — %1").arg(file));
    auto* l = new QVBoxLayout(dlg);
    auto* info = new QLabel(
        tr("%1 item(s) masked. This copy is read-only; every original is named by its SHA-256.").arg(r.redactions),
        dlg);
    l->addWidget(info);
    auto* view = new QTextBrowser(dlg);
    view->setObjectName(QStringLiteral("LegalCopyView"));
    view->setReadOnly(true);
    view->setOpenLinks(false);
    loadImages(view->document(), r);
    view->setHtml(r.html);
    l->addWidget(view, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dlg);
    connect(buttons, &QDialogButtonBox::rejected, dlg, &QDialog::close);
    l->addWidget(buttons);
    dlg->resize(900, 800);
    dlg->show();
}

void ReportPanel::exportPackage()
{
    if (!m_data || !m_rendered) return;
    const QString key = QFileDialog::getOpenFileName(this, tr("Signing key (Ed25519 private key, PEM)"), QString(),
                                                     tr("PEM (*.pem);;All files (*)"));
    if (key.isEmpty()) return;
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export evidence package"), QString(), tr("Evidence package (*.zip)"));
    if (file.isEmpty()) return;
    QFile f(key);
    if (!f.open(QIODevice::ReadOnly)) {
        QMessageBox::warning(this, tr("Package"), tr("%1: %2").arg(key, f.errorString()));
        return;
    }
    package::PackageOptions po;
    po.privateKeyPem = f.read(1 << 20);
    po.tool = "chainsight " + QCoreApplication::applicationVersion().toStdString();
    auto pdf = report::renderPdf(*m_rendered);
    if (pdf) po.extra.push_back({"report/report.pdf", "report", *pdf});
    po.extra.push_back({"report/report.html", "report", report::standaloneHtml(*m_rendered)});
    po.extra.push_back({"exports/atlas-layer.json", "export", report::atlasLayerJson(*m_data)});
    po.extra.push_back({"exports/stix-bundle.json", "export", report::stixBundleJson(*m_data)});
    setBusy(tr("Writing the evidence package…"));
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::ReadOnly;
    auto cs = store::CaseStore::open(m_context->path(), o);
    if (!cs) {
        QMessageBox::warning(this, tr("Package"), cs.error().toString());
        return;
    }
    auto s = package::writePackage(**cs, file, po);
    cs->reset();
    if (!s) {
        QMessageBox::warning(this, tr("Package"), s.error().toString());
        setBusy(tr("The package was not written."));
        return;
    }
    record("package", file);
    setBusy(tr("Wrote %1: %2 files, signed by key %3")
                .arg(file)
                .arg(s->files)
                .arg(report::fromStd(s->keyId.substr(0, 16))));
}

} // namespace chainsight::views
