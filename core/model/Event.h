// The core event model every importer maps onto: one Event per line of a native events.jsonl, or per
// record of a foreign format translated into the native shape. Strings are UTF-8.
#pragma once

#include "core/Result.h"
#include "core/json/Json.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chainsight {

enum class EventType : uint8_t {
    Prompt,
    Retrieval,
    ToolCall,
    ToolResult,
    IdentityChange,
    Delegation,
    LlmOutput,
    MemoryWrite,
    MemorySnapshot,
    Egress,
    Auth,
    Kernel,
};
constexpr int kEventTypeCount = 12;

std::string_view eventTypeName(EventType t);
std::optional<EventType> eventTypeFromName(std::string_view name);
std::vector<std::string_view> eventTypeNames();

// The six forensic artifacts of an agent incident (1..6); 0 for the other evidence.
enum class Artifact : uint8_t {
    None = 0,
    PromptHistory = 1,
    RetrievedContext = 2,
    ToolCalls = 3,
    IdentityAssumptions = 4,
    DownstreamInvocations = 5,
    LlmOutputTrace = 6,
};
Artifact artifactOf(EventType t);
std::string_view artifactName(Artifact a);

struct Event
{
    int64_t rowid = 0;  // row in the case (0 before it is stored)
    int64_t bundle = 0; // the bundle row it came from
    std::string id;     // the id in the bundle
    int64_t tsNs = 0;
    EventType type = EventType::Prompt;
    std::string agent, session, identity, parent, traceId, spanId;
    std::string callId, tool; // tool_call / tool_result
    std::string json;         // the event as native-format JSON (native bundles: the line as collected)
    std::string text;         // what full-text search sees: every string value of the event
    std::string summary;      // one line for tables
    int64_t line = 0;         // line in its source file
};

// Builds an Event from a native-format event object, checking required and typed fields.
// rawJson is kept verbatim as Event::json (pass the object's dump() for synthesized events).
// Errors name the field; the caller adds the file and line.
Result<Event> eventFromJson(const json::Value& obj, std::string rawJson);

enum class Verdict : uint8_t { Allow, Log, Constrain, Block, Unknown };
std::string_view verdictName(Verdict v);
Verdict verdictFromName(std::string_view s);

struct Decision
{
    int64_t seq = -1;
    int64_t tsNs = 0;
    std::string agent, session, event, policy, reason, keyId, hash;
    Verdict verdict = Verdict::Unknown;
    std::string payloadJson; // the decoded decision JSON
    int64_t line = 0;
    // Verification outcome (filled by the decision-log verifier).
    bool valid = false;
    std::string failure; // "" when valid; else sequence|chain|hash|signature|key|format
};

// The pre-incident baseline of one agent (agents.json). A missing field is "no baseline for this":
// std::nullopt, never an empty list that would mean "nothing allowed".
struct AgentBaseline
{
    std::string id, owner, criticality;
    std::optional<bool> highRisk;
    std::optional<std::vector<std::string>> identities, allowedTools, readOnlyTools, allowedEgress;
    std::optional<std::map<std::string, std::vector<std::string>>> approvedValues; // "<tool>.<arg>[/path]"
    std::optional<std::map<std::string, std::string>> toolDescriptions;            // tool -> sha256
    std::string json;                                                              // the entry as collected
};

Result<std::vector<AgentBaseline>> baselinesFromJson(const json::Value& root);

} // namespace chainsight
