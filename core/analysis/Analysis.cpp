// Entry point of the analysis and the two shapes of its report: one JSON object, and a summary to read.
#include "core/analysis/Analysis.h"

#include "core/analysis/Atlas.h"
#include "core/analysis/Engine.h"
#include "core/model/Time.h"
#include "core/store/CaseStore.h"
#include "core/store/EventScan.h"

#include <chrono>
#include <cstdio>

namespace chainsight::analysis {

std::string_view incidentTypeName(IncidentType t)
{
    switch (t) {
    case IncidentType::ReasoningCompromise: return "reasoning_compromise";
    case IncidentType::PrivilegeBoundaryEscape: return "privilege_boundary_escape";
    case IncidentType::RuntimeExecutionEscape: return "runtime_execution_escape";
    default: return "none";
    }
}

std::string_view severityName(Severity s)
{
    switch (s) {
    case Severity::Low: return "low";
    case Severity::Medium: return "medium";
    case Severity::High: return "high";
    case Severity::Critical: return "critical";
    default: return "info";
    }
}

Result<AnalysisReport> analyzeCase(store::CaseStore& store, const AnalysisOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    AnalysisReport report;
    detail::Engine engine(store, options);
    // The events are read and prepared ahead on a second connection, starting while the decision log loads.
    std::unique_ptr<store::EventPrefetch> ahead;
    if (options.readAhead) ahead = store::EventPrefetch::start(store, &detail::Engine::prepare, options.cancel);
    CS_TRY(engine.load());
    bool cancelled = false;
    auto onEvent = [&](const store::EventView& e) {
        if (options.cancel && options.cancel->load()) {
            cancelled = true;
            return false;
        }
        engine.onEvent(e);
        return true;
    };
    Status s = ahead ? ahead->forEach(onEvent) : store::scanEvents(store, onEvent);
    if (!s) return s.error();
    if (cancelled || (options.cancel && options.cancel->load()))
        return makeError(ErrorCode::Cancelled, QStringLiteral("analysis cancelled"));
    engine.finish(report);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

namespace {
using json::Value;

Value strings(const std::vector<std::string>& list)
{
    Value a = Value::array();
    for (const auto& s : list) a.append(Value::string(s));
    return a;
}
Value strings(const std::set<std::string>& list)
{
    Value a = Value::array();
    for (const auto& s : list) a.append(Value::string(s));
    return a;
}
Value rationale(const std::vector<Reason>& reasons)
{
    Value a = Value::array();
    for (const auto& r : reasons) {
        Value o = Value::object();
        o.set("event", Value::string(r.event));
        o.set("why", Value::string(r.why));
        a.append(std::move(o));
    }
    return a;
}
double round3(double d) { return static_cast<double>(static_cast<int64_t>(d * 1000 + 0.5)) / 1000; }

bool listed(const SessionVerdict& v) { return v.type != IncidentType::None || v.maxSeverity >= Severity::Medium; }
} // namespace

json::Value reportToJson(const AnalysisReport& r, bool allSessions)
{
    Value o = Value::object();
    o.set("incident_type", Value::string(std::string(incidentTypeName(r.type))));
    o.set("confidence", Value::number(round3(r.confidence)));
    o.set("tier", Value::integer(r.tier));
    o.set("rationale", rationale(r.rationale));
    Value findings = Value::array();
    for (const auto& f : r.findings) {
        Value fo = Value::object();
        fo.set("rule", Value::string(f.rule));
        fo.set("severity", Value::string(std::string(severityName(f.severity))));
        fo.set("events", strings(f.events));
        Value atlas = Value::array();
        for (const auto& a : f.atlas) {
            Value ao = Value::object();
            ao.set("id", Value::string(a.id));
            ao.set("name", Value::string(a.name));
            atlas.append(std::move(ao));
        }
        fo.set("atlas", std::move(atlas));
        fo.set("summary", Value::string(f.summary));
        if (!f.agent.empty()) fo.set("agent", Value::string(f.agent));
        if (!f.session.empty()) fo.set("session", Value::string(f.session));
        findings.append(std::move(fo));
    }
    o.set("findings", std::move(findings));
    o.set("injection_sources", strings(r.injectionSources));
    o.set("harmful_actions", strings(r.harmfulActions));
    o.set("attempt_sources", strings(r.attemptSources));
    Value taint = Value::array();
    for (const auto& t : r.taint) {
        Value to = Value::object();
        to.set("source", Value::string(t.source));
        to.set("action", Value::string(t.action));
        to.set("value", Value::string(t.value));
        to.set("argument", Value::string(t.argument));
        to.set("source_kind", Value::string(t.sourceKind));
        if (!t.via.empty()) to.set("via", Value::string(t.via));
        to.set("injected", Value::boolean(t.injected));
        to.set("directive", Value::boolean(t.directive));
        to.set("score", Value::integer(t.score));
        to.set("harmful", Value::boolean(t.harmful));
        taint.append(std::move(to));
    }
    o.set("taint", std::move(taint));
    o.set("taint_total", Value::integer(r.taintTotal));
    Value blast = Value::object();
    blast.set("agents", strings(r.blast.agents));
    blast.set("identities", strings(r.blast.identities));
    blast.set("tools", strings(r.blast.tools));
    blast.set("destinations", strings(r.blast.destinations));
    blast.set("data_sources", strings(r.blast.dataSources));
    o.set("blast_radius", std::move(blast));
    Value bom = Value::array();
    for (const auto& b : r.aiBom) {
        Value bo = Value::object();
        bo.set("agent", Value::string(b.agent));
        bo.set("models", strings(b.models));
        bo.set("tools", strings(b.tools));
        bo.set("mcp_servers", strings(b.mcpServers));
        bo.set("rag_sources", strings(b.ragSources));
        bo.set("memory_stores", strings(b.memoryStores));
        bo.set("identities", strings(b.identities));
        bom.append(std::move(bo));
    }
    o.set("ai_bom", std::move(bom));

    Value completeness = Value::object();
    Value artifacts = Value::object();
    std::vector<std::string> missing;
    int64_t held = 0;
    for (const auto& [name, n] : r.artifactSessions) {
        artifacts.set(name, Value::integer(n));
        if (n == 0) missing.push_back(name);
        else ++held;
    }
    int64_t complete = 0;
    for (const auto& v : r.sessions) complete += v.completeness.missing.empty() ? 1 : 0;
    completeness.set("artifacts", std::move(artifacts));
    completeness.set("held", Value::integer(held));
    completeness.set("of", Value::integer(6));
    completeness.set("missing", strings(missing));
    completeness.set("sessions", Value::integer(static_cast<int64_t>(r.sessions.size())));
    completeness.set("complete_sessions", Value::integer(complete));
    o.set("completeness", std::move(completeness));

    Value sessions = Value::array();
    int64_t flagged = 0;
    json::Parser parser;
    for (const auto& v : r.sessions) {
        if (v.type != IncidentType::None) ++flagged;
        if (!allSessions && !listed(v)) continue;
        Value so = Value::object();
        so.set("session", Value::string(v.session));
        so.set("agent", Value::string(v.agent));
        so.set("incident_type", Value::string(std::string(incidentTypeName(v.type))));
        so.set("confidence", Value::number(round3(v.confidence)));
        so.set("tier", Value::integer(v.tier));
        so.set("harmful_actions", strings(v.harmfulActions));
        so.set("injection_sources", strings(v.injectionSources));
        so.set("attempt_sources", strings(v.attemptSources));
        so.set("rationale", rationale(v.rationale));
        so.set("max_severity", Value::string(std::string(severityName(v.maxSeverity))));
        so.set("findings", Value::integer(v.findings));
        so.set("events", Value::integer(v.events));
        if (v.firstTs) so.set("start", Value::string(formatRfc3339(v.firstTs)));
        if (v.lastTs) so.set("end", Value::string(formatRfc3339(v.lastTs)));
        Value c = Value::object();
        c.set("present", strings(v.completeness.present));
        c.set("missing", strings(v.completeness.missing));
        so.set("completeness", std::move(c));
        if (!v.metadata.empty())
            if (auto meta = parser.parse(v.metadata); meta) so.set("metadata", std::move(*meta));
        sessions.append(std::move(so));
    }
    o.set("sessions", std::move(sessions));
    o.set("sessions_total", Value::integer(static_cast<int64_t>(r.sessions.size())));
    o.set("sessions_flagged", Value::integer(flagged));
    o.set("events", Value::integer(r.events));
    o.set("analysis_seconds", Value::number(round3(r.seconds)));
    Value atlas = Value::object();
    atlas.set("version", Value::string(r.atlasVersion));
    atlas.set("attribution", Value::string(atlasAttribution()));
    o.set("atlas", std::move(atlas));
    return o;
}

std::string reportToText(const AnalysisReport& r, bool allSessions)
{
    std::string out;
    char buf[256];
    std::snprintf(buf, sizeof buf, "Incident: %s (confidence %.2f, tier %d)\n", std::string(incidentTypeName(r.type)).c_str(), r.confidence, r.tier);
    out += buf;
    if (!r.rationale.empty()) {
        out += "Why:\n";
        for (const auto& x : r.rationale) out += "  [" + x.event + "] " + x.why + "\n";
    }
    auto list = [&](const char* title, const auto& items) {
        out += title;
        if (items.empty()) out += " —";
        size_t n = 0;
        for (const auto& i : items) {
            if (++n > 30) {
                out += " …";
                break;
            }
            out += " " + i;
        }
        out += "\n";
    };
    list("Injection sources:", r.injectionSources);
    list("Harmful actions:", r.harmfulActions);
    list("Attempts not acted on:", r.attemptSources);
    int64_t shown = 0;
    out += "Findings (" + std::to_string(r.findings.size()) + "):\n";
    for (const auto& f : r.findings) {
        if (f.severity < Severity::Medium && shown >= 10) continue;
        if (++shown > 60) {
            out += "  …\n";
            break;
        }
        std::string atlas;
        for (const auto& a : f.atlas) atlas += (atlas.empty() ? "" : ", ") + a.id;
        out += "  " + std::string(severityName(f.severity)) + "  " + f.rule + "  " + f.summary + "  [" + atlas + "]";
        if (!f.events.empty()) out += "  events: " + f.events.front() + (f.events.size() > 1 ? " +" + std::to_string(f.events.size() - 1) : "");
        out += "\n";
    }
    out += "Taint edges: " + std::to_string(r.taintTotal) + "\n";
    for (size_t i = 0; i < r.taint.size() && i < 10; ++i) {
        const auto& t = r.taint[i];
        if (!t.harmful && i >= 3) break;
        out += "  " + t.source + " → " + t.action + "  " + t.argument + "=\"" + t.value + "\"" + (t.injected ? "  (injected)" : "") + "\n";
    }
    out += "Blast radius:\n";
    list("  agents:", r.blast.agents);
    list("  identities:", r.blast.identities);
    list("  tools:", r.blast.tools);
    list("  destinations:", r.blast.destinations);
    list("  data sources:", r.blast.dataSources);
    out += "Completeness (sessions holding each artifact, of " + std::to_string(r.sessions.size()) + "):\n";
    for (const auto& [name, n] : r.artifactSessions) out += "  " + name + ": " + std::to_string(n) + "\n";
    int64_t flagged = 0;
    for (const auto& v : r.sessions) flagged += v.type != IncidentType::None ? 1 : 0;
    out += "Sessions: " + std::to_string(r.sessions.size()) + ", with an incident: " + std::to_string(flagged) + "\n";
    for (const auto& v : r.sessions) {
        if (!allSessions && !listed(v)) continue;
        std::snprintf(buf, sizeof buf, "  %-40s %-26s %.2f tier %d", v.session.c_str(), std::string(incidentTypeName(v.type)).c_str(), v.confidence, v.tier);
        out += buf;
        if (!v.harmfulActions.empty()) out += "  harmful: " + v.harmfulActions.front() + (v.harmfulActions.size() > 1 ? " +" + std::to_string(v.harmfulActions.size() - 1) : "");
        out += "\n";
    }
    std::snprintf(buf, sizeof buf, "Analysed %lld events in %.2f s. ATLAS %s.\n", static_cast<long long>(r.events), r.seconds, r.atlasVersion.c_str());
    out += buf;
    return out;
}

} // namespace chainsight::analysis
