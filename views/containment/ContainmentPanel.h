// The Containment panel: suggestions from the analysis (seeds' order, targets filled in), an editor to change and
// issue one, the dry-run view (the exact request, secrets masked), the case's actions with live state (retry,
// reconcile, reverse), and the containment receipts from the custody log. Requests run asynchronously on the UI
// thread's event loop (QNetworkAccessManager); the panel writes through its own connection to the case.
#pragma once

#include "core/containment/BackendSettings.h"
#include "core/containment/Suggestions.h"
#include "views/Workbench.h"

#include <QWidget>

#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QTreeWidget;

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::views {

class ActionsModel;

class ContainmentPanel : public QWidget
{
    Q_OBJECT
public:
    ContainmentPanel(const Workbench& wb, QWidget* parent = nullptr);
    ~ContainmentPanel() override;

    // The credential store (default: CHAINSIGHT_CREDENTIALS file when set, else the system keychain).
    void setCredentialStore(std::shared_ptr<containment::CredentialStore> store);
    // Re-reads backends and settings from QSettings and rebuilds the service.
    void reloadBackends();

    // For tests and the screenshot script.
    int suggestionCount() const;
    void selectSuggestion(int index);
    void setApprover(const QString& name);
    void setBreakGlass(const QString& reason);
    bool dryRun();
    bool issue();
    ActionsModel* actionsModel() const { return m_actions; }
    QString dryRunText() const;
    QString receiptsText() const;
    QString statusText() const;
    void showReceipts();
    int running() const;

private:
    void caseOpened();
    void caseClosed();
    void refreshSuggestions();
    void refreshActions();
    void refreshReceipts();
    void editorFromSuggestion(const containment::Suggestion& s);
    std::optional<containment::ActionSpec> editorSpec();
    containment::IssueOptions editorOptions() const;
    void say(const QString& text, bool error = false);
    void sayAboutSuggestions(const QString& text); // a word the next suggestions may replace
    void retrySelected();
    void reverseSelected();
    void reconcileAll();
    void openBackends();
    void actionChanged(const store::ActionRecord& r, const QString& progress);

    Workbench m_wb;
    std::unique_ptr<store::CaseStore> m_store;
    std::shared_ptr<containment::CredentialStore> m_credentials;
    std::unique_ptr<containment::ContainmentService> m_service;
    QList<containment::Backend> m_backends;
    containment::ContainmentSettings m_settings;
    std::vector<containment::Suggestion> m_suggestions;

    QLabel* m_status;
    bool m_statusAboutSuggestions = true; // m_status holds a word about the suggestions, or nothing
    QLabel* m_summary;
    QTreeWidget* m_suggestionView;
    QComboBox* m_action;
    QComboBox* m_backend;
    QLineEdit* m_target;
    QLineEdit* m_approver;
    QCheckBox* m_breakGlass;
    QLineEdit* m_breakReason;
    QLineEdit* m_message;
    QPushButton* m_dryRunButton;
    QPushButton* m_issueButton;
    QTabWidget* m_tabs;
    QPlainTextEdit* m_dryRun;
    QPlainTextEdit* m_receipts;
    QTableView* m_actionView;
    ActionsModel* m_actions;
};

} // namespace chainsight::views
