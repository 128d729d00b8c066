// Tabletop exercise scenarios and automation policies: the two documented files of docs/exercise.md. A scenario is
// a bundle (or a case file) plus a script of injects and the expected response; a policy says, per agent, which
// findings or incident types at which confidence trigger which containment action, automatically or through an
// analyst. Both are strict JSON (core/json); errors name the file and the field. QtCore only.
#pragma once

#include "core/Result.h"
#include "core/json/Json.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chainsight::exercise {

// One timed message to the participants, with optional new evidence (event ids they are pointed to).
struct Inject
{
    int64_t atNs = 0; // scenario time: nanoseconds after the scenario's start
    std::string id;   // stable id ("inj-3"); generated from the position when absent
    std::string from; // who speaks ("payments team")
    std::string message;
    std::vector<std::string> evidence; // event ids of the case
};

struct ExpectedContainment
{
    std::string action; // a containment action name (kill-sessions, quarantine-tool, ...)
    std::string target; // "" matches any target
    int64_t byNs = -1;  // deadline in scenario time; -1: none
};

struct ExpectedAnswer
{
    std::string incidentType; // reasoning_compromise, ...
    int64_t classifyByNs = -1;
    std::vector<std::string> injectionSources, harmfulActions; // event ids
    std::string firstSignal;                                   // event id; "" = the earliest injection source
    std::vector<ExpectedContainment> containment;
    std::vector<std::string> checklist; // checklist item ids the team is expected to complete
    std::string notes;                  // the facilitator's model answer, shown in the after-action report
};

struct Scenario
{
    QString file;    // where it was read from
    QString baseDir; // relative paths resolve against this
    std::string title, description;
    QString source; // absolute path of the bundle directory/archive or case file
    bool sourceIsCase = false;
    int64_t startOffsetNs = 0;   // scenario time 0 = the case's first event + this
    std::vector<Inject> injects; // in time order
    ExpectedAnswer answer;
    QString policy;     // the automation policy to evaluate (absolute path), "" when none
    std::string sha256; // of the file's bytes
};

Result<Scenario> parseScenario(std::string_view text, const QString& file);
Result<Scenario> loadScenario(const QString& path);
json::Value scenarioToJson(const Scenario& s); // the file's shape, with paths as given relative to baseDir

// "+90s", "+12m", "+1h30m", "45" (seconds), "00:12:30": an offset in scenario time. nullopt when malformed.
std::optional<int64_t> parseOffset(std::string_view text);
std::string formatOffset(int64_t ns); // "+12:30" (m:ss) or "+1:02:03"

enum class PolicyMode { Automatic, RouteToAnalyst };

struct PolicyRule
{
    std::string id;
    std::string agent = "*";  // agent id or "*"
    std::string finding;      // a finding rule (tainted_action, ...); or
    std::string incidentType; // an incident type of the agent's sessions
    std::string minSeverity;  // finding rules: info|low|medium|high|critical
    double minConfidence = 0; // incident-type rules
    std::string action;       // containment action name
    std::string target;       // "{agent}" is replaced by the agent id; default "{agent}"
    PolicyMode mode = PolicyMode::RouteToAnalyst;
};

struct AutomationPolicy
{
    QString file;
    std::string title;
    std::vector<PolicyRule> rules;
};

Result<AutomationPolicy> parsePolicy(std::string_view text, const QString& file);
Result<AutomationPolicy> loadPolicy(const QString& path);
std::string_view policyModeName(PolicyMode m); // automatic, route-to-analyst

} // namespace chainsight::exercise
