// Private to core/analysis: the compact state the analysis keeps while it streams a case. Events are
// reduced to a few integers (ids live in one arena), values to an index keyed by scope and atom, so memory
// grows with the number of distinct values and sessions, not with the text of the case.
#pragma once

#include "core/analysis/Analysis.h"
#include "core/analysis/StringMap.h"
#include "core/analysis/TextSignals.h"
#include "core/model/Event.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace chainsight::analysis::detail {

constexpr uint32_t kNone = 0xFFFFFFFFu;

class Interner
{
public:
    uint32_t id(std::string_view s)
    {
        auto [id, fresh] = m_ids.tryEmplace(s);
        if (fresh) {
            *id = static_cast<uint32_t>(m_strings.size());
            m_strings.emplace_back(s);
        }
        return *id;
    }
    uint32_t find(std::string_view s) const
    {
        const uint32_t* id = m_ids.find(s);
        return id ? *id : kNone;
    }
    const std::string& str(uint32_t id) const { return m_strings[id]; }
    size_t size() const { return m_strings.size(); }

private:
    StringMap<uint32_t> m_ids;
    std::vector<std::string> m_strings;
};

struct EvRec
{
    int64_t ts = 0;
    uint32_t idOff = 0;
    uint32_t session = 0; // interned session name
    uint16_t idLen = 0;
    EventType type = EventType::Prompt;
};

// Where one value (an atom in a scope) occurred first, by kind of occurrence. Event indices, -1: never.
struct IndexEntry
{
    int32_t untrusted = -1;  // first occurrence in untrusted content
    int32_t injected = -1;   // first untrusted occurrence inside an injection region
    int32_t trusted = -1;    // first occurrence in trusted input (user/system prompt, trusted carrier)
    int32_t agent = -1;      // first occurrence in the agent's own output or calls
    int32_t via = -1;        // the delegation / memory write that carried it into this scope
    bool firstDirective = false, injectedDirective = false;
    AtomKind kind = AtomKind::Word;
};

struct SourceInfo
{
    uint32_t kind = kNone; // interned "tool_output", "retrieval:rag", "inbound:email", ...
    bool flagged = false;  // injection language
    int weight = 0;
    std::string phrase;    // a matched phrase, for the rationale
};

struct EdgeRec
{
    int32_t source = -1, action = -1, via = -1;
    uint32_t value = kNone, argument = kNone; // interned
    AtomKind kind = AtomKind::Word;
    bool injected = false, directive = false, destination = false, sourceFlagged = false;
    int score = 0;
    bool harmful = false;
};

struct CallRec
{
    int32_t ev = -1;
    uint32_t tool = kNone, session = kNone, agent = kNone, identity = kNone;
    uint16_t category = 0;
    int32_t result = -1;        // the tool_result event
    bool resultOk = false;
    int bestScore = 0;
    int bestEdge = -1;
    int firstEdge = -1; // edges of one call are contiguous
    bool harmful = false;       // reasoning compromise: a corroborated tainted sink call
    bool privilegeHarm = false; // done across a privilege boundary
    bool runtimeHarm = false;   // reached for the host
    std::vector<std::string> reasons; // why it is harmful
    Verdict decision = Verdict::Unknown;
    bool hasDecision = false;
};

struct RawFinding
{
    std::string rule;
    Severity severity = Severity::Info;
    std::string summary;
    std::vector<int32_t> events;
    std::vector<std::string> atlas;
    uint32_t session = kNone;
    // which incident class it supports
    enum class Supports { Nothing, Reasoning, Privilege, Runtime } supports = Supports::Nothing;
};

struct SessionState
{
    uint32_t name = kNone, agent = kNone;
    bool seen = false; // has events (a session may be known only as a delegation target)
    int64_t firstTs = 0, lastTs = 0, events = 0;
    uint8_t artifacts = 0; // bit per Artifact 1..6
    uint16_t intent = 0;
    bool hasUserPrompt = false;
    int32_t bypassEvent = -1;
    std::string bypassPhrase;
    std::vector<int32_t> injectionSources; // flagged untrusted events
    std::vector<std::pair<AtomKind, std::string>> trustedDestinations;
    StringMap<int32_t> callsById; // call_id (and "\x1f" event id) -> index in Engine::calls
    std::vector<int32_t> calls;
    std::string metadata;
    uint32_t identity = kNone; // the identity in use
    int64_t* identityFact = nullptr; // facts[{'I', identityFactId}]: the identity the last event carried
    uint32_t identityFactId = kNone;
    std::map<uint32_t, int> authFailures; // principal -> failures seen
    // facts for the blast radius: (kind, value) -> last ts seen
    std::map<std::pair<char, uint32_t>, int64_t> facts;
    std::vector<std::pair<int64_t, uint32_t>> downstream; // (ts, session) reached by delegation
    std::vector<std::pair<int64_t, uint32_t>> inboxAgents; // (ts, agent) reached by delegation without a session
    bool hasDecisions = false;
};

struct BaselineIndex
{
    const AgentBaseline* baseline = nullptr;
    std::unordered_set<std::string> allowedTools, readOnlyTools, identities, egress;
    std::map<std::string, std::map<std::string, std::unordered_set<std::string>>> approved; // tool -> arg path -> values
};

} // namespace chainsight::analysis::detail
