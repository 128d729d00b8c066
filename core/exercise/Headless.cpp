// The headless exercise run (see Headless.h).
#include "core/exercise/Headless.h"

#include "core/io/Files.h"
#include "core/model/Time.h"
#include "core/store/CaseStore.h"

#include <QDateTime>
#include <QFile>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <set>

namespace chainsight::exercise {

namespace {
using json::Value;

Error fieldError(const QString& file, const QString& field, const QString& what)
{
    return makeError(ErrorCode::Format, what, file, -1, field);
}
} // namespace

std::string_view timelineKindName(TimelineEntry::Kind k)
{
    switch (k) {
    case TimelineEntry::Kind::Inject:
        return "inject";
    case TimelineEntry::Kind::Team:
        return "team";
    case TimelineEntry::Kind::Policy:
        return "policy";
    case TimelineEntry::Kind::End:
        return "end";
    }
    return "inject";
}

Result<std::vector<TeamAction>> parseTeamScript(std::string_view text, const QString& file)
{
    json::Parser parser;
    auto parsed = parser.parse(text);
    if (!parsed) {
        Error e = parsed.error();
        e.file = file;
        return e;
    }
    const Value& root = *parsed;
    if (!root.isObject() || root.str("format") != "chainsight-exercise-actions")
        return fieldError(file, QStringLiteral("format"), QStringLiteral("must be \"chainsight-exercise-actions\""));
    const Value* version = root.find("version");
    if (!version || !version->isInt() || version->asInt() != 1)
        return fieldError(file, QStringLiteral("version"), QStringLiteral("must be 1"));
    const Value* actions = root.find("actions");
    if (!actions || !actions->isArray())
        return fieldError(file, QStringLiteral("actions"), QStringLiteral("is required (an array)"));
    std::vector<TeamAction> out;
    for (size_t i = 0; i < actions->items().size(); ++i) {
        const Value& a = actions->items()[i];
        const QString path = QStringLiteral("actions/%1/").arg(i);
        if (!a.isObject()) return fieldError(file, path.chopped(1), QStringLiteral("must be an object"));
        TeamAction t;
        const Value* at = a.find("at");
        std::optional<int64_t> off;
        if (at && at->isString())
            off = parseOffset(at->asString());
        else if (at && at->isNumber() && at->asDouble() >= 0 && at->asDouble() < 1e9)
            off = static_cast<int64_t>(at->asDouble() * 1e9);
        if (!off)
            return fieldError(file, path + QStringLiteral("at"),
                              QStringLiteral("is required: a time offset (\"+5m\") or seconds"));
        t.atNs = *off;
        int kinds = 0;
        if (!a.str("classify").empty()) {
            t.kind = TeamAction::Kind::Classify;
            t.value = std::string(a.str("classify"));
            ++kinds;
        }
        if (!a.str("contain").empty()) {
            t.kind = TeamAction::Kind::Contain;
            t.value = std::string(a.str("contain"));
            t.target = std::string(a.str("target"));
            if (t.target.empty())
                return fieldError(file, path + QStringLiteral("target"),
                                  QStringLiteral("a containment needs a target"));
            ++kinds;
        }
        if (!a.str("checklist").empty()) {
            t.kind = TeamAction::Kind::Checklist;
            t.value = std::string(a.str("checklist"));
            if (!a.str("state").empty()) t.state = std::string(a.str("state"));
            static const std::set<std::string> kStates = {"open", "in_progress", "done", "not_applicable"};
            if (!kStates.count(t.state))
                return fieldError(file, path + QStringLiteral("state"),
                                  QStringLiteral("must be open, in_progress, done or not_applicable"));
            ++kinds;
        }
        if (kinds != 1)
            return fieldError(file, path.chopped(1),
                              QStringLiteral("give exactly one of \"classify\", \"contain\" or \"checklist\""));
        out.push_back(std::move(t));
    }
    std::stable_sort(out.begin(), out.end(), [](const TeamAction& a, const TeamAction& b) { return a.atNs < b.atNs; });
    return out;
}

Result<std::vector<TeamAction>> loadTeamScript(const QString& path)
{
    auto bytes = io::readFileBounded(path, 4 << 20);
    if (!bytes) return bytes.error();
    return parseTeamScript(*bytes, path);
}

Result<HeadlessRun> runHeadless(const Scenario& scenario, const QString& fullCase, const HeadlessOptions& options)
{
    if (!(options.speed > 0)) return makeError(ErrorCode::Usage, QStringLiteral("the speed must be above 0"));
    HeadlessRun run;
    auto truth = buildTruth(fullCase, scenario);
    if (!truth) return truth.error();
    run.truth = std::move(*truth);
    const Truth& t = run.truth;
    run.endNs = options.stopAtNs >= 0 ? options.stopAtNs : std::max<int64_t>(0, t.toScenario(t.endTs));

    Value start = Value::object();
    start.set("scenario", Value::string(scenario.title));
    start.set("scenario_sha256", Value::string(scenario.sha256));
    start.set("speed", Value::number(options.speed));
    auto pc = ParticipantCase::create(fullCase, options.participantCase, start);
    if (!pc) return pc.error();
    ParticipantCase& participant = **pc;

    VirtualWall virt;
    virt.ms = QDateTime::currentMSecsSinceEpoch();
    const int64_t wall0 = virt.ms;
    ReplayClock clock(options.realtime ? ReplayClock::WallClock() : virt.clock());
    const int64_t realWall0 = clock.wallMs();
    clock.setSpeed(options.speed);
    clock.jumpTo(0);
    clock.resume();
    auto waitUntil = [&](int64_t scenarioNs) {
        if (options.realtime) {
            while (clock.nowNs() < scenarioNs) {
                if (options.cancel && options.cancel->load()) return;
                const double leftMs = static_cast<double>(scenarioNs - clock.nowNs()) / 1e6 / options.speed;
                QThread::msleep(static_cast<unsigned long>(std::clamp(leftMs, 1.0, 200.0)));
            }
        } else if (clock.nowNs() < scenarioNs) {
            virt.ms = wall0 + static_cast<int64_t>(std::ceil(static_cast<double>(scenarioNs) / 1e6 / options.speed));
        }
    };
    auto wallOffset = [&] {
        return static_cast<double>(clock.wallMs() - (options.realtime ? realWall0 : wall0)) / 1000.0;
    };

    // The moments of the run: injects and team actions, in time order (injects first at a tie).
    struct Step
    {
        int64_t atNs;
        int order;
        const Inject* inject;
        const TeamAction* action;
    };
    std::vector<Step> steps;
    for (const Inject& in : scenario.injects)
        if (in.atNs <= run.endNs) steps.push_back({in.atNs, 0, &in, nullptr});
    for (const TeamAction& a : options.team)
        if (a.atNs <= run.endNs) steps.push_back({a.atNs, 1, nullptr, &a});
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
        return a.atNs != b.atNs ? a.atNs < b.atNs : a.order < b.order;
    });

    for (const Step& step : steps) {
        if (options.cancel && options.cancel->load())
            return makeError(ErrorCode::Cancelled, QStringLiteral("cancelled"));
        waitUntil(step.atNs);
        const int64_t now = std::max(step.atNs, clock.nowNs());
        auto n = participant.advanceTo(t.toAbsolute(now));
        if (!n) return n.error();
        TimelineEntry e;
        e.atNs = step.atNs;
        e.wallOffsetS = wallOffset();
        e.visibleEvents = participant.stats().events;
        Value d = Value::object();
        if (step.inject) {
            e.kind = TimelineEntry::Kind::Inject;
            d.set("id", Value::string(step.inject->id));
            if (!step.inject->from.empty()) d.set("from", Value::string(step.inject->from));
            d.set("message", Value::string(step.inject->message));
            Value ev = Value::array();
            for (const auto& x : step.inject->evidence)
                ev.append(Value::string(x));
            d.set("evidence", std::move(ev));
        } else {
            e.kind = TimelineEntry::Kind::Team;
            const TeamAction& a = *step.action;
            const int64_t w = clock.wallMs();
            switch (a.kind) {
            case TeamAction::Kind::Classify:
                CS_TRY(recordClassification(participant.store(), a.value, step.atNs, w));
                d.set("classify", Value::string(a.value));
                break;
            case TeamAction::Kind::Contain:
                CS_TRY(recordSimulatedContainment(participant.store(), a.value, a.target, step.atNs, w));
                d.set("contain", Value::string(a.value));
                d.set("target", Value::string(a.target));
                d.set("simulated", Value::boolean(true));
                break;
            case TeamAction::Kind::Checklist:
                CS_TRY(recordChecklist(participant.store(), a.value, a.state, step.atNs, w));
                d.set("checklist", Value::string(a.value));
                d.set("state", Value::string(a.state));
                break;
            }
        }
        e.detail = std::move(d);
        run.timeline.push_back(std::move(e));
    }
    waitUntil(run.endNs);
    auto n = participant.advanceTo(t.toAbsolute(run.endNs));
    if (!n) return n.error();

    if (options.policy) {
        auto p = evaluatePolicy(*options.policy, fullCase, scenario, t,
                                options.participantCase + QStringLiteral(".policy-work"), options.cancel);
        if (!p) return p.error();
        for (const PolicyFiring& f : p->firings) {
            if (f.atNs > run.endNs) continue;
            TimelineEntry e;
            e.kind = TimelineEntry::Kind::Policy;
            e.atNs = f.atNs;
            e.wallOffsetS = static_cast<double>(f.atNs) / 1e9 / options.speed;
            Value d = Value::object();
            d.set("rule", Value::string(f.rule));
            d.set("agent", Value::string(f.agent));
            d.set("action", Value::string(f.action));
            d.set("target", Value::string(f.target));
            d.set("mode", Value::string(std::string(policyModeName(f.mode))));
            d.set("because", Value::string(f.because));
            e.detail = std::move(d);
            run.timeline.push_back(std::move(e));
        }
        run.policy = std::move(*p);
    }
    std::stable_sort(run.timeline.begin(), run.timeline.end(),
                     [](const TimelineEntry& a, const TimelineEntry& b) { return a.atNs < b.atNs; });
    TimelineEntry end;
    end.kind = TimelineEntry::Kind::End;
    end.atNs = run.endNs;
    end.wallOffsetS = wallOffset();
    end.visibleEvents = participant.stats().events;
    end.detail = Value::object();
    run.timeline.push_back(std::move(end));

    auto team = readTeamRecord(participant.store(), clock);
    if (!team) return team.error();
    run.team = std::move(*team);
    run.score = scoreExercise(scenario, t, run.team, run.endNs);
    auto view = analysis::analyzeCase(participant.store());
    if (!view) return view.error();
    run.finalView = std::move(*view);
    // The score is part of the participants' case record.
    auto tx = participant.store().begin();
    if (!tx) return tx.error();
    CS_TRY(custody::append(participant.store(), custody::Actor::current(), "exercise.score", scenario.title,
                           scoreToJson(run.score)));
    CS_TRY(participant.store().commit(*tx));
    return run;
}

json::Value headlessToJson(const Scenario& scenario, const HeadlessOptions& options, const HeadlessRun& run)
{
    Value o = Value::object();
    Value sc = Value::object();
    sc.set("title", Value::string(scenario.title));
    sc.set("file", Value::string(scenario.file.toStdString()));
    sc.set("sha256", Value::string(scenario.sha256));
    sc.set("expected_incident_type", Value::string(scenario.answer.incidentType));
    o.set("scenario", std::move(sc));
    o.set("speed", Value::number(options.speed));
    o.set("start", Value::string(formatRfc3339(run.truth.startTs)));
    o.set("duration_s", Value::number(static_cast<double>(run.endNs) / 1e9));
    o.set("wall_duration_s", Value::number(static_cast<double>(run.endNs) / 1e9 / options.speed));
    o.set("first_signal", Value::string(run.truth.firstSignalEvent));
    o.set("first_signal_at_s", Value::number(static_cast<double>(run.truth.toScenario(run.truth.firstSignalTs)) / 1e9));
    Value tl = Value::array();
    for (const TimelineEntry& e : run.timeline) {
        Value x = Value::object();
        x.set("kind", Value::string(std::string(timelineKindName(e.kind))));
        x.set("at_s", Value::number(static_cast<double>(e.atNs) / 1e9));
        x.set("at", Value::string(formatOffset(e.atNs)));
        x.set("wall_s", Value::number(std::round(e.wallOffsetS * 1000) / 1000));
        if (e.kind != TimelineEntry::Kind::Policy) x.set("visible_events", Value::integer(e.visibleEvents));
        for (const auto& [k, v] : e.detail.members())
            x.set(k, v);
        tl.append(std::move(x));
    }
    o.set("timeline", std::move(tl));
    if (run.policy)
        o.set("policy", policyToJson(*run.policy));
    else
        o.set("policy", Value::null());
    o.set("score", scoreToJson(run.score));
    Value view = Value::object();
    view.set("incident_type", Value::string(std::string(analysis::incidentTypeName(run.finalView.type))));
    view.set("confidence", Value::number(run.finalView.confidence));
    view.set("events", Value::integer(run.finalView.events));
    view.set("findings", Value::integer(static_cast<int64_t>(run.finalView.findings.size())));
    o.set("participants_view", std::move(view));
    return o;
}

} // namespace chainsight::exercise
