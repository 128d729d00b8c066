// Containment suggestions from the analysis and the baselines.
#include "core/containment/Suggestions.h"

#include <set>

namespace chainsight::containment {

namespace {
QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QString firstBackend(const QList<Backend>& backends, BackendKind kind)
{
    for (const auto& b : backends)
        if (b.kind == kind) return b.name;
    return {};
}

QString backendOption(const QList<Backend>& backends, const QString& name)
{
    for (const auto& b : backends)
        if (b.name == name) return b.options;
    return {};
}

// "sa:refund-bot@prod" -> "refund-bot@prod": the account as the directory knows it, without our kind prefix.
QString accountOf(const std::string& identity)
{
    QString id = q(identity);
    const int colon = id.indexOf(QLatin1Char(':'));
    if (colon > 0 && colon < 8 && !id.contains(QLatin1String("://"))) id = id.mid(colon + 1);
    return id;
}

QString k8sName(const QString& agent)
{
    QString n = agent.toLower();
    for (QChar& c : n)
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('-')) c = QLatin1Char('-');
    while (n.startsWith(QLatin1Char('-')))
        n.remove(0, 1);
    while (n.endsWith(QLatin1Char('-')))
        n.chop(1);
    return n.left(63);
}
} // namespace

std::vector<Suggestion> suggest(const analysis::AnalysisReport& report, const std::vector<AgentBaseline>& baselines,
                                const QList<Backend>& backends)
{
    std::vector<Suggestion> out;
    if (report.type == analysis::IncidentType::None) return out;

    // The agents to contain: those with an incident in one of their sessions (the report's order), else all in the
    // blast radius.
    std::vector<std::string> agents;
    std::set<std::string> seen;
    for (const auto& s : report.sessions)
        if (s.type != analysis::IncidentType::None && seen.insert(s.agent).second) agents.push_back(s.agent);
    if (agents.empty())
        for (const auto& a : report.blast.agents)
            if (seen.insert(a).second) agents.push_back(a);

    const QString oauth = firstBackend(backends, BackendKind::OAuth);
    const QString scim = firstBackend(backends, BackendKind::Scim);
    const QString k8s = firstBackend(backends, BackendKind::Kubernetes);
    const QString vault = firstBackend(backends, BackendKind::Vault);
    const QString gateway = firstBackend(backends, BackendKind::Gateway);
    const QString chat = firstBackend(backends, BackendKind::Chat);
    QString ns = backendOption(backends, k8s);
    if (ns.isEmpty()) ns = QStringLiteral("default");
    const QString type = q(std::string(analysis::incidentTypeName(report.type)));
    const int tier = report.tier;

    for (const auto& agentStd : agents) {
        const QString agent = q(agentStd);
        const AgentBaseline* base = nullptr;
        for (const auto& b : baselines)
            if (b.id == agentStd) base = &b;

        // The agent's identities that the incident reached (all in the blast radius when there is no baseline).
        std::vector<std::string> identities;
        for (const auto& id : report.blast.identities) {
            bool mine = !base || !base->identities;
            if (base && base->identities)
                for (const auto& own : *base->identities)
                    mine = mine || own == id;
            if (mine) identities.push_back(id);
        }
        if (identities.empty() && base && base->identities) identities = *base->identities;

        // Tools that can change something (not read-only) and that the agent used in the incident.
        std::vector<std::string> tools;
        for (const auto& t : report.blast.tools) {
            bool readOnly = false;
            if (base && base->readOnlyTools)
                for (const auto& r : *base->readOnlyTools)
                    readOnly = readOnly || r == t;
            bool own = !base || !base->allowedTools;
            if (base && base->allowedTools)
                for (const auto& a : *base->allowedTools)
                    own = own || a == t;
            if (!readOnly && own) tools.push_back(t);
        }

        auto add = [&](ActionKind kind, const QString& backend, const QString& target, const QString& stage,
                       const QString& why) {
            Suggestion s;
            s.spec.kind = kind;
            s.spec.backend = backend;
            s.spec.target = target;
            s.agent = agent;
            s.stage = stage;
            s.why = why;
            out.push_back(std::move(s));
        };

        // 1. Tokens and OAuth grants of each identity, and the secrets the agent could read.
        for (const auto& id : identities)
            add(ActionKind::RevokeToken, oauth, QStringLiteral("cred:token/") + q(id), QStringLiteral("tokens"),
                QStringLiteral("%1 acted as %2 in a %3 incident; its tokens outlive the session")
                    .arg(agent, q(id), type));
        add(ActionKind::RevokeVaultLeases, vault, QStringLiteral("database/creds/") + k8sName(agent),
            QStringLiteral("tokens"),
            QStringLiteral("dynamic secrets issued to %1 (edit the prefix to the agent's role)").arg(agent));
        // 2. Live sessions.
        add(ActionKind::KillSessions, gateway, agent, QStringLiteral("sessions"),
            QStringLiteral("end every running session of %1 so no tainted context keeps acting").arg(agent));
        // 3. The service account.
        for (const auto& id : identities)
            add(ActionKind::DisableAccount, scim, accountOf(id), QStringLiteral("service-account"),
                QStringLiteral("freeze %1 so no new token can be issued to it (reversible)").arg(q(id)));
        // 4. Tool integrations the incident used to change things.
        for (const auto& t : tools)
            add(ActionKind::QuarantineTool, gateway, q(t), QStringLiteral("tools"),
                QStringLiteral("%1 is a write tool %2 used during the incident").arg(q(t), agent));
        if (tier >= 3)
            add(ActionKind::BlockRule, gateway, agent, QStringLiteral("tools"),
                QStringLiteral("tier %1: block every tool call of %2 at the gateway until cleared")
                    .arg(tier)
                    .arg(agent));
        // 5. Downstream automations that consume the agent's output.
        add(ActionKind::PauseAutomations, gateway, agent, QStringLiteral("automations"),
            QStringLiteral("stop automations that act on %1's output before they propagate it").arg(agent));
        // Platform controls: quarantine keeps the pod for forensics; kill only at the highest tiers.
        add(ActionKind::QuarantinePod, k8s, ns + QLatin1Char('/') + k8sName(agent), QStringLiteral("platform"),
            QStringLiteral("deny the pod's egress while it keeps running (memory and disk stay for forensics)"));
        if (tier >= 4)
            add(ActionKind::ScaleToZero, k8s, ns + QLatin1Char('/') + k8sName(agent), QStringLiteral("platform"),
                QStringLiteral("tier %1: stop the agent entirely").arg(tier));
        // People who depend on the agent.
        const QString owner = base && !base->owner.empty() ? q(base->owner) : agent + QStringLiteral(" owners");
        Suggestion n;
        n.spec.kind = ActionKind::Notify;
        n.spec.backend = chat;
        n.spec.target = owner;
        n.spec.message = QStringLiteral("[Chainsight] %1 is being contained (%2, tier %3). Expect its tools and "
                                        "automations to be paused; ask the incident channel before re-enabling.")
                             .arg(agent, type)
                             .arg(tier);
        n.agent = agent;
        n.stage = QStringLiteral("people");
        n.why = QStringLiteral("%1 owns %2; its users will see it stop").arg(owner, agent);
        out.push_back(std::move(n));
    }
    return out;
}

} // namespace chainsight::containment
