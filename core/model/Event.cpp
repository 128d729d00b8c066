// Native-format event validation, searchable text and one-line summaries; agents.json baselines.
#include "core/model/Event.h"

#include "core/crypto/Crypto.h"
#include "core/model/Time.h"

namespace chainsight {

namespace {
constexpr std::array<std::string_view, kEventTypeCount> kTypeNames = {
    "prompt", "retrieval",  "tool_call",       "tool_result", "identity_change", "delegation",
    "llm_output", "memory_write", "memory_snapshot", "egress",  "auth",            "kernel"};

constexpr size_t kSummaryMax = 240;

// Cuts s to at most n bytes without splitting a UTF-8 sequence; newlines become spaces.
void appendClipped(std::string& out, std::string_view s, size_t n)
{
    size_t start = out.size();
    size_t take = s.size() <= n ? s.size() : n;
    while (take > 0 && take < s.size() && (static_cast<unsigned char>(s[take]) & 0xC0) == 0x80) --take;
    for (size_t i = 0; i < take; ++i) {
        char c = s[i];
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    if (take < s.size()) out += "…";
    (void)start;
}

QString fieldError(std::string_view field, const char* what)
{
    return QStringLiteral("field \"%1\" %2").arg(QString::fromUtf8(field.data(), field.size()), QLatin1String(what));
}

// Checks that an optional field has the JSON kind expected.
bool kindOk(const json::Value& obj, std::string_view key, json::Value::Kind kind)
{
    const json::Value* v = obj.find(key);
    return !v || v->isNull() || v->kind() == kind || (kind == json::Value::Kind::Double && v->isNumber());
}

std::string argsInline(const json::Value& args)
{
    std::string out;
    if (!args.isObject()) return out;
    bool first = true;
    for (const auto& [k, v] : args.members()) {
        if (!first) out += ", ";
        first = false;
        out += k;
        out += '=';
        if (v.isObject() || v.isArray())
            appendClipped(out, v.dump(), 60);
        else
            appendClipped(out, v.scalarText(), 60);
        if (out.size() > kSummaryMax) break;
    }
    return out;
}
} // namespace

std::string_view eventTypeName(EventType t) { return kTypeNames[static_cast<size_t>(t)]; }

std::optional<EventType> eventTypeFromName(std::string_view name)
{
    for (size_t i = 0; i < kTypeNames.size(); ++i)
        if (kTypeNames[i] == name) return static_cast<EventType>(i);
    return std::nullopt;
}

std::vector<std::string_view> eventTypeNames() { return {kTypeNames.begin(), kTypeNames.end()}; }

Artifact artifactOf(EventType t)
{
    switch (t) {
    case EventType::Prompt:
        return Artifact::PromptHistory;
    case EventType::Retrieval:
        return Artifact::RetrievedContext;
    case EventType::ToolCall:
    case EventType::ToolResult:
        return Artifact::ToolCalls;
    case EventType::IdentityChange:
        return Artifact::IdentityAssumptions;
    case EventType::Delegation:
        return Artifact::DownstreamInvocations;
    case EventType::LlmOutput:
        return Artifact::LlmOutputTrace;
    default:
        return Artifact::None;
    }
}

std::string_view artifactName(Artifact a)
{
    switch (a) {
    case Artifact::PromptHistory:
        return "prompt_history";
    case Artifact::RetrievedContext:
        return "retrieved_context";
    case Artifact::ToolCalls:
        return "tool_calls";
    case Artifact::IdentityAssumptions:
        return "identity_assumptions";
    case Artifact::DownstreamInvocations:
        return "downstream_invocations";
    case Artifact::LlmOutputTrace:
        return "llm_output_trace";
    default:
        return "other";
    }
}

Result<Event> eventFromJson(const json::Value& obj, std::string rawJson)
{
    using K = json::Value::Kind;
    if (!obj.isObject()) return makeError(ErrorCode::Format, QStringLiteral("an event must be a JSON object"));
    Event e;
    for (std::string_view req : {"id", "ts", "type", "agent", "session"}) {
        const json::Value* v = obj.find(req);
        if (!v) return makeError(ErrorCode::Format, fieldError(req, "is required"), {}, -1, QString::fromUtf8(req.data(), req.size()));
        if (!v->isString() || v->asString().empty())
            return makeError(ErrorCode::Format, fieldError(req, "must be a non-empty string"), {}, -1,
                             QString::fromUtf8(req.data(), req.size()));
    }
    e.id = obj.str("id");
    auto ts = parseRfc3339(obj.str("ts"));
    if (!ts)
        return makeError(ErrorCode::Format,
                         QStringLiteral("field \"ts\" is not an RFC 3339 time: \"%1\"").arg(QString::fromUtf8(obj.str("ts").data(), obj.str("ts").size())),
                         {}, -1, QStringLiteral("ts"));
    e.tsNs = *ts;
    auto type = eventTypeFromName(obj.str("type"));
    if (!type) {
        std::string names;
        for (auto n : kTypeNames) names += (names.empty() ? "" : ", ") + std::string(n);
        return makeError(ErrorCode::Format,
                         QStringLiteral("unknown event type \"%1\" (expected one of %2)")
                             .arg(QString::fromUtf8(obj.str("type").data(), obj.str("type").size()), QString::fromStdString(names)),
                         {}, -1, QStringLiteral("type"));
    }
    e.type = *type;
    e.agent = obj.str("agent");
    e.session = obj.str("session");
    for (std::string_view key : {"identity", "parent", "trace_id", "span_id", "call_id", "tool", "role", "channel",
                                 "model", "reasoning", "tool_rationale", "store", "key", "blob", "dest", "protocol",
                                 "principal", "action", "outcome", "syscall", "signal", "from", "to", "mechanism",
                                 "to_agent", "to_session", "status", "server"}) {
        if (!kindOk(obj, key, K::String))
            return makeError(ErrorCode::Format, fieldError(key, "must be a string"), {}, -1, QString::fromUtf8(key.data(), key.size()));
    }
    for (std::string_view key : {"tokens_in", "tokens_out", "bytes_out", "http_status"}) {
        const json::Value* v = obj.find(key);
        if (v && !v->isNull() && (!v->isInt() || v->asInt() < 0))
            return makeError(ErrorCode::Format, fieldError(key, "must be a non-negative integer"), {}, -1,
                             QString::fromUtf8(key.data(), key.size()));
    }
    if (!kindOk(obj, "score", K::Double))
        return makeError(ErrorCode::Format, fieldError("score", "must be a number"), {}, -1, QStringLiteral("score"));
    if (!kindOk(obj, "scopes", K::Array))
        return makeError(ErrorCode::Format, fieldError("scopes", "must be an array"), {}, -1, QStringLiteral("scopes"));
    if (e.type == EventType::ToolCall && !kindOk(obj, "arguments", K::Object))
        return makeError(ErrorCode::Format, fieldError("arguments", "must be an object"), {}, -1, QStringLiteral("arguments"));
    if (e.type == EventType::Retrieval) {
        const json::Value* src = obj.find("source");
        if (src && !src->isObject() && !src->isString() && !src->isNull())
            return makeError(ErrorCode::Format, fieldError("source", "must be an object {uri, kind, id}"), {}, -1, QStringLiteral("source"));
    }
    if (const json::Value* blob = obj.find("blob"); blob && blob->isString() && !crypto::isSha256Hex(blob->asString()))
        return makeError(ErrorCode::Format, fieldError("blob", "must be a SHA-256 (64 lowercase hex)"), {}, -1, QStringLiteral("blob"));

    e.identity = obj.str("identity");
    e.parent = obj.str("parent");
    e.traceId = obj.str("trace_id");
    e.spanId = obj.str("span_id");
    e.callId = obj.str("call_id");
    e.tool = obj.str("tool");

    // Searchable text: every string value of the event but the bookkeeping fields.
    e.text.reserve(rawJson.size());
    obj.forEachLeaf([&](const std::string& path, const json::Value& v) {
        if (!v.isString()) return;
        if (path == "id" || path == "ts" || path == "type" || path == "parent" || path == "trace_id" ||
            path == "span_id" || path == "blob")
            return;
        if (!e.text.empty()) e.text += ' ';
        e.text += v.asString();
    });

    // One-line summary per type.
    std::string& s = e.summary;
    auto content = [&](std::string_view key, size_t n) { appendClipped(s, obj.str(key), n); };
    switch (e.type) {
    case EventType::Prompt:
        s += '[';
        s += obj.str("role").empty() ? "?" : obj.str("role");
        if (!obj.str("channel").empty()) {
            s += '/';
            s += obj.str("channel");
        }
        s += "] ";
        content("content", kSummaryMax);
        break;
    case EventType::Retrieval: {
        const json::Value* src = obj.find("source");
        if (src && src->isObject()) {
            s += src->str("kind");
            s += ' ';
            s += src->str("uri");
        } else if (src && src->isString()) {
            s += src->asString();
        }
        if (!obj.str("content").empty()) {
            s += " — ";
            content("content", 160);
        }
        break;
    }
    case EventType::ToolCall:
        s += e.tool;
        s += '(';
        if (const json::Value* a = obj.find("arguments")) s += argsInline(*a);
        s += ')';
        break;
    case EventType::ToolResult:
        s += obj.str("status").empty() ? "result" : obj.str("status");
        if (const json::Value* h = obj.find("http_status"); h && h->isInt()) s += " " + std::to_string(h->asInt());
        if (const json::Value* o = obj.find("output")) {
            s += " — ";
            appendClipped(s, o->isString() ? o->asString() : o->dump(), 180);
        }
        break;
    case EventType::IdentityChange:
        s += obj.str("from");
        s += " → ";
        s += obj.str("to");
        if (!obj.str("mechanism").empty()) s += " (" + std::string(obj.str("mechanism")) + ")";
        if (const json::Value* sc = obj.find("scopes"); sc && sc->isArray()) s += " " + sc->dump();
        break;
    case EventType::Delegation:
        s += "→ ";
        s += obj.str("to_agent");
        if (!obj.str("to_session").empty()) s += "/" + std::string(obj.str("to_session"));
        if (const json::Value* p = obj.find("payload")) {
            s += ": ";
            appendClipped(s, p->isString() ? p->asString() : p->dump(), 160);
        }
        break;
    case EventType::LlmOutput:
        if (!obj.str("model").empty()) s += std::string(obj.str("model")) + ": ";
        content(obj.str("content").empty() ? "tool_rationale" : "content", 200);
        break;
    case EventType::MemoryWrite:
        s += obj.str("store");
        s += '/';
        s += obj.str("key");
        s += " ← ";
        content("content", 160);
        break;
    case EventType::MemorySnapshot:
        s += obj.str("store");
        s += " snapshot";
        break;
    case EventType::Egress:
        s += obj.str("dest");
        if (const json::Value* b = obj.find("bytes_out"); b && b->isInt()) s += " " + std::to_string(b->asInt()) + " B out";
        if (!obj.str("protocol").empty()) s += " (" + std::string(obj.str("protocol")) + ")";
        break;
    case EventType::Auth:
        s += obj.str("principal");
        s += ' ';
        s += obj.str("action");
        s += ' ';
        s += obj.str("outcome");
        break;
    case EventType::Kernel:
        s += obj.str("syscall").empty() ? obj.str("signal") : obj.str("syscall");
        s += ' ';
        content("detail", 160);
        break;
    }
    e.json = std::move(rawJson);
    return e;
}

std::string_view verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Allow:
        return "ALLOW";
    case Verdict::Log:
        return "LOG";
    case Verdict::Constrain:
        return "CONSTRAIN";
    case Verdict::Block:
        return "BLOCK";
    default:
        return "UNKNOWN";
    }
}

Verdict verdictFromName(std::string_view s)
{
    if (s == "ALLOW") return Verdict::Allow;
    if (s == "LOG") return Verdict::Log;
    if (s == "CONSTRAIN") return Verdict::Constrain;
    if (s == "BLOCK") return Verdict::Block;
    return Verdict::Unknown;
}

namespace {
Result<std::optional<std::vector<std::string>>> stringList(const json::Value& agent, std::string_view key, size_t index)
{
    const json::Value* v = agent.find(key);
    if (!v || v->isNull()) return std::optional<std::vector<std::string>>();
    QString field = QStringLiteral("agents/%1/%2").arg(index).arg(QString::fromUtf8(key.data(), key.size()));
    if (!v->isArray()) return makeError(ErrorCode::Format, QStringLiteral("must be an array of strings"), {}, -1, field);
    std::vector<std::string> out;
    for (const auto& item : v->items()) {
        if (!item.isString()) return makeError(ErrorCode::Format, QStringLiteral("must be an array of strings"), {}, -1, field);
        out.push_back(item.asString());
    }
    return std::optional<std::vector<std::string>>(std::move(out));
}
} // namespace

Result<std::vector<AgentBaseline>> baselinesFromJson(const json::Value& root)
{
    const json::Value* agents = root.find("agents");
    if (!root.isObject() || !agents || !agents->isArray())
        return makeError(ErrorCode::Format, QStringLiteral("must be an object with an \"agents\" array"), {}, -1, QStringLiteral("agents"));
    std::vector<AgentBaseline> out;
    size_t index = 0;
    for (const auto& a : agents->items()) {
        QString at = QStringLiteral("agents/%1").arg(index);
        if (!a.isObject()) return makeError(ErrorCode::Format, QStringLiteral("must be an object"), {}, -1, at);
        AgentBaseline b;
        if (a.str("id").empty()) return makeError(ErrorCode::Format, QStringLiteral("needs a string \"id\""), {}, -1, at + "/id");
        b.id = a.str("id");
        b.owner = a.str("owner");
        b.criticality = a.str("criticality");
        if (const json::Value* hr = a.find("high_risk"); hr && !hr->isNull()) {
            if (!hr->isBool()) return makeError(ErrorCode::Format, QStringLiteral("must be true or false"), {}, -1, at + "/high_risk");
            b.highRisk = hr->asBool();
        }
        auto ids = stringList(a, "identities", index);
        if (!ids) return ids.error();
        b.identities = *ids;
        auto tools = stringList(a, "allowed_tools", index);
        if (!tools) return tools.error();
        b.allowedTools = *tools;
        auto ro = stringList(a, "read_only_tools", index);
        if (!ro) return ro.error();
        b.readOnlyTools = *ro;
        auto eg = stringList(a, "allowed_egress", index);
        if (!eg) return eg.error();
        b.allowedEgress = *eg;
        if (const json::Value* av = a.find("approved_values"); av && !av->isNull()) {
            if (!av->isObject()) return makeError(ErrorCode::Format, QStringLiteral("must be an object"), {}, -1, at + "/approved_values");
            std::map<std::string, std::vector<std::string>> m;
            for (const auto& [k, list] : av->members()) {
                if (!list.isArray())
                    return makeError(ErrorCode::Format, QStringLiteral("must be an array"), {}, -1,
                                     at + "/approved_values/" + QString::fromStdString(k));
                auto& vals = m[k];
                for (const auto& item : list.items()) vals.push_back(item.isString() ? item.asString() : item.dump());
            }
            b.approvedValues = std::move(m);
        }
        if (const json::Value* td = a.find("tool_descriptions"); td && !td->isNull()) {
            if (!td->isObject()) return makeError(ErrorCode::Format, QStringLiteral("must be an object"), {}, -1, at + "/tool_descriptions");
            std::map<std::string, std::string> m;
            for (const auto& [k, v] : td->members()) {
                if (!v.isString())
                    return makeError(ErrorCode::Format, QStringLiteral("must be a SHA-256 string"), {}, -1,
                                     at + "/tool_descriptions/" + QString::fromStdString(k));
                m[k] = v.asString();
            }
            b.toolDescriptions = std::move(m);
        }
        b.json = a.dump();
        out.push_back(std::move(b));
        ++index;
    }
    return out;
}

} // namespace chainsight
