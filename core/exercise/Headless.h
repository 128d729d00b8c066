// Playing a scenario without a display: the replay runs on a virtual wall clock (or the real one), injects come due
// in order, a scripted team (a team-actions file) classifies, contains and ticks checklist items at their times, the
// automation policy is evaluated over the same replay, and the run ends with the score. The CLI's
// `chainsight exercise SCENARIO --headless` and the tests drive it. QtCore only.
#pragma once

#include "core/exercise/Exercise.h"

#include <functional>

namespace chainsight::exercise {

struct TeamAction
{
    enum class Kind { Classify, Contain, Checklist };
    Kind kind = Kind::Classify;
    int64_t atNs = 0;
    std::string value;  // incident type, containment action, or checklist item
    std::string target; // containment target
    std::string state = "done";
};

// {"format": "chainsight-exercise-actions", "version": 1, "actions": [{"at": "+5m", "classify": "..."},
//  {"at": "+6m", "contain": "kill-sessions", "target": "refund-agent"}, {"at": "+8m", "checklist": "ITEM", "state":
//  "done"}]}
Result<std::vector<TeamAction>> parseTeamScript(std::string_view text, const QString& file);
Result<std::vector<TeamAction>> loadTeamScript(const QString& path);

struct HeadlessOptions
{
    double speed = 60;
    bool realtime = false; // wait for real; otherwise a virtual clock (no waiting)
    std::vector<TeamAction> team;
    std::optional<AutomationPolicy> policy;
    QString participantCase; // where the participants' case is written (must not exist)
    int64_t stopAtNs = -1;   // scenario time to stop at; -1 = the end of the case
    const std::atomic<bool>* cancel = nullptr;
};

struct TimelineEntry
{
    enum class Kind { Inject, Team, Policy, End };
    Kind kind = Kind::Inject;
    int64_t atNs = 0;
    double wallOffsetS = 0;    // when the participants saw it, after the run's start, at the chosen speed
    json::Value detail;        // kind-specific fields
    int64_t visibleEvents = 0; // events in the participants' case at that moment
};

struct HeadlessRun
{
    Truth truth;
    std::vector<TimelineEntry> timeline;
    std::optional<PolicyEvaluation> policy;
    TeamRecord team;
    Score score;
    analysis::AnalysisReport finalView; // the participants' analysis at the end
    int64_t endNs = 0;
};

Result<HeadlessRun> runHeadless(const Scenario& scenario, const QString& fullCase, const HeadlessOptions& options);
json::Value headlessToJson(const Scenario& scenario, const HeadlessOptions& options, const HeadlessRun& run);
std::string_view timelineKindName(TimelineEntry::Kind k); // inject, team, policy, end

} // namespace chainsight::exercise
