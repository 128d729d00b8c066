// chainsight info CASE.db [--json]: bundles, event counts by type and agent, time window.
#include "app/cli/CliCommon.h"
#include "core/model/Time.h"

#include <QJsonArray>

namespace chainsight::cli {

int runInfo(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("CASE.db"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print as JSON."));
    p.addOption(jsonOpt);
    int code = Ok;
    if (!parseArgs(p, args, QStringLiteral("Summarise a case."), &code)) return code;
    if (p.positionalArguments().size() != 1) {
        printErr(QStringLiteral("usage: chainsight info CASE.db [--json]"));
        return BadInput;
    }
    auto store = openCase(p.positionalArguments().first(), false, true);
    if (!store) return BadInput;
    auto total = store->eventCount();
    auto byType = store->countsByType();
    auto byAgent = store->countsByAgent();
    auto window = store->timeWindow();
    auto bundles = store->bundles();
    auto decisions = store->decisions();
    auto custodyLog = store->custody();
    if (!total || !byType || !byAgent || !window || !bundles || !decisions || !custodyLog) {
        printErr(QStringLiteral("%1: cannot read the case").arg(p.positionalArguments().first()));
        return Failed;
    }
    QJsonObject types, agents, verdicts;
    for (const auto& t : *byType) types[fromStd(std::string(eventTypeName(t.type)))] = static_cast<qint64>(t.count);
    for (const auto& a : *byAgent) agents[fromStd(a.name)] = static_cast<qint64>(a.count);
    int64_t decisionsValid = 0;
    for (const auto& d : *decisions) {
        const QString v = fromStd(std::string(verdictName(d.decision.verdict)));
        verdicts[v] = verdicts[v].toInteger() + 1;
        decisionsValid += d.decision.valid ? 1 : 0;
    }
    QJsonArray bundleList;
    for (const auto& b : *bundles) {
        bundleList.append(QJsonObject{{QStringLiteral("bundle_id"), fromStd(b.bundleId)},
                                      {QStringLiteral("format"), fromStd(b.format)},
                                      {QStringLiteral("title"), fromStd(b.title)},
                                      {QStringLiteral("source"), fromStd(b.source)},
                                      {QStringLiteral("sha256"), fromStd(b.contentSha256)},
                                      {QStringLiteral("imported_at"), fromStd(b.importedAt)},
                                      {QStringLiteral("imported_by"), fromStd(b.importedBy)}});
    }
    const bool empty = *total == 0;
    QJsonObject windowJson{{QStringLiteral("start"), empty ? QJsonValue() : QJsonValue(fromStd(formatRfc3339(window->first)))},
                           {QStringLiteral("end"), empty ? QJsonValue() : QJsonValue(fromStd(formatRfc3339(window->second)))}};
    if (p.isSet(jsonOpt)) {
        printJson(QJsonObject{{QStringLiteral("case"), p.positionalArguments().first()},
                              {QStringLiteral("schema_version"), store->schemaVersion()},
                              {QStringLiteral("events"), static_cast<qint64>(*total)},
                              {QStringLiteral("by_type"), types},
                              {QStringLiteral("by_agent"), agents},
                              {QStringLiteral("bundles"), bundleList},
                              {QStringLiteral("window"), windowJson},
                              {QStringLiteral("decisions"), QJsonObject{{QStringLiteral("total"), static_cast<qint64>(decisions->size())},
                                                                        {QStringLiteral("valid"), static_cast<qint64>(decisionsValid)},
                                                                        {QStringLiteral("by_verdict"), verdicts}}},
                              {QStringLiteral("custody_entries"), static_cast<qint64>(custodyLog->size())}});
        return Ok;
    }
    printLine(QStringLiteral("Case %1 (schema %2)").arg(p.positionalArguments().first()).arg(store->schemaVersion()));
    printLine(QStringLiteral("Bundles: %1").arg(bundles->size()));
    for (const auto& b : *bundles)
        printLine(QStringLiteral("  %1  %2  [%3]  imported %4 by %5").arg(fromStd(b.bundleId), fromStd(b.title), fromStd(b.format),
                                                                        fromStd(b.importedAt), fromStd(b.importedBy)));
    printLine(QStringLiteral("Events: %1").arg(*total));
    if (!empty)
        printLine(QStringLiteral("Window: %1 .. %2").arg(windowJson[QStringLiteral("start")].toString(), windowJson[QStringLiteral("end")].toString()));
    printLine(QStringLiteral("By type:"));
    for (const auto& t : *byType) printLine(QStringLiteral("  %1 %2").arg(fromStd(std::string(eventTypeName(t.type))), -18).arg(t.count));
    printLine(QStringLiteral("By agent:"));
    for (const auto& a : *byAgent) printLine(QStringLiteral("  %1 %2").arg(fromStd(a.name), -18).arg(a.count));
    printLine(QStringLiteral("Decisions: %1 (%2 verified)").arg(decisions->size()).arg(decisionsValid));
    printLine(QStringLiteral("Custody entries: %1").arg(custodyLog->size()));
    return Ok;
}

} // namespace chainsight::cli
