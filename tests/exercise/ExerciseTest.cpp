// Tabletop exercises: the scenario format, the replay clock, the replay hiding the future (the analysis at time t
// equals the analysis of the case cut at t), the score of a scripted team, the automation policy firing exactly
// where the cut analysis first supports it, and the lessons (tightened baseline re-imports; Sigma rules parse).
#include "core/exercise/Headless.h"
#include "core/exercise/Lessons.h"
#include "core/model/Time.h"
#include "core/store/CaseStore.h"
#include "core/store/ExerciseStore.h"
#include "core/crypto/Crypto.h"
#include "importers/Importer.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <regex>
#include <set>

namespace chainsight {
namespace {

using namespace exercise;

QString src(const QString& rel)
{
    return QStringLiteral(CHAINSIGHT_SOURCE_DIR "/") + rel;
}

// A case imported from a bundle, in its own temporary directory.
struct ImportedCase
{
    QTemporaryDir dir;
    QString path;
    explicit ImportedCase(const QString& bundle)
    {
        path = dir.filePath(QStringLiteral("full.db"));
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::OpenOrCreate;
        auto st = store::CaseStore::open(path, o);
        EXPECT_TRUE(st.ok());
        importers::ImportOptions io;
        io.actor = custody::Actor{"tester", "test-host"};
        auto r = importers::importPath(**st, bundle, io);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().toString().toStdString());
    }
    QString scratch(const QString& name) const { return dir.filePath(name); }
};

std::unique_ptr<store::CaseStore> openRo(const QString& path)
{
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::ReadOnly;
    auto st = store::CaseStore::open(path, o);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().toString().toStdString());
    return st.ok() ? std::move(*st) : nullptr;
}

// The analysis as JSON without its timing.
std::string analysisOf(store::CaseStore& st)
{
    auto r = analysis::analyzeCase(st);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().toString().toStdString());
    if (!r) return {};
    r->seconds = 0;
    return analysis::reportToJson(*r, true).dump();
}

std::vector<int64_t> eventTimes(store::CaseStore& st)
{
    std::vector<int64_t> ts;
    EXPECT_TRUE(st.forEachEvent([&](const Event& e) {
                      ts.push_back(e.tsNs);
                      return true;
                  }).ok());
    return ts;
}

Scenario demoScenario()
{
    auto s = loadScenario(src(QStringLiteral("resources/exercises/refund-incident.exercise.json")));
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().toString().toStdString());
    return s.ok() ? *s : Scenario();
}

// ---- format --------------------------------------------------------------------------------------------------------

TEST(ExerciseFormat, Offsets)
{
    EXPECT_EQ(parseOffset("+90s"), 90'000'000'000LL);
    EXPECT_EQ(parseOffset("12m"), 720'000'000'000LL);
    EXPECT_EQ(parseOffset("+1h30m"), 5'400'000'000'000LL);
    EXPECT_EQ(parseOffset("45"), 45'000'000'000LL);
    EXPECT_EQ(parseOffset("00:12:30"), 750'000'000'000LL);
    EXPECT_EQ(parseOffset("12:30"), 750'000'000'000LL);
    EXPECT_EQ(parseOffset("1.5m"), 90'000'000'000LL);
    for (const char* bad : {"", "+", "abc", "1h30", "12:75", "1x", "--5s", "1:2:3:4", "1..5s"})
        EXPECT_FALSE(parseOffset(bad).has_value()) << bad;
    EXPECT_EQ(formatOffset(750'000'000'000LL), "+12:30");
    EXPECT_EQ(formatOffset(3'723'000'000'000LL), "+1:02:03");
}

TEST(ExerciseFormat, DemoScenarioAndPolicyLoad)
{
    const Scenario s = demoScenario();
    EXPECT_EQ(s.answer.incidentType, "reasoning_compromise");
    ASSERT_GE(s.injects.size(), 4u);
    for (size_t i = 1; i < s.injects.size(); ++i)
        EXPECT_LE(s.injects[i - 1].atNs, s.injects[i].atNs);
    bool seven = false;
    for (const auto& in : s.injects)
        seven |= in.message.find("seven unknown accounts") != std::string::npos;
    EXPECT_TRUE(seven);
    ASSERT_FALSE(s.policy.isEmpty());
    auto p = loadPolicy(s.policy);
    ASSERT_TRUE(p.ok()) << p.error().toString().toStdString();
    EXPECT_GE(p->rules.size(), 3u);
    // The file round-trips through its JSON form.
    auto again = parseScenario(scenarioToJson(s).dump(), s.file);
    ASSERT_TRUE(again.ok()) << again.error().toString().toStdString();
    EXPECT_EQ(again->injects.size(), s.injects.size());
    EXPECT_EQ(again->answer.containment.size(), s.answer.containment.size());
}

TEST(ExerciseFormat, BadScenariosNameTheField)
{
    const std::string good = R"({"format":"chainsight-exercise","version":1,"title":"t","bundle":"b",
        "injects":[{"at":"+1m","message":"m"}],"expected":{"incident_type":"none"}})";
    EXPECT_TRUE(parseScenario(good, "s.json").ok());
    struct Case
    {
        std::string text, field;
    };
    const std::vector<Case> cases = {
        {R"({"format":"x","version":1})", "format"},
        {R"({"format":"chainsight-exercise","version":2})", "version"},
        {R"({"format":"chainsight-exercise","version":1,"title":"t","bundle":"b","case":"c","expected":{"incident_type":"none"}})",
         "bundle"},
        {R"({"format":"chainsight-exercise","version":1,"title":"t","bundle":"b","injects":[{"at":"soon","message":"m"}],"expected":{"incident_type":"none"}})",
         "injects/0/at"},
        {R"({"format":"chainsight-exercise","version":1,"title":"t","bundle":"b","injects":[{"at":"1m"}],"expected":{"incident_type":"none"}})",
         "injects/0/message"},
        {R"({"format":"chainsight-exercise","version":1,"title":"t","bundle":"b","injects":[{"id":"a","at":"1m","message":"m"},{"id":"a","at":"2m","message":"m"}],"expected":{"incident_type":"none"}})",
         "injects/1/id"},
        {R"({"format":"chainsight-exercise","version":1,"title":"t","bundle":"b"})", "expected"},
        {R"({"format":"chainsight-exercise","version":1,"title":"t","bundle":"b","expected":{"incident_type":"worm"}})",
         "expected/incident_type"},
        {R"({"format":"chainsight-exercise","version":1,"title":"t","bundle":"b","expected":{"incident_type":"none","containment":[{"by":"1m"}]}})",
         "expected/containment/0/action"},
    };
    for (const auto& c : cases) {
        auto r = parseScenario(c.text, "s.json");
        ASSERT_FALSE(r.ok()) << c.text;
        EXPECT_EQ(r.error().file, QStringLiteral("s.json"));
        EXPECT_EQ(r.error().field.toStdString(), c.field) << r.error().toString().toStdString();
    }
    EXPECT_FALSE(parseScenario("{\"format\":\"chainsight-exercise\",", "s.json").ok());
    auto policy = parsePolicy(
        R"({"format":"chainsight-automation-policy","version":1,"rules":[{"finding":"x","incident_type":"reasoning_compromise","action":"a"}]})",
        "p.json");
    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.error().field, QStringLiteral("rules/0/finding"));
    auto mode = parsePolicy(
        R"({"format":"chainsight-automation-policy","version":1,"rules":[{"finding":"x","action":"a","mode":"sometimes"}]})",
        "p.json");
    ASSERT_FALSE(mode.ok());
    EXPECT_EQ(mode.error().field, QStringLiteral("rules/0/mode"));
}

// ---- clock
// -----------------------------------------------------------------------------------------------------------

TEST(ReplayClock, SpeedPauseJumpWithoutWaiting)
{
    VirtualWall wall;
    wall.ms = 1'000'000;
    ReplayClock clock(wall.clock());
    EXPECT_TRUE(clock.paused());
    wall.ms += 5000;
    EXPECT_EQ(clock.nowNs(), 0); // paused from the start
    clock.setSpeed(60);
    clock.resume();
    wall.ms += 1000; // one wall second at 60x
    EXPECT_EQ(clock.nowNs(), 60'000'000'000LL);
    clock.pause();
    wall.ms += 10'000;
    EXPECT_EQ(clock.nowNs(), 60'000'000'000LL);
    clock.setSpeed(10);
    clock.resume();
    wall.ms += 500;
    EXPECT_EQ(clock.nowNs(), 65'000'000'000LL);
    clock.jumpTo(600'000'000'000LL); // jump to the next inject
    EXPECT_EQ(clock.nowNs(), 600'000'000'000LL);
    wall.ms += 100;
    EXPECT_EQ(clock.nowNs(), 601'000'000'000LL);
    // A record made at a past wall time maps to the scenario time of that moment.
    EXPECT_EQ(clock.scenarioAtWall(1'005'500), 30'000'000'000LL);
    EXPECT_EQ(clock.scenarioAtWall(1'010'000), 60'000'000'000LL); // paused then
    EXPECT_EQ(clock.scenarioAtWall(0), 0);
}

// ---- hiding the future ---------------------------------------------------------------------------------------------

// Replays the case in steps and compares, at each checkpoint, the participants' case with the case cut there.
void expectReplayEqualsCut(const QString& bundle, int steps, const std::vector<double>& fractions)
{
    ImportedCase full(bundle);
    auto fullStore = openRo(full.path);
    ASSERT_TRUE(fullStore);
    const std::vector<int64_t> times = eventTimes(*fullStore);
    ASSERT_FALSE(times.empty());
    const int64_t first = times.front(), last = times.back();
    std::vector<int64_t> checkpoints;
    for (double f : fractions)
        checkpoints.push_back(first + static_cast<int64_t>(static_cast<double>(last - first) * f));
    std::sort(checkpoints.begin(), checkpoints.end());

    auto replay = ParticipantCase::create(full.path, full.scratch(QStringLiteral("replay.db")));
    ASSERT_TRUE(replay.ok()) << replay.error().toString().toStdString();
    size_t next = 0;
    for (int i = 0; i <= steps && next < checkpoints.size(); ++i) {
        const int64_t t = first + (last - first) * i / steps;
        while (next < checkpoints.size() && checkpoints[next] <= t) {
            const int64_t c = checkpoints[next++];
            ASSERT_TRUE((*replay)->advanceTo(c).ok());
            // The reference: the case cut at c in one step.
            const QString cutPath = full.scratch(QStringLiteral("cut-%1.db").arg(next));
            auto cut = cutCase(full.path, cutPath, c);
            ASSERT_TRUE(cut.ok()) << cut.error().toString().toStdString();
            const int64_t due = std::count_if(times.begin(), times.end(), [&](int64_t x) { return x <= c; });
            auto replayCount = (*replay)->store().eventCount();
            auto cutCount = (*cut)->store().eventCount();
            ASSERT_TRUE(replayCount.ok() && cutCount.ok());
            EXPECT_EQ(*replayCount, due) << "at " << formatRfc3339(c);
            EXPECT_EQ(*cutCount, due);
            auto window = (*replay)->store().timeWindow();
            ASSERT_TRUE(window.ok());
            if (due) {
                EXPECT_LE(window->second, c) << "an event from the future is visible";
            }
            EXPECT_EQ(analysisOf((*replay)->store()), analysisOf((*cut)->store())) << "at " << formatRfc3339(c);
        }
        ASSERT_TRUE((*replay)->advanceTo(t).ok());
    }
    // At the end the participants see the whole incident: the same analysis as the facilitator's case.
    ASSERT_TRUE((*replay)->advanceTo(last).ok());
    EXPECT_EQ(analysisOf((*replay)->store()), analysisOf(*fullStore));
    // The facilitator's case was only read.
    auto custody = fullStore->custody();
    ASSERT_TRUE(custody.ok());
    for (const auto& e : *custody)
        EXPECT_EQ(e.action.rfind("exercise.", 0), std::string::npos);
}

TEST(ReplayHidesFuture, DemoAnalysisAtTEqualsCaseCutAtT)
{
    expectReplayEqualsCut(src(QStringLiteral("resources/demo/refund-incident")), 40,
                          {0.05, 0.366, 0.37, 0.5, 0.72, 0.9});
}

TEST(ReplayHidesFuture, ScenarioBundles)
{
    QDir dir(src(QStringLiteral("tests/data/scenarios")));
    int n = 0;
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (!QFileInfo::exists(dir.filePath(name) + QStringLiteral("/manifest.json"))) continue;
        SCOPED_TRACE(name.toStdString());
        expectReplayEqualsCut(dir.filePath(name), 7, {0.3, 0.6, 0.95});
        ++n;
    }
    EXPECT_GE(n, 8);
}

TEST(ReplayHidesFuture, ParticipantsCaseNeverHoldsLaterDecisionsOrBlobs)
{
    ImportedCase full(src(QStringLiteral("resources/demo/refund-incident")));
    auto fullStore = openRo(full.path);
    auto window = fullStore->timeWindow();
    ASSERT_TRUE(window.ok());
    const int64_t t = window->first + (window->second - window->first) / 3;
    auto cut = cutCase(full.path, full.scratch(QStringLiteral("third.db")), t);
    ASSERT_TRUE(cut.ok());
    auto decisions = (*cut)->store().decisions();
    ASSERT_TRUE(decisions.ok());
    auto all = fullStore->decisions();
    ASSERT_TRUE(all.ok());
    EXPECT_LT(decisions->size(), all->size());
    for (const auto& d : *decisions)
        EXPECT_LE(d.decision.tsNs, t);
    // Baselines are known from the start.
    auto b = (*cut)->store().baselines();
    auto fb = fullStore->baselines();
    ASSERT_TRUE(b.ok() && fb.ok());
    EXPECT_EQ(b->size(), fb->size());
    // Time does not go back.
    auto back = (*cut)->advanceTo(window->first);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, 0);
}

// ---- scoring
// ---------------------------------------------------------------------------------------------------------

HeadlessRun playDemo(ImportedCase& full, const std::string& teamJson, const QString& name, bool withPolicy = false)
{
    const Scenario s = demoScenario();
    HeadlessOptions o;
    o.speed = 60;
    auto team = parseTeamScript(teamJson, "team.json");
    EXPECT_TRUE(team.ok()) << (team.ok() ? "" : team.error().toString().toStdString());
    if (team) o.team = *team;
    if (withPolicy) {
        auto p = loadPolicy(s.policy);
        EXPECT_TRUE(p.ok());
        if (p) o.policy = *p;
    }
    o.participantCase = full.scratch(name);
    auto run = runHeadless(s, full.path, o);
    EXPECT_TRUE(run.ok()) << (run.ok() ? "" : run.error().toString().toStdString());
    return run.ok() ? std::move(*run) : HeadlessRun();
}

TEST(ExerciseScoring, ScriptedTeamOnTime)
{
    ImportedCase full(src(QStringLiteral("resources/demo/refund-incident")));
    QFile f(src(QStringLiteral("resources/exercises/refund-incident.team-example.json")));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const HeadlessRun run = playDemo(full, f.readAll().toStdString(), QStringLiteral("team.db"));
    const Score& s = run.score;
    EXPECT_EQ(run.truth.firstSignalEvent, "evt-001623");
    EXPECT_TRUE(s.classified);
    EXPECT_TRUE(s.typeCorrect);
    EXPECT_TRUE(s.classifiedOnTime);
    EXPECT_EQ(s.classifiedAtNs, 16 * 60'000'000'000LL);
    EXPECT_EQ(s.classificationPoints, 25);
    ASSERT_EQ(s.containment.size(), 2u);
    EXPECT_TRUE(s.containment[0].issued && s.containment[0].onTime && s.containment[0].simulated);
    EXPECT_EQ(s.containment[0].atNs, 17 * 60'000'000'000LL);
    EXPECT_TRUE(s.containment[1].issued && s.containment[1].onTime);
    EXPECT_EQ(s.containmentPoints, 35);
    // Seven refunds, all after the poisoned policy was read; two paid before the +17m containment.
    EXPECT_EQ(s.harmTotal, 7);
    EXPECT_EQ(s.harmAfterSignal, 7);
    ASSERT_EQ(s.harmDone.size(), 2u);
    EXPECT_EQ(s.harmDone[0].event, "evt-001637");
    EXPECT_EQ(s.harmDone[1].event, "evt-001646");
    EXPECT_EQ(s.harmPrevented, 5);
    EXPECT_EQ(s.harmPoints, 18);      // 25 * 5/7
    EXPECT_EQ(s.checklistPoints, 11); // 3 of 4 items: 15 * 3/4
    EXPECT_EQ(s.total, 25 + 35 + 18 + 11);
    // The containment is in the participants' case as custody entries marked simulated, and the score too.
    auto st = openRo(full.scratch(QStringLiteral("team.db")));
    auto custody = st->custody();
    ASSERT_TRUE(custody.ok());
    int intents = 0, outcomes = 0, scores = 0;
    for (const auto& e : *custody) {
        if (e.action == "contain.intent") {
            ++intents;
            EXPECT_NE(e.detail.find("\"simulated\":true"), std::string::npos);
        }
        outcomes += e.action == "contain.outcome";
        scores += e.action == "exercise.score";
    }
    EXPECT_EQ(intents, 2);
    EXPECT_EQ(outcomes, 2);
    EXPECT_EQ(scores, 1);
    EXPECT_TRUE(custody::verifyChain(*custody).empty());
    // The injects came in order at 60x: +30m of scenario time is 30 s of wall time.
    bool sawSeven = false;
    for (const auto& e : run.timeline)
        if (e.kind == TimelineEntry::Kind::Inject && e.detail.str("id") == "payments-seven") {
            sawSeven = true;
            EXPECT_NEAR(e.wallOffsetS, 30.0, 0.01);
            EXPECT_GT(e.visibleEvents, 0);
        }
    EXPECT_TRUE(sawSeven);
    const std::string html = afterActionHtml(demoScenario(), run.truth, s, std::nullopt);
    EXPECT_NE(html.find("89 / 100"), std::string::npos);
}

TEST(ExerciseScoring, LateWrongAndMissingActionsCostPoints)
{
    ImportedCase full(src(QStringLiteral("resources/demo/refund-incident")));
    const HeadlessRun run = playDemo(full, R"({"format":"chainsight-exercise-actions","version":1,"actions":[
        {"at":"+18m","classify":"privilege_boundary_escape"},
        {"at":"+25m","contain":"kill-sessions","target":"payments/refund-agent"},
        {"at":"+26m","contain":"notify","target":"#soc"}]})",
                                     QStringLiteral("late.db"));
    const Score& s = run.score;
    EXPECT_TRUE(s.classified);
    EXPECT_FALSE(s.typeCorrect);
    EXPECT_EQ(s.classificationPoints, 5);
    ASSERT_EQ(s.containment.size(), 2u);
    EXPECT_TRUE(s.containment[0].issued);
    EXPECT_FALSE(s.containment[0].onTime); // by +20m
    EXPECT_FALSE(s.containment[1].issued);
    EXPECT_EQ(s.containmentPoints, 9); // 35 * 0.5 / 2
    ASSERT_EQ(s.otherContainment.size(), 1u);
    EXPECT_EQ(s.otherContainment[0].action, "notify");
    EXPECT_EQ(s.harmDone.size(), 5u); // contained at +25m: only the two at +29m avoided
    EXPECT_EQ(s.harmPrevented, 2);
    EXPECT_EQ(s.checklistPoints, 0);

    // No team at all: everything done, nothing scored but the record of harm.
    const HeadlessRun none = playDemo(full, R"({"format":"chainsight-exercise-actions","version":1,"actions":[]})",
                                      QStringLiteral("none.db"));
    EXPECT_EQ(none.score.total, 0);
    EXPECT_EQ(none.score.harmDone.size(), 7u);
}

TEST(ExerciseScoring, ClassificationFromAnotherPanelIsMappedByWallTime)
{
    // A record the exercise did not write (no scenario time in custody) is placed by the replay clock.
    ImportedCase full(src(QStringLiteral("resources/demo/refund-incident")));
    auto pc = ParticipantCase::create(full.path, full.scratch(QStringLiteral("p.db")));
    ASSERT_TRUE(pc.ok());
    VirtualWall wall;
    wall.ms = 2'000'000'000'000LL;
    ReplayClock clock(wall.clock());
    clock.setSpeed(60);
    clock.resume();
    wall.ms += 10'000; // +10m of scenario time
    store::ExerciseStore xs((*pc)->store());
    ASSERT_TRUE(xs.insertClassification(
                      {formatRfc3339(wall.ms * 1'000'000), "alice", "reasoning_compromise", "analyst"}, "panel")
                    .ok());
    auto team = readTeamRecord((*pc)->store(), clock);
    ASSERT_TRUE(team.ok());
    ASSERT_EQ(team->classifications.size(), 1u);
    EXPECT_EQ(team->classifications[0].atNs, 600'000'000'000LL);
}

// ---- automation policy ---------------------------------------------------------------------------------------------

// The first moment the cut analysis supports a rule must be where it fired: it holds at the firing time and not at
// the event time just before.
void expectFiresExactly(const QString& bundle, const std::string& expectedType)
{
    ImportedCase full(bundle);
    Scenario s;
    s.title = "probe";
    s.answer.incidentType = expectedType.empty() ? "none" : expectedType;
    auto truth = buildTruth(full.path, s);
    ASSERT_TRUE(truth.ok()) << truth.error().toString().toStdString();
    AutomationPolicy p;
    for (const char* type : {"reasoning_compromise", "privilege_boundary_escape", "runtime_execution_escape"}) {
        PolicyRule r;
        r.id = type;
        r.incidentType = type;
        r.action = "kill-sessions";
        r.target = "{agent}";
        r.mode = PolicyMode::Automatic;
        p.rules.push_back(r);
    }
    auto ev = evaluatePolicy(p, full.path, s, *truth, full.scratch(QStringLiteral("work.db")));
    ASSERT_TRUE(ev.ok()) << ev.error().toString().toStdString();
    if (expectedType.empty() || expectedType == "none") {
        EXPECT_TRUE(ev->firings.empty()) << ev->firings.front().rule;
        return;
    }
    ASSERT_FALSE(ev->firings.empty());
    std::set<std::string> fired;
    for (const auto& f : ev->firings)
        fired.insert(f.rule);
    EXPECT_TRUE(fired.count(expectedType)) << "expected " << expectedType;
    auto fullStore = openRo(full.path);
    const std::vector<int64_t> times = eventTimes(*fullStore);
    for (const auto& f : ev->firings) {
        const int64_t at = truth->toAbsolute(f.atNs);
        auto holds = [&](int64_t t, const QString& name) {
            auto cut = cutCase(full.path, full.scratch(name), t);
            EXPECT_TRUE(cut.ok());
            auto r = analysis::analyzeCase((*cut)->store());
            EXPECT_TRUE(r.ok());
            for (const auto& v : r->sessions)
                if (analysis::incidentTypeName(v.type) == f.rule && v.agent == f.agent) return true;
            return false;
        };
        EXPECT_TRUE(holds(at, QStringLiteral("at-%1.db").arg(QString::fromStdString(f.rule)))) << f.rule;
        auto before = std::lower_bound(times.begin(), times.end(), at);
        if (before != times.begin()) {
            EXPECT_FALSE(holds(*(before - 1), QStringLiteral("before-%1.db").arg(QString::fromStdString(f.rule))))
                << f.rule;
        }
    }
}

TEST(AutomationPolicy, FiresExactlyWhereTheCutAnalysisFirstSupportsIt)
{
    QDir dir(src(QStringLiteral("tests/data/scenarios")));
    json::Parser parser;
    int n = 0;
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(dir.filePath(name + QStringLiteral(".expected.json")));
        if (!f.open(QIODevice::ReadOnly)) continue;
        const QByteArray bytes = f.readAll();
        auto expected = parser.parse(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
        ASSERT_TRUE(expected.ok());
        SCOPED_TRACE(name.toStdString());
        expectFiresExactly(dir.filePath(name), std::string(expected->str("incident_type")));
        ++n;
    }
    EXPECT_GE(n, 8);
}

TEST(AutomationPolicy, DemoPolicyKillsTheRefundAgentAtTheFirstTaintedRefund)
{
    ImportedCase full(src(QStringLiteral("resources/demo/refund-incident")));
    const HeadlessRun run = playDemo(full, R"({"format":"chainsight-exercise-actions","version":1,"actions":[]})",
                                     QStringLiteral("policy.db"), true);
    ASSERT_TRUE(run.policy.has_value());
    const PolicyFiring* kill = nullptr;
    for (const auto& f : run.policy->firings)
        if (f.rule == "tainted-payment") kill = &f;
    ASSERT_NE(kill, nullptr);
    EXPECT_EQ(kill->agent, "refund-agent");
    EXPECT_EQ(kill->target, "refund-agent");
    EXPECT_EQ(kill->mode, PolicyMode::Automatic);
    // The first refund to a planted account is evt-001637: the rule fires at its time, not before.
    ASSERT_FALSE(run.truth.harmful.empty());
    EXPECT_EQ(run.truth.harmful.front().event, "evt-001637");
    EXPECT_EQ(run.truth.toAbsolute(kill->atNs), run.truth.harmful.front().ts);
    EXPECT_EQ(run.policy->harmAllowed, 1); // the refund that tripped it
    // No automatic action fires for the refund agent before the poisoned policy reached it.
    for (const auto& f : run.policy->firings) {
        if (f.agent == "refund-agent" && f.mode == PolicyMode::Automatic) {
            EXPECT_GE(run.truth.toAbsolute(f.atNs), run.truth.firstSignalTs) << f.rule << ": " << f.because;
        }
    }
    // The timeline shows the policy's firings among the injects.
    int policyEntries = 0;
    for (const auto& e : run.timeline)
        policyEntries += e.kind == TimelineEntry::Kind::Policy;
    EXPECT_EQ(policyEntries, static_cast<int>(run.policy->firings.size()));
}

// ---- lessons out
// -----------------------------------------------------------------------------------------------------

TEST(Lessons, TightenedBaselineReimportsThroughTheNativeImporter)
{
    ImportedCase full(src(QStringLiteral("resources/demo/refund-incident")));
    auto st = openRo(full.path);
    auto report = analysis::analyzeCase(*st);
    ASSERT_TRUE(report.ok());
    auto tightened = tightenBaseline(*st, *report);
    ASSERT_TRUE(tightened.ok()) << tightened.error().toString().toStdString();
    auto parsed = baselinesFromJson(tightened->agentsJson);
    ASSERT_TRUE(parsed.ok()) << parsed.error().toString().toStdString();
    auto original = st->baselines();
    ASSERT_TRUE(original.ok());
    ASSERT_EQ(parsed->size(), original->size());
    int removed = 0;
    for (size_t i = 0; i < parsed->size(); ++i) {
        const AgentBaseline& now = (*parsed)[i];
        const AgentBaseline& was = (*original)[i];
        EXPECT_EQ(now.id, was.id);
        if (was.allowedTools && now.allowedTools) {
            for (const auto& t : *now.allowedTools) {
                EXPECT_NE(std::find(was.allowedTools->begin(), was.allowedTools->end(), t), was.allowedTools->end())
                    << "a tool was added: " << t;
            }
        }
        if (was.approvedValues && now.approvedValues) {
            for (const auto& [k, vals] : *now.approvedValues) {
                for (const auto& v : vals) {
                    EXPECT_NE(std::find(was.approvedValues->at(k).begin(), was.approvedValues->at(k).end(), v),
                              was.approvedValues->at(k).end());
                }
            }
        }
    }
    for (const auto& c : tightened->changes)
        removed += static_cast<int>(c.removed.size());
    EXPECT_GT(removed, 0) << "nothing was tightened";

    // Re-import: the demo bundle with the new agents.json (manifest updated) goes through the native importer.
    QTemporaryDir copy;
    const QString bundle = copy.filePath(QStringLiteral("bundle"));
    QDirIterator it(src(QStringLiteral("resources/demo/refund-incident")), QDir::Files, QDirIterator::Subdirectories);
    const QString root = src(QStringLiteral("resources/demo/refund-incident"));
    while (it.hasNext()) {
        const QString f = it.next();
        const QString rel = QDir(root).relativeFilePath(f);
        QDir().mkpath(QFileInfo(bundle + QLatin1Char('/') + rel).absolutePath());
        ASSERT_TRUE(QFile::copy(f, bundle + QLatin1Char('/') + rel));
    }
    const std::string agents = tightened->agentsJson.dump();
    {
        QFile a(bundle + QStringLiteral("/agents.json"));
        ASSERT_TRUE(a.open(QIODevice::WriteOnly | QIODevice::Truncate));
        a.write(agents.data(), static_cast<qint64>(agents.size()));
    }
    QFile m(bundle + QStringLiteral("/manifest.json"));
    ASSERT_TRUE(m.open(QIODevice::ReadOnly));
    const QByteArray mb = m.readAll();
    m.close();
    json::Parser parser;
    auto manifest = parser.parse(std::string_view(mb.constData(), static_cast<size_t>(mb.size())));
    ASSERT_TRUE(manifest.ok());
    for (auto& file : manifest->members())
        if (file.first == "files")
            for (auto& entry : file.second.items())
                if (entry.str("path") == "agents.json") {
                    entry.set("sha256", json::Value::string(crypto::sha256Hex(agents)));
                    entry.set("bytes", json::Value::integer(static_cast<int64_t>(agents.size())));
                }
    ASSERT_TRUE(m.open(QIODevice::WriteOnly | QIODevice::Truncate));
    const std::string md = manifest->dump();
    m.write(md.data(), static_cast<qint64>(md.size()));
    m.close();
    ImportedCase again(bundle);
    auto st2 = openRo(again.path);
    auto reimported = st2->baselines();
    ASSERT_TRUE(reimported.ok());
    ASSERT_EQ(reimported->size(), parsed->size());
    for (size_t i = 0; i < parsed->size(); ++i)
        EXPECT_EQ((*reimported)[i].allowedTools, (*parsed)[i].allowedTools);
}

TEST(Lessons, SigmaRulesParseWithYamlCpp)
{
    for (const QString& bundle : {src(QStringLiteral("resources/demo/refund-incident")),
                                  src(QStringLiteral("tests/data/scenarios/privilege-escape")),
                                  src(QStringLiteral("tests/data/scenarios/runtime-escape"))}) {
        SCOPED_TRACE(bundle.toStdString());
        ImportedCase full(bundle);
        auto st = openRo(full.path);
        auto report = analysis::analyzeCase(*st);
        ASSERT_TRUE(report.ok());
        auto tightened = tightenBaseline(*st, *report);
        ASSERT_TRUE(tightened.ok());
        auto rules = sigmaRules(*st, *report, &tightened->agentsJson);
        ASSERT_TRUE(rules.ok()) << rules.error().toString().toStdString();
        ASSERT_FALSE(rules->empty());
        std::set<std::string> ids, files;
        const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
        for (const auto& r : *rules) {
            SCOPED_TRACE(r.yaml);
            YAML::Node doc;
            ASSERT_NO_THROW(doc = YAML::Load(r.yaml));
            ASSERT_TRUE(doc.IsMap());
            ASSERT_TRUE(doc["title"] && doc["title"].IsScalar());
            EXPECT_EQ(doc["title"].as<std::string>(), r.title);
            ASSERT_TRUE(doc["id"] && doc["id"].IsScalar());
            EXPECT_TRUE(std::regex_match(doc["id"].as<std::string>(), uuid));
            EXPECT_TRUE(ids.insert(doc["id"].as<std::string>()).second);
            EXPECT_TRUE(files.insert(r.fileName).second);
            ASSERT_TRUE(doc["logsource"] && doc["logsource"].IsMap());
            ASSERT_TRUE(doc["detection"] && doc["detection"].IsMap());
            ASSERT_TRUE(doc["detection"]["condition"] && doc["detection"]["condition"].IsScalar());
            // Every name in the condition is a block of the detection.
            const std::string condition = doc["detection"]["condition"].as<std::string>();
            std::regex word("[a-z_]+");
            for (auto w = std::sregex_iterator(condition.begin(), condition.end(), word); w != std::sregex_iterator();
                 ++w) {
                const std::string name = w->str();
                if (name == "and" || name == "or" || name == "not") continue;
                EXPECT_TRUE(doc["detection"][name] && doc["detection"][name].IsMap()) << name;
            }
            ASSERT_TRUE(doc["level"]);
            const std::set<std::string> levels = {"informational", "low", "medium", "high", "critical"};
            EXPECT_TRUE(levels.count(doc["level"].as<std::string>()));
        }
    }
    // Planted values come out as a detection: the demo's attacker accounts.
    ImportedCase demo(src(QStringLiteral("resources/demo/refund-incident")));
    auto st = openRo(demo.path);
    auto report = analysis::analyzeCase(*st);
    ASSERT_TRUE(report.ok());
    auto rules = sigmaRules(*st, *report);
    ASSERT_TRUE(rules.ok());
    bool planted = false;
    for (const auto& r : *rules)
        planted |= r.yaml.find("acct-8814") != std::string::npos && r.yaml.find("payments.refund") != std::string::npos;
    EXPECT_TRUE(planted);
}

} // namespace
} // namespace chainsight
