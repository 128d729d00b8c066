// The analysis of a case: why did the agent do it, and what did it reach? One streaming pass over the
// case's events (CaseStore::forEachEvent) builds a compact index of values and their provenance, checks
// each agent against its baseline and the decision log, and then decides, per session and for the case,
// the incident type, its confidence, its tier and the reasons, each naming the bundle's event ids.
// QtCore only; run it off the UI thread (it reads the whole case).
#pragma once

#include "core/Result.h"
#include "core/json/Json.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::analysis {

enum class IncidentType { None, ReasoningCompromise, PrivilegeBoundaryEscape, RuntimeExecutionEscape };
std::string_view incidentTypeName(IncidentType t); // none, reasoning_compromise, ...

enum class Severity { Info, Low, Medium, High, Critical };
std::string_view severityName(Severity s);

struct AtlasRef
{
    std::string id, name;
};

struct Finding
{
    std::string rule;                // e.g. tainted_action, injection_attempt, egress_not_allowed
    Severity severity = Severity::Info;
    std::string summary;             // one line, names values and tools
    std::vector<std::string> events; // bundle event ids, the key event first
    std::vector<AtlasRef> atlas;
    std::string agent, session;
};

struct Reason
{
    std::string event, why;
};

struct TaintEdge
{
    std::string source, action, value; // event ids and the value that travelled
    std::string argument;               // the argument path in the action ("recipient", "body/to")
    std::string sourceKind;             // tool_output, retrieval:rag, inbound:email, delegation, memory, ...
    std::string via;                    // the delegation or memory event that carried it across, if any
    bool injected = false;              // the value sat inside injection language in the source
    bool directive = false;             // ... in an imperative sentence
    int score = 0;                      // corroboration score of the action (see docs/analysis.md)
    bool harmful = false;
};

struct BlastRadius
{
    std::set<std::string> agents, identities, tools, destinations, dataSources;
};

struct AgentBom
{
    std::string agent;
    std::set<std::string> models, tools, mcpServers, ragSources, memoryStores, identities;
};

struct SessionCompleteness
{
    std::vector<std::string> present, missing; // artifact names
};

struct SessionVerdict
{
    std::string session, agent;
    IncidentType type = IncidentType::None;
    double confidence = 0;
    int tier = 1;
    std::vector<Reason> rationale;
    std::vector<std::string> injectionSources, harmfulActions;
    std::vector<std::string> attemptSources; // injection language the agent read but did not act on
    Severity maxSeverity = Severity::Info;
    int findings = 0;
    int64_t events = 0;
    int64_t firstTs = 0, lastTs = 0;
    SessionCompleteness completeness;
    std::string metadata; // the session's own metadata as imported (e.g. a transcript run's), JSON or ""
};

struct AnalysisReport
{
    IncidentType type = IncidentType::None;
    double confidence = 0;
    int tier = 1;
    std::vector<Reason> rationale;
    std::vector<Finding> findings;
    std::vector<std::string> injectionSources, harmfulActions; // sources the harmful actions drew on
    std::vector<std::string> attemptSources;                   // injection language not acted on
    std::vector<TaintEdge> taint; // harmful edges first; capped (taintTotal has the full count)
    int64_t taintTotal = 0;
    BlastRadius blast;
    std::vector<AgentBom> aiBom;
    // completeness: artifact -> sessions holding it; per session in sessions[]
    std::map<std::string, int64_t> artifactSessions;
    std::vector<SessionVerdict> sessions;
    int64_t events = 0;
    double seconds = 0;
    std::string atlasVersion;
};

struct AnalysisOptions
{
    size_t maxTaintEdges = 2000;
    size_t maxFindingEvents = 50;
    // Read and prepare the events on a second thread (and connection) while this one analyses them. Off:
    // everything on the calling thread. The report is the same either way.
    bool readAhead = true;
    const std::atomic<bool>* cancel = nullptr;
};

Result<AnalysisReport> analyzeCase(store::CaseStore& store, const AnalysisOptions& options = {});

// The report as one JSON object (the `chainsight analyze --json` shape). allSessions: every session's
// verdict; otherwise only the sessions with an incident or a finding above low.
json::Value reportToJson(const AnalysisReport& report, bool allSessions);
// A readable summary for the terminal.
std::string reportToText(const AnalysisReport& report, bool allSessions);

} // namespace chainsight::analysis
