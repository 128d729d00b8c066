// The streaming pass: every event once, in time order. Untrusted content puts its values into an index
// (first occurrence per scope, with whether the value sat inside injection language or an imperative
// sentence); each tool call looks its argument values up, so provenance costs one hash lookup per value
// and never a scan of earlier events. Baseline, identity and runtime checks run on the way.
#include "core/analysis/Engine.h"

#include "core/crypto/Crypto.h"

#include <algorithm>

namespace chainsight::analysis::detail {

namespace {
bool trustedChannel(std::string_view c)
{
    return c.empty() || c == "chat" || c == "api" || c == "cli" || c == "console" || c == "terminal" || c == "voice" ||
           c == "ui" || c == "app";
}

// Whose words a prompt carries, as far as the prompt says (a parent naming a delegation is for the engine to
// look up): another agent's, the user's or the system's, the assistant's own, or third-party content.
enum class Voice { OtherAgent, Trusted, Assistant, Inbound };
Voice promptVoice(const RawObject& v)
{
    const std::string source = v.str("source");
    if (source.rfind("agent:", 0) == 0 || source.rfind("agent/", 0) == 0) return Voice::OtherAgent;
    const std::string role = v.str("role");
    if ((role == "system" || role == "developer" || role == "user" || role.empty()) && trustedChannel(v.str("channel")))
        return Voice::Trusted;
    return role == "assistant" ? Voice::Assistant : Voice::Inbound;
}

bool privilegedScope(std::string_view s)
{
    for (std::string_view m : {"admin", "*", "root", "owner", "full", "superuser", "iam:", "sudo", "write", "delete", "manage", "all"})
        if (s.find(m) != std::string_view::npos) return true;
    return false;
}

bool readOnlyScopes(const std::set<std::string>& scopes)
{
    if (scopes.empty()) return false;
    for (const auto& s : scopes)
        if (privilegedScope(s) || !(s.find("read") != std::string::npos || s.find("view") != std::string::npos ||
                                    s.find("get") != std::string::npos || s.find("list") != std::string::npos || s.find("ro") == 0))
            return false;
    return true;
}

// "role/ReadOnlyInspector", "sa:viewer@x", "ro-reporting": a principal named read-only
bool readOnlyName(std::string_view name)
{
    const auto words = nameWords(name);
    for (size_t i = 0; i < words.size(); ++i) {
        if (words[i] == "readonly" || words[i] == "viewer" || words[i] == "ro") return true;
        if (words[i] == "read" && i + 1 < words.size() && words[i + 1] == "only") return true;
    }
    return false;
}

bool inSpans(const std::vector<Span>& spans, uint32_t offset)
{
    for (const Span& s : spans)
        if (offset >= s.begin && offset < s.end) return true;
    return false;
}

std::string argPathKey(const std::string& path)
{
    // "recipients/0" -> "recipients": approved values name arguments, not array positions
    std::string out;
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        std::string_view part(path.data() + start, slash - start);
        bool index = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!index && !part.empty()) {
            if (!out.empty()) out += '/';
            out.append(part);
        }
        start = slash + 1;
    }
    return out;
}

std::string lowerTrim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\'' || s.front() == '"')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\'' || s.back() == '"')) s.remove_suffix(1);
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

std::string hostOf(std::string_view dest)
{
    std::vector<Atom> atoms;
    extractAtoms(dest, atoms);
    for (const auto& a : atoms)
        if (a.kind == AtomKind::Host) return a.text;
    return lowerTrim(dest);
}

bool hostAllowed(const std::string& host, const std::unordered_set<std::string>& allowed)
{
    if (allowed.count(host)) return true;
    for (const auto& a : allowed) {
        std::string h = a;
        if (h.rfind("*.", 0) == 0) h.erase(0, 1);
        else h = "." + h;
        if (host.size() > h.size() && host.compare(host.size() - h.size(), h.size(), h) == 0) return true;
    }
    return false;
}
} // namespace

// ---- setup --------------------------------------------------------------------------------------------------
void ArgLeaf::reset()
{
    path.clear();
    key.clear();
    value.clear();
    lowered.clear();
    isString = false;
    atoms.clear();
    argAtoms.clear();
}

void CallFacts::reset()
{
    category = 0;
    hasArgs = writes = false;
    escape.clear();
    m_leaves.clear();
}

void Engine::callFacts(std::string_view tool, const RawValue* args, CallFacts& f)
{
    f.reset();
    f.category = classifyTool(tool, args);
    if (!args) return;
    f.hasArgs = true;
    f.writes = argumentsWrite(args);
    if (f.category & kExec) f.escape = escapeIndicator(args->raw());
    args->forEachLeaf([&](const std::string& path, const RawValue& v) {
        if (v.isNull()) return;
        ArgLeaf& leaf = f.addLeaf();
        leaf.path = path;
        leaf.key = argPathKey(path);
        leaf.value = v.text();
        leaf.lowered = lowerTrim(leaf.value);
        leaf.isString = v.isString();
        extractAtoms(leaf.value, leaf.atoms);
        argumentAtoms(leaf.value, leaf.argAtoms);
    });
}

Status Engine::load()
{
    auto baselines = m_store.baselines();
    if (!baselines) return baselines.error();
    m_baselineList = std::move(*baselines);
    for (const auto& b : m_baselineList) {
        BaselineIndex& idx = m_baselines[m_strings.id(b.id)];
        idx.baseline = &b;
        auto fill = [](std::unordered_set<std::string>& set, const std::optional<std::vector<std::string>>& list, bool lower) {
            if (list)
                for (const auto& x : *list) set.insert(lower ? lowerTrim(x) : x);
        };
        fill(idx.allowedTools, b.allowedTools, false);
        fill(idx.readOnlyTools, b.readOnlyTools, false);
        fill(idx.identities, b.identities, false);
        if (b.allowedEgress)
            for (const auto& x : *b.allowedEgress) idx.egress.insert(hostOf(x));
        if (b.approvedValues)
            for (const auto& [key, values] : *b.approvedValues) {
                const size_t slash = key.find('/');
                const std::string head = key.substr(0, slash);
                const size_t dot = head.rfind('.');
                if (dot == std::string::npos) continue;
                auto& set = idx.approved[key.substr(0, dot)][key.substr(dot + 1)];
                for (const auto& v : values) set.insert(lowerTrim(v));
            }
    }
    // Streamed: only BLOCK decisions are kept whole (for the burst check); of the rest, what they cover.
    return store::scanDecisions(m_store, [&](const store::DecisionView& d) {
        if (d.verdict == Verdict::Block)
            m_blocks.push_back({d.bundle, d.tsNs, std::string(d.agent), std::string(d.session), std::string(d.event)});
        if (!d.session.empty()) m_decidedSessions.insert(m_strings.id(d.session));
        if (!d.agent.empty()) {
            auto [it, fresh] = m_decidedAgents.try_emplace(m_strings.id(d.agent), d.tsNs, d.tsNs);
            if (!fresh) {
                it->second.first = std::min(it->second.first, d.tsNs);
                it->second.second = std::max(it->second.second, d.tsNs);
            }
        }
        if (d.event.empty()) return;
        m_keyBuf = std::to_string(d.bundle);
        m_keyBuf += '\x1f';
        m_keyBuf += d.event;
        auto [verdict, fresh] = m_decisionByEvent.tryEmplace(m_keyBuf);
        if (fresh || d.verdict == Verdict::Block) *verdict = d.verdict; // the most restrictive wins
    });
}

void Engine::addBom(uint32_t agent, char kind, uint32_t value)
{
    // Most events repeat what their agent already loaded: one hash probe each (the AI-BOM is sorted at the end).
    m_bom[static_cast<unsigned char>(kind) & 0x7F].insert(static_cast<uint64_t>(agent) << 32 | value);
}

SessionState& Engine::session(uint32_t name)
{
    auto [it, fresh] = m_sessions.try_emplace(name);
    if (fresh) it->second.name = name;
    return it->second;
}

BaselineIndex* Engine::baselineOf(uint32_t agent)
{
    auto it = m_baselines.find(agent);
    return it == m_baselines.end() ? nullptr : &it->second;
}

const std::string& Engine::scopedKey(char tag, uint32_t scope, std::string_view atom)
{
    m_keyBuf.clear();
    m_keyBuf += tag;
    m_keyBuf.append(reinterpret_cast<const char*>(&scope), sizeof scope);
    m_keyBuf.append(atom);
    return m_keyBuf;
}

IndexEntry* Engine::findEntry(char tag, uint32_t scope, std::string_view atom)
{
    return m_index.find(scopedKey(tag, scope, atom));
}

std::string Engine::textOf(const RawValue& c)
{
    if (c.isString()) return c.text();
    if (!c.exists() || c.isNull()) return {};
    return std::string(c.raw());
}

std::string Engine::textOf(const RawObject& v, std::string_view key, std::string_view blobKey)
{
    if (const RawValue c = v.find(key); c.exists() && !c.isNull()) return textOf(c);
    if (!blobKey.empty()) {
        const std::string sha = v.str(blobKey);
        if (!sha.empty()) {
            auto blob = m_store.blob(sha);
            if (blob && *blob) return std::move(**blob);
        }
    }
    return {};
}

std::string_view Engine::fieldText(const RawObject& v, std::string_view key, std::string& own, std::string_view blobKey)
{
    if (m_prepared)
        for (const TextFacts& t : m_prepared->texts())
            if (t.field == key) return t.text;
    own = textOf(v, key, blobKey);
    return own;
}

void Engine::addFinding(RawFinding f)
{
    if (f.events.size() > m_options.maxFindingEvents) f.events.resize(m_options.maxFindingEvents);
    m_findings.push_back(std::move(f));
}

std::set<std::string> Engine::scopesOf(const RawObject& v) const
{
    std::set<std::string> out;
    v.find("scopes").forEachItem([&](const RawValue& item) {
        if (item.isString()) out.insert(lowerTrim(item.text()));
        return true;
    });
    return out;
}

// ---- read ahead -------------------------------------------------------------------------------------------
namespace {
void scanText(TextFacts& t, uint8_t what)
{
    t.have = what;
    if (what & TextFacts::Scan) t.scan = scanInjection(t.text);
    if (what & (TextFacts::Atoms | TextFacts::Directives)) extractAtoms(t.text, t.atoms);
    if ((what & TextFacts::Directives) && (!t.atoms.empty() || t.scan.flagged())) t.directives = directiveSentences(t.text);
    if (what & TextFacts::Words) extractWords(t.text, 0, static_cast<uint32_t>(t.text.size()), t.words);
    if (what & TextFacts::Bypass) t.bypass = scanBypass(t.text);
}
} // namespace

void TextFacts::reset()
{
    have = 0;
    field = {};
    text.clear();
    scan.weight = 0;
    scan.groups = 0;
    scan.hits.clear();
    scan.phrases.clear();
    atoms.clear();
    directives.clear();
    words.clear();
    bypass.clear();
}

void Engine::prepare(const store::EventView& e, std::unique_ptr<store::EventExtra>& slot)
{
    auto* p = dynamic_cast<PreparedEvent*>(slot.get());
    if (!p) {
        slot = std::make_unique<PreparedEvent>();
        p = static_cast<PreparedEvent*>(slot.get());
    }
    p->reset();
    p->obj.parse(e.json);
    if (!p->obj.valid()) return;
    const RawObject& v = p->obj;
    // The texts the handlers below read, with what they ask of each (content kept in a blob is left to them).
    auto add = [&](std::string_view text, uint8_t what, std::string_view field = {}) {
        if (text.empty()) return;
        TextFacts& t = p->addText();
        t.text.assign(text);
        t.field = field;
        scanText(t, what);
    };
    // A field's own text, tagged with its key for fieldText. Left out or null, it reads as empty and is not
    // added, so a tagged text is always the field's value, never a blob the handler would fetch instead.
    auto addField = [&](std::string_view key, uint8_t what) { add(textOf(v.find(key)), what, key); };
    constexpr uint8_t untrusted = TextFacts::Scan | TextFacts::Atoms | TextFacts::Directives;
    switch (e.type) {
    case EventType::Prompt: {
        const Voice voice = promptVoice(v);
        uint8_t what = untrusted;
        if (voice == Voice::Trusted) what = TextFacts::Atoms | TextFacts::Words;
        else if (voice == Voice::Assistant) what = TextFacts::Atoms;
        if (!v.str("parent").empty()) what |= untrusted; // it may name a delegation, whose content is carried
        addField("content", what);
        break;
    }
    case EventType::Retrieval:
    case EventType::MemoryWrite:
    case EventType::MemorySnapshot: addField("content", untrusted); break;
    case EventType::Delegation: addField("payload", untrusted); break;
    case EventType::ToolResult: {
        const RawValue err = v.find("error");
        if (!err.isString()) {
            addField("output", untrusted);
            break;
        }
        add(textOf(v.find("output")) + "\n" + err.text(), untrusted); // with its error: a text of its own, untagged
        break;
    }
    case EventType::ToolCall: {
        const RawValue args = v.find("arguments");
        callFacts(e.tool, args.isObject() ? &args : nullptr, p->call);
        p->isCall = true;
        break;
    }
    case EventType::LlmOutput:
        for (const char* key : {"reasoning", "tool_rationale", "content"}) addField(key, TextFacts::Atoms | TextFacts::Bypass);
        break;
    default: break;
    }
}

const TextFacts& Engine::textFacts(std::string_view text, uint8_t need)
{
    if (m_prepared)
        for (const TextFacts& t : m_prepared->texts())
            if ((t.have & need) == need && t.text.size() == text.size() && (t.text.data() == text.data() || t.text == text)) return t;
    m_scratch.reset();
    m_scratch.text.assign(text);
    scanText(m_scratch, need);
    return m_scratch;
}

// ---- indexing -----------------------------------------------------------------------------------------------
bool Engine::inheritMemory(SessionState& s, const Atom& a)
{
    // A value recalled from memory another session wrote keeps the provenance it had there.
    const IndexEntry* mem = findEntry('M', 0, a.text);
    if (!mem || mem->via < 0 || m_events[mem->via].session == s.name || mem->untrusted < 0) return false;
    if (mem->trusted >= 0 && mem->trusted <= mem->untrusted) return false;
    const IndexEntry copy = *mem;
    IndexEntry& e = m_index[scopedKey('S', s.name, a.text)];
    if (e.untrusted >= 0 || e.trusted >= 0) return false;
    e.untrusted = copy.untrusted;
    e.injected = copy.injected;
    e.firstDirective = copy.firstDirective;
    e.injectedDirective = copy.injectedDirective;
    e.via = copy.via;
    e.kind = a.kind;
    return true;
}

void Engine::indexTrusted(int32_t ev, SessionState& s, std::string_view text)
{
    const TextFacts& f = textFacts(text, TextFacts::Atoms | TextFacts::Words);
    for (const std::vector<Atom>* list : {&f.atoms, &f.words})
        for (const Atom& a : *list) {
            if (a.kind != AtomKind::Word && inheritMemory(s, a)) continue; // recalled from memory, not said by the user
            IndexEntry& e = m_index[scopedKey('S', s.name, a.text)];
            if (e.trusted < 0) e.trusted = ev;
            if (e.kind == AtomKind::Word) e.kind = a.kind;
            if (isDestinationKind(a.kind) && s.trustedDestinations.size() < 64) s.trustedDestinations.emplace_back(a.kind, a.text);
        }
}

void Engine::indexAgent(int32_t ev, SessionState& s, std::string_view text)
{
    for (const Atom& a : textFacts(text, TextFacts::Atoms).atoms) {
        IndexEntry& e = m_index[scopedKey('S', s.name, a.text)];
        if (e.agent < 0) e.agent = ev;
    }
}

void Engine::indexUntrusted(int32_t ev, SessionState& s, std::string_view text, uint32_t kind)
{
    if (text.size() < 3) return;
    const TextFacts& f = textFacts(text, TextFacts::Scan | TextFacts::Atoms | TextFacts::Directives);
    const InjectionScan& scan = f.scan;
    const std::vector<Atom>& atoms = f.atoms;
    if (atoms.empty() && !scan.flagged()) return;
    const std::vector<Span> regions = scan.flagged() ? scan.regions(text.size()) : std::vector<Span>();
    const std::vector<Span>& directives = f.directives;
    SourceInfo& info = m_sources[ev];
    info.kind = kind;
    info.flagged = scan.flagged();
    info.weight = scan.weight;
    if (!scan.phrases.empty()) info.phrase = scan.phrases.front();
    for (const Atom& a : atoms) {
        inheritMemory(s, a);
        IndexEntry& e = m_index[scopedKey('S', s.name, a.text)];
        e.kind = a.kind;
        const bool dir = inSpans(directives, a.offset);
        if (e.untrusted < 0) {
            e.untrusted = ev;
            e.firstDirective = dir;
        }
        if (e.injected < 0 && inSpans(regions, a.offset)) {
            e.injected = ev;
            e.injectedDirective = dir;
        }
    }
    if (!scan.flagged()) return;
    s.injectionSources.push_back(ev);
    // Inside injection language, even a plain word or a short id can be dictated ("delete file 13",
    // "invite Fred"): index the words of the imperative sentences that sit in an injection region.
    m_atoms.clear();
    for (const Span& d : directives)
        if (inSpans(regions, d.begin) || inSpans(regions, d.end > 0 ? d.end - 1 : 0)) extractWords(text, d.begin, d.end, m_atoms);
    for (const Atom& a : m_atoms) {
        IndexEntry& e = m_index[scopedKey('R', s.name, a.text)];
        if (e.untrusted < 0) {
            e.untrusted = ev;
            e.injected = ev;
            e.firstDirective = e.injectedDirective = true;
        }
    }
}

void Engine::carry(int32_t ev, SessionState& from, char tag, uint32_t scope, std::string_view text)
{
    const TextFacts& f = textFacts(text, TextFacts::Scan | TextFacts::Atoms | TextFacts::Directives);
    const InjectionScan& scan = f.scan;
    const std::vector<Span> regions = scan.flagged() ? scan.regions(text.size()) : std::vector<Span>();
    const std::vector<Span>& directives = f.directives;
    if (scan.flagged()) {
        SourceInfo& info = m_sources[ev];
        info.flagged = true;
        info.weight = scan.weight;
        if (!scan.phrases.empty()) info.phrase = scan.phrases.front();
        info.kind = m_strings.id(tag == 'M' ? "memory" : "delegation");
    }
    const std::vector<Atom>& atoms = f.atoms;
    if (!atoms.empty() && m_sources[ev].kind == kNone) m_sources[ev].kind = m_strings.id(tag == 'M' ? "memory" : "delegation");
    for (const Atom& a : atoms) {
        const IndexEntry* src = findEntry('S', from.name, a.text);
        IndexEntry copy = src ? *src : IndexEntry();
        IndexEntry& e = m_index[scopedKey(tag, scope, a.text)];
        e.kind = a.kind;
        if (copy.trusted >= 0 && (copy.untrusted < 0 || copy.trusted < copy.untrusted)) {
            if (e.trusted < 0) e.trusted = ev;
            continue;
        }
        const bool tainted = copy.untrusted >= 0 && !(copy.agent >= 0 && copy.agent < copy.untrusted);
        if (e.untrusted >= 0) continue; // the first carrier wins
        e.via = ev;
        if (tainted) {
            e.untrusted = copy.untrusted;
            e.injected = copy.injected;
            e.firstDirective = copy.firstDirective;
            e.injectedDirective = copy.injectedDirective;
        } else {
            e.untrusted = ev;
            e.firstDirective = inSpans(directives, a.offset);
        }
        if (inSpans(regions, a.offset) && e.injected < 0) {
            e.injected = ev;
            e.injectedDirective = inSpans(directives, a.offset);
        }
    }
    if (scan.flagged()) {
        m_atoms.clear();
        for (const Span& d : directives)
            if (inSpans(regions, d.begin)) extractWords(text, d.begin, d.end, m_atoms);
        const char wordTag = tag == 'S' ? 'R' : static_cast<char>(tag + 32); // 'm' / 'a': dictated words carried
        for (const Atom& a : m_atoms) {
            IndexEntry& e = m_index[scopedKey(wordTag, scope, a.text)];
            if (e.untrusted < 0) {
                e.untrusted = e.injected = ev;
                e.via = ev;
                e.firstDirective = e.injectedDirective = true;
            }
        }
    }
}

// ---- events ---------------------------------------------------------------------------------------------------
void Engine::onEvent(const store::EventView& e)
{
    const int32_t ev = static_cast<int32_t>(m_events.size());
    EvRec r;
    r.ts = e.tsNs;
    r.idOff = static_cast<uint32_t>(m_ids.size());
    r.idLen = static_cast<uint16_t>(std::min<size_t>(e.id.size(), 0xFFFF));
    r.type = e.type;
    r.session = m_strings.id(e.session);
    m_ids.append(e.id.data(), r.idLen);
    m_events.push_back(r);

    SessionState& s = session(r.session);
    if (!s.seen) {
        s.seen = true;
        s.agent = m_strings.id(e.agent);
        s.firstTs = e.tsNs;
        s.hasDecisions = m_decidedSessions.count(s.name) > 0;
        m_sessionOrder.push_back(s.name);
    }
    s.lastTs = e.tsNs;
    ++s.events;
    if (const Artifact a = artifactOf(e.type); a != Artifact::None) s.artifacts |= static_cast<uint8_t>(1u << static_cast<int>(a));

    // Every extra comes from Engine::prepare (analyzeCase hands it to the read-ahead), so no dynamic_cast
    // on every event.
    m_prepared = static_cast<const PreparedEvent*>(e.extra);
    if (!m_prepared) m_obj.parse(e.json);
    const RawObject& v = m_prepared ? m_prepared->obj : m_obj;
    if (!v.valid()) return; // the importer validated it; a row that no longer parses is the verifier's business
    if (s.events == 1) {
        if (const RawValue meta = v.find("session_metadata"); meta.isObject()) s.metadata = std::string(meta.raw());
    }
    if (!e.identity.empty()) onIdentity(ev, s, e.identity);

    switch (e.type) {
    case EventType::Prompt: onPrompt(ev, s, v); break;
    case EventType::Retrieval: onRetrieval(ev, s, v); break;
    case EventType::ToolCall: onToolCall(ev, e, s, v); break;
    case EventType::ToolResult: onToolResult(ev, e, s, v); break;
    case EventType::IdentityChange: onIdentityChange(ev, s, v); break;
    case EventType::Delegation: onDelegation(ev, s, v); break;
    case EventType::LlmOutput: onLlmOutput(ev, s, v); break;
    case EventType::MemoryWrite: onMemoryWrite(ev, s, v); break;
    case EventType::MemorySnapshot: {
        if (const std::string st = v.str("store"); !st.empty()) addBom(s.agent, 'M', m_strings.id(st));
        std::string own;
        indexUntrusted(ev, s, fieldText(v, "content", own), m_strings.id("memory_snapshot"));
        break;
    }
    case EventType::Egress: onEgress(ev, s, v); break;
    case EventType::Auth: onAuth(ev, s, v); break;
    case EventType::Kernel: onKernel(ev, e, s, v); break;
    }
}

void Engine::onIdentity(int32_t ev, SessionState& s, std::string_view identity)
{
    const uint32_t id = m_strings.id(identity);
    s.identity = id;
    if (s.identityFact && s.identityFactId == id) { // as on the session's last event: only the time moves
        *s.identityFact = m_events[ev].ts;
        return;
    }
    s.artifacts |= static_cast<uint8_t>(1u << static_cast<int>(Artifact::IdentityAssumptions));
    s.identityFact = &(s.facts[{'I', id}] = m_events[ev].ts);
    s.identityFactId = id;
    addBom(s.agent, 'I', id);
    BaselineIndex* b = baselineOf(s.agent);
    if (b && b->baseline->identities && !b->identities.count(std::string(identity)) && m_flaggedIdentities.insert({s.name, id}).second) {
        RawFinding f;
        f.rule = "identity_not_in_baseline";
        f.severity = Severity::Medium;
        f.summary = "agent acted as \"" + std::string(identity) + "\", which its baseline does not list";
        f.events = {ev};
        f.atlas = {"AML.T0012"};
        f.session = s.name;
        f.supports = RawFinding::Supports::Privilege;
        addFinding(std::move(f));
    }
}

void Engine::onPrompt(int32_t ev, SessionState& s, const RawObject& v)
{
    const std::string role = v.str("role");
    std::string own;
    const std::string_view content = fieldText(v, "content", own);
    const Voice voice = promptVoice(v);
    // A task handed over by another agent, rendered as a prompt: the delegation's content, not the user's.
    auto delegated = m_delegations.end();
    if (const std::string parent = v.str("parent"); !parent.empty()) delegated = m_delegations.find(std::string(parent));
    if (delegated != m_delegations.end() || voice == Voice::OtherAgent) {
        if (delegated != m_delegations.end()) carry(delegated->second.first, session(delegated->second.second), 'S', s.name, content);
        else indexUntrusted(ev, s, content, m_strings.id("inbound:agent"));
        s.intent |= intentCategories(content);
        s.hasUserPrompt = true;
        return;
    }
    if (voice == Voice::Trusted) {
        indexTrusted(ev, s, content);
        if (role == "user" || role.empty()) {
            s.hasUserPrompt = true;
            s.intent |= intentCategories(content);
        }
    } else if (voice == Voice::Assistant) {
        indexAgent(ev, s, content);
    } else {
        // inbound e-mail, tickets, web forms, tool messages: third-party content
        std::string kind = "inbound:" + std::string(v.str("channel").empty() ? role : v.str("channel"));
        indexUntrusted(ev, s, content, m_strings.id(kind));
    }
}

void Engine::onRetrieval(int32_t ev, SessionState& s, const RawObject& v)
{
    std::string kind = "retrieval", uri, toolName;
    if (const RawValue src = v.find("source"); src.isObject()) {
        if (const std::string k = src.str("kind"); !k.empty()) kind += ":" + k;
        uri = src.str("uri");
        toolName = src.str("id");
    } else if (src.isString()) {
        uri = src.text();
    }
    std::string own;
    const std::string_view content = fieldText(v, "content", own);
    if (!uri.empty()) {
        const uint32_t u = m_strings.id(uri);
        s.facts[{'R', u}] = m_events[ev].ts;
        addBom(s.agent, 'R', u);
    }
    if (kind == "retrieval:mcp_tool_description") {
        if (toolName.empty()) {
            const size_t cut = uri.find_last_of("/:");
            toolName = cut == std::string::npos ? uri : uri.substr(cut + 1);
        }
        const std::string blobSha = v.str("blob");
        const std::string hash = !blobSha.empty() ? blobSha : crypto::sha256Hex(content);
        const uint32_t tool = m_strings.id(toolName);
        BaselineIndex* b = baselineOf(s.agent);
        std::string expected;
        if (b && b->baseline->toolDescriptions) {
            auto it = b->baseline->toolDescriptions->find(toolName);
            if (it != b->baseline->toolDescriptions->end()) expected = it->second;
        }
        auto [seen, fresh] = m_toolDescriptions.try_emplace({s.agent, tool}, hash);
        const bool changedFromBaseline = !expected.empty() && lowerTrim(expected) != hash;
        const bool changedInCase = !fresh && seen->second != hash;
        if (changedFromBaseline || changedInCase) {
            m_changedDescriptionSources[ev] = true;
            RawFinding f;
            f.rule = "tool_description_changed";
            f.severity = changedFromBaseline ? Severity::High : Severity::Medium;
            f.summary = "description of tool \"" + toolName + "\" hashes to " + hash.substr(0, 12) + "…, " +
                        (changedFromBaseline ? "not the " + expected.substr(0, 12) + "… it was deployed with" : "unlike earlier in the case");
            f.events = {ev};
            f.atlas = {"AML.T0110", "AML.T0109"};
            f.session = s.name;
            addFinding(std::move(f));
            seen->second = hash;
        }
    }
    indexUntrusted(ev, s, content, m_strings.id(kind));
}

int Engine::scoreEdge(const EdgeRec& e, const CallRec& c, const SessionState& s, bool violation, bool substitution) const
{
    int sc = 0;
    if (e.injected) sc += e.directive ? 3 : 2;
    else {
        if (e.sourceFlagged) sc += 1;
        if (e.directive) sc += 1;
    }
    if (e.destination) sc += 1;
    if (substitution) sc += 2;
    if (violation) sc += 3;
    if (m_changedDescriptionSources.count(e.source)) sc += 3;
    const uint16_t sink = c.category & kSinkMask;
    if (s.hasUserPrompt && sink && (sink & s.intent) == 0) sc += 1;
    if (s.bypassEvent >= 0) sc += 1;
    if (e.via >= 0) sc += 1;
    return sc;
}

void Engine::checkArguments(CallRec& call, SessionState& s, const CallFacts& facts, BaselineIndex* b, std::string_view tool)
{
    if (!facts.hasArgs) return;
    const bool sink = (call.category & kSinkMask) != 0;
    const auto* approved = [&]() -> const std::map<std::string, std::unordered_set<std::string>>* {
        if (!b) return nullptr;
        auto it = b->approved.find(std::string(tool));
        return it == b->approved.end() ? nullptr : &it->second;
    }();
    std::unordered_set<std::string> violating; // values outside the baseline (whole, lower-case, and their atoms)
    // baseline: approved values and allowed egress
    for (const ArgLeaf& leaf : facts.leaves()) {
        const std::string& key = leaf.key;
        const std::string& value = leaf.value;
        if (approved) {
            auto it = approved->find(key);
            if (it != approved->end() && !it->second.count(leaf.lowered)) {
                violating.insert(leaf.lowered);
                RawFinding f;
                f.rule = "value_not_approved";
                f.severity = sink ? Severity::High : Severity::Medium;
                f.summary = std::string(tool) + "." + key + " = \"" + value.substr(0, 80) + "\" is not among the baseline's approved values";
                f.events = {call.ev};
                f.atlas = {"AML.T0053"};
                if (call.category & kMoney) f.atlas.push_back("AML.T0048.000");
                f.session = s.name;
                addFinding(std::move(f));
            }
        }
        if (b && b->baseline->allowedEgress && (call.category & kEgress)) {
            for (const Atom& a : leaf.atoms) {
                if (a.kind != AtomKind::Host) continue;
                if (hostAllowed(a.text, b->egress)) continue;
                violating.insert(a.text);
                RawFinding f;
                f.rule = "egress_not_allowed";
                f.severity = Severity::High;
                f.summary = std::string(tool) + " reaches " + a.text + ", outside the agent's allowed egress";
                f.events = {call.ev};
                f.atlas = {"AML.T0086", "AML.T0025"};
                f.session = s.name;
                addFinding(std::move(f));
                break;
            }
        }
    }
    // provenance of every value
    for (const ArgLeaf& leaf : facts.leaves()) {
        const std::string& path = leaf.path;
        const std::string& value = leaf.value;
        const std::string& key = leaf.key;
        for (const Atom& a : leaf.argAtoms) {
            if (approved) {
                auto it = approved->find(key);
                if (it != approved->end() && (it->second.count(a.text) || it->second.count(leaf.lowered))) continue;
            }
            if (b && (b->identities.count(a.text) || (a.kind == AtomKind::Host && hostAllowed(a.text, b->egress)))) continue;
            const IndexEntry* local = findEntry('S', s.name, a.text);
            if (local && local->trusted >= 0) continue; // the user or the system asked for it
            const IndexEntry* hit = nullptr;
            if (a.kind == AtomKind::Word) {
                // plain words count only when injection language dictated them
                hit = findEntry('R', s.name, a.text);
                if (!hit) hit = findEntry('a', s.agent, a.text);
                if (!hit) {
                    hit = findEntry('m', 0, a.text);
                    if (hit && hit->via >= 0 && m_events[hit->via].session == s.name) hit = nullptr;
                }
            } else if (local && local->untrusted >= 0 && !(local->agent >= 0 && local->agent < local->untrusted)) {
                hit = local;
            } else {
                hit = findEntry('A', s.agent, a.text);
                if (hit && hit->trusted >= 0) continue;
                if (!hit || hit->untrusted < 0) {
                    const IndexEntry* mem = findEntry('M', 0, a.text);
                    if (mem && mem->trusted >= 0) continue;
                    if (mem && mem->untrusted >= 0 && mem->via >= 0 && m_events[mem->via].session != s.name) hit = mem;
                    else hit = nullptr;
                }
            }
            if (!hit || hit->untrusted < 0) continue;
            EdgeRec e;
            e.action = call.ev;
            e.injected = hit->injected >= 0;
            e.source = e.injected ? hit->injected : hit->untrusted;
            e.directive = e.injected ? hit->injectedDirective : hit->firstDirective;
            e.via = hit->via;
            e.value = m_strings.id(a.text);
            e.argument = m_strings.id(path);
            e.kind = a.kind;
            // where the call sends things: a destination argument, or a value that is nothing but an address
            e.destination = isDestinationKey(path) ||
                            ((a.kind == AtomKind::Email || a.kind == AtomKind::Url || a.kind == AtomKind::Host) && value.size() <= a.text.size() + 12);
            auto src = m_sources.find(e.source);
            e.sourceFlagged = src != m_sources.end() && src->second.flagged;
            bool substitution = false;
            // the user named a recipient or account of this kind, and this destination argument holds another
            if (isDestinationKey(path) && (a.kind == AtomKind::Email || a.kind == AtomKind::Account)) {
                for (const auto& [k, text] : s.trustedDestinations)
                    if (k == a.kind && text != a.text) substitution = true;
            }
            const bool violation = violating.count(a.text) || violating.count(leaf.lowered);
            e.score = scoreEdge(e, call, s, violation, substitution);
            e.harmful = sink && e.score >= 4;
            const int idx = static_cast<int>(m_edges.size());
            m_edges.push_back(e);
            if (call.firstEdge < 0) call.firstEdge = idx;
            if (e.score > call.bestScore || call.bestEdge < 0) {
                call.bestScore = e.score;
                call.bestEdge = idx;
            }
            if (e.harmful) call.harmful = true;
        }
    }
    // the agent now knows these values itself
    for (const ArgLeaf& leaf : facts.leaves()) {
        for (const Atom& a : leaf.atoms) {
            IndexEntry& e = m_index[scopedKey('S', s.name, a.text)];
            if (e.agent < 0) e.agent = call.ev;
        }
    }
}

void Engine::onToolCall(int32_t ev, const store::EventView& e, SessionState& s, const RawObject& v)
{
    CallRec call;
    call.ev = ev;
    const std::string toolName(e.tool);
    call.tool = m_strings.id(toolName);
    call.session = s.name;
    call.agent = s.agent;
    call.identity = s.identity;
    const CallFacts* cf = m_prepared && m_prepared->isCall ? &m_prepared->call : nullptr;
    if (!cf) {
        const RawValue argsValue = v.find("arguments");
        callFacts(e.tool, argsValue.isObject() ? &argsValue : nullptr, m_callFacts);
        cf = &m_callFacts;
    }
    call.category = cf->category;
    BaselineIndex* b = baselineOf(s.agent);

    if (b && b->readOnlyTools.count(toolName)) {
        // the baseline vouches for the name; a write shows in the arguments (a DELETE through db.query)
        if (cf->writes) {
            call.privilegeHarm = true;
            call.reasons.push_back("read-only tool " + toolName + " used to change something");
            RawFinding f;
            f.rule = "read_only_write";
            f.severity = Severity::High;
            f.summary = "read-only tool \"" + toolName + "\" called with write semantics";
            f.events = {ev};
            f.atlas = {"AML.T0053"};
            f.session = s.name;
            f.supports = RawFinding::Supports::Privilege;
            addFinding(std::move(f));
        } else {
            call.category = kRead;
        }
    }
    if (b && b->baseline->allowedTools && !b->allowedTools.count(toolName)) {
        const bool sink = (call.category & kSinkMask) != 0;
        if (sink) {
            call.privilegeHarm = true;
            call.reasons.push_back("tool " + toolName + " is outside the agent's allowed tools");
        }
        RawFinding f;
        f.rule = "tool_not_allowed";
        f.severity = sink ? Severity::High : Severity::Medium;
        f.summary = "tool \"" + toolName + "\" is not in the agent's allowed tools";
        f.events = {ev};
        f.atlas = {"AML.T0053"};
        f.session = s.name;
        f.supports = sink ? RawFinding::Supports::Privilege : RawFinding::Supports::Nothing;
        addFinding(std::move(f));
    }
    if (call.identity != kNone && (call.category & (kWrite | kDelete | kMoney | kPermission))) {
        // Scopes are often per resource (a read-only warehouse role may still publish a dashboard): a
        // deviation to look at, not by itself a crossed boundary.
        auto it = m_roleScopes.find(call.identity);
        if ((it != m_roleScopes.end() && readOnlyScopes(it->second)) || (it == m_roleScopes.end() && readOnlyName(m_strings.str(call.identity)))) {
            RawFinding f;
            f.rule = "read_only_identity_write";
            f.severity = Severity::Medium;
            f.summary = toolName + " changes something under read-only identity \"" + m_strings.str(call.identity) + "\"";
            f.events = {ev};
            f.atlas = {"AML.T0053", "AML.T0012"};
            f.session = s.name;
            f.supports = RawFinding::Supports::Nothing;
            addFinding(std::move(f));
        }
    }
    if (auto el = m_elevated.find(s.name); el != m_elevated.end() && call.identity == el->second.first && (call.category & kSinkMask)) {
        call.privilegeHarm = true;
        call.reasons.push_back("done as " + m_strings.str(call.identity) + " after the identity was broadened");
    }
    if ((call.category & kExec) && cf->hasArgs) {
        const std::string& indicator = cf->escape;
        if (!indicator.empty()) {
            call.runtimeHarm = true;
            call.reasons.push_back("command reaches for the host (" + indicator + ")");
            RawFinding f;
            f.rule = "sandbox_escape_command";
            f.severity = Severity::Critical;
            f.summary = toolName + " runs a command that reaches for the host: " + indicator;
            f.events = {ev};
            f.atlas = {"AML.T0105", "AML.T0050"};
            f.session = s.name;
            f.supports = RawFinding::Supports::Runtime;
            addFinding(std::move(f));
        }
    }
    const std::string key = std::to_string(e.bundle) + '\x1f' + std::string(e.id);
    if (const Verdict* d = m_decisionByEvent.find(key)) {
        call.hasDecision = true;
        call.decision = *d;
    }

    checkArguments(call, s, *cf, b, toolName);

    // facts: what was called, where things went
    s.facts[{'T', call.tool}] = e.tsNs;
    addBom(s.agent, 'T', call.tool);
    if (const std::string server = v.str("server"); !server.empty()) {
        const uint32_t sv = m_strings.id(server);
        s.facts[{'S', sv}] = e.tsNs;
        addBom(s.agent, 'S', sv);
    }
    if (call.category & kSinkMask) {
        for (const ArgLeaf& leaf : cf->leaves()) {
            if (!leaf.isString) continue;
            for (const Atom& a : leaf.atoms)
                if (isDestinationKey(leaf.path) || a.kind == AtomKind::Email || a.kind == AtomKind::Url || a.kind == AtomKind::Host)
                    s.facts[{'D', m_strings.id(a.text)}] = e.tsNs;
            if (leaf.atoms.empty() && isDestinationKey(leaf.path) && leaf.value.size() <= 80) s.facts[{'D', m_strings.id(leaf.value)}] = e.tsNs;
        }
    } else {
        s.facts[{'R', m_strings.id("tool:" + toolName)}] = e.tsNs; // data read through a tool
    }
    auto& bucket = m_callVolume[s.agent][e.tsNs / (300LL * 1000000000LL)];
    if (bucket.first++ == 0) bucket.second = ev;

    const int32_t idx = static_cast<int32_t>(m_calls.size());
    m_callByKey[key] = idx;
    if (!e.callId.empty()) s.callsById[e.callId] = idx;
    s.callsById["\x1f" + std::string(e.id)] = idx;
    s.calls.push_back(idx);
    m_calls.push_back(std::move(call));
}

void Engine::onToolResult(int32_t ev, const store::EventView& e, SessionState& s, const RawObject& v)
{
    const int32_t* callIdx = s.callsById.find(e.callId);
    if (!callIdx && !e.parent.empty()) callIdx = s.callsById.find("\x1f" + std::string(e.parent));
    std::string tool(e.tool);
    if (callIdx) {
        CallRec& c = m_calls[*callIdx];
        if (c.result < 0) {
            c.result = ev;
            const std::string status = v.str("status");
            const RawValue http = v.find("http_status");
            c.resultOk = status == "ok" || status == "success" || (status.empty() && (!http.exists() || (http.isNumber() && http.asInt() < 400)));
        }
        if (tool.empty()) tool = m_strings.str(c.tool);
    }
    std::string own;
    std::string_view output;
    if (const RawValue err = v.find("error"); err.isString()) {
        own = textOf(v, "output") + "\n" + err.text(); // as prepare() made it, untagged
        output = own;
    } else {
        output = fieldText(v, "output", own);
    }
    indexUntrusted(ev, s, output, m_strings.id("tool_output" + (tool.empty() ? std::string() : ":" + tool)));
}

void Engine::onIdentityChange(int32_t ev, SessionState& s, const RawObject& v)
{
    const std::string from = v.str("from"), to = v.str("to"), mechanism = v.str("mechanism");
    const std::set<std::string> scopes = scopesOf(v);
    const uint32_t toId = m_strings.id(to);
    std::set<std::string> previous;
    for (const uint32_t id : {from.empty() ? kNone : m_strings.id(from), s.identity})
        if (id != kNone)
            if (auto it = m_identityScopes.find(id); it != m_identityScopes.end() && previous.empty()) previous = it->second;
    std::vector<std::string> why;
    BaselineIndex* b = baselineOf(s.agent);
    const bool baselineIdentities = b && b->baseline->identities;
    // With a baseline of identities, moving between them is the agent's normal life; without one, any
    // privileged scope gained is the boundary.
    if (baselineIdentities && !to.empty() && !b->identities.count(to)) {
        why.push_back(to + " is not a baseline identity");
        for (const auto& sc : scopes)
            if (privilegedScope(sc) && !previous.count(sc)) {
                why.push_back("gains scope " + sc);
                break;
            }
    } else if (!baselineIdentities) {
        for (const auto& sc : scopes)
            if (privilegedScope(sc) && !previous.count(sc)) {
                why.push_back("gains scope " + sc);
                break;
            }
    }
    if (mechanism == "impersonation") why.push_back("by impersonation");
    if (!scopes.empty()) {
        m_identityScopes[toId] = scopes;
        m_roleScopes[toId] = scopes;
    }
    if (!to.empty()) {
        s.identity = toId;
        s.facts[{'I', toId}] = m_events[ev].ts;
        addBom(s.agent, 'I', toId);
    }
    if (why.empty()) return;
    m_elevated[s.name] = {toId, ev};
    RawFinding f;
    f.rule = "identity_broadened";
    f.severity = Severity::High;
    std::string reasons;
    for (const auto& w : why) reasons += (reasons.empty() ? "" : "; ") + w;
    f.summary = (from.empty() ? std::string("?") : from) + " → " + to + (mechanism.empty() ? "" : " (" + mechanism + ")") + ": " + reasons;
    f.events = {ev};
    f.atlas = {"AML.T0012"};
    if (mechanism == "token_exchange") f.atlas.push_back("AML.T0091.000");
    f.session = s.name;
    f.supports = RawFinding::Supports::Privilege;
    addFinding(std::move(f));
}

void Engine::onDelegation(int32_t ev, SessionState& s, const RawObject& v)
{
    const std::string toAgent = v.str("to_agent"), toSession = v.str("to_session");
    std::string own;
    const std::string_view payload = fieldText(v, "payload", own, {});
    const int64_t ts = m_events[ev].ts;
    if (!toAgent.empty()) {
        const uint32_t a = m_strings.id(toAgent);
        s.facts[{'A', a}] = ts;
        if (toSession.empty()) s.inboxAgents.emplace_back(ts, a);
    }
    m_delegations[std::string(idOf(ev))] = {ev, s.name};
    if (!toSession.empty()) {
        const uint32_t target = m_strings.id(toSession);
        s.downstream.emplace_back(ts, target);
        carry(ev, s, 'S', target, payload);
        SessionState& t = session(target);
        if (m_sources.count(ev) && m_sources[ev].flagged) t.injectionSources.push_back(ev);
    } else if (!toAgent.empty()) {
        carry(ev, s, 'A', m_strings.id(toAgent), payload);
    }
}

void Engine::onLlmOutput(int32_t ev, SessionState& s, const RawObject& v)
{
    if (const std::string model = v.str("model"); !model.empty()) {
        const uint32_t m = m_strings.id(model);
        addBom(s.agent, 'L', m);
        s.facts[{'L', m}] = m_events[ev].ts;
    }
    std::string own;
    for (const char* key : {"reasoning", "tool_rationale", "content"}) {
        const std::string_view text = fieldText(v, key, own, {});
        if (text.empty()) continue;
        if (s.bypassEvent < 0) {
            std::string phrase = textFacts(text, TextFacts::Bypass).bypass;
            if (!phrase.empty()) {
                s.bypassEvent = ev;
                s.bypassPhrase = std::move(phrase);
            }
        }
        indexAgent(ev, s, text);
    }
}

void Engine::onMemoryWrite(int32_t ev, SessionState& s, const RawObject& v)
{
    const std::string storeName = v.str("store");
    if (!storeName.empty()) {
        const uint32_t st = m_strings.id(storeName);
        addBom(s.agent, 'M', st);
        s.facts[{'M', st}] = m_events[ev].ts;
    }
    std::string own;
    carry(ev, s, 'M', 0, fieldText(v, "content", own));
    if (auto it = m_sources.find(ev); it != m_sources.end() && it->second.flagged) s.injectionSources.push_back(ev);
}

void Engine::onEgress(int32_t ev, SessionState& s, const RawObject& v)
{
    const std::string dest = v.str("dest");
    if (dest.empty()) return;
    const std::string host = hostOf(dest);
    s.facts[{'D', m_strings.id(host)}] = m_events[ev].ts;
    BaselineIndex* b = baselineOf(s.agent);
    if (!b || !b->baseline->allowedEgress || hostAllowed(host, b->egress)) return;
    RawFinding f;
    f.rule = "egress_not_allowed";
    f.severity = Severity::High;
    f.summary = "egress to " + host + ", outside the agent's allowed egress";
    f.events = {ev};
    f.atlas = {"AML.T0086", "AML.T0025"};
    f.session = s.name;
    addFinding(std::move(f));
}

void Engine::onAuth(int32_t ev, SessionState& s, const RawObject& v)
{
    const std::string principal = v.str("principal");
    const uint32_t p = m_strings.id(principal.empty() ? "?" : principal);
    const std::string outcome = v.str("outcome");
    s.artifacts |= static_cast<uint8_t>(1u << static_cast<int>(Artifact::IdentityAssumptions));
    const std::set<std::string> scopes = scopesOf(v);
    if (outcome == "failure" || outcome == "denied" || outcome == "fail") {
        ++s.authFailures[p];
        return;
    }
    if (outcome != "success") return;
    auto known = m_identityScopes.find(p);
    std::string gained;
    for (const auto& sc : scopes)
        if ((known == m_identityScopes.end() ? privilegedScope(sc) : !known->second.count(sc) && privilegedScope(sc))) {
            gained = sc;
            break;
        }
    int failures = 0;
    for (const auto& [who, n] : s.authFailures) failures += n;
    if (failures > 0 && !gained.empty()) {
        m_elevated[s.name] = {p, ev};
        RawFinding f;
        f.rule = "auth_failure_then_elevated";
        f.severity = Severity::High;
        f.summary = std::to_string(failures) + " failed authorisation(s), then " + principal + " succeeded with scope " + gained;
        f.events = {ev};
        f.atlas = {"AML.T0012", "AML.T0106"};
        f.session = s.name;
        f.supports = RawFinding::Supports::Privilege;
        addFinding(std::move(f));
    }
    if (!scopes.empty()) m_identityScopes[p] = scopes;
}

void Engine::onKernel(int32_t ev, const store::EventView& e, SessionState& s, const RawObject& v)
{
    const std::string call = v.str("syscall").empty() ? v.str("signal") : v.str("syscall");
    const std::string detail = textOf(v, "detail", {});
    static const std::set<std::string> escape = {"setns", "unshare", "ptrace", "capset", "pivot_root", "open_by_handle_at",
                                                 "init_module", "finit_module", "kexec_load", "process_vm_writev", "bpf", "chroot"};
    bool hit = escape.count(call) > 0;
    std::string why = call;
    if (call == "mount") {
        const std::string indicator = escapeIndicator(detail);
        hit = !indicator.empty() || detail.find("/host") != std::string::npos || detail.find("/proc") != std::string::npos ||
              detail.find("/sys") != std::string::npos || detail.find("/dev/") != std::string::npos || detail.find(" / ") != std::string::npos;
        why = "mount " + detail.substr(0, 80);
    } else if (!hit) {
        const std::string indicator = escapeIndicator(detail);
        hit = !indicator.empty();
        if (hit) why = call + " " + indicator;
    }
    if (!hit) return;
    // the call that caused it: its parent, else the agent's latest call in this session
    int32_t cause = -1;
    if (!e.parent.empty())
        if (const int32_t* c = s.callsById.find("\x1f" + std::string(e.parent))) cause = *c;
    if (cause < 0 && !s.calls.empty() && e.tsNs - m_events[m_calls[s.calls.back()].ev].ts < 60LL * 1000000000LL) cause = s.calls.back();
    RawFinding f;
    f.rule = "sandbox_escape_signal";
    f.severity = Severity::Critical;
    f.summary = "kernel signal of a sandbox escape: " + why;
    f.events = {ev};
    if (cause >= 0) {
        m_calls[cause].runtimeHarm = true;
        m_calls[cause].reasons.push_back("followed by kernel " + call);
        f.events.push_back(m_calls[cause].ev);
    }
    f.atlas = {"AML.T0105"};
    f.session = s.name;
    f.supports = RawFinding::Supports::Runtime;
    addFinding(std::move(f));
}

} // namespace chainsight::analysis::detail
