// From what the pass gathered to an answer: decision-log and volume checks, findings per session, the
// incident type with its confidence, tier and reasons, the blast radius, the runtime AI-BOM and the
// forensic-chain completeness.
#include "core/analysis/Atlas.h"
#include "core/analysis/Engine.h"

#include <algorithm>
#include <deque>

namespace chainsight::analysis::detail {

namespace {
int priority(IncidentType t)
{
    switch (t) {
    case IncidentType::RuntimeExecutionEscape: return 3;
    case IncidentType::PrivilegeBoundaryEscape: return 2;
    case IncidentType::ReasoningCompromise: return 1;
    default: return 0;
    }
}

std::string clip(const std::string& s, size_t n) { return s.size() <= n ? s : s.substr(0, n) + "…"; }

const char* kArtifactNames[] = {"", "prompt_history", "retrieved_context", "tool_calls", "identity_assumptions", "downstream_invocations", "llm_output_trace"};
} // namespace

AtlasRef Engine::atlas(const std::string& id) const
{
    const AtlasTechnique* t = atlasTechnique(id);
    return AtlasRef{id, t ? t->name : std::string()};
}

Finding Engine::publicFinding(const RawFinding& f) const
{
    Finding out;
    out.rule = f.rule;
    out.severity = f.severity;
    out.summary = f.summary;
    for (int32_t ev : f.events)
        if (ev >= 0) out.events.emplace_back(idOf(ev));
    for (const auto& id : f.atlas) out.atlas.push_back(atlas(id));
    if (f.session != kNone) {
        out.session = m_strings.str(f.session);
        auto it = m_sessions.find(f.session);
        if (it != m_sessions.end() && it->second.agent != kNone) out.agent = m_strings.str(it->second.agent);
    }
    return out;
}

void Engine::decisionChecks()
{
    for (uint32_t name : m_sessionOrder) {
        SessionState& s = m_sessions[name];
        if (s.calls.empty()) continue;
        auto agentWindow = m_decidedAgents.find(s.agent);
        std::vector<int32_t> missing;
        bool missingSink = false;
        for (int32_t ci : s.calls) {
            CallRec& c = m_calls[ci];
            const int64_t ts = m_events[c.ev].ts;
            const bool covered = s.hasDecisions || (agentWindow != m_decidedAgents.end() && ts >= agentWindow->second.first &&
                                                    ts <= agentWindow->second.second);
            if (!covered) continue;
            if (!c.hasDecision) {
                missing.push_back(c.ev);
                if (c.category & kSinkMask) {
                    missingSink = true;
                    c.privilegeHarm = true;
                    c.reasons.push_back("no runtime decision: the gateway was bypassed");
                }
            } else if (c.decision == Verdict::Block && c.result >= 0 && c.resultOk) {
                c.privilegeHarm = true;
                c.reasons.push_back("BLOCKed, yet it succeeded");
                RawFinding f;
                f.rule = "blocked_action_succeeded";
                f.severity = Severity::Critical;
                f.summary = m_strings.str(c.tool) + " was BLOCKed by the runtime control, yet its result is a success";
                f.events = {c.ev, c.result};
                f.atlas = {"AML.T0107", "AML.T0053"};
                f.session = name;
                f.supports = RawFinding::Supports::Privilege;
                addFinding(std::move(f));
            }
        }
        if (!missing.empty()) {
            RawFinding f;
            f.rule = "action_without_decision";
            f.severity = missingSink ? Severity::High : Severity::Medium;
            f.summary = std::to_string(missing.size()) + " tool call(s) have no decision in the runtime decision log";
            f.events = missing;
            f.atlas = {"AML.T0107"};
            f.session = name;
            f.supports = missingSink ? RawFinding::Supports::Privilege : RawFinding::Supports::Nothing;
            addFinding(std::move(f));
        }
    }
    // bursts of BLOCK decisions: three or more within five minutes in one session
    std::map<std::string, std::vector<const BlockDecision*>> blocks;
    for (const BlockDecision& b : m_blocks) blocks[b.agent + '\x1f' + b.session].push_back(&b);
    for (auto& [key, list] : blocks) {
        std::sort(list.begin(), list.end(), [](const BlockDecision* a, const BlockDecision* b) { return a->tsNs < b->tsNs; });
        size_t start = 0, best = 0, bestStart = 0;
        for (size_t i = 0; i < list.size(); ++i) {
            while (list[i]->tsNs - list[start]->tsNs > 300LL * 1000000000LL) ++start;
            if (i - start + 1 > best) {
                best = i - start + 1;
                bestStart = start;
            }
        }
        if (best < 3) continue;
        RawFinding f;
        f.rule = "block_burst";
        f.severity = Severity::Medium;
        f.summary = std::to_string(best) + " BLOCK decisions within five minutes (agent " + list[0]->agent + ")";
        // (Each member looked up by its own row: the scan over every decision per member was quadratic.)
        for (size_t i = bestStart; i < bestStart + best; ++i) {
            if (const int32_t* c = m_callByKey.find(std::to_string(list[i]->bundle) + '\x1f' + list[i]->event)) f.events.push_back(m_calls[*c].ev);
        }
        f.atlas = {"AML.T0053"};
        f.session = m_strings.find(list[0]->session);
        addFinding(std::move(f));
    }
}

void Engine::volumeChecks()
{
    for (const auto& [agent, buckets] : m_callVolume) {
        if (buckets.size() < 4) continue;
        std::vector<int64_t> counts;
        for (const auto& [b, c] : buckets) counts.push_back(c.first);
        std::nth_element(counts.begin(), counts.begin() + counts.size() / 2, counts.end());
        const int64_t median = std::max<int64_t>(1, counts[counts.size() / 2]);
        for (const auto& [b, c] : buckets) {
            if (c.first < std::max<int64_t>(4 * median, median + 20)) continue;
            RawFinding f;
            f.rule = "call_volume_spike";
            f.severity = Severity::Low;
            f.summary = std::to_string(c.first) + " tool calls in five minutes by " + m_strings.str(agent) + " (its median: " +
                        std::to_string(median) + ")";
            f.events = {c.second};
            f.atlas = {"AML.T0034.002"};
            f.session = m_events[c.second].session;
            addFinding(std::move(f));
        }
    }
}

void Engine::sessionFindings()
{
    for (uint32_t name : m_sessionOrder) {
        SessionState& s = m_sessions[name];
        std::set<int32_t> actedSources;
        std::vector<int32_t> weakFlows;
        for (int32_t ci : s.calls) {
            const CallRec& c = m_calls[ci];
            if (c.bestEdge < 0) continue;
            const EdgeRec& best = m_edges[c.bestEdge];
            if (!c.harmful) {
                if (c.category & kSinkMask) weakFlows.push_back(c.ev);
                continue;
            }
            actedSources.insert(best.source);
            for (size_t i = c.firstEdge; i < m_edges.size() && m_edges[i].action == c.ev; ++i)
                if (m_edges[i].harmful) actedSources.insert(m_edges[i].source);
            const auto src = m_sources.find(best.source);
            const std::string kind = src != m_sources.end() && src->second.kind != kNone ? m_strings.str(src->second.kind) : "untrusted content";
            RawFinding f;
            f.rule = "tainted_action";
            f.severity = (c.category & (kMoney | kDelete | kPermission | kExec)) && best.injected ? Severity::Critical : Severity::High;
            f.summary = m_strings.str(c.tool) + " (" + categoryNames(c.category & kSinkMask) + ") uses " + m_strings.str(best.argument) +
                        "=\"" + clip(m_strings.str(best.value), 60) + "\", first introduced by " + kind +
                        (best.injected ? " inside injection language" : "") + (best.via >= 0 ? ", carried by " + std::string(idOf(best.via)) : "");
            f.events = {c.ev, best.source};
            if (best.via >= 0) f.events.push_back(best.via);
            if (best.injected || best.sourceFlagged) f.atlas.push_back("AML.T0051.001");
            f.atlas.push_back("AML.T0053");
            if (c.category & (kMessage | kEgress)) f.atlas.push_back("AML.T0086");
            if (c.category & kMoney) f.atlas.push_back("AML.T0048.000");
            if (c.category & kDelete) f.atlas.push_back("AML.T0101");
            if (kind.find("rag") != std::string::npos) f.atlas.push_back("AML.T0070");
            if (kind.find("mcp_tool_description") != std::string::npos || m_changedDescriptionSources.count(best.source))
                f.atlas.push_back("AML.T0110");
            if (best.via >= 0 && m_events[best.via].type == EventType::MemoryWrite) f.atlas.push_back("AML.T0080.000");
            if (best.via >= 0 && m_events[best.via].type == EventType::Delegation) f.atlas.push_back("AML.T0080.001");
            f.session = name;
            f.supports = RawFinding::Supports::Reasoning;
            addFinding(std::move(f));
        }
        for (int32_t src : s.injectionSources) {
            const SourceInfo& info = m_sources[src];
            const std::string kind = info.kind != kNone ? m_strings.str(info.kind) : "content";
            const bool acted = actedSources.count(src) > 0;
            RawFinding f;
            f.rule = acted ? "prompt_injection" : "injection_attempt";
            f.severity = acted ? Severity::High : Severity::Medium;
            f.summary = kind + " holds injection language (\"" + clip(info.phrase, 80) + "\")" +
                        (acted ? " and the agent acted on the values it dictated" : "; no tool call carried out what it dictated");
            f.events = {src};
            f.atlas = {m_events[src].type == EventType::MemoryWrite ? "AML.T0080.000" : "AML.T0051.001"};
            if (kind.find("rag") != std::string::npos) f.atlas.push_back("AML.T0070");
            if (kind.find("mcp_tool_description") != std::string::npos) f.atlas.push_back("AML.T0110");
            if (m_events[src].type == EventType::Delegation) f.atlas.push_back("AML.T0080.001");
            f.session = name;
            addFinding(std::move(f));
        }
        if (!weakFlows.empty()) {
            RawFinding f;
            f.rule = "untrusted_value_in_action";
            f.severity = Severity::Low;
            f.summary = std::to_string(weakFlows.size()) + " consequential call(s) use values first seen in untrusted content, "
                                                           "with nothing else pointing to an injection";
            f.events = weakFlows;
            f.atlas = {"AML.T0053"};
            f.session = name;
            addFinding(std::move(f));
        }
        if (s.bypassEvent >= 0) {
            RawFinding f;
            f.rule = "bypass_language";
            f.severity = Severity::Low;
            f.summary = "the agent's output reads \"" + clip(s.bypassPhrase, 80) + "\"";
            f.events = {s.bypassEvent};
            f.atlas = {"AML.T0054"};
            f.session = name;
            addFinding(std::move(f));
        }
    }
}

void Engine::finish(AnalysisReport& report)
{
    decisionChecks();
    volumeChecks();
    sessionFindings();
    verdicts(report);
}

void Engine::verdicts(AnalysisReport& report)
{
    std::unordered_map<uint32_t, std::vector<const RawFinding*>> bySession;
    for (const auto& f : m_findings) bySession[f.session].push_back(&f);

    std::vector<uint32_t> incidentSessions;
    std::map<uint32_t, int64_t> startTs;
    const SessionVerdict* chosen = nullptr;
    std::set<std::string> injectionSeen, harmfulSeen;
    for (uint32_t name : m_sessionOrder) {
        const SessionState& s = m_sessions[name];
        SessionVerdict v;
        v.session = m_strings.str(name);
        v.agent = s.agent != kNone ? m_strings.str(s.agent) : std::string();
        v.events = s.events;
        v.firstTs = s.firstTs;
        v.lastTs = s.lastTs;
        v.metadata = s.metadata;
        for (int a = 1; a <= 6; ++a) (s.artifacts & (1u << a) ? v.completeness.present : v.completeness.missing).push_back(kArtifactNames[a]);

        const auto& findings = bySession[name];
        v.findings = static_cast<int>(findings.size());
        bool privilege = false, runtime = false, capability = false;
        std::set<std::string> privilegeRules;
        for (const RawFinding* f : findings) {
            v.maxSeverity = std::max(v.maxSeverity, f->severity);
            if (f->supports == RawFinding::Supports::Runtime) runtime = true;
            if (f->supports == RawFinding::Supports::Privilege && f->severity >= Severity::High) {
                privilege = true;
                privilegeRules.insert(f->rule);
            }
            if (f->severity >= Severity::High &&
                (f->rule == "tool_not_allowed" || f->rule == "egress_not_allowed" || f->rule == "value_not_approved" || f->rule == "read_only_write"))
                capability = true;
        }
        std::vector<const CallRec*> reasoningCalls, privilegeCalls, runtimeCalls;
        int bestScore = 0;
        bool flaggedSource = false;
        for (int32_t ci : s.calls) {
            const CallRec& c = m_calls[ci];
            if (c.harmful) {
                reasoningCalls.push_back(&c);
                bestScore = std::max(bestScore, c.bestScore);
                if (m_edges[c.bestEdge].injected || m_edges[c.bestEdge].sourceFlagged) flaggedSource = true;
            }
            if (c.privilegeHarm) privilegeCalls.push_back(&c);
            if (c.runtimeHarm) runtimeCalls.push_back(&c);
        }
        if (runtime) v.type = IncidentType::RuntimeExecutionEscape;
        else if (!reasoningCalls.empty()) v.type = IncidentType::ReasoningCompromise;
        else if (privilege) v.type = IncidentType::PrivilegeBoundaryEscape;

        // injection sources: the untrusted content the harmful calls drew on (a delegation or memory write
        // that only carried a value is the path, not the source), then the attempts
        for (const CallRec* c : reasoningCalls)
            for (size_t i = c->firstEdge; i < m_edges.size() && m_edges[i].action == c->ev; ++i)
                if (m_edges[i].harmful && !(m_edges[i].source == m_edges[i].via && !m_sources[m_edges[i].source].flagged)) {
                    const std::string id(idOf(m_edges[i].source));
                    if (std::find(v.injectionSources.begin(), v.injectionSources.end(), id) == v.injectionSources.end())
                        v.injectionSources.push_back(id);
                }
        for (int32_t src : s.injectionSources) {
            const std::string id(idOf(src));
            if (std::find(v.injectionSources.begin(), v.injectionSources.end(), id) == v.injectionSources.end() &&
                std::find(v.attemptSources.begin(), v.attemptSources.end(), id) == v.attemptSources.end())
                v.attemptSources.push_back(id);
        }

        auto addHarm = [&](const std::vector<const CallRec*>& calls) {
            for (const CallRec* c : calls) {
                const std::string id(idOf(c->ev));
                if (std::find(v.harmfulActions.begin(), v.harmfulActions.end(), id) == v.harmfulActions.end()) v.harmfulActions.push_back(id);
            }
        };
        switch (v.type) {
        case IncidentType::RuntimeExecutionEscape: {
            v.confidence = std::min(0.97, 0.75 + (runtimeCalls.empty() ? 0.0 : 0.1) + 0.05 * static_cast<double>(findings.size() > 1));
            for (const RawFinding* f : findings)
                if (f->supports == RawFinding::Supports::Runtime) v.rationale.push_back({std::string(idOf(f->events.front())), f->summary});
            addHarm(runtimeCalls);
            addHarm(reasoningCalls);
            break;
        }
        case IncidentType::ReasoningCompromise: {
            v.confidence = std::min(0.97, 0.55 + 0.06 * (bestScore - 4) + (flaggedSource ? 0.12 : 0.0) + (s.bypassEvent >= 0 ? 0.05 : 0.0));
            std::set<int32_t> sourcesNamed;
            for (const CallRec* c : reasoningCalls) {
                const EdgeRec& e = m_edges[c->bestEdge];
                if (sourcesNamed.insert(e.source).second) {
                    const SourceInfo& info = m_sources[e.source];
                    std::string why = (info.kind != kNone ? m_strings.str(info.kind) : std::string("untrusted content")) +
                                      " introduced \"" + clip(m_strings.str(e.value), 60) + "\"";
                    if (info.flagged) why += " inside injection language (\"" + clip(info.phrase, 60) + "\")";
                    else if (e.directive) why += " in an imperative sentence";
                    v.rationale.push_back({std::string(idOf(e.source)), why});
                }
                if (e.via >= 0)
                    v.rationale.push_back({std::string(idOf(e.via)), std::string(m_events[e.via].type == EventType::MemoryWrite ? "memory" : "a delegation") +
                                                                         " carried the value across to this session"});
                std::string why = m_strings.str(c->tool) + " (" + categoryNames(c->category & kSinkMask) + ") used it as " + m_strings.str(e.argument);
                if (e.injected) why += "; the value was dictated by injection language";
                if (s.hasUserPrompt && !(c->category & kSinkMask & s.intent)) why += "; the user asked for nothing of this kind";
                for (const auto& r : c->reasons) why += "; " + r;
                why += " (score " + std::to_string(c->bestScore) + ")";
                v.rationale.push_back({std::string(idOf(c->ev)), why});
            }
            if (s.bypassEvent >= 0) v.rationale.push_back({std::string(idOf(s.bypassEvent)), "the agent's reasoning reads \"" + clip(s.bypassPhrase, 80) + "\""});
            addHarm(reasoningCalls);
            addHarm(privilegeCalls);
            addHarm(runtimeCalls);
            break;
        }
        case IncidentType::PrivilegeBoundaryEscape: {
            v.confidence = std::min(0.95, 0.6 + 0.1 * static_cast<double>(privilegeRules.size()) + (privilegeCalls.empty() ? 0.0 : 0.05));
            for (const RawFinding* f : findings)
                if (f->supports == RawFinding::Supports::Privilege && f->severity >= Severity::High)
                    v.rationale.push_back({std::string(idOf(f->events.front())), f->summary});
            for (const CallRec* c : privilegeCalls) {
                std::string why = m_strings.str(c->tool);
                for (const auto& r : c->reasons) why += "; " + r;
                v.rationale.push_back({std::string(idOf(c->ev)), why});
            }
            addHarm(privilegeCalls);
            break;
        }
        case IncidentType::None: {
            double conf = 0.9;
            for (const RawFinding* f : findings) {
                if (f->rule == "injection_attempt") {
                    v.rationale.push_back({std::string(idOf(f->events.front())), "attempt: " + f->summary});
                    conf = std::min(conf, 0.75);
                } else if (f->severity >= Severity::Medium) {
                    v.rationale.push_back({f->events.empty() ? std::string() : std::string(idOf(f->events.front())), f->summary});
                    conf = std::min(conf, 0.7);
                }
            }
            v.confidence = conf;
            break;
        }
        }
        if (v.rationale.size() > 40) v.rationale.resize(40);
        v.tier = v.type != IncidentType::None || capability ? 3 : v.maxSeverity >= Severity::Medium ? 2 : 1;

        for (const auto& id : v.injectionSources)
            if (injectionSeen.insert(id).second) report.injectionSources.push_back(id);
        for (const auto& id : v.attemptSources)
            if (std::find(report.attemptSources.begin(), report.attemptSources.end(), id) == report.attemptSources.end())
                report.attemptSources.push_back(id);
        if (v.type != IncidentType::None) {
            incidentSessions.push_back(name);
            int64_t t0 = s.lastTs;
            for (const CallRec* c : reasoningCalls) t0 = std::min(t0, m_events[m_edges[c->bestEdge].source].ts);
            for (const CallRec* c : privilegeCalls) t0 = std::min(t0, m_events[c->ev].ts);
            for (const CallRec* c : runtimeCalls) t0 = std::min(t0, m_events[c->ev].ts);
            for (const RawFinding* f : findings)
                if (f->supports != RawFinding::Supports::Nothing && !f->events.empty()) t0 = std::min(t0, m_events[f->events.front()].ts);
            startTs[name] = t0;
            for (const auto& id : v.harmfulActions)
                if (harmfulSeen.insert(id).second) report.harmfulActions.push_back(id);
        }
        report.tier = std::max(report.tier, v.tier);
        report.sessions.push_back(std::move(v));
    }

    // the case: the most severe incident class present, the most confident session of that class
    for (const auto& v : report.sessions) {
        if (v.type == IncidentType::None) continue;
        if (!chosen || priority(v.type) > priority(chosen->type) || (priority(v.type) == priority(chosen->type) && v.confidence > chosen->confidence))
            chosen = &v;
    }
    if (chosen) {
        report.type = chosen->type;
        report.confidence = chosen->confidence;
        report.rationale = chosen->rationale;
        int others = 0;
        for (const auto& v : report.sessions) {
            if (&v == chosen || v.type == IncidentType::None || v.rationale.empty()) continue;
            if (++others > 20) break;
            report.rationale.push_back({v.rationale.back().event, "session " + v.session + ": " + std::string(incidentTypeName(v.type)) + " — " + v.rationale.back().why});
        }
    } else {
        report.type = IncidentType::None;
        double conf = 0.9;
        for (const auto& v : report.sessions) conf = std::min(conf, v.confidence > 0 ? v.confidence : conf);
        report.confidence = conf;
        for (const auto& v : report.sessions)
            for (const auto& r : v.rationale)
                if (report.rationale.size() < 20) report.rationale.push_back(r);
    }

    // findings, most severe first
    for (const auto& f : m_findings) report.findings.push_back(publicFinding(f));
    std::stable_sort(report.findings.begin(), report.findings.end(), [](const Finding& a, const Finding& b) { return a.severity > b.severity; });

    // taint edges, harmful first
    std::vector<const EdgeRec*> edges;
    for (const auto& e : m_edges) edges.push_back(&e);
    std::stable_sort(edges.begin(), edges.end(), [](const EdgeRec* a, const EdgeRec* b) {
        if (a->harmful != b->harmful) return a->harmful;
        return a->score > b->score;
    });
    report.taintTotal = static_cast<int64_t>(edges.size());
    for (const EdgeRec* e : edges) {
        if (report.taint.size() >= m_options.maxTaintEdges) break;
        TaintEdge t;
        t.source = idOf(e->source);
        t.action = idOf(e->action);
        t.value = m_strings.str(e->value);
        t.argument = m_strings.str(e->argument);
        auto src = m_sources.find(e->source);
        t.sourceKind = src != m_sources.end() && src->second.kind != kNone ? m_strings.str(src->second.kind) : "untrusted";
        if (e->via >= 0) t.via = idOf(e->via);
        t.injected = e->injected;
        t.directive = e->directive;
        t.score = e->score;
        t.harmful = e->harmful;
        report.taint.push_back(std::move(t));
    }

    blastRadius(report, incidentSessions, startTs);

    std::map<uint32_t, AgentBom> boms; // by agent, in the order agents were first named
    auto fill = [&](char kind, std::set<std::string> AgentBom::*out) {
        for (const uint64_t key : m_bom[static_cast<unsigned char>(kind)]) {
            AgentBom& b = boms[static_cast<uint32_t>(key >> 32)];
            (b.*out).insert(m_strings.str(static_cast<uint32_t>(key)));
        }
    };
    fill('L', &AgentBom::models);
    fill('T', &AgentBom::tools);
    fill('S', &AgentBom::mcpServers);
    fill('R', &AgentBom::ragSources);
    fill('M', &AgentBom::memoryStores);
    fill('I', &AgentBom::identities);
    for (auto& [agent, b] : boms) {
        b.agent = m_strings.str(agent);
        report.aiBom.push_back(std::move(b));
    }
    for (int a = 1; a <= 6; ++a) report.artifactSessions[kArtifactNames[a]] = 0;
    for (uint32_t name : m_sessionOrder)
        for (int a = 1; a <= 6; ++a)
            if (m_sessions[name].artifacts & (1u << a)) ++report.artifactSessions[kArtifactNames[a]];
    report.events = static_cast<int64_t>(m_events.size());
    report.atlasVersion = atlasVersion();
}

void Engine::blastRadius(AnalysisReport& report, const std::vector<uint32_t>& incidentSessions, const std::map<uint32_t, int64_t>& startTs)
{
    // from each incident forward: the session itself, sessions it delegated to, sessions of agents it
    // delegated to without a session, sessions that used values it wrote to memory
    std::map<uint32_t, int64_t> reached;
    std::deque<uint32_t> queue;
    auto reach = [&](uint32_t session, int64_t ts) {
        auto [it, fresh] = reached.try_emplace(session, ts);
        if (!fresh && ts >= it->second) return;
        it->second = ts;
        queue.push_back(session);
    };
    for (uint32_t s : incidentSessions) reach(s, startTs.at(s));
    // sources of the harmful edges that sit in other sessions (a delegating orchestrator, an earlier session)
    for (const auto& c : m_calls) {
        if (!c.harmful) continue;
        for (size_t i = c.firstEdge; i < m_edges.size() && m_edges[i].action == c.ev; ++i)
            if (m_edges[i].harmful) reach(m_events[m_edges[i].source].session, m_events[m_edges[i].source].ts);
    }
    std::unordered_map<uint32_t, std::vector<uint32_t>> sessionsOfAgent;
    for (uint32_t name : m_sessionOrder) sessionsOfAgent[m_sessions[name].agent].push_back(name);
    while (!queue.empty()) {
        const uint32_t name = queue.front();
        queue.pop_front();
        const int64_t t0 = reached[name];
        const SessionState& s = m_sessions[name];
        for (const auto& [ts, target] : s.downstream)
            if (ts >= t0 && m_sessions.count(target)) reach(target, ts);
        for (const auto& [ts, agent] : s.inboxAgents)
            for (uint32_t other : sessionsOfAgent[agent])
                if (m_sessions[other].lastTs >= ts) reach(other, ts);
    }
    for (const auto& e : m_edges) {
        if (e.via < 0 || m_events[e.via].type != EventType::MemoryWrite) continue;
        auto it = reached.find(m_events[e.via].session);
        if (it != reached.end() && m_events[e.via].ts >= it->second) reach(m_events[e.action].session, m_events[e.action].ts);
    }
    while (!queue.empty()) queue.pop_front();
    for (const auto& [name, t0] : reached) {
        const SessionState& s = m_sessions[name];
        if (s.agent != kNone) report.blast.agents.insert(m_strings.str(s.agent));
        for (const auto& [fact, ts] : s.facts) {
            if (ts < t0) continue;
            const std::string& value = m_strings.str(fact.second);
            switch (fact.first) {
            case 'T': report.blast.tools.insert(value); break;
            case 'S': report.blast.tools.insert("server:" + value); break;
            case 'I': report.blast.identities.insert(value); break;
            case 'D': report.blast.destinations.insert(value); break;
            case 'R': report.blast.dataSources.insert(value); break;
            case 'A': report.blast.agents.insert(value); break;
            case 'M': report.blast.dataSources.insert("memory:" + value); break;
            default: break;
            }
        }
    }
}

} // namespace chainsight::analysis::detail
