// ATLAS Navigator layer, STIX 2.1 bundle and Timesketch timeline (see Exports.h).
#include "core/report/Exports.h"
#include "core/analysis/Atlas.h"
#include "core/store/CaseStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimeZone>
#include <QUuid>

#include <map>
#include <set>
#include <vector>

namespace chainsight::report {

QByteArray atlasLayerJson(const ReportData& data)
{
    struct Seen
    {
        int findings = 0;
        std::set<std::string> events;
        bool killChain = false;
    };
    std::map<std::string, Seen> seen;
    for (const auto& f : data.analysis.findings)
        for (const auto& a : f.atlas) {
            auto& s = seen[a.id];
            ++s.findings;
            for (size_t i = 0; i < f.events.size() && i < 3; ++i)
                s.events.insert(f.events[i]);
        }
    for (const auto& k : data.killChain)
        for (const auto& a : k.atlas) {
            auto& s = seen[a.id];
            s.events.insert(k.eventId);
            if (k.role != KillChainStep::Role::Context) s.killChain = true;
        }
    QJsonArray techniques;
    int maxScore = 1;
    for (const auto& [id, s] : seen)
        maxScore = std::max(maxScore, s.findings + static_cast<int>(s.events.size()));
    for (const auto& [id, s] : seen) {
        QStringList ev;
        for (const auto& e : s.events) {
            if (ev.size() == 12) {
                ev << QStringLiteral("…");
                break;
            }
            ev << fromStd(e);
        }
        QJsonObject t{
            {QStringLiteral("techniqueID"), fromStd(id)},
            {QStringLiteral("score"), s.findings + static_cast<int>(s.events.size())},
            {QStringLiteral("enabled"), true},
            {QStringLiteral("comment"), QStringLiteral("%1 finding(s)%2; events %3")
                                            .arg(s.findings)
                                            .arg(s.killChain ? QStringLiteral(", in the kill chain") : QString())
                                            .arg(ev.join(QStringLiteral(", ")))},
            {QStringLiteral("metadata"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("findings")},
                                    {QStringLiteral("value"), QString::number(s.findings)}}}}};
        if (s.killChain) t[QStringLiteral("color")] = QStringLiteral("#e53935");
        techniques.append(t);
    }
    QJsonObject layer{
        {QStringLiteral("name"), QStringLiteral("Chainsight: %1").arg(fromStd(data.title))},
        {QStringLiteral("versions"), QJsonObject{{QStringLiteral("layer"), QStringLiteral("4.5")},
                                                 {QStringLiteral("navigator"), QStringLiteral("4.9.1")},
                                                 {QStringLiteral("atlas"), fromStd(analysis::atlasVersion())}}},
        {QStringLiteral("domain"), QStringLiteral("atlas-atlas")},
        {QStringLiteral("description"),
         QStringLiteral("MITRE ATLAS techniques seen in the case %1 (%2, tier %3), by Chainsight on %4. Score: "
                        "findings and events naming the technique; red: in the kill chain.")
             .arg(fromStd(data.title), fromStd(std::string(analysis::incidentTypeName(data.analysis.type))))
             .arg(data.analysis.tier)
             .arg(fromStd(data.generatedAt))},
        {QStringLiteral("techniques"), techniques},
        {QStringLiteral("gradient"),
         QJsonObject{{QStringLiteral("colors"), QJsonArray{QStringLiteral("#fff3e0"), QStringLiteral("#ff9800")}},
                     {QStringLiteral("minValue"), 0},
                     {QStringLiteral("maxValue"), maxScore}}},
        {QStringLiteral("legendItems"),
         QJsonArray{QJsonObject{{QStringLiteral("label"), QStringLiteral("In the kill chain")},
                                {QStringLiteral("color"), QStringLiteral("#e53935")}}}},
        {QStringLiteral("hideDisabled"), false},
    };
    return QJsonDocument(layer).toJson(QJsonDocument::Indented);
}

namespace {

std::string classify(const std::string& v)
{
    static const QRegularExpression email(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$"));
    static const QRegularExpression ipv4(QStringLiteral("^(\\d{1,3})(\\.\\d{1,3}){3}$"));
    static const QRegularExpression domain(QStringLiteral("^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\\.)+[A-Za-z]{2,63}$"));
    const QString s = fromStd(v);
    if (s.contains(QLatin1String("://"))) return "url";
    if (email.match(s).hasMatch()) return "email-addr";
    if (ipv4.match(s).hasMatch()) return "ipv4-addr";
    if (domain.match(s).hasMatch()) return "domain-name";
    return "user-account";
}

bool egressAllowed(const ReportData& d, const std::string& dest)
{
    for (const auto& b : d.baselines) {
        if (!b.allowedEgress) continue;
        for (const auto& a : *b.allowedEgress)
            if (dest == a || (dest.size() > a.size() && dest.compare(dest.size() - a.size(), a.size(), a) == 0 &&
                              dest[dest.size() - a.size() - 1] == '.'))
                return true;
    }
    return false;
}

QString stixEscape(const std::string& v)
{
    QString s = fromStd(v);
    s.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    s.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return s;
}

QString stixTime(int64_t ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1000000, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

QString stixId(const QString& type, const QString& key)
{
    // Deterministic (UUIDv5 in the STIX namespace) so exporting twice gives the same objects.
    static const QUuid ns(QStringLiteral("00abedb4-aa42-466c-9c01-fed23315a9b7"));
    return type + QStringLiteral("--") + QUuid::createUuidV5(ns, key).toString(QUuid::WithoutBraces);
}

} // namespace

std::vector<StixIndicator> indicators(const ReportData& d)
{
    std::vector<StixIndicator> out;
    std::set<std::pair<std::string, std::string>> have;
    std::map<std::string, int64_t> ts;
    for (const auto& k : d.killChain)
        ts[k.eventId] = k.tsNs;
    auto add = [&](StixIndicator i) {
        if (have.insert({i.kind, i.value}).second) out.push_back(std::move(i));
    };
    for (const auto& t : d.analysis.taint) {
        if (!t.harmful || t.value.empty()) continue;
        const std::string kind = classify(t.value);
        add({kind, t.value, (kind == "user-account" ? "Attacker account " : "Attacker destination ") + t.value,
             "Value planted in " + t.source + " (" + t.sourceKind + ") and used as " + t.argument +
                 " of harmful action " + t.action,
             ts.count(t.action) ? ts[t.action] : 0});
    }
    for (const auto& dest : d.analysis.blast.destinations) {
        const std::string kind = classify(dest);
        if (kind == "user-account" || kind == "email-addr" || egressAllowed(d, dest)) continue;
        add({kind, dest, "Egress outside the allowed list: " + dest,
             "Destination reached by a compromised agent, outside every agent's allowed egress", 0});
    }
    for (const auto& k : d.killChain)
        if (k.role == KillChainStep::Role::Source && !k.blobSha256.empty())
            add({"file", k.blobSha256, "Poisoned document of " + k.eventId,
                 "Document retrieved in " + k.eventId + " (" + k.summary + ") that carried the attacker's values",
                 k.tsNs});
    return out;
}

QByteArray stixBundleJson(const ReportData& d)
{
    const QString now = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    const QString identity = stixId(QStringLiteral("identity"), QStringLiteral("chainsight"));
    QJsonArray objects;
    objects.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("identity")},
                               {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                               {QStringLiteral("id"), identity},
                               {QStringLiteral("created"), now},
                               {QStringLiteral("modified"), now},
                               {QStringLiteral("name"), QStringLiteral("Chainsight")},
                               {QStringLiteral("identity_class"), QStringLiteral("system")}});
    QJsonArray refs;
    for (const auto& i : indicators(d)) {
        QString pattern;
        if (i.kind == "file")
            pattern = QStringLiteral("[file:hashes.'SHA-256' = '%1']").arg(stixEscape(i.value));
        else if (i.kind == "user-account")
            pattern = QStringLiteral("[user-account:account_login = '%1']").arg(stixEscape(i.value));
        else
            pattern = QStringLiteral("[%1:value = '%2']").arg(fromStd(i.kind), stixEscape(i.value));
        const QString id = stixId(QStringLiteral("indicator"), fromStd(d.title + "|" + i.kind + "|" + i.value));
        refs.append(id);
        objects.append(
            QJsonObject{{QStringLiteral("type"), QStringLiteral("indicator")},
                        {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                        {QStringLiteral("id"), id},
                        {QStringLiteral("created_by_ref"), identity},
                        {QStringLiteral("created"), now},
                        {QStringLiteral("modified"), now},
                        {QStringLiteral("name"), fromStd(i.name)},
                        {QStringLiteral("description"), fromStd(i.description)},
                        {QStringLiteral("indicator_types"), QJsonArray{QStringLiteral("malicious-activity")}},
                        {QStringLiteral("pattern"), pattern},
                        {QStringLiteral("pattern_type"), QStringLiteral("stix")},
                        {QStringLiteral("pattern_version"), QStringLiteral("2.1")},
                        {QStringLiteral("valid_from"), i.firstSeenNs ? stixTime(i.firstSeenNs) : now},
                        {QStringLiteral("labels"), QJsonArray{QStringLiteral("ai-agent-incident")}}});
    }
    if (!refs.isEmpty())
        objects.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("report")},
            {QStringLiteral("spec_version"), QStringLiteral("2.1")},
            {QStringLiteral("id"), stixId(QStringLiteral("report"), fromStd(d.title))},
            {QStringLiteral("created_by_ref"), identity},
            {QStringLiteral("created"), now},
            {QStringLiteral("modified"), now},
            {QStringLiteral("name"), fromStd(d.title)},
            {QStringLiteral("description"), QStringLiteral("%1, tier %2")
                                                .arg(fromStd(std::string(analysis::incidentTypeName(d.analysis.type))))
                                                .arg(d.analysis.tier)},
            {QStringLiteral("report_types"), QJsonArray{QStringLiteral("incident")}},
            {QStringLiteral("published"), now},
            {QStringLiteral("object_refs"), refs}});
    QJsonObject bundle{
        {QStringLiteral("type"), QStringLiteral("bundle")},
        {QStringLiteral("id"), QStringLiteral("bundle--") + QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {QStringLiteral("objects"), objects}};
    return QJsonDocument(bundle).toJson(QJsonDocument::Indented);
}

namespace {
QString csvField(const QString& s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) &&
        !s.contains(QLatin1Char('\r')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}
} // namespace

Status writeTimeline(store::CaseStore& store, const QString& path)
{
    const bool csv = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive);
    if (!csv && !path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive) &&
        !path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        return makeError(ErrorCode::Usage, QStringLiteral("the timeline is written as .jsonl or .csv"), path);
    // Events come in insertion order; Timesketch sorts by time itself, but a file in time order reads better.
    struct Row
    {
        int64_t ts, rowid;
        QByteArray line;
    };
    std::vector<Row> rows;
    const QStringList cols = {
        QStringLiteral("message"),        QStringLiteral("datetime"), QStringLiteral("timestamp"),
        QStringLiteral("timestamp_desc"), QStringLiteral("event_id"), QStringLiteral("event_type"),
        QStringLiteral("agent"),          QStringLiteral("session"),  QStringLiteral("identity"),
        QStringLiteral("tool"),           QStringLiteral("parent"),   QStringLiteral("data_type")};
    CS_TRY(store.forEachEvent([&](const Event& e) {
        const QString dt = QDateTime::fromMSecsSinceEpoch(e.tsNs / 1000000, Qt::UTC)
                               .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) +
                           QStringLiteral("%1+00:00").arg((e.tsNs / 1000) % 1000, 3, 10, QLatin1Char('0'));
        const QStringList vals = {fromStd(e.summary),
                                  dt,
                                  QString::number(e.tsNs / 1000),
                                  QStringLiteral("Event Recorded"),
                                  fromStd(e.id),
                                  fromStd(std::string(eventTypeName(e.type))),
                                  fromStd(e.agent),
                                  fromStd(e.session),
                                  fromStd(e.identity),
                                  fromStd(e.tool),
                                  fromStd(e.parent),
                                  QStringLiteral("chainsight:agent:event")};
        QByteArray line;
        if (csv) {
            QStringList f;
            for (const auto& v : vals)
                f << csvField(v);
            line = f.join(QLatin1Char(',')).toUtf8();
        } else {
            QJsonObject o;
            for (int i = 0; i < cols.size(); ++i)
                if (i == 2)
                    o[cols[i]] = static_cast<qint64>(e.tsNs / 1000);
                else if (!vals[i].isEmpty())
                    o[cols[i]] = vals[i];
            line = QJsonDocument(o).toJson(QJsonDocument::Compact);
        }
        rows.push_back({e.tsNs, e.rowid, std::move(line)});
        return true;
    }));
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.ts != b.ts ? a.ts < b.ts : a.rowid < b.rowid; });
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return makeError(ErrorCode::Io, f.errorString(), path);
    if (csv) f.write(cols.join(QLatin1Char(',')).toUtf8() + "\n");
    for (const auto& r : rows) {
        f.write(r.line);
        f.write("\n");
    }
    if (!f.commit()) return makeError(ErrorCode::Io, f.errorString(), path);
    return {};
}

} // namespace chainsight::report

#include "core/custody/Custody.h"
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

namespace chainsight::report {

Status recordExport(const QString& casePath, const std::string& kind, const QString& file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return makeError(ErrorCode::Io, f.errorString(), file);
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::OpenExisting;
    auto st = store::CaseStore::open(casePath, o);
    if (!st) return st.error();
    auto tx = (*st)->begin();
    if (!tx) return tx.error();
    json::Value detail = json::Value::object();
    detail.set("kind", json::Value::string(kind));
    detail.set("file", json::Value::string(QFileInfo(file).fileName().toStdString()));
    detail.set("bytes", json::Value::integer(f.size()));
    detail.set("sha256", json::Value::string(h.result().toHex().toStdString()));
    auto entry = custody::append(**st, custody::Actor::current(), "report.export",
                                 QFileInfo(file).fileName().toStdString(), detail);
    if (!entry) return entry.error();
    return (*st)->commit(*tx);
}

} // namespace chainsight::report
