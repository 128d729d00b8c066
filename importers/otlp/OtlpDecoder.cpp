// Span-by-span translation of OTLP JSON into native-shaped event objects, validated by eventFromJson like any
// native event. The mapping table is in docs/importers.md.
#include "importers/otlp/OtlpDecoder.h"

#include "core/model/Time.h"
#include "importers/logs/JsonItemStream.h"
#include "importers/logs/KeyWatch.h"

#include <QByteArray>

#include <charconv>
#include <set>
#include <unordered_map>

namespace chainsight::importers {

namespace {
using json::Value;

Error fieldError(const std::string& field, const QString& message)
{
    return makeError(ErrorCode::Format, message, {}, -1, QString::fromStdString(field));
}

bool isHex(std::string_view s)
{
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
    return true;
}

// OTLP/JSON writes ids as hex; the generic proto3 mapping writes base64. Both are accepted, hex comes out.
Result<std::string> spanIdField(const Value& span, const char* key, size_t bytes, bool required)
{
    const Value* v = span.find(key);
    if (!v || v->isNull() || (v->isString() && v->asString().empty())) {
        if (required) return fieldError(key, QStringLiteral("missing"));
        return std::string();
    }
    if (!v->isString()) return fieldError(key, QStringLiteral("must be a string of hex digits"));
    std::string s = v->asString();
    if (s.size() == bytes * 2 && isHex(s)) {
        for (char& c : s)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (s.find_first_not_of('0') == std::string::npos) {
            if (required) return fieldError(key, QStringLiteral("an all-zero id is invalid"));
            return std::string();
        }
        return s;
    }
    const QByteArray raw =
        QByteArray::fromBase64(QByteArray::fromStdString(s), QByteArray::AbortOnBase64DecodingErrors);
    if (static_cast<size_t>(raw.size()) == bytes) return raw.toHex().toStdString();
    return fieldError(key, QStringLiteral("must be %1 hex digits").arg(bytes * 2));
}

Result<int64_t> nanos(const Value& span, const char* key, bool required)
{
    const Value* v = span.find(key);
    if (!v || v->isNull()) {
        if (required) return fieldError(key, QStringLiteral("missing"));
        return int64_t(0);
    }
    if (v->isInt() && v->asInt() >= 0) return v->asInt();
    if (v->isString()) {
        const std::string& s = v->asString();
        uint64_t n = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc() && p == s.data() + s.size() && n <= static_cast<uint64_t>(INT64_MAX))
            return static_cast<int64_t>(n);
    }
    return fieldError(key, QStringLiteral("must be unix nanoseconds (an integer or a string of digits)"));
}

// An OTLP AnyValue as plain JSON.
Result<Value> anyValue(const Value& v, const std::string& field, int depth = 0)
{
    if (depth > 32) return fieldError(field, QStringLiteral("values nested too deep"));
    if (!v.isObject())
        return fieldError(field,
                          QStringLiteral("an attribute value must be an object such as {\"stringValue\": \"...\"}"));
    if (v.members().empty()) return Value::null();
    const auto& [kind, inner] = v.members().front();
    if (kind == "stringValue") {
        if (!inner.isString()) return fieldError(field + "/stringValue", QStringLiteral("must be a string"));
        return inner;
    }
    if (kind == "boolValue") {
        if (!inner.isBool()) return fieldError(field + "/boolValue", QStringLiteral("must be true or false"));
        return inner;
    }
    if (kind == "intValue") {
        if (inner.isInt()) return inner;
        if (inner.isString()) {
            int64_t n = 0;
            const std::string& s = inner.asString();
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
            if (ec == std::errc() && p == s.data() + s.size()) return Value::integer(n);
        }
        return fieldError(field + "/intValue", QStringLiteral("must be an integer"));
    }
    if (kind == "doubleValue") {
        if (inner.isNumber()) return inner;
        if (inner.isString()) return inner; // "NaN", "Infinity": kept as written
        return fieldError(field + "/doubleValue", QStringLiteral("must be a number"));
    }
    if (kind == "bytesValue") {
        if (!inner.isString()) return fieldError(field + "/bytesValue", QStringLiteral("must be base64 text"));
        return inner;
    }
    if (kind == "arrayValue" || kind == "kvlistValue") {
        if (!inner.isObject())
            return fieldError(field + "/" + kind, QStringLiteral("must be an object with \"values\""));
        const Value* values = inner.find("values");
        Value out = kind == "arrayValue" ? Value::array() : Value::object();
        if (!values) return out;
        if (!values->isArray()) return fieldError(field + "/" + kind + "/values", QStringLiteral("must be an array"));
        for (size_t i = 0; i < values->items().size(); ++i) {
            const std::string f = field + "/" + kind + "/values/" + std::to_string(i);
            const Value& item = values->items()[i];
            if (kind == "arrayValue") {
                auto x = anyValue(item, f, depth + 1);
                if (!x) return x.error();
                out.append(std::move(*x));
            } else {
                if (!item.isObject() || !item.find("key") || !item.find("key")->isString())
                    return fieldError(f, QStringLiteral("a key/value needs a string \"key\""));
                const Value* val = item.find("value");
                Value x = Value::null();
                if (val) {
                    auto r = anyValue(*val, f + "/value", depth + 1);
                    if (!r) return r.error();
                    x = std::move(*r);
                }
                out.set(item.find("key")->asString(), std::move(x));
            }
        }
        return out;
    }
    return fieldError(field, QStringLiteral("unknown value kind \"%1\"").arg(QString::fromStdString(kind)));
}

Result<Value> attributes(const Value& holder, const std::string& field)
{
    Value out = Value::object();
    const Value* list = holder.find("attributes");
    if (!list || list->isNull()) return out;
    if (!list->isArray()) return fieldError(field + "attributes", QStringLiteral("must be an array of {key, value}"));
    for (size_t i = 0; i < list->items().size(); ++i) {
        const Value& kv = list->items()[i];
        const std::string f = field + "attributes/" + std::to_string(i);
        if (!kv.isObject() || !kv.find("key") || !kv.find("key")->isString())
            return fieldError(f, QStringLiteral("an attribute needs a string \"key\""));
        Value x = Value::null();
        if (const Value* val = kv.find("value")) {
            auto r = anyValue(*val, f + "/value");
            if (!r) return r.error();
            x = std::move(*r);
        }
        out.set(kv.find("key")->asString(), std::move(x));
    }
    return out;
}

std::string attrStr(const Value& attrs, std::string_view key)
{
    const Value* v = attrs.find(key);
    if (!v || v->isNull()) return {};
    if (v->isString()) return v->asString();
    if (v->isArray() || v->isObject()) return v->dump();
    return v->scalarText();
}

// A structured attribute recorded as a JSON string (the usual span form) or as a structured value.
Value structured(const Value& attrs, std::string_view key, json::Parser& parser)
{
    const Value* v = attrs.find(key);
    if (!v || v->isNull()) return Value::null();
    if (v->isString()) {
        auto parsed = parser.parse(v->asString());
        if (parsed) return std::move(*parsed);
    }
    return *v;
}

enum class Op : uint8_t {
    Other,
    InvokeAgent,
    CreateAgent,
    Workflow,
    Tool,
    Retrieval,
    Inference,
    Embeddings,
    Guardrail,
    Client
};

Op opOf(const Value& attrs, std::string_view spanName, int kind)
{
    std::string op = attrStr(attrs, "gen_ai.operation.name");
    if (op.empty()) op = std::string(spanName.substr(0, spanName.find(' ')));
    if (op == "invoke_agent") return Op::InvokeAgent;
    if (op == "create_agent") return Op::CreateAgent;
    if (op == "invoke_workflow") return Op::Workflow;
    if (op == "execute_tool") return Op::Tool;
    if (op == "retrieval") return Op::Retrieval;
    if (op == "chat" || op == "generate_content" || op == "text_completion") return Op::Inference;
    if (op == "embeddings") return Op::Embeddings;
    if (op == "apply_guardrail" || op == "run_guardrail" || op.rfind("guardrail", 0) == 0) return Op::Guardrail;
    for (const char* k : {"gen_ai.security.decision.type", "gen_ai.security.verdict.type", "gen_ai.guardrail.decision"})
        if (attrs.find(k)) return Op::Guardrail;
    if (kind == 3 && (attrs.find("url.full") || attrs.find("http.url") || attrs.find("server.address")))
        return Op::Client;
    return Op::Other;
}

int spanKind(const Value& span)
{
    const Value* k = span.find("kind");
    if (!k) return 0;
    if (k->isInt()) return static_cast<int>(k->asInt());
    const std::string_view s = k->isString() ? std::string_view(k->asString()) : std::string_view();
    if (s == "SPAN_KIND_INTERNAL") return 1;
    if (s == "SPAN_KIND_SERVER") return 2;
    if (s == "SPAN_KIND_CLIENT") return 3;
    if (s == "SPAN_KIND_PRODUCER") return 4;
    if (s == "SPAN_KIND_CONSUMER") return 5;
    return 0;
}

// Keys the mapping consumes; every other attribute is kept under otel.attributes.
const std::set<std::string_view>& mappedKeys()
{
    static const std::set<std::string_view> keys = {"gen_ai.operation.name",
                                                    "gen_ai.agent.name",
                                                    "gen_ai.agent.id",
                                                    "gen_ai.conversation.id",
                                                    "gen_ai.tool.name",
                                                    "gen_ai.tool.call.id",
                                                    "gen_ai.tool.call.arguments",
                                                    "gen_ai.tool.call.result",
                                                    "gen_ai.input.messages",
                                                    "gen_ai.output.messages",
                                                    "gen_ai.system_instructions",
                                                    "gen_ai.retrieval.documents",
                                                    "gen_ai.retrieval.query.text",
                                                    "gen_ai.data_source.id",
                                                    "gen_ai.request.model",
                                                    "gen_ai.response.model",
                                                    "gen_ai.usage.input_tokens",
                                                    "gen_ai.usage.output_tokens",
                                                    "enduser.id",
                                                    "chainsight.identity"};
    return keys;
}

// Identity a span ran as, where the instrumentation recorded one.
std::string identityOf(const Value& attrs, const Value& resource)
{
    for (const Value* a : {&attrs, &resource})
        for (const char* k :
             {"chainsight.identity", "gen_ai.agent.identity", "aws.principal.arn", "cloud.principal", "enduser.id"}) {
            std::string v = attrStr(*a, k);
            if (!v.empty()) return v;
        }
    return {};
}

struct SpanInfo
{
    std::string parent;         // key of the parent span ("" at a root)
    std::string agent, session; // set by this span (invoke_agent, create_agent, conversation id)
    std::string identity;       // the identity the span ran as, where recorded
    std::string eventId;        // the event other spans point at as their parent ("" when the span makes none)
    Op op = Op::Other;
};

// A message list: the text of each message and its role.
struct Message
{
    std::string role, text, name;
    Value toolCalls = Value::array();
};
std::vector<Message> messagesOf(const Value& v)
{
    std::vector<Message> out;
    if (!v.isArray()) {
        if (v.isString() && !v.asString().empty()) out.push_back({{}, v.asString(), {}});
        return out;
    }
    for (const Value& m : v.items()) {
        Message msg;
        if (m.isString()) {
            msg.text = m.asString();
            out.push_back(std::move(msg));
            continue;
        }
        if (!m.isObject()) continue;
        msg.role = m.str("role"); // empty: the caller's default (system instructions are bare parts)
        msg.name = m.str("name");
        auto add = [&](std::string_view s) {
            if (s.empty()) return;
            if (!msg.text.empty()) msg.text += '\n';
            msg.text.append(s);
        };
        if (const Value* parts = m.find("parts"); parts && parts->isArray()) {
            for (const Value& p : parts->items()) {
                if (!p.isObject()) continue;
                const std::string_view type = p.str("type");
                if (type == "text" || type == "reasoning")
                    add(p.str("content"));
                else if (type == "tool_call" || type == "server_tool_call")
                    msg.toolCalls.append(p);
                else if (type == "tool_call_response" || type == "server_tool_call_response") {
                    const Value* r = p.find("response");
                    if (!r) r = p.find("result");
                    if (r) add(r->isString() ? r->asString() : r->dump());
                } else if (type == "uri")
                    add(p.str("uri"));
                else if (!p.str("content").empty())
                    add(p.str("content"));
            }
        } else if (const Value* c = m.find("content"); c && c->isString()) {
            add(c->asString());
        }
        out.push_back(std::move(msg));
    }
    return out;
}
} // namespace

struct OtlpDecoder::Impl
{
    LogSink& sink;
    std::string stem;
    int pass = 0;
    std::unique_ptr<JsonItemStream> stream;
    json::Parser parser, structParser;
    std::unordered_map<std::string, SpanInfo> spans; // trace id + span id -> what pass 1 learned
    // Current resource and scope (per document and resourceSpans index).
    int64_t resDoc = -1, resIndex = -1, scopeIndex = -1;
    Value resource = Value::object(), scope = Value::object();
    std::string serviceName;
    int64_t nSpans = 0, nEvents = 0, nDecisions = 0, nSkipped = 0;
    KeyWatch otlpKey{"\"resourceSpans\""}; // a "resourceSpans" key: what makes a JSON document an OTLP trace
    std::set<std::string> agentsRegistered;
    std::unordered_map<std::string, std::set<uint64_t>> promptsSeen; // session -> hashes of prompts already emitted
    std::set<std::string> seenSpans;
    std::unordered_map<std::string, std::string>
        callRequests; // trace id + tool call id -> the llm_output that asked for it

    Impl(LogSink& s, std::string st) : sink(s), stem(std::move(st)) {}

    Status onItem(const JsonItemStream::Item& item);
    Status learn(const Value& span, const Value& attrs, const std::string& key, const std::string& traceId);
    Status map(const Value& span, Value attrs, const std::string& key, const std::string& traceId,
               const std::string& spanId, int64_t line);
    // Agent and session for a span: its own, else the nearest ancestor's; the nearest ancestor's identity when
    // parentIdentity is given. One bounded walk up the parents (a hostile trace may make a span its own parent).
    void context(const std::string& key, std::string& agent, std::string& session, std::string& parentEvent,
                 std::string& parentAgent, std::string& parentSession, std::string* parentIdentity = nullptr) const;
    Status emitEvent(Value&& obj, int64_t line, const std::string& field);
};

Status OtlpDecoder::Impl::emitEvent(Value&& obj, int64_t line, const std::string& field)
{
    std::string raw = obj.dump();
    auto e = eventFromJson(obj, std::move(raw));
    if (!e) {
        Error err = e.error();
        err.field = QString::fromStdString(field) + (err.field.isEmpty() ? QString() : QStringLiteral("/") + err.field);
        return err;
    }
    e->line = line;
    ++nEvents;
    sink.event(std::move(*e));
    return {};
}

void OtlpDecoder::Impl::context(const std::string& key, std::string& agent, std::string& session,
                                std::string& parentEvent, std::string& parentAgent, std::string& parentSession,
                                std::string* parentIdentity) const
{
    auto it = spans.find(key);
    const SpanInfo* self = it == spans.end() ? nullptr : &it->second;
    if (self) {
        agent = self->agent;
        session = self->session;
    }
    std::string cur = self ? self->parent : std::string();
    for (int depth = 0; !cur.empty() && depth < 512; ++depth) {
        auto p = spans.find(cur);
        if (p == spans.end()) break;
        const SpanInfo& s = p->second;
        if (parentEvent.empty() && !s.eventId.empty()) parentEvent = s.eventId;
        if (parentAgent.empty() && !s.agent.empty()) parentAgent = s.agent;
        if (parentSession.empty() && !s.session.empty()) parentSession = s.session;
        if (parentIdentity && parentIdentity->empty() && !s.identity.empty()) *parentIdentity = s.identity;
        if (!parentEvent.empty() && !parentAgent.empty() && !parentSession.empty() &&
            (!parentIdentity || !parentIdentity->empty()))
            break;
        cur = s.parent;
    }
    if (agent.empty()) agent = parentAgent;
    if (session.empty()) session = parentSession;
}

Status OtlpDecoder::Impl::onItem(const JsonItemStream::Item& item)
{
    const auto& idx = *item.indices;
    auto v = parser.parse(item.text);
    if (!v) return v.error();
    if (item.route == 0) { // a resource
        auto a = attributes(*v, "");
        if (!a) return a.error();
        resDoc = item.document;
        resIndex = idx.empty() ? -1 : idx[0];
        resource = std::move(*a);
        serviceName = attrStr(resource, "service.name");
        return {};
    }
    if (item.route == 1) { // a scope
        if (!v->isObject()) return fieldError("", QStringLiteral("a scope must be an object"));
        scopeIndex = idx.size() > 1 ? idx[1] : -1;
        scope = Value::object();
        if (!v->str("name").empty()) scope.set("name", Value::string(std::string(v->str("name"))));
        if (!v->str("version").empty()) scope.set("version", Value::string(std::string(v->str("version"))));
        return {};
    }
    // A span. A resource or scope of another resourceSpans entry does not apply.
    if (resDoc != item.document || idx.empty() || resIndex != idx[0]) {
        resource = Value::object();
        serviceName.clear();
        resDoc = item.document;
        resIndex = idx.empty() ? -1 : idx[0];
    }
    if (!v->isObject()) return fieldError("", QStringLiteral("a span must be an object"));
    auto traceId = spanIdField(*v, "traceId", 16, true);
    if (!traceId) return traceId.error();
    auto spanId = spanIdField(*v, "spanId", 8, true);
    if (!spanId) return spanId.error();
    auto attrs = attributes(*v, "");
    if (!attrs) return attrs.error();
    const std::string key = *traceId + *spanId;
    if (pass == 0) {
        ++nSpans;
        return learn(*v, *attrs, key, *traceId);
    }
    if (!seenSpans.insert(key).second) {
        ++nSkipped; // the same span exported twice (retries): the first copy stands
        return {};
    }
    return map(*v, std::move(*attrs), key, *traceId, *spanId, item.line);
}

Status OtlpDecoder::Impl::learn(const Value& span, const Value& attrs, const std::string& key,
                                const std::string& traceId)
{
    auto parent = spanIdField(span, "parentSpanId", 8, false);
    if (!parent) return parent.error();
    if (!span.find("name") || !span.find("name")->isString())
        return fieldError("name", QStringLiteral("a span needs a string \"name\""));
    SpanInfo info;
    if (!parent->empty()) info.parent = traceId + *parent;
    info.op = opOf(attrs, span.str("name"), spanKind(span));
    info.agent = attrStr(attrs, "gen_ai.agent.name");
    if (info.agent.empty()) info.agent = attrStr(attrs, "gen_ai.agent.id");
    info.session = attrStr(attrs, "gen_ai.conversation.id");
    info.identity = identityOf(attrs, Value::object());
    const std::string spanId = key.substr(32);
    switch (info.op) {
    case Op::Tool:
    case Op::Inference:
    case Op::Embeddings:
    case Op::Client:
        info.eventId = spanId;
        break;
    case Op::Retrieval:
        info.eventId = spanId;
        break;
    default:
        break;
    }
    if (info.op == Op::Inference)
        for (const Message& m : messagesOf(structured(attrs, "gen_ai.output.messages", structParser)))
            for (const Value& c : m.toolCalls.items())
                if (c.isObject() && !c.str("id").empty())
                    callRequests.try_emplace(traceId + std::string(c.str("id")), spanId);
    spans.try_emplace(key, std::move(info)); // a duplicate span: the first copy stands
    return {};
}

Status OtlpDecoder::Impl::map(const Value& span, Value attrs, const std::string& key, const std::string& traceId,
                              const std::string& spanId, int64_t line)
{
    auto start = nanos(span, "startTimeUnixNano", true);
    if (!start) return start.error();
    auto end = nanos(span, "endTimeUnixNano", false);
    if (!end) return end.error();
    const int64_t t0 = *start, t1 = *end >= *start ? *end : *start;
    const std::string name(span.str("name"));
    const int kind = spanKind(span);
    auto infoIt = spans.find(key);
    const Op op = infoIt != spans.end() ? infoIt->second.op : opOf(attrs, name, kind);

    std::string agent, session, parentEvent, parentAgent, parentSession, parentIdentity;
    context(key, agent, session, parentEvent, parentAgent, parentSession, &parentIdentity);
    if (agent.empty()) agent = !serviceName.empty() ? serviceName : (stem.empty() ? std::string("otel-agent") : stem);
    if (session.empty()) session = "trace-" + traceId;
    std::string identity = identityOf(attrs, Value::object());
    // Else the nearest ancestor's, else the resource's.
    if (identity.empty()) identity = parentIdentity;
    if (identity.empty()) identity = identityOf(Value::object(), resource);

    // Status: OTLP JSON writes the code as a number or as its enum name.
    bool isError = false;
    std::string statusMessage;
    if (const Value* st = span.find("status"); st && st->isObject()) {
        const Value* c = st->find("code");
        isError = c && ((c->isInt() && c->asInt() == 2) || (c->isString() && c->asString() == "STATUS_CODE_ERROR"));
        statusMessage = st->str("message");
    }
    if (!attrStr(attrs, "error.type").empty()) isError = true;

    // What is kept beyond the mapping: the span's identity and every attribute the conventions do not map.
    Value otel = Value::object();
    otel.set("name", Value::string(name));
    if (kind) otel.set("kind", Value::integer(kind));
    otel.set("start", Value::string(formatRfc3339(t0)));
    otel.set("end", Value::string(formatRfc3339(t1)));
    Value kept = Value::object();
    for (const auto& [k, v] : attrs.members())
        if (!mappedKeys().count(k)) kept.set(k, v);
    if (!kept.members().empty()) otel.set("attributes", std::move(kept));
    if (!resource.members().empty()) otel.set("resource", resource);
    if (!scope.members().empty()) otel.set("scope", scope);
    if (isError || !statusMessage.empty()) {
        Value st = Value::object();
        st.set("code", Value::string(isError ? "error" : "ok"));
        if (!statusMessage.empty()) st.set("message", Value::string(statusMessage));
        otel.set("status", std::move(st));
    }
    for (const char* member : {"events", "links"})
        if (const Value* x = span.find(member); x && x->isArray() && !x->items().empty()) {
            Value list = Value::array();
            for (size_t i = 0; i < x->items().size(); ++i) {
                const Value& ev = x->items()[i];
                if (!ev.isObject()) continue;
                Value o = Value::object();
                for (const char* f : {"name", "traceId", "spanId"})
                    if (!ev.str(f).empty()) o.set(f, Value::string(std::string(ev.str(f))));
                if (auto t = nanos(ev, "timeUnixNano", false); t && *t > 0)
                    o.set("time", Value::string(formatRfc3339(*t)));
                auto a = attributes(ev, std::string(member) + "/" + std::to_string(i) + "/");
                if (!a) return a.error();
                if (!a->members().empty()) o.set("attributes", std::move(*a));
                list.append(std::move(o));
            }
            otel.set(member, std::move(list));
        }

    bool firstOfSpan = true;
    auto base = [&](const std::string& id, int64_t ts, const char* type, const std::string& parent) {
        Value o = Value::object();
        o.set("id", Value::string(id));
        o.set("ts", Value::string(formatRfc3339(ts)));
        o.set("type", Value::string(type));
        o.set("agent", Value::string(agent));
        o.set("session", Value::string(session));
        if (!identity.empty()) o.set("identity", Value::string(identity));
        if (!parent.empty() && parent != id) o.set("parent", Value::string(parent));
        o.set("trace_id", Value::string(traceId));
        o.set("span_id", Value::string(spanId));
        if (firstOfSpan) o.set("otel", otel);
        firstOfSpan = false;
        return o;
    };

    // Prompts for input messages not seen before in the session (inference spans repeat the whole history).
    std::string lastPrompt = parentEvent;
    auto prompts = [&](const Value& messages, const char* defaultRole, const std::string& suffix) -> Status {
        int n = 0;
        for (const Message& m : messagesOf(messages)) {
            const std::string role = m.role.empty() ? defaultRole : m.role;
            if (role == "assistant" && m.toolCalls.items().empty() && m.text.empty()) continue;
            const uint64_t h = std::hash<std::string>{}(role + '\x1f' + m.text + '\x1f' + m.toolCalls.dump());
            if (!promptsSeen[session].insert(h).second) continue;
            if (role == "assistant") continue; // earlier model output, already an llm_output where it was traced
            const std::string id = spanId + suffix + std::to_string(n++);
            Value o = base(id, t0, "prompt", lastPrompt);
            o.set("role", Value::string(role == "tool" ? "tool" : role));
            o.set("channel", Value::string("chat"));
            o.set("content", Value::string(m.text));
            if (!m.name.empty()) o.set("name", Value::string(m.name));
            CS_TRY(emitEvent(std::move(o), line, "spans/" + spanId));
            lastPrompt = id;
        }
        return {};
    };

    switch (op) {
    case Op::CreateAgent: {
        if (agentsRegistered.insert(agent).second) {
            AgentBaseline b;
            b.id = agent;
            Value j = Value::object();
            j.set("id", Value::string(agent));
            for (const char* k : {"gen_ai.agent.id", "gen_ai.agent.description", "gen_ai.agent.version",
                                  "gen_ai.request.model", "gen_ai.provider.name"})
                if (!attrStr(attrs, k).empty()) j.set(k, Value::string(attrStr(attrs, k)));
            j.set("source", Value::string("otlp create_agent span " + spanId));
            b.json = j.dump();
            sink.baseline(std::move(b));
        }
        return prompts(structured(attrs, "gen_ai.system_instructions", structParser), "system", "-sys");
    }
    case Op::InvokeAgent: {
        // An agent invoked under another agent's span: a delegation by the caller.
        if (!parentAgent.empty() && infoIt != spans.end() && !infoIt->second.agent.empty() && parentAgent != agent) {
            Value o = base(spanId, t0, "delegation", parentEvent);
            o.set("agent", Value::string(parentAgent));
            o.set("session", Value::string(parentSession.empty() ? "trace-" + traceId : parentSession));
            o.set("to_agent", Value::string(agent));
            o.set("to_session", Value::string(session));
            CS_TRY(emitEvent(std::move(o), line, "spans/" + spanId));
            lastPrompt = spanId;
        }
        CS_TRY(prompts(structured(attrs, "gen_ai.system_instructions", structParser), "system", "-sys"));
        return prompts(structured(attrs, "gen_ai.input.messages", structParser), "user", "-in");
    }
    case Op::Tool: {
        std::string callId = attrStr(attrs, "gen_ai.tool.call.id");
        // The model output that asked for this call caused it; else the nearest traced ancestor did.
        std::string cause = parentEvent;
        if (!callId.empty())
            if (auto it = callRequests.find(traceId + callId); it != callRequests.end()) cause = it->second;
        if (callId.empty()) callId = spanId;
        Value call = base(spanId, t0, "tool_call", cause);
        std::string tool = attrStr(attrs, "gen_ai.tool.name");
        if (tool.empty()) tool = name.rfind("execute_tool ", 0) == 0 ? name.substr(13) : name;
        call.set("tool", Value::string(tool));
        call.set("call_id", Value::string(callId));
        for (const char* k : {"server.address", "mcp.server.name", "gen_ai.tool.type"})
            if (!attrStr(attrs, k).empty()) {
                call.set("server", Value::string(attrStr(attrs, k)));
                break;
            }
        Value args = structured(attrs, "gen_ai.tool.call.arguments", structParser);
        if (!args.isObject()) {
            Value o = Value::object();
            if (!args.isNull()) o.set("_value", std::move(args));
            args = std::move(o);
        }
        call.set("arguments", std::move(args));
        CS_TRY(emitEvent(std::move(call), line, "spans/" + spanId));
        const Value* result = attrs.find("gen_ai.tool.call.result");
        if (result || isError || t1 > t0) {
            firstOfSpan = false;
            Value r = base(spanId + "-result", t1, "tool_result", spanId);
            r.set("call_id", Value::string(callId));
            r.set("tool", Value::string(tool));
            r.set("status", Value::string(isError ? "error" : "ok"));
            std::string out = result ? (result->isString() ? result->asString() : result->dump()) : std::string();
            if (out.empty() && isError) out = statusMessage;
            r.set("output", Value::string(out));
            if (isError && !attrStr(attrs, "error.type").empty())
                r.set("error", Value::string(attrStr(attrs, "error.type")));
            CS_TRY(emitEvent(std::move(r), line, "spans/" + spanId));
        }
        return {};
    }
    case Op::Retrieval: {
        const std::string dataSource = attrStr(attrs, "gen_ai.data_source.id");
        const std::string query = attrStr(attrs, "gen_ai.retrieval.query.text");
        Value docs = structured(attrs, "gen_ai.retrieval.documents", structParser);
        const size_t n = docs.isArray() ? docs.items().size() : 0;
        if (n == 0) {
            Value o = base(spanId, t1, "retrieval", parentEvent);
            Value src = Value::object();
            src.set("uri", Value::string(dataSource.empty() ? name : dataSource));
            src.set("kind", Value::string("rag"));
            o.set("source", std::move(src));
            if (!query.empty()) o.set("query", Value::string(query));
            o.set("content", Value::string(""));
            return emitEvent(std::move(o), line, "spans/" + spanId);
        }
        for (size_t i = 0; i < n; ++i) {
            const Value& doc = docs.items()[i];
            // The span's first document carries the span id, so children of the span point at it.
            Value o = base(i == 0 ? spanId : spanId + "-doc" + std::to_string(i), t1, "retrieval", parentEvent);
            Value src = Value::object();
            const std::string docId = doc.isObject() ? std::string(doc.str("id")) : doc.scalarText();
            std::string uri = doc.isObject() ? std::string(doc.str("uri")) : std::string();
            if (uri.empty()) uri = dataSource.empty() ? docId : dataSource + "/" + docId;
            src.set("uri", Value::string(uri));
            src.set("kind", Value::string("rag"));
            if (!docId.empty()) src.set("id", Value::string(docId));
            o.set("source", std::move(src));
            if (doc.isObject()) {
                if (const Value* s = doc.find("score"); s && s->isNumber()) o.set("score", *s);
                std::string content(doc.str("content"));
                if (content.empty()) content = doc.str("text");
                o.set("content", Value::string(content));
                Value extra = Value::object();
                for (const auto& [k, v] : doc.members())
                    if (k != "id" && k != "score" && k != "content" && k != "text" && k != "uri") extra.set(k, v);
                if (!extra.members().empty()) o.set("document", std::move(extra));
            } else {
                o.set("content", Value::string(""));
            }
            if (!query.empty()) o.set("query", Value::string(query));
            CS_TRY(
                emitEvent(std::move(o), line, "spans/" + spanId + "/gen_ai.retrieval.documents/" + std::to_string(i)));
        }
        return {};
    }
    case Op::Inference:
    case Op::Embeddings: {
        const bool keepOtel = firstOfSpan; // the span's own attributes go on its llm_output
        firstOfSpan = false;
        CS_TRY(prompts(structured(attrs, "gen_ai.system_instructions", structParser), "system", "-sys"));
        CS_TRY(prompts(structured(attrs, "gen_ai.input.messages", structParser), "user", "-in"));
        firstOfSpan = keepOtel;
        Value o = base(spanId, t1, "llm_output", lastPrompt);
        std::string model = attrStr(attrs, "gen_ai.response.model");
        if (model.empty()) model = attrStr(attrs, "gen_ai.request.model");
        if (!model.empty()) o.set("model", Value::string(model));
        std::string text;
        Value calls = Value::array();
        for (const Message& m : messagesOf(structured(attrs, "gen_ai.output.messages", structParser))) {
            if (!m.text.empty()) text += (text.empty() ? "" : "\n") + m.text;
            for (const Value& c : m.toolCalls.items())
                calls.append(c);
        }
        o.set("content", Value::string(text));
        if (!calls.items().empty()) o.set("tool_calls", std::move(calls));
        const Value* tin = attrs.find("gen_ai.usage.input_tokens");
        const Value* tout = attrs.find("gen_ai.usage.output_tokens");
        if (tin && tin->isInt() && tin->asInt() >= 0) o.set("tokens_in", *tin);
        if (tout && tout->isInt() && tout->asInt() >= 0) o.set("tokens_out", *tout);
        if (isError) o.set("status", Value::string("error"));
        return emitEvent(std::move(o), line, "spans/" + spanId);
    }
    case Op::Guardrail: {
        std::string verdict;
        for (const char* k :
             {"gen_ai.security.action.type", "gen_ai.security.decision.type", "gen_ai.security.verdict.type",
              "gen_ai.guardrail.decision", "gen_ai.guardrail.action", "guardrail.decision"}) {
            verdict = attrStr(attrs, k);
            if (!verdict.empty()) break;
        }
        std::string v;
        for (char c : verdict)
            v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        Verdict mapped = Verdict::Unknown;
        if (v == "allow" || v == "pass" || v == "allowed")
            mapped = Verdict::Allow;
        else if (v == "audit" || v == "warn" || v == "flag" || v == "log")
            mapped = Verdict::Log;
        else if (v == "modify" || v == "redact" || v == "mask" || v == "constrain")
            mapped = Verdict::Constrain;
        else if (v == "deny" || v == "block" || v == "reject" || v == "blocked" || v == "denied")
            mapped = Verdict::Block;
        Decision dec;
        dec.seq = nDecisions;
        dec.tsNs = t1;
        dec.agent = agent;
        dec.session = session;
        dec.event = parentEvent;
        dec.verdict = mapped;
        for (const char* k : {"gen_ai.security.policy.id", "gen_ai.security.policy.name", "gen_ai.guardian.name",
                              "gen_ai.security.guardrail.name", "gen_ai.guardian.id", "gen_ai.security.guardrail.id"}) {
            dec.policy = attrStr(attrs, k);
            if (!dec.policy.empty()) break;
        }
        if (dec.policy.empty()) dec.policy = name;
        for (const char* k :
             {"gen_ai.security.verdict.reason", "gen_ai.security.decision.reason", "gen_ai.guardrail.reason"}) {
            dec.reason = attrStr(attrs, k);
            if (!dec.reason.empty()) break;
        }
        if (dec.reason.empty()) dec.reason = statusMessage;
        dec.keyId = "";
        dec.line = line;
        dec.valid = false;
        dec.failure = "unsigned"; // a trace is not a signed decision log
        Value payload = Value::object();
        payload.set("ts", Value::string(formatRfc3339(t1)));
        payload.set("agent", Value::string(agent));
        payload.set("session", Value::string(session));
        if (!parentEvent.empty()) payload.set("event", Value::string(parentEvent));
        payload.set("decision", Value::string(std::string(verdictName(mapped))));
        payload.set("verdict_as_traced", Value::string(verdict));
        payload.set("policy", Value::string(dec.policy));
        payload.set("reason", Value::string(dec.reason));
        payload.set("trace_id", Value::string(traceId));
        payload.set("span_id", Value::string(spanId));
        payload.set("otel", otel);
        dec.payloadJson = payload.dump();
        ++nDecisions;
        sink.decision(std::move(dec));
        return {};
    }
    case Op::Client: {
        Value o = base(spanId, t0, "egress", parentEvent);
        std::string dest = attrStr(attrs, "url.full");
        if (dest.empty()) dest = attrStr(attrs, "http.url");
        if (dest.empty()) dest = attrStr(attrs, "server.address");
        o.set("dest", Value::string(dest));
        std::string protocol = attrStr(attrs, "network.protocol.name");
        if (protocol.empty()) protocol = attrs.find("http.request.method") || attrs.find("http.method") ? "http" : "";
        if (!protocol.empty()) o.set("protocol", Value::string(protocol));
        if (const Value* b = attrs.find("http.request.body.size"); b && b->isInt()) o.set("bytes_out", *b);
        return emitEvent(std::move(o), line, "spans/" + spanId);
    }
    case Op::Workflow:
    case Op::Other:
        return {}; // structure only: the span passes its children on to its own parent
    }
    return {};
}

OtlpDecoder::OtlpDecoder(LogSink& sink, std::string stem) : d(std::make_unique<Impl>(sink, std::move(stem))) {}
OtlpDecoder::~OtlpDecoder() = default;

Status OtlpDecoder::beginPass(int pass)
{
    d->pass = pass;
    d->resDoc = d->resIndex = d->scopeIndex = -1;
    d->resource = Value::object();
    d->scope = Value::object();
    d->serviceName.clear();
    std::vector<std::vector<std::string>> routes = {
        {"resourceSpans", "*", "resource"},
        {"resourceSpans", "*", "scopeSpans", "*", "scope"},
        {"resourceSpans", "*", "scopeSpans", "*", "spans", "*"},
        {"resourceSpans", "*", "instrumentationLibrarySpans", "*", "spans", "*"},
    };
    d->stream = std::make_unique<JsonItemStream>(std::move(routes), [this](const JsonItemStream::Item& item) -> Status {
        return d->onItem(item.route == 3
                             ? JsonItemStream::Item{2, item.text, item.line, item.document, item.indices, item.path}
                             : item);
    });
    return {};
}

Status OtlpDecoder::feed(std::string_view chunk)
{
    d->otlpKey.feed(chunk);
    return d->stream->feed(chunk);
}

Status OtlpDecoder::endPass()
{
    CS_TRY(d->stream->finish());
    if (d->stream->documents() == 0 || !d->otlpKey.seen())
        return makeError(ErrorCode::Format,
                         QStringLiteral("not an OTLP trace: no {\"resourceSpans\": [...]} document"));
    if (d->pass == 0) {
        // An agent invoked under another agent's span becomes a delegation event, which its children point at.
        for (auto& [key, info] : d->spans) {
            if (info.op != Op::InvokeAgent) continue;
            std::string agent, session, parentEvent, parentAgent, parentSession;
            d->context(key, agent, session, parentEvent, parentAgent, parentSession);
            if (!parentAgent.empty() && !info.agent.empty() && parentAgent != info.agent) info.eventId = key.substr(32);
        }
    }
    return {};
}

int64_t OtlpDecoder::events() const
{
    return d->nEvents;
}
int64_t OtlpDecoder::decisions() const
{
    return d->nDecisions;
}

json::Value OtlpDecoder::summary() const
{
    Value o = Value::object();
    o.set("spans", Value::integer(d->nSpans));
    o.set("duplicate_spans", Value::integer(d->nSkipped));
    o.set("events", Value::integer(d->nEvents));
    o.set("decisions", Value::integer(d->nDecisions));
    return o;
}

int OtlpDecoder::sniff(std::string_view head)
{
    size_t i = 0;
    if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        ++i;
    if (i >= head.size() || head[i] != '{') return 0;
    if (head.find("\"resourceSpans\"") != std::string_view::npos) return 95;
    return 0;
}

} // namespace chainsight::importers
