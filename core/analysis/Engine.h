// Private to core/analysis: the streaming analysis engine. AnalysisEngine.cpp holds the pass over the
// events (provenance index, baseline and runtime checks); AnalysisVerdict.cpp turns what it gathered into
// findings, verdicts, blast radius and completeness.
#pragma once

#include "core/analysis/EngineState.h"
#include "core/analysis/RawJson.h"
#include "core/store/CaseStore.h"
#include "core/store/EventScan.h"

#include <array>
#include <span>

namespace chainsight::analysis::detail {

// A vector whose first size() elements are in use; the rest keep their capacity (strings, vectors) for the
// next event. T has reset().
template <class T>
class ReusePool
{
public:
    T& add()
    {
        if (m_count == m_items.size()) m_items.emplace_back();
        T& t = m_items[m_count++];
        t.reset();
        return t;
    }
    void clear() { m_count = 0; }
    std::span<const T> items() const { return {m_items.data(), m_count}; }

private:
    std::vector<T> m_items;
    size_t m_count = 0;
};

// What the read-ahead works out from one event alone (store::EventPrefetch): the parsed object and the
// scans of the texts the handlers will read. A handler finds a text's facts by its content, so which texts
// prepare() picks decides only where the work runs, never the result: a text it did not prepare is
// scanned on the spot.
struct TextFacts
{
    enum : uint8_t { Scan = 1, Atoms = 2, Directives = 4, Words = 8, Bypass = 16 };
    uint8_t have = 0;
    std::string text;
    // The event field the text is, when it is exactly what Engine::fieldText would read there (a static
    // string); empty for a text made otherwise. Lets a handler take the prepared text without copying it.
    std::string_view field;
    InjectionScan scan;
    std::vector<Atom> atoms;         // extractAtoms
    std::vector<Span> directives;    // directiveSentences (when there are atoms or injection language)
    std::vector<Atom> words;         // extractWords over the whole text
    std::string bypass;              // scanBypass
    void reset(); // empty, keeping capacity
};

// One non-null argument value of a tool call, with what the checks ask of it.
struct ArgLeaf
{
    std::string path, key, value, lowered; // key: the path without array positions; lowered: lowerTrim(value)
    bool isString = false;
    std::vector<Atom> atoms;    // extractAtoms
    std::vector<Atom> argAtoms; // argumentAtoms
    void reset();
};

// What a tool call's name and arguments say by themselves.
struct CallFacts
{
    uint16_t category = 0; // classifyTool
    bool hasArgs = false;  // the arguments are an object
    bool writes = false;   // argumentsWrite
    std::string escape;    // escapeIndicator, for a command-running tool
    std::span<const ArgLeaf> leaves() const { return m_leaves.items(); }
    ArgLeaf& addLeaf() { return m_leaves.add(); }
    void reset();

private:
    ReusePool<ArgLeaf> m_leaves;
};

// Reused from row to row by the read-ahead (store::EventPrefetch::Prepare's slot): its vectors and strings
// keep their capacity, so preparing an event allocates little.
struct PreparedEvent : store::EventExtra
{
    RawObject obj;
    bool isCall = false;
    CallFacts call; // a tool call's, when isCall
    std::span<const TextFacts> texts() const { return m_texts.items(); }
    TextFacts& addText() { return m_texts.add(); }
    void reset()
    {
        isCall = false;
        m_texts.clear();
    }

private:
    ReusePool<TextFacts> m_texts;
};

class Engine
{
public:
    Engine(store::CaseStore& store, const AnalysisOptions& options) : m_store(store), m_options(options) {}

    // The read-ahead's prepare step: runs on the reader thread or the analysing one, so it touches no Engine.
    static void prepare(const store::EventView& e, std::unique_ptr<store::EventExtra>& slot);
    static void callFacts(std::string_view tool, const RawValue* args, CallFacts& out);

    Status load(); // baselines and the decision log
    void onEvent(const store::EventView& e);
    void finish(AnalysisReport& report);

private:
    // ---- the pass (AnalysisEngine.cpp)
    SessionState& session(uint32_t name);
    BaselineIndex* baselineOf(uint32_t agent);
    std::string_view idOf(int32_t ev) const { return std::string_view(m_ids).substr(m_events[ev].idOff, m_events[ev].idLen); }
    std::string textOf(const RawObject& v, std::string_view key, std::string_view blobKey = "blob");
    // textOf without the copy when the read-ahead prepared that field: a view of the prepared text, or of
    // `own`, filled with textOf. textFacts then finds the prepared facts by address, without comparing.
    std::string_view fieldText(const RawObject& v, std::string_view key, std::string& own, std::string_view blobKey = "blob");
    static std::string textOf(const RawValue& c);
    // What need asks of text (TextFacts bits): prepared ahead, or worked out here (in m_scratch, valid
    // until the next call).
    const TextFacts& textFacts(std::string_view text, uint8_t need);
    const std::string& scopedKey(char tag, uint32_t scope, std::string_view atom);
    IndexEntry* findEntry(char tag, uint32_t scope, std::string_view atom);

    void onPrompt(int32_t ev, SessionState& s, const RawObject& v);
    void onRetrieval(int32_t ev, SessionState& s, const RawObject& v);
    void onToolCall(int32_t ev, const store::EventView& e, SessionState& s, const RawObject& v);
    void onToolResult(int32_t ev, const store::EventView& e, SessionState& s, const RawObject& v);
    void onIdentityChange(int32_t ev, SessionState& s, const RawObject& v);
    void onDelegation(int32_t ev, SessionState& s, const RawObject& v);
    void onLlmOutput(int32_t ev, SessionState& s, const RawObject& v);
    void onMemoryWrite(int32_t ev, SessionState& s, const RawObject& v);
    void onEgress(int32_t ev, SessionState& s, const RawObject& v);
    void onAuth(int32_t ev, SessionState& s, const RawObject& v);
    void onKernel(int32_t ev, const store::EventView& e, SessionState& s, const RawObject& v);
    void onIdentity(int32_t ev, SessionState& s, std::string_view identity);

    bool inheritMemory(SessionState& s, const Atom& a);
    void indexTrusted(int32_t ev, SessionState& s, std::string_view text);
    void indexAgent(int32_t ev, SessionState& s, std::string_view text);
    // Untrusted content: its atoms (and, inside injection language, its dictated words) enter the index.
    void indexUntrusted(int32_t ev, SessionState& s, std::string_view text, uint32_t kind);
    // Content carried to another scope (delegation payload, memory): keeps the original provenance.
    void carry(int32_t ev, SessionState& from, char tag, uint32_t scope, std::string_view text);
    void checkArguments(CallRec& call, SessionState& s, const CallFacts& facts, BaselineIndex* b, std::string_view tool);
    int scoreEdge(const EdgeRec& e, const CallRec& c, const SessionState& s, bool violation, bool substitution) const;

    void addFinding(RawFinding f);
    void addBom(uint32_t agent, char kind, uint32_t value);
    std::set<std::string> scopesOf(const RawObject& v) const;

    // ---- verdicts (AnalysisVerdict.cpp)
    void decisionChecks();
    void volumeChecks();
    void sessionFindings();
    void verdicts(AnalysisReport& report);
    void blastRadius(AnalysisReport& report, const std::vector<uint32_t>& incidentSessions,
                     const std::map<uint32_t, int64_t>& startTs);
    AtlasRef atlas(const std::string& id) const;
    Finding publicFinding(const RawFinding& f) const;

    store::CaseStore& m_store;
    const AnalysisOptions& m_options;
    RawObject m_obj;
    const PreparedEvent* m_prepared = nullptr; // the current event's, when it was read ahead
    CallFacts m_callFacts;                     // a call's facts worked out here, when not
    TextFacts m_scratch;                       // a text's facts worked out here, when not
    Interner m_strings;
    std::string m_ids;
    std::vector<EvRec> m_events;
    std::unordered_map<uint32_t, SessionState> m_sessions;
    std::vector<uint32_t> m_sessionOrder;
    StringMap<IndexEntry> m_index;
    std::string m_keyBuf;
    std::unordered_map<int32_t, SourceInfo> m_sources;
    std::vector<EdgeRec> m_edges;
    std::vector<CallRec> m_calls;
    std::vector<RawFinding> m_findings;
    std::vector<Atom> m_atoms;

    std::vector<AgentBaseline> m_baselineList;
    std::unordered_map<uint32_t, BaselineIndex> m_baselines;
    struct BlockDecision
    {
        int64_t bundle = 0, tsNs = 0;
        std::string agent, session, event;
    };
    std::vector<BlockDecision> m_blocks; // the BLOCK decisions of the log
    StringMap<Verdict> m_decisionByEvent; // bundle \x1f event id
    std::unordered_set<uint32_t> m_decidedSessions;
    std::unordered_map<uint32_t, std::pair<int64_t, int64_t>> m_decidedAgents; // agent -> ts window
    std::unordered_map<uint32_t, std::set<std::string>> m_identityScopes; // principal -> scopes last granted
    std::unordered_map<uint32_t, std::set<std::string>> m_roleScopes;     // assumed identity -> its scopes
    std::map<std::pair<uint32_t, uint32_t>, std::string> m_toolDescriptions; // (agent, tool) -> hash seen
    std::map<uint32_t, std::map<int64_t, std::pair<int64_t, int32_t>>> m_callVolume; // agent -> bucket -> (count, first call)
    std::set<std::pair<uint32_t, uint32_t>> m_flaggedIdentities;     // (session, identity)
    std::unordered_map<uint32_t, std::pair<uint32_t, int32_t>> m_elevated; // session -> (identity, identity_change ev)
    std::unordered_map<int32_t, bool> m_changedDescriptionSources;
    std::unordered_map<std::string, std::pair<int32_t, uint32_t>> m_delegations; // event id -> (ev, delegating session)
    StringMap<int32_t> m_callByKey; // bundle \x1f event id -> call
    std::array<std::unordered_set<uint64_t>, 128> m_bom; // by kind ('T', 'L', ...): agent << 32 | value
};

} // namespace chainsight::analysis::detail
