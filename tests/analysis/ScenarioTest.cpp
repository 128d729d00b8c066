// The scenario bundles (tests/data/scenarios, generated with their ground truth) and the demo incident:
// each is imported into a fresh case and analysed; the incident type, the injection sources and the
// harmful calls must be the ground truth's, and the benign control must raise nothing above low.
#include "tests/analysis/AnalysisTestUtil.h"

#include "core/analysis/Atlas.h"

namespace chainsight::testing {
namespace {

struct ScenarioCase
{
    const char* name;
    const char* dir; // relative to the source tree
};

// The test listing prints the parameter, and CMake's test discovery keeps it in the CTest name: without this it
// is the struct's bytes, two pointers, so the names changed from build to build.
void PrintTo(const ScenarioCase& sc, std::ostream* os) { *os << sc.name; }

class ScenarioTest : public ::testing::TestWithParam<ScenarioCase>
{
};

TEST_P(ScenarioTest, MatchesGroundTruth)
{
    const ScenarioCase sc = GetParam();
    const QString dir = sourcePath(QString::fromLatin1(sc.dir));
    if (!QDir(dir).exists()) GTEST_SKIP() << "no bundle at " << dir.toStdString();
    const std::string expectedText = readFile(dir + QStringLiteral(".expected.json"));
    json::Parser parser;
    auto expected = parser.parse(expectedText);
    ASSERT_TRUE(expected.ok()) << "cannot read " << dir.toStdString() << ".expected.json";

    TempCase c;
    auto imported = c.import(dir);
    ASSERT_TRUE(imported.ok()) << imported.error().toString().toStdString();
    const analysis::AnalysisReport r = c.analyze();
    dumpReport(r, sc.name);
    {
        // Read ahead (the default) or all on one thread: the same report.
        analysis::AnalysisOptions serial;
        serial.readAhead = false;
        analysis::AnalysisReport one = c.analyze(serial);
        one.seconds = r.seconds;
        EXPECT_EQ(analysis::reportToJson(one, true).dump(), analysis::reportToJson(r, true).dump()) << sc.name;
    }

    EXPECT_EQ(std::string(analysis::incidentTypeName(r.type)), std::string(expected->str("incident_type"))) << sc.name;
    const auto sources = stringList(expected->find("injection_sources"));
    const auto harmful = stringList(expected->find("harmful_actions"));
    std::vector<std::string> gotSources = r.injectionSources, gotHarmful = r.harmfulActions;
    std::sort(gotSources.begin(), gotSources.end());
    std::sort(gotHarmful.begin(), gotHarmful.end());
    std::vector<std::string> wantSources = sources, wantHarmful = harmful;
    std::sort(wantSources.begin(), wantSources.end());
    std::sort(wantHarmful.begin(), wantHarmful.end());
    EXPECT_EQ(gotSources, wantSources) << sc.name << ": injection sources";
    EXPECT_EQ(gotHarmful, wantHarmful) << sc.name << ": harmful actions";
    for (const auto& a : stringList(expected->find("attempt_sources")))
        EXPECT_TRUE(contains(r.attemptSources, a)) << sc.name << ": attempt " << a << " not reported (got " << joined(r.attemptSources) << ")";

    // every finding names its ATLAS techniques, known to the shipped data
    for (const auto& f : r.findings) {
        EXPECT_FALSE(f.atlas.empty()) << f.rule;
        for (const auto& a : f.atlas) EXPECT_FALSE(a.name.empty()) << f.rule << " " << a.id;
        EXPECT_FALSE(f.events.empty()) << f.rule;
    }
    if (r.type == analysis::IncidentType::None && sources.empty() && stringList(expected->find("attempt_sources")).empty()) {
        for (const auto& f : r.findings)
            EXPECT_LE(static_cast<int>(f.severity), static_cast<int>(analysis::Severity::Low))
                << sc.name << ": " << f.rule << " " << analysis::severityName(f.severity) << ": " << f.summary;
        EXPECT_EQ(r.tier, 1);
    } else if (r.type != analysis::IncidentType::None) {
        EXPECT_EQ(r.tier, 3);
        EXPECT_GT(r.confidence, 0.5);
        EXPECT_FALSE(r.rationale.empty());
        EXPECT_FALSE(r.blast.tools.empty());
    }
    // the attacker's values travel on taint edges into the harmful calls
    for (const auto& value : stringList(expected->find("attacker_values"))) {
        bool found = false;
        std::string lower = value;
        for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        for (const auto& t : r.taint)
            if (t.harmful && (lower.find(t.value) != std::string::npos || t.value.find(lower) != std::string::npos)) found = true;
        EXPECT_TRUE(found) << sc.name << ": no harmful taint edge carries " << value;
    }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioTest,
                         ::testing::Values(ScenarioCase{"rag_poisoning", "tests/data/scenarios/rag-poisoning"},
                                           ScenarioCase{"privilege_escape", "tests/data/scenarios/privilege-escape"},
                                           ScenarioCase{"runtime_escape", "tests/data/scenarios/runtime-escape"},
                                           ScenarioCase{"benign_busy_day", "tests/data/scenarios/benign-busy-day"},
                                           ScenarioCase{"multi_agent_contagion", "tests/data/scenarios/multi-agent-contagion"},
                                           ScenarioCase{"mcp_tool_description_changed", "tests/data/scenarios/mcp-tool-description-changed"},
                                           ScenarioCase{"memory_persistence", "tests/data/scenarios/memory-persistence"},
                                           ScenarioCase{"injection_ignored", "tests/data/scenarios/injection-ignored"},
                                           ScenarioCase{"demo_refund_incident", "resources/demo/refund-incident"}),
                         [](const ::testing::TestParamInfo<ScenarioCase>& info) { return std::string(info.param.name); });

TEST(Atlas, ShippedDataIsComplete)
{
    EXPECT_EQ(analysis::atlasVersion(), "5.6.0");
    EXPECT_EQ(analysis::atlasTechniqueCount(), 170u);
    const auto* t = analysis::atlasTechnique("AML.T0051.001");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->name, "LLM Prompt Injection: Indirect");
    for (const char* id : {"AML.T0053", "AML.T0070", "AML.T0080.000", "AML.T0086", "AML.T0110", "AML.T0105", "AML.T0012"})
        EXPECT_NE(analysis::atlasTechnique(id), nullptr) << id;
}

} // namespace
} // namespace chainsight::testing
