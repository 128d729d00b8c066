// Correlation of cloud audit records (CloudTrail) with the agent actions that caused them, by identity and time.
// Agent actions (tool calls, with the identity they ran as) come from the case and from the bundle being
// imported; identity changes (agent-side assume_role / token_exchange events, and the AssumeRole records of the
// cloud log itself) extend an agent session to the identities it took on. A record matches the closest agent
// action before it (or within a small skew after it: CloudTrail times have one-second precision) whose session
// holds one of the record's identities; a tool whose name or arguments name the API called wins a tie.
// The match is recorded on the cloud event (`correlation`, and `parent` when both are in one bundle), never by
// changing evidence already in the case.
#pragma once

#include "core/model/Event.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::importers {

// Identity keys of a principal: the string itself (lower-cased) and its bare name, e.g. "sa:refund-bot@prod",
// "role:refund-bot" and "arn:aws:sts::1:assumed-role/refund-bot/s-1" all have the bare name "refund-bot".
std::vector<std::string> identityKeys(std::string_view principal);

struct AgentAction
{
    int64_t tsNs = 0;
    std::string eventId, agent, session, identity, tool, hint; // hint: lower-cased tool name and arguments
    int64_t bundleRow = 0;                                     // 0: the bundle being imported
    std::string bundleId;
    bool identityChange = false; // an agent-side identity change (what an AssumeRole record is matched to)
};

struct CorrelationMatch
{
    const AgentAction* action = nullptr;
    std::string basis;   // identity | identity-name | assumed-identity | session-name
    int64_t deltaNs = 0; // record time - action time
};

class Correlator
{
public:
    struct Window
    {
        int64_t beforeNs = 120LL * 1000000000LL; // an action up to this long before the record
        int64_t afterNs = 2LL * 1000000000LL;    // or this long after it (clock skew, second precision)
    };
    Correlator() = default;
    explicit Correlator(Window w) : m_window(w) {}

    // Reads tool calls and identity changes already in the case, and the agents' baseline identities.
    Status loadCase(store::CaseStore& store);
    // Events of the bundle being imported (logs/ of a native bundle).
    void addEvent(const Event& e, int64_t bundleRow = 0, const std::string& bundleId = {});
    // A session took on an identity from tsNs on (an identity change), until untilNs (0: open).
    void addAssumedIdentity(const std::string& agent, const std::string& session, const std::string& identity,
                            int64_t tsNs, int64_t untilNs = 0);
    void addBaselineIdentity(const std::string& agent, const std::string& identity);

    // Principal aliases of a record (ARN, principal id, role/user name, role session name, access key).
    // identityChange: the record is itself an identity change (AssumeRole), matched to the agent's identity change.
    std::optional<CorrelationMatch> match(const std::vector<std::string>& aliases, const std::string& sessionName,
                                          int64_t tsNs, std::string_view apiName, std::string_view service,
                                          bool identityChange = false) const;
    // The agent whose baseline lists one of the aliases (empty when none).
    std::string baselineAgent(const std::vector<std::string>& aliases) const;
    // The agent session that took on one of the aliases at tsNs, if any.
    std::optional<std::pair<std::string, std::string>> sessionOf(const std::vector<std::string>& aliases,
                                                                 int64_t tsNs) const;

    size_t actions() const { return m_actions.size(); }

private:
    void index(size_t i);
    struct Assumed
    {
        std::string agent, session;
        int64_t from = 0, until = 0;
        bool exact = true;
    };
    Window m_window;
    std::vector<AgentAction> m_actions;                                             // in arrival order
    std::unordered_map<std::string, std::vector<size_t>> m_byKey;                   // identity key -> actions
    std::map<std::pair<std::string, std::string>, std::vector<size_t>> m_bySession; // (agent, session) -> actions
    std::unordered_map<std::string, std::vector<Assumed>> m_assumed;      // identity key -> sessions holding it
    std::unordered_map<std::string, std::string> m_baseline;              // identity key -> agent
    std::unordered_map<std::string, std::vector<size_t>> m_bySessionName; // session id (lower) -> actions
};

} // namespace chainsight::importers
