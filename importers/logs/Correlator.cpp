#include "importers/logs/Correlator.h"

#include "core/store/CaseStore.h"

#include <algorithm>
#include <cctype>

namespace chainsight::importers {

namespace {
std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Letters and digits only, lower-cased: "s3.put_object" and "PutObject" meet as "s3putobject" / "putobject".
std::string squashed(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s)
        if (std::isalnum(static_cast<unsigned char>(c)))
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string bareName(std::string_view s)
{
    std::string_view v = s;
    if (v.substr(0, 4) == "arn:") {
        // arn:partition:service:region:account:resource
        size_t pos = 0;
        for (int i = 0; i < 5 && pos != std::string_view::npos; ++i)
            pos = v.find(':', pos + 1);
        if (pos == std::string_view::npos) return {};
        v.remove_prefix(pos + 1);
        if (const size_t ar = v.find("assumed-role/"); ar != std::string_view::npos) {
            v.remove_prefix(ar + 13);
            return std::string(v.substr(0, v.find('/')));
        }
        if (const size_t slash = v.rfind('/'); slash != std::string_view::npos) v.remove_prefix(slash + 1);
        return std::string(v);
    }
    if (const size_t colon = v.rfind(':'); colon != std::string_view::npos) v.remove_prefix(colon + 1);
    if (const size_t slash = v.rfind('/'); slash != std::string_view::npos) v.remove_prefix(slash + 1);
    if (const size_t at = v.find('@'); at != std::string_view::npos && at > 0) v = v.substr(0, at);
    return std::string(v);
}

constexpr int64_t kSecond = 1000000000LL;
} // namespace

std::vector<std::string> identityKeys(std::string_view principal)
{
    std::vector<std::string> keys;
    if (principal.empty()) return keys;
    const std::string l = lower(principal);
    keys.push_back("id:" + l);
    const std::string bare = bareName(l);
    if (!bare.empty() && bare.size() >= 3) keys.push_back("name:" + bare);
    return keys;
}

void Correlator::index(size_t i)
{
    const AgentAction& a = m_actions[i];
    for (const auto& k : identityKeys(a.identity))
        m_byKey[k].push_back(i);
    m_bySession[{a.agent, a.session}].push_back(i);
    m_bySessionName[lower(a.session)].push_back(i);
}

void Correlator::addEvent(const Event& e, int64_t bundleRow, const std::string& bundleId)
{
    if (e.type != EventType::ToolCall && e.type != EventType::IdentityChange) return;
    AgentAction a;
    a.tsNs = e.tsNs;
    a.eventId = e.id;
    a.agent = e.agent;
    a.session = e.session;
    a.identity = e.identity;
    a.tool = e.tool;
    // The tool and its arguments, for "which API" hints: bounded, the start of the call's text is enough.
    a.hint = squashed(e.tool) + ' ' + squashed(std::string_view(e.text).substr(0, 2048));
    a.bundleRow = bundleRow;
    a.bundleId = bundleId;
    a.identityChange = e.type == EventType::IdentityChange;
    m_actions.push_back(std::move(a));
    index(m_actions.size() - 1);
    if (e.type == EventType::IdentityChange) {
        json::Parser parser;
        auto v = parser.parse(e.json);
        if (v && v->isObject() && !v->str("to").empty())
            addAssumedIdentity(e.agent, e.session, std::string(v->str("to")), e.tsNs);
    }
}

void Correlator::addAssumedIdentity(const std::string& agent, const std::string& session, const std::string& identity,
                                    int64_t tsNs, int64_t untilNs)
{
    for (const auto& k : identityKeys(identity)) {
        auto& list = m_assumed[k];
        // A session that keeps acting as one identity holds it from its first event on.
        if (!list.empty() && list.back().agent == agent && list.back().session == session &&
            list.back().until == untilNs)
            continue;
        list.push_back({agent, session, tsNs, untilNs, k.rfind("id:", 0) == 0});
    }
}

void Correlator::addBaselineIdentity(const std::string& agent, const std::string& identity)
{
    for (const auto& k : identityKeys(identity))
        m_baseline.emplace(k, agent);
}

Status Correlator::loadCase(store::CaseStore& store)
{
    auto bundles = store.bundles();
    if (!bundles) return bundles.error();
    std::map<int64_t, std::string> names;
    std::set<int64_t> cloud; // cloud records are what gets matched, never what they are matched to
    for (const auto& b : *bundles) {
        names[b.id] = b.bundleId;
        if (b.format == "cloudtrail") cloud.insert(b.id);
    }
    Status s = store.forEachEvent([&](const Event& e) {
        if (!cloud.count(e.bundle)) addEvent(e, e.bundle, names[e.bundle]);
        // The identity a session acts as is an identity it holds (cloud sessions too: a chain may span files).
        if (!e.identity.empty() && e.type != EventType::Auth)
            addAssumedIdentity(e.agent, e.session, e.identity, e.tsNs);
        return true;
    });
    if (!s) return s;
    auto baselines = store.baselines();
    if (!baselines) return baselines.error();
    for (const auto& b : *baselines)
        if (b.identities)
            for (const auto& id : *b.identities)
                addBaselineIdentity(b.id, id);
    return {};
}

std::string Correlator::baselineAgent(const std::vector<std::string>& aliases) const
{
    for (const auto& alias : aliases)
        for (const auto& k : identityKeys(alias))
            if (auto it = m_baseline.find(k); it != m_baseline.end()) return it->second;
    return {};
}

std::optional<std::pair<std::string, std::string>> Correlator::sessionOf(const std::vector<std::string>& aliases,
                                                                         int64_t tsNs) const
{
    const Assumed* best = nullptr;
    for (const auto& alias : aliases)
        for (const auto& k : identityKeys(alias)) {
            auto it = m_assumed.find(k);
            if (it == m_assumed.end()) continue;
            for (const auto& a : it->second)
                if (a.from <= tsNs + m_window.afterNs && (a.until == 0 || tsNs <= a.until) &&
                    (!best || a.from > best->from || (a.exact && !best->exact)))
                    best = &a;
        }
    if (!best) return std::nullopt;
    return std::make_pair(best->agent, best->session);
}

std::optional<CorrelationMatch> Correlator::match(const std::vector<std::string>& aliases,
                                                  const std::string& sessionName, int64_t tsNs,
                                                  std::string_view apiName, std::string_view service,
                                                  bool identityChange) const
{
    const std::string api = squashed(apiName), svc = squashed(service);
    std::optional<CorrelationMatch> best;
    int64_t bestScore = INT64_MIN;
    auto consider = [&](size_t i, const char* basis, int rank) {
        const AgentAction& a = m_actions[i];
        if (a.identityChange != identityChange) return;
        const int64_t delta = tsNs - a.tsNs;
        if (delta > m_window.beforeNs || delta < -m_window.afterNs) return;
        int64_t score = rank * 10;
        if (!api.empty() && a.hint.find(api) != std::string::npos)
            score += 15;
        else if (svc.size() >= 2 && a.hint.find(svc) != std::string::npos)
            score += 8;
        // Nearer is better; an action after the record (skew) counts double.
        score -= (delta >= 0 ? delta : -2 * delta) / (kSecond / 10); // tenths of a second
        if (score > bestScore || (score == bestScore && best && a.tsNs > best->action->tsNs)) {
            bestScore = score;
            best = CorrelationMatch{&a, basis, delta};
        }
    };
    if (!sessionName.empty())
        if (auto it = m_bySessionName.find(lower(sessionName)); it != m_bySessionName.end())
            for (size_t i : it->second)
                consider(i, "session-name", 4);
    std::set<std::pair<std::string, std::string>> sessions;
    for (const auto& alias : aliases)
        for (const auto& k : identityKeys(alias)) {
            const bool exact = k.rfind("id:", 0) == 0;
            if (auto it = m_byKey.find(k); it != m_byKey.end())
                for (size_t i : it->second)
                    consider(i, exact ? "identity" : "identity-name", exact ? 3 : 1);
            if (auto it = m_assumed.find(k); it != m_assumed.end())
                for (const auto& as : it->second) {
                    if (as.from > tsNs + m_window.afterNs || (as.until && tsNs > as.until)) continue;
                    if (!sessions.insert({as.agent, as.session}).second) continue;
                    if (auto s = m_bySession.find({as.agent, as.session}); s != m_bySession.end())
                        for (size_t i : s->second)
                            if (m_actions[i].tsNs + m_window.afterNs >= as.from)
                                consider(i, "assumed-identity", as.exact ? 2 : 1);
                }
        }
    return best;
}

} // namespace chainsight::importers
