// The analyst's side of an incident, kept in the case: the classification decision (the machine's proposal and the
// analyst's confirmation or override, with who, when and why), the checklist of the type's playbook, the RACI
// matrix, phase closures gated on verification items, agent criticality and high-risk flags, and the clocks.
// Every change is an Edit: plain data with a before and an after, applied or reverted in one transaction together
// with its custody entry, so the GUI's undo stack and the custody log never disagree. QtCore only.
#pragma once

#include "core/Result.h"
#include "core/analysis/Analysis.h"
#include "core/custody/Custody.h"
#include "core/model/Event.h"
#include "core/json/Json.h"
#include "core/response/Playbook.h"
#include "core/store/ResponseStore.h"

#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::response {

enum class ItemState { Open, InProgress, Done, NotApplicable };
std::string_view itemStateKey(ItemState s); // open, in_progress, done, not_applicable
std::optional<ItemState> itemStateFromKey(std::string_view key);

// One analyst change, as data. kind names the record; before/after are its JSON (null = absent).
struct Edit
{
    enum class Kind { Classification, Item, Raci, Phase, Agent, Setting };
    Kind kind = Kind::Item;
    std::string key; // item id, "activity|role", phase key, agent, setting key
    json::Value before, after;
    std::string label;   // for the undo menu: "Mark 'Revoke tool tokens' done"
    int64_t applied = 0; // classification: the row the last apply inserted
};

struct RaciProblem
{
    std::string activity, what; // "no A", "2 A (ic, soc)", "no R"
};

struct ContainmentTarget
{
    std::string step, title;
    std::vector<std::string> targets; // from the blast radius
};

struct LadderProposal
{
    std::string agent, criticality; // the agent the rung is for, and its criticality (analyst's, else baseline's)
    std::string rung, why;
    int tier = 1;
    std::vector<std::string> tierActions;
    std::vector<ContainmentTarget> revokeFirst; // the containment order with the case's targets
};

struct PhaseProgress
{
    Phase phase = Phase::Detect;
    int total = 0, done = 0, notApplicable = 0, inProgress = 0, open = 0, overdue = 0;
    bool closed = false;
    std::string closedBy, closedAt;
    std::vector<std::string> blockers; // why the phase cannot close ("gate item X is open")
};

struct Clock
{
    std::string id, title;
    std::string from, to;    // RFC 3339; to empty while running
    int64_t elapsedMs = -1;  // -1 when it never started
    std::string deadline;    // for deadline clocks; empty otherwise
    int64_t remainingMs = 0; // negative when past the deadline
};

struct Metrics
{
    std::string awarenessAt, awarenessSource; // analyst | first machine proposal | case created
    std::optional<Clock> toClassification, toContainment;
    std::vector<PhaseProgress> phases;
    int itemsTotal = 0, itemsClosed = 0;
    // Forensic chain: preservation items done, custody chain intact, evidence artefacts present (from the analysis).
    int forensicsDone = 0, forensicsTotal = 0;
    bool custodyIntact = true;
    double artifactCompleteness = -1; // -1 without an analysis
    double forensicCompleteness = 0;  // 0..1
    std::vector<std::string> highRiskAgents;
    std::vector<Clock> euAiAct; // Article 73 clocks, when an agent is high-risk
};

struct ResponseState
{
    std::vector<store::ClassificationRecord> history;
    std::optional<store::ClassificationRecord> machine, analyst; // the latest of each
    std::string type;                                            // effective: analyst's, else machine's; "" when none
    int tier = 0;
    std::map<std::string, store::ChecklistRecord> items;
    std::map<std::pair<std::string, std::string>, char> raci;
    std::vector<Role> roles;
    std::map<std::string, store::PhaseRecord> phases;
    std::map<std::string, store::AgentProfileRecord> agentProfiles; // the analyst's
    std::map<std::string, std::string> settings;
    std::map<std::string, AgentBaseline> baselines; // from the bundles' agents.json
};

class ResponseCase
{
public:
    // Works on an open case (read-write to edit; read-only to print).
    static Result<std::unique_ptr<ResponseCase>> open(store::CaseStore& store, PlaybookLibrary library);
    ~ResponseCase();

    Status reload();
    const ResponseState& state() const { return m_state; }
    const PlaybookLibrary& library() const { return m_library; }
    const Playbook* playbook() const; // of the effective type; null when none
    bool readOnly() const;
    void setActor(custody::Actor a) { m_actor = std::move(a); }
    const custody::Actor& actor() const { return m_actor; }

    // The record of an item (a default one when the analyst never touched it).
    store::ChecklistRecord item(const std::string& id) const;
    ItemState itemState(const std::string& id) const;
    // The due time shown: the analyst's, else awareness + the playbook's due_hours; empty when none.
    std::string effectiveDue(const PlaybookItem& item) const;

    // Records the analysis's proposal as a machine classification when it differs from the latest one
    // (custody classification.machine). No-op when unchanged.
    Status recordMachineProposal(const analysis::AnalysisReport& report);

    // Edits (validated, not yet applied). Apply with apply(); undo with revert().
    Result<Edit> classify(const std::string& type, int tier, const std::string& reason) const;
    Result<Edit> updateItem(const store::ChecklistRecord& record, const std::string& label = {}) const;
    Result<Edit> setRaci(const std::string& activity, const std::string& role, std::optional<char> value) const;
    Result<Edit> setPhaseClosed(Phase phase, bool closed) const; // closing refuses while gates are not met
    Result<Edit> setAgentProfile(const std::string& agent, const std::string& criticality,
                                 std::optional<bool> highRisk) const;
    Result<Edit> setAwareness(const std::string& rfc3339) const; // empty: back to the default
    Result<Edit> setRoles(const std::vector<Role>& roles) const;

    Status apply(Edit& e);
    Status revert(Edit& e);

    // Why a phase cannot close: each unmet gate item, one line each. Empty when it can.
    std::vector<std::string> gateBlockers(Phase p) const;
    std::vector<RaciProblem> raciProblems() const;
    // The RACI activities: the six phases, then every item with a cell set.
    std::vector<std::string> raciActivities() const;
    // Criticality and high-risk of an agent: the analyst's setting, else the bundle baseline's.
    std::string criticality(const std::string& agent) const;
    bool highRisk(const std::string& agent) const;
    LadderProposal ladder(const analysis::AnalysisReport* report) const;
    Metrics metrics(const analysis::AnalysisReport* report, int64_t nowMs) const;

    // `chainsight playbook --json` shape (stable keys; see docs/playbooks.md).
    json::Value toJson(const analysis::AnalysisReport* report, int64_t nowMs) const;
    std::string toText(const analysis::AnalysisReport* report, int64_t nowMs) const;

    store::CaseStore& caseStore() { return m_store; }

private:
    ResponseCase(store::CaseStore& store, PlaybookLibrary library);
    Status write(const Edit& e, const json::Value& value, bool undo, Edit* mutableEdit);
    std::string awareness(std::string* source) const;

    store::CaseStore& m_store;
    store::ResponseStore m_sql;
    PlaybookLibrary m_library;
    ResponseState m_state;
    custody::Actor m_actor;
};

// "3h 05m", "2d 04h", "12m 30s".
std::string formatDuration(int64_t ms);

} // namespace chainsight::response
