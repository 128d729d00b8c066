// The Containment panel.
#include "views/containment/ContainmentPanel.h"

#include "core/custody/Custody.h"
#include "core/store/CaseStore.h"
#include "views/AnalysisService.h"
#include "views/CaseContext.h"
#include "views/containment/ActionsModel.h"
#include "views/containment/BackendDialog.h"

#include <QCheckBox>
#include <QStyle>
#include <QTextCursor>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chainsight::views {

using namespace chainsight::containment;

namespace {
QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

std::shared_ptr<CredentialStore> defaultCredentials()
{
    const QString file = qEnvironmentVariable("CHAINSIGHT_CREDENTIALS");
    if (!file.isEmpty()) {
        auto f = FileCredentialStore::open(file);
        if (f) return std::shared_ptr<CredentialStore>(std::move(*f));
    }
    return std::shared_ptr<CredentialStore>(makeKeychainStore());
}
} // namespace

ContainmentPanel::ContainmentPanel(const Workbench& wb, QWidget* parent) : QWidget(parent), m_wb(wb)
{
    setObjectName(QStringLiteral("ContainmentPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* top = new QHBoxLayout;
    m_summary = new QLabel(this);
    auto* suggestBtn = new QPushButton(tr("Suggest"), this);
    auto* backendsBtn = new QPushButton(tr("Backends…"), this);
    auto* reconcileBtn = new QPushButton(tr("Reconcile unknown"), this);
    suggestBtn->setToolTip(
        tr("Propose actions from the analysis: tokens, sessions, service account, tools, automations"));
    reconcileBtn->setToolTip(tr("Send actions whose outcome is unknown again with the same idempotency key"));
    // The summary on its own line above the buttons, wrapped: in a dock a quarter of the screen wide, one row
    // of both pushed the buttons out of sight.
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    top->addWidget(suggestBtn);
    top->addWidget(backendsBtn);
    top->addWidget(reconcileBtn);
    top->addStretch(1);
    layout->addLayout(top);
    connect(suggestBtn, &QPushButton::clicked, this, &ContainmentPanel::refreshSuggestions);
    connect(backendsBtn, &QPushButton::clicked, this, &ContainmentPanel::openBackends);
    connect(reconcileBtn, &QPushButton::clicked, this, &ContainmentPanel::reconcileAll);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_suggestionView = new QTreeWidget(split);
    m_suggestionView->setHeaderLabels({tr("Stage"), tr("Action"), tr("Target"), tr("Backend"), tr("Why")});
    m_suggestionView->setRootIsDecorated(false);
    m_suggestionView->setAlternatingRowColors(true);
    m_suggestionView->header()->setStretchLastSection(true);
    connect(m_suggestionView, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item) return;
        const int i = m_suggestionView->indexOfTopLevelItem(item);
        if (i >= 0 && i < int(m_suggestions.size())) editorFromSuggestion(m_suggestions[size_t(i)]);
    });

    auto* editor = new QWidget(split);
    auto* form = new QFormLayout(editor);
    form->setContentsMargins(0, 4, 0, 4);
    m_action = new QComboBox(editor);
    for (const QString& n : actionNames())
        m_action->addItem(actionTitle(*actionFromName(n)) + QStringLiteral("  (") + n + ')', n);
    m_backend = new QComboBox(editor);
    // Sized by a few characters, not by the longest entry (the action titles run to 45): the full text shows
    // in the open list.
    m_action->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_action->setMinimumContentsLength(16);
    m_backend->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_backend->setMinimumContentsLength(8);
    m_target = new QLineEdit(editor);
    m_approver = new QLineEdit(editor);
    m_approver->setPlaceholderText(tr("second analyst (required for destructive actions)"));
    m_breakGlass = new QCheckBox(tr("Break glass"), editor);
    m_breakReason = new QLineEdit(editor);
    m_breakReason->setPlaceholderText(tr("reason (logged and flagged)"));
    m_breakReason->setEnabled(false);
    connect(m_breakGlass, &QCheckBox::toggled, m_breakReason, &QWidget::setEnabled);
    m_message = new QLineEdit(editor);
    m_message->setPlaceholderText(tr("notify: the message; others: optional reason"));
    auto* row1 = new QHBoxLayout;
    row1->addWidget(m_action, 2);
    row1->addWidget(new QLabel(tr("via"), editor));
    row1->addWidget(m_backend, 1);
    form->addRow(tr("Action"), row1);
    form->addRow(tr("Target"), m_target);
    auto* row2 = new QHBoxLayout;
    row2->addWidget(m_approver, 2);
    row2->addWidget(m_breakGlass);
    row2->addWidget(m_breakReason, 2);
    form->addRow(tr("Approved by"), row2);
    form->addRow(tr("Message"), m_message);
    auto* row3 = new QHBoxLayout;
    m_dryRunButton = new QPushButton(tr("Dry run"), editor);
    m_issueButton = new QPushButton(tr("Issue"), editor);
    m_issueButton->setDefault(true);
    m_status = new QLabel(editor);
    m_status->setWordWrap(true);
    row3->addWidget(m_dryRunButton);
    row3->addWidget(m_issueButton);
    row3->addWidget(m_status, 1);
    form->addRow(row3);
    connect(m_dryRunButton, &QPushButton::clicked, this, [this] { dryRun(); });
    connect(m_issueButton, &QPushButton::clicked, this, [this] { issue(); });
    connect(m_action, &QComboBox::currentIndexChanged, this, [this] {
        if (auto k = actionFromName(m_action->currentData().toString())) m_target->setPlaceholderText(targetHint(*k));
    });

    m_tabs = new QTabWidget(split);
    auto* actionsPage = new QWidget(split);
    auto* actionsLayout = new QVBoxLayout(actionsPage);
    actionsLayout->setContentsMargins(0, 0, 0, 0);
    m_actions = new ActionsModel(this);
    m_actionView = new QTableView(actionsPage);
    m_actionView->setModel(m_actions);
    m_actionView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_actionView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_actionView->verticalHeader()->hide();
    m_actionView->horizontalHeader()->setStretchLastSection(true);
    m_actionView->setWordWrap(false);
    actionsLayout->addWidget(m_actionView, 1);
    auto* actionButtons = new QHBoxLayout;
    auto* retryBtn = new QPushButton(tr("Retry / reconcile"), actionsPage);
    auto* reverseBtn = new QPushButton(tr("Reverse"), actionsPage);
    actionButtons->addWidget(retryBtn);
    actionButtons->addWidget(reverseBtn);
    actionButtons->addStretch(1);
    actionsLayout->addLayout(actionButtons);
    connect(retryBtn, &QPushButton::clicked, this, &ContainmentPanel::retrySelected);
    connect(reverseBtn, &QPushButton::clicked, this, &ContainmentPanel::reverseSelected);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_dryRun = new QPlainTextEdit(m_tabs);
    m_dryRun->setReadOnly(true);
    m_dryRun->setFont(mono);
    m_dryRun->setPlaceholderText(tr("Dry run shows the exact request here, secrets masked. Nothing is sent."));
    m_tabs->addTab(m_dryRun, tr("Dry run"));
    m_receipts = new QPlainTextEdit(m_tabs);
    m_receipts->setReadOnly(true);
    m_receipts->setFont(mono);
    m_receipts->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_tabs->addTab(m_receipts, tr("Receipts (custody)"));

    split->addWidget(m_suggestionView);
    split->addWidget(editor);
    split->addWidget(actionsPage);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 0);
    split->setStretchFactor(2, 2);
    split->setStretchFactor(3, 2);
    layout->addWidget(split, 1);

    m_credentials = defaultCredentials();
    {
        QSettings s;
        m_backends = loadBackends(s);
        m_settings = loadSettings(s);
    }
    if (m_wb.context) {
        connect(m_wb.context, &CaseContext::opened, this, &ContainmentPanel::caseOpened);
        connect(m_wb.context, &CaseContext::reloaded, this, &ContainmentPanel::caseOpened);
        connect(m_wb.context, &CaseContext::closed, this, &ContainmentPanel::caseClosed);
    }
    if (m_wb.analysis) connect(m_wb.analysis, &AnalysisService::ready, this, &ContainmentPanel::refreshSuggestions);
    caseClosed();
    if (m_wb.context && m_wb.context->isOpen()) caseOpened();
}

ContainmentPanel::~ContainmentPanel() = default;

void ContainmentPanel::setCredentialStore(std::shared_ptr<CredentialStore> store)
{
    m_credentials = std::move(store);
    reloadBackends();
}

void ContainmentPanel::reloadBackends()
{
    QSettings s;
    m_backends = loadBackends(s);
    m_settings = loadSettings(s);
    if (m_wb.context && m_wb.context->isOpen()) caseOpened();
}

void ContainmentPanel::caseOpened()
{
    m_service.reset();
    m_store.reset();
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::OpenExisting;
    auto cs = store::CaseStore::open(m_wb.context->path(), o);
    if (!cs) {
        // A read-only case (or one another program holds) can still be looked at; nothing can be issued.
        say(tr("Containment unavailable: %1").arg(cs.error().toString()), true);
        setEnabled(true);
        return;
    }
    m_store = std::move(*cs);
    m_service = std::make_unique<ContainmentService>(*m_store, *m_credentials, m_backends, m_settings);
    m_service->setObserver([this](const store::ActionRecord& r, const QString& p) { actionChanged(r, p); });
    auto n = m_service->markInterrupted();
    if (n && *n > 0)
        say(tr("%n action(s) were in flight when the app last ended: outcome unknown. Reconcile them.", nullptr, *n),
            true);
    m_backend->clear();
    for (const auto& b : m_backends)
        m_backend->addItem(b.name + QStringLiteral(" (") + backendKindName(b.kind) + ')', b.name);
    m_summary->setText(
        tr("%n backend(s) · approval %1 · secrets in %2", nullptr, int(m_backends.size()))
            .arg(m_settings.requireApproval ? tr("required for destructive actions") : tr("not required"),
                 m_credentials->describe()));
    m_dryRunButton->setEnabled(true);
    m_issueButton->setEnabled(true);
    refreshActions();
    refreshReceipts();
    refreshSuggestions();
}

void ContainmentPanel::caseClosed()
{
    m_service.reset();
    m_store.reset();
    m_suggestions.clear();
    m_suggestionView->clear();
    m_actions->setActions({});
    m_receipts->clear();
    m_dryRunButton->setEnabled(false);
    m_issueButton->setEnabled(false);
    m_summary->setText(tr("No case open."));
    sayAboutSuggestions(QString());
}

void ContainmentPanel::refreshSuggestions()
{
    m_suggestionView->clear();
    m_suggestions.clear();
    if (!m_store) return;
    std::shared_ptr<const analysis::AnalysisReport> report;
    if (m_wb.analysis) report = m_wb.analysis->report();
    if (!report) {
        if (m_wb.analysis && m_wb.analysis->isRunning()) {
            sayAboutSuggestions(tr("Waiting for the analysis…"));
            return;
        }
        // No shared analysis: run it here (the case is small enough for the UI thread only in tests; the workbench
        // always has the shared service).
        auto r = analysis::analyzeCase(*m_store);
        if (!r) {
            say(r.error().toString(), true);
            return;
        }
        report = std::make_shared<analysis::AnalysisReport>(std::move(*r));
    }
    auto baselines = m_store->baselines();
    m_suggestions = suggest(*report, baselines ? *baselines : std::vector<AgentBaseline>{}, m_backends);
    for (const auto& s : m_suggestions) {
        auto* item = new QTreeWidgetItem(m_suggestionView);
        item->setText(0, s.stage);
        item->setText(1, actionName(s.spec.kind));
        item->setText(2, s.spec.target);
        item->setText(3, s.spec.backend.isEmpty()
                             ? tr("(no %1 backend)").arg(backendKindName(backendKindFor(s.spec.kind)))
                             : s.spec.backend);
        item->setText(4, s.why);
        item->setToolTip(4, s.why);
        if (isDestructive(s.spec.kind)) item->setIcon(1, style()->standardIcon(QStyle::SP_MessageBoxWarning));
    }
    for (int c = 0; c < 4; ++c)
        m_suggestionView->resizeColumnToContents(c);
    // Only over an earlier word about the suggestions (or nothing): not over the outcome of an action.
    if (!m_statusAboutSuggestions) return;
    if (m_suggestions.empty())
        sayAboutSuggestions(report->type == analysis::IncidentType::None ? tr("No incident: nothing to suggest.")
                                                                         : tr("No suggestion."));
    else
        sayAboutSuggestions(tr("%n action(s) suggested from the analysis: pick one to edit it, then Dry run or Issue.", "",
               static_cast<int>(m_suggestions.size())));
}

void ContainmentPanel::refreshActions()
{
    if (!m_service) return;
    auto all = m_service->actions().list();
    if (all) m_actions->setActions(std::move(*all));
    m_actionView->resizeColumnsToContents();
}

void ContainmentPanel::refreshReceipts()
{
    if (!m_store) return;
    auto entries = m_store->custody();
    if (!entries) return;
    QStringList lines;
    for (const auto& e : *entries) {
        if (e.action.rfind("contain.", 0) != 0) continue;
        lines << QStringLiteral("#%1  %2  %3  %4  %5\n      %6")
                     .arg(e.seq)
                     .arg(q(e.ts), q(e.actor), q(e.action), q(e.target), q(e.detail));
    }
    m_receipts->setPlainText(lines.isEmpty() ? tr("No containment receipt yet.") : lines.join('\n'));
    m_receipts->moveCursor(QTextCursor::End);
}

void ContainmentPanel::editorFromSuggestion(const Suggestion& s)
{
    m_action->setCurrentIndex(m_action->findData(actionName(s.spec.kind)));
    const int b = m_backend->findData(s.spec.backend);
    if (b >= 0) m_backend->setCurrentIndex(b);
    m_target->setText(s.spec.target);
    m_message->setText(s.spec.message);
}

std::optional<ActionSpec> ContainmentPanel::editorSpec()
{
    auto kind = actionFromName(m_action->currentData().toString());
    if (!kind) return std::nullopt;
    ActionSpec spec;
    spec.kind = *kind;
    spec.backend = m_backend->currentData().toString();
    spec.target = m_target->text().trimmed();
    spec.message = m_message->text().trimmed();
    if (spec.backend.isEmpty()) {
        say(tr("Configure a backend first (Backends…)."), true);
        return std::nullopt;
    }
    return spec;
}

IssueOptions ContainmentPanel::editorOptions() const
{
    IssueOptions o;
    o.approver = m_approver->text().trimmed();
    if (m_breakGlass->isChecked()) o.breakGlassReason = m_breakReason->text().trimmed();
    return o;
}

void ContainmentPanel::say(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_statusAboutSuggestions = false;
}

void ContainmentPanel::sayAboutSuggestions(const QString& text)
{
    say(text);
    m_statusAboutSuggestions = true;
}

bool ContainmentPanel::dryRun()
{
    if (!m_service) return false;
    auto spec = editorSpec();
    if (!spec) return false;
    auto d = m_service->dryRun(*spec, editorOptions());
    if (!d) {
        say(d.error().toString(), true);
        return false;
    }
    m_dryRun->setPlainText(
        tr("# Dry run: nothing was sent. Secrets are shown as ****.%1\n\n")
            .arg(d->needsApproval ? tr(" Destructive: needs a second analyst's approval.") : QString()) +
        d->maskedRequest);
    m_tabs->setCurrentWidget(m_dryRun);
    say(tr("Dry run of %1 on %2 recorded in custody.").arg(actionName(spec->kind), d->recordedTarget));
    refreshReceipts();
    return true;
}

bool ContainmentPanel::issue()
{
    if (!m_service) return false;
    auto spec = editorSpec();
    if (!spec) return false;
    const IssueOptions opts = editorOptions();
    if (m_breakGlass->isChecked() && opts.breakGlassReason.isEmpty()) {
        say(tr("Break-glass needs a reason."), true);
        return false;
    }
    auto id = m_service->issue(*spec, opts);
    if (!id) {
        say(id.error().toString(), true);
        refreshReceipts();
        return false;
    }
    say(tr("Action #%1 sent; waiting for %2 to confirm.").arg(*id).arg(spec->backend));
    refreshActions();
    refreshReceipts();
    return true;
}

void ContainmentPanel::actionChanged(const store::ActionRecord& r, const QString& progress)
{
    m_actions->update(r, progress);
    if (r.state == "confirmed")
        say(tr("Action #%1 %2: confirmed by %3 (HTTP %4).").arg(r.id).arg(q(r.action), q(r.backend)).arg(r.httpStatus));
    else if (r.state == "failed")
        say(tr("Action #%1 %2 failed: %3. Nothing was confirmed; retry when fixed.")
                .arg(r.id)
                .arg(q(r.action), q(r.error)),
            true);
    if (r.state != "sent" && r.state != "intent") {
        refreshReceipts();
        refreshActions();
    }
}

void ContainmentPanel::retrySelected()
{
    if (!m_service) return;
    const auto* r = m_actions->at(m_actionView->currentIndex().row());
    if (!r) return;
    auto res = m_service->resend(r->id);
    if (!res) say(res.error().toString(), true);
    refreshReceipts();
}

void ContainmentPanel::reverseSelected()
{
    if (!m_service) return;
    const auto* r = m_actions->at(m_actionView->currentIndex().row());
    if (!r) return;
    auto res = m_service->reverse(r->id, editorOptions());
    if (!res) say(res.error().toString(), true);
    refreshActions();
    refreshReceipts();
}

void ContainmentPanel::reconcileAll()
{
    if (!m_service) return;
    auto all = m_service->actions().list();
    if (!all) return;
    int n = 0;
    for (const auto& r : *all) {
        if (r.state != "unknown") continue;
        auto res = m_service->resend(r.id);
        if (!res)
            say(res.error().toString(), true);
        else
            ++n;
    }
    if (n) say(tr("Reconciling %n action(s)…", nullptr, n));
    refreshReceipts();
}

void ContainmentPanel::openBackends()
{
    BackendDialog dlg(m_backends, m_settings, m_credentials.get(), this);
    if (dlg.exec() != QDialog::Accepted) return;
    QSettings s;
    saveBackends(s, dlg.backends());
    saveSettings(s, dlg.settings());
    reloadBackends();
}

int ContainmentPanel::suggestionCount() const
{
    return int(m_suggestions.size());
}
void ContainmentPanel::selectSuggestion(int index)
{
    if (auto* item = m_suggestionView->topLevelItem(index)) m_suggestionView->setCurrentItem(item);
}
void ContainmentPanel::setApprover(const QString& name)
{
    m_approver->setText(name);
}
void ContainmentPanel::setBreakGlass(const QString& reason)
{
    m_breakGlass->setChecked(!reason.isEmpty());
    m_breakReason->setText(reason);
}
QString ContainmentPanel::dryRunText() const
{
    return m_dryRun->toPlainText();
}
QString ContainmentPanel::receiptsText() const
{
    return m_receipts->toPlainText();
}
QString ContainmentPanel::statusText() const
{
    return m_status->text();
}
void ContainmentPanel::showReceipts()
{
    m_tabs->setCurrentWidget(m_receipts);
}
int ContainmentPanel::running() const
{
    return m_service ? m_service->running() : 0;
}

} // namespace chainsight::views
