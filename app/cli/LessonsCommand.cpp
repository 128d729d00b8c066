// chainsight lessons CASE.db [--baseline OUT.json] [--sigma DIR] [--json]: lessons out of a closed incident — the
// per-agent baseline tightened to what the agents used in their clean sessions (agents.json), and the detections
// that fired as Sigma rules. The export is recorded in the case's custody log (`lessons.export`).
#include "app/cli/CliCommon.h"
#include "core/custody/Custody.h"
#include "core/exercise/Lessons.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <cstdio>

namespace chainsight::cli {

namespace {

bool writeFile(const QString& path, const std::string& data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) ||
        f.write(data.data(), static_cast<qint64>(data.size())) != static_cast<qint64>(data.size()) || !f.commit()) {
        printErr(QStringLiteral("%1: cannot write: %2").arg(path, f.errorString()));
        return false;
    }
    return true;
}

} // namespace

int runLessons(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("CASE.db"));
    QCommandLineOption baselineOpt(QStringLiteral("baseline"), QStringLiteral("Write the tightened agents.json here."),
                                   QStringLiteral("OUT.json"));
    QCommandLineOption sigmaOpt(QStringLiteral("sigma"),
                                QStringLiteral("Write one Sigma rule (.yml) per detection into this directory."),
                                QStringLiteral("DIR"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    p.addOption(baselineOpt);
    p.addOption(sigmaOpt);
    p.addOption(jsonOpt);
    int code = Ok;
    if (!parseArgs(p, args,
                   QStringLiteral("Lessons out: a least-privilege baseline from the clean sessions and Sigma rules for "
                                  "the detections that fired."),
                   &code))
        return code;
    if (p.positionalArguments().size() != 1) {
        printErr(QStringLiteral("usage: chainsight lessons CASE.db [--baseline OUT.json] [--sigma DIR] [--json]"));
        return BadInput;
    }
    const QString casePath = p.positionalArguments().first();
    auto store = openCase(casePath, false, false);
    if (!store) return BadInput;
    auto report = analysis::analyzeCase(*store);
    if (!report) {
        printError(report.error(), casePath);
        return exitFor(report.error());
    }
    auto baseline = exercise::tightenBaseline(*store, *report);
    if (!baseline) {
        printError(baseline.error(), casePath);
        return exitFor(baseline.error());
    }
    auto rules = exercise::sigmaRules(*store, *report, &baseline->agentsJson);
    if (!rules) {
        printError(rules.error(), casePath);
        return exitFor(rules.error());
    }
    if (p.isSet(baselineOpt)) {
        const std::string text = QJsonDocument::fromJson(QByteArray::fromStdString(baseline->agentsJson.dump()))
                                     .toJson(QJsonDocument::Indented)
                                     .toStdString();
        if (!writeFile(p.value(baselineOpt), text)) return Failed;
    }
    QStringList written;
    if (p.isSet(sigmaOpt)) {
        const QString dir = p.value(sigmaOpt);
        if (!QDir().mkpath(dir)) {
            printErr(QStringLiteral("%1: cannot create the directory").arg(dir));
            return Failed;
        }
        for (const auto& r : *rules) {
            const QString path = QDir(dir).filePath(QString::fromStdString(r.fileName));
            if (!writeFile(path, r.yaml)) return Failed;
            written << path;
        }
    }
    json::Value detail = json::Value::object();
    detail.set("baseline", json::Value::string(p.value(baselineOpt).toStdString()));
    detail.set("sigma_dir", json::Value::string(p.value(sigmaOpt).toStdString()));
    detail.set("sigma_rules", json::Value::integer(static_cast<int64_t>(rules->size())));
    if (!store->readOnly() && (p.isSet(baselineOpt) || p.isSet(sigmaOpt))) {
        auto tx = store->begin();
        if (tx) {
            auto entry =
                custody::append(*store, custody::Actor::current(), "lessons.export", casePath.toStdString(), detail);
            if (entry) (void)store->commit(*tx);
        }
    }

    if (p.isSet(jsonOpt)) {
        json::Value o = json::Value::object();
        json::Value changes = json::Value::array();
        for (const auto& c : baseline->changes) {
            json::Value x = json::Value::object();
            x.set("agent", json::Value::string(c.agent));
            x.set("clean_sessions", json::Value::integer(c.cleanSessions));
            json::Value removed = json::Value::array();
            for (const auto& r : c.removed)
                removed.append(json::Value::string(r));
            x.set("removed", std::move(removed));
            json::Value added = json::Value::array();
            for (const auto& r : c.added)
                added.append(json::Value::string(r));
            x.set("added", std::move(added));
            changes.append(std::move(x));
        }
        o.set("baseline_changes", std::move(changes));
        o.set("baseline", baseline->agentsJson);
        json::Value list = json::Value::array();
        for (const auto& r : *rules) {
            json::Value x = json::Value::object();
            x.set("id", json::Value::string(r.id));
            x.set("title", json::Value::string(r.title));
            x.set("file", json::Value::string(r.fileName));
            list.append(std::move(x));
        }
        o.set("sigma_rules", std::move(list));
        const QByteArray out =
            QJsonDocument::fromJson(QByteArray::fromStdString(o.dump())).toJson(QJsonDocument::Indented);
        std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
        return Ok;
    }
    for (const auto& c : baseline->changes) {
        printLine(QStringLiteral("%1: %2 clean session(s); %3 permission(s) removed%4")
                      .arg(QString::fromStdString(c.agent))
                      .arg(c.cleanSessions)
                      .arg(c.removed.size())
                      .arg(c.cleanSessions == 0 ? QStringLiteral(" (no clean session: baseline kept as it was)")
                                                : QString()));
        for (const auto& r : c.removed)
            printLine(QStringLiteral("    - %1").arg(QString::fromStdString(r)));
    }
    printLine(QStringLiteral("%1 Sigma rule(s)%2")
                  .arg(rules->size())
                  .arg(written.isEmpty() ? QString() : QStringLiteral(" written to ") + p.value(sigmaOpt)));
    for (const auto& r : *rules)
        printLine(
            QStringLiteral("    %1  %2").arg(QString::fromStdString(r.fileName), QString::fromStdString(r.title)));
    return Ok;
}

} // namespace chainsight::cli
