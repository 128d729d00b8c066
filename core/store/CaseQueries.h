// The narrow read API the workbench views ask their questions through: event rows by filter and sort (as an
// ordered list of rowids the table pages over), counts, full-text search, facets, decisions, event details with
// provenance, and a compact in-memory index of the whole case (CaseIndex) that the timeline and the execution
// graph are computed from without going back to SQL. One CaseQueries is one read-only connection: use it from
// one thread at a time; open another for a worker thread. Reads run beside an import thanks to WAL.
#pragma once

#include "core/Result.h"
#include "core/json/Json.h"
#include "core/model/Event.h"
#include "core/model/Records.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chainsight::store {

class CaseStore;

// What the table shows. An empty list means "any"; a set time bound is inclusive.
struct EventFilter
{
    std::vector<EventType> types;
    std::vector<std::string> agents, sessions, identities;
    std::optional<int64_t> fromNs, toNs;
    QString search; // the analyst's words, searched as given (see ftsQuery)

    bool isEmpty() const
    {
        return types.empty() && agents.empty() && sessions.empty() && identities.empty() && !fromNs && !toNs &&
               search.trimmed().isEmpty();
    }
    bool operator==(const EventFilter&) const = default;
};

enum class SortKey { Time, Type, Agent, Session, Identity, Summary, Decision, EventId };
struct EventSort
{
    SortKey key = SortKey::Time;
    bool descending = false;
    bool operator==(const EventSort&) const = default;
};

// One table row: what a list shows of an event.
struct EventRow
{
    int64_t rowid = 0;
    int64_t tsNs = 0;
    EventType type = EventType::Prompt;
    std::string eid, agent, session, identity, tool, summary;
    Verdict verdict = Verdict::Unknown; // the strongest runtime decision on it; Unknown when none
};

enum class Facet { Type, Agent, Session, Identity };

struct FacetValue
{
    std::string value; // for Facet::Type the type name
    int64_t count = 0;
};

struct DecisionInfo
{
    int64_t bundle = 0;
    Decision decision;
    int64_t eventRowid = 0; // 0 when the decision names no event of the case
};

// Everything the inspector shows of one event.
struct EventDetail
{
    Event event;
    json::Value fields;             // the event as parsed (member order kept)
    std::vector<Event> parentChain; // nearest parent first
    std::vector<EventRow> children; // events naming this one as parent (or answering its call), first 200
    std::vector<DecisionInfo> decisions;
    std::string sha256;             // SHA-256 of the event's JSON as collected
    std::string evidencePath;       // the bundle file it was read from, and that file's recorded hash
    std::string evidenceSha256;
    std::string bundleId;
    std::string blobSha256;         // the blob it references, if any
    int64_t blobBytes = -1;         // -1: not referenced or not in the case
};

// The whole case, column by column, in memory: about 40 bytes an event. Built once per case (off the UI thread)
// and shared read-only; the timeline re-bins and the graph is built from it.
struct CaseIndex
{
    // Per event, in rowid order.
    std::vector<int64_t> rowids, ts;
    std::vector<uint8_t> types;
    std::vector<uint32_t> agents, sessions;            // ids into agentNames / sessionNames
    std::vector<uint32_t> identities, tools, attrs, attrs2; // ids into the name tables; 0 = none
    std::vector<int32_t> parents;                      // index of the parent (a tool_result's call when no parent); -1
    std::vector<uint8_t> verdicts;                     // strongest decision (Verdict), Unknown when none
    std::vector<uint32_t> byTime;                      // indices ordered by (ts, rowid)

    // Name tables. identityNames/toolNames/attrNames[0] is "" (none).
    std::vector<std::string> agentNames, sessionNames, identityNames, toolNames, attrNames;
    std::vector<uint32_t> sessionAgent; // the agent of each session (the first seen)

    struct Tokens
    {
        uint32_t index;
        uint32_t in, out;
    };
    std::vector<Tokens> tokens; // llm_output events with token counts, in time order

    struct DecisionMark
    {
        int64_t ts;
        uint32_t agent;     // id into agentNames, or UINT32_MAX when the decision's agent is not in the case
        Verdict verdict;
        int32_t event;      // index of the event decided on, -1 when unknown
    };
    std::vector<DecisionMark> decisions; // in time order

    int64_t minTs = 0, maxTs = 0;
    size_t size() const { return rowids.size(); }
    int indexOf(int64_t rowid) const; // -1 when absent
    uint32_t agentId(const std::string& name) const; // UINT32_MAX when absent

    // attrs per type: prompt "role via channel" (attrs2 source); retrieval uri (attrs2 kind); identity_change to (attrs2 mechanism);
    // delegation to_agent (attrs2 to_session); memory store; egress dest; auth principal; kernel syscall/signal.

    // Counts per agent and type in equal bins over [fromNs, toNs): counts[(agent * kEventTypeCount + type) * bins + bin].
    struct Histogram
    {
        int64_t fromNs = 0, toNs = 0, binNs = 1;
        int bins = 0;
        std::vector<uint32_t> counts;
        std::vector<uint64_t> tokensIn, tokensOut; // per bin
        uint32_t at(uint32_t agent, int type, int bin) const { return counts[(size_t(agent) * kEventTypeCount + type) * bins + bin]; }
    };
    Histogram histogram(int64_t fromNs, int64_t toNs, int bins) const;
    // The first event (index) of an agent and type in [fromNs, toNs), by time; -1 when none.
    int firstIn(int64_t fromNs, int64_t toNs, uint32_t agent = UINT32_MAX, int type = -1) const;
};

// Turns the analyst's text into an FTS5 query that is always valid: every word is quoted (so AND, OR, NEAR,
// quotes, colons and parentheses are plain text), words are ANDed, and a trailing * keeps prefix search.
// Empty when there is nothing to search for.
std::string ftsQuery(const QString& text);

class CaseQueries
{
public:
    // Opens its own read-only connection to the case.
    static Result<std::unique_ptr<CaseQueries>> open(const QString& casePath);
    ~CaseQueries();

    const QString& path() const;

    // The rowids of the events that pass the filter, in the sort's order: what the table pages over. With an
    // index, facets, time and sorting (but Summary) run in memory and only the text search goes to SQL.
    Result<std::vector<int64_t>> orderedIds(const EventFilter& filter, const EventSort& sort, const CaseIndex* index = nullptr);
    Result<int64_t> count(const EventFilter& filter);
    // Rows for the given rowids, in the same order (missing rowids are skipped).
    Result<std::vector<EventRow>> rows(const std::vector<int64_t>& rowids);
    // A page of rows straight from SQL (for tools and tests; the table uses orderedIds + rows).
    Result<std::vector<EventRow>> page(const EventFilter& filter, const EventSort& sort, int64_t offset, int64_t limit);
    // Full-text search: rowids in ascending order, at most limit (0: all).
    Result<std::vector<int64_t>> search(const QString& text, int64_t limit = 0);

    // The values of a facet with their counts, sorted by value. Counted from the index when given (no SQL: the UI
    // thread may ask), else by GROUP BY over the events table.
    Result<std::vector<FacetValue>> facet(Facet f, const CaseIndex* index = nullptr);
    Result<int64_t> eventCount();
    Result<std::pair<int64_t, int64_t>> timeWindow();
    Result<std::string> caseTitle(); // the case's title, else the first bundle's incident title

    Result<std::optional<Event>> event(int64_t rowid);
    // The rowid of the event with this id in its bundle (the first bundle that has it); 0 when none.
    Result<int64_t> findEvent(const std::string& eventId);
    Result<std::optional<EventDetail>> eventDetail(int64_t rowid);
    Result<std::vector<Event>> parentChain(int64_t rowid, int maxDepth = 32);
    Result<std::optional<std::string>> blob(const std::string& sha256);
    Result<std::vector<DecisionInfo>> decisions(int64_t fromNs = INT64_MIN, int64_t toNs = INT64_MAX);
    // Token usage of llm_output events in [fromNs, toNs]: (ts, tokens_in, tokens_out).
    struct TokenPoint
    {
        int64_t tsNs;
        int64_t in, out;
    };
    Result<std::vector<TokenPoint>> tokenUsage(int64_t fromNs = INT64_MIN, int64_t toNs = INT64_MAX);

    // Custody at a glance for the status bar: decision keys not pinned, and the key ids decisions name.
    Result<std::vector<std::string>> unpinnedDecisionKeys();

    // Builds the in-memory index of the whole case. cancel may stop it (returns ErrorCode::Cancelled).
    Result<std::shared_ptr<const CaseIndex>> loadIndex(const std::atomic<bool>* cancel = nullptr,
                                                       const std::function<void(int64_t, int64_t)>& progress = {});

    // Stops a running query from another thread (it returns an error).
    void interrupt();

private:
    CaseQueries();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace chainsight::store
