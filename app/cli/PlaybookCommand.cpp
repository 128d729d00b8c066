// chainsight playbook CASE.db [--json] [--playbooks DIR]: the response workflow of a case — type and tier (machine
// proposal and analyst decision), the runbook's phases and items with state and owners, RACI problems, the
// containment rung and the clocks. Read-only: when no machine proposal is recorded yet, the analysis runs in memory.
#include "app/cli/CliCommon.h"
#include "core/analysis/Analysis.h"
#include "core/response/Response.h"

#include <QDateTime>
#include <QJsonDocument>

#include <cstdio>

namespace chainsight::cli {

int runPlaybook(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("CASE.db"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    QCommandLineOption dirOpt(QStringLiteral("playbooks"),
                              QStringLiteral("Playbook folder (default: the shipped one)."), QStringLiteral("DIR"));
    QCommandLineOption noAnalysis(QStringLiteral("no-analysis"),
                                  QStringLiteral("Do not run the analysis (no blast radius or artefact figures)."));
    p.addOption(jsonOpt);
    p.addOption(dirOpt);
    p.addOption(noAnalysis);
    int code = Ok;
    if (!parseArgs(
            p, args,
            QStringLiteral(
                "Show a case's response: type, tier, runbook items, RACI problems, containment rung and clocks."),
            &code))
        return code;
    if (p.positionalArguments().size() != 1) {
        printErr(QStringLiteral("usage: chainsight playbook CASE.db [--json] [--playbooks DIR]"));
        return BadInput;
    }
    const QString dir = p.isSet(dirOpt) ? p.value(dirOpt) : response::defaultPlaybookDir();
    auto lib = response::loadPlaybookLibrary(dir);
    if (!lib) {
        printError(lib.error());
        return BadInput;
    }
    const QString casePath = p.positionalArguments().first();
    auto store = openCase(casePath, false, true);
    if (!store) return BadInput;
    auto rc = response::ResponseCase::open(*store, std::move(*lib));
    if (!rc) {
        printError(rc.error(), casePath);
        return exitFor(rc.error());
    }
    std::optional<analysis::AnalysisReport> report;
    if (!p.isSet(noAnalysis)) {
        auto r = analysis::analyzeCase(*store);
        if (!r) {
            printError(r.error(), casePath);
            return exitFor(r.error());
        }
        report = std::move(*r);
    }
    const analysis::AnalysisReport* rep = report ? &*report : nullptr;
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    if (p.isSet(jsonOpt)) {
        json::Value out = (*rc)->toJson(rep, now);
        if (rep && !(*rc)->state().machine)
            out.set(
                "unrecorded_proposal",
                json::Value::object({{"type", json::Value::string(std::string(analysis::incidentTypeName(rep->type)))},
                                     {"tier", json::Value::integer(rep->tier)},
                                     {"confidence", json::Value::number(rep->confidence)}}));
        const std::string compact = out.dump();
        QByteArray bytes = QJsonDocument::fromJson(QByteArray::fromStdString(compact)).toJson(QJsonDocument::Indented);
        if (bytes.isEmpty()) bytes = QByteArray::fromStdString(compact + "\n");
        std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    } else {
        std::string text;
        if (rep && !(*rc)->state().machine)
            text += "Analysis proposes (not yet recorded in the case): " +
                    std::string(analysis::incidentTypeName(rep->type)) + " tier " + std::to_string(rep->tier) + "\n";
        text += (*rc)->toText(rep, now);
        std::fwrite(text.data(), 1, text.size(), stdout);
    }
    std::fflush(stdout);
    return Ok;
}

} // namespace chainsight::cli
