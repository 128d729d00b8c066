// The response workflow over a case; see Response.h.
#include "core/response/Response.h"

#include "core/model/Time.h"
#include "core/store/CaseStore.h"

#include <QDateTime>

#include <algorithm>
#include <set>
#include <sstream>

namespace chainsight::response {

namespace {
using json::Value;
const std::vector<std::string> kTypes{"reasoning_compromise", "privilege_boundary_escape", "runtime_execution_escape",
                                      "none"};

Value checklistToJson(const store::ChecklistRecord& r)
{
    auto ev = Value::array();
    for (const auto& e : r.events)
        ev.append(Value::string(e));
    return Value::object({{"state", Value::string(r.state)},
                          {"owner", Value::string(r.owner)},
                          {"due", Value::string(r.due)},
                          {"notes", Value::string(r.notes)},
                          {"events", ev},
                          {"changed_by", Value::string(r.changedBy)},
                          {"changed_at", Value::string(r.changedAt)}});
}

store::ChecklistRecord checklistFromJson(const std::string& id, const Value& v)
{
    store::ChecklistRecord r;
    r.item = id;
    r.state = std::string(v.str("state"));
    r.owner = std::string(v.str("owner"));
    r.due = std::string(v.str("due"));
    r.notes = std::string(v.str("notes"));
    if (const Value* ev = v.find("events"))
        for (const auto& e : ev->items())
            if (e.isString()) r.events.push_back(e.asString());
    r.changedBy = std::string(v.str("changed_by"));
    r.changedAt = std::string(v.str("changed_at"));
    return r;
}

int64_t msOf(const std::string& rfc3339)
{
    auto ns = parseRfc3339(rfc3339);
    return ns ? *ns / 1000000 : -1;
}

std::string rfcOfMs(int64_t ms)
{
    return formatRfc3339(ms * 1000000LL);
}

Clock makeClock(std::string id, std::string title, const std::string& from, const std::string& to, int64_t nowMs)
{
    Clock c{std::move(id), std::move(title), from, to};
    const int64_t a = msOf(from);
    if (a < 0) return c;
    const int64_t b = to.empty() ? nowMs : msOf(to);
    c.elapsedMs = std::max<int64_t>(0, b - a);
    return c;
}

// A contain.outcome entry counts as containment when its detail says the action succeeded and nobody said it is
// unconfirmed, and the action is not a notification or the reversal of a containment (docs/playbooks.md).
bool confirmedContainment(const std::string& detail)
{
    json::Parser p;
    auto v = p.parse(detail);
    if (!v || !v->isObject()) return false;
    for (const char* k : {"confirmed", "verified"})
        if (const Value* c = v->find(k); c && c->isBool() && !c->asBool()) return false;
    static const std::set<std::string> notContainment{
        "notify",       "enable-account",    "release-quarantine", "restore-scale",
        "release-tool", "remove-block-rule", "resume-automations"};
    for (const char* k : {"action", "kind"})
        if (notContainment.count(std::string(v->str(k)))) return false;
    if (const Value* s = v->find("success"); s && s->isBool()) return s->asBool();
    static const std::set<std::string> ok{"success", "succeeded", "ok", "done", "confirmed", "contained", "applied"};
    for (const char* k : {"outcome", "result", "status", "state"})
        if (ok.count(std::string(v->str(k)))) return true;
    return false;
}

std::string joinList(const std::vector<std::string>& v, const char* sep = ", ")
{
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : sep) + s;
    return out;
}
} // namespace

std::string_view itemStateKey(ItemState s)
{
    switch (s) {
    case ItemState::Open:
        return "open";
    case ItemState::InProgress:
        return "in_progress";
    case ItemState::Done:
        return "done";
    case ItemState::NotApplicable:
        return "not_applicable";
    }
    return "open";
}

std::optional<ItemState> itemStateFromKey(std::string_view key)
{
    for (ItemState s : {ItemState::Open, ItemState::InProgress, ItemState::Done, ItemState::NotApplicable})
        if (itemStateKey(s) == key) return s;
    return std::nullopt;
}

ResponseCase::ResponseCase(store::CaseStore& store, PlaybookLibrary library)
    : m_store(store), m_sql(store), m_library(std::move(library)), m_actor(custody::Actor::current())
{
}

ResponseCase::~ResponseCase() = default;

Result<std::unique_ptr<ResponseCase>> ResponseCase::open(store::CaseStore& store, PlaybookLibrary library)
{
    std::unique_ptr<ResponseCase> rc(new ResponseCase(store, std::move(library)));
    CS_TRY(rc->reload());
    return rc;
}

bool ResponseCase::readOnly() const
{
    return m_store.readOnly();
}

Status ResponseCase::reload()
{
    ResponseState s;
    auto hist = m_sql.classifications();
    if (!hist) return hist.error();
    s.history = std::move(*hist);
    for (const auto& c : s.history)
        (c.source == "machine" ? s.machine : s.analyst) = c;
    const auto& eff = s.analyst ? s.analyst : s.machine;
    if (eff) {
        s.type = eff->type;
        s.tier = eff->tier;
    }
    auto items = m_sql.checklist();
    if (!items) return items.error();
    s.items = std::move(*items);
    auto raci = m_sql.raci();
    if (!raci) return raci.error();
    s.raci = std::move(*raci);
    auto phases = m_sql.phases();
    if (!phases) return phases.error();
    s.phases = std::move(*phases);
    auto agents = m_sql.agentProfiles();
    if (!agents) return agents.error();
    s.agentProfiles = std::move(*agents);
    auto settings = m_sql.settings();
    if (!settings) return settings.error();
    s.settings = std::move(*settings);
    auto baselines = m_store.baselines();
    if (!baselines) return baselines.error();
    for (auto& b : *baselines)
        s.baselines.emplace(b.id, std::move(b));

    s.roles = m_library.roles;
    if (auto it = s.settings.find("roles"); it != s.settings.end()) {
        json::Parser p;
        if (auto v = p.parse(it->second); v && v->isArray()) {
            std::vector<Role> roles;
            for (const auto& r : v->items())
                if (!r.str("id").empty()) roles.push_back({std::string(r.str("id")), std::string(r.str("name"))});
            if (!roles.empty()) s.roles = std::move(roles);
        }
    }
    // Until the case holds RACI cells of its own, the library's defaults are shown (seeded on first edit).
    if (s.raci.empty() && !s.settings.count("raci_seeded"))
        for (const auto& [act, cells] : m_library.defaultRaci)
            for (const auto& [role, v] : cells)
                s.raci[{act, role}] = v;
    m_state = std::move(s);
    return {};
}

const Playbook* ResponseCase::playbook() const
{
    return m_library.playbook(m_state.type);
}

store::ChecklistRecord ResponseCase::item(const std::string& id) const
{
    if (auto it = m_state.items.find(id); it != m_state.items.end()) return it->second;
    store::ChecklistRecord r;
    r.item = id;
    if (const PlaybookItem* pi = m_library.item(id))
        for (const auto& role : m_state.roles)
            if (role.id == pi->role) r.owner = role.name;
    return r;
}

ItemState ResponseCase::itemState(const std::string& id) const
{
    auto it = m_state.items.find(id);
    if (it == m_state.items.end()) return ItemState::Open;
    return itemStateFromKey(it->second.state).value_or(ItemState::Open);
}

std::string ResponseCase::awareness(std::string* source) const
{
    if (auto it = m_state.settings.find("awareness_at"); it != m_state.settings.end() && !it->second.empty()) {
        if (source) *source = "analyst";
        return it->second;
    }
    for (const auto& c : m_state.history)
        if (c.source == "machine") {
            if (source) *source = "machine proposal";
            return c.ts;
        }
    auto created = const_cast<store::CaseStore&>(m_store).meta("created_at");
    if (created && *created) {
        if (source) *source = "case created";
        return **created;
    }
    if (source) *source = "";
    return {};
}

std::string ResponseCase::effectiveDue(const PlaybookItem& pi) const
{
    if (auto it = m_state.items.find(pi.id); it != m_state.items.end() && !it->second.due.empty())
        return it->second.due;
    if (pi.dueHours <= 0) return {};
    const int64_t a = msOf(awareness(nullptr));
    return a < 0 ? std::string() : rfcOfMs(a + int64_t(pi.dueHours) * 3600 * 1000);
}

Status ResponseCase::recordMachineProposal(const analysis::AnalysisReport& report)
{
    const std::string type(analysis::incidentTypeName(report.type));
    const auto& m = m_state.machine;
    if (m && m->type == type && m->tier == report.tier && std::abs(m->confidence - report.confidence) < 1e-9) return {};
    store::ClassificationRecord r;
    r.ts = custody::nowRfc3339();
    r.actor = "chainsight-analysis";
    r.source = "machine";
    r.type = type;
    r.tier = report.tier;
    r.confidence = report.confidence;
    std::vector<std::string> why;
    for (size_t i = 0; i < report.rationale.size() && i < 4; ++i)
        why.push_back(report.rationale[i].why + " (" + report.rationale[i].event + ")");
    r.reason = joinList(why, "; ");
    auto tx = m_store.begin();
    if (!tx) return tx.error();
    auto id = m_sql.insertClassification(r);
    if (!id) return id.error();
    CS_TRY(custody::append(m_store, m_actor, "classification.machine", type,
                           Value::object({{"type", Value::string(type)},
                                          {"tier", Value::integer(r.tier)},
                                          {"confidence", Value::number(r.confidence)},
                                          {"reason", Value::string(r.reason)}})));
    CS_TRY(m_store.commit(*tx));
    return reload();
}

Result<Edit> ResponseCase::classify(const std::string& type, int tier, const std::string& reason) const
{
    if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end())
        return makeError(ErrorCode::Usage,
                         QStringLiteral("unknown incident type \"%1\"").arg(QString::fromStdString(type)), {}, -1,
                         QStringLiteral("type"));
    if (tier < 1 || tier > 3)
        return makeError(ErrorCode::Usage, QStringLiteral("the tier is 1, 2 or 3"), {}, -1, QStringLiteral("tier"));
    if (QString::fromStdString(reason).trimmed().isEmpty())
        return makeError(ErrorCode::Usage, QStringLiteral("say why: a classification decision needs a reason"), {}, -1,
                         QStringLiteral("reason"));
    Edit e;
    e.kind = Edit::Kind::Classification;
    e.key = type;
    const bool confirm = m_state.machine && m_state.machine->type == type && m_state.machine->tier == tier;
    e.after = Value::object({{"type", Value::string(type)},
                             {"tier", Value::integer(tier)},
                             {"reason", Value::string(reason)},
                             {"decision", Value::string(confirm ? "confirm" : "override")}});
    e.label = (confirm ? "Confirm " : "Classify as ") + type + " tier " + std::to_string(tier);
    return e;
}

Result<Edit> ResponseCase::updateItem(const store::ChecklistRecord& record, const std::string& label) const
{
    const PlaybookItem* pi = m_library.item(record.item);
    if (!pi)
        return makeError(ErrorCode::Usage,
                         QStringLiteral("no playbook item \"%1\"").arg(QString::fromStdString(record.item)));
    if (!itemStateFromKey(record.state))
        return makeError(ErrorCode::Usage,
                         QStringLiteral("unknown state \"%1\"").arg(QString::fromStdString(record.state)), {}, -1,
                         QStringLiteral("state"));
    if (!record.due.empty() && !parseRfc3339(record.due))
        return makeError(ErrorCode::Usage, QStringLiteral("the due time is not RFC 3339 (2026-05-06T14:00:00Z)"), {},
                         -1, QStringLiteral("due"));
    Edit e;
    e.kind = Edit::Kind::Item;
    e.key = record.item;
    auto it = m_state.items.find(record.item);
    e.before = it == m_state.items.end() ? Value() : checklistToJson(it->second);
    e.after = checklistToJson(record);
    e.label = label.empty() ? "Edit '" + pi->title + "'" : label;
    return e;
}

Result<Edit> ResponseCase::setRaci(const std::string& activity, const std::string& role,
                                   std::optional<char> value) const
{
    if (value && std::string_view("RACI").find(*value) == std::string_view::npos)
        return makeError(ErrorCode::Usage, QStringLiteral("a RACI cell is R, A, C or I"));
    if (activity.empty() || role.empty())
        return makeError(ErrorCode::Usage, QStringLiteral("a RACI cell needs an activity and a role"));
    Edit e;
    e.kind = Edit::Kind::Raci;
    e.key = activity + "|" + role;
    auto it = m_state.raci.find({activity, role});
    e.before = it == m_state.raci.end() ? Value() : Value::string(std::string(1, it->second));
    e.after = value ? Value::string(std::string(1, *value)) : Value();
    e.label = "RACI " + activity + " / " + role + " = " + (value ? std::string(1, *value) : std::string("-"));
    return e;
}

Result<Edit> ResponseCase::setPhaseClosed(Phase phase, bool closed) const
{
    if (closed) {
        const auto why = gateBlockers(phase);
        if (!why.empty())
            return makeError(ErrorCode::Blocked, QStringLiteral("%1 cannot close: %2")
                                                     .arg(QString::fromStdString(std::string(phaseTitle(phase))),
                                                          QString::fromStdString(joinList(why, "; "))));
    }
    Edit e;
    e.kind = Edit::Kind::Phase;
    e.key = std::string(phaseKey(phase));
    auto it = m_state.phases.find(e.key);
    if (it != m_state.phases.end())
        e.before = Value::object({{"closed", Value::boolean(it->second.closed)},
                                  {"changed_by", Value::string(it->second.changedBy)},
                                  {"changed_at", Value::string(it->second.changedAt)}});
    e.after = Value::object({{"closed", Value::boolean(closed)}});
    e.label = std::string(closed ? "Close " : "Reopen ") + std::string(phaseTitle(phase));
    return e;
}

Result<Edit> ResponseCase::setAgentProfile(const std::string& agent, const std::string& criticality,
                                           std::optional<bool> highRisk) const
{
    static const std::set<std::string> ok{"", "customer-facing", "internal", "batch"};
    if (!ok.count(criticality))
        return makeError(ErrorCode::Usage, QStringLiteral("criticality is customer-facing, internal or batch"));
    Edit e;
    e.kind = Edit::Kind::Agent;
    e.key = agent;
    if (auto it = m_state.agentProfiles.find(agent); it != m_state.agentProfiles.end())
        e.before = Value::object({{"criticality", Value::string(it->second.criticality)},
                                  {"high_risk", it->second.highRisk ? Value::boolean(*it->second.highRisk) : Value()}});
    e.after = Value::object(
        {{"criticality", Value::string(criticality)}, {"high_risk", highRisk ? Value::boolean(*highRisk) : Value()}});
    e.label = "Profile of " + agent;
    return e;
}

Result<Edit> ResponseCase::setAwareness(const std::string& rfc3339) const
{
    if (!rfc3339.empty() && !parseRfc3339(rfc3339))
        return makeError(ErrorCode::Usage,
                         QStringLiteral("the time of awareness is not RFC 3339 (2026-05-06T14:00:00Z)"));
    Edit e;
    e.kind = Edit::Kind::Setting;
    e.key = "awareness_at";
    if (auto it = m_state.settings.find(e.key); it != m_state.settings.end()) e.before = Value::string(it->second);
    if (!rfc3339.empty()) e.after = Value::string(formatRfc3339(*parseRfc3339(rfc3339)));
    e.label = "Set time of awareness";
    return e;
}

Result<Edit> ResponseCase::setRoles(const std::vector<Role>& roles) const
{
    auto arr = Value::array();
    std::set<std::string> ids;
    for (const auto& r : roles) {
        if (r.id.empty() || r.name.empty())
            return makeError(ErrorCode::Usage, QStringLiteral("a role needs an id and a name"));
        if (!ids.insert(r.id).second)
            return makeError(ErrorCode::Usage,
                             QStringLiteral("two roles with the id \"%1\"").arg(QString::fromStdString(r.id)));
        arr.append(Value::object({{"id", Value::string(r.id)}, {"name", Value::string(r.name)}}));
    }
    if (roles.empty()) return makeError(ErrorCode::Usage, QStringLiteral("keep at least one role"));
    Edit e;
    e.kind = Edit::Kind::Setting;
    e.key = "roles";
    if (auto it = m_state.settings.find(e.key); it != m_state.settings.end()) e.before = Value::string(it->second);
    e.after = Value::string(arr.dump());
    e.label = "Edit RACI roles";
    return e;
}

Status ResponseCase::apply(Edit& e)
{
    return write(e, e.after, false, &e);
}
Status ResponseCase::revert(Edit& e)
{
    return write(e, e.before, true, &e);
}

Status ResponseCase::write(const Edit& e, const Value& value, bool undo, Edit* me)
{
    if (m_store.readOnly())
        return makeError(ErrorCode::Blocked, QStringLiteral("the case is open read-only"), m_store.path());
    if (e.kind == Edit::Kind::Phase && !undo && value.isObject()) {
        if (const Value* c = value.find("closed"); c && c->asBool()) {
            const auto why = gateBlockers(*phaseFromKey(e.key));
            if (!why.empty())
                return makeError(ErrorCode::Blocked,
                                 QStringLiteral("%1 cannot close: %2")
                                     .arg(QString::fromStdString(e.key), QString::fromStdString(joinList(why, "; "))));
        }
    }
    const std::string now = custody::nowRfc3339();
    auto tx = m_store.begin();
    if (!tx) return tx.error();
    std::string action;
    Value detail = Value::object({{"before", undo ? e.after : e.before}, {"after", value}});
    // The first RACI edit turns the shown defaults into the case's own cells, in the same transaction.
    if (e.kind == Edit::Kind::Raci && !m_state.settings.count("raci_seeded")) {
        auto stored = m_sql.raci();
        if (!stored) return stored.error();
        if (stored->empty())
            for (const auto& [k, v] : m_state.raci)
                CS_TRY(m_sql.setRaci(k.first, k.second, v));
        CS_TRY(m_sql.setSetting("raci_seeded", std::string("1")));
    }
    switch (e.kind) {
    case Edit::Kind::Classification: {
        action = "classification.set";
        if (undo) {
            CS_TRY(m_sql.deleteClassification(me->applied));
            detail = Value::object({{"withdrawn", Value::integer(me->applied)}, {"decision", e.after}});
        } else {
            store::ClassificationRecord r;
            r.ts = now;
            r.actor = m_actor.name;
            r.source = "analyst";
            r.type = std::string(value.str("type"));
            r.tier = static_cast<int>(value.find("tier")->asInt());
            r.reason = std::string(value.str("reason"));
            auto id = m_sql.insertClassification(r);
            if (!id) return id.error();
            me->applied = *id;
            detail = value;
            if (m_state.machine) {
                detail.set("machine_type", Value::string(m_state.machine->type));
                detail.set("machine_tier", Value::integer(m_state.machine->tier));
                detail.set("machine_confidence", Value::number(m_state.machine->confidence));
            }
        }
        break;
    }
    case Edit::Kind::Item: {
        action = "checklist.update";
        if (value.isNull()) {
            CS_TRY(m_sql.deleteChecklist(e.key));
        } else {
            auto r = checklistFromJson(e.key, value);
            if (!undo) {
                r.changedBy = m_actor.name;
                r.changedAt = now;
            }
            CS_TRY(m_sql.putChecklist(r));
            detail.set("after", checklistToJson(r));
        }
        break;
    }
    case Edit::Kind::Raci: {
        action = "raci.set";
        const auto bar = e.key.find('|');
        CS_TRY(m_sql.setRaci(e.key.substr(0, bar), e.key.substr(bar + 1),
                             value.isString() && !value.asString().empty() ? std::optional<char>(value.asString()[0])
                                                                           : std::nullopt));
        break;
    }
    case Edit::Kind::Phase: {
        action = "checklist.phase";
        if (value.isNull())
            CS_TRY(m_sql.deletePhase(e.key));
        else {
            store::PhaseRecord r{e.key, value.find("closed") && value.find("closed")->asBool(),
                                 std::string(value.str("changed_by")), std::string(value.str("changed_at"))};
            if (!undo) {
                r.changedBy = m_actor.name;
                r.changedAt = now;
            }
            CS_TRY(m_sql.putPhase(r));
        }
        break;
    }
    case Edit::Kind::Agent: {
        action = "agent.profile";
        if (value.isNull())
            CS_TRY(m_sql.deleteAgentProfile(e.key));
        else {
            store::AgentProfileRecord r;
            r.agent = e.key;
            r.criticality = std::string(value.str("criticality"));
            if (const Value* h = value.find("high_risk"); h && h->isBool()) r.highRisk = h->asBool();
            r.changedBy = m_actor.name;
            r.changedAt = now;
            CS_TRY(m_sql.putAgentProfile(r));
        }
        break;
    }
    case Edit::Kind::Setting: {
        action = "response.setting";
        CS_TRY(m_sql.setSetting(e.key, value.isString() ? std::optional<std::string>(value.asString()) : std::nullopt));
        break;
    }
    }
    if (undo) detail.set("undo", Value::boolean(true));
    CS_TRY(custody::append(m_store, m_actor, action, e.key, detail));
    CS_TRY(m_store.commit(*tx));
    return reload();
}

std::vector<std::string> ResponseCase::gateBlockers(Phase p) const
{
    std::vector<std::string> out;
    const Playbook* pb = playbook();
    if (!pb) {
        out.push_back("no incident type is decided yet, so there is no runbook");
        return out;
    }
    for (const auto& i : pb->items) {
        if (i.phase != p || !i.gate) continue;
        const ItemState s = itemState(i.id);
        if (s == ItemState::Done) continue;
        if (s == ItemState::NotApplicable) {
            if (!QString::fromStdString(item(i.id).notes).trimmed().isEmpty()) continue;
            out.push_back("'" + i.title + "' is marked not applicable without a note saying why");
            continue;
        }
        out.push_back("'" + i.title + "' is " + (s == ItemState::InProgress ? "in progress" : "open"));
    }
    return out;
}

std::vector<std::string> ResponseCase::raciActivities() const
{
    std::vector<std::string> out;
    for (Phase p : kPhases)
        out.emplace_back(phaseKey(p));
    std::set<std::string> seen(out.begin(), out.end());
    for (const auto& [k, v] : m_state.raci)
        if (seen.insert(k.first).second) out.push_back(k.first);
    return out;
}

std::vector<RaciProblem> ResponseCase::raciProblems() const
{
    std::vector<RaciProblem> out;
    for (const auto& act : raciActivities()) {
        std::vector<std::string> as;
        int rs = 0;
        for (const auto& role : m_state.roles) {
            auto it = m_state.raci.find({act, role.id});
            if (it == m_state.raci.end()) continue;
            if (it->second == 'A') as.push_back(role.id);
            if (it->second == 'R') ++rs;
        }
        if (as.empty())
            out.push_back({act, "no A (nobody is accountable)"});
        else if (as.size() > 1)
            out.push_back(
                {act, std::to_string(as.size()) + " A (" + joinList(as) + "): exactly one role is accountable"});
        if (rs == 0) out.push_back({act, "no R (nobody does the work)"});
    }
    return out;
}

std::string ResponseCase::criticality(const std::string& agent) const
{
    if (auto it = m_state.agentProfiles.find(agent);
        it != m_state.agentProfiles.end() && !it->second.criticality.empty())
        return it->second.criticality;
    if (auto it = m_state.baselines.find(agent); it != m_state.baselines.end()) return it->second.criticality;
    return {};
}

bool ResponseCase::highRisk(const std::string& agent) const
{
    if (auto it = m_state.agentProfiles.find(agent); it != m_state.agentProfiles.end() && it->second.highRisk)
        return *it->second.highRisk;
    if (auto it = m_state.baselines.find(agent); it != m_state.baselines.end() && it->second.highRisk)
        return *it->second.highRisk;
    return false;
}

LadderProposal ResponseCase::ladder(const analysis::AnalysisReport* report) const
{
    LadderProposal lp;
    lp.tier = m_state.tier > 0 ? m_state.tier : (report ? report->tier : 1);
    if (report) {
        for (const auto& s : report->sessions)
            if (s.type != analysis::IncidentType::None && (lp.agent.empty() || !s.harmfulActions.empty())) {
                lp.agent = s.agent;
                if (!s.harmfulActions.empty()) break;
            }
        if (lp.agent.empty() && !report->blast.agents.empty()) lp.agent = *report->blast.agents.begin();
    }
    if (lp.agent.empty() && m_state.baselines.size() == 1) lp.agent = m_state.baselines.begin()->first;
    lp.criticality = criticality(lp.agent);
    for (const auto& r : m_library.ladder) {
        if (r.tier && *r.tier != lp.tier) continue;
        if (!r.type.empty() && r.type != m_state.type) continue;
        if (!r.criticality.empty() && r.criticality != lp.criticality) continue;
        lp.rung = r.rung;
        lp.why = r.why;
        break;
    }
    if (const TierInfo* t = m_library.tier(lp.tier)) lp.tierActions = t->actions;
    std::vector<std::string> sessions;
    if (report)
        for (const auto& s : report->sessions)
            if (s.type != analysis::IncidentType::None) sessions.push_back(s.session);
    for (const auto& step : m_library.containmentOrder) {
        ContainmentTarget t{step.id, step.title, {}};
        if (report) {
            const auto& b = report->blast;
            if (step.targets == "identities")
                t.targets.assign(b.identities.begin(), b.identities.end());
            else if (step.targets == "tools")
                t.targets.assign(b.tools.begin(), b.tools.end());
            else if (step.targets == "agents")
                t.targets.assign(b.agents.begin(), b.agents.end());
            else if (step.targets == "destinations")
                t.targets.assign(b.destinations.begin(), b.destinations.end());
            else if (step.targets == "sessions")
                t.targets = sessions;
        }
        lp.revokeFirst.push_back(std::move(t));
    }
    return lp;
}

Metrics ResponseCase::metrics(const analysis::AnalysisReport* report, int64_t nowMs) const
{
    Metrics m;
    m.awarenessAt = awareness(&m.awarenessSource);
    // Time to classification: awareness to the first analyst decision still on record.
    std::string firstDecision;
    for (const auto& c : m_state.history)
        if (c.source == "analyst") {
            firstDecision = c.ts;
            break;
        }
    if (!m.awarenessAt.empty())
        m.toClassification =
            makeClock("time_to_classification", "Time to classification", m.awarenessAt, firstDecision, nowMs);
    std::string contained;
    if (auto marks = const_cast<store::ResponseStore&>(m_sql).custodyWithActions({"contain.outcome"}))
        for (const auto& mk : *marks)
            if (confirmedContainment(mk.detail)) {
                contained = mk.ts;
                break;
            }
    if (!m.awarenessAt.empty())
        m.toContainment = makeClock("time_to_containment", "Time to containment", m.awarenessAt, contained, nowMs);

    if (const Playbook* pb = playbook()) {
        for (Phase p : kPhases) {
            PhaseProgress pp;
            pp.phase = p;
            for (const auto& i : pb->items) {
                if (i.phase != p) continue;
                ++pp.total;
                switch (itemState(i.id)) {
                case ItemState::Done:
                    ++pp.done;
                    break;
                case ItemState::NotApplicable:
                    ++pp.notApplicable;
                    break;
                case ItemState::InProgress:
                    ++pp.inProgress;
                    break;
                case ItemState::Open:
                    ++pp.open;
                    break;
                }
                const ItemState s = itemState(i.id);
                const std::string due = effectiveDue(i);
                if (s != ItemState::Done && s != ItemState::NotApplicable && !due.empty() && msOf(due) >= 0 &&
                    msOf(due) < nowMs)
                    ++pp.overdue;
                if (i.kind == ItemKind::Forensics) {
                    ++m.forensicsTotal;
                    if (s == ItemState::Done) ++m.forensicsDone;
                }
            }
            if (auto it = m_state.phases.find(std::string(phaseKey(p))); it != m_state.phases.end()) {
                pp.closed = it->second.closed;
                pp.closedBy = it->second.changedBy;
                pp.closedAt = it->second.changedAt;
            }
            if (!pp.closed) pp.blockers = gateBlockers(p);
            m.itemsTotal += pp.total;
            m.itemsClosed += pp.done + pp.notApplicable;
            m.phases.push_back(std::move(pp));
        }
    }
    if (auto entries = const_cast<store::CaseStore&>(m_store).custody())
        m.custodyIntact = custody::verifyChain(*entries).empty();
    else
        m.custodyIntact = false;
    if (report) {
        int64_t present = 0, total = 0;
        for (const auto& s : report->sessions) {
            if (s.type == analysis::IncidentType::None) continue;
            present += s.completeness.present.size();
            total += s.completeness.present.size() + s.completeness.missing.size();
        }
        if (total == 0)
            for (const auto& s : report->sessions) {
                present += s.completeness.present.size();
                total += s.completeness.present.size() + s.completeness.missing.size();
            }
        if (total > 0) m.artifactCompleteness = double(present) / double(total);
    }
    double sum = m.custodyIntact ? 1 : 0;
    int parts = 1;
    if (m.forensicsTotal > 0) {
        sum += double(m.forensicsDone) / m.forensicsTotal;
        ++parts;
    }
    if (m.artifactCompleteness >= 0) {
        sum += m.artifactCompleteness;
        ++parts;
    }
    m.forensicCompleteness = sum / parts;

    std::set<std::string> agents;
    for (const auto& [a, b] : m_state.baselines)
        agents.insert(a);
    for (const auto& [a, p] : m_state.agentProfiles)
        agents.insert(a);
    for (const auto& a : agents)
        if (highRisk(a)) m.highRiskAgents.push_back(a);
    const int64_t aw = msOf(m.awarenessAt);
    if (!m.highRiskAgents.empty() && aw >= 0) {
        // EU AI Act Article 73: a serious incident of a high-risk AI system is reported immediately once a causal link
        // is established or reasonably likely, and at the latest within these periods after awareness.
        struct D
        {
            const char* id;
            const char* title;
            int days;
        };
        for (const D& d : {D{"eu_ai_act_art73_2", "Art. 73(2) serious incident: report within 15 days", 15},
                           D{"eu_ai_act_art73_4", "Art. 73(4) death of a person: report within 10 days", 10},
                           D{"eu_ai_act_art73_3",
                             "Art. 73(3) widespread infringement or critical infrastructure: within 2 days", 2}}) {
            Clock c = makeClock(d.id, d.title, m.awarenessAt, {}, nowMs);
            const int64_t deadline = aw + int64_t(d.days) * 86400000LL;
            c.deadline = rfcOfMs(deadline);
            c.remainingMs = deadline - nowMs;
            m.euAiAct.push_back(std::move(c));
        }
    }
    return m;
}

namespace {
Value clockJson(const Clock& c)
{
    auto o = Value::object({{"id", Value::string(c.id)},
                            {"title", Value::string(c.title)},
                            {"from", Value::string(c.from)},
                            {"to", c.to.empty() ? Value() : Value::string(c.to)},
                            {"running", Value::boolean(c.to.empty())},
                            {"elapsed_ms", Value::integer(c.elapsedMs)}});
    if (!c.deadline.empty()) {
        o.set("deadline", Value::string(c.deadline));
        o.set("remaining_ms", Value::integer(c.remainingMs));
    }
    return o;
}

std::string duration(int64_t ms)
{
    if (ms < 0) return "-" + duration(-ms);
    const int64_t s = ms / 1000;
    char buf[64];
    if (s >= 86400)
        std::snprintf(buf, sizeof buf, "%lldd %02lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
    else if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lldh %02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else
        std::snprintf(buf, sizeof buf, "%lldm %02llds", (long long)(s / 60), (long long)(s % 60));
    return buf;
}
} // namespace

std::string formatDuration(int64_t ms)
{
    return duration(ms);
}

json::Value ResponseCase::toJson(const analysis::AnalysisReport* report, int64_t nowMs) const
{
    auto classify = [](const std::optional<store::ClassificationRecord>& c) {
        if (!c) return Value();
        auto o = Value::object({{"type", Value::string(c->type)},
                                {"tier", c->tier ? Value::integer(c->tier) : Value()},
                                {"actor", Value::string(c->actor)},
                                {"ts", Value::string(c->ts)},
                                {"reason", Value::string(c->reason)}});
        if (c->confidence >= 0) o.set("confidence", Value::number(c->confidence));
        return o;
    };
    auto out = Value::object();
    out.set("type", m_state.type.empty() ? Value() : Value::string(m_state.type));
    out.set("tier", m_state.tier ? Value::integer(m_state.tier) : Value());
    out.set("decided_by", Value::string(m_state.analyst ? "analyst" : m_state.machine ? "machine" : "none"));
    out.set("machine", classify(m_state.machine));
    out.set("analyst", classify(m_state.analyst));
    auto hist = Value::array();
    for (const auto& c : m_state.history) {
        auto o = classify(c);
        o.set("source", Value::string(c.source));
        hist.append(std::move(o));
    }
    out.set("history", hist);
    const Playbook* pb = playbook();
    out.set("playbook", pb ? Value::string(pb->title) : Value());
    const Metrics m = metrics(report, nowMs);
    auto phases = Value::array();
    for (Phase p : kPhases) {
        auto po = Value::object(
            {{"phase", Value::string(std::string(phaseKey(p)))}, {"title", Value::string(std::string(phaseTitle(p)))}});
        for (const auto& pp : m.phases)
            if (pp.phase == p) {
                po.set("closed", Value::boolean(pp.closed));
                po.set("total", Value::integer(pp.total));
                po.set("done", Value::integer(pp.done));
                po.set("not_applicable", Value::integer(pp.notApplicable));
                po.set("in_progress", Value::integer(pp.inProgress));
                po.set("overdue", Value::integer(pp.overdue));
                auto bl = Value::array();
                for (const auto& b : pp.blockers)
                    bl.append(Value::string(b));
                po.set("blockers", bl);
            }
        auto items = Value::array();
        if (pb)
            for (const auto& i : pb->items) {
                if (i.phase != p) continue;
                const auto r = item(i.id);
                auto ev = Value::array();
                for (const auto& e : r.events)
                    ev.append(Value::string(e));
                items.append(Value::object({{"id", Value::string(i.id)},
                                            {"title", Value::string(i.title)},
                                            {"kind", Value::string(std::string(itemKindKey(i.kind)))},
                                            {"gate", Value::boolean(i.gate)},
                                            {"state", Value::string(std::string(itemStateKey(itemState(i.id))))},
                                            {"owner", Value::string(r.owner)},
                                            {"due", Value::string(effectiveDue(i))},
                                            {"notes", Value::string(r.notes)},
                                            {"events", ev},
                                            {"csf", Value::string(i.csf)},
                                            {"csf_function", Value::string(std::string(csfFunction(i.csf)))},
                                            {"atlas", i.atlas.empty() ? Value() : Value::string(i.atlas)},
                                            {"changed_by", Value::string(r.changedBy)},
                                            {"changed_at", Value::string(r.changedAt)}}));
            }
        po.set("items", items);
        phases.append(std::move(po));
    }
    out.set("phases", phases);
    auto roles = Value::array();
    for (const auto& r : m_state.roles)
        roles.append(Value::object({{"id", Value::string(r.id)}, {"name", Value::string(r.name)}}));
    out.set("roles", roles);
    auto raci = Value::array();
    for (const auto& act : raciActivities()) {
        auto cells = Value::object();
        for (const auto& r : m_state.roles)
            if (auto it = m_state.raci.find({act, r.id}); it != m_state.raci.end())
                cells.set(r.id, Value::string(std::string(1, it->second)));
        raci.append(Value::object({{"activity", Value::string(act)}, {"cells", cells}}));
    }
    out.set("raci", raci);
    auto probs = Value::array();
    for (const auto& p : raciProblems())
        probs.append(Value::object({{"activity", Value::string(p.activity)}, {"problem", Value::string(p.what)}}));
    out.set("raci_problems", probs);
    const LadderProposal lp = ladder(report);
    auto steps = Value::array();
    for (const auto& s : lp.revokeFirst) {
        auto t = Value::array();
        for (const auto& x : s.targets)
            t.append(Value::string(x));
        steps.append(
            Value::object({{"step", Value::string(s.step)}, {"title", Value::string(s.title)}, {"targets", t}}));
    }
    auto tierActions = Value::array();
    for (const auto& a : lp.tierActions)
        tierActions.append(Value::string(a));
    out.set("containment", Value::object({{"agent", Value::string(lp.agent)},
                                          {"criticality", Value::string(lp.criticality)},
                                          {"tier", Value::integer(lp.tier)},
                                          {"tier_actions", tierActions},
                                          {"rung", Value::string(lp.rung)},
                                          {"why", Value::string(lp.why)},
                                          {"revoke_first", steps}}));
    auto clocks = Value::object();
    clocks.set("awareness", m.awarenessAt.empty() ? Value() : Value::string(m.awarenessAt));
    clocks.set("awareness_source", Value::string(m.awarenessSource));
    clocks.set("time_to_classification", m.toClassification ? clockJson(*m.toClassification) : Value());
    clocks.set("time_to_containment", m.toContainment ? clockJson(*m.toContainment) : Value());
    auto eu = Value::array();
    for (const auto& c : m.euAiAct)
        eu.append(clockJson(c));
    clocks.set("eu_ai_act", eu);
    out.set("clocks", clocks);
    auto hr = Value::array();
    for (const auto& a : m.highRiskAgents)
        hr.append(Value::string(a));
    out.set("metrics", Value::object({{"items_total", Value::integer(m.itemsTotal)},
                                      {"items_closed", Value::integer(m.itemsClosed)},
                                      {"forensics_done", Value::integer(m.forensicsDone)},
                                      {"forensics_total", Value::integer(m.forensicsTotal)},
                                      {"custody_intact", Value::boolean(m.custodyIntact)},
                                      {"artifact_completeness",
                                       m.artifactCompleteness >= 0 ? Value::number(m.artifactCompleteness) : Value()},
                                      {"forensic_chain_completeness", Value::number(m.forensicCompleteness)},
                                      {"high_risk_agents", hr}}));
    return out;
}

std::string ResponseCase::toText(const analysis::AnalysisReport* report, int64_t nowMs) const
{
    std::ostringstream o;
    const Metrics m = metrics(report, nowMs);
    const Playbook* pb = playbook();
    o << "Incident type: " << (m_state.type.empty() ? "undecided" : m_state.type) << "   tier "
      << (m_state.tier ? std::to_string(m_state.tier) : "-") << "   ("
      << (m_state.analyst   ? "analyst " + m_state.analyst->actor + " at " + m_state.analyst->ts
          : m_state.machine ? "machine proposal, not yet confirmed"
                            : "no proposal")
      << ")\n";
    if (m_state.machine)
        o << "Machine proposal: " << m_state.machine->type << " tier " << m_state.machine->tier << " confidence "
          << m_state.machine->confidence << "\n";
    if (m_state.analyst) o << "Analyst reason: " << m_state.analyst->reason << "\n";
    if (pb) o << "Playbook: " << pb->title << " (" << m.itemsClosed << "/" << m.itemsTotal << " items closed)\n";
    for (const auto& pp : m.phases) {
        o << "\n== " << phaseTitle(pp.phase) << " (" << pp.done + pp.notApplicable << "/" << pp.total << ")"
          << (pp.closed ? "  CLOSED by " + pp.closedBy : "") << "\n";
        for (const auto& i : pb->items) {
            if (i.phase != pp.phase) continue;
            const auto r = item(i.id);
            const char* mark = "[ ]";
            switch (itemState(i.id)) {
            case ItemState::Done:
                mark = "[x]";
                break;
            case ItemState::InProgress:
                mark = "[~]";
                break;
            case ItemState::NotApplicable:
                mark = "[-]";
                break;
            default:
                break;
            }
            o << "  " << mark << " " << i.title << (i.gate ? " (gate)" : "") << "  [" << i.csf
              << (i.atlas.empty() ? "" : " " + i.atlas) << "]";
            if (!r.owner.empty()) o << "  owner: " << r.owner;
            const std::string due = effectiveDue(i);
            if (!due.empty()) o << "  due: " << due;
            o << "\n";
        }
        for (const auto& b : pp.blockers)
            o << "  cannot close: " << b << "\n";
    }
    const auto probs = raciProblems();
    o << "\nRACI problems: " << (probs.empty() ? "none" : "") << "\n";
    for (const auto& p : probs)
        o << "  " << p.activity << ": " << p.what << "\n";
    const LadderProposal lp = ladder(report);
    o << "\nContainment: tier " << lp.tier << ", rung " << (lp.rung.empty() ? "-" : lp.rung) << " for "
      << (lp.agent.empty() ? "?" : lp.agent) << (lp.criticality.empty() ? "" : " (" + lp.criticality + ")")
      << (lp.why.empty() ? "" : ": " + lp.why) << "\n";
    for (const auto& s : lp.revokeFirst)
        o << "  " << s.title << (s.targets.empty() ? "" : ": " + joinList(s.targets)) << "\n";
    o << "\nClocks (awareness " << (m.awarenessAt.empty() ? "unknown" : m.awarenessAt) << ", " << m.awarenessSource
      << ")\n";
    for (const auto* c :
         {m.toClassification ? &*m.toClassification : nullptr, m.toContainment ? &*m.toContainment : nullptr}) {
        if (!c) continue;
        o << "  " << c->title << ": " << (c->elapsedMs >= 0 ? duration(c->elapsedMs) : "-")
          << (c->to.empty() ? " (running)" : "") << "\n";
    }
    for (const auto& c : m.euAiAct)
        o << "  " << c.title << ": due " << c.deadline << " ("
          << (c.remainingMs >= 0 ? duration(c.remainingMs) + " left" : duration(-c.remainingMs) + " overdue") << ")\n";
    o << "Forensic chain: " << int(m.forensicCompleteness * 100 + 0.5) << "% (preservation " << m.forensicsDone << "/"
      << m.forensicsTotal << ", custody " << (m.custodyIntact ? "intact" : "BROKEN")
      << (m.artifactCompleteness >= 0 ? ", artefacts " + std::to_string(int(m.artifactCompleteness * 100 + 0.5)) + "%"
                                      : "")
      << ")\n";
    return o.str();
}

} // namespace chainsight::response
