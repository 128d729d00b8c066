// Truth, the team's record, scoring, the automation policy over the replay, and the after-action report.
#include "core/exercise/Exercise.h"

#include "core/model/Time.h"
#include "core/store/CaseStore.h"
#include "core/store/ExerciseStore.h"

#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace chainsight::exercise {

namespace {

using json::Value;

struct EventInfo
{
    int64_t ts = 0;
    std::string agent, tool, summary;
};

bool sameText(std::string a, std::string b)
{
    std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return std::tolower(c); });
    std::transform(b.begin(), b.end(), b.begin(), [](unsigned char c) { return std::tolower(c); });
    return a == b;
}

bool targetMatches(const std::string& expected, const std::string& issued)
{
    if (expected.empty()) return true;
    std::string e = expected, i = issued;
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
    std::transform(i.begin(), i.end(), i.begin(), [](unsigned char c) { return std::tolower(c); });
    return i.find(e) != std::string::npos; // "payments/refund-agent" contains "refund-agent"
}

int severityRank(std::string_view s)
{
    static const char* kNames[] = {"info", "low", "medium", "high", "critical"};
    for (int i = 0; i < 5; ++i)
        if (s == kNames[i]) return i;
    return 0;
}

std::string htmlEscape(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

int64_t wallFromRfc(const std::string& ts)
{
    return parseRfc3339(ts).value_or(0) / 1000000;
}

} // namespace

Result<Truth> buildTruth(const QString& fullCase, const Scenario& scenario)
{
    store::OpenOptions ro;
    ro.mode = store::OpenOptions::Mode::ReadOnly;
    auto st = store::CaseStore::open(fullCase, ro);
    if (!st) return st.error();
    auto window = (*st)->timeWindow();
    if (!window) return window.error();
    Truth t;
    t.startTs = window->first + scenario.startOffsetNs;
    t.endTs = window->second;
    std::unordered_map<std::string, EventInfo> info;
    CS_TRY((*st)->forEachEvent([&](const Event& e) {
        info.emplace(e.id, EventInfo{e.tsNs, e.agent, e.tool, e.summary});
        return true;
    }));
    auto report = analysis::analyzeCase(**st);
    if (!report) return report.error();
    t.analysis = std::move(*report);

    // Harmful actions: the scenario's answer when it gives them, else what the analysis found.
    const std::vector<std::string>& harmful =
        scenario.answer.harmfulActions.empty() ? t.analysis.harmfulActions : scenario.answer.harmfulActions;
    for (const std::string& id : harmful) {
        auto it = info.find(id);
        if (it == info.end())
            return makeError(ErrorCode::Format,
                             QStringLiteral("event %1 is not in the case").arg(QString::fromStdString(id)),
                             scenario.file, -1, QStringLiteral("expected/harmful_actions"));
        t.harmful.push_back({id, it->second.agent, it->second.tool, it->second.summary, it->second.ts});
    }
    std::sort(t.harmful.begin(), t.harmful.end(),
              [](const HarmfulAction& a, const HarmfulAction& b) { return a.ts < b.ts; });

    // First signal: as given, else the earliest injection source (the scenario's, else the analysis's).
    std::vector<std::string> candidates;
    if (!scenario.answer.firstSignal.empty())
        candidates = {scenario.answer.firstSignal};
    else if (!scenario.answer.injectionSources.empty())
        candidates = scenario.answer.injectionSources;
    else
        candidates = t.analysis.injectionSources;
    t.firstSignalTs = t.harmful.empty() ? t.endTs : t.harmful.front().ts;
    bool found = false;
    for (const std::string& id : candidates) {
        auto it = info.find(id);
        if (it == info.end()) {
            if (!scenario.answer.firstSignal.empty())
                return makeError(ErrorCode::Format,
                                 QStringLiteral("event %1 is not in the case").arg(QString::fromStdString(id)),
                                 scenario.file, -1, QStringLiteral("expected/first_signal"));
            continue;
        }
        if (!found || it->second.ts < t.firstSignalTs) {
            t.firstSignalTs = it->second.ts;
            t.firstSignalEvent = id;
            found = true;
        }
    }
    for (const Inject& in : scenario.injects)
        for (const std::string& id : in.evidence)
            if (!info.count(id))
                return makeError(
                    ErrorCode::Format, QStringLiteral("event %1 is not in the case").arg(QString::fromStdString(id)),
                    scenario.file, -1, QStringLiteral("injects/%1/evidence").arg(QString::fromStdString(in.id)));
    return t;
}

// ---- the team's record --------------------------------------------------------------------------------------------

Result<TeamRecord> readTeamRecord(store::CaseStore& participant, const ReplayClock& clock)
{
    TeamRecord team;
    store::ExerciseStore xs(participant);
    auto classes = xs.classifications();
    if (!classes) return classes.error();
    auto custody = participant.custody();
    if (!custody) return custody.error();
    json::Parser parser;
    // Scenario times this exercise wrote into custody details, by (action, target, wall ts).
    std::map<std::string, int64_t> scenarioOf;
    for (const CustodyEntry& e : *custody) {
        auto d = parser.parse(e.detail);
        if (!d || !d->isObject()) continue;
        const Value* at = d->find("scenario_ns");
        const int64_t atNs = at && at->isInt() ? at->asInt() : clock.scenarioAtWall(wallFromRfc(e.ts));
        if (at && at->isInt()) scenarioOf[e.action + "\n" + e.target] = atNs;
        if (e.action == "contain.intent") {
            TeamRecord::Containment c;
            c.atNs = atNs;
            c.action = std::string(d->str("action"));
            if (c.action.empty()) c.action = std::string(d->str("kind"));
            c.target = std::string(d->str("target"));
            if (c.target.empty()) c.target = e.target;
            const Value* sim = d->find("simulated");
            c.simulated = sim && sim->isBool() && sim->asBool();
            c.actor = e.actor;
            team.containments.push_back(std::move(c));
        }
    }
    for (const auto& c : *classes) {
        if (c.source != "analyst") continue;
        auto it = scenarioOf.find("classification.set\n" + c.type + "@" + c.ts);
        team.classifications.push_back(
            {it != scenarioOf.end() ? it->second : clock.scenarioAtWall(wallFromRfc(c.ts)), c.type, c.actor});
    }
    auto items = xs.checklist();
    if (!items) return items.error();
    for (const auto& i : *items) {
        auto it = scenarioOf.find("checklist.update\n" + i.item + "@" + i.changedAt);
        team.checklist.push_back({i.item, i.state,
                                  it != scenarioOf.end()
                                      ? it->second
                                      : (i.changedAt.empty() ? -1 : clock.scenarioAtWall(wallFromRfc(i.changedAt)))});
    }
    std::stable_sort(team.containments.begin(), team.containments.end(),
                     [](const auto& a, const auto& b) { return a.atNs < b.atNs; });
    std::stable_sort(team.classifications.begin(), team.classifications.end(),
                     [](const auto& a, const auto& b) { return a.atNs < b.atNs; });
    return team;
}

Status recordSimulatedContainment(store::CaseStore& participant, const std::string& action, const std::string& target,
                                  int64_t scenarioNs, int64_t wallMs, const custody::Actor& actor)
{
    auto tx = participant.begin();
    if (!tx) return tx.error();
    Value d = Value::object();
    d.set("action", Value::string(action));
    d.set("target", Value::string(target));
    d.set("simulated", Value::boolean(true));
    d.set("scenario_ns", Value::integer(scenarioNs));
    d.set("wall", Value::string(formatRfc3339(wallMs * 1000000)));
    CS_TRY(custody::append(participant, actor, "contain.intent", target, d));
    Value o = d;
    o.set("state", Value::string("confirmed"));
    CS_TRY(custody::append(participant, actor, "contain.outcome", target, o));
    return participant.commit(*tx);
}

Status recordClassification(store::CaseStore& participant, const std::string& type, int64_t scenarioNs, int64_t wallMs,
                            const custody::Actor& actor)
{
    auto tx = participant.begin();
    if (!tx) return tx.error();
    const std::string ts = formatRfc3339(wallMs * 1000000);
    store::ExerciseStore xs(participant);
    CS_TRY(xs.insertClassification({ts, actor.name, type, "analyst"}, "exercise"));
    Value d = Value::object();
    d.set("incident_type", Value::string(type));
    d.set("source", Value::string("analyst"));
    d.set("scenario_ns", Value::integer(scenarioNs));
    CS_TRY(custody::append(participant, actor, "classification.set", type + "@" + ts, d));
    return participant.commit(*tx);
}

Status recordChecklist(store::CaseStore& participant, const std::string& item, const std::string& state,
                       int64_t scenarioNs, int64_t wallMs, const custody::Actor& actor)
{
    auto tx = participant.begin();
    if (!tx) return tx.error();
    const std::string ts = formatRfc3339(wallMs * 1000000);
    store::ExerciseStore xs(participant);
    CS_TRY(xs.putChecklistState({item, state, actor.name, ts}));
    Value d = Value::object();
    d.set("state", Value::string(state));
    d.set("scenario_ns", Value::integer(scenarioNs));
    CS_TRY(custody::append(participant, actor, "checklist.update", item + "@" + ts, d));
    return participant.commit(*tx);
}

// ---- scoring ------------------------------------------------------------------------------------------------------

Score scoreExercise(const Scenario& scenario, const Truth& truth, const TeamRecord& team, int64_t nowNs)
{
    Score s;
    s.scoredAtNs = nowNs;
    const ExpectedAnswer& a = scenario.answer;
    // Classification: the team's latest classification made by now counts; its time is when it was first right
    // (or the latest, when never right).
    for (const auto& c : team.classifications) {
        if (c.atNs > nowNs) continue;
        if (!s.classified || !s.typeCorrect) {
            s.classified = true;
            s.classifiedAtNs = c.atNs;
        }
        s.classifiedType = c.type;
        const bool correct = sameText(c.type, a.incidentType);
        if (correct && !s.typeCorrect) s.classifiedAtNs = c.atNs;
        s.typeCorrect = correct;
    }
    s.classifiedOnTime = s.classified && s.typeCorrect && (a.classifyByNs < 0 || s.classifiedAtNs <= a.classifyByNs);

    // Containment: each expected action is matched by the first issued one of that action and target.
    std::vector<bool> used(team.containments.size(), false);
    for (const auto& ec : a.containment) {
        Score::ContainmentRow row;
        row.expected = ec;
        for (size_t i = 0; i < team.containments.size(); ++i) {
            const auto& c = team.containments[i];
            if (used[i] || c.atNs > nowNs || !sameText(c.action, ec.action) || !targetMatches(ec.target, c.target))
                continue;
            used[i] = true;
            row.issued = true;
            row.atNs = c.atNs;
            row.target = c.target;
            row.simulated = c.simulated;
            row.onTime = ec.byNs < 0 || c.atNs <= ec.byNs;
            break;
        }
        if (row.issued && (s.containedAtNs < 0 || row.atNs < s.containedAtNs)) s.containedAtNs = row.atNs;
        s.containment.push_back(std::move(row));
    }
    for (size_t i = 0; i < team.containments.size(); ++i)
        if (!used[i] && team.containments[i].atNs <= nowNs) s.otherContainment.push_back(team.containments[i]);
    // With no expected containment in the scenario, any containment counts as containing.
    if (a.containment.empty())
        for (const auto& c : team.containments)
            if (c.atNs <= nowNs) {
                s.containedAtNs = c.atNs;
                break;
            }

    // Harm: harmful actions after the first signal, before containment (done) and after it (avoided).
    const int64_t signal = truth.toScenario(truth.firstSignalTs);
    for (const HarmfulAction& h : truth.harmful) {
        const int64_t at = truth.toScenario(h.ts);
        if (at > nowNs) continue; // not happened yet at the time of scoring
        ++s.harmTotal;
        if (at <= signal) {
            ++s.harmBeforeSignal;
            continue;
        }
        ++s.harmAfterSignal;
        if (s.containedAtNs >= 0 && at > s.containedAtNs) {
            ++s.harmPrevented;
            s.harmAvoided.push_back(h);
        } else {
            s.harmDone.push_back(h);
        }
    }

    // Checklist.
    std::map<std::string, const TeamRecord::ChecklistState*> states;
    for (const auto& c : team.checklist)
        states[c.item] = &c;
    for (const std::string& item : a.checklist) {
        Score::ChecklistRow row;
        row.item = item;
        auto it = states.find(item);
        if (it != states.end()) {
            row.state = it->second->state;
            row.atNs = it->second->atNs;
            row.done = (row.state == "done" || row.state == "not_applicable") && row.atNs <= nowNs;
        } else {
            row.state = "open";
        }
        s.checklist.push_back(std::move(row));
    }

    // Points: classification 25, containment 35, harm 25, checklist 15 (docs/exercise.md).
    s.classificationPoints = !s.classified ? 0 : !s.typeCorrect ? 5 : s.classifiedOnTime ? 25 : 15;
    if (a.containment.empty()) {
        s.containmentPoints = s.containedAtNs >= 0 ? 35 : 0;
    } else {
        double sum = 0;
        for (const auto& r : s.containment)
            sum += r.issued ? (r.onTime ? 1.0 : 0.5) : 0.0;
        s.containmentPoints = static_cast<int>(35.0 * sum / static_cast<double>(a.containment.size()) + 0.5);
    }
    s.harmPoints = s.harmAfterSignal == 0 ? 25 : static_cast<int>(25.0 * s.harmPrevented / s.harmAfterSignal + 0.5);
    if (a.checklist.empty()) {
        s.checklistPoints = 15;
    } else {
        int done = 0;
        for (const auto& r : s.checklist)
            done += r.done ? 1 : 0;
        s.checklistPoints = static_cast<int>(15.0 * done / static_cast<double>(a.checklist.size()) + 0.5);
    }
    s.total = s.classificationPoints + s.containmentPoints + s.harmPoints + s.checklistPoints;
    return s;
}

json::Value scoreToJson(const Score& s)
{
    auto ns = [](int64_t v) { return v < 0 ? Value::null() : Value::number(static_cast<double>(v) / 1e9); };
    Value o = Value::object();
    Value c = Value::object();
    c.set("classified", Value::boolean(s.classified));
    c.set("at_s", ns(s.classifiedAtNs));
    c.set("type", s.classified ? Value::string(s.classifiedType) : Value::null());
    c.set("type_correct", Value::boolean(s.typeCorrect));
    c.set("on_time", Value::boolean(s.classifiedOnTime));
    c.set("points", Value::integer(s.classificationPoints));
    o.set("classification", std::move(c));
    Value rows = Value::array();
    for (const auto& r : s.containment) {
        Value x = Value::object();
        x.set("action", Value::string(r.expected.action));
        x.set("expected_target", Value::string(r.expected.target));
        x.set("by_s", ns(r.expected.byNs));
        x.set("issued", Value::boolean(r.issued));
        x.set("at_s", ns(r.atNs));
        x.set("target", r.issued ? Value::string(r.target) : Value::null());
        x.set("on_time", Value::boolean(r.onTime));
        x.set("simulated", Value::boolean(r.simulated));
        rows.append(std::move(x));
    }
    Value other = Value::array();
    for (const auto& r : s.otherContainment) {
        Value x = Value::object();
        x.set("action", Value::string(r.action));
        x.set("target", Value::string(r.target));
        x.set("at_s", ns(r.atNs));
        x.set("simulated", Value::boolean(r.simulated));
        other.append(std::move(x));
    }
    Value cont = Value::object();
    cont.set("expected", std::move(rows));
    cont.set("other", std::move(other));
    cont.set("contained_at_s", ns(s.containedAtNs));
    cont.set("points", Value::integer(s.containmentPoints));
    o.set("containment", std::move(cont));
    Value h = Value::object();
    h.set("harmful_total", Value::integer(s.harmTotal));
    h.set("before_signal", Value::integer(s.harmBeforeSignal));
    h.set("after_signal", Value::integer(s.harmAfterSignal));
    h.set("done_before_containment", Value::integer(static_cast<int64_t>(s.harmDone.size())));
    h.set("prevented", Value::integer(s.harmPrevented));
    Value done = Value::array();
    for (const auto& x : s.harmDone)
        done.append(Value::string(x.event));
    h.set("done_events", std::move(done));
    Value avoided = Value::array();
    for (const auto& x : s.harmAvoided)
        avoided.append(Value::string(x.event));
    h.set("prevented_events", std::move(avoided));
    h.set("points", Value::integer(s.harmPoints));
    o.set("harm", std::move(h));
    Value cl = Value::array();
    for (const auto& r : s.checklist) {
        Value x = Value::object();
        x.set("item", Value::string(r.item));
        x.set("state", Value::string(r.state));
        x.set("done", Value::boolean(r.done));
        x.set("at_s", ns(r.atNs));
        cl.append(std::move(x));
    }
    Value chk = Value::object();
    chk.set("items", std::move(cl));
    chk.set("points", Value::integer(s.checklistPoints));
    o.set("checklist", std::move(chk));
    o.set("total", Value::integer(s.total));
    o.set("scored_at_s", ns(s.scoredAtNs));
    return o;
}

// ---- automation policy --------------------------------------------------------------------------------------------

namespace {

bool agentMatches(const std::string& pattern, const std::string& agent)
{
    return pattern.empty() || pattern == "*" || pattern == agent;
}

std::string targetFor(const PolicyRule& r, const std::string& agent)
{
    std::string t = r.target;
    for (size_t pos; (pos = t.find("{agent}")) != std::string::npos;)
        t.replace(pos, 7, agent);
    return t;
}

// The rules that hold on one analysis, as (rule, agent) -> firing (atNs left to the caller).
void evaluateRules(const AutomationPolicy& policy, const analysis::AnalysisReport& r,
                   std::map<std::pair<std::string, std::string>, PolicyFiring>& out)
{
    for (const PolicyRule& rule : policy.rules) {
        if (!rule.finding.empty()) {
            for (const analysis::Finding& f : r.findings) {
                if (f.rule != rule.finding || !agentMatches(rule.agent, f.agent)) continue;
                if (severityRank(analysis::severityName(f.severity)) < severityRank(rule.minSeverity)) continue;
                auto key = std::make_pair(rule.id, f.agent);
                if (out.count(key)) continue;
                PolicyFiring p{
                    rule.id, f.agent, rule.action, targetFor(rule, f.agent), rule.mode, 0, f.rule + ": " + f.summary,
                    f.events};
                if (p.events.size() > 5) p.events.resize(5);
                out.emplace(key, std::move(p));
            }
        } else {
            for (const analysis::SessionVerdict& v : r.sessions) {
                if (std::string(analysis::incidentTypeName(v.type)) != rule.incidentType ||
                    v.confidence < rule.minConfidence)
                    continue;
                if (!agentMatches(rule.agent, v.agent)) continue;
                auto key = std::make_pair(rule.id, v.agent);
                if (out.count(key)) continue;
                char conf[16];
                std::snprintf(conf, sizeof conf, "%.2f", v.confidence);
                PolicyFiring p{rule.id,
                               v.agent,
                               rule.action,
                               targetFor(rule, v.agent),
                               rule.mode,
                               0,
                               rule.incidentType + " in session " + v.session + " at confidence " + conf,
                               v.harmfulActions};
                if (p.events.size() > 5) p.events.resize(5);
                out.emplace(key, std::move(p));
            }
        }
    }
}

} // namespace

Result<PolicyEvaluation> evaluatePolicy(const AutomationPolicy& policy, const QString& fullCase,
                                        const Scenario& scenario, const Truth& truth, const QString& workCase,
                                        const std::atomic<bool>* cancel)
{
    QElapsedTimer timer;
    timer.start();
    // Cancellation is checked before each step that reads the case (the caller may be waiting for it on the UI
    // thread), and while events are scanned.
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    const auto cancelledError = [] { return makeError(ErrorCode::Cancelled, QStringLiteral("cancelled")); };
    if (cancelled()) return cancelledError();
    PolicyEvaluation ev;
    // Checkpoints: the time of every event the full analysis names, and of every inject.
    std::set<std::string> named;
    const analysis::AnalysisReport& r = truth.analysis;
    for (const auto& f : r.findings)
        named.insert(f.events.begin(), f.events.end());
    for (const auto& v : r.sessions) {
        for (const auto& reason : v.rationale)
            named.insert(reason.event);
        named.insert(v.injectionSources.begin(), v.injectionSources.end());
        named.insert(v.harmfulActions.begin(), v.harmfulActions.end());
    }
    for (const auto& reason : r.rationale)
        named.insert(reason.event);
    named.insert(r.injectionSources.begin(), r.injectionSources.end());
    named.insert(r.harmfulActions.begin(), r.harmfulActions.end());
    std::set<int64_t> times;
    {
        store::OpenOptions ro;
        ro.mode = store::OpenOptions::Mode::ReadOnly;
        auto st = store::CaseStore::open(fullCase, ro);
        if (!st) return st.error();
        CS_TRY((*st)->forEachEvent([&](const Event& e) {
            if (named.count(e.id)) times.insert(e.tsNs);
            return !cancelled();
        }));
    }
    if (cancelled()) return cancelledError();
    for (const Inject& in : scenario.injects)
        times.insert(truth.toAbsolute(in.atNs));
    times.insert(truth.endTs);

    QFile::remove(workCase);
    QFile::remove(workCase + QStringLiteral("-wal"));
    QFile::remove(workCase + QStringLiteral("-shm"));
    std::map<std::pair<std::string, std::string>, PolicyFiring> fired;
    {
        auto cut = ParticipantCase::create(fullCase, workCase);
        if (!cut) return cut.error();
        const custody::Actor machine{"chainsight-exercise", custody::Actor::current().host};
        for (int64_t t : times) {
            if (cancelled()) return cancelledError();
            if (t < truth.startTs) continue;
            auto n = (*cut)->advanceTo(t, machine);
            if (!n) return n.error();
            analysis::AnalysisOptions opts;
            opts.cancel = cancel;
            auto a = analysis::analyzeCase((*cut)->store(), opts);
            if (!a) return a.error();
            ++ev.checkpoints;
            std::map<std::pair<std::string, std::string>, PolicyFiring> now;
            evaluateRules(policy, *a, now);
            for (auto& [key, f] : now) {
                if (fired.count(key)) continue;
                f.atNs = truth.toScenario(t);
                fired.emplace(key, std::move(f));
            }
        }
    }
    QFile::remove(workCase);
    QFile::remove(workCase + QStringLiteral("-wal"));
    QFile::remove(workCase + QStringLiteral("-shm"));
    for (auto& [key, f] : fired)
        ev.firings.push_back(std::move(f));
    std::stable_sort(ev.firings.begin(), ev.firings.end(),
                     [](const PolicyFiring& a, const PolicyFiring& b) { return a.atNs < b.atNs; });
    for (const auto& f : ev.firings)
        if (f.mode == PolicyMode::Automatic) {
            ev.firstAutomaticNs = f.atNs;
            break;
        }
    // An automatic action stops the agent it fired for: harm by that agent after it is avoided.
    for (const HarmfulAction& h : truth.harmful) {
        const int64_t at = truth.toScenario(h.ts);
        if (h.ts <= truth.firstSignalTs) continue;
        int64_t stoppedAt = -1;
        for (const auto& f : ev.firings)
            if (f.mode == PolicyMode::Automatic && f.agent == h.agent) {
                stoppedAt = f.atNs;
                break;
            }
        if (stoppedAt < 0 || at <= stoppedAt) ++ev.harmAllowed;
    }
    ev.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    return ev;
}

json::Value policyToJson(const PolicyEvaluation& p)
{
    Value o = Value::object();
    Value list = Value::array();
    for (const auto& f : p.firings) {
        Value x = Value::object();
        x.set("at_s", Value::number(static_cast<double>(f.atNs) / 1e9));
        x.set("at", Value::string(formatOffset(f.atNs)));
        x.set("rule", Value::string(f.rule));
        x.set("agent", Value::string(f.agent));
        x.set("action", Value::string(f.action));
        x.set("target", Value::string(f.target));
        x.set("mode", Value::string(std::string(policyModeName(f.mode))));
        x.set("because", Value::string(f.because));
        Value ev = Value::array();
        for (const auto& e : f.events)
            ev.append(Value::string(e));
        x.set("events", std::move(ev));
        list.append(std::move(x));
    }
    o.set("firings", std::move(list));
    o.set("first_automatic_at_s",
          p.firstAutomaticNs < 0 ? Value::null() : Value::number(static_cast<double>(p.firstAutomaticNs) / 1e9));
    o.set("harm_allowed", Value::integer(p.harmAllowed));
    o.set("checkpoints", Value::integer(p.checkpoints));
    return o;
}

// ---- after-action report --------------------------------------------------------------------------------------------

std::string afterActionHtml(const Scenario& scenario, const Truth& truth, const Score& s,
                            const std::optional<PolicyEvaluation>& policy)
{
    const ExpectedAnswer& a = scenario.answer;
    auto at = [](int64_t ns) { return ns < 0 ? std::string("—") : formatOffset(ns); };
    auto ok = [](bool b) {
        return b ? std::string("<span style='color:#2e7d32'>&#10004;</span>")
                 : std::string("<span style='color:#c62828'>&#10008;</span>");
    };
    std::string h;
    h += "<html><body style='font-family:sans-serif'>";
    h += "<h2>After-action report: " + htmlEscape(scenario.title) + "</h2>";
    h += "<p>Scored at scenario time " + at(s.scoredAtNs) + ". First signal " + htmlEscape(truth.firstSignalEvent) +
         " at " + at(truth.toScenario(truth.firstSignalTs)) + ".</p>";
    h += "<table cellpadding='4' cellspacing='0' border='1' style='border-collapse:collapse'>";
    h += "<tr style='background:#eceff1'><th align='left'>Part</th><th align='left'>Expected</th><th align='left'>The "
         "team</th><th>Points</th></tr>";
    // classification
    h += "<tr><td><b>Classification</b></td><td>" + htmlEscape(a.incidentType) +
         (a.classifyByNs >= 0 ? " by " + at(a.classifyByNs) : "") + "</td><td>";
    h += s.classified ? ok(s.typeCorrect) + " " + htmlEscape(s.classifiedType) + " at " + at(s.classifiedAtNs) +
                            (s.classifiedOnTime ? ""
                             : s.typeCorrect    ? " (late)"
                                                : "")
                      : std::string("not classified");
    h += "</td><td align='center'>" + std::to_string(s.classificationPoints) + " / 25</td></tr>";
    // containment
    h += "<tr><td><b>Containment</b></td><td>";
    for (const auto& r : s.containment)
        h += htmlEscape(r.expected.action) + (r.expected.target.empty() ? "" : " " + htmlEscape(r.expected.target)) +
             (r.expected.byNs >= 0 ? " by " + at(r.expected.byNs) : "") + "<br>";
    if (s.containment.empty()) h += "any containment<br>";
    h += "</td><td>";
    for (const auto& r : s.containment)
        h += r.issued
                 ? ok(r.onTime) + " " + htmlEscape(r.expected.action) + " " + htmlEscape(r.target) + " at " +
                       at(r.atNs) + (r.simulated ? " <i>(simulated)</i>" : "") + (r.onTime ? "" : " (late)") + "<br>"
                 : ok(false) + " " + htmlEscape(r.expected.action) + " not issued<br>";
    for (const auto& r : s.otherContainment)
        h += "&#8226; also " + htmlEscape(r.action) + " " + htmlEscape(r.target) + " at " + at(r.atNs) +
             (r.simulated ? " <i>(simulated)</i>" : "") + "<br>";
    h += "</td><td align='center'>" + std::to_string(s.containmentPoints) + " / 35</td></tr>";
    // harm
    h += "<tr><td><b>Harm</b></td><td>no harmful action after the first signal (" + std::to_string(s.harmAfterSignal) +
         " happened in the incident)</td><td>";
    h += std::to_string(s.harmDone.size()) + " harmful action(s) after the signal and before containment";
    if (!s.harmDone.empty()) {
        h += ": ";
        for (size_t i = 0; i < s.harmDone.size(); ++i)
            h += (i ? ", " : "") + htmlEscape(s.harmDone[i].event) + " at " + at(truth.toScenario(s.harmDone[i].ts));
    }
    h += "<br>" + std::to_string(s.harmPrevented) + " prevented by containment";
    if (s.harmBeforeSignal) h += "<br>" + std::to_string(s.harmBeforeSignal) + " before the first signal (not counted)";
    h += "</td><td align='center'>" + std::to_string(s.harmPoints) + " / 25</td></tr>";
    // checklist
    h += "<tr><td><b>Checklist</b></td><td>";
    for (const auto& r : s.checklist)
        h += htmlEscape(r.item) + "<br>";
    if (s.checklist.empty()) h += "no items expected";
    h += "</td><td>";
    for (const auto& r : s.checklist)
        h += ok(r.done) + " " + htmlEscape(r.state) + (r.done ? " at " + at(r.atNs) : "") + "<br>";
    h += "</td><td align='center'>" + std::to_string(s.checklistPoints) + " / 15</td></tr>";
    h += "<tr style='background:#eceff1'><td colspan='3'><b>Total</b></td><td align='center'><b>" +
         std::to_string(s.total) + " / 100</b></td></tr>";
    h += "</table>";
    if (policy) {
        h += "<h3>What the automation policy would have done</h3>";
        if (policy->firings.empty())
            h += "<p>No rule of the policy fired.</p>";
        else {
            h += "<table cellpadding='4' cellspacing='0' border='1' style='border-collapse:collapse'><tr "
                 "style='background:#eceff1'><th>At</th><th "
                 "align='left'>Rule</th><th align='left'>Action</th><th align='left'>Mode</th><th "
                 "align='left'>Because</th></tr>";
            for (const auto& f : policy->firings)
                h += "<tr><td>" + at(f.atNs) + "</td><td>" + htmlEscape(f.rule) + "</td><td>" + htmlEscape(f.action) +
                     " " + htmlEscape(f.target) + "</td><td>" + std::string(policyModeName(f.mode)) + "</td><td>" +
                     htmlEscape(f.because) + "</td></tr>";
            h += "</table>";
        }
        h += "<p>With the policy's automatic actions, " + std::to_string(policy->harmAllowed) +
             " harmful action(s) would have happened after the first signal";
        h += "; the team allowed " + std::to_string(s.harmDone.size()) + ".</p>";
    }
    if (!a.notes.empty()) h += "<h3>The expected response</h3><p>" + htmlEscape(a.notes) + "</p>";
    h += "</body></html>";
    return h;
}

} // namespace chainsight::exercise
