// The SQL of the response workflow (issue 6): classifications, checklist items, RACI cells (schema v2) and phase
// closures, agent profiles and response settings (v3). Plain reads and writes; the caller (core/response) wraps
// each change and its custody entry in one transaction.
#pragma once

#include "core/Result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chainsight::store {

class CaseStore;

struct ClassificationRecord
{
    int64_t id = 0;
    std::string ts, actor;
    std::string source; // machine | analyst
    std::string type;
    int tier = 0;           // 0 = not given
    double confidence = -1; // -1 = not given
    std::string reason;
};

struct ChecklistRecord
{
    std::string item;
    std::string state = "open"; // open, in_progress, done, not_applicable
    std::string owner, due, notes;
    std::vector<std::string> events; // bundle event ids
    std::string changedBy, changedAt;
};

struct PhaseRecord
{
    std::string phase;
    bool closed = false;
    std::string changedBy, changedAt;
};

struct AgentProfileRecord
{
    std::string agent, criticality;
    std::optional<bool> highRisk;
    std::string changedBy, changedAt;
};

struct CustodyMark
{
    int64_t seq = 0;
    std::string ts, actor, action, target, detail;
};

class ResponseStore
{
public:
    explicit ResponseStore(CaseStore& store) : m_store(store) {}
    // False for a case older than schema v3 opened read-only (nothing of the response kept yet).
    bool hasTables() const;

    Result<std::vector<ClassificationRecord>> classifications();
    Result<int64_t> insertClassification(const ClassificationRecord& r);
    Status deleteClassification(int64_t id);

    Result<std::map<std::string, ChecklistRecord>> checklist();
    Status putChecklist(const ChecklistRecord& r);
    Status deleteChecklist(const std::string& item);

    Result<std::map<std::pair<std::string, std::string>, char>> raci(); // (activity, role) -> R/A/C/I
    Status setRaci(const std::string& activity, const std::string& role, std::optional<char> value);

    Result<std::map<std::string, PhaseRecord>> phases();
    Status putPhase(const PhaseRecord& r);
    Status deletePhase(const std::string& phase);

    Result<std::map<std::string, AgentProfileRecord>> agentProfiles();
    Status putAgentProfile(const AgentProfileRecord& r);
    Status deleteAgentProfile(const std::string& agent);

    Result<std::map<std::string, std::string>> settings();
    Status setSetting(const std::string& key, const std::optional<std::string>& value);

    // Custody entries with one of these actions, in order (for clocks: contain.outcome, classification.*).
    Result<std::vector<CustodyMark>> custodyWithActions(const std::vector<std::string>& actions);
    // Custody entries naming this target (an item's history).
    Result<std::vector<CustodyMark>> custodyForTarget(const std::string& target, int limit = 50);

private:
    CaseStore& m_store;
};

} // namespace chainsight::store
