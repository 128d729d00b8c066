// The exercise panel (see ExercisePanel.h).
#include "views/exercise/ExercisePanel.h"

#include "core/model/Time.h"
#include "core/store/CaseStore.h"
#include "views/AnalysisService.h"
#include "views/CaseContext.h"
#include "views/EventSelection.h"
#include "views/Workbench.h"

#include <QApplication>
#include <QButtonGroup>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMainWindow>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace chainsight::views {

namespace {
constexpr int kTickMs = 200;
constexpr int kReloadEveryMs = 1000; // the other panels re-read the growing case at most once a second
constexpr int kEvidenceRole = Qt::UserRole + 1;

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}
QString offset(int64_t ns)
{
    return q(exercise::formatOffset(ns));
}
} // namespace

struct ExercisePanel::Prepared
{
    QString facilitatorCase;
    exercise::Scenario scenario;
    exercise::Truth truth;
    std::optional<exercise::AutomationPolicy> policy; // loaded; evaluated after the exercise has started
    std::vector<exercise::TeamAction> script;
};

ExercisePanel::ExercisePanel(const Workbench& wb, QWidget* parent) : QWidget(parent), m_wb(wb)
{
    setObjectName(QStringLiteral("ExercisePanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto* top = new QHBoxLayout;
    m_open = new QPushButton(tr("Open scenario…"), this);
    m_end = new QPushButton(tr("End exercise"), this);
    top->addWidget(m_open);
    top->addWidget(m_end);
    top->addStretch(1);
    layout->addLayout(top);
    m_title =
        new QLabel(tr("No exercise. Open a scenario (*.exercise.json) to play an incident to the participants."), this);
    m_title->setWordWrap(true);
    QFont tf = m_title->font();
    tf.setBold(true);
    m_title->setFont(tf);
    layout->addWidget(m_title);

    // Facilitator controls.
    auto* controls = new QHBoxLayout;
    m_speeds = new QButtonGroup(this);
    m_speeds->setExclusive(true);
    const std::pair<QString, double> speeds[] = {
        {tr("Pause"), 0}, {QStringLiteral("1×"), 1}, {QStringLiteral("10×"), 10}, {QStringLiteral("60×"), 60}};
    int id = 0;
    for (const auto& [label, speed] : speeds) {
        auto* b = new QToolButton(this);
        b->setText(label);
        b->setCheckable(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_speeds->addButton(b, id++);
        controls->addWidget(b);
        const double s = speed;
        connect(b, &QToolButton::clicked, this, [this, s] { s > 0 ? setSpeed(s) : pause(); });
    }
    m_speeds->button(0)->setChecked(true);
    m_next = new QToolButton(this);
    m_next->setText(tr("Next inject ▸"));
    connect(m_next, &QToolButton::clicked, this, &ExercisePanel::nextInject);
    controls->addWidget(m_next);
    controls->addStretch(1);
    m_clockLabel = new QLabel(QStringLiteral("+0:00"), this);
    QFont mono = m_clockLabel->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setPointSizeF(mono.pointSizeF() * 1.3);
    mono.setBold(true);
    m_clockLabel->setFont(mono);
    controls->addWidget(m_clockLabel);
    layout->addLayout(controls);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    layout->addWidget(m_progress);

    m_tabs = new QTabWidget(this);
    // Injects
    m_feed = new QListWidget(this);
    m_feed->setWordWrap(true);
    m_feed->setToolTip(tr("Double-click an inject to select its evidence in the participants' view."));
    m_tabs->addTab(m_feed, tr("Injects"));
    // Team actions
    auto* team = new QWidget(this);
    auto* form = new QFormLayout(team);
    m_classifyType = new QComboBox(team);
    m_classifyType->addItems({QStringLiteral("reasoning_compromise"), QStringLiteral("privilege_boundary_escape"),
                              QStringLiteral("runtime_execution_escape"), QStringLiteral("none")});
    auto* classifyButton = new QPushButton(tr("Classify"), team);
    auto* crow = new QHBoxLayout;
    crow->addWidget(m_classifyType, 1);
    crow->addWidget(classifyButton);
    form->addRow(tr("Incident type"), crow);
    m_containAction = new QComboBox(team);
    m_containAction->setEditable(true);
    m_containTarget = new QLineEdit(team);
    m_containTarget->setPlaceholderText(tr("agent, tool, account…"));
    auto* containButton = new QPushButton(tr("Contain (simulated)"), team);
    containButton->setToolTip(tr("Records contain.intent and contain.outcome in the participants' case with simulated: "
                                 "true; nothing leaves the machine."));
    form->addRow(tr("Action"), m_containAction);
    auto* trow = new QHBoxLayout;
    trow->addWidget(m_containTarget, 1);
    trow->addWidget(containButton);
    form->addRow(tr("Target"), trow);
    auto* hint = new QLabel(
        tr("Real containment from the containment panel and checklist items ticked in the response panel count too: "
           "they are recorded in the participants' case."),
        team);
    hint->setWordWrap(true);
    form->addRow(hint);
    m_tabs->addTab(team, tr("Team"));
    m_score = new QTextBrowser(this);
    m_tabs->addTab(m_score, tr("Score"));
    m_policyList = new QListWidget(this);
    m_policyList->setWordWrap(true);
    m_tabs->addTab(m_policyList, tr("Policy"));
    m_afterAction = new QTextBrowser(this);
    m_tabs->addTab(m_afterAction, tr("After-action"));
    layout->addWidget(m_tabs, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_timer = new QTimer(this);
    m_timer->setInterval(kTickMs);
    connect(m_timer, &QTimer::timeout, this, &ExercisePanel::tick);
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open exercise scenario"), {},
                                                          tr("Exercise scenarios (*.exercise.json *.json)"));
        if (!path.isEmpty()) openScenario(path);
    });
    connect(m_end, &QPushButton::clicked, this, &ExercisePanel::endExercise);
    connect(classifyButton, &QPushButton::clicked, this, &ExercisePanel::classify);
    connect(containButton, &QPushButton::clicked, this, &ExercisePanel::containSimulated);
    connect(m_feed, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
        const QStringList ids = item->data(kEvidenceRole).toStringList();
        if (ids.isEmpty() || !m_wb.context || !m_wb.context->queries() || !m_wb.selection) return;
        auto rowid = m_wb.context->queries()->findEvent(ids.first().toStdString());
        if (rowid && *rowid) m_wb.selection->select(*rowid, this);
    });
    updateControls();
    if (m_wb.context) connect(m_wb.context, &CaseContext::shuttingDown, this, &ExercisePanel::cancelJobs);

    if (qEnvironmentVariableIsSet("CHAINSIGHT_EXERCISE"))
        QTimer::singleShot(0, this, &ExercisePanel::startFromEnvironment);
}

ExercisePanel::~ExercisePanel()
{
    // Only cancel and wait: what the jobs return is dropped (onPolicyEvaluated() would tick a half-destroyed
    // window, whose case context may already be gone).
    cancelJobs();
    if (m_watcher) m_watcher->waitForFinished();
    if (m_policyWatcher) m_policyWatcher->waitForFinished();
}

void ExercisePanel::cancelJobs()
{
    if (m_cancel) m_cancel->store(true);
    if (m_policyCancel) m_policyCancel->store(true);
}

void ExercisePanel::updateControls()
{
    const bool on = running();
    m_open->setEnabled(!m_watcher || m_watcher->isFinished());
    m_end->setEnabled(on);
    for (auto* b : m_speeds->buttons())
        b->setEnabled(on);
    m_next->setEnabled(on && m_scenario && m_delivered < m_scenario->injects.size());
}

void ExercisePanel::openScenario(const QString& path)
{
    if (running()) endExercise();
    auto scenario = exercise::loadScenario(path);
    if (!scenario) {
        m_status->setText(scenario.error().toString());
        return;
    }
    std::vector<exercise::TeamAction> script;
    if (const QString team = qEnvironmentVariable("CHAINSIGHT_EXERCISE_TEAM"); !team.isEmpty()) {
        auto s = exercise::loadTeamScript(team);
        if (!s) {
            m_status->setText(s.error().toString());
            return;
        }
        script = std::move(*s);
    }
    m_dir = std::make_unique<QTemporaryDir>();
    const QString dir = m_dir->path();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto cancel = m_cancel;
    m_title->setText(tr("Preparing %1…").arg(q(scenario->title)));
    m_status->setText(tr("Importing the evidence and working out what happened…"));
    if (!m_watcher) {
        m_watcher = new QFutureWatcher<Result<std::shared_ptr<Prepared>>>(this);
        connect(m_watcher, &QFutureWatcher<Result<std::shared_ptr<Prepared>>>::finished, this,
                &ExercisePanel::onPrepared);
    }
    const exercise::Scenario sc = *scenario;
    const ImportFunction importFn = m_wb.import;
    m_watcher->setFuture(QtConcurrent::run(workPool(), [sc, dir, cancel, script, importFn]() -> Result<std::shared_ptr<Prepared>> {
        auto p = std::make_shared<Prepared>();
        p->scenario = sc;
        p->script = script;
        if (sc.sourceIsCase) {
            p->facilitatorCase = sc.source;
        } else {
            p->facilitatorCase = dir + QStringLiteral("/facilitator.db");
            if (!importFn)
                return makeError(ErrorCode::Usage, QObject::tr("%1: this window cannot import evidence").arg(sc.source));
            CS_TRY(importFn(p->facilitatorCase, sc.source, cancel.get(), {}, nullptr));
        }
        auto truth = exercise::buildTruth(p->facilitatorCase, sc);
        if (!truth) return truth.error();
        p->truth = std::move(*truth);
        if (!sc.policy.isEmpty()) {
            auto policy = exercise::loadPolicy(sc.policy);
            if (!policy) return policy.error();
            p->policy = std::move(*policy);
        }
        return p;
    }));
    updateControls();
}

void ExercisePanel::onPrepared()
{
    auto r = m_watcher->result();
    updateControls();
    if (!r) {
        m_title->setText(tr("No exercise."));
        m_status->setText(r.error().toString());
        return;
    }
    Prepared& p = **r;
    m_scenario = p.scenario;
    m_truth = std::move(p.truth);
    m_policy.reset();
    m_script = std::move(p.script);
    m_scriptNext = 0;
    m_facilitatorCase = p.facilitatorCase;
    json::Value start = json::Value::object();
    start.set("scenario", json::Value::string(m_scenario->title));
    start.set("scenario_sha256", json::Value::string(m_scenario->sha256));
    auto pc =
        exercise::ParticipantCase::create(m_facilitatorCase, m_dir->filePath(QStringLiteral("participants.db")), start);
    if (!pc) {
        m_status->setText(pc.error().toString());
        return;
    }
    m_participant = std::move(*pc);
    m_clock = std::make_unique<exercise::ReplayClock>();
    m_delivered = m_policyShown = 0;
    m_feed->clear();
    m_policyList->clear();
    m_afterAction->clear();
    m_scoreHtml.clear();
    m_afterActionHtml.clear();
    m_containAction->clear();
    for (const auto& c : m_scenario->answer.containment)
        m_containAction->addItem(q(c.action));
    for (const char* a : {"kill-sessions", "quarantine-tool", "revoke-token", "disable-account", "quarantine-pod",
                          "scale-to-zero", "block-rule", "pause-automations", "notify"})
        if (m_containAction->findText(QLatin1String(a)) < 0) m_containAction->addItem(QLatin1String(a));
    if (!m_scenario->answer.containment.empty())
        m_containTarget->setText(q(m_scenario->answer.containment.front().target));
    m_title->setText(tr("Exercise: %1").arg(q(m_scenario->title)));
    if (m_wb.context) {
        m_previousCase = m_wb.context->path() == m_participant->path() ? QString() : m_wb.context->path();
        advanceParticipants(true);
        if (Status s = m_wb.context->open(m_participant->path()); !s) m_status->setText(s.error().toString());
    }
    m_speeds->button(0)->setChecked(true);
    m_timer->start();
    tick();
    m_status->setText(
        tr("Ready. The participants see only what has happened by the scenario time."));
    if (p.policy) startPolicyEvaluation(*p.policy);
    updateControls();
    emit ready();
}

// The policy is evaluated while the exercise runs: it analyses the case cut at each moment its answer can change,
// which takes longer than building the truth, and the participants need not wait for it. Until it is done the
// Policy tab says so; then the firings up to the scenario time appear at once and the rest as the clock reaches them.
void ExercisePanel::startPolicyEvaluation(const exercise::AutomationPolicy& policy)
{
    m_policyCancel = std::make_shared<std::atomic<bool>>(false);
    auto cancel = m_policyCancel;
    if (!m_policyWatcher) {
        m_policyWatcher = new QFutureWatcher<Result<exercise::PolicyEvaluation>>(this);
        connect(m_policyWatcher, &QFutureWatcher<Result<exercise::PolicyEvaluation>>::finished, this,
                &ExercisePanel::onPolicyEvaluated);
    }
    auto* pending = new QListWidgetItem(tr("Evaluating the automation policy over the replay…"));
    pending->setData(Qt::UserRole, QStringLiteral("pending"));
    m_policyList->addItem(pending);
    m_policyRunning = true;
    m_policyStopped = false;
    m_policyWatcher->setFuture(QtConcurrent::run(
        workPool(), [policy, full = m_facilitatorCase, sc = *m_scenario, truth = *m_truth,
                     work = m_dir->filePath(QStringLiteral("policy-work.db")), cancel]() {
            return exercise::evaluatePolicy(policy, full, sc, truth, work, cancel.get());
        }));
}

void ExercisePanel::stopPolicyEvaluation()
{
    if (!m_policyRunning) return;
    if (m_policyCancel) m_policyCancel->store(true);
    m_policyWatcher->waitForFinished();
    m_policyRunning = false; // the queued finished() finds nothing to do
    takePolicyResult();
}

bool ExercisePanel::policyPending() const
{
    return m_policyRunning;
}

void ExercisePanel::onPolicyEvaluated()
{
    if (!m_policyRunning) return; // already taken by stopPolicyEvaluation()
    m_policyRunning = false;
    takePolicyResult();
    if (running()) tick();
    emit policyEvaluated();
}

// Replaces the Policy tab's "evaluating" line with the result: the evaluation, or why there is none.
void ExercisePanel::takePolicyResult()
{
    for (int i = m_policyList->count() - 1; i >= 0; --i)
        if (m_policyList->item(i)->data(Qt::UserRole).toString() == QLatin1String("pending"))
            delete m_policyList->takeItem(i);
    auto r = m_policyWatcher->result();
    if (r) {
        m_policy = std::move(*r);
        m_policyShown = 0;
        return;
    }
    m_policyStopped = r.error().code == ErrorCode::Cancelled;
    m_policyList->addItem(m_policyStopped
                              ? tr("The automation policy's evaluation was stopped when the exercise ended.")
                              : tr("The automation policy could not be evaluated: %1").arg(r.error().toString()));
}

void ExercisePanel::endExercise()
{
    if (!running()) return;
    m_timer->stop();
    m_clock->pause();
    stopPolicyEvaluation(); // first: the final score says whether it was done; it also works in m_dir
    updateScore();
    if (m_wb.context) {
        if (!m_previousCase.isEmpty())
            (void)m_wb.context->open(m_previousCase);
        else
            m_wb.context->close();
    }
    m_participant.reset();
    m_title->setText(tr("Exercise ended: %1 (the after-action report stays below)")
                         .arg(m_scenario ? q(m_scenario->title) : QString()));
    m_dir.reset();
    updateControls();
}

void ExercisePanel::setSpeed(double speed)
{
    if (!m_clock) return;
    m_clock->setSpeed(speed);
    m_clock->resume();
    for (auto* b : m_speeds->buttons())
        if (b->text().startsWith(QString::number(speed))) b->setChecked(true);
}

void ExercisePanel::pause()
{
    if (!m_clock) return;
    m_clock->pause();
    m_speeds->button(0)->setChecked(true);
}

void ExercisePanel::jumpTo(int64_t scenarioNs)
{
    if (!m_clock) return;
    m_clock->jumpTo(scenarioNs);
    tick();
    advanceParticipants(true);
}

void ExercisePanel::nextInject()
{
    if (!m_scenario || m_delivered >= m_scenario->injects.size()) return;
    jumpTo(std::max(m_scenario->injects[m_delivered].atNs, m_clock->nowNs()));
}

void ExercisePanel::tick()
{
    if (!m_clock || !m_truth || !m_participant) return;
    const int64_t end = std::max<int64_t>(0, m_truth->toScenario(m_truth->endTs));
    if (m_clock->nowNs() >= end && !m_clock->paused()) {
        m_clock->jumpTo(end);
        pause();
        m_tabs->setCurrentWidget(m_afterAction);
    }
    const int64_t now = std::min(m_clock->nowNs(), end);
    m_clockLabel->setText(tr("%1 / %2").arg(offset(now), offset(end)));
    m_progress->setValue(end > 0 ? static_cast<int>(1000 * now / end) : 0);
    deliverDue();
    applyScriptDue();
    advanceParticipants(false);
    // What the policy would have fired by now.
    if (m_policy)
        while (m_policyShown < m_policy->firings.size() && m_policy->firings[m_policyShown].atNs <= now) {
            const auto& f = m_policy->firings[m_policyShown++];
            const bool automatic = f.mode == exercise::PolicyMode::Automatic;
            auto* item = new QListWidgetItem(tr("%1  %2: %3 %4\n%5")
                                                 .arg(offset(f.atNs), automatic ? tr("AUTOMATIC") : tr("to an analyst"),
                                                      q(f.action), q(f.target), q(f.because)));
            item->setForeground(automatic ? QColor(0xc6, 0x28, 0x28) : QColor(0xef, 0x6c, 0x00));
            m_policyList->insertItem(0, item);
        }
    updateScore();
    updateControls();
}

void ExercisePanel::advanceParticipants(bool force)
{
    if (!m_participant || !m_truth || !m_clock) return;
    const int64_t end = std::max<int64_t>(0, m_truth->toScenario(m_truth->endTs));
    const int64_t now = std::min(m_clock->nowNs(), end);
    auto n = m_participant->advanceTo(m_truth->toAbsolute(now));
    if (!n) {
        m_status->setText(n.error().toString());
        return;
    }
    if (*n > 0) m_pendingReload = true;
    const qint64 wall = QDateTime::currentMSecsSinceEpoch();
    if (m_pendingReload && m_wb.context && m_wb.context->path() == m_participant->path() &&
        (force || wall - m_lastReloadMs >= kReloadEveryMs)) {
        m_wb.context->reload();
        m_lastReloadMs = wall;
        m_pendingReload = false;
    }
}

void ExercisePanel::deliverDue()
{
    const int64_t now = m_clock->nowNs();
    while (m_delivered < m_scenario->injects.size() && m_scenario->injects[m_delivered].atNs <= now) {
        const exercise::Inject& in = m_scenario->injects[m_delivered++];
        auto* item = new QListWidgetItem(
            tr("%1  %2%3")
                .arg(offset(in.atNs), in.from.empty() ? QString() : q(in.from) + QStringLiteral(": "), q(in.message)));
        QStringList ids;
        for (const auto& e : in.evidence)
            ids << q(e);
        item->setData(kEvidenceRole, ids);
        if (!ids.isEmpty()) item->setToolTip(tr("Evidence: %1").arg(ids.join(QStringLiteral(", "))));
        QFont f = item->font();
        f.setBold(true);
        item->setFont(f);
        for (int i = 0; i < m_feed->count(); ++i) {
            QFont g = m_feed->item(i)->font();
            g.setBold(false);
            m_feed->item(i)->setFont(g);
        }
        m_feed->insertItem(0, item);
        if (m_wb.window && m_wb.window->statusBar())
            m_wb.window->statusBar()->showMessage(tr("Inject %1: %2").arg(offset(in.atNs), q(in.message)), 8000);
    }
}

void ExercisePanel::applyScriptDue()
{
    const int64_t now = m_clock->nowNs();
    while (m_scriptNext < m_script.size() && m_script[m_scriptNext].atNs <= now) {
        const exercise::TeamAction& a = m_script[m_scriptNext++];
        const int64_t w = m_clock->wallMs();
        Status s;
        switch (a.kind) {
        case exercise::TeamAction::Kind::Classify:
            s = exercise::recordClassification(m_participant->store(), a.value, a.atNs, w);
            break;
        case exercise::TeamAction::Kind::Contain:
            s = exercise::recordSimulatedContainment(m_participant->store(), a.value, a.target, a.atNs, w);
            break;
        case exercise::TeamAction::Kind::Checklist:
            s = exercise::recordChecklist(m_participant->store(), a.value, a.state, a.atNs, w);
            break;
        }
        if (!s) m_status->setText(s.error().toString());
    }
}

void ExercisePanel::updateScore()
{
    if (!m_participant || !m_truth || !m_clock || !m_scenario) return;
    auto team = exercise::readTeamRecord(m_participant->store(), *m_clock);
    if (!team) {
        m_status->setText(team.error().toString());
        return;
    }
    const int64_t end = std::max<int64_t>(0, m_truth->toScenario(m_truth->endTs));
    const int64_t now = std::min(m_clock->nowNs(), end);
    const exercise::Score s = exercise::scoreExercise(*m_scenario, *m_truth, *team, now);
    m_lastScore = s;
    QString h;
    h += QStringLiteral("<h2 style='margin:0'>%1 / 100</h2>").arg(s.total);
    h +=
        tr("<p>Classification <b>%1</b>/25 · Containment <b>%2</b>/35 · Harm <b>%3</b>/25 · Checklist <b>%4</b>/15</p>")
            .arg(s.classificationPoints)
            .arg(s.containmentPoints)
            .arg(s.harmPoints)
            .arg(s.checklistPoints);
    h += QStringLiteral("<p>");
    h += s.classified
             ? tr("Classified <b>%1</b> at %2 %3<br>")
                   .arg(q(s.classifiedType), offset(s.classifiedAtNs), s.typeCorrect ? tr("(right)") : tr("(wrong)"))
             : tr("Not classified yet<br>");
    h += s.containedAtNs >= 0 ? tr("Contained at %1<br>").arg(offset(s.containedAtNs)) : tr("Not contained yet<br>");
    h += tr("Harmful actions after the first signal: <b style='color:#c62828'>%1 done</b>, <b style='color:#2e7d32'>%2 "
            "prevented</b>")
             .arg(s.harmDone.size())
             .arg(s.harmPrevented);
    if (m_policy)
        h += tr("<br>The automation policy would have let %1 through.").arg(m_policy->harmAllowed);
    else if (policyPending())
        h += tr("<br>The automation policy is still being evaluated over the replay.");
    else if (m_policyStopped)
        h += tr("<br>The automation policy's evaluation was stopped when the exercise ended.");
    h += QStringLiteral("</p>");
    // Each tick recomputes the score; the browsers re-lay out only when what they show changed.
    if (h != m_scoreHtml) m_score->setHtml(m_scoreHtml = h);
    const QString after = q(exercise::afterActionHtml(*m_scenario, *m_truth, s, m_policy));
    if (after != m_afterActionHtml) m_afterAction->setHtml(m_afterActionHtml = after);
}

void ExercisePanel::containSimulated()
{
    (void)issueSimulatedContainment(m_containAction->currentText().trimmed(), m_containTarget->text().trimmed());
}

Status ExercisePanel::issueSimulatedContainment(const QString& action, const QString& target)
{
    if (!m_participant) return makeError(ErrorCode::Usage, tr("no exercise is running"));
    if (action.isEmpty() || target.isEmpty()) {
        m_status->setText(tr("A containment needs an action and a target."));
        return makeError(ErrorCode::Usage, m_status->text());
    }
    Status s = exercise::recordSimulatedContainment(m_participant->store(), action.toStdString(), target.toStdString(),
                                                    m_clock->nowNs(), m_clock->wallMs());
    m_status->setText(s ? tr("%1 %2 issued at %3 (simulated).").arg(action, target, offset(m_clock->nowNs()))
                        : s.error().toString());
    updateScore();
    return s;
}

int64_t ExercisePanel::scenarioNowNs() const { return m_clock ? m_clock->nowNs() : 0; }

void ExercisePanel::classify()
{
    if (!m_participant) return;
    Status s = exercise::recordClassification(m_participant->store(), m_classifyType->currentText().toStdString(),
                                              m_clock->nowNs(), m_clock->wallMs());
    m_status->setText(s ? tr("Classified as %1 at %2.").arg(m_classifyType->currentText(), offset(m_clock->nowNs()))
                        : s.error().toString());
    updateScore();
}

// `chainsight exercise SCENARIO --gui [--at X] [--after-action] [--screenshot FILE]` starts the workbench with these
// variables set; the panel opens the scenario, goes to the time asked, and saves the window.
void ExercisePanel::startFromEnvironment()
{
    m_autoAt = qEnvironmentVariable("CHAINSIGHT_EXERCISE_AT");
    m_autoShot = qEnvironmentVariable("CHAINSIGHT_EXERCISE_SCREENSHOT");
    m_autoAfterAction = qEnvironmentVariableIsSet("CHAINSIGHT_EXERCISE_AFTER_ACTION");
    if (m_wb.window && !m_autoShot.isEmpty()) m_wb.window->resize(1600, 1000);
    for (QWidget* w = parentWidget(); w; w = w->parentWidget())
        if (auto* dock = qobject_cast<QDockWidget*>(w)) {
            dock->show();
            dock->raise();
        }
    connect(this, &ExercisePanel::ready, this, &ExercisePanel::playToAutoPoint);
    openScenario(qEnvironmentVariable("CHAINSIGHT_EXERCISE"));
}

// Plays to CHAINSIGHT_EXERCISE_AT once the scenario and its policy's evaluation are ready (so that the picture
// shows the policy's firings up to that point).
void ExercisePanel::playToAutoPoint()
{
    if (!running()) return;
    if (!m_autoShot.isEmpty() && policyPending()) {
        connect(this, &ExercisePanel::policyEvaluated, this, &ExercisePanel::playToAutoPoint,
                Qt::SingleShotConnection);
        return;
    }
    // Widen the exercise's dock here, not at start: the window sets its default dock sizes once it is shown,
    // after startFromEnvironment() has run.
    for (QWidget* w = parentWidget(); w; w = w->parentWidget())
        if (auto* dock = qobject_cast<QDockWidget*>(w); dock && m_wb.window)
            m_wb.window->resizeDocks({dock}, {m_autoAfterAction ? 900 : 620}, Qt::Horizontal);
    const int64_t end = std::max<int64_t>(0, m_truth->toScenario(m_truth->endTs));
    int64_t at = 0;
    if (m_autoAt.endsWith(QLatin1Char('%')))
        at = static_cast<int64_t>(static_cast<double>(end) * m_autoAt.chopped(1).toDouble() / 100.0);
    else if (auto o = exercise::parseOffset(m_autoAt.toStdString()))
        at = *o;
    if (m_autoAfterAction) at = end;
    // Play up to `at` as the participants would have seen it: injects, the scripted team, the cut case.
    for (size_t i = 0; i < m_scenario->injects.size() && m_scenario->injects[i].atNs <= at; ++i)
        jumpTo(m_scenario->injects[i].atNs);
    jumpTo(at);
    if (m_autoAfterAction) {
        m_tabs->setCurrentWidget(m_afterAction);
    } else {
        setSpeed(60);
        m_tabs->setCurrentWidget(m_score);
        m_tabs->setCurrentWidget(m_feed);
    }
    if (!m_autoShot.isEmpty()) finishScreenshot();
}

void ExercisePanel::finishScreenshot()
{
    if (m_wb.context) m_wb.context->waitForIndex(60000);
    QTimer::singleShot(3000, this, [this] {
        if (!m_autoAfterAction) pause();
        tick();
        // The picture shows the participants' case as of now: the window's own wait where it has one (index,
        // analysis, graph, table), else the index and the analysis.
        advanceParticipants(true);
        if (m_wb.waitUntilSettled) {
            m_wb.waitUntilSettled(120000);
        } else {
            if (m_wb.context) m_wb.context->waitForIndex(60000);
            QApplication::processEvents();
            if (m_wb.analysis) m_wb.analysis->waitUntilReady(120000);
        }
        QApplication::processEvents();
        QWidget* target = m_wb.window ? static_cast<QWidget*>(m_wb.window) : window();
        const bool ok = target->grab().save(m_autoShot);
        std::fprintf(ok ? stdout : stderr, ok ? "saved %s\n" : "chainsight: %s: cannot save the screenshot\n",
                     m_autoShot.toLocal8Bit().constData());
        QApplication::exit(ok ? 0 : 1);
    });
}

} // namespace chainsight::views
