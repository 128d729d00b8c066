// SQL for the response workflow; see ResponseStore.h.
#include "core/store/ResponseStore.h"

#include "core/json/Json.h"
#include "core/store/CaseStore.h"
#include "core/store/Database.h"
#include "core/store/Rows.h"

#include <algorithm>

namespace chainsight::store {

namespace {
using rows::eachRow;

std::vector<std::string> parseEvents(std::string_view text)
{
    std::vector<std::string> out;
    json::Parser p;
    auto v = p.parse(text);
    if (!v || !v->isArray()) return out;
    for (const auto& i : v->items())
        if (i.isString()) out.push_back(i.asString());
    return out;
}

std::string dumpEvents(const std::vector<std::string>& events)
{
    auto a = json::Value::array();
    for (const auto& e : events)
        a.append(json::Value::string(e));
    return a.dump();
}
} // namespace

bool ResponseStore::hasTables() const
{
    return m_store.schemaVersion() >= 3;
}

Result<std::vector<ClassificationRecord>> ResponseStore::classifications()
{
    auto st = m_store.database()->prepare(
        "SELECT id, ts, actor, source, incident_type, tier, confidence, reason FROM classifications ORDER BY id");
    if (!st) return st.error();
    std::vector<ClassificationRecord> out;
    CS_TRY(eachRow(*st, [&](Statement& s) {
        ClassificationRecord r;
        r.id = s.int64(0);
        r.ts = s.text(1);
        r.actor = s.text(2);
        r.source = s.text(3);
        r.type = s.text(4);
        r.tier = s.isNull(5) ? 0 : static_cast<int>(s.int64(5));
        r.confidence = s.isNull(6) ? -1 : s.real(6);
        r.reason = s.text(7);
        out.push_back(std::move(r));
    }));
    return out;
}

Result<int64_t> ResponseStore::insertClassification(const ClassificationRecord& r)
{
    auto st = m_store.database()->prepare("INSERT INTO classifications(ts, actor, source, incident_type, tier, "
                                          "confidence, reason) VALUES(?,?,?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, r.ts).bind(2, r.actor).bind(3, r.source).bind(4, r.type);
    if (r.tier > 0)
        st->bind(5, r.tier);
    else
        st->bindNull(5);
    if (r.confidence >= 0)
        st->bind(6, r.confidence);
    else
        st->bindNull(6);
    st->bind(7, r.reason);
    CS_TRY(st->exec());
    return m_store.database()->lastInsertId();
}

Status ResponseStore::deleteClassification(int64_t id)
{
    auto st = m_store.database()->prepare("DELETE FROM classifications WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, id);
    return st->exec();
}

Result<std::map<std::string, ChecklistRecord>> ResponseStore::checklist()
{
    auto st = m_store.database()->prepare(
        "SELECT item, state, owner, due, notes, events, changed_by, changed_at FROM checklist_items");
    if (!st) return st.error();
    std::map<std::string, ChecklistRecord> out;
    CS_TRY(eachRow(*st, [&](Statement& s) {
        ChecklistRecord r;
        r.item = s.text(0);
        r.state = s.text(1);
        r.owner = s.text(2);
        r.due = s.text(3);
        r.notes = s.text(4);
        r.events = parseEvents(s.textView(5));
        r.changedBy = s.text(6);
        r.changedAt = s.text(7);
        out.emplace(r.item, std::move(r));
    }));
    return out;
}

Status ResponseStore::putChecklist(const ChecklistRecord& r)
{
    auto st = m_store.database()->prepare(
        "INSERT OR REPLACE INTO checklist_items(item, state, owner, due, notes, events, changed_by, changed_at) "
        "VALUES(?,?,?,?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, r.item).bind(2, r.state).bind(3, r.owner).bind(4, r.due).bind(5, r.notes).bind(6, dumpEvents(r.events));
    st->bind(7, r.changedBy).bind(8, r.changedAt);
    return st->exec();
}

Status ResponseStore::deleteChecklist(const std::string& item)
{
    auto st = m_store.database()->prepare("DELETE FROM checklist_items WHERE item = ?");
    if (!st) return st.error();
    st->bind(1, item);
    return st->exec();
}

Result<std::map<std::pair<std::string, std::string>, char>> ResponseStore::raci()
{
    auto st = m_store.database()->prepare("SELECT activity, role, value FROM raci");
    if (!st) return st.error();
    std::map<std::pair<std::string, std::string>, char> out;
    CS_TRY(eachRow(*st, [&](Statement& s) {
        const std::string v = s.text(2);
        if (v.size() == 1) out[{s.text(0), s.text(1)}] = v[0];
    }));
    return out;
}

Status ResponseStore::setRaci(const std::string& activity, const std::string& role, std::optional<char> value)
{
    auto st = m_store.database()->prepare(value ? "INSERT OR REPLACE INTO raci(activity, role, value) VALUES(?,?,?)"
                                                : "DELETE FROM raci WHERE activity = ? AND role = ?");
    if (!st) return st.error();
    st->bind(1, activity).bind(2, role);
    if (value) st->bind(3, std::string(1, *value));
    return st->exec();
}

Result<std::map<std::string, PhaseRecord>> ResponseStore::phases()
{
    std::map<std::string, PhaseRecord> out;
    if (!hasTables()) return out;
    auto st = m_store.database()->prepare("SELECT phase, closed, changed_by, changed_at FROM response_phases");
    if (!st) return st.error();
    CS_TRY(eachRow(*st, [&](Statement& s) {
        PhaseRecord r{s.text(0), s.int64(1) != 0, s.text(2), s.text(3)};
        out.emplace(r.phase, r);
    }));
    return out;
}

Status ResponseStore::putPhase(const PhaseRecord& r)
{
    auto st = m_store.database()->prepare(
        "INSERT OR REPLACE INTO response_phases(phase, closed, changed_by, changed_at) VALUES(?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, r.phase).bind(2, r.closed ? 1 : 0).bind(3, r.changedBy).bind(4, r.changedAt);
    return st->exec();
}

Status ResponseStore::deletePhase(const std::string& phase)
{
    auto st = m_store.database()->prepare("DELETE FROM response_phases WHERE phase = ?");
    if (!st) return st.error();
    st->bind(1, phase);
    return st->exec();
}

Result<std::map<std::string, AgentProfileRecord>> ResponseStore::agentProfiles()
{
    std::map<std::string, AgentProfileRecord> out;
    if (!hasTables()) return out;
    auto st = m_store.database()->prepare(
        "SELECT agent, criticality, high_risk, changed_by, changed_at FROM response_agents");
    if (!st) return st.error();
    CS_TRY(eachRow(*st, [&](Statement& s) {
        AgentProfileRecord r;
        r.agent = s.text(0);
        r.criticality = s.text(1);
        if (!s.isNull(2)) r.highRisk = s.int64(2) != 0;
        r.changedBy = s.text(3);
        r.changedAt = s.text(4);
        out.emplace(r.agent, std::move(r));
    }));
    return out;
}

Status ResponseStore::putAgentProfile(const AgentProfileRecord& r)
{
    auto st = m_store.database()->prepare("INSERT OR REPLACE INTO response_agents(agent, criticality, high_risk, "
                                          "changed_by, changed_at) VALUES(?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, r.agent).bind(2, r.criticality);
    if (r.highRisk)
        st->bind(3, *r.highRisk ? 1 : 0);
    else
        st->bindNull(3);
    st->bind(4, r.changedBy).bind(5, r.changedAt);
    return st->exec();
}

Status ResponseStore::deleteAgentProfile(const std::string& agent)
{
    auto st = m_store.database()->prepare("DELETE FROM response_agents WHERE agent = ?");
    if (!st) return st.error();
    st->bind(1, agent);
    return st->exec();
}

Result<std::map<std::string, std::string>> ResponseStore::settings()
{
    std::map<std::string, std::string> out;
    if (!hasTables()) return out;
    auto st = m_store.database()->prepare("SELECT key, value FROM response_meta");
    if (!st) return st.error();
    CS_TRY(eachRow(*st, [&](Statement& s) { out[s.text(0)] = s.text(1); }));
    return out;
}

Status ResponseStore::setSetting(const std::string& key, const std::optional<std::string>& value)
{
    auto st = m_store.database()->prepare(value ? "INSERT OR REPLACE INTO response_meta(key, value) VALUES(?,?)"
                                                : "DELETE FROM response_meta WHERE key = ?");
    if (!st) return st.error();
    st->bind(1, key);
    if (value) st->bind(2, *value);
    return st->exec();
}

Result<std::vector<CustodyMark>> ResponseStore::custodyWithActions(const std::vector<std::string>& actions)
{
    std::vector<CustodyMark> out;
    for (const auto& a : actions) {
        auto st = m_store.database()->prepare(
            "SELECT seq, ts, actor, action, target, detail FROM custody WHERE action = ? ORDER BY seq");
        if (!st) return st.error();
        st->bind(1, a);
        CS_TRY(eachRow(*st, [&](Statement& s) {
            out.push_back({s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)});
        }));
    }
    std::sort(out.begin(), out.end(), [](const CustodyMark& x, const CustodyMark& y) { return x.seq < y.seq; });
    return out;
}

Result<std::vector<CustodyMark>> ResponseStore::custodyForTarget(const std::string& target, int limit)
{
    auto st = m_store.database()->prepare(
        "SELECT seq, ts, actor, action, target, detail FROM custody WHERE target = ? ORDER BY seq DESC LIMIT ?");
    if (!st) return st.error();
    st->bind(1, target).bind(2, limit);
    std::vector<CustodyMark> out;
    CS_TRY(eachRow(*st, [&](Statement& s) {
        out.push_back({s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)});
    }));
    return out;
}

} // namespace chainsight::store
