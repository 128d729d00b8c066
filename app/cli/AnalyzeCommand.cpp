// chainsight analyze CASE.db [--json] [--per-session]: why did the agent do it, and what did it reach?
#include "app/cli/CliCommon.h"
#include "core/analysis/Analysis.h"

#include <QJsonDocument>

#include <cstdio>

namespace chainsight::cli {

int runAnalyze(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("CASE.db"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    QCommandLineOption perSession(QStringLiteral("per-session"),
                                  QStringLiteral("List the verdict of every session (default: only sessions with an incident or a finding above low)."));
    p.addOption(jsonOpt);
    p.addOption(perSession);
    int code = Ok;
    if (!parseArgs(p, args, QStringLiteral("Analyse a case: incident type, reasons, findings with MITRE ATLAS ids, provenance taint, blast radius."),
                   &code))
        return code;
    if (p.positionalArguments().size() != 1) {
        printErr(QStringLiteral("usage: chainsight analyze CASE.db [--json] [--per-session]"));
        return BadInput;
    }
    auto store = openCase(p.positionalArguments().first(), false, true);
    if (!store) return BadInput;
    auto report = analysis::analyzeCase(*store);
    if (!report) {
        printError(report.error(), p.positionalArguments().first());
        return exitFor(report.error());
    }
    const bool all = p.isSet(perSession);
    if (p.isSet(jsonOpt)) {
        const std::string compact = analysis::reportToJson(*report, all).dump();
        QByteArray out = QJsonDocument::fromJson(QByteArray::fromStdString(compact)).toJson(QJsonDocument::Indented);
        if (out.isEmpty()) out = QByteArray::fromStdString(compact + "\n");
        std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
        std::fflush(stdout);
        return Ok;
    }
    const std::string text = analysis::reportToText(*report, all);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return Ok;
}

} // namespace chainsight::cli
