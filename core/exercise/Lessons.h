// Lessons out: what a closed incident teaches the next one. The per-agent baseline tightened to least privilege
// from what each agent really used in its clean sessions (the sessions with no finding and no incident), in the
// agents.json shape of the bundle spec; and the detections that fired, as Sigma rules for the SIEM-visible parts
// (tool calls, retrievals, egress, identity changes). QtCore only.
#pragma once

#include "core/Result.h"
#include "core/analysis/Analysis.h"
#include "core/json/Json.h"

#include <string>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::exercise {

struct BaselineChange
{
    std::string agent;
    int cleanSessions = 0;
    std::vector<std::string> removed; // "allowed_tools: email.send", ...
    std::vector<std::string> added;   // fields the baseline lacked, now set from what was used
};

struct TightenedBaseline
{
    json::Value agentsJson; // {"agents": [...]}, as agents.json
    std::vector<BaselineChange> changes;
};

Result<TightenedBaseline> tightenBaseline(store::CaseStore& store, const analysis::AnalysisReport& report);

struct SigmaRule
{
    std::string id, title, fileName; // fileName: a safe file name ending in .yml
    std::string yaml;
};

Result<std::vector<SigmaRule>> sigmaRules(store::CaseStore& store, const analysis::AnalysisReport& report,
                                          const json::Value* tightenedAgents = nullptr);

// A YAML double-quoted scalar (JSON string escapes are valid YAML).
std::string yamlQuote(std::string_view s);

} // namespace chainsight::exercise
