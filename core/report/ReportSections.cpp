// The sections of the incident report, each as HTML the template places (see ReportRenderer.h). Free text goes
// through the redactor in the legal review copy; ids, times and SHA-256 sums never do.
#include "core/analysis/Atlas.h"
#include "core/json/Json.h"
#include "core/report/Redaction.h"
#include "core/report/ReportRenderer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

namespace chainsight::report {

const std::vector<std::string>& sectionNames()
{
    static const std::vector<std::string> names = {
        "summary",   "classification", "charts",    "kill_chain", "findings",    "blast_radius",
        "ai_bom",    "completeness",   "checklist", "raci",       "containment", "nist",
        "eu_ai_act", "evidence",       "custody",   "notes",      "exhibits"};
    return names;
}

namespace {

class Html
{
public:
    explicit Html(Redactor* r) : m_r(r) {}
    // Free text: masked in the legal copy.
    QString text(const std::string& s) const { return text(fromStd(s)); }
    QString text(const QString& s) const { return (m_r ? m_r->apply(s) : s).toHtmlEscaped(); }
    // Identifiers, times, hashes: never masked.
    static QString id(const std::string& s) { return fromStd(s).toHtmlEscaped(); }
    bool legal() const { return m_r != nullptr; }

private:
    Redactor* m_r;
};

QString th(std::initializer_list<const char*> cols)
{
    QString out = QStringLiteral("<tr>");
    for (const char* c : cols)
        out += QStringLiteral("<th>%1</th>").arg(QString::fromUtf8(c));
    return out + QStringLiteral("</tr>");
}

QString td(const QString& s, const QString& cls = {})
{
    return cls.isEmpty() ? QStringLiteral("<td>%1</td>").arg(s)
                         : QStringLiteral("<td class=\"%1\">%2</td>").arg(cls, s);
}

QString kv(const QString& k, const QString& v)
{
    return QStringLiteral("<tr><td class=\"k\">%1</td><td>%2</td></tr>").arg(k, v);
}

QString tableOpen(bool kvTable = false)
{
    return kvTable ? QStringLiteral(
                         "<table class=\"data kv\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" width=\"100%\">")
                   : QStringLiteral(
                         "<table class=\"data\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" width=\"100%\">");
}

QString humanType(std::string_view t)
{
    QString s =
        QString::fromUtf8(t.data(), static_cast<qsizetype>(t.size())).replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!s.isEmpty()) s[0] = s[0].toUpper();
    return s;
}

QString time(int64_t ns)
{
    return ns ? fromStd(formatTs(ns)).replace(QLatin1Char('T'), QLatin1Char(' ')).remove(QLatin1Char('Z')) : QString();
}

QString atlasList(const std::vector<analysis::AtlasRef>& refs)
{
    QStringList out;
    for (const auto& a : refs)
        out << QStringLiteral("<b>%1</b> %2").arg(Html::id(a.id), Html::id(a.name));
    return out.join(QStringLiteral("<br>"));
}

QString list(const Html& h, const std::set<std::string>& values, size_t max = 40)
{
    QStringList out;
    for (const auto& v : values) {
        if (static_cast<size_t>(out.size()) == max) {
            out << QStringLiteral("… %1 more").arg(values.size() - max);
            break;
        }
        out << h.text(v);
    }
    return out.isEmpty() ? QStringLiteral("<span class=\"muted\">none</span>") : out.join(QStringLiteral(", "));
}

QString severityClass(analysis::Severity s)
{
    return QStringLiteral("sev-") + fromStd(std::string(analysis::severityName(s)));
}

std::map<std::string, int64_t> eventTimes(const ReportData& d)
{
    std::map<std::string, int64_t> t;
    for (const auto& s : d.killChain)
        t[s.eventId] = s.tsNs;
    return t;
}

int findingsOf(const ReportData& d, analysis::Severity s)
{
    return static_cast<int>(std::count_if(d.analysis.findings.begin(), d.analysis.findings.end(),
                                          [s](const analysis::Finding& f) { return f.severity == s; }));
}

int flaggedSessions(const ReportData& d)
{
    return static_cast<int>(
        std::count_if(d.analysis.sessions.begin(), d.analysis.sessions.end(), [](const analysis::SessionVerdict& s) {
            return s.type != analysis::IncidentType::None || s.maxSeverity >= analysis::Severity::Medium;
        }));
}

std::vector<const CustodyEntry*> containment(const ReportData& d)
{
    std::vector<const CustodyEntry*> out;
    for (const auto& c : d.custody)
        if (c.action.rfind("contain.", 0) == 0) out.push_back(&c);
    return out;
}

int64_t firstHarm(const ReportData& d)
{
    int64_t t = 0;
    for (const auto& s : d.killChain)
        if (s.role == KillChainStep::Role::Action && (!t || s.tsNs < t)) t = s.tsNs;
    return t;
}

std::set<std::string> atlasIds(const ReportData& d)
{
    std::set<std::string> ids;
    for (const auto& f : d.analysis.findings)
        for (const auto& a : f.atlas)
            ids.insert(a.id);
    for (const auto& s : d.killChain)
        for (const auto& a : s.atlas)
            ids.insert(a.id);
    return ids;
}

QString verdictLine(const ReportData& d)
{
    const auto& a = d.analysis;
    return QStringLiteral("%1 — tier %2 (confidence %3%)")
        .arg(humanType(analysis::incidentTypeName(a.type)))
        .arg(a.tier)
        .arg(std::lround(a.confidence * 100));
}

QString summary(const ReportData& d, const Html& h)
{
    const auto& a = d.analysis;
    QString out = QStringLiteral("<h2>Summary</h2><p class=\"verdict\">%1</p>").arg(verdictLine(d).toHtmlEscaped());
    std::set<std::string> agents;
    for (const auto& s : a.sessions)
        agents.insert(s.agent);
    QString text =
        QStringLiteral(
            "Between %1 and %2 UTC the case holds %3 events of %4 agents in %5 sessions, from %6 evidence bundle(s). ")
            .arg(time(d.minTs), time(d.maxTs))
            .arg(d.events)
            .arg(agents.size())
            .arg(a.sessions.size())
            .arg(d.bundles.size());
    if (a.type != analysis::IncidentType::None)
        text += QStringLiteral("%1 harmful action(s) drew on %2 poisoned source(s); the first source is %3 and the "
                               "first harmful action %4. ")
                    .arg(a.harmfulActions.size())
                    .arg(a.injectionSources.size())
                    .arg(a.injectionSources.empty() ? QStringLiteral("unknown") : Html::id(a.injectionSources.front()))
                    .arg(a.harmfulActions.empty() ? QStringLiteral("unknown") : Html::id(a.harmfulActions.front()));
    else
        text += QStringLiteral("The analysis found no harmful action driven by outside content. ");
    text += QStringLiteral("The blast radius reaches %1 identities, %2 tools and %3 destinations.")
                .arg(a.blast.identities.size())
                .arg(a.blast.tools.size())
                .arg(a.blast.destinations.size());
    out += QStringLiteral("<p>%1</p>").arg(text);
    out += tableOpen(true);
    out += kv(QStringLiteral("Incident type"), humanType(analysis::incidentTypeName(a.type)));
    out += kv(QStringLiteral("Tier"), QString::number(a.tier));
    out += kv(QStringLiteral("Confidence"), QStringLiteral("%1%").arg(std::lround(a.confidence * 100)));
    out += kv(QStringLiteral("Window (UTC)"), time(d.minTs) + QStringLiteral(" – ") + time(d.maxTs));
    out += kv(QStringLiteral("Events"), QString::number(d.events));
    out += kv(QStringLiteral("Sessions flagged"),
              QStringLiteral("%1 of %2").arg(flaggedSessions(d)).arg(a.sessions.size()));
    out += kv(QStringLiteral("Findings"), QStringLiteral("%1 (critical %2, high %3, medium %4, low %5)")
                                              .arg(a.findings.size())
                                              .arg(findingsOf(d, analysis::Severity::Critical))
                                              .arg(findingsOf(d, analysis::Severity::High))
                                              .arg(findingsOf(d, analysis::Severity::Medium))
                                              .arg(findingsOf(d, analysis::Severity::Low)));
    out += kv(QStringLiteral("Harmful actions"), QString::number(a.harmfulActions.size()));
    out += kv(QStringLiteral("Poisoned sources"), QString::number(a.injectionSources.size()));
    out += kv(QStringLiteral("Taint edges"), QString::number(a.taintTotal));
    out += kv(QStringLiteral("Kill chain steps"), QString::number(d.killChain.size()));
    out += kv(QStringLiteral("Evidence files"), QString::number(d.evidence.size()));
    out += kv(QStringLiteral("Custody entries"),
              QStringLiteral("%1 (%2)")
                  .arg(d.custody.size())
                  .arg(d.custodyIntact ? QStringLiteral("<span class=\"ok\">chain intact</span>")
                                       : QStringLiteral("<span class=\"bad\">chain BROKEN</span>")));
    out += QStringLiteral("</table>");
    (void)h;
    return out;
}

QString classification(const ReportData& d, const Html& h)
{
    const auto& a = d.analysis;
    const auto times = eventTimes(d);
    QString out = QStringLiteral("<h2>Incident type, tier and reasons</h2>");
    out += QStringLiteral("<p>Machine classification: <b>%1</b>. The reasons, each with the event it rests on:</p>")
               .arg(verdictLine(d).toHtmlEscaped());
    out += tableOpen() + th({"#", "Event", "Time (UTC)", "Reason"});
    int i = 0;
    for (const auto& r : a.rationale) {
        auto t = times.find(r.event);
        out += QStringLiteral("<tr>") + td(QString::number(++i)) + td(Html::id(r.event)) +
               td(t != times.end() ? time(t->second) : QString()) + td(h.text(r.why)) + QStringLiteral("</tr>");
    }
    if (!i)
        out += QStringLiteral("<tr><td colspan=\"4\" class=\"muted\">No reason recorded: no incident found.</td></tr>");
    out += QStringLiteral("</table>");
    out += QStringLiteral("<h3>Analyst classification</h3>");
    if (d.classifications.empty()) {
        out += QStringLiteral("<p class=\"muted\">No classification has been recorded by an analyst; the machine "
                              "classification above stands.</p>");
    } else {
        out += tableOpen() + th({"When", "By", "Source", "Type", "Tier", "Confidence", "Reason"});
        for (const auto& c : d.classifications)
            out += QStringLiteral("<tr>") + td(Html::id(c.ts)) + td(h.text(c.actor)) + td(Html::id(c.source)) +
                   td(humanType(c.incidentType)) + td(c.tier ? QString::number(*c.tier) : QString()) +
                   td(c.confidence ? QStringLiteral("%1%").arg(std::lround(*c.confidence * 100)) : QString()) +
                   td(h.text(c.reason)) + QStringLiteral("</tr>");
        out += QStringLiteral("</table>");
    }
    return out;
}

QString image(const std::map<QString, QImage>& images, const QString& name, double maxHeight)
{
    auto it = images.find(name);
    if (it == images.end() || it->second.isNull())
        return QStringLiteral("<p class=\"muted\">(no picture: the case has no events)</p>");
    const double iw = it->second.width(), ih = it->second.height();
    double w = 680, hgt = 680 * ih / iw;
    if (hgt > maxHeight) {
        hgt = maxHeight;
        w = maxHeight * iw / ih;
    }
    return QStringLiteral("<p align=\"center\"><img src=\"cs-image:%1\" width=\"%2\" height=\"%3\"></p>")
        .arg(name)
        .arg(std::lround(w))
        .arg(std::lround(hgt));
}

QString charts(const ReportData& d, const std::map<QString, QImage>& images)
{
    QString out = QStringLiteral("<h2 style=\"page-break-before: always;\">Timeline and execution graph</h2>");
    out += image(images, QStringLiteral("timeline"), 300);
    out += QStringLiteral("<p class=\"muted\">Figure 1. Events per time bin, stacked by type; red lines mark the kill "
                          "chain (triangles: poisoned sources).</p>");
    out += image(images, QStringLiteral("graph"), 640);
    out += QStringLiteral("<p class=\"muted\">Figure 2. The execution graph (agents, sessions, sources, documents, "
                          "tools, identities, destinations); the kill chain in red: %1 node(s).</p>")
               .arg(std::count_if(d.killChain.begin(), d.killChain.end(),
                                  [](const KillChainStep& s) { return s.role != KillChainStep::Role::Context; }));
    return out;
}

// A kill chain of thousands of steps (an injected agent looping at machine speed) would make a report no one reads
// and a PDF of hundreds of pages. The table and the exhibits show the first steps in time order and say what is
// left out; every step stays in the case and in `chainsight analyze CASE.db --json` (its taint and harmful actions).
constexpr size_t kKillChainRowsShown = 200;
constexpr size_t kExhibitsShown = 100;

// What the first `shown` steps (not counting context steps when exhibitsOnly) leave out, as one sentence; empty
// when nothing is.
QString notShown(const ReportData& d, size_t shown, bool exhibitsOnly)
{
    size_t seen = 0, n = 0, sources = 0, actions = 0, context = 0;
    int64_t first = std::numeric_limits<int64_t>::max(), last = std::numeric_limits<int64_t>::min();
    for (const auto& s : d.killChain) {
        if (exhibitsOnly && s.role == KillChainStep::Role::Context) continue;
        if (seen++ < shown) continue;
        ++n;
        sources += s.role == KillChainStep::Role::Source;
        actions += s.role == KillChainStep::Role::Action;
        context += s.role == KillChainStep::Role::Context;
        first = std::min(first, s.tsNs);
        last = std::max(last, s.tsNs);
    }
    if (!n) return {};
    return QStringLiteral("%1 more %2 not shown here (%3 poisoned source(s), %4 harmful action(s)%5), from %6 to %7 "
                          "UTC. Every step stays in the case: <tt>chainsight analyze CASE.db --json</tt> lists them "
                          "(injection_sources, harmful_actions, taint; context steps under rationale).")
        .arg(n)
        .arg(exhibitsOnly ? QStringLiteral("kill-chain event(s)") : QStringLiteral("step(s)"))
        .arg(sources)
        .arg(actions)
        .arg(context ? QStringLiteral(", %1 context").arg(context) : QString())
        .arg(time(first), time(last));
}

QString killChain(const ReportData& d, const Html& h)
{
    QString out = QStringLiteral("<h2>Kill chain, mapped to MITRE ATLAS</h2>");
    out += QStringLiteral("<p>From the poisoned source(s) to the harmful action(s), in time order; ATLAS %1.</p>")
               .arg(fromStd(d.analysis.atlasVersion).toHtmlEscaped());
    out += tableOpen() +
           th({"#", "Time (UTC)", "Step", "Event", "Agent / session", "What happened", "MITRE ATLAS", "Control"});
    size_t i = 0;
    for (const auto& s : d.killChain) {
        if (i == kKillChainRowsShown) break;
        const QString cls = s.role == KillChainStep::Role::Context ? QString() : QStringLiteral(" class=\"kill\"");
        out += QStringLiteral("<tr%1>").arg(cls) + td(QString::number(++i)) + td(time(s.tsNs)) +
               td(fromStd(std::string(roleName(s.role)))) +
               td(Html::id(s.eventId) + QStringLiteral("<br><span class=\"muted\">%1</span>").arg(Html::id(s.type))) +
               td(h.text(s.agent) + QStringLiteral("<br><span class=\"muted\">%1</span>").arg(Html::id(s.session))) +
               td(h.text(s.summary)) + td(atlasList(s.atlas)) + td(Html::id(s.decision)) + QStringLiteral("</tr>");
    }
    if (!i)
        out += QStringLiteral(
            "<tr><td colspan=\"8\" class=\"muted\">No kill chain: no harmful action traced to a source.</td></tr>");
    if (const QString rest = notShown(d, kKillChainRowsShown, false); !rest.isEmpty())
        out += QStringLiteral("<tr><td colspan=\"8\" class=\"muted\">%1</td></tr>").arg(rest);
    return out + QStringLiteral("</table>");
}

QString findings(const ReportData& d, const Html& h)
{
    std::vector<const analysis::Finding*> fs;
    for (const auto& f : d.analysis.findings)
        fs.push_back(&f);
    std::stable_sort(fs.begin(), fs.end(), [](auto* a, auto* b) { return a->severity > b->severity; });
    const size_t max = 120;
    QString out =
        QStringLiteral("<h2>Findings</h2><p>%1 finding(s)%2.</p>")
            .arg(fs.size())
            .arg(fs.size() > max
                     ? QStringLiteral(", the %1 most severe shown (all: <tt>chainsight analyze --json</tt>)").arg(max)
                     : QString());
    out += tableOpen() + th({"Severity", "Rule", "Finding", "Events", "MITRE ATLAS"});
    for (size_t i = 0; i < fs.size() && i < max; ++i) {
        const auto& f = *fs[i];
        QStringList ev;
        for (size_t k = 0; k < f.events.size() && k < 4; ++k)
            ev << Html::id(f.events[k]);
        if (f.events.size() > 4) ev << QStringLiteral("+%1").arg(f.events.size() - 4);
        out += QStringLiteral("<tr>") +
               td(fromStd(std::string(analysis::severityName(f.severity))), severityClass(f.severity)) +
               td(Html::id(f.rule)) + td(h.text(f.summary)) + td(ev.join(QStringLiteral("<br>"))) +
               td(atlasList(f.atlas)) + QStringLiteral("</tr>");
    }
    if (fs.empty()) out += QStringLiteral("<tr><td colspan=\"5\" class=\"muted\">No finding.</td></tr>");
    return out + QStringLiteral("</table>");
}

QString blast(const ReportData& d, const Html& h)
{
    const auto& b = d.analysis.blast;
    QString out = QStringLiteral("<h2>Blast radius</h2><p>What the compromised agent(s) reached.</p>") + tableOpen() +
                  th({"What", "Count", "Values"});
    auto row = [&](const char* name, const std::set<std::string>& v) {
        out += QStringLiteral("<tr>") + td(QString::fromUtf8(name)) + td(QString::number(v.size())) + td(list(h, v)) +
               QStringLiteral("</tr>");
    };
    row("Agents", b.agents);
    row("Identities", b.identities);
    row("Tools", b.tools);
    row("Destinations", b.destinations);
    row("Data sources", b.dataSources);
    return out + QStringLiteral("</table>");
}

QString aiBom(const ReportData& d, const Html& h)
{
    QString out = QStringLiteral("<h2>Runtime AI-BOM</h2><p>Models, tools, MCP servers, retrieval sources, memory "
                                 "stores and identities each agent was seen to use.</p>");
    out += tableOpen() + th({"Agent", "Models", "Tools", "MCP servers", "RAG sources", "Memory", "Identities"});
    for (const auto& b : d.analysis.aiBom)
        out += QStringLiteral("<tr>") + td(QStringLiteral("<b>%1</b>").arg(h.text(b.agent))) +
               td(list(h, b.models, 10)) + td(list(h, b.tools, 20)) + td(list(h, b.mcpServers, 10)) +
               td(list(h, b.ragSources, 12)) + td(list(h, b.memoryStores, 8)) + td(list(h, b.identities, 8)) +
               QStringLiteral("</tr>");
    return out + QStringLiteral("</table>");
}

QString completeness(const ReportData& d)
{
    const auto& a = d.analysis;
    const int64_t total = static_cast<int64_t>(a.sessions.size());
    int held = 0, complete = 0;
    for (const auto& s : a.sessions)
        if (s.completeness.missing.empty()) ++complete;
    QString rows;
    for (int i = 1; i <= 6; ++i) {
        const std::string name(artifactName(static_cast<Artifact>(i)));
        auto it = a.artifactSessions.find(name);
        const int64_t n = it == a.artifactSessions.end() ? 0 : it->second;
        if (n) ++held;
        rows += QStringLiteral("<tr>") + td(QString::number(i)) + td(humanType(name)) + td(QString::number(n)) +
                td(total ? QStringLiteral("%1%").arg(std::lround(100.0 * n / total)) : QString()) +
                td(n ? QStringLiteral("<span class=\"ok\">held</span>")
                     : QStringLiteral("<span class=\"bad\">missing</span>")) +
                QStringLiteral("</tr>");
    }
    QString out = QStringLiteral("<h2>Six-artifact completeness</h2><p>The case holds %1 of the six forensic "
                                 "artifacts; %2 of %3 sessions hold every artifact their kind of work produces.</p>")
                      .arg(held)
                      .arg(complete)
                      .arg(total);
    return out + tableOpen() + th({"#", "Artifact", "Sessions holding it", "Share", "Status"}) + rows +
           QStringLiteral("</table>");
}

QString checklist(const ReportData& d, const Html& h)
{
    QString out = QStringLiteral("<h2>Response checklist</h2>");
    if (d.checklist.empty())
        return out + QStringLiteral("<p class=\"muted\">The response checklist has not been started in this case.</p>");
    int done = 0;
    for (const auto& c : d.checklist)
        if (c.state == "done" || c.state == "closed" || c.state == "na" || c.state == "skipped") ++done;
    out += QStringLiteral("<p>%1 of %2 item(s) closed.</p>").arg(done).arg(d.checklist.size());
    out += tableOpen() + th({"Item", "State", "Owner", "Due", "Notes", "Changed"});
    for (const auto& c : d.checklist)
        out +=
            QStringLiteral("<tr>") + td(Html::id(c.item)) + td(Html::id(c.state)) + td(h.text(c.owner)) +
            td(Html::id(c.due)) + td(h.text(c.notes)) +
            td(h.text(c.changedBy) + QStringLiteral("<br><span class=\"muted\">%1</span>").arg(Html::id(c.changedAt))) +
            QStringLiteral("</tr>");
    return out + QStringLiteral("</table>");
}

QString raci(const ReportData& d, const Html& h)
{
    QString out = QStringLiteral("<h2>RACI matrix</h2>");
    if (d.raci.empty()) return out + QStringLiteral("<p class=\"muted\">No RACI assignment recorded in this case.</p>");
    std::vector<std::string> roles, activities;
    std::map<std::pair<std::string, std::string>, std::string> cell;
    for (const auto& r : d.raci) {
        if (std::find(roles.begin(), roles.end(), r.role) == roles.end()) roles.push_back(r.role);
        if (std::find(activities.begin(), activities.end(), r.activity) == activities.end())
            activities.push_back(r.activity);
        cell[{r.activity, r.role}] = r.value;
    }
    out += tableOpen() + QStringLiteral("<tr><th>Activity</th>");
    for (const auto& r : roles)
        out += QStringLiteral("<th>%1</th>").arg(h.text(r));
    out += QStringLiteral("</tr>");
    for (const auto& a : activities) {
        out += QStringLiteral("<tr>") + td(h.text(a));
        for (const auto& r : roles) {
            auto it = cell.find({a, r});
            out += QStringLiteral("<td align=\"center\"><b>%1</b></td>")
                       .arg(it == cell.end() ? QString() : Html::id(it->second));
        }
        out += QStringLiteral("</tr>");
    }
    return out +
           QStringLiteral("</table><p class=\"muted\">R responsible · A accountable · C consulted · I informed.</p>");
}

QString detailText(const std::string& detail)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(detail));
    if (!doc.isObject()) return fromStd(detail);
    QStringList parts;
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        QString v = it.value().isString()
                        ? it.value().toString()
                        : QString::fromUtf8(QJsonDocument(QJsonArray{it.value()}).toJson(QJsonDocument::Compact))
                              .mid(1)
                              .chopped(1);
        if (v.size() > 160) v = v.left(157) + QStringLiteral("…");
        parts << it.key() + QStringLiteral(": ") + v;
    }
    return parts.join(QStringLiteral("; "));
}

QString containmentSection(const ReportData& d, const Html& h)
{
    QString out = QStringLiteral("<h2>Containment actions and receipts</h2>");
    const auto list = containment(d);
    if (list.empty())
        return out + QStringLiteral("<p class=\"muted\">No containment action is recorded in the custody log.</p>");
    out += QStringLiteral(
        "<p>Each intent and its outcome as recorded in the custody log (the receipt is the outcome's detail).</p>");
    out += tableOpen() + th({"Seq", "Time (UTC)", "Action", "Target", "By", "Receipt / detail"});
    for (const auto* c : list)
        out += QStringLiteral("<tr>") + td(QString::number(c->seq)) + td(Html::id(c->ts)) + td(Html::id(c->action)) +
               td(h.text(c->target)) + td(h.text(c->actor)) + td(h.text(detailText(c->detail))) +
               QStringLiteral("</tr>");
    return out + QStringLiteral("</table>");
}

QString evidence(const ReportData& d, const Html& h)
{
    QString out = QStringLiteral("<h2 style=\"page-break-before: always;\">Evidence inventory</h2>");
    out += QStringLiteral("<h3>Bundles</h3>") + tableOpen() +
           th({"Bundle", "Format", "Collected", "Collector", "Imported", "Content SHA-256"});
    for (const auto& b : d.bundles)
        out += QStringLiteral("<tr>") + td(Html::id(b.bundleId)) + td(Html::id(b.format)) +
               td(Html::id(b.collectedAt)) + td(h.text(b.collector)) +
               td(Html::id(b.importedAt) + QStringLiteral("<br>") + h.text(b.importedBy)) +
               td(Html::id(b.contentSha256), QStringLiteral("hash")) + QStringLiteral("</tr>");
    out += QStringLiteral("</table><h3>Files (%1)</h3>").arg(d.evidence.size());
    out += tableOpen() + th({"Exhibit", "Bundle", "Path", "Role", "Bytes", "SHA-256"});
    int i = 0;
    for (const auto& e : d.evidence)
        out += QStringLiteral("<tr>") + td(QStringLiteral("EX-%1").arg(++i, 3, 10, QLatin1Char('0'))) +
               td(Html::id(e.bundleId)) + td(Html::id(e.file.path)) + td(Html::id(e.file.role)) +
               td(QString::number(e.file.bytes)) + td(Html::id(e.file.sha256), QStringLiteral("hash")) +
               QStringLiteral("</tr>");
    return out + QStringLiteral("</table>");
}

QString custody(const ReportData& d, const Html& h)
{
    QString out = QStringLiteral("<h2>Custody log</h2><p>%1 entries, hash-chained; the chain is %2.</p>")
                      .arg(d.custody.size())
                      .arg(d.custodyIntact ? QStringLiteral("<span class=\"ok\">intact</span>")
                                           : QStringLiteral("<span class=\"bad\">BROKEN</span>"));
    out += tableOpen() + th({"Seq", "Time (UTC)", "Actor @ host", "Action", "Target / detail", "Entry hash"});
    for (const auto& c : d.custody) {
        QString det = detailText(c.detail);
        if (det.size() > 300) det = det.left(297) + QStringLiteral("…");
        out += QStringLiteral("<tr>") + td(QString::number(c.seq)) + td(Html::id(c.ts)) +
               td(h.text(c.actor) + QStringLiteral(" @ ") + h.text(c.host)) + td(Html::id(c.action)) +
               td(h.text(c.target) + QStringLiteral("<br><span class=\"muted\">%1</span>").arg(h.text(det))) +
               td(Html::id(c.hash), QStringLiteral("hash")) + QStringLiteral("</tr>");
    }
    return out + QStringLiteral("</table>");
}

QString notes(const ReportData& d, const Html& h)
{
    QString out = QStringLiteral("<h2>Analyst notes</h2>");
    if (d.notes.empty()) return out + QStringLiteral("<p class=\"muted\">No analyst note in this case.</p>");
    out += tableOpen() + th({"Time (UTC)", "Analyst", "Event", "Note"});
    for (const auto& n : d.notes)
        out += QStringLiteral("<tr>") + td(Html::id(n.ts)) + td(h.text(n.actor)) + td(Html::id(n.event)) +
               td(h.text(n.text).replace(QLatin1Char('\n'), QStringLiteral("<br>"))) + QStringLiteral("</tr>");
    return out + QStringLiteral("</table>");
}

QString nist(const ReportData& d)
{
    const auto& a = d.analysis;
    int done = 0;
    for (const auto& c : d.checklist)
        if (c.state == "done" || c.state == "closed" || c.state == "na" || c.state == "skipped") ++done;
    size_t tools = 0, models = 0;
    for (const auto& b : a.aiBom) {
        tools += b.tools.size();
        models += b.models.size();
    }
    QStringList atlas;
    for (const auto& id : atlasIds(d))
        atlas << Html::id(id);
    const auto contain = containment(d);
    QString out = QStringLiteral("<h2>NIST SP 800-61r3 / CSF 2.0 mapping</h2><p>Where this case supports each CSF 2.0 "
                                 "outcome that SP 800-61 Rev. 3 ties to incident response.</p>");
    out += tableOpen() + th({"CSF 2.0", "Outcome", "In this case"});
    auto row = [&](const char* id, const char* what, const QString& here) {
        out += QStringLiteral("<tr>") + td(QStringLiteral("<b>%1</b>").arg(QString::fromUtf8(id))) +
               td(QString::fromUtf8(what)) + td(here) + QStringLiteral("</tr>");
    };
    row("GV.RR-02", "Roles, responsibilities and authorities are established",
        QStringLiteral("RACI matrix: %1 assignment(s)").arg(d.raci.size()));
    row("ID.AM-02/-08", "Inventories of software and services are maintained",
        QStringLiteral("Runtime AI-BOM: %1 agent(s), %2 model(s), %3 tool(s)")
            .arg(a.aiBom.size())
            .arg(models)
            .arg(tools));
    row("DE.AE-02/-03", "Adverse events are analysed and correlated",
        QStringLiteral("%1 events analysed, %2 finding(s), %3 taint edge(s)")
            .arg(d.events)
            .arg(a.findings.size())
            .arg(a.taintTotal));
    row("DE.AE-08", "Incidents are declared when criteria are met", verdictLine(d).toHtmlEscaped());
    row("RS.MA-01/-02/-03", "Incident response plan executed; incidents triaged and categorised",
        QStringLiteral("Tier %1; checklist %2 of %3 item(s) closed").arg(a.tier).arg(done).arg(d.checklist.size()));
    row("RS.AN-03", "Analysis establishes what took place and the root cause",
        QStringLiteral("Kill chain of %1 step(s): %2 poisoned source(s) → %3 harmful action(s); ATLAS %4")
            .arg(d.killChain.size())
            .arg(a.injectionSources.size())
            .arg(a.harmfulActions.size())
            .arg(atlas.join(QStringLiteral(", "))));
    row("RS.AN-06/-07", "Actions are recorded; evidence integrity and provenance preserved",
        QStringLiteral("%1 evidence file(s) with SHA-256; custody log of %2 entries, chain %3")
            .arg(d.evidence.size())
            .arg(d.custody.size())
            .arg(d.custodyIntact ? QStringLiteral("intact") : QStringLiteral("broken")));
    row("RS.AN-08", "The incident's magnitude is estimated",
        QStringLiteral("Blast radius: %1 agent(s), %2 identit(ies), %3 tool(s), %4 destination(s)")
            .arg(a.blast.agents.size())
            .arg(a.blast.identities.size())
            .arg(a.blast.tools.size())
            .arg(a.blast.destinations.size()));
    row("RS.CO-02/-03", "Stakeholders are notified; information is shared",
        QStringLiteral("This report; the EU AI Act Article 73 fields below; ATLAS layer and STIX 2.1 indicators by "
                       "<tt>chainsight export</tt>"));
    row("RS.MI-01/-02", "Incidents are contained and eradicated",
        QStringLiteral("%1 containment record(s) in the custody log").arg(contain.size()));
    row("RC.RP-01/-03", "Recovery is executed; backups and assets checked before use",
        QStringLiteral("See the response checklist"));
    return out + QStringLiteral("</table>");
}

QString euAiAct(const ReportData& d, const Html& h)
{
    const auto& a = d.analysis;
    QString out = QStringLiteral("<h2>EU AI Act Article 73: serious incident report fields</h2>");
    out += QStringLiteral("<p>What the case can fill in for a report to the market surveillance authority; fields in "
                          "brackets are for the provider or deployer to complete.</p>");
    std::set<std::string> agents, models;
    for (const auto& b : a.aiBom) {
        agents.insert(b.agent);
        models.insert(b.models.begin(), b.models.end());
    }
    const int64_t harm = firstHarm(d);
    QString aware;
    QDateTime awareAt;
    if (!d.custody.empty()) {
        awareAt = QDateTime::fromString(fromStd(d.custody.front().ts), Qt::ISODateWithMs);
        aware = Html::id(d.custody.front().ts) + QStringLiteral(" (the case was opened: first custody entry)");
    }
    out += tableOpen(true);
    out += kv(QStringLiteral("Reporting provider / deployer"), QStringLiteral("[name, address, contact point]"));
    out += kv(QStringLiteral("AI system(s) concerned"),
              QStringLiteral("Agents: %1<br>Models: %2").arg(list(h, agents), list(h, models)));
    out += kv(QStringLiteral("Date and time of the incident"),
              harm ? time(harm) + QStringLiteral(" UTC (first harmful action)")
                   : QStringLiteral("[no harmful action found]"));
    out += kv(QStringLiteral("Date the provider became aware"), aware.isEmpty() ? QStringLiteral("[date]") : aware);
    if (awareAt.isValid())
        out += kv(QStringLiteral("Reporting deadline"),
                  QStringLiteral("%1 at the latest (15 days, Art. 73(2)); %2 if widespread infringement or critical "
                                 "infrastructure (2 days, Art. 73(3)); %3 in case of death (10 days, Art. 73(4))")
                      .arg(awareAt.addDays(15).date().toString(Qt::ISODate),
                           awareAt.addDays(2).date().toString(Qt::ISODate),
                           awareAt.addDays(10).date().toString(Qt::ISODate)));
    out += kv(QStringLiteral("Description of the incident"),
              QStringLiteral("%1. %2 harmful action(s) by the agent drew on %3 poisoned source(s).")
                  .arg(verdictLine(d).toHtmlEscaped())
                  .arg(a.harmfulActions.size())
                  .arg(a.injectionSources.size()));
    out += kv(QStringLiteral("Causal link between the AI system and the harm"),
              QStringLiteral("Established by provenance analysis (confidence %1%): see the kill chain and reasons")
                  .arg(std::lround(a.confidence * 100)));
    out += kv(QStringLiteral("Harm and persons or property affected"),
              QStringLiteral("Destinations reached: %1<br>[category under Art. 3(49), number of persons affected]")
                  .arg(list(h, a.blast.destinations, 20)));
    out += kv(QStringLiteral("Corrective measures taken"),
              QStringLiteral("%1 containment record(s) (see Containment)").arg(containment(d).size()));
    out += kv(QStringLiteral("Evidence preserved"),
              QStringLiteral("%1 file(s) from %2 bundle(s), SHA-256 in the evidence inventory; custody chain %3")
                  .arg(d.evidence.size())
                  .arg(d.bundles.size())
                  .arg(d.custodyIntact ? QStringLiteral("intact") : QStringLiteral("broken")));
    return out + QStringLiteral("</table>");
}

QString exhibits(const ReportData& d, const Html& h)
{
    QString out = QStringLiteral("<h2 style=\"page-break-before: always;\">Exhibits: the kill chain's events</h2>");
    out += h.legal() ? QStringLiteral("<p>Secrets and personal data are masked; each exhibit names the SHA-256 of the "
                                      "original event and of the evidence file it was read from.</p>")
                     : QStringLiteral("<p>Each event as collected, with the SHA-256 of the event and of the evidence "
                                      "file it was read from.</p>");
    json::Parser parser;
    size_t i = 0;
    for (const auto& s : d.killChain) {
        if (s.role == KillChainStep::Role::Context) continue;
        if (i == kExhibitsShown) break;
        QString body = fromStd(s.json);
        if (auto v = parser.parse(s.json)) {
            const QByteArray pretty =
                QJsonDocument::fromJson(QByteArray::fromStdString(s.json)).toJson(QJsonDocument::Indented);
            if (!pretty.isEmpty()) body = QString::fromUtf8(pretty);
        }
        if (body.size() > 2400)
            body = body.left(2400) + QStringLiteral("\n… (%1 characters in all)").arg(s.json.size());
        out += QStringLiteral("<h3>Exhibit K-%1 · %2 (%3)</h3>")
                   .arg(++i)
                   .arg(Html::id(s.eventId), fromStd(std::string(roleName(s.role))));
        out += tableOpen(true);
        out += kv(QStringLiteral("Event SHA-256"),
                  QStringLiteral("<span class=\"hash\">%1</span>").arg(Html::id(s.sha256)));
        out += kv(QStringLiteral("Evidence file"),
                  Html::id(s.evidencePath) +
                      QStringLiteral("<br><span class=\"hash\">%1</span>").arg(Html::id(s.evidenceSha256)));
        if (!s.blobSha256.empty())
            out += kv(QStringLiteral("Document SHA-256"),
                      QStringLiteral("<span class=\"hash\">%1</span>").arg(Html::id(s.blobSha256)));
        out += QStringLiteral("</table><pre class=\"exhibit\">%1</pre>").arg(h.text(body));
    }
    if (!i) out += QStringLiteral("<p class=\"muted\">No kill-chain event.</p>");
    if (const QString rest = notShown(d, kExhibitsShown, true); !rest.isEmpty())
        out += QStringLiteral("<p class=\"muted\">%1</p>").arg(rest);
    return out;
}

} // namespace

QString renderSection(const std::string& name, const ReportData& data, Redactor* redactor,
                      const std::map<QString, QImage>& images)
{
    const Html h(redactor);
    if (name == "summary") return summary(data, h);
    if (name == "classification") return classification(data, h);
    if (name == "charts") return charts(data, images);
    if (name == "kill_chain") return killChain(data, h);
    if (name == "findings") return findings(data, h);
    if (name == "blast_radius") return blast(data, h);
    if (name == "ai_bom") return aiBom(data, h);
    if (name == "completeness") return completeness(data);
    if (name == "checklist") return checklist(data, h);
    if (name == "raci") return raci(data, h);
    if (name == "containment") return containmentSection(data, h);
    if (name == "nist") return nist(data);
    if (name == "eu_ai_act") return euAiAct(data, h);
    if (name == "evidence") return evidence(data, h);
    if (name == "custody") return custody(data, h);
    if (name == "notes") return notes(data, h);
    if (name == "exhibits") return exhibits(data, h);
    return {};
}

} // namespace chainsight::report
