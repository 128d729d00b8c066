// Message-by-message translation of a transcript into native-shaped event objects, validated by
// eventFromJson like any native event.
#include "importers/transcript/TranscriptMapper.h"

#include "core/model/Time.h"

#include <cmath>
#include <limits>
#include <vector>

namespace chainsight::importers {

namespace {
using json::Value;

// 2024-01-01T00:00:00Z: synthesized times start here, one hour apart per run, one second per message.
constexpr int64_t kSyntheticBaseNs = 1704067200LL * 1000000000LL;
constexpr int64_t kSecond = 1000000000LL;

Error fieldError(const std::string& field, const QString& message)
{
    return makeError(ErrorCode::Format, message, {}, -1, QString::fromStdString(field));
}

// A message time: RFC 3339 string or a unix time number (s, ms, us or ns by magnitude).
std::optional<int64_t> messageTime(const Value& m)
{
    for (const char* key : {"timestamp", "ts", "created_at", "time"}) {
        const Value* v = m.find(key);
        if (!v) continue;
        if (v->isString()) {
            if (auto t = parseRfc3339(v->asString())) return t;
        } else if (v->isNumber()) {
            const double d = v->asDouble();
            if (!(d > 0) || !std::isfinite(d)) continue;
            // ns, µs, ms or s since the epoch, by magnitude
            const double ns = d > 1e17 ? d : d > 1e14 ? d * 1e3 : d > 1e11 ? d * 1e6 : d * 1e9;
            if (!(ns < 9.2e18)) continue; // beyond what an int64 of nanoseconds holds (2262): no time of ours
            return static_cast<int64_t>(ns);
        }
    }
    return std::nullopt;
}

struct ToolUse
{
    std::string id, name;
    Value arguments; // object
};
struct ToolOutcome
{
    std::string callId, output;
    bool isError = false;
};

// Tool-call arguments: an object, or (OpenAI) a JSON-encoded string of one.
Value argumentsObject(const Value* args, json::Parser& parser)
{
    if (!args || args->isNull()) return Value::object();
    if (args->isObject()) return *args;
    if (args->isString()) {
        if (args->asString().find_first_not_of(" \t\r\n") == std::string::npos) return Value::object();
        auto parsed = parser.parse(args->asString());
        if (parsed && parsed->isObject()) return std::move(*parsed);
        Value o = Value::object();
        if (parsed) o.set("_value", std::move(*parsed));
        else o.set("_raw", *args);
        return o;
    }
    Value o = Value::object();
    o.set("_value", *args);
    return o;
}

// Text of a content field: a string, or an array of parts (OpenAI text parts, Anthropic blocks). Tool
// uses and tool results found among the blocks are returned through the out-parameters.
void readContent(const Value* c, std::string& text, std::string& reasoning, std::vector<ToolUse>* uses,
                 std::vector<ToolOutcome>* outcomes, json::Parser& parser)
{
    if (!c || c->isNull()) return;
    auto add = [](std::string& out, std::string_view s) {
        if (s.empty()) return;
        if (!out.empty()) out += '\n';
        out.append(s);
    };
    if (c->isString()) {
        add(text, c->asString());
        return;
    }
    if (c->isObject() && !c->find("type")) {
        add(text, c->dump());
        return;
    }
    std::vector<const Value*> parts;
    if (c->isArray())
        for (const auto& p : c->items()) parts.push_back(&p);
    else
        parts.push_back(c);
    for (const Value* p : parts) {
        if (p->isString()) {
            add(text, p->asString());
            continue;
        }
        if (!p->isObject()) {
            add(text, p->dump());
            continue;
        }
        const std::string_view type = p->str("type");
        if (type == "text" || type == "input_text" || type == "output_text") {
            add(text, p->str("text"));
        } else if (type == "thinking" || type == "reasoning") {
            add(reasoning, p->str("thinking").empty() ? p->str("text") : p->str("thinking"));
        } else if (type == "tool_use" && uses) {
            ToolUse u;
            u.id = p->str("id");
            u.name = p->str("name");
            u.arguments = argumentsObject(p->find("input"), parser);
            uses->push_back(std::move(u));
        } else if (type == "tool_result" && outcomes) {
            ToolOutcome o;
            o.callId = p->str("tool_use_id");
            std::string unused;
            readContent(p->find("content"), o.output, unused, nullptr, nullptr, parser);
            const Value* err = p->find("is_error");
            o.isError = err && err->isBool() && err->asBool();
            outcomes->push_back(std::move(o));
        } else if (type == "image" || type == "image_url" || type == "input_image") {
            add(text, "[image]");
        } else if (!p->str("text").empty()) {
            add(text, p->str("text"));
        } else {
            add(text, p->dump());
        }
    }
}

bool errorSet(const Value* e)
{
    if (!e || e->isNull()) return false;
    if (e->isBool()) return e->asBool();
    if (e->isString()) return !e->asString().empty();
    return true;
}
} // namespace

TranscriptMapper::TranscriptMapper(std::string fileStem, std::string format) : m_stem(std::move(fileStem)), m_format(std::move(format)) {}

std::string TranscriptMapper::agentFor(const Value* metadata) const
{
    const Value* headerMeta = m_header.find("metadata");
    for (const Value* meta : {metadata, headerMeta}) {
        if (!meta || !meta->isObject()) continue;
        for (const char* key : {"agent", "agent_id", "agent_name"})
            if (!meta->str(key).empty()) return std::string(meta->str(key));
    }
    if (metadata && !metadata->str("suite_name").empty()) return std::string(metadata->str("suite_name")) + "-agent";
    if (metadata && !metadata->str("suite").empty()) return std::string(metadata->str("suite")) + "-agent";
    if (metadata && !metadata->str("model").empty()) return std::string(metadata->str("model"));
    return m_stem.empty() ? std::string("transcript-agent") : m_stem;
}

std::string TranscriptMapper::modelFor(const Value* metadata, const Value& message) const
{
    if (!message.str("model").empty()) return std::string(message.str("model"));
    if (metadata && !metadata->str("model").empty()) return std::string(metadata->str("model"));
    const Value* headerMeta = m_header.find("metadata");
    if (headerMeta && !headerMeta->str("model").empty()) return std::string(headerMeta->str("model"));
    if (headerMeta && !headerMeta->str("name").empty()) return std::string(headerMeta->str("name"));
    return {};
}

std::string TranscriptMapper::sessionFor(const TranscriptRun& run)
{
    std::string s;
    for (const Value* holder : {run.metadata, run.wrapper}) {
        if (!holder || !holder->isObject()) continue;
        for (const char* key : {"session", "session_id", "conversation_id", "thread_id", "run_id"})
            if (!holder->str(key).empty()) {
                s = holder->str(key);
                break;
            }
        if (!s.empty()) break;
    }
    if (s.empty()) s = run.index >= 0 ? m_stem + ":run-" + std::to_string(run.index) : m_stem;
    if (s.empty()) s = "transcript";
    if (!m_sessions.insert(s).second) {
        s += "@" + std::to_string(run.line > 0 ? run.line : static_cast<int64_t>(m_sessions.size()));
        m_sessions.insert(s);
    }
    return s;
}

Status TranscriptMapper::mapRun(const TranscriptRun& run, const std::function<void(Event&&)>& sink)
{
    const std::string prefix = run.fieldPrefix;
    if (!run.messages || !run.messages->isArray()) return fieldError(prefix + "messages", QStringLiteral("must be an array of messages"));
    if (run.metadata && !run.metadata->isNull() && !run.metadata->isObject())
        return fieldError(prefix + "metadata", QStringLiteral("must be an object"));

    ++m_runs;
    const std::string session = sessionFor(run);
    const std::string agent = agentFor(run.metadata);
    std::string idPrefix = run.index >= 0 ? "r" + std::to_string(run.index) + "-" : std::string();
    if (run.index >= 0 && session.find('@') != std::string::npos) idPrefix = "r" + std::to_string(run.index) + "L" + std::to_string(run.line) + "-";

    json::Parser parser;
    // A run without times of its own gets a synthetic clock, an hour per run index. The index is the file's label,
    // any integer (a fuzzer found 133333333 overflowing the product): past a million runs the hours wrap, which
    // keeps the clock within range.
    constexpr int64_t kSyntheticRunSlots = 1'000'000;
    const int64_t slot = run.index >= 0 ? run.index % kSyntheticRunSlots : 0;
    int64_t lastTs = kSyntheticBaseNs + slot * 3600 * kSecond - kSecond;
    bool first = true;
    std::string previousId; // the event before: an llm_output's parent
    std::map<std::string, std::pair<std::string, std::string>> calls; // call_id -> (event id, tool)
    Status failure;

    auto emitEvent = [&](Value&& obj, const std::string& field) -> bool {
        if (first) {
            if (run.metadata && run.metadata->isObject()) obj.set("session_metadata", *run.metadata);
            if (run.index >= 0) obj.set("run_index", Value::integer(run.index));
            obj.set("transcript_format", Value::string(m_format));
            if (const Value* hm = m_header.find("metadata")) obj.set("dataset_metadata", *hm);
            if (run.wrapper && run.wrapper->isObject()) {
                Value extra = Value::object();
                for (const auto& [k, v] : run.wrapper->members())
                    if (k != "messages" && k != "metadata" && k != "index") extra.set(k, v);
                if (!extra.members().empty()) obj.set("run_extra", std::move(extra));
            }
        }
        std::string raw = obj.dump();
        auto e = eventFromJson(obj, std::move(raw));
        if (!e) {
            Error err = e.error();
            err.field = QString::fromStdString(field) + (err.field.isEmpty() ? QString() : QStringLiteral("/") + err.field);
            failure = err;
            return false;
        }
        e->line = run.line;
        previousId = e->id;
        first = false;
        sink(std::move(*e));
        return true;
    };
    auto base = [&](const std::string& id, int64_t ts, bool synthetic, const char* type) {
        Value o = Value::object();
        o.set("id", Value::string(id));
        o.set("ts", Value::string(formatRfc3339(ts)));
        o.set("type", Value::string(type));
        o.set("agent", Value::string(agent));
        o.set("session", Value::string(session));
        if (synthetic) o.set("ts_synthetic", Value::boolean(true));
        return o;
    };

    const auto& messages = run.messages->items();
    for (size_t k = 0; k < messages.size(); ++k) {
        const Value& m = messages[k];
        const std::string field = prefix + "messages/" + std::to_string(k);
        if (!m.isObject()) return fieldError(field, QStringLiteral("a message must be an object"));
        const Value* roleV = m.find("role");
        if (!roleV || !roleV->isString() || roleV->asString().empty())
            return fieldError(field + "/role", QStringLiteral("a message needs a string \"role\""));
        const std::string role = roleV->asString();

        int64_t ts;
        bool synthetic;
        if (auto t = messageTime(m); t && *t > lastTs) {
            ts = *t;
            synthetic = false;
        } else {
            // a second after the last: at the end of the time range (2262), the same instant
            ts = lastTs <= std::numeric_limits<int64_t>::max() - kSecond ? lastTs + kSecond : lastTs;
            synthetic = true;
        }
        lastTs = ts;
        const std::string mid = idPrefix + "m" + std::to_string(k);

        std::string text, reasoning;
        std::vector<ToolUse> uses;
        std::vector<ToolOutcome> outcomes;
        readContent(m.find("content"), text, reasoning, &uses, &outcomes, parser);

        if (role == "system" || role == "developer" || role == "user") {
            if (!text.empty() || outcomes.empty()) {
                Value o = base(mid, ts, synthetic, "prompt");
                o.set("role", Value::string(role));
                o.set("channel", Value::string("chat"));
                o.set("content", Value::string(text));
                if (!m.str("name").empty()) o.set("name", Value::string(std::string(m.str("name"))));
                if (!emitEvent(std::move(o), field)) return failure;
            }
            // Anthropic: tool results travel in a user message.
            for (size_t j = 0; j < outcomes.size(); ++j) {
                const auto& oc = outcomes[j];
                Value o = base(mid + "-result" + std::to_string(j), ts + static_cast<int64_t>(j + 1) * 1000, synthetic, "tool_result");
                o.set("call_id", Value::string(oc.callId));
                auto it = calls.find(oc.callId);
                if (it != calls.end()) {
                    o.set("parent", Value::string(it->second.first));
                    o.set("tool", Value::string(it->second.second));
                }
                o.set("status", Value::string(oc.isError ? "error" : "ok"));
                o.set("output", Value::string(oc.output));
                if (!emitEvent(std::move(o), field + "/content/" + std::to_string(j))) return failure;
            }
        } else if (role == "assistant" || role == "model") {
            if (const Value* r = m.find("reasoning_content"); r && r->isString()) reasoning += r->asString();
            if (const Value* r = m.find("reasoning"); r && r->isString()) reasoning += r->asString();
            // OpenAI tool_calls, the legacy function_call, and tool_use blocks.
            if (const Value* tcs = m.find("tool_calls"); tcs && !tcs->isNull()) {
                if (!tcs->isArray()) return fieldError(field + "/tool_calls", QStringLiteral("must be an array"));
                for (size_t j = 0; j < tcs->items().size(); ++j) {
                    const Value& tc = tcs->items()[j];
                    const std::string tf = field + "/tool_calls/" + std::to_string(j);
                    if (!tc.isObject()) return fieldError(tf, QStringLiteral("a tool call must be an object"));
                    const Value* fn = tc.find("function");
                    ToolUse u;
                    u.id = tc.str("id");
                    if (fn && fn->isObject()) {
                        u.name = fn->str("name");
                        u.arguments = argumentsObject(fn->find("arguments"), parser);
                    } else {
                        u.name = tc.str("name");
                        u.arguments = argumentsObject(tc.find("arguments") ? tc.find("arguments") : tc.find("input"), parser);
                    }
                    if (u.name.empty()) return fieldError(tf + "/function/name", QStringLiteral("a tool call needs the tool's name"));
                    uses.push_back(std::move(u));
                }
            }
            if (const Value* fc = m.find("function_call"); fc && fc->isObject()) {
                ToolUse u;
                u.name = fc->str("name");
                u.arguments = argumentsObject(fc->find("arguments"), parser);
                if (u.name.empty()) return fieldError(field + "/function_call/name", QStringLiteral("needs the function's name"));
                uses.push_back(std::move(u));
            }
            Value o = base(mid, ts, synthetic, "llm_output");
            if (!previousId.empty()) o.set("parent", Value::string(previousId));
            const std::string model = modelFor(run.metadata, m);
            if (!model.empty()) o.set("model", Value::string(model));
            o.set("content", Value::string(text));
            if (!reasoning.empty()) o.set("reasoning", Value::string(reasoning));
            for (const char* key : {"tokens_in", "tokens_out"})
                if (const Value* t = m.find(key); t && t->isInt() && t->asInt() >= 0) o.set(key, *t);
            if (!emitEvent(std::move(o), field)) return failure;
            const std::string llmId = mid;
            for (size_t j = 0; j < uses.size(); ++j) {
                auto& u = uses[j];
                const std::string cid = mid + "-call" + std::to_string(j);
                if (u.id.empty()) u.id = cid;
                Value c = base(cid, ts + static_cast<int64_t>(j + 1) * 1000, synthetic, "tool_call");
                c.set("parent", Value::string(llmId));
                c.set("tool", Value::string(u.name));
                c.set("call_id", Value::string(u.id));
                c.set("arguments", std::move(u.arguments));
                calls[u.id] = {cid, u.name};
                if (!emitEvent(std::move(c), field + "/tool_calls/" + std::to_string(j))) return failure;
            }
        } else if (role == "tool" || role == "function" || role == "ipython") {
            std::string callId(m.str("tool_call_id"));
            std::string tool(m.str("name"));
            if (const Value* echo = m.find("tool_call"); echo && echo->isObject()) {
                if (callId.empty()) callId = echo->str("id");
                if (tool.empty()) {
                    if (const Value* f = echo->find("function"); f && f->isString()) tool = f->asString();
                    else if (f && f->isObject()) tool = f->str("name");
                }
            }
            auto it = calls.find(callId);
            if (it == calls.end() && callId.empty() && !tool.empty()) {
                // Legacy function messages carry only the name: pair with the latest call of that tool.
                for (auto c = calls.rbegin(); c != calls.rend(); ++c)
                    if (c->second.second == tool) {
                        it = calls.find(c->first);
                        callId = c->first;
                        break;
                    }
            }
            Value o = base(mid, ts, synthetic, "tool_result");
            if (it != calls.end()) {
                o.set("parent", Value::string(it->second.first));
                if (tool.empty()) tool = it->second.second;
            }
            if (!callId.empty()) o.set("call_id", Value::string(callId));
            if (!tool.empty()) o.set("tool", Value::string(tool));
            const Value* err = m.find("error");
            const bool isError = errorSet(err) || (m.find("is_error") && m.find("is_error")->isBool() && m.find("is_error")->asBool());
            o.set("status", Value::string(!m.str("status").empty() ? std::string(m.str("status")) : isError ? "error" : "ok"));
            o.set("output", Value::string(text));
            if (err && err->isString() && !err->asString().empty()) o.set("error", *err);
            if (!emitEvent(std::move(o), field)) return failure;
        } else {
            return fieldError(field + "/role",
                              QStringLiteral("unknown role \"%1\" (expected system, developer, user, assistant or tool)")
                                  .arg(QString::fromStdString(role)));
        }
    }
    return {};
}

} // namespace chainsight::importers
