// Lessons out: the tightened baseline and the Sigma rules (see Lessons.h).
#include "core/exercise/Lessons.h"

#include "core/crypto/Crypto.h"
#include "core/model/Event.h"
#include "core/model/Time.h"
#include "core/store/CaseStore.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace chainsight::exercise {

namespace {

using json::Value;

struct Observed
{
    std::set<std::string> tools, identities, egress;
    std::map<std::string, std::set<std::string>> values; // "<tool>.<arg path>" -> values
    int sessions = 0;
};

// "recipients/0" -> "recipients": approved values name arguments, not array positions (as the analysis does).
std::string argumentKey(const std::string& path)
{
    std::string out;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t slash = path.find('/', start);
        const std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (!part.empty() && !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
            out += (out.empty() ? "" : "/") + part;
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return out;
}

std::string hostOf(std::string dest)
{
    if (auto p = dest.find("://"); p != std::string::npos) dest = dest.substr(p + 3);
    if (auto p = dest.find_first_of("/?#"); p != std::string::npos) dest = dest.substr(0, p);
    if (auto p = dest.rfind(':'); p != std::string::npos && dest.find(']') == std::string::npos)
        dest = dest.substr(0, p);
    return dest;
}

Value stringArray(const std::set<std::string>& s)
{
    Value a = Value::array();
    for (const auto& x : s)
        a.append(Value::string(x));
    return a;
}

std::set<std::string> stringSet(const Value* v)
{
    std::set<std::string> out;
    if (!v || !v->isArray()) return out;
    for (const auto& i : v->items())
        out.insert(i.isString() ? i.asString() : i.dump());
    return out;
}

// A deterministic UUID (version 5 layout) from the rule's content, so an export is reproducible.
std::string uuidOf(const std::string& seed)
{
    std::string h = crypto::sha256Hex("chainsight-sigma\n" + seed).substr(0, 32);
    h[12] = '5';
    const char variant[] = "89ab";
    h[16] = variant[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
           h.substr(20, 12);
}

std::string safeName(std::string s)
{
    for (char& c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : '-';
    while (s.find("--") != std::string::npos)
        s.erase(s.find("--"), 1);
    if (s.size() > 80) s.resize(80);
    return s;
}

std::string sigmaLevel(analysis::Severity s)
{
    switch (s) {
    case analysis::Severity::Info:
        return "informational";
    case analysis::Severity::Low:
        return "low";
    case analysis::Severity::Medium:
        return "medium";
    case analysis::Severity::High:
        return "high";
    case analysis::Severity::Critical:
        return "critical";
    }
    return "medium";
}

// One detection block: map of field -> values (a list when more than one).
using Selection = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct RuleDraft
{
    std::string title, description, category, level, seed;
    std::vector<std::string> tags, falsePositives;
    Selection selection, filter;
};

std::string renderRule(const RuleDraft& d, const std::string& date)
{
    auto block = [](const char* name, const Selection& sel) {
        std::string y = std::string("    ") + name + ":\n";
        for (const auto& [field, values] : sel) {
            if (values.size() == 1) {
                y += "        " + yamlQuote(field) + ": " + yamlQuote(values.front()) + "\n";
            } else {
                y += "        " + yamlQuote(field) + ":\n";
                for (const auto& v : values)
                    y += "            - " + yamlQuote(v) + "\n";
            }
        }
        return y;
    };
    std::string y;
    y += "title: " + yamlQuote(d.title) + "\n";
    y += "id: " + uuidOf(d.seed) + "\n";
    y += "status: experimental\n";
    y += "description: " + yamlQuote(d.description) + "\n";
    y += "author: Chainsight lessons export\n";
    y += "date: " + date + "\n";
    if (!d.tags.empty()) {
        y += "tags:\n";
        for (const auto& t : d.tags)
            y += "    - " + yamlQuote(t) + "\n";
    }
    y += "logsource:\n    product: ai_agent\n    service: chainsight\n    category: " + yamlQuote(d.category) + "\n";
    y += "detection:\n";
    y += block("selection", d.selection);
    if (!d.filter.empty()) y += block("filter", d.filter);
    y += std::string("    condition: ") + (d.filter.empty() ? "selection" : "selection and not filter") + "\n";
    y += "falsepositives:\n";
    for (const auto& f : d.falsePositives)
        y += "    - " + yamlQuote(f) + "\n";
    y += "level: " + d.level + "\n";
    return y;
}

} // namespace

std::string yamlQuote(std::string_view s)
{
    std::string out;
    json::appendQuoted(out, s);
    return out;
}

Result<TightenedBaseline> tightenBaseline(store::CaseStore& store, const analysis::AnalysisReport& report)
{
    std::set<std::string> clean;
    for (const auto& s : report.sessions)
        if (s.type == analysis::IncidentType::None && s.findings == 0) clean.insert(s.session);
    std::map<std::string, Observed> seen;
    std::map<std::string, std::set<std::string>> sessionsOf;
    json::Parser parser;
    CS_TRY(store.forEachEvent([&](const Event& e) {
        if (!clean.count(e.session)) return true;
        Observed& o = seen[e.agent];
        sessionsOf[e.agent].insert(e.session);
        if (!e.identity.empty()) o.identities.insert(e.identity);
        if (e.type != EventType::ToolCall && e.type != EventType::Egress && e.type != EventType::IdentityChange)
            return true;
        auto v = parser.parse(e.json);
        if (!v || !v->isObject()) return true;
        if (e.type == EventType::ToolCall && !e.tool.empty()) {
            o.tools.insert(e.tool);
            if (const Value* args = v->find("arguments"); args && args->isObject())
                args->forEachLeaf([&](const std::string& path, const Value& leaf) {
                    if (!leaf.isNull())
                        o.values[e.tool + "." + argumentKey(path)].insert(leaf.isString() ? leaf.asString()
                                                                                          : leaf.dump());
                });
        } else if (e.type == EventType::Egress && !v->str("dest").empty()) {
            o.egress.insert(hostOf(std::string(v->str("dest"))));
        } else if (e.type == EventType::IdentityChange && !v->str("to").empty()) {
            o.identities.insert(std::string(v->str("to")));
        }
        return true;
    }));
    for (auto& [agent, s] : sessionsOf)
        seen[agent].sessions = static_cast<int>(s.size());

    auto baselines = store.baselines();
    if (!baselines) return baselines.error();
    TightenedBaseline out;
    Value agents = Value::array();
    std::set<std::string> done;
    for (const AgentBaseline& b : *baselines) {
        if (!done.insert(b.id).second) continue;
        auto parsed = parser.parse(b.json);
        if (!parsed || !parsed->isObject())
            return makeError(ErrorCode::Format,
                             QStringLiteral("baseline of %1 is not an object").arg(QString::fromStdString(b.id)));
        Value entry = *parsed;
        BaselineChange change;
        change.agent = b.id;
        auto it = seen.find(b.id);
        if (it == seen.end()) {
            agents.append(std::move(entry)); // no clean session: nothing learnt, kept as it was
            out.changes.push_back(std::move(change));
            continue;
        }
        const Observed& o = it->second;
        change.cleanSessions = o.sessions;
        auto tighten = [&](const char* field, const std::set<std::string>& used) {
            const Value* have = entry.find(field);
            std::set<std::string> result;
            if (have && have->isArray()) {
                for (const auto& x : stringSet(have)) {
                    if (used.count(x))
                        result.insert(x);
                    else
                        change.removed.push_back(std::string(field) + ": " + x);
                }
            } else {
                if (used.empty()) return;
                result = used;
                change.added.push_back(field);
            }
            entry.set(field, stringArray(result));
        };
        tighten("allowed_tools", o.tools);
        tighten("identities", o.identities);
        tighten("allowed_egress", o.egress);
        // read-only tools: only those still allowed.
        if (const Value* ro = entry.find("read_only_tools"); ro && ro->isArray()) {
            const std::set<std::string> allowed = stringSet(entry.find("allowed_tools"));
            std::set<std::string> keep;
            for (const auto& t : stringSet(ro)) {
                if (allowed.count(t))
                    keep.insert(t);
                else
                    change.removed.push_back("read_only_tools: " + t);
            }
            entry.set("read_only_tools", stringArray(keep));
        }
        // approved values: the baseline's keys, narrowed to the values used.
        if (const Value* av = entry.find("approved_values"); av && av->isObject()) {
            Value narrowed = Value::object();
            for (const auto& [key, list] : av->members()) {
                const auto used = o.values.find(key);
                std::set<std::string> keep;
                for (const auto& x : stringSet(&list)) {
                    if (used != o.values.end() && used->second.count(x))
                        keep.insert(x);
                    else
                        change.removed.push_back("approved_values " + key + ": " + x);
                }
                narrowed.set(key, stringArray(keep));
            }
            entry.set("approved_values", std::move(narrowed));
        }
        agents.append(std::move(entry));
        out.changes.push_back(std::move(change));
    }
    // Agents without a baseline that ran clean sessions: a first baseline from what they used.
    for (const auto& [agent, o] : seen) {
        if (done.count(agent)) continue;
        Value entry = Value::object();
        entry.set("id", Value::string(agent));
        if (!o.identities.empty()) entry.set("identities", stringArray(o.identities));
        if (!o.tools.empty()) entry.set("allowed_tools", stringArray(o.tools));
        if (!o.egress.empty()) entry.set("allowed_egress", stringArray(o.egress));
        agents.append(std::move(entry));
        BaselineChange change;
        change.agent = agent;
        change.cleanSessions = o.sessions;
        change.added = {"a new baseline from its clean sessions"};
        out.changes.push_back(std::move(change));
    }
    Value root = Value::object();
    root.set("agents", std::move(agents));
    out.agentsJson = std::move(root);
    return out;
}

Result<std::vector<SigmaRule>> sigmaRules(store::CaseStore& store, const analysis::AnalysisReport& report,
                                          const json::Value* tightenedAgents)
{
    // The key events of the findings.
    std::set<std::string> wanted;
    for (const auto& f : report.findings)
        if (!f.events.empty()) wanted.insert(f.events.front());
    std::map<std::string, Event> events;
    CS_TRY(store.forEachEvent([&](const Event& e) {
        if (wanted.count(e.id)) events.emplace(e.id, e);
        return true;
    }));
    auto window = store.timeWindow();
    if (!window) return window.error();
    std::string date = formatRfc3339(window->second > 0 ? window->second : 0).substr(0, 10);
    std::replace(date.begin(), date.end(), '-', '/');

    std::vector<RuleDraft> drafts;
    std::set<std::string> seeds;
    json::Parser parser;
    // Harmful values by (agent, tool, argument): one rule each, naming every value the attacker planted.
    std::map<std::tuple<std::string, std::string, std::string>, std::set<std::string>> harmfulValues;
    std::map<std::string, std::pair<std::string, std::string>> actionAgentTool;
    for (const auto& e : report.taint) {
        if (!e.harmful || e.argument.empty() || e.value.empty()) continue;
        actionAgentTool[e.action];
    }
    CS_TRY(store.forEachEvent([&](const Event& e) {
        if (auto it = actionAgentTool.find(e.id); it != actionAgentTool.end()) it->second = {e.agent, e.tool};
        return true;
    }));
    for (const auto& e : report.taint) {
        if (!e.harmful || e.argument.empty() || e.value.empty()) continue;
        const auto& [agent, tool] = actionAgentTool[e.action];
        if (tool.empty()) continue;
        std::string arg = argumentKey(e.argument);
        std::replace(arg.begin(), arg.end(), '/', '.');
        harmfulValues[{agent, tool, arg}].insert(e.value);
    }
    for (const auto& [key, values] : harmfulValues) {
        const auto& [agent, tool, arg] = key;
        RuleDraft d;
        d.title = "Agent " + agent + " calls " + tool + " with a value planted by an injection";
        d.description = "The " + tool + " call carried " + arg +
                        " values that reached the agent through injected content in this incident.";
        d.category = "tool_call";
        d.level = "critical";
        d.tags = {"atlas.aml.t0051", "atlas.aml.t0053"};
        d.selection = {{"type", {"tool_call"}},
                       {"agent", {agent}},
                       {"tool", {tool}},
                       {"arguments." + arg, {values.begin(), values.end()}}};
        d.falsePositives = {"a legitimate change of the counterparty that reused one of these values"};
        d.seed = "taint|" + agent + "|" + tool + "|" + arg;
        if (seeds.insert(d.seed).second) drafts.push_back(std::move(d));
    }

    // One rule per finding rule and agent, from the key event's SIEM-visible fields.
    for (const auto& f : report.findings) {
        if (f.events.empty()) continue;
        auto it = events.find(f.events.front());
        if (it == events.end()) continue;
        const Event& e = it->second;
        auto v = parser.parse(e.json);
        if (!v || !v->isObject()) continue;
        RuleDraft d;
        d.category = std::string(eventTypeName(e.type));
        d.level = sigmaLevel(f.severity);
        d.title = f.rule + ": " + e.agent + " (" + d.category + ")";
        d.description = f.summary;
        for (const auto& a : f.atlas) {
            std::string tag = "atlas." + a.id;
            std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return std::tolower(c); });
            d.tags.push_back(tag);
        }
        d.selection = {{"type", {d.category}}, {"agent", {e.agent}}};
        switch (e.type) {
        case EventType::ToolCall:
            d.selection.push_back({"tool", {e.tool}});
            break;
        case EventType::Retrieval:
            if (const Value* src = v->find("source"); src && src->isObject() && !src->str("uri").empty())
                d.selection.push_back({"source.uri", {std::string(src->str("uri"))}});
            break;
        case EventType::Egress:
            if (!v->str("dest").empty()) d.selection.push_back({"dest", {std::string(v->str("dest"))}});
            break;
        case EventType::IdentityChange:
            if (!v->str("to").empty()) d.selection.push_back({"to", {std::string(v->str("to"))}});
            if (!v->str("mechanism").empty()) d.selection.push_back({"mechanism", {std::string(v->str("mechanism"))}});
            break;
        case EventType::Kernel:
            if (!v->str("syscall").empty()) d.selection.push_back({"syscall", {std::string(v->str("syscall"))}});
            if (!v->str("signal").empty()) d.selection.push_back({"signal", {std::string(v->str("signal"))}});
            break;
        case EventType::Auth:
            if (!v->str("action").empty()) d.selection.push_back({"action", {std::string(v->str("action"))}});
            if (!v->str("outcome").empty()) d.selection.push_back({"outcome", {std::string(v->str("outcome"))}});
            break;
        default:
            break;
        }
        if (d.selection.size() <= 2 && e.type != EventType::Retrieval)
            continue; // nothing a SIEM could match on beyond the agent
        d.falsePositives = {"a legitimate use of the same " + d.category +
                            " by this agent; review against the incident"};
        d.seed = "finding|" + f.rule + "|";
        for (const auto& [k, vals] : d.selection)
            for (const auto& x : vals)
                d.seed += k + "=" + x + ";";
        if (seeds.insert(d.seed).second) drafts.push_back(std::move(d));
    }

    // Baseline rules: calls outside the (tightened) allowed tools and egress outside the allowed hosts.
    if (tightenedAgents) {
        if (const Value* list = tightenedAgents->find("agents"); list && list->isArray())
            for (const Value& a : list->items()) {
                const std::string agent(a.str("id"));
                if (const Value* tools = a.find("allowed_tools");
                    tools && tools->isArray() && !tools->items().empty()) {
                    RuleDraft d;
                    d.title = "Agent " + agent + " calls a tool outside its baseline";
                    d.description = "Least-privilege baseline exported after the incident: the tools " + agent +
                                    " used in its clean sessions.";
                    d.category = "tool_call";
                    d.level = "high";
                    d.tags = {"atlas.aml.t0053"};
                    d.selection = {{"type", {"tool_call"}}, {"agent", {agent}}};
                    std::vector<std::string> allowed;
                    for (const auto& t : stringSet(tools))
                        allowed.push_back(t);
                    d.filter = {{"tool", allowed}};
                    d.falsePositives = {"a tool added to the agent after this baseline was exported"};
                    d.seed = "baseline-tools|" + agent;
                    if (seeds.insert(d.seed).second) drafts.push_back(std::move(d));
                }
                if (const Value* eg = a.find("allowed_egress"); eg && eg->isArray() && !eg->items().empty()) {
                    RuleDraft d;
                    d.title = "Agent " + agent + " connects to a host outside its baseline";
                    d.description = "Least-privilege baseline exported after the incident: the hosts " + agent +
                                    " reached in its clean sessions.";
                    d.category = "egress";
                    d.level = "high";
                    d.tags = {"atlas.aml.t0025"};
                    d.selection = {{"type", {"egress"}}, {"agent", {agent}}};
                    std::vector<std::string> allowed;
                    for (const auto& t : stringSet(eg))
                        allowed.push_back(t);
                    d.filter = {{"dest|contains", allowed}};
                    d.falsePositives = {"a new legitimate dependency of the agent"};
                    d.seed = "baseline-egress|" + agent;
                    if (seeds.insert(d.seed).second) drafts.push_back(std::move(d));
                }
            }
    }

    std::vector<SigmaRule> out;
    std::set<std::string> names;
    for (const RuleDraft& d : drafts) {
        SigmaRule r;
        r.id = uuidOf(d.seed);
        r.title = d.title;
        std::string base = safeName(d.title);
        std::string name = base + ".yml";
        for (int i = 2; names.count(name); ++i)
            name = base + "-" + std::to_string(i) + ".yml";
        names.insert(name);
        r.fileName = name;
        r.yaml = renderRule(d, date);
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace chainsight::exercise
