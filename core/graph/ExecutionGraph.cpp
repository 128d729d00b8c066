// Builds the execution graph from the case index in two passes over the events: nodes (with llm_output and
// tool_result passing through to the node that caused them), then edges; folds are decided last.
#include "core/graph/ExecutionGraph.h"

#include "core/model/Time.h"

#include <algorithm>
#include <numeric>

namespace chainsight::graph {

std::string_view nodeKindName(NodeKind k)
{
    static constexpr std::string_view names[] = {"agent", "session", "source", "document", "tool", "call",
                                                 "identity", "destination", "memory", "runtime", "more"};
    return names[static_cast<int>(k)];
}

std::string_view edgeKindName(EdgeKind k)
{
    static constexpr std::string_view names[] = {"runs", "prompt", "retrieval", "calls", "causal",
                                                 "delegation", "identity", "egress", "memory", "context", "highlight"};
    return names[static_cast<int>(k)];
}

namespace {
uint64_t nodeKey(NodeKind k, uint64_t a, uint64_t b) { return (uint64_t(k) << 58) | ((a & 0x1FFFFFFF) << 29) | (b & 0x1FFFFFFF); }

std::string plural(int64_t n, const char* one, const char* many)
{
    return std::to_string(n) + ' ' + (n == 1 ? one : many);
}

std::string verdictLine(const std::array<uint32_t, 5>& v)
{
    std::string out;
    static constexpr const char* names[] = {"ALLOW", "LOG", "CONSTRAIN", "BLOCK"};
    for (int i : {3, 2, 1, 0}) {
        if (!v[i]) continue;
        if (!out.empty()) out += " · ";
        out += std::to_string(v[i]) + ' ' + names[i];
    }
    return out;
}
} // namespace

int ExecutionGraph::addNode(NodeKind kind, std::string label, const std::string& agent)
{
    Node n;
    n.id = static_cast<int>(m_nodes.size());
    n.kind = kind;
    n.label = std::move(label);
    n.agent = agent;
    m_nodes.push_back(std::move(n));
    return m_nodes.back().id;
}

void ExecutionGraph::addEdge(int from, int to, EdgeKind kind)
{
    if (from < 0 || to < 0 || from == to) return;
    m_rawEdges.push_back((uint64_t(from) << 34) | (uint64_t(to) << 4) | uint64_t(kind));
}

namespace {
// LSD radix sort on the low 64 bits, 16 at a time: millions of keys in tens of milliseconds.
void radixSort(std::vector<uint64_t>& v)
{
    std::vector<uint64_t> tmp(v.size());
    for (int shift = 0; shift < 64; shift += 16) {
        std::vector<size_t> count(65537, 0);
        for (uint64_t x : v) ++count[((x >> shift) & 0xFFFF) + 1];
        if (count[1] == v.size() && shift > 0) continue; // this digit is 0 everywhere
        for (size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
        for (uint64_t x : v) tmp[count[(x >> shift) & 0xFFFF]++] = x;
        v.swap(tmp);
    }
}
} // namespace

std::unique_ptr<ExecutionGraph> ExecutionGraph::build(std::shared_ptr<const store::CaseIndex> indexPtr, const BuildOptions& options)
{
    std::unique_ptr<ExecutionGraph> g(new ExecutionGraph);
    g->m_index = std::move(indexPtr);
    g->m_options = options;
    const store::CaseIndex& ix = *g->m_index;
    const size_t n = ix.size();

    std::unordered_map<uint64_t, int> keyed;
    keyed.reserve(4096);
    auto node = [&](NodeKind kind, uint64_t a, uint64_t b, auto&& makeLabel, const std::string& agent) {
        const uint64_t key = nodeKey(kind, a, b);
        auto it = keyed.find(key);
        if (it != keyed.end()) return it->second;
        const int id = g->addNode(kind, makeLabel(), agent);
        keyed.emplace(key, id);
        return id;
    };
    std::vector<int> agentNode(ix.agentNames.size(), -1), sessionNode(ix.sessionNames.size(), -1);
    std::unordered_map<std::string, int> extraAgents; // delegation targets with no events of their own
    auto agentOf = [&](uint32_t a) {
        if (agentNode[a] < 0) agentNode[a] = g->addNode(NodeKind::Agent, ix.agentNames[a], ix.agentNames[a]);
        return agentNode[a];
    };
    auto sessionOf = [&](uint32_t s) {
        if (sessionNode[s] < 0) {
            const std::string& agent = ix.agentNames[ix.sessionAgent[s]];
            sessionNode[s] = g->addNode(NodeKind::Session, ix.sessionNames[s], agent);
        }
        return sessionNode[s];
    };
    std::unordered_map<std::string, uint32_t> sessionByName;
    auto delegateTarget = [&](uint32_t toAgentAttr, uint32_t toSessionAttr) {
        if (toSessionAttr) {
            if (sessionByName.empty())
                for (uint32_t s = 0; s < ix.sessionNames.size(); ++s) sessionByName.emplace(ix.sessionNames[s], s);
            auto it = sessionByName.find(ix.attrNames[toSessionAttr]);
            if (it != sessionByName.end()) return sessionOf(it->second);
        }
        const std::string& name = ix.attrNames[toAgentAttr];
        if (name.empty()) return -1;
        for (uint32_t a = 0; a < ix.agentNames.size(); ++a)
            if (ix.agentNames[a] == name) return agentOf(a);
        auto it = extraAgents.find(name);
        if (it != extraAgents.end()) return it->second;
        const int id = g->addNode(NodeKind::Agent, name, name);
        extraAgents.emplace(name, id);
        return id;
    };

    // Agents in name order first, so ids are stable across builds.
    for (uint32_t a = 0; a < ix.agentNames.size(); ++a) agentOf(a);

    // Pass 1: each event's own node; -1 for those that pass through to their cause.
    std::vector<int32_t> own(n, -1);
    std::vector<int32_t> identityNodeOf(ix.identityNames.size(), -1);
    auto identityByName = [&](const std::string& name) {
        return node(NodeKind::Identity, std::hash<std::string>{}(name) & 0x1FFFFFFF, 0, [&] { return name; }, std::string());
    };
    for (size_t i = 0; i < n; ++i) {
        const auto type = static_cast<EventType>(ix.types[i]);
        const uint32_t agent = ix.agents[i];
        const std::string& agentName = ix.agentNames[agent];
        const uint32_t attr = ix.attrs[i];
        switch (type) {
        case EventType::Prompt:
            own[i] = node(NodeKind::Source, agent, attr, [&] { return ix.attrNames[attr].empty() ? std::string("prompt") : ix.attrNames[attr]; },
                          agentName);
            break;
        case EventType::Retrieval:
            own[i] = node(NodeKind::Document, attr, 0, [&] { return ix.attrNames[attr].empty() ? std::string("(unnamed source)") : ix.attrNames[attr]; },
                          std::string());
            break;
        case EventType::ToolCall: {
            const int id = g->addNode(NodeKind::Call, ix.toolNames[ix.tools[i]].empty() ? "(tool)" : ix.toolNames[ix.tools[i]], agentName);
            own[i] = id;
            break;
        }
        case EventType::IdentityChange:
        case EventType::Auth:
            own[i] = attr ? identityByName(ix.attrNames[attr]) : -1;
            break;
        case EventType::Delegation:
            own[i] = delegateTarget(attr, ix.attrs2[i]);
            break;
        case EventType::MemoryWrite:
        case EventType::MemorySnapshot:
            own[i] = node(NodeKind::Memory, attr, 0, [&] { return ix.attrNames[attr].empty() ? std::string("memory") : ix.attrNames[attr]; },
                          std::string());
            break;
        case EventType::Egress:
            own[i] = node(NodeKind::Destination, attr, 0, [&] { return ix.attrNames[attr].empty() ? std::string("(unknown destination)") : ix.attrNames[attr]; },
                          std::string());
            break;
        case EventType::Kernel:
            own[i] = node(NodeKind::Runtime, agent, attr, [&] { return ix.attrNames[attr].empty() ? std::string("kernel") : ix.attrNames[attr]; },
                          agentName);
            break;
        case EventType::LlmOutput:
        case EventType::ToolResult:
            break;
        }
    }
    // Pass-through events take the node of what caused them, else their session.
    std::vector<uint32_t> chain;
    for (size_t i = 0; i < n; ++i) {
        if (own[i] >= 0) continue;
        chain.clear();
        int32_t cur = static_cast<int32_t>(i);
        int32_t target = -1;
        while (cur >= 0 && chain.size() < 64) {
            if (own[cur] >= 0) {
                target = own[cur];
                break;
            }
            chain.push_back(static_cast<uint32_t>(cur));
            cur = ix.parents[cur];
        }
        for (uint32_t c : chain) own[c] = target >= 0 ? target : sessionOf(ix.sessions[c]);
    }

    // Counts and times: every event counts for its agent and its session, and for its own node.
    auto tally = [&](int id, size_t i) {
        Node& nd = g->m_nodes[id];
        if (nd.events == 0 || ix.rowids[i] < nd.firstRowid) nd.firstRowid = ix.rowids[i];
        if (nd.events == 0 || ix.ts[i] < nd.firstTs) nd.firstTs = ix.ts[i];
        if (nd.events == 0 || ix.ts[i] > nd.lastTs) nd.lastTs = ix.ts[i];
        ++nd.events;
    };
    for (size_t i = 0; i < n; ++i) {
        const int agent = agentOf(ix.agents[i]), session = sessionOf(ix.sessions[i]);
        tally(agent, i);
        tally(session, i);
        const auto type = static_cast<EventType>(ix.types[i]);
        if (type == EventType::LlmOutput || type == EventType::ToolResult) continue;
        if (own[i] >= 0 && own[i] != session && own[i] != agent) tally(own[i], i);
        if (type == EventType::ToolCall && own[i] >= 0) {
            const Verdict v = static_cast<Verdict>(ix.verdicts[i]);
            ++g->m_nodes[own[i]].verdicts[std::min<int>(static_cast<int>(v), 4)];
        }
    }

    // Pass 2: edges.
    for (size_t s = 0; s < ix.sessionNames.size(); ++s)
        g->addEdge(agentOf(ix.sessionAgent[s]), sessionOf(static_cast<uint32_t>(s)), EdgeKind::Runs);
    std::vector<uint8_t> causedAction(g->m_nodes.size() + 1, 0);
    g->m_rawEdges.reserve(n * 2 + ix.sessionNames.size());
    // The documents each session has retrieved so far, most recent first (events come in file order).
    const int ctxN = std::max(0, options.contextDocuments);
    std::vector<std::vector<int>> context(ix.sessionNames.size());
    for (uint32_t k = 0; k < ix.byTime.size(); ++k) {
        const size_t i = ix.byTime[k];
        const auto type = static_cast<EventType>(ix.types[i]);
        if (type == EventType::Retrieval && own[i] >= 0 && ctxN > 0) {
            auto& c = context[ix.sessions[i]];
            std::erase(c, own[i]);
            c.insert(c.begin(), own[i]);
            if (static_cast<int>(c.size()) > ctxN) c.pop_back();
        } else if (type == EventType::ToolCall && own[i] >= 0) {
            for (int doc : context[ix.sessions[i]]) g->addEdge(doc, own[i], EdgeKind::Context);
        }
    }
    for (size_t i = 0; i < n; ++i) {
        const auto type = static_cast<EventType>(ix.types[i]);
        const int self = own[i];
        const int session = sessionOf(ix.sessions[i]);
        const int32_t p = ix.parents[i];
        const int cause = p >= 0 ? own[p] : -1;
        switch (type) {
        case EventType::Prompt:
            g->addEdge(self, session, EdgeKind::Prompt);
            break;
        case EventType::Retrieval:
            g->addEdge(self, session, EdgeKind::Retrieval);
            break;
        case EventType::ToolCall:
            g->addEdge(session, self, EdgeKind::Calls);
            if (ix.identities[i]) g->addEdge(self, identityByName(ix.identityNames[ix.identities[i]]), EdgeKind::Identity);
            break;
        case EventType::IdentityChange:
        case EventType::Auth:
            g->addEdge(session, self, EdgeKind::Identity);
            break;
        case EventType::Delegation:
            g->addEdge(session, self, EdgeKind::Delegation);
            break;
        case EventType::MemoryWrite:
        case EventType::MemorySnapshot:
            g->addEdge(session, self, EdgeKind::Memory);
            break;
        case EventType::Egress:
            g->addEdge(cause >= 0 && cause != session ? cause : session, self, EdgeKind::Egress);
            break;
        case EventType::Kernel:
            g->addEdge(session, self, EdgeKind::Calls);
            break;
        case EventType::LlmOutput:
        case EventType::ToolResult:
            break;
        }
        const bool passThrough = type == EventType::LlmOutput || type == EventType::ToolResult;
        if (!passThrough && type != EventType::Egress && cause >= 0 && cause != self && cause != session) {
            g->addEdge(cause, self, EdgeKind::Causal);
            if (g->m_nodes[cause].kind == NodeKind::Document) causedAction[cause] = 1;
        }
    }

    radixSort(g->m_rawEdges);
    for (size_t i = 0; i < g->m_rawEdges.size();) {
        size_t j = i;
        while (j < g->m_rawEdges.size() && g->m_rawEdges[j] == g->m_rawEdges[i]) ++j;
        g->m_edges.emplace_back(g->m_rawEdges[i], static_cast<int64_t>(j - i));
        i = j;
    }
    std::vector<uint64_t>().swap(g->m_rawEdges);

    // Folds: calls by agent and tool; sessions by agent; documents by kind.
    const size_t base = g->m_nodes.size();
    g->m_members.assign(base, {});
    std::unordered_map<uint64_t, int> folds;
    auto foldFor = [&](NodeKind kind, uint64_t a, uint64_t b, auto&& makeLabel, const std::string& agent) {
        const uint64_t key = nodeKey(kind, a, b);
        auto it = folds.find(key);
        if (it != folds.end()) return it->second;
        const int id = g->addNode(kind, makeLabel(), agent);
        g->m_members.emplace_back();
        folds.emplace(key, id);
        return id;
    };
    for (size_t i = 0; i < n; ++i) {
        if (ix.types[i] != static_cast<uint8_t>(EventType::ToolCall)) continue;
        const uint32_t agent = ix.agents[i], tool = ix.tools[i];
        const int fold = foldFor(NodeKind::Tool, agent, tool, [&] { return ix.toolNames[tool].empty() ? std::string("(tool)") : ix.toolNames[tool]; },
                                 ix.agentNames[agent]);
        g->m_members[fold].push_back(own[i]);
    }
    {
        std::vector<std::vector<int>> byAgent(ix.agentNames.size());
        for (uint32_t s = 0; s < ix.sessionNames.size(); ++s)
            if (sessionNode[s] >= 0) byAgent[ix.sessionAgent[s]].push_back(sessionNode[s]);
        for (uint32_t a = 0; a < byAgent.size(); ++a) {
            if (static_cast<int>(byAgent[a].size()) <= options.foldSessionsOver) continue;
            const int fold = foldFor(NodeKind::Session, a, 0, [&] { return std::string("sessions"); }, ix.agentNames[a]);
            g->m_members[fold] = byAgent[a];
        }
    }
    {
        std::unordered_map<uint32_t, std::vector<int>> byKind;
        std::unordered_map<int, uint32_t> docKind;
        for (size_t i = 0; i < n; ++i)
            if (ix.types[i] == static_cast<uint8_t>(EventType::Retrieval)) docKind.emplace(own[i], ix.attrs2[i]);
        for (const auto& [doc, kind] : docKind)
            if (!causedAction[doc]) byKind[kind].push_back(doc);
        for (auto& [kind, docs] : byKind) {
            if (static_cast<int>(docs.size()) <= options.foldDocumentsOver) continue;
            std::sort(docs.begin(), docs.end());
            const int fold = foldFor(NodeKind::Document, kind, 0, [&, k = kind] {
                return std::string("documents") + (ix.attrNames[k].empty() ? std::string() : " (" + ix.attrNames[k] + ")");
            }, std::string());
            g->m_members[fold] = docs;
        }
    }

    // Fold bookkeeping: membership, rank (marked and blocked first, then busiest, then earliest), overflow nodes.
    g->m_rank.assign(g->m_nodes.size(), 0);
    g->m_more.assign(g->m_nodes.size(), -1);
    const size_t foldEnd = g->m_nodes.size();
    for (size_t f = base; f < foldEnd; ++f) {
        auto& members = g->m_members[f];
        if (members.empty()) continue;
        Node& fold = g->m_nodes[f];
        fold.members = static_cast<int>(members.size());
        for (int m : members) {
            const Node& mn = g->m_nodes[m];
            g->m_nodes[m].group = static_cast<int>(f);
            fold.events += mn.events;
            for (int v = 0; v < 5; ++v) fold.verdicts[v] += mn.verdicts[v];
            if (fold.firstRowid == 0 || (mn.firstRowid && mn.firstRowid < fold.firstRowid)) fold.firstRowid = mn.firstRowid;
            if (fold.firstTs == 0 || mn.firstTs < fold.firstTs) fold.firstTs = mn.firstTs;
            fold.lastTs = std::max(fold.lastTs, mn.lastTs);
        }
        std::vector<int> order = members;
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            const Node& x = g->m_nodes[a];
            const Node& y = g->m_nodes[b];
            if (x.verdicts[3] != y.verdicts[3]) return x.verdicts[3] > y.verdicts[3];
            if (x.events != y.events) return x.events > y.events;
            return x.firstTs < y.firstTs;
        });
        for (size_t r = 0; r < order.size(); ++r) g->m_rank[order[r]] = static_cast<int>(r);
        if (fold.members > std::min(options.maxExpanded, options.autoExpand)) {
            const int more = g->addNode(NodeKind::More, "+" + std::to_string(fold.members - options.maxExpanded) + " more", fold.agent);
            g->m_nodes[more].group = static_cast<int>(f);
            g->m_more[f] = more;
            g->m_rank.push_back(0);
            g->m_more.push_back(-1);
            g->m_nodes[more].firstRowid = g->m_nodes[order.back()].firstRowid;
        }
    }
    g->m_members.resize(g->m_nodes.size());
    g->m_expanded.assign(g->m_nodes.size(), 0);
    for (size_t f = base; f < foldEnd; ++f)
        if (g->m_nodes[f].members > 0 && g->m_nodes[f].members <= options.autoExpand) g->m_expanded[f] = 1;

    // Second lines.
    for (Node& nd : g->m_nodes) {
        switch (nd.kind) {
        case NodeKind::Agent:
            nd.detail = plural(nd.events, "event", "events");
            break;
        case NodeKind::Session:
            nd.detail = nd.isGroup() ? plural(nd.members, "session", "sessions") + " · " + plural(nd.events, "event", "events")
                                     : plural(nd.events, "event", "events");
            if (nd.isGroup()) nd.label = std::to_string(nd.members) + " sessions of " + nd.agent;
            break;
        case NodeKind::Source:
            nd.detail = plural(nd.events, "prompt", "prompts");
            break;
        case NodeKind::Document:
            nd.detail = nd.isGroup() ? plural(nd.members, "document", "documents") : plural(nd.events, "retrieval", "retrievals");
            break;
        case NodeKind::Tool:
        case NodeKind::Call: {
            std::string v = verdictLine(nd.verdicts);
            if (nd.kind == NodeKind::Tool) nd.detail = "×" + std::to_string(nd.events) + (v.empty() ? "" : " · " + v);
            else nd.detail = formatRfc3339(nd.firstTs).substr(11, 12) + (v.empty() ? "" : " · " + v);
            break;
        }
        case NodeKind::Identity:
            nd.detail = "identity";
            break;
        case NodeKind::Destination:
            nd.detail = plural(nd.events, "egress", "egresses");
            break;
        case NodeKind::Memory:
            nd.detail = plural(nd.events, "write", "writes");
            break;
        case NodeKind::Runtime:
            nd.detail = plural(nd.events, "syscall", "syscalls");
            break;
        case NodeKind::More:
            nd.detail = plural(nd.events, "event", "events");
            break;
        }
    }
    g->m_eventNode = std::move(own);
    g->m_limit.assign(g->m_nodes.size(), options.maxExpanded);
    g->m_revealed.assign(g->m_nodes.size(), 0);
    g->m_shown = g->m_limit;
    g->rankForFocus();
    return g;
}

const std::vector<int>& ExecutionGraph::membersOf(int group) const { return m_members[group]; }

bool ExecutionGraph::isExpanded(int group) const { return group >= 0 && group < static_cast<int>(m_expanded.size()) && m_expanded[group]; }

void ExecutionGraph::setExpanded(int group, bool expanded)
{
    if (group >= 0 && group < static_cast<int>(m_expanded.size()) && m_nodes[group].isGroup()) {
        m_expanded[group] = expanded;
        // Closing a fold the analysis opened forgets its marked-only view: opened again by hand, it shows the default.
        if (!expanded && m_revealed[group]) {
            m_revealed[group] = 0;
            m_limit[group] = m_options.maxExpanded;
        }
    }
    rankForFocus();
}

void ExecutionGraph::setFocus(int id)
{
    if (id == m_focus) return;
    m_focus = id;
    rankForFocus();
}

void ExecutionGraph::showMore(int group, int count)
{
    if (group < 0 || group >= nodeCount()) return;
    if (m_nodes[group].kind == NodeKind::More) group = m_nodes[group].group;
    if (group < 0 || !m_nodes[group].isGroup()) return;
    m_limit[group] = std::max(m_limit[group], m_shown[group]) + count;
    m_expanded[group] = 1;
    m_revealed[group] = 0; // the analyst asked for these
    rankForFocus();
}

void ExecutionGraph::rankForFocus()
{
    m_showRank = m_rank;
    m_shown = m_limit;
    // Members the analysis marked come first in their fold, before the busiest ones: opening a fold of thousands of
    // calls shows the harmful few.
    if (m_marked) {
        for (size_t f = 0; f < m_members.size(); ++f) {
            if (m_members[f].size() < 2) continue;
            std::vector<int> order = m_members[f];
            std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
                if (m_nodes[x].mark != m_nodes[y].mark) return m_nodes[x].mark > m_nodes[y].mark;
                return m_rank[x] < m_rank[y];
            });
            for (size_t r = 0; r < order.size(); ++r) m_showRank[order[r]] = static_cast<int>(r);
        }
    }
    auto relabel = [&] {
        for (size_t f = 0; f < m_more.size(); ++f) {
            const int more = m_more[f];
            if (more < 0) continue;
            const int hidden = std::max(0, static_cast<int>(m_members[f].size()) - m_shown[f]);
            int64_t ev = 0;
            for (int mem : m_members[f])
                if (m_showRank[mem] >= m_shown[f]) ev += m_nodes[mem].events;
            m_nodes[more].label = "+" + std::to_string(hidden) + " more";
            m_nodes[more].events = ev;
            m_nodes[more].detail = plural(ev, "event", "events") + " · double-click for more";
        }
    };
    if (m_focus < 0) return relabel();
    // Which members of large open folds touch the focus (or the fold holding it)?
    std::vector<int> big;
    for (size_t f = 0; f < m_members.size(); ++f)
        if (m_expanded[f] && static_cast<int>(m_members[f].size()) > m_options.maxExpanded) big.push_back(static_cast<int>(f));
    if (big.empty()) return relabel();
    std::vector<uint8_t> linked(m_nodes.size(), 0);
    const int focusFold = m_nodes[m_focus].group;
    for (const auto& [key, count] : m_edges) {
        const int a = static_cast<int>(key >> 34), b = static_cast<int>((key >> 4) & 0x3FFFFFFF);
        if (a == m_focus || (focusFold >= 0 && a == focusFold)) linked[b] = 1;
        if (b == m_focus || (focusFold >= 0 && b == focusFold)) linked[a] = 1;
    }
    for (int f : big) {
        std::vector<int> order = m_members[f];
        std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
            if (linked[x] != linked[y]) return linked[x] > linked[y];
            if (m_nodes[x].mark != m_nodes[y].mark) return m_nodes[x].mark > m_nodes[y].mark;
            return m_rank[x] < m_rank[y];
        });
        for (size_t r = 0; r < order.size(); ++r) m_showRank[order[r]] = static_cast<int>(r);
        const int nLinked = static_cast<int>(std::count_if(order.begin(), order.end(), [&](int x) { return linked[x] != 0; }));
        const int nMarked = static_cast<int>(std::count_if(order.begin(), order.end(), [&](int x) { return !linked[x] && m_nodes[x].mark != Mark::None; }));
        // Just the linked ones (and the marked), unless the analyst asked for more than the default. A fold the
        // analysis opened keeps its marked share beside the linked ones (linked members come first and would
        // otherwise push marked calls behind "+N more").
        if (nLinked > 0 && m_revealed[f]) m_shown[f] = nLinked + std::min(nMarked, m_limit[f]);
        else if (nLinked > 0 && m_limit[f] == m_options.maxExpanded) m_shown[f] = nLinked + nMarked;
    }
    relabel();
}

int ExecutionGraph::foldOf(int id) const
{
    if (id < 0 || id >= nodeCount()) return -1;
    if (m_nodes[id].isGroup()) return id;
    return m_nodes[id].group;
}

int ExecutionGraph::visibleOf(int id) const
{
    if (id < 0) return -1;
    const int fold = m_nodes[id].group;
    if (fold < 0) return id;
    if (!m_expanded[fold]) return fold;
    if (m_nodes[id].kind == NodeKind::More) return id;
    if (m_more[fold] >= 0 && m_showRank[id] >= m_shown[fold]) return m_more[fold];
    return id;
}

ExecutionGraph::View ExecutionGraph::visible() const
{
    View v;
    std::vector<uint8_t> shown(m_nodes.size(), 0);
    auto show = [&](int id) {
        if (id >= 0 && !shown[id]) {
            shown[id] = 1;
            v.nodes.push_back(id);
        }
    };
    for (const Node& nd : m_nodes) {
        if (nd.kind == NodeKind::More) continue;
        if (nd.isGroup() && m_expanded[nd.id]) continue;
        if (nd.events == 0 && nd.kind != NodeKind::Agent && !nd.isGroup()) continue;
        if (nd.kind == NodeKind::Agent || nd.events > 0 || nd.isGroup()) show(visibleOf(nd.id));
    }
    std::unordered_map<uint64_t, size_t> at;
    for (const auto& [key, count] : m_edges) {
        const int a = visibleOf(static_cast<int>(key >> 34)), b = visibleOf(static_cast<int>((key >> 4) & 0x3FFFFFFF));
        if (a < 0 || b < 0 || a == b) continue;
        const auto kind = static_cast<EdgeKind>(key & 0xF);
        // "One of these folded documents was in context" says little and ties a folded kind to every call it
        // preceded: in a busy case those edges were a fifth of the graph and half its layout time.
        if (kind == EdgeKind::Context && m_nodes[a].isGroup()) continue;
        show(a);
        show(b);
        auto [it, fresh] = at.emplace((uint64_t(a) << 34) | (uint64_t(b) << 4) | uint64_t(kind), v.edges.size());
        if (fresh) v.edges.push_back(Edge{a, b, kind, count, Mark::None, {}});
        else v.edges[it->second].count += count;
    }
    // Highlights between the same shown nodes draw as one edge with a count (taint edges into a fold of calls).
    std::unordered_map<uint64_t, size_t> hat;
    for (const Highlight& h : m_highlightEdges) {
        const int a = visibleOf(h.from), b = visibleOf(h.to);
        if (a < 0 || b < 0 || a == b) continue;
        show(a);
        show(b);
        auto [it, fresh] = hat.emplace((uint64_t(a) << 32) | uint64_t(b), v.edges.size());
        if (fresh) {
            v.edges.push_back(Edge{a, b, EdgeKind::Highlight, 1, h.mark, h.label});
            continue;
        }
        Edge& e = v.edges[it->second];
        ++e.count;
        if (h.mark > e.mark) {
            e.mark = h.mark;
            e.label = h.label;
        }
    }
    // Stable output: by id, edges by (from, to, kind).
    std::sort(v.nodes.begin(), v.nodes.end());
    std::stable_sort(v.edges.begin(), v.edges.end(), [](const Edge& x, const Edge& y) {
        return std::tie(x.from, x.to, x.kind) < std::tie(y.from, y.to, y.kind);
    });
    return v;
}

int ExecutionGraph::nodeForEvent(int64_t rowid) const
{
    const int i = m_index->indexOf(rowid);
    return i < 0 ? -1 : m_eventNode[i];
}

int ExecutionGraph::visibleNodeForEvent(int64_t rowid) const { return visibleOf(nodeForEvent(rowid)); }

void ExecutionGraph::addHighlightNode(int64_t rowid, Mark mark, const std::string& label)
{
    const int id = nodeForEvent(rowid);
    if (id < 0) return;
    m_marked = true;
    for (int cur = id; cur >= 0; cur = m_nodes[cur].group) {
        Node& nd = m_nodes[cur];
        if (static_cast<int>(mark) > static_cast<int>(nd.mark)) nd.mark = mark;
        if (!label.empty() && nd.markLabel.empty()) nd.markLabel = label;
    }
}

void ExecutionGraph::addHighlightEdge(int64_t fromRowid, int64_t toRowid, Mark mark, const std::string& label)
{
    const int a = nodeForEvent(fromRowid), b = nodeForEvent(toRowid);
    if (a < 0 || b < 0) return;
    m_highlightEdges.push_back(Highlight{a, b, mark, label});
    addHighlightNode(fromRowid, mark);
    addHighlightNode(toRowid, mark);
}

void ExecutionGraph::revealMarked(Mark atLeast)
{
    std::vector<int> markedIn(m_members.size(), 0);
    int64_t total = 0;
    for (size_t f = 0; f < m_members.size(); ++f) {
        if (m_members[f].empty() || m_nodes[f].mark < atLeast) continue;
        for (int mem : m_members[f]) markedIn[f] += m_nodes[mem].mark >= atLeast ? 1 : 0;
        total += markedIn[f];
    }
    const int64_t budget = std::max(1, m_options.revealBudget);
    for (size_t f = 0; f < m_members.size(); ++f) {
        if (m_members[f].empty() || m_nodes[f].mark < atLeast) continue;
        int marked = markedIn[f];
        if (total > budget) marked = static_cast<int>(std::max<int64_t>(1, marked * budget / total));
        // A fold the reveal opens shows just its marked members, the rest behind its "+N more": filling each of
        // hundreds of folds up to maxExpanded buried the chain in routine calls (and a graph of thousands of nodes
        // took Graphviz tens of seconds). A fold the analyst opened keeps what it showed.
        const bool openedByAnalyst = m_expanded[f] && !m_revealed[f];
        const bool untouched = m_limit[f] == m_options.maxExpanded || m_revealed[f];
        if (m_more[f] >= 0 && marked > 0 && !openedByAnalyst && untouched) {
            m_limit[f] = marked;
            m_revealed[f] = 1;
        } else {
            m_limit[f] = std::max(m_limit[f], marked);
        }
        m_expanded[f] = 1;
    }
    rankForFocus();
}

std::vector<int> ExecutionGraph::markedVisible(Mark atLeast) const
{
    std::vector<int> out;
    for (int id : visible().nodes)
        if (m_nodes[id].mark >= atLeast) out.push_back(id);
    return out;
}

void ExecutionGraph::clearHighlights()
{
    m_marked = false;
    m_highlightEdges.clear();
    // Folds the last reveal opened close again; the next reveal reopens those still marked.
    for (size_t f = 0; f < m_revealed.size(); ++f) {
        if (!m_revealed[f]) continue;
        m_revealed[f] = 0;
        m_expanded[f] = 0;
        m_limit[f] = m_options.maxExpanded;
    }
    for (Node& nd : m_nodes) {
        nd.mark = Mark::None;
        nd.markLabel.clear();
    }
}

} // namespace chainsight::graph
