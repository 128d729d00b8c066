// chainsight import FILE|DIR... --case CASE.db [--format NAME] [--json]: the format is recognised from content
// (the line printed names the importer used); --format forces one.
#include "app/cli/CliCommon.h"
#include "core/custody/CaseVerifier.h"
#include "importers/Importer.h"

#include <QJsonArray>

#include <functional>

namespace chainsight::cli {

int runImport(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(
        QStringLiteral("bundle"),
        QStringLiteral("Evidence to import: a bundle directory, .zip, .tar.gz or a foreign log file."),
        QStringLiteral("BUNDLE..."));
    QCommandLineOption caseOpt(QStringLiteral("case"), QStringLiteral("The case file (created if new)."),
                               QStringLiteral("CASE.db"));
    QCommandLineOption formatOpt(QStringLiteral("format"),
                                 QStringLiteral("Force a format: %1.").arg(fromStd(importers::supportedFormats())),
                                 QStringLiteral("NAME"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print the result as JSON."));
    p.addOption(caseOpt);
    p.addOption(formatOpt);
    p.addOption(jsonOpt);
    int code = Ok;
    if (!parseArgs(p, args, QStringLiteral("Import evidence into a case."), &code)) return code;
    if (!p.isSet(caseOpt) || p.positionalArguments().isEmpty()) {
        printErr(QStringLiteral("usage: chainsight import BUNDLE... --case CASE.db [--format NAME] [--json]"));
        return BadInput;
    }
    auto store = openCase(p.value(caseOpt), true);
    if (!store) return BadInput;
    if (Status s = custody::checkOnOpen(*store); !s) {
        printError(s.error());
        return Failed;
    }

    // One import (or one log file of a bundle, or one file of a folder) as JSON.
    std::function<QJsonObject(const QString&, const importers::ImportReport&)> toJson =
        [&](const QString& path, const importers::ImportReport& r) {
            QJsonObject o;
            o[QStringLiteral("path")] = path;
            o[QStringLiteral("importer")] = fromStd(r.importer);
            o[QStringLiteral("bundle_id")] = fromStd(r.bundleId);
            o[QStringLiteral("already_imported")] = r.alreadyImported;
            o[QStringLiteral("events")] = static_cast<qint64>(r.events);
            o[QStringLiteral("decisions")] = static_cast<qint64>(r.decisions);
            o[QStringLiteral("decisions_valid")] = static_cast<qint64>(r.decisionsValid);
            QJsonArray warnings;
            for (const auto& w : r.warnings)
                warnings.append(fromStd(w));
            o[QStringLiteral("warnings")] = warnings;
            if (!r.children.empty()) {
                QJsonArray children;
                for (const auto& c : r.children)
                    children.append(toJson(QString(), c));
                o[QStringLiteral("children")] = children;
            }
            return o;
        };

    QJsonArray results;
    int rc = Ok;
    for (const QString& path : p.positionalArguments()) {
        importers::ImportOptions options;
        auto r = importers::importPath(*store, path, options, p.value(formatOpt).toStdString());
        if (!r) {
            printError(r.error(), path);
            rc = exitFor(r.error());
            break; // the bundles before this one are in; this one left nothing behind
        }
        results.append(toJson(path, *r));
        if (!p.isSet(jsonOpt)) {
            if (r->importer == "folder") {
                printLine(QStringLiteral("%1: folder of %2 file(s): %3 events, %4 decisions")
                              .arg(path)
                              .arg(r->children.size())
                              .arg(r->events)
                              .arg(r->decisions));
                for (const auto& c : r->children)
                    printLine(QStringLiteral("  %1 (format %2): %3 events, %4 decisions%5")
                                  .arg(fromStd(c.bundleId), fromStd(c.importer))
                                  .arg(c.events)
                                  .arg(c.decisions)
                                  .arg(c.alreadyImported ? QStringLiteral(" (already in the case)") : QString()));
            } else if (r->alreadyImported)
                printLine(QStringLiteral("%1: bundle %2 is already in the case; nothing imported")
                              .arg(path, fromStd(r->bundleId)));
            else
                printLine(QStringLiteral("%1: imported as %2 (format %3): %4 events, %5 decisions (%6 verified)")
                              .arg(path, fromStd(r->bundleId), fromStd(r->importer))
                              .arg(r->events)
                              .arg(r->decisions)
                              .arg(r->decisionsValid));
            if (r->importer != "folder")
                for (const auto& c : r->children)
                    if (c.importer != "none")
                        printLine(QStringLiteral("  logs: %1 events, %2 decisions decoded by the %3 importer")
                                      .arg(c.events)
                                      .arg(c.decisions)
                                      .arg(fromStd(c.importer)));
            for (const auto& w : r->warnings)
                printErr(QStringLiteral("warning: %1: %2").arg(path, fromStd(w)));
        }
    }
    if (p.isSet(jsonOpt)) {
        QJsonObject out;
        out[QStringLiteral("case")] = p.value(caseOpt);
        out[QStringLiteral("imports")] = results;
        out[QStringLiteral("ok")] = rc == Ok;
        printJson(out);
    }
    return rc;
}

} // namespace chainsight::cli
