// Issues containment actions against configured backends with their records: the approval gate, the intent committed
// (row + contain.intent) before the request leaves, the outcome (contain.outcome) after, retries with the same
// Idempotency-Key, reversal of reversible actions, and reconciliation of actions whose outcome is unknown.
// Runs on the thread that owns the CaseStore; requests are asynchronous on that thread's event loop.
#pragma once

#include "core/Result.h"
#include "core/containment/Containment.h"
#include "core/containment/Credentials.h"
#include "core/containment/Executor.h"
#include "core/store/ActionStore.h"

#include <QList>

#include <functional>
#include <memory>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::containment {

struct ContainmentSettings
{
    bool requireApproval = true; // destructive actions need a second analyst's approval
    TransportPolicy transport;
};

struct IssueOptions
{
    QString approver;
    QString breakGlassReason; // non-empty: proceed without approval, flagged in the record
};

// What a dry run shows: the exact request with every secret masked.
struct DryRun
{
    QString maskedRequest;
    QString recordedTarget;
    bool needsApproval = false;
};

class ContainmentService
{
public:
    ContainmentService(store::CaseStore& store, CredentialStore& credentials, QList<Backend> backends,
                       ContainmentSettings settings);
    ~ContainmentService();

    const QList<Backend>& backends() const { return m_backends; }
    const ContainmentSettings& settings() const { return m_settings; }
    std::optional<Backend> backend(const QString& name) const;

    using Changed = std::function<void(const store::ActionRecord&, const QString& progress)>;
    // Called on every state change and progress step of any action.
    void setObserver(Changed observer) { m_observer = std::move(observer); }

    // The exact request, secrets masked; records contain.dry_run in custody. Nothing is sent.
    Result<DryRun> dryRun(const ActionSpec& spec, const IssueOptions& options);
    // Checks approval, commits the intent, sends. Returns the action id at once; the outcome arrives later
    // (observer; done when given). Refused (no record) when the approval gate says no.
    Result<int64_t> issue(ActionSpec spec, const IssueOptions& options,
                          std::function<void(const store::ActionRecord&)> done = {});
    // Sends a failed or unknown action again with the same idempotency key and body (the backend replays the result
    // if it already had it).
    Result<int64_t> resend(int64_t id, std::function<void(const store::ActionRecord&)> done = {});
    // Issues the reverse action of a confirmed reversible action.
    Result<int64_t> reverse(int64_t id, const IssueOptions& options,
                            std::function<void(const store::ActionRecord&)> done = {});
    // On open: intent/sent -> unknown.
    Result<int> markInterrupted();

    store::ActionStore& actions() { return m_actions; }
    int running() const { return m_executor.running(); }
    // The approval gate alone (for the panel): empty when the action may go.
    Status checkApproval(ActionKind kind, const QString& actor, const IssueOptions& options) const;

private:
    struct Prepared
    {
        Backend backend;
        HttpRequest request;
        QList<QSslCertificate> cas;
    };
    Result<Prepared> prepare(const ActionSpec& spec, qint64 timestamp);
    Result<ActionSpec> specOf(const store::ActionRecord& r);
    void send(int64_t id, Prepared p, std::function<void(const store::ActionRecord&)> done);
    void notify(int64_t id, const QString& progress);

    store::CaseStore& m_store;
    CredentialStore& m_credentials;
    QList<Backend> m_backends;
    ContainmentSettings m_settings;
    store::ActionStore m_actions;
    Executor m_executor;
    Changed m_observer;
    QHash<int64_t, QByteArray> m_literalTokens; // literal tokens of this session only, never written anywhere
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace chainsight::containment
