// chainsight report CASE.db --out FILE.pdf|FILE.html [--redact] [--redaction FILE] [--template FILE]: the
// incident report, or with --redact the legal review copy. Needs a QGuiApplication (main.cpp makes one).
#include "app/cli/CliCommon.h"
#include "core/io/Files.h"
#include "core/report/Exports.h"
#include "core/report/Redaction.h"
#include "core/report/ReportRenderer.h"

#include <QJsonArray>

namespace chainsight::cli {

int runReport(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("CASE.db"));
    QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("Write the report here (.pdf or .html)."),
                              QStringLiteral("FILE"));
    QCommandLineOption redactOpt(QStringLiteral("redact"),
                                 QStringLiteral("Write the legal review copy: secrets and personal data masked."));
    QCommandLineOption patternsOpt(QStringLiteral("redaction"),
                                   QStringLiteral("Masking patterns (default: the shipped redaction.json)."),
                                   QStringLiteral("FILE.json"));
    QCommandLineOption templateOpt(QStringLiteral("template"),
                                   QStringLiteral("An organisation's report template (see docs/report.md)."),
                                   QStringLiteral("FILE.html"));
    QCommandLineOption markingOpt(QStringLiteral("marking"),
                                  QStringLiteral("The handling marking printed in the header."),
                                  QStringLiteral("TEXT"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print what was written as JSON."));
    for (auto* o : {&outOpt, &redactOpt, &patternsOpt, &templateOpt, &markingOpt, &jsonOpt})
        p.addOption(*o);
    int code = Ok;
    if (!parseArgs(p, args, QStringLiteral("Write the incident report (or the legal review copy) as PDF or HTML."),
                   &code))
        return code;
    if (p.positionalArguments().size() != 1 || !p.isSet(outOpt)) {
        printErr(QStringLiteral("usage: chainsight report CASE.db --out FILE.pdf|FILE.html [--redact] [--redaction "
                                "FILE.json] [--template FILE.html]"));
        return BadInput;
    }
    const QString out = p.value(outOpt);
    if (!out.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive) &&
        !out.endsWith(QLatin1String(".html"), Qt::CaseInsensitive) &&
        !out.endsWith(QLatin1String(".htm"), Qt::CaseInsensitive)) {
        printErr(QStringLiteral("%1: the report is written as .pdf or .html").arg(out));
        return BadInput;
    }
    report::RenderOptions ro;
    std::optional<report::Redactor> redactor;
    if (p.isSet(redactOpt) || p.isSet(patternsOpt)) {
        if (p.isSet(patternsOpt)) {
            auto r = report::Redactor::fromFile(p.value(patternsOpt));
            if (!r) {
                printError(r.error());
                return BadInput;
            }
            redactor = std::move(*r);
        } else {
            redactor = report::Redactor::defaults();
        }
        ro.redactor = &*redactor;
    }
    if (p.isSet(templateOpt)) {
        auto html = io::readFileBounded(p.value(templateOpt), 8 << 20); // a template larger is refused, not cut
        if (!html) {
            printErr(html.error().toString());
            return BadInput;
        }
        ro.templateHtml = QByteArray::fromStdString(*html);
        ro.templateFile = p.value(templateOpt);
    }
    if (p.isSet(markingOpt)) ro.marking = p.value(markingOpt);

    const QString casePath = p.positionalArguments().first();
    report::ReportData data;
    {
        auto store = openCase(casePath, false, true);
        if (!store) return BadInput;
        auto d = report::collectReport(*store);
        if (!d) {
            printError(d.error(), casePath);
            return exitFor(d.error());
        }
        data = std::move(*d);
    }
    data.tool = CHAINSIGHT_VERSION;
    auto rendered = report::renderReport(data, ro);
    if (!rendered) {
        printError(rendered.error());
        return BadInput;
    }
    if (auto w = report::writeReport(*rendered, out); !w) {
        printError(w.error());
        return BadInput;
    }
    if (auto r = report::recordExport(casePath, ro.redactor ? "legal-copy" : "report", out); !r)
        printErr(QStringLiteral("warning: %1: the export was not recorded in the custody log: %2")
                     .arg(casePath, r.error().toString()));
    if (p.isSet(jsonOpt)) {
        QJsonObject masked;
        for (const auto& [rule, n] : rendered->redactionsByRule)
            masked[rule] = n;
        printJson(QJsonObject{{QStringLiteral("out"), out},
                              {QStringLiteral("legal_copy"), rendered->legalCopy},
                              {QStringLiteral("redactions"), rendered->redactions},
                              {QStringLiteral("redactions_by_rule"), masked},
                              {QStringLiteral("kill_chain_steps"), static_cast<qint64>(data.killChain.size())},
                              {QStringLiteral("findings"), static_cast<qint64>(data.analysis.findings.size())}});
    } else {
        printLine(QStringLiteral("%1: wrote %2%3")
                      .arg(out,
                           rendered->legalCopy ? QStringLiteral("the legal review copy")
                                               : QStringLiteral("the incident report"),
                           rendered->legalCopy ? QStringLiteral(" (%1 item(s) masked)").arg(rendered->redactions)
                                               : QString()));
    }
    return Ok;
}

} // namespace chainsight::cli
