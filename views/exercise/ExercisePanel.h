// The exercise panel: the facilitator opens a scenario and plays it to the participants as a live incident. The
// workbench's other panels show the participants' case (core/exercise ParticipantCase), which grows as the replay
// clock advances, so nothing that has not happened yet is on screen or in the analysis; the facilitator's case is
// only read. Controls: pause, 1x, 10x, 60x, next inject; an inject feed; simulated containment and classification;
// the live score; what the automation policy would have fired by now; the after-action report.
#pragma once

#include "core/exercise/Headless.h"

#include "views/Workbench.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QTemporaryDir>
#include <QWidget>

#include <memory>
#include <optional>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTextBrowser;
class QTimer;
class QToolButton;

namespace chainsight::views {

class ExercisePanel : public QWidget
{
    Q_OBJECT
public:
    ExercisePanel(const Workbench& wb, QWidget* parent = nullptr);
    ~ExercisePanel() override;

    // Opens a scenario: imports its bundle off the UI thread, then starts paused at scenario time 0.
    void openScenario(const QString& path);
    void endExercise();
    bool running() const { return m_participant != nullptr; }

    void setSpeed(double speed); // resumes
    void pause();
    void nextInject();
    void jumpTo(int64_t scenarioNs);
    // What the Contain (simulated) button does, at the current scenario time.
    Status issueSimulatedContainment(const QString& action, const QString& target);
    // For tests and the facilitator's screen: the clock, the injects delivered, the live score.
    int64_t scenarioNowNs() const;
    size_t injectsDelivered() const { return m_delivered; }
    const std::optional<exercise::Score>& score() const { return m_lastScore; }

    // The automation policy's evaluation runs in the background after ready(); these say where it is.
    bool policyPending() const;
    const std::optional<exercise::PolicyEvaluation>& policy() const { return m_policy; }

signals:
    void ready(); // the scenario is loaded and the participants' case is open
    void policyEvaluated(); // the policy's evaluation ended (m_policy is set unless it failed or was cancelled)

private:
    struct Prepared;
    void onPrepared();
    void startPolicyEvaluation(const exercise::AutomationPolicy& policy);
    void stopPolicyEvaluation();
    void onPolicyEvaluated();
    void takePolicyResult();
    void cancelJobs();
    void tick();
    void advanceParticipants(bool force);
    void deliverDue();
    void applyScriptDue();
    void updateScore();
    void updateControls();
    void containSimulated();
    void classify();
    void startFromEnvironment();
    void playToAutoPoint();
    void finishScreenshot();

    Workbench m_wb; // a copy: the Workbench the window passes is a temporary
    // controls
    QPushButton* m_open = nullptr;
    QPushButton* m_end = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_clockLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QButtonGroup* m_speeds = nullptr;
    QToolButton* m_next = nullptr;
    QTabWidget* m_tabs = nullptr;
    QListWidget* m_feed = nullptr;
    QListWidget* m_policyList = nullptr;
    QTextBrowser* m_score = nullptr;
    QTextBrowser* m_afterAction = nullptr;
    QString m_scoreHtml, m_afterActionHtml; // what the two browsers show now
    QComboBox* m_classifyType = nullptr;
    QComboBox* m_containAction = nullptr;
    QLineEdit* m_containTarget = nullptr;
    QLabel* m_status = nullptr;
    QTimer* m_timer = nullptr;

    // the exercise
    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<exercise::Scenario> m_scenario;
    std::optional<exercise::Truth> m_truth;
    std::optional<exercise::PolicyEvaluation> m_policy;
    std::optional<exercise::Score> m_lastScore;
    std::vector<exercise::TeamAction> m_script; // a scripted team (CHAINSIGHT_EXERCISE_TEAM), applied as time passes
    size_t m_scriptNext = 0;
    std::unique_ptr<exercise::ReplayClock> m_clock;
    std::unique_ptr<exercise::ParticipantCase> m_participant;
    QString m_facilitatorCase, m_previousCase;
    size_t m_delivered = 0, m_policyShown = 0;
    qint64 m_lastReloadMs = 0;
    bool m_pendingReload = false;
    QFutureWatcher<Result<std::shared_ptr<Prepared>>>* m_watcher = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QFutureWatcher<Result<exercise::PolicyEvaluation>>* m_policyWatcher = nullptr;
    std::shared_ptr<std::atomic<bool>> m_policyCancel;
    bool m_policyRunning = false; // from the start until onPolicyEvaluated() has taken the result
    bool m_policyStopped = false; // the evaluation was cancelled (the exercise ended first)

    // --screenshot driving (set from the environment by `chainsight exercise --gui`)
    QString m_autoAt, m_autoShot;
    bool m_autoAfterAction = false;
};

} // namespace chainsight::views
