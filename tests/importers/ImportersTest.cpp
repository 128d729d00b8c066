// Foreign-format importers against real material: the AgentDojo runs, OTLP traces written from the GenAI
// semantic conventions, CloudTrail files with AssumeRole chains, and one incident as native bundle + CloudTrail +
// OTLP (separately, and in the bundle's logs/ folder). Also: format detection, --format, one-line errors that
// leave the case unchanged, and no crash on mangled input.
#include "core/crypto/Crypto.h"
#include "core/graph/ExecutionGraph.h"
#include "core/json/Json.h"
#include "core/store/CaseQueries.h"
#include "core/store/CaseStore.h"
#include "importers/Importer.h"
#include "importers/cloudtrail/CloudTrailDecoder.h"
#include "importers/logs/Correlator.h"
#include "importers/otlp/OtlpDecoder.h"
#include "importers/transcript/TranscriptImporter.h"
#include "tests/support/TempCase.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace chainsight::testing {
namespace {

struct Case : TempCase
{
    QString write(const QString& name, const std::string& bytes)
    {
        const QString p = dir.filePath(name);
        QDir().mkpath(QFileInfo(p).path());
        QFile f(p);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(bytes.data(), static_cast<qint64>(bytes.size()));
        return p;
    }
};

json::Value parse(const std::string& s)
{
    json::Parser p;
    auto v = p.parse(s);
    EXPECT_TRUE(v.ok()) << s;
    return v.ok() ? std::move(*v) : json::Value();
}

std::string readFile(const QString& path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return f.readAll().toStdString();
}

const Event* byId(const std::vector<Event>& events, const std::string& id)
{
    for (const auto& e : events)
        if (e.id == id) return &e;
    return nullptr;
}

// ------------------------------------------------------------------------------------------------ OTLP

TEST(Otlp, AgentTraceFollowsTheGenAiConventions)
{
    Case c;
    auto r = c.mustImport(sourcePath(QStringLiteral("tests/data/otlp/agent-trace.json")));
    EXPECT_EQ(r.importer, "otlp");
    EXPECT_EQ(r.decisions, 5);
    const auto ev = c.events();
    EXPECT_EQ(static_cast<int64_t>(ev.size()), r.events);

    // execute_tool: a tool call caused by the model output that asked for it, and its result.
    const Event* call = byId(ev, "1a2b3c4d5e6f7081");
    ASSERT_TRUE(call);
    EXPECT_EQ(call->type, EventType::ToolCall);
    EXPECT_EQ(call->tool, "get_weather");
    EXPECT_EQ(call->callId, "call_weather_1");
    EXPECT_EQ(call->agent, "travel-agent");
    EXPECT_EQ(call->session, "conv-77");
    EXPECT_EQ(call->identity, "sa:travel-bot@prod");
    EXPECT_EQ(call->parent, "00f067aa0ba902b1");
    EXPECT_EQ(call->traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
    EXPECT_EQ(parse(call->json).find("arguments")->str("city"), "Paris");
    const Event* result = byId(ev, "1a2b3c4d5e6f7081-result");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->type, EventType::ToolResult);
    EXPECT_EQ(result->parent, call->id);
    EXPECT_NE(parse(result->json).str("output").find("cloudy"), std::string_view::npos);

    // A failed tool span: an error result with the status message.
    const Event* denied = byId(ev, "4d5e6f708192a3b4-result");
    ASSERT_TRUE(denied);
    EXPECT_EQ(parse(denied->json).str("status"), "error");
    EXPECT_EQ(parse(denied->json).str("output"), "blocked by policy");

    // Inference: an llm_output with model and token usage; the prompts of its input messages.
    const Event* llm = byId(ev, "00f067aa0ba902b1");
    ASSERT_TRUE(llm);
    EXPECT_EQ(llm->type, EventType::LlmOutput);
    const json::Value lj = parse(llm->json);
    EXPECT_EQ(lj.str("model"), "gpt-4.1-2025-04-14");
    EXPECT_EQ(lj.find("tokens_in")->asInt(), 812);
    EXPECT_EQ(lj.find("tokens_out")->asInt(), 64);
    ASSERT_TRUE(lj.find("otel") && lj.find("otel")->find("attributes"));
    EXPECT_EQ(lj.find("otel")->find("attributes")->str("app.tenant"), "acme-travel"); // outside the conventions: kept
    int prompts = 0, toolPrompts = 0;
    for (const auto& e : ev)
        if (e.type == EventType::Prompt) {
            ++prompts;
            if (parse(e.json).str("role") == "tool") ++toolPrompts;
        }
    // system + user (first chat), the tool message (second chat repeats the history), booking-agent's input.
    EXPECT_EQ(prompts, 4);
    EXPECT_EQ(toolPrompts, 1);

    // Retrieval: one event per document, with source, score and content.
    const Event* doc7 = byId(ev, "2b3c4d5e6f708192-doc1");
    ASSERT_TRUE(doc7);
    EXPECT_EQ(doc7->type, EventType::Retrieval);
    const json::Value dj = parse(doc7->json);
    EXPECT_EQ(dj.find("source")->str("id"), "doc-7");
    EXPECT_EQ(dj.find("source")->str("uri"), "travel-kb/doc-7");
    EXPECT_NE(dj.str("content").find("IGNORE PREVIOUS"), std::string_view::npos);
    EXPECT_TRUE(byId(ev, "2b3c4d5e6f708192"));

    // A nested agent: a delegation by the caller; the callee's spans are its own agent and session.
    const Event* del = byId(ev, "c0ffee00c0ffee00");
    ASSERT_TRUE(del);
    EXPECT_EQ(del->type, EventType::Delegation);
    EXPECT_EQ(del->agent, "travel-agent");
    EXPECT_EQ(parse(del->json).str("to_agent"), "booking-agent");
    EXPECT_EQ(parse(del->json).str("to_session"), "conv-77-booking");
    const Event* hotel = byId(ev, "b1c2d3e4f5061728");
    ASSERT_TRUE(hotel);
    EXPECT_EQ(hotel->agent, "booking-agent");
    EXPECT_EQ(hotel->session, "conv-77-booking");
    EXPECT_EQ(hotel->parent, del->id);
    // An HTTP client span under the tool: egress, caused by the tool call.
    const Event* post = byId(ev, "c2d3e4f506172839");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->type, EventType::Egress);
    EXPECT_EQ(post->parent, hotel->id);
    EXPECT_EQ(parse(post->json).str("dest"), "https://api.hotels.example/v2/bookings");

    // Guardrails: runtime decisions on the operation they guard.
    auto decisions = c.store->decisions();
    ASSERT_TRUE(decisions.ok());
    std::map<std::string, std::pair<Verdict, std::string>> byPolicy;
    for (const auto& d : *decisions)
        byPolicy[d.decision.policy] = {d.decision.verdict, d.decision.event};
    EXPECT_EQ(byPolicy["no-external-bcc"].first, Verdict::Block);
    EXPECT_EQ(byPolicy["no-external-bcc"].second, "4d5e6f708192a3b4");
    EXPECT_EQ(byPolicy["prompt-shield"].first, Verdict::Log);
    EXPECT_EQ(byPolicy["prompt-shield"].second, "2b3c4d5e6f708192");
    EXPECT_EQ(byPolicy["apply_guardrail pii llm_output"].first, Verdict::Constrain);
    EXPECT_EQ(byPolicy["apply_guardrail pii llm_output"].second, "00f067aa0ba902b1");
    EXPECT_EQ(byPolicy["apply_guardrail topic llm_input"].first, Verdict::Allow);
    EXPECT_EQ(byPolicy["apply_guardrail audit-log tool_call"].first, Verdict::Log);

    // create_agent: the agent registry.
    auto baselines = c.store->baselines();
    ASSERT_TRUE(baselines.ok());
    ASSERT_EQ(baselines->size(), 1u);
    EXPECT_EQ(baselines->front().id, "travel-agent");
    EXPECT_FALSE(baselines->front().allowedTools.has_value()); // a registry entry, not a baseline

    // The file is evidence, kept whole; the import is on the custody log.
    auto files = c.store->evidenceFiles();
    ASSERT_TRUE(files.ok());
    ASSERT_EQ(files->size(), 1u);
    EXPECT_EQ(files->front().role, "log");
    EXPECT_EQ(files->front().bytes,
              static_cast<int64_t>(readFile(sourcePath(QStringLiteral("tests/data/otlp/agent-trace.json"))).size()));
    auto custody = c.store->custody();
    ASSERT_TRUE(custody.ok());
    EXPECT_EQ(custody->back().action, "import");
    EXPECT_EQ(parse(custody->back().detail).find("spans")->asInt(), 15);

    // The same file again is the same import.
    auto again = c.mustImport(sourcePath(QStringLiteral("tests/data/otlp/agent-trace.json")));
    EXPECT_TRUE(again.alreadyImported);
}

TEST(Otlp, CollectorExportJsonLinesWithBase64IdsAndBareNanoseconds)
{
    Case c;
    auto r = c.mustImport(sourcePath(QStringLiteral("tests/data/otlp/collector-export.jsonl")));
    EXPECT_EQ(r.importer, "otlp");
    const auto ev = c.events();
    const Event* call = byId(ev, "eee19b7ec3c1b175");
    ASSERT_TRUE(call);
    EXPECT_EQ(call->traceId, "5b8efff798038103d269b633813fc60c");
    EXPECT_EQ(call->agent, "ops-agent");
    EXPECT_EQ(call->tsNs, 1778030000001000000LL); // 19 digits, not rounded through a double
}

// Parent links are untrusted: a span that is its own parent, and two spans that are each other's parent, with no
// identity anywhere (so the walk up for one never stops early), import in bounded time instead of looping.
TEST(Otlp, ParentCyclesEndTheWalkUp)
{
    Case c;
    auto span = [](const char* id, const char* parent) {
        return std::string("{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"") + id +
               "\",\"parentSpanId\":\"" + parent +
               "\",\"name\":\"execute_tool refund\",\"startTimeUnixNano\":\"1778030000000000000\","
               "\"endTimeUnixNano\":\"1778030000001000000\",\"attributes\":[{\"key\":\"gen_ai.operation.name\","
               "\"value\":{\"stringValue\":\"execute_tool\"}},{\"key\":\"gen_ai.tool.name\",\"value\":{\"stringValue\":"
               "\"refund\"}}]}";
    };
    const QString path = c.write(QStringLiteral("cycles.json"),
                                 "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span("00f067aa0ba902b1", "00f067aa0ba902b1") +
                                     "," + span("00f067aa0ba902b2", "00f067aa0ba902b3") + "," +
                                     span("00f067aa0ba902b3", "00f067aa0ba902b2") + "]}]}]}");
    c.mustImport(path, "otlp");
    int calls = 0;
    for (const Event& e : c.events())
        calls += e.type == EventType::ToolCall;
    EXPECT_EQ(calls, 3);
}

TEST(Otlp, BadInputGivesOneLineErrorAndLeavesTheCaseUnchanged)
{
    Case c;
    c.mustImport(sourcePath(QStringLiteral("tests/data/otlp/collector-export.jsonl")));
    const auto before = c.counts();
    struct Bad
    {
        std::string name, text, expect;
    };
    const std::vector<Bad> bad = {
        {"truncated.json", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"4bf9", "truncated.json:1:"},
        {"noid.json",
         "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[\n{\"spanId\":\"00f067aa0ba902b1\",\"name\":\"x\","
         "\"startTimeUnixNano\":\"1\"}]}]}]}",
         "noid.json:2: resourceSpans/0/scopeSpans/0/spans/0/traceId: missing"},
        {"badvalue.json",
         "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
         "\"spanId\":\"00f067aa0ba902b1\","
         "\"name\":\"x\",\"startTimeUnixNano\":\"1\",\"attributes\":[{\"key\":\"k\",\"value\":{\"mapValue\":1}}]}]}]}]"
         "}",
         "attributes/0/value: unknown value kind"},
        {"badtime.json",
         "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
         "\"spanId\":\"00f067aa0ba902b1\","
         "\"name\":\"execute_tool x\",\"startTimeUnixNano\":\"soon\"}]}]}]}",
         "startTimeUnixNano: must be unix nanoseconds"},
    };
    for (const auto& b : bad) {
        auto r = c.import(c.write(QString::fromStdString(b.name), b.text), "otlp");
        ASSERT_FALSE(r.ok()) << b.name;
        const std::string line = r.error().toString().toStdString();
        EXPECT_NE(line.find(b.expect), std::string::npos) << line;
        EXPECT_EQ(line.find('\n'), std::string::npos) << line;
        EXPECT_EQ(c.counts(), before) << b.name;
    }
}

// ------------------------------------------------------------------------------------------- CloudTrail

void checkAssumeRoleChain(Case& c, const importers::ImportReport& r)
{
    EXPECT_EQ(r.importer, "cloudtrail");
    EXPECT_EQ(r.events, 8);
    const auto ev = c.events();
    std::map<std::string, const Event*> byApi;
    for (const auto& e : ev)
        byApi[std::string(parse(e.json).find("cloud")->str("api"))] = &e;

    const Event* login = byApi["signin:ConsoleLogin"];
    ASSERT_TRUE(login);
    EXPECT_EQ(login->type, EventType::Auth);
    EXPECT_EQ(parse(login->json).str("outcome"), "failure");
    EXPECT_EQ(parse(login->json).str("category"), "sign_in");
    EXPECT_EQ(login->agent, "aws:mallory");

    // The role chain user -> deployer -> prod-admin is one session, on whichever identity each step was made.
    const Event* first = byId(ev, "ct-7e3c0002-1c2d-4e5f-8a9b-000000000002");
    const Event* second = byId(ev, "ct-7e3c0003-1c2d-4e5f-8a9b-000000000003");
    const Event* key = byId(ev, "ct-7e3c0004-1c2d-4e5f-8a9b-000000000004");
    ASSERT_TRUE(first && second && key);
    EXPECT_EQ(first->type, EventType::IdentityChange);
    EXPECT_EQ(first->identity, "arn:aws:iam::111122223333:user/ci-bot");
    const json::Value fj = parse(first->json);
    EXPECT_EQ(fj.str("mechanism"), "assume_role");
    EXPECT_EQ(fj.str("to"), "arn:aws:sts::111122223333:assumed-role/deployer/ci-run-981");
    EXPECT_EQ(second->identity, "arn:aws:sts::111122223333:assumed-role/deployer/ci-run-981");
    EXPECT_EQ(parse(second->json).str("to"), "arn:aws:sts::111122223333:assumed-role/prod-admin/ci-run-981-admin");
    EXPECT_EQ(second->session, first->session);
    EXPECT_EQ(key->session, first->session);
    EXPECT_EQ(key->agent, "aws:ci-bot");
    EXPECT_EQ(key->type, EventType::Auth);
    EXPECT_EQ(parse(key->json).str("action"), "iam:CreateAccessKey");
    EXPECT_EQ(parse(key->json).find("resources")->items().front().asString(),
              "arn:aws:iam::111122223333:user/backdoor");
    // The whole record is kept.
    EXPECT_EQ(parse(key->json).find("cloud")->find("record")->find("requestParameters")->str("userName"), "backdoor");

    // Token exchanges; a refused AssumeRole is an auth failure, not an identity change.
    EXPECT_EQ(parse(byApi["sts:AssumeRoleWithWebIdentity"]->json).str("mechanism"), "token_exchange");
    EXPECT_EQ(parse(byApi["sts:GetSessionToken"]->json).str("mechanism"), "token_exchange");
    const Event* refused = byId(ev, "ct-7e3c0007-1c2d-4e5f-8a9b-000000000007");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->type, EventType::Auth);
    EXPECT_EQ(parse(refused->json).str("outcome"), "failure");
}

TEST(CloudTrail, AssumeRoleChain)
{
    Case c;
    checkAssumeRoleChain(c, c.mustImport(sourcePath(QStringLiteral("tests/data/cloudtrail/assume-role-chain.json"))));
}

TEST(CloudTrail, GzipIsReadAsItStreamsAndKeptCompressed)
{
    Case c;
    const QString path = sourcePath(QStringLiteral("tests/data/cloudtrail/assume-role-chain.json.gz"));
    checkAssumeRoleChain(c, c.mustImport(path));
    auto files = c.store->evidenceFiles();
    ASSERT_TRUE(files.ok());
    ASSERT_EQ(files->size(), 1u);
    const std::string raw = readFile(path);
    EXPECT_EQ(files->front().bytes, static_cast<int64_t>(raw.size()));
    EXPECT_EQ(files->front().sha256, crypto::toHex(crypto::sha256(raw)));
}

TEST(CloudTrail, BadRecordNamesFileLineAndField)
{
    Case c;
    const auto before = c.counts();
    auto r = c.import(c.write(
        QStringLiteral("ct.json"),
        "{\"Records\": [\n{\"eventTime\": \"2026-05-06T01:40:00Z\", \"eventSource\": \"s3.amazonaws.com\", "
        "\"eventName\": \"GetObject\"},\n{\"eventSource\": \"s3.amazonaws.com\", \"eventName\": \"PutObject\"}\n]}"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().toString().toStdString(), "ct.json:3: Records/1/eventTime: a record needs its eventTime");
    EXPECT_EQ(c.counts(), before);
}

// ---------------------------------------------------------------------------------------------- mixed

TEST(Mixed, BundleCloudTrailAndTraceImportedSeparatelyAreCorrelated)
{
    Case c;
    const QString dir = sourcePath(QStringLiteral("tests/data/mixed/separate/"));
    EXPECT_EQ(c.mustImport(dir + QStringLiteral("bundle")).importer, "native");
    auto ct = c.mustImport(dir + QStringLiteral("111122223333_CloudTrail_eu-west-1_20260506T0150Z_k3j2.json.gz"));
    EXPECT_EQ(ct.importer, "cloudtrail");
    EXPECT_EQ(c.mustImport(dir + QStringLiteral("triage-trace.otlp.json")).importer, "otlp");

    const auto ev = c.events();
    auto correlation = [&](const std::string& id) {
        const Event* e = byId(ev, id);
        EXPECT_TRUE(e) << id;
        if (!e) return json::Value();
        const json::Value v = parse(e->json);
        const json::Value* corr = v.find("correlation");
        return corr ? *corr : json::Value();
    };
    // The S3 calls the agent's tool calls caused, found by identity (the assumed role) and time.
    const json::Value get = correlation("ct-7e3c0103-1c2d-4e5f-8a9b-000000000103");
    EXPECT_EQ(get.str("event"), "evt-005");
    EXPECT_EQ(get.str("tool"), "s3.get_object");
    EXPECT_EQ(get.str("bundle"), "b-2026-05-06-ledger-exfil-bundle");
    const json::Value put = correlation("ct-7e3c0104-1c2d-4e5f-8a9b-000000000104");
    EXPECT_EQ(put.str("event"), "evt-007");
    // The AssumeRole record is the agent's identity change.
    EXPECT_EQ(correlation("ct-7e3c0102-1c2d-4e5f-8a9b-000000000102").str("event"), "evt-004");
    // Records nobody's agent made stay uncorrelated.
    EXPECT_TRUE(correlation("ct-7e3c0105-1c2d-4e5f-8a9b-000000000105").isNull());
    EXPECT_TRUE(correlation("ct-7e3c0101-1c2d-4e5f-8a9b-000000000101").isNull());
    // Correlated records sit in the agent's session.
    const Event* putEvent = byId(ev, "ct-7e3c0104-1c2d-4e5f-8a9b-000000000104");
    ASSERT_TRUE(putEvent);
    EXPECT_EQ(putEvent->agent, "refund-agent");
    EXPECT_EQ(putEvent->session, "sess-rf-7c1");

    // The trace: the triage agent handed the ticket to the refund agent's session of the bundle.
    const Event* handoff = byId(ev, "4444dddd5555eeee");
    ASSERT_TRUE(handoff);
    EXPECT_EQ(handoff->type, EventType::Delegation);
    EXPECT_EQ(handoff->agent, "support-triage");
    EXPECT_EQ(parse(handoff->json).str("to_session"), "sess-rf-7c1");

    // One graph, one timeline over the three imports.
    auto q = store::CaseQueries::open(c.store->path());
    ASSERT_TRUE(q.ok());
    auto index = (*q)->loadIndex();
    ASSERT_TRUE(index.ok());
    EXPECT_EQ((*index)->size(), ev.size());
    std::set<std::string> agents((*index)->agentNames.begin(), (*index)->agentNames.end());
    EXPECT_TRUE(agents.count("refund-agent") && agents.count("support-triage") && agents.count("aws:mallory"));
    auto graph = graph::ExecutionGraph::build(*index);
    ASSERT_TRUE(graph);
    EXPECT_FALSE(graph->visible().nodes.empty());
    // The timeline interleaves the sources in time: the PutObject record sits right after the put_object call.
    const auto& ix = **index;
    int putCall = -1, putRecord = -1;
    for (size_t k = 0; k < ix.byTime.size(); ++k) {
        const int i = static_cast<int>(ix.byTime[k]);
        auto e = c.store->event(ix.rowids[i]);
        ASSERT_TRUE(e.ok() && *e);
        if ((*e)->id == "evt-007") putCall = static_cast<int>(k);
        if ((*e)->id == "ct-7e3c0104-1c2d-4e5f-8a9b-000000000104") putRecord = static_cast<int>(k);
    }
    ASSERT_GE(putCall, 0);
    EXPECT_LT(putRecord, putCall); // CloudTrail's second-precision time (01:50:05) is before the call's 05.1
    EXPECT_LE(putCall - putRecord, 1);
}

TEST(Mixed, BundleWithLogsFolderImportsEverythingInOneTransaction)
{
    Case c;
    auto r = c.mustImport(sourcePath(QStringLiteral("tests/data/mixed/incident")));
    EXPECT_EQ(r.importer, "native");
    ASSERT_EQ(r.children.size(), 3u);
    std::map<std::string, int64_t> byFormat;
    for (const auto& ch : r.children)
        byFormat[ch.importer] = ch.events;
    EXPECT_EQ(byFormat["cloudtrail"], 5);
    EXPECT_GT(byFormat["otlp"], 0);
    EXPECT_EQ(byFormat.count("none"), 1u); // logs/README.txt: kept as evidence, with a warning
    auto bundles = c.store->bundles();
    ASSERT_TRUE(bundles.ok());
    EXPECT_EQ(bundles->size(), 1u); // tied to the bundle: its events, its evidence files
    const auto ev = c.events();
    const Event* put = byId(ev, "ct-7e3c0104-1c2d-4e5f-8a9b-000000000104");
    ASSERT_TRUE(put);
    EXPECT_EQ(put->parent, "evt-007"); // same bundle: the correlation is the causal parent
    EXPECT_EQ(put->bundle, bundles->front().id);
    EXPECT_NE(put->line, 0);

    // The graph index links the record to the tool call.
    auto q = store::CaseQueries::open(c.store->path());
    ASSERT_TRUE(q.ok());
    auto index = (*q)->loadIndex();
    ASSERT_TRUE(index.ok());
    const auto& ix = **index;
    const int rec = ix.indexOf(put->rowid);
    ASSERT_GE(rec, 0);
    ASSERT_GE(ix.parents[rec], 0);
    auto parent = c.store->event(ix.rowids[ix.parents[rec]]);
    ASSERT_TRUE(parent.ok() && *parent);
    EXPECT_EQ((*parent)->id, "evt-007");
    EXPECT_EQ((*parent)->tool, "s3.put_object");

    // The custody entry lists what logs/ held.
    auto custody = c.store->custody();
    ASSERT_TRUE(custody.ok());
    const json::Value detail = parse(custody->back().detail);
    ASSERT_TRUE(detail.find("logs"));
    EXPECT_EQ(detail.find("logs")->items().size(), 2u);
}

TEST(Mixed, BrokenLogInBundleLeavesNothingBehind)
{
    Case c;
    // Copy the incident bundle with a CloudTrail file whose record lacks its time; the manifest still matches.
    QTemporaryDir tmp;
    const QString root = tmp.filePath(QStringLiteral("b"));
    QDir().mkpath(root + QStringLiteral("/logs"));
    const std::string events = readFile(sourcePath(QStringLiteral("tests/data/mixed/incident/events.jsonl")));
    const std::string ct = "{\"Records\":[{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"}]}\n";
    auto put = [&](const QString& rel, const std::string& bytes) {
        QFile f(root + QStringLiteral("/") + rel);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(bytes.data(), static_cast<qint64>(bytes.size()));
    };
    put(QStringLiteral("events.jsonl"), events);
    put(QStringLiteral("logs/ct.json"), ct);
    json::Value files = json::Value::array();
    for (const auto& [p, b] :
         std::vector<std::pair<std::string, std::string>>{{"events.jsonl", events}, {"logs/ct.json", ct}}) {
        json::Value f = json::Value::object();
        f.set("path", json::Value::string(p));
        f.set("sha256", json::Value::string(crypto::toHex(crypto::sha256(b))));
        f.set("bytes", json::Value::integer(static_cast<int64_t>(b.size())));
        files.append(std::move(f));
    }
    json::Value m = parse(readFile(sourcePath(QStringLiteral("tests/data/mixed/incident/manifest.json"))));
    m.set("files", std::move(files));
    put(QStringLiteral("manifest.json"), m.dump());
    const auto before = c.counts();
    auto r = c.import(root);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().toString().toStdString(), "logs/ct.json:1: Records/0/eventTime: a record needs its eventTime");
    EXPECT_EQ(c.counts(), before);
}

// ------------------------------------------------------------------------------------------ transcripts

QString agentDojoDir()
{
    const QByteArray env = qgetenv("CHAINSIGHT_AGENTDOJO_DIR");
    return env.isEmpty() ? sourcePath(QStringLiteral("../shared/data/agentdojo")) : QString::fromUtf8(env);
}

TEST(Transcript, EveryAgentDojoRunIsASessionWithAllItsMessagesAndGroundTruth)
{
    const QStringList files = QDir(agentDojoDir()).entryList({QStringLiteral("*.jsonl")}, QDir::Files, QDir::Name);
    if (files.isEmpty()) GTEST_SKIP() << "no AgentDojo runs at " << agentDojoDir().toStdString();
    for (const QString& name : files) {
        Case c;
        const QString path = agentDojoDir() + QStringLiteral("/") + name;
        auto r = c.mustImport(path);
        EXPECT_EQ(r.importer, "transcript");
        // What the file holds, counted here independently.
        struct Run
        {
            int64_t messages = 0, calls = 0, results = 0;
            json::Value metadata;
        };
        std::vector<Run> runs;
        const std::string text = readFile(path);
        size_t pos = 0;
        while (pos < text.size()) {
            size_t nl = text.find('\n', pos);
            if (nl == std::string::npos) nl = text.size();
            const std::string line = text.substr(pos, nl - pos);
            pos = nl + 1;
            if (line.empty()) continue;
            json::Value v = parse(line);
            if (!v.find("messages")) continue;
            Run run;
            run.metadata = *v.find("metadata");
            for (const auto& m : v.find("messages")->items()) {
                ++run.messages;
                if (const json::Value* tc = m.find("tool_calls"); tc && tc->isArray())
                    run.calls += static_cast<int64_t>(tc->items().size());
                if (m.str("role") == "tool") ++run.results;
            }
            runs.push_back(std::move(run));
        }
        ASSERT_EQ(runs.size(), 194u) << name.toStdString();
        // Per session, as imported.
        struct Seen
        {
            int64_t messages = 0, calls = 0, results = 0;
            std::string metadata;
        };
        std::map<std::string, Seen> sessions;
        std::vector<std::string> order;
        for (const auto& e : c.events()) {
            auto [it, fresh] = sessions.try_emplace(e.session);
            if (fresh) order.push_back(e.session);
            Seen& s = it->second;
            if (e.type == EventType::ToolCall)
                ++s.calls;
            else
                ++s.messages;
            if (e.type == EventType::ToolResult) ++s.results;
            const json::Value v = parse(e.json);
            if (const json::Value* md = v.find("session_metadata")) s.metadata = md->dump();
        }
        ASSERT_EQ(sessions.size(), runs.size()) << name.toStdString();
        for (size_t i = 0; i < runs.size(); ++i) {
            const Seen& s = sessions[order[i]];
            EXPECT_EQ(s.messages, runs[i].messages) << order[i];
            EXPECT_EQ(s.calls, runs[i].calls) << order[i];
            EXPECT_EQ(s.results, runs[i].results) << order[i];
            // Ground truth (security, success, injection task...) kept whole as session metadata.
            EXPECT_EQ(s.metadata, runs[i].metadata.dump()) << order[i];
        }
    }
}

// ------------------------------------------------------------------------------- detection and --format

TEST(Detection, FormatIsRecognisedFromContentNotName)
{
    Case c;
    // An OTLP trace and a CloudTrail file under misleading names.
    const QString trace = c.write(QStringLiteral("records.log"),
                                  readFile(sourcePath(QStringLiteral("tests/data/otlp/agent-trace.json"))));
    const QString ct = c.write(QStringLiteral("trace.json"),
                               readFile(sourcePath(QStringLiteral("tests/data/cloudtrail/assume-role-chain.json"))));
    EXPECT_EQ(c.mustImport(trace).importer, "otlp");
    EXPECT_EQ(c.mustImport(ct).importer, "cloudtrail");
}

TEST(Detection, ForcedAndUnknownFormats)
{
    Case c;
    const QString trace = sourcePath(QStringLiteral("tests/data/otlp/agent-trace.json"));
    auto unknown = c.import(trace, "syslog");
    ASSERT_FALSE(unknown.ok());
    const std::string msg = unknown.error().toString().toStdString();
    for (const char* f : {"native", "otlp", "cloudtrail", "transcript"})
        EXPECT_NE(msg.find(f), std::string::npos) << msg;
    // Forcing a format that does not fit fails cleanly.
    auto wrong = c.import(trace, "cloudtrail");
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(c.counts().at("events"), 0);
    // Content nobody reads: a clear error listing the formats.
    auto none = c.import(c.write(QStringLiteral("notes.txt"), "just some notes\n"));
    ASSERT_FALSE(none.ok());
    EXPECT_NE(none.error().toString().toStdString().find("supported: native"), std::string::npos);
    EXPECT_EQ(c.mustImport(trace, "otlp").importer, "otlp");
}

TEST(Detection, FolderOfForeignLogsImportsEachFile)
{
    Case c;
    QTemporaryDir tmp;
    QFile::copy(sourcePath(QStringLiteral("tests/data/otlp/agent-trace.json")),
                tmp.filePath(QStringLiteral("a/trace.json")));
    QDir().mkpath(tmp.filePath(QStringLiteral("a")));
    QDir().mkpath(tmp.filePath(QStringLiteral("b")));
    ASSERT_TRUE(QFile::copy(sourcePath(QStringLiteral("tests/data/otlp/agent-trace.json")),
                            tmp.filePath(QStringLiteral("a/trace.json"))));
    ASSERT_TRUE(QFile::copy(sourcePath(QStringLiteral("tests/data/cloudtrail/assume-role-chain.json.gz")),
                            tmp.filePath(QStringLiteral("b/ct.json.gz"))));
    QFile notes(tmp.filePath(QStringLiteral("b/notes.txt")));
    ASSERT_TRUE(notes.open(QIODevice::WriteOnly));
    notes.write("hello\n");
    notes.close();
    auto r = c.mustImport(tmp.path());
    EXPECT_EQ(r.importer, "folder");
    ASSERT_EQ(r.children.size(), 2u);
    EXPECT_EQ(r.children[0].importer, "otlp");
    EXPECT_EQ(r.children[1].importer, "cloudtrail");
    EXPECT_EQ(r.warnings.size(), 1u);
}

// ------------------------------------------------------------------------------------------ robustness

// A decoder is fed whatever the reader hands it, cut anywhere (a gzip member boundary, a 1 MiB read): the events
// must not depend on the cuts. (The OTLP document check once looked for "resourceSpans" only across two
// neighbouring chunks, so a trace read in small pieces was refused as "not an OTLP trace", and a byte order
// mark was skipped only when the first chunk held all three of its bytes; both found by fuzz_otlp_decode.)
TEST(Decoders, EventsDoNotDependOnWhereTheInputIsCut)
{
    struct Sink : importers::LogSink
    {
        std::vector<std::string> events;
        void event(Event&& e) override { events.push_back(e.id + ' ' + e.json); }
        void decision(Decision&&) override {}
        void baseline(AgentBaseline&&) override {}
        void warning(std::string) override {}
    };
    importers::Correlator correlator;
    auto decode = [&](const std::string& format, const std::string& bytes, size_t chunk) {
        Sink sink;
        std::unique_ptr<importers::LogDecoder> d;
        if (format == "otlp") d = std::make_unique<importers::OtlpDecoder>(sink, "t");
        else if (format == "cloudtrail") d = std::make_unique<importers::CloudTrailDecoder>(sink, correlator, "b", "t");
        else d = importers::makeTranscriptDecoder(sink, "t");
        for (int pass = 0; pass < d->passes(); ++pass) {
            EXPECT_TRUE(d->beginPass(pass).ok());
            for (size_t at = 0; at < bytes.size(); at += chunk) {
                Status s = d->feed(std::string_view(bytes).substr(at, chunk));
                EXPECT_TRUE(s.ok()) << format << " in chunks of " << chunk << ": " << s.error().toString().toStdString();
                if (!s.ok()) return sink.events;
            }
            Status s = d->endPass();
            EXPECT_TRUE(s.ok()) << format << " in chunks of " << chunk << ": " << s.error().toString().toStdString();
        }
        return sink.events;
    };
    const std::string transcript =
        R"({"metadata":{"agent":"a"},"messages":[{"role":"user","content":"refund order 77"},)"
        R"({"role":"assistant","tool_calls":[{"id":"c1","function":{"name":"pay","arguments":"{\"to\":\"acct-9\"}"}}]},)"
        R"({"role":"tool","tool_call_id":"c1","content":"ok"}]})";
    const std::vector<std::pair<std::string, std::string>> inputs = {
        {"otlp", readFile(sourcePath(QStringLiteral("tests/data/otlp/agent-trace.json")))},
        {"otlp", readFile(sourcePath(QStringLiteral("tests/data/otlp/collector-export.jsonl")))},
        {"cloudtrail", readFile(sourcePath(QStringLiteral("tests/data/cloudtrail/assume-role-chain.json")))},
        {"transcript", transcript},
        // A UTF-8 byte order mark first, cut in the middle by chunks of 1 or 2 bytes.
        {"otlp", "\xEF\xBB\xBF" + readFile(sourcePath(QStringLiteral("tests/data/otlp/agent-trace.json")))},
        {"cloudtrail", "\xEF\xBB\xBF" + readFile(sourcePath(QStringLiteral("tests/data/cloudtrail/assume-role-chain.json")))},
    };
    for (const auto& [format, bytes] : inputs) {
        const auto whole = decode(format, bytes, bytes.size());
        ASSERT_FALSE(whole.empty()) << format;
        for (size_t chunk : {1u, 2u, 3u, 7u, 64u, 4096u})
            EXPECT_EQ(decode(format, bytes, chunk), whole) << format << " in chunks of " << chunk;
    }
}

TEST(Robustness, MangledInputNeverCrashesAndFailuresLeaveNoTrace)
{
    std::mt19937 rng(20260506);
    const std::vector<std::pair<QString, std::string>> seeds = {
        {QStringLiteral("t.json"), readFile(sourcePath(QStringLiteral("tests/data/otlp/agent-trace.json")))},
        {QStringLiteral("c.json"),
         readFile(sourcePath(QStringLiteral("tests/data/cloudtrail/assume-role-chain.json")))},
    };
    Case c;
    int failures = 0, successes = 0;
    for (int round = 0; round < 120; ++round) {
        const auto& [name, seed] = seeds[round % seeds.size()];
        std::string s = seed;
        switch (round % 4) {
        case 0:
            s.resize(rng() % s.size());
            break; // truncated
        case 1:
            for (int k = 0; k < 4; ++k)
                s[rng() % s.size()] = static_cast<char>(rng());
            break; // byte flips
        case 2:
            s.insert(rng() % s.size(), "{\"a\":[1,{\"b\":null}]}");
            break; // junk inside
        case 3:
            s.erase(rng() % s.size(), 1 + rng() % 64);
            break; // a gap
        }
        const auto before = c.counts();
        auto r = c.import(c.write(QStringLiteral("m%1-").arg(round) + name, s), round % 2 ? "cloudtrail" : "otlp");
        if (r.ok()) {
            ++successes;
        } else {
            ++failures;
            EXPECT_FALSE(r.error().toString().isEmpty());
            EXPECT_FALSE(r.error().toString().contains(QLatin1Char('\n')));
            EXPECT_EQ(c.counts().at("events"), before.at("events"));
            EXPECT_EQ(c.counts().at("bundles"), before.at("bundles"));
        }
    }
    EXPECT_GT(failures, 0);
}

} // namespace
} // namespace chainsight::testing
