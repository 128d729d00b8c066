// chainsight contain CASE.db --action ACTION --backend NAME --target T [--dry-run] [--approved-by NAME]: issue a
// containment action for scripted use, with the same records as the panel; also --list, --suggest, --retry ID,
// --reverse ID. Backends come from the settings; secrets from the system keychain or --credentials FILE (0600).
#include "app/cli/CliCommon.h"
#include "core/analysis/Analysis.h"
#include "core/containment/BackendSettings.h"
#include "core/containment/Suggestions.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QSettings>

#include <cstdio>

namespace chainsight::cli {

namespace {
using namespace chainsight::containment;

QJsonObject recordJson(const store::ActionRecord& r)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(store::ActionStore::toJson(r).dump())).object();
}

QString recordLine(const store::ActionRecord& r)
{
    QString line = QStringLiteral("action %1  %2  %3  via %4: %5")
                       .arg(r.id)
                       .arg(fromStd(r.action), fromStd(r.target), fromStd(r.backend), fromStd(r.state));
    if (r.httpStatus) line += QStringLiteral(" (HTTP %1)").arg(r.httpStatus);
    if (r.attempts) line += QStringLiteral(", %1 attempt%2").arg(r.attempts).arg(r.attempts == 1 ? "" : "s");
    if (!r.approver.empty()) line += QStringLiteral(", approved by ") + fromStd(r.approver);
    if (r.breakGlass) line += QStringLiteral(", BREAK-GLASS: ") + fromStd(r.reason);
    if (!r.error.empty()) line += QStringLiteral(" — ") + fromStd(r.error);
    return line;
}

int waitFor(ContainmentService& svc, Result<int64_t> started, bool json, const QString& casePath)
{
    if (!started) {
        printError(started.error(), casePath);
        return started.error().code == ErrorCode::Blocked || started.error().code == ErrorCode::Usage ||
                       started.error().code == ErrorCode::Io || started.error().code == ErrorCode::Format
                   ? BadInput
                   : Failed;
    }
    QEventLoop loop;
    std::optional<store::ActionRecord> final;
    svc.setObserver([&](const store::ActionRecord& r, const QString& progress) {
        if (r.id != *started) return;
        if (!json && r.state != "intent" && !progress.isEmpty())
            std::fprintf(stderr, "chainsight: action %lld: %s\n", static_cast<long long>(r.id), qPrintable(progress));
        if (r.state == "confirmed" || r.state == "failed" || r.state == "reversed") {
            final = r;
            loop.quit();
        }
    });
    if (svc.running() > 0) loop.exec();
    if (!final) {
        auto r = svc.actions().byId(*started);
        if (r && *r) final = **r;
    }
    if (!final) return Failed;
    if (json)
        printJson(recordJson(*final));
    else
        printLine(recordLine(*final));
    return final->state == "confirmed" ? Ok : Failed;
}
} // namespace

int runContain(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("CASE.db"));
    QCommandLineOption actionOpt(QStringLiteral("action"),
                                 QStringLiteral("The action: ") + actionNames().join(QStringLiteral(", ")) + '.',
                                 QStringLiteral("ACTION"));
    QCommandLineOption backendOpt(QStringLiteral("backend"), QStringLiteral("The configured backend to send it to."),
                                  QStringLiteral("NAME"));
    QCommandLineOption targetOpt(QStringLiteral("target"), QStringLiteral("What to act on (see docs/containment.md)."),
                                 QStringLiteral("T"));
    QCommandLineOption dryOpt(QStringLiteral("dry-run"),
                              QStringLiteral("Print the exact request, secrets masked; send nothing."));
    QCommandLineOption approvedOpt(QStringLiteral("approved-by"), QStringLiteral("The second analyst who approved it."),
                                   QStringLiteral("NAME"));
    QCommandLineOption breakOpt(QStringLiteral("break-glass"),
                                QStringLiteral("Proceed without approval; the reason is recorded and flagged."),
                                QStringLiteral("REASON"));
    QCommandLineOption messageOpt(QStringLiteral("message"), QStringLiteral("notify: the text; others: a reason."),
                                  QStringLiteral("TEXT"));
    QCommandLineOption replicasOpt(QStringLiteral("replicas"), QStringLiteral("restore-scale: the replica count."),
                                   QStringLiteral("N"));
    QCommandLineOption credOpt(
        QStringLiteral("credentials"),
        QStringLiteral("Read secrets from FILE (REF=SECRET lines, mode 0600) instead of the keychain."),
        QStringLiteral("FILE"));
    QCommandLineOption listOpt(QStringLiteral("list"), QStringLiteral("List the case's actions."));
    QCommandLineOption suggestOpt(QStringLiteral("suggest"),
                                  QStringLiteral("List the suggested actions for the case."));
    QCommandLineOption retryOpt(QStringLiteral("retry"),
                                QStringLiteral("Send a failed or unknown action again (same idempotency key)."),
                                QStringLiteral("ID"));
    QCommandLineOption reverseOpt(QStringLiteral("reverse"), QStringLiteral("Reverse a confirmed reversible action."),
                                  QStringLiteral("ID"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print JSON."));
    for (auto* o : {&actionOpt, &backendOpt, &targetOpt, &dryOpt, &approvedOpt, &breakOpt, &messageOpt, &replicasOpt,
                    &credOpt, &listOpt, &suggestOpt, &retryOpt, &reverseOpt, &jsonOpt})
        p.addOption(*o);
    int code = Ok;
    if (!parseArgs(p, args,
                   QStringLiteral("Contain the agent's reach: revoke tokens, freeze accounts, quarantine, "
                                  "kill, revoke secrets, gateway actions, notify."),
                   &code))
        return code;
    const QString usage =
        QStringLiteral("usage: chainsight contain CASE.db --action ACTION --backend NAME --target T "
                       "[--dry-run] [--approved-by NAME] | --list | --suggest | --retry ID | --reverse ID");
    if (p.positionalArguments().size() != 1) {
        printErr(usage);
        return BadInput;
    }
    const QString casePath = p.positionalArguments().first();
    const bool json = p.isSet(jsonOpt);
    const bool listing = p.isSet(listOpt) || p.isSet(suggestOpt);
    auto store = openCase(casePath, false, false);
    if (!store) return BadInput;

    QSettings settings;
    const auto backends = loadBackends(settings);
    std::unique_ptr<CredentialStore> creds;
    QString credPath = p.value(credOpt);
    if (credPath.isEmpty()) credPath = qEnvironmentVariable("CHAINSIGHT_CREDENTIALS");
    if (!credPath.isEmpty()) {
        auto f = FileCredentialStore::open(credPath);
        if (!f) {
            printError(f.error());
            return BadInput;
        }
        creds = std::move(*f);
    } else if (listing) {
        creds = std::make_unique<MemoryCredentialStore>();
    } else {
        creds = makeKeychainStore();
    }
    ContainmentService svc(*store, *creds, backends, loadSettings(settings));
    auto interrupted = svc.markInterrupted();
    if (!interrupted) {
        printError(interrupted.error(), casePath);
        return Failed;
    }
    if (*interrupted > 0 && !json)
        printErr(QStringLiteral("%1: %2 action(s) left in flight are now 'unknown'; reconcile them with --retry ID")
                     .arg(casePath)
                     .arg(*interrupted));

    if (p.isSet(listOpt)) {
        auto all = svc.actions().list();
        if (!all) {
            printError(all.error(), casePath);
            return Failed;
        }
        if (json) {
            QJsonArray arr;
            for (const auto& r : *all)
                arr.append(recordJson(r));
            printJson(QJsonObject{{QStringLiteral("actions"), arr}});
        } else {
            for (const auto& r : *all)
                printLine(recordLine(r));
        }
        return Ok;
    }
    if (p.isSet(suggestOpt)) {
        auto report = analysis::analyzeCase(*store);
        if (!report) {
            printError(report.error(), casePath);
            return exitFor(report.error());
        }
        auto baselines = store->baselines();
        if (!baselines) {
            printError(baselines.error(), casePath);
            return Failed;
        }
        const auto sugg = suggest(*report, *baselines, backends);
        QJsonArray arr;
        for (const auto& s : sugg) {
            if (json)
                arr.append(QJsonObject{{QStringLiteral("action"), actionName(s.spec.kind)},
                                       {QStringLiteral("backend"), s.spec.backend},
                                       {QStringLiteral("target"), s.spec.target},
                                       {QStringLiteral("agent"), s.agent},
                                       {QStringLiteral("stage"), s.stage},
                                       {QStringLiteral("destructive"), isDestructive(s.spec.kind)},
                                       {QStringLiteral("why"), s.why}});
            else
                printLine(QStringLiteral("%1  %2  %3  via %4 — %5")
                              .arg(s.stage, -15)
                              .arg(actionName(s.spec.kind), -20)
                              .arg(s.spec.target,
                                   s.spec.backend.isEmpty() ? QStringLiteral("(no backend)") : s.spec.backend, s.why));
        }
        if (json) printJson(QJsonObject{{QStringLiteral("suggestions"), arr}});
        return Ok;
    }

    IssueOptions opts;
    opts.approver = p.value(approvedOpt);
    opts.breakGlassReason = p.value(breakOpt);
    if (p.isSet(breakOpt) && opts.breakGlassReason.trimmed().isEmpty()) {
        printErr(casePath + QStringLiteral(": break-glass: a reason is required"));
        return BadInput;
    }
    if (p.isSet(retryOpt) || p.isSet(reverseOpt)) {
        bool ok = false;
        const qint64 id = (p.isSet(retryOpt) ? p.value(retryOpt) : p.value(reverseOpt)).toLongLong(&ok);
        if (!ok || id <= 0) {
            printErr(casePath + QStringLiteral(": ID: not an action id"));
            return BadInput;
        }
        return waitFor(svc, p.isSet(retryOpt) ? svc.resend(id) : svc.reverse(id, opts), json, casePath);
    }

    if (!p.isSet(actionOpt) || !p.isSet(backendOpt) || !p.isSet(targetOpt)) {
        printErr(usage);
        return BadInput;
    }
    auto kind = actionFromName(p.value(actionOpt));
    if (!kind) {
        printErr(casePath + QStringLiteral(": action: unknown action '%1' (one of %2)")
                                .arg(p.value(actionOpt), actionNames().join(QStringLiteral(", "))));
        return BadInput;
    }
    ActionSpec spec;
    spec.kind = *kind;
    spec.backend = p.value(backendOpt);
    spec.target = p.value(targetOpt);
    spec.message = p.value(messageOpt);
    if (p.isSet(replicasOpt)) {
        bool ok = false;
        spec.replicas = p.value(replicasOpt).toInt(&ok);
        if (!ok || spec.replicas < 0) {
            printErr(casePath + QStringLiteral(": replicas: not a count"));
            return BadInput;
        }
    }
    if (p.isSet(dryOpt)) {
        auto d = svc.dryRun(spec, opts);
        if (!d) {
            printError(d.error(), casePath);
            return BadInput;
        }
        if (json) {
            printJson(QJsonObject{{QStringLiteral("dry_run"), true},
                                  {QStringLiteral("action"), actionName(spec.kind)},
                                  {QStringLiteral("target"), d->recordedTarget},
                                  {QStringLiteral("needs_approval"), d->needsApproval},
                                  {QStringLiteral("request"), d->maskedRequest}});
        } else {
            std::fputs(qPrintable(d->maskedRequest), stdout);
            std::fputs("\n", stdout);
            if (d->needsApproval)
                std::fputs("(destructive: needs --approved-by NAME or --break-glass REASON)\n", stdout);
        }
        return Ok;
    }
    return waitFor(svc, svc.issue(spec, opts), json, casePath);
}

} // namespace chainsight::cli
