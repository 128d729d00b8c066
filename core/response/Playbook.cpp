// Loading playbook folders: yaml-cpp behind the wall, every node checked for kind, known keys and values, errors
// as "FILE:LINE: field: what is wrong".
#include "core/response/Playbook.h"

#include "core/io/Files.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <regex>
#include <set>

namespace chainsight::response {

namespace {
constexpr std::array<std::string_view, kPhaseCount> kPhaseKeys{"detect",    "analyze", "contain",
                                                               "eradicate", "recover", "post_incident"};
constexpr std::array<std::string_view, kPhaseCount> kPhaseTitles{"Detect",    "Analyze", "Contain",
                                                                 "Eradicate", "Recover", "Post-incident"};
const std::vector<std::string> kTypes{"reasoning_compromise", "privilege_boundary_escape", "runtime_execution_escape"};
const std::vector<std::string> kCriticalities{"customer-facing", "internal", "batch"};

// Collects the first problem; every check returns false once one is found.
class Reader
{
public:
    explicit Reader(QString file) : m_file(std::move(file)) {}

    bool fail(const YAML::Node& at, const std::string& field, const std::string& what)
    {
        if (m_error) return false;
        const int line = at.IsDefined() && at.Mark().line >= 0 ? at.Mark().line + 1 : -1;
        m_error =
            makeError(ErrorCode::Format, QString::fromStdString(what), m_file, line, QString::fromStdString(field));
        return false;
    }
    // Refuses keys outside allowed (typos would otherwise be silently ignored).
    bool keys(const YAML::Node& map, const std::string& field, const std::vector<std::string_view>& allowed)
    {
        if (!map.IsMap()) return fail(map, field, "expected a mapping");
        std::set<std::string> seen;
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (!it->first.IsScalar()) return fail(it->first, field, "keys must be plain words");
            const std::string k = it->first.Scalar();
            if (!seen.insert(k).second) return fail(it->first, join(field, k), "duplicate key");
            if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
                return fail(it->first, join(field, k), "unknown key (allowed: " + list(allowed) + ")");
        }
        return true;
    }
    bool str(const YAML::Node& map, std::string_view key, const std::string& field, std::string& out, bool required)
    {
        const YAML::Node n = map[std::string(key)];
        if (!n.IsDefined() || n.IsNull()) {
            if (required) return fail(map, join(field, key), "required");
            return true;
        }
        if (!n.IsScalar()) return fail(n, join(field, key), "expected text");
        out = n.Scalar();
        if (required && out.empty()) return fail(n, join(field, key), "must not be empty");
        return true;
    }
    bool integer(const YAML::Node& map, std::string_view key, const std::string& field, int& out, int lo, int hi)
    {
        const YAML::Node n = map[std::string(key)];
        if (!n.IsDefined() || n.IsNull()) return true;
        int v = 0;
        if (!n.IsScalar() || !YAML::convert<int>::decode(n, v) || v < lo || v > hi)
            return fail(n, join(field, key),
                        "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
        out = v;
        return true;
    }
    bool boolean(const YAML::Node& map, std::string_view key, const std::string& field, bool& out)
    {
        const YAML::Node n = map[std::string(key)];
        if (!n.IsDefined() || n.IsNull()) return true;
        if (!n.IsScalar() || !YAML::convert<bool>::decode(n, out))
            return fail(n, join(field, key), "expected true or false");
        return true;
    }
    bool strings(const YAML::Node& map, std::string_view key, const std::string& field, std::vector<std::string>& out)
    {
        const YAML::Node n = map[std::string(key)];
        if (!n.IsDefined() || n.IsNull()) return true;
        if (!n.IsSequence()) return fail(n, join(field, key), "expected a list");
        for (size_t i = 0; i < n.size(); ++i) {
            if (!n[i].IsScalar() || n[i].Scalar().empty())
                return fail(n[i], join(field, key) + "[" + std::to_string(i) + "]", "expected text");
            out.push_back(n[i].Scalar());
        }
        return true;
    }

    static std::string join(const std::string& a, std::string_view b)
    {
        return a.empty() ? std::string(b) : a + "." + std::string(b);
    }
    static std::string list(const std::vector<std::string_view>& l)
    {
        std::string out;
        for (auto s : l)
            out += (out.empty() ? "" : ", ") + std::string(s);
        return out;
    }
    const std::optional<Error>& error() const { return m_error; }
    const QString& file() const { return m_file; }

private:
    QString m_file;
    std::optional<Error> m_error;
};

int kindRank(ItemKind k)
{
    switch (k) {
    case ItemKind::Forensics:
        return 0;
    case ItemKind::Containment:
        return 1;
    case ItemKind::Task:
        return 2;
    case ItemKind::Verification:
        return 3;
    }
    return 2;
}

bool readItems(Reader& r, const YAML::Node& phases, std::vector<PlaybookItem>& out, const std::string& prefix)
{
    if (!r.keys(phases, "phases", std::vector<std::string_view>(kPhaseKeys.begin(), kPhaseKeys.end()))) return false;
    static const std::regex idRe("^[a-z0-9][a-z0-9._-]{0,79}$");
    static const std::regex atlasRe("^AML\\.M[0-9]{4}$");
    for (auto it = phases.begin(); it != phases.end(); ++it) {
        const std::string pk = it->first.Scalar();
        const Phase phase = *phaseFromKey(pk);
        const YAML::Node list = it->second;
        const std::string pf = "phases." + pk;
        if (list.IsNull()) continue;
        if (!list.IsSequence()) return r.fail(list, pf, "expected a list of items");
        for (size_t i = 0; i < list.size(); ++i) {
            const YAML::Node n = list[i];
            const std::string f = pf + "[" + std::to_string(i) + "]";
            if (!r.keys(n, f, {"id", "title", "detail", "kind", "csf", "atlas", "role", "gate", "due_hours"}))
                return false;
            PlaybookItem item;
            item.phase = phase;
            item.file = r.file().toStdString();
            item.line = n.Mark().line + 1;
            std::string kind = "task";
            if (!r.str(n, "id", f, item.id, true) || !r.str(n, "title", f, item.title, true) ||
                !r.str(n, "detail", f, item.detail, false) || !r.str(n, "kind", f, kind, false) ||
                !r.str(n, "csf", f, item.csf, true) || !r.str(n, "atlas", f, item.atlas, false) ||
                !r.str(n, "role", f, item.role, true) || !r.boolean(n, "gate", f, item.gate) ||
                !r.integer(n, "due_hours", f, item.dueHours, 0, 24 * 365))
                return false;
            if (!std::regex_match(item.id, idRe))
                return r.fail(n["id"], f + ".id", "ids are lower-case letters, digits, '.', '_' and '-' (at most 80)");
            if (!prefix.empty() && item.id.rfind(prefix, 0) != 0)
                return r.fail(n["id"], f + ".id", "ids in this file start with \"" + prefix + "\"");
            if (kind == "task")
                item.kind = ItemKind::Task;
            else if (kind == "forensics")
                item.kind = ItemKind::Forensics;
            else if (kind == "containment")
                item.kind = ItemKind::Containment;
            else if (kind == "verification")
                item.kind = ItemKind::Verification;
            else
                return r.fail(n["kind"], f + ".kind",
                              "unknown kind \"" + kind + "\" (task, forensics, containment, verification)");
            if (csfFunction(item.csf).empty())
                return r.fail(n["csf"], f + ".csf", "\"" + item.csf + "\" is not a CSF 2.0 category (GV.OC ... RC.CO)");
            if (!item.atlas.empty() && !std::regex_match(item.atlas, atlasRe))
                return r.fail(n["atlas"], f + ".atlas",
                              "\"" + item.atlas + "\" is not an ATLAS mitigation id (AML.M0000)");
            out.push_back(std::move(item));
        }
    }
    return true;
}

bool readResponse(Reader& r, const YAML::Node& root, PlaybookLibrary& lib, std::vector<PlaybookItem>& common)
{
    if (!r.keys(root, "", {"format", "roles", "raci", "tiers", "ladder", "containment_order", "phases"})) return false;
    const YAML::Node roles = root["roles"];
    if (!roles.IsDefined() || !roles.IsSequence() || roles.size() == 0)
        return r.fail(roles.IsDefined() ? roles : root, "roles", "expected a list of roles");
    for (size_t i = 0; i < roles.size(); ++i) {
        const std::string f = "roles[" + std::to_string(i) + "]";
        if (!r.keys(roles[i], f, {"id", "name"})) return false;
        Role role;
        if (!r.str(roles[i], "id", f, role.id, true) || !r.str(roles[i], "name", f, role.name, true)) return false;
        for (const auto& o : lib.roles)
            if (o.id == role.id) return r.fail(roles[i], f + ".id", "duplicate role \"" + role.id + "\"");
        lib.roles.push_back(role);
    }
    if (const YAML::Node raci = root["raci"]; raci.IsDefined()) {
        if (!r.keys(raci, "raci", std::vector<std::string_view>(kPhaseKeys.begin(), kPhaseKeys.end()))) return false;
        for (auto it = raci.begin(); it != raci.end(); ++it) {
            const std::string act = it->first.Scalar();
            const std::string f = "raci." + act;
            if (!it->second.IsMap()) return r.fail(it->second, f, "expected role: R|A|C|I");
            for (auto c = it->second.begin(); c != it->second.end(); ++c) {
                const std::string role = c->first.Scalar();
                if (std::none_of(lib.roles.begin(), lib.roles.end(), [&](const Role& x) { return x.id == role; }))
                    return r.fail(c->first, f + "." + role, "unknown role");
                const std::string v = c->second.IsScalar() ? c->second.Scalar() : std::string();
                if (v.size() != 1 || std::string_view("RACI").find(v[0]) == std::string_view::npos)
                    return r.fail(c->second, f + "." + role, "expected R, A, C or I");
                lib.defaultRaci[act][role] = v[0];
            }
        }
    }
    if (const YAML::Node tiers = root["tiers"]; tiers.IsDefined()) {
        if (!tiers.IsSequence()) return r.fail(tiers, "tiers", "expected a list");
        for (size_t i = 0; i < tiers.size(); ++i) {
            const std::string f = "tiers[" + std::to_string(i) + "]";
            if (!r.keys(tiers[i], f, {"tier", "title", "actions"})) return false;
            TierInfo t;
            t.tier = 0;
            if (!r.integer(tiers[i], "tier", f, t.tier, 1, 3) || !r.str(tiers[i], "title", f, t.title, true) ||
                !r.strings(tiers[i], "actions", f, t.actions))
                return false;
            if (t.tier == 0) return r.fail(tiers[i], f + ".tier", "required (1, 2 or 3)");
            lib.tiers.push_back(std::move(t));
        }
    }
    if (const YAML::Node ladder = root["ladder"]; ladder.IsDefined()) {
        if (!r.keys(ladder, "ladder", {"rungs", "rules"}) || !r.strings(ladder, "rungs", "ladder", lib.rungs))
            return false;
        const YAML::Node rules = ladder["rules"];
        if (!rules.IsDefined() || !rules.IsSequence())
            return r.fail(ladder, "ladder.rules", "expected a list of rules");
        for (size_t i = 0; i < rules.size(); ++i) {
            const std::string f = "ladder.rules[" + std::to_string(i) + "]";
            if (!r.keys(rules[i], f, {"tier", "type", "criticality", "rung", "why"})) return false;
            LadderRule rule;
            int tier = 0;
            if (!r.integer(rules[i], "tier", f, tier, 1, 3) || !r.str(rules[i], "type", f, rule.type, false) ||
                !r.str(rules[i], "criticality", f, rule.criticality, false) ||
                !r.str(rules[i], "rung", f, rule.rung, true) || !r.str(rules[i], "why", f, rule.why, false))
                return false;
            if (tier) rule.tier = tier;
            if (!rule.type.empty() && std::find(kTypes.begin(), kTypes.end(), rule.type) == kTypes.end())
                return r.fail(rules[i]["type"], f + ".type", "unknown incident type \"" + rule.type + "\"");
            if (!rule.criticality.empty() &&
                std::find(kCriticalities.begin(), kCriticalities.end(), rule.criticality) == kCriticalities.end())
                return r.fail(rules[i]["criticality"], f + ".criticality",
                              "expected customer-facing, internal or batch");
            if (std::find(lib.rungs.begin(), lib.rungs.end(), rule.rung) == lib.rungs.end())
                return r.fail(rules[i]["rung"], f + ".rung", "\"" + rule.rung + "\" is not one of ladder.rungs");
            lib.ladder.push_back(std::move(rule));
        }
    }
    if (const YAML::Node order = root["containment_order"]; order.IsDefined()) {
        if (!order.IsSequence()) return r.fail(order, "containment_order", "expected a list");
        for (size_t i = 0; i < order.size(); ++i) {
            const std::string f = "containment_order[" + std::to_string(i) + "]";
            if (!r.keys(order[i], f, {"id", "title", "targets"})) return false;
            ContainmentStep step;
            if (!r.str(order[i], "id", f, step.id, true) || !r.str(order[i], "title", f, step.title, true) ||
                !r.str(order[i], "targets", f, step.targets, false))
                return false;
            static const std::set<std::string> targets{"", "identities", "sessions", "agents", "tools", "destinations"};
            if (!targets.count(step.targets))
                return r.fail(order[i]["targets"], f + ".targets",
                              "expected identities, sessions, agents, tools or destinations");
            lib.containmentOrder.push_back(std::move(step));
        }
    }
    if (const YAML::Node phases = root["phases"]; phases.IsDefined())
        if (!readItems(r, phases, common, "common.")) return false;
    return true;
}
} // namespace

std::string_view phaseKey(Phase p)
{
    return kPhaseKeys[static_cast<size_t>(p)];
}
std::string_view phaseTitle(Phase p)
{
    return kPhaseTitles[static_cast<size_t>(p)];
}
std::optional<Phase> phaseFromKey(std::string_view key)
{
    for (Phase p : kPhases)
        if (phaseKey(p) == key) return p;
    return std::nullopt;
}

std::string_view csfFunction(std::string_view c)
{
    static const std::set<std::string_view> known{
        "GV.OC", "GV.RM", "GV.RR", "GV.PO", "GV.OV", "GV.SC", "ID.AM", "ID.RA", "ID.IM", "PR.AA", "PR.AT",
        "PR.DS", "PR.PS", "PR.IR", "DE.CM", "DE.AE", "RS.MA", "RS.AN", "RS.CO", "RS.MI", "RC.RP", "RC.CO"};
    if (!known.count(c)) return {};
    const std::string_view fn = c.substr(0, 2);
    if (fn == "GV") return "Govern";
    if (fn == "ID") return "Identify";
    if (fn == "PR") return "Protect";
    if (fn == "DE") return "Detect";
    if (fn == "RS") return "Respond";
    return "Recover";
}

std::string_view itemKindKey(ItemKind k)
{
    switch (k) {
    case ItemKind::Task:
        return "task";
    case ItemKind::Forensics:
        return "forensics";
    case ItemKind::Containment:
        return "containment";
    case ItemKind::Verification:
        return "verification";
    }
    return "task";
}

const Playbook* PlaybookLibrary::playbook(std::string_view type) const
{
    for (const auto& p : playbooks)
        if (p.type == type) return &p;
    return nullptr;
}

const PlaybookItem* PlaybookLibrary::item(std::string_view id) const
{
    for (const auto& p : playbooks)
        for (const auto& i : p.items)
            if (i.id == id) return &i;
    return nullptr;
}

const TierInfo* PlaybookLibrary::tier(int t) const
{
    for (const auto& x : tiers)
        if (x.tier == t) return &x;
    return nullptr;
}

namespace {
// Common items parsed from response.yaml, kept until every type file is read.
struct Pending
{
    std::vector<PlaybookItem> common;
    bool haveResponse = false;
};

Status parseInto(PlaybookLibrary& lib, Pending& pending, const std::string& text, const QString& name)
{
    Reader r(name);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        return makeError(ErrorCode::Format, QString::fromStdString(e.msg), name,
                         e.mark.line >= 0 ? e.mark.line + 1 : -1);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Format, QString::fromStdString(e.what()), name);
    }
    try {
        if (!root.IsMap())
            return makeError(ErrorCode::Format, QStringLiteral("expected a mapping with a format key"), name, 1);
        std::string format;
        r.str(root, "format", "", format, true);
        if (r.error()) return *r.error();
        if (format == "chainsight-response/1") {
            if (pending.haveResponse)
                return makeError(ErrorCode::Format,
                                 QStringLiteral("a second chainsight-response/1 file (there must be one)"), name, 1,
                                 QStringLiteral("format"));
            pending.haveResponse = true;
            readResponse(r, root, lib, pending.common);
        } else if (format == "chainsight-playbook/1") {
            Playbook pb;
            pb.file = name.toStdString();
            if (r.keys(root, "", {"format", "type", "title", "summary", "phases"}) &&
                r.str(root, "type", "", pb.type, true) && r.str(root, "title", "", pb.title, true) &&
                r.str(root, "summary", "", pb.summary, false)) {
                if (std::find(kTypes.begin(), kTypes.end(), pb.type) == kTypes.end())
                    r.fail(root["type"], "type",
                           "unknown incident type \"" + pb.type +
                               "\" (reasoning_compromise, privilege_boundary_escape, runtime_execution_escape)");
                else if (lib.playbook(pb.type))
                    r.fail(root["type"], "type", "a second playbook for " + pb.type);
                else if (!root["phases"].IsDefined())
                    r.fail(root, "phases", "required");
                else
                    readItems(r, root["phases"], pb.items, "");
            }
            if (!r.error()) lib.playbooks.push_back(std::move(pb));
        } else {
            r.fail(root["format"], "format",
                   "unknown format \"" + format + "\" (chainsight-response/1 or chainsight-playbook/1)");
        }
    } catch (const std::exception& e) { // yaml-cpp conversions; never let one escape core
        return makeError(ErrorCode::Format, QString::fromStdString(e.what()), name);
    }
    if (r.error()) return *r.error();
    lib.files.push_back(name.toStdString());
    return {};
}

void mergeCommon(PlaybookLibrary& lib, const std::vector<PlaybookItem>& common)
{
    for (auto& pb : lib.playbooks) {
        std::vector<PlaybookItem> all = common;
        all.insert(all.end(), pb.items.begin(), pb.items.end());
        std::stable_sort(all.begin(), all.end(), [](const PlaybookItem& a, const PlaybookItem& b) {
            if (a.phase != b.phase) return a.phase < b.phase;
            return kindRank(a.kind) < kindRank(b.kind);
        });
        pb.items = std::move(all);
    }
}
} // namespace

Status loadPlaybookText(PlaybookLibrary& lib, const std::string& text, const QString& name)
{
    Pending pending;
    pending.haveResponse = !lib.roles.empty();
    CS_TRY(parseInto(lib, pending, text, name));
    if (!pending.common.empty()) mergeCommon(lib, pending.common);
    return {};
}

Status validateLibrary(const PlaybookLibrary& lib)
{
    if (lib.roles.empty())
        return makeError(ErrorCode::Format,
                         QStringLiteral("no roles: the folder needs a chainsight-response/1 file (response.yaml)"));
    for (const auto& type : kTypes)
        if (!lib.playbook(type))
            return makeError(ErrorCode::Format, QStringLiteral("no playbook for %1").arg(QString::fromStdString(type)));
    for (const auto& pb : lib.playbooks) {
        std::set<std::string> ids;
        for (const auto& i : pb.items) {
            auto err = [&](const QString& field, const QString& what) {
                return makeError(ErrorCode::Format, what, QString::fromStdString(i.file), i.line, field);
            };
            if (!ids.insert(i.id).second)
                return err(QStringLiteral("id"),
                           QStringLiteral("duplicate item id \"%1\"").arg(QString::fromStdString(i.id)));
            if (std::none_of(lib.roles.begin(), lib.roles.end(), [&](const Role& r) { return r.id == i.role; }))
                return err(QStringLiteral("role"),
                           QStringLiteral("unknown role \"%1\"").arg(QString::fromStdString(i.role)));
        }
        // The same id in two playbooks must be the same (common) item: the checklist keys rows by id.
        for (const auto& other : lib.playbooks) {
            if (&other == &pb) continue;
            for (const auto& i : pb.items)
                if (i.id.rfind("common.", 0) != 0)
                    for (const auto& j : other.items)
                        if (i.id == j.id)
                            return makeError(ErrorCode::Format,
                                             QStringLiteral("item id \"%1\" is used by two playbooks")
                                                 .arg(QString::fromStdString(i.id)),
                                             QString::fromStdString(j.file), j.line, QStringLiteral("id"));
        }
    }
    return {};
}

Result<PlaybookLibrary> loadPlaybookLibrary(const QString& dir)
{
    QDir d(dir);
    if (!d.exists()) return makeError(ErrorCode::Io, QStringLiteral("no such folder"), dir);
    const QStringList names = d.entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files, QDir::Name);
    if (names.isEmpty()) return makeError(ErrorCode::Format, QStringLiteral("no playbook files (*.yaml)"), dir);
    PlaybookLibrary lib;
    Pending pending;
    for (const QString& n : names) {
        const QString path = d.filePath(n);
        auto text = io::readFileBounded(path, 4 << 20);
        if (!text) return text.error();
        CS_TRY(parseInto(lib, pending, *text, path));
    }
    mergeCommon(lib, pending.common);
    CS_TRY(validateLibrary(lib));
    return lib;
}

QString defaultPlaybookDir()
{
    const QByteArray env = qgetenv("CHAINSIGHT_PLAYBOOKS");
    if (!env.isEmpty()) return QString::fromLocal8Bit(env);
    const QString app = QCoreApplication::applicationDirPath();
    for (const QString& rel :
         {QStringLiteral("/../share/chainsight/playbooks"), QStringLiteral("/../../resources/playbooks"),
          QStringLiteral("/../resources/playbooks")}) {
        const QString p = QDir::cleanPath(app + rel);
        if (QFileInfo::exists(p + QStringLiteral("/response.yaml"))) return p;
    }
#ifdef CHAINSIGHT_SOURCE_PLAYBOOKS
    return QStringLiteral(CHAINSIGHT_SOURCE_PLAYBOOKS);
#else
    return QDir::cleanPath(app + QStringLiteral("/../share/chainsight/playbooks"));
#endif
}

} // namespace chainsight::response
