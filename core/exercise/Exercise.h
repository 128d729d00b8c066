// Scoring a tabletop exercise and evaluating an automation policy over its replay. The truth comes from the
// facilitator's full case and the scenario's expected answer; the team's record comes from the participants' case
// (analyst classifications, containment custody entries — real or `simulated: true` — and checklist items), with
// wall times mapped to scenario time by the replay clock. QtCore only.
#pragma once

#include "core/Result.h"
#include "core/analysis/Analysis.h"
#include "core/exercise/Replay.h"
#include "core/exercise/Scenario.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chainsight::exercise {

struct HarmfulAction
{
    std::string event, agent, tool, summary;
    int64_t ts = 0; // absolute ns
};

// What happened, from the full case: the scenario's time base, the first signal and the harmful actions.
struct Truth
{
    int64_t startTs = 0, endTs = 0; // absolute ns: scenario time 0 and the last event
    int64_t firstSignalTs = 0;      // absolute ns
    std::string firstSignalEvent;
    std::vector<HarmfulAction> harmful; // in time order
    analysis::AnalysisReport analysis;  // of the full case
    int64_t toScenario(int64_t absoluteNs) const { return absoluteNs - startTs; }
    int64_t toAbsolute(int64_t scenarioNs) const { return startTs + scenarioNs; }
};

Result<Truth> buildTruth(const QString& fullCase, const Scenario& scenario);

struct TeamRecord
{
    struct Classification
    {
        int64_t atNs = 0; // scenario time
        std::string type, actor;
    };
    struct Containment
    {
        int64_t atNs = 0;
        std::string action, target, actor;
        bool simulated = false;
    };
    struct ChecklistState
    {
        std::string item, state;
        int64_t atNs = -1;
    };
    std::vector<Classification> classifications;
    std::vector<Containment> containments;
    std::vector<ChecklistState> checklist;
};

// Reads the team's record from the participants' case. Times recorded by this exercise carry their scenario time;
// others (a classification set in the response panel) are mapped from their wall time through clock.
Result<TeamRecord> readTeamRecord(store::CaseStore& participant, const ReplayClock& clock);

// Records a simulated containment: `contain.intent` and `contain.outcome` custody entries with `simulated: true`,
// in one transaction. Nothing leaves the machine.
Status recordSimulatedContainment(store::CaseStore& participant, const std::string& action, const std::string& target,
                                  int64_t scenarioNs, int64_t wallMs,
                                  const custody::Actor& actor = custody::Actor::current());
// A scripted team's classification and checklist change (headless runs), each with its custody entry.
Status recordClassification(store::CaseStore& participant, const std::string& type, int64_t scenarioNs, int64_t wallMs,
                            const custody::Actor& actor = custody::Actor::current());
Status recordChecklist(store::CaseStore& participant, const std::string& item, const std::string& state,
                       int64_t scenarioNs, int64_t wallMs, const custody::Actor& actor = custody::Actor::current());

struct Score
{
    // classification
    bool classified = false, typeCorrect = false, classifiedOnTime = false;
    int64_t classifiedAtNs = -1;
    std::string classifiedType;
    // containment, one row per expected action
    struct ContainmentRow
    {
        ExpectedContainment expected;
        bool issued = false, onTime = false, simulated = false;
        int64_t atNs = -1;
        std::string target;
    };
    std::vector<ContainmentRow> containment;
    std::vector<TeamRecord::Containment> otherContainment; // issued but not expected
    int64_t containedAtNs = -1;                            // the first expected containment issued; -1 when none
    // harm
    int harmTotal = 0, harmBeforeSignal = 0, harmAfterSignal = 0, harmPrevented = 0;
    std::vector<HarmfulAction> harmDone, harmAvoided; // after the signal: before / after containment
    // checklist
    struct ChecklistRow
    {
        std::string item, state;
        bool done = false;
        int64_t atNs = -1;
    };
    std::vector<ChecklistRow> checklist;
    // points (see docs/exercise.md)
    int classificationPoints = 0, containmentPoints = 0, harmPoints = 0, checklistPoints = 0, total = 0;
    int64_t scoredAtNs = 0;
};

Score scoreExercise(const Scenario& scenario, const Truth& truth, const TeamRecord& team, int64_t nowNs);
json::Value scoreToJson(const Score& s);

struct PolicyFiring
{
    std::string rule, agent, action, target;
    PolicyMode mode = PolicyMode::RouteToAnalyst;
    int64_t atNs = 0; // scenario time
    std::string because;
    std::vector<std::string> events;
};

struct PolicyEvaluation
{
    std::vector<PolicyFiring> firings; // in time order; each (rule, agent) once, at its first moment
    int checkpoints = 0;               // analyses run
    double seconds = 0;
    // Harm the policy would have allowed: harmful actions after the first signal and no later than the first
    // automatic action fired for their agent (all of them when none fires for it).
    int harmAllowed = 0;
    int64_t firstAutomaticNs = -1;
};

// Evaluates the policy over the replay: the case is cut at every moment its answer can change (the time of each
// event the full analysis names, and each inject) and analysed as the participants would see it then. workCase is
// a path for a scratch participants' case (created, and removed afterwards).
Result<PolicyEvaluation> evaluatePolicy(const AutomationPolicy& policy, const QString& fullCase,
                                        const Scenario& scenario, const Truth& truth, const QString& workCase,
                                        const std::atomic<bool>* cancel = nullptr);
json::Value policyToJson(const PolicyEvaluation& p);

// The after-action report: the team's scores beside the scenario's expected response, as HTML (QTextDocument
// subset) for the panel and as a file.
std::string afterActionHtml(const Scenario& scenario, const Truth& truth, const Score& score,
                            const std::optional<PolicyEvaluation>& policy);

} // namespace chainsight::exercise
