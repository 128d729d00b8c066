// chainsight exercise SCENARIO [--speed N] --headless [--json] [--policy FILE] [--team FILE] [--case OUT.db]
//                              [--report FILE.html] [--until OFFSET] [--realtime]
// chainsight exercise SCENARIO --gui [--at OFFSET|PCT%] [--after-action] [--screenshot FILE.png]
// Plays a tabletop exercise: headless, it prints the timeline of injects, the scripted team's actions and what the
// automation policy would have done, then the score; with --gui it opens the workbench in exercise mode.
#include "app/cli/CliCommon.h"
#include "core/exercise/Headless.h"
#include "core/model/Time.h"
#include "importers/Importer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <cstdio>

namespace chainsight::cli {

namespace {

void writeOut(const std::string& s)
{
    std::fwrite(s.data(), 1, s.size(), stdout);
    std::fflush(stdout);
}

void printIndentedJson(const json::Value& v)
{
    const std::string compact = v.dump();
    QByteArray out = QJsonDocument::fromJson(QByteArray::fromStdString(compact)).toJson(QJsonDocument::Indented);
    if (out.isEmpty()) out = QByteArray::fromStdString(compact + "\n");
    std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
    std::fflush(stdout);
}

std::string textTimeline(const exercise::Scenario& s, const exercise::HeadlessOptions& o,
                         const exercise::HeadlessRun& run)
{
    std::string t;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%gx", o.speed);
    t += "Exercise: " + s.title + " (" + buf + ", " + exercise::formatOffset(run.endNs) + " of scenario time)\n";
    t += "First signal: " + run.truth.firstSignalEvent + " at " +
         exercise::formatOffset(run.truth.toScenario(run.truth.firstSignalTs)) + "\n\n";
    for (const auto& e : run.timeline) {
        std::snprintf(buf, sizeof buf, "%9s  [wall %6.1fs]  ", exercise::formatOffset(e.atNs).c_str(), e.wallOffsetS);
        t += buf;
        const json::Value& d = e.detail;
        switch (e.kind) {
        case exercise::TimelineEntry::Kind::Inject:
            t += "INJECT  " + (d.str("from").empty() ? std::string() : std::string(d.str("from")) + ": ") +
                 std::string(d.str("message")) + "\n";
            break;
        case exercise::TimelineEntry::Kind::Team:
            if (!d.str("classify").empty())
                t += "TEAM    classified as " + std::string(d.str("classify")) + "\n";
            else if (!d.str("contain").empty())
                t += "TEAM    " + std::string(d.str("contain")) + " " + std::string(d.str("target")) + " (simulated)\n";
            else
                t += "TEAM    checklist " + std::string(d.str("checklist")) + " -> " + std::string(d.str("state")) +
                     "\n";
            break;
        case exercise::TimelineEntry::Kind::Policy:
            t += "POLICY  " + std::string(d.str("mode")) + ": " + std::string(d.str("action")) + " " +
                 std::string(d.str("target")) + " (rule " + std::string(d.str("rule")) + "; " +
                 std::string(d.str("because")) + ")\n";
            break;
        case exercise::TimelineEntry::Kind::End:
            t += "END     " + std::to_string(e.visibleEvents) + " events replayed\n";
            break;
        }
    }
    const auto& sc = run.score;
    t += "\nScore " + std::to_string(sc.total) + "/100: classification " + std::to_string(sc.classificationPoints) +
         "/25, containment " + std::to_string(sc.containmentPoints) + "/35, harm " + std::to_string(sc.harmPoints) +
         "/25, checklist " + std::to_string(sc.checklistPoints) + "/15\n";
    t += "Harm: " + std::to_string(sc.harmDone.size()) +
         " harmful action(s) after the first signal before containment, " + std::to_string(sc.harmPrevented) +
         " prevented, " + std::to_string(sc.harmBeforeSignal) + " before the signal\n";
    if (run.policy)
        t += "Policy: would have allowed " + std::to_string(run.policy->harmAllowed) +
             " harmful action(s) after the first signal (" + std::to_string(run.policy->checkpoints) +
             " cut analyses)\n";
    return t;
}

// The full case a scenario replays: its case file as is (read only), or its bundle imported into dir.
Result<QString> facilitatorCase(const exercise::Scenario& s, const QString& dir)
{
    if (s.sourceIsCase) return s.source;
    const QString path = dir + QStringLiteral("/facilitator.db");
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::OpenOrCreate;
    o.bulk = true;
    auto st = store::CaseStore::open(path, o);
    if (!st) return st.error();
    importers::ImportOptions options;
    auto r = importers::importPath(**st, s.source, options);
    if (!r) return r.error();
    return path;
}

int runGui(const QStringList& args, const QString& scenario, const QString& team, const QString& at, bool afterAction,
           const QString& screenshot)
{
    // The workbench runs in its own process; the exercise panel picks the scenario up from the environment.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CHAINSIGHT_EXERCISE"), QFileInfo(scenario).absoluteFilePath());
    if (!team.isEmpty()) env.insert(QStringLiteral("CHAINSIGHT_EXERCISE_TEAM"), QFileInfo(team).absoluteFilePath());
    if (!at.isEmpty()) env.insert(QStringLiteral("CHAINSIGHT_EXERCISE_AT"), at);
    if (afterAction) env.insert(QStringLiteral("CHAINSIGHT_EXERCISE_AFTER_ACTION"), QStringLiteral("1"));
    if (!screenshot.isEmpty())
        env.insert(QStringLiteral("CHAINSIGHT_EXERCISE_SCREENSHOT"), QFileInfo(screenshot).absoluteFilePath());
    Q_UNUSED(args);
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(QCoreApplication::applicationFilePath(), {});
    if (!p.waitForStarted()) {
        printErr(QStringLiteral("cannot start the workbench: %1").arg(p.errorString()));
        return Failed;
    }
    p.waitForFinished(-1);
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : Failed;
}

} // namespace

int runExercise(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("scenario"), QStringLiteral("The scenario file (*.exercise.json)."),
                            QStringLiteral("SCENARIO"));
    QCommandLineOption speedOpt(QStringLiteral("speed"), QStringLiteral("Replay speed (default 60)."),
                                QStringLiteral("N"), QStringLiteral("60"));
    QCommandLineOption headlessOpt(QStringLiteral("headless"), QStringLiteral("Play without a display."));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    QCommandLineOption policyOpt(QStringLiteral("policy"),
                                 QStringLiteral("Automation policy to evaluate (default: the scenario's)."),
                                 QStringLiteral("FILE"));
    QCommandLineOption noPolicyOpt(QStringLiteral("no-policy"), QStringLiteral("Evaluate no automation policy."));
    QCommandLineOption teamOpt(
        QStringLiteral("team"),
        QStringLiteral("A scripted team: classification, containment and checklist actions at their times."),
        QStringLiteral("FILE"));
    QCommandLineOption caseOpt(QStringLiteral("case"),
                               QStringLiteral("Keep the participants' case here (must not exist)."),
                               QStringLiteral("OUT.db"));
    QCommandLineOption reportOpt(QStringLiteral("report"), QStringLiteral("Write the after-action report (HTML)."),
                                 QStringLiteral("FILE.html"));
    QCommandLineOption untilOpt(QStringLiteral("until"), QStringLiteral("Stop at this scenario time (\"+20m\")."),
                                QStringLiteral("OFFSET"));
    QCommandLineOption realtimeOpt(QStringLiteral("realtime"),
                                   QStringLiteral("Wait in real time at the chosen speed (default: no waiting)."));
    QCommandLineOption guiOpt(QStringLiteral("gui"), QStringLiteral("Open the workbench in exercise mode."));
    QCommandLineOption atOpt(QStringLiteral("at"),
                             QStringLiteral("--gui: start at this scenario time or percentage (\"+15m\", \"50%\")."),
                             QStringLiteral("OFFSET"));
    QCommandLineOption afterOpt(QStringLiteral("after-action"), QStringLiteral("--gui: show the after-action report."));
    QCommandLineOption shotOpt(QStringLiteral("screenshot"), QStringLiteral("--gui: save the window and exit."),
                               QStringLiteral("FILE.png"));
    for (auto* o : {&speedOpt, &headlessOpt, &jsonOpt, &policyOpt, &noPolicyOpt, &teamOpt, &caseOpt, &reportOpt,
                    &untilOpt, &realtimeOpt, &guiOpt, &atOpt, &afterOpt, &shotOpt})
        p.addOption(*o);
    int code = Ok;
    if (!parseArgs(p, args,
                   QStringLiteral("Play a tabletop exercise: injects on a replayed incident, a scripted team's score, "
                                  "an automation policy's firings."),
                   &code))
        return code;
    if (p.positionalArguments().size() != 1) {
        printErr(QStringLiteral("usage: chainsight exercise SCENARIO [--speed N] --headless [--json] [--team FILE] "
                                "[--policy FILE] | --gui"));
        return BadInput;
    }
    const QString scenarioPath = p.positionalArguments().first();
    auto scenario = exercise::loadScenario(scenarioPath);
    if (!scenario) {
        printError(scenario.error());
        return BadInput;
    }
    bool okSpeed = false;
    const double speed = p.value(speedOpt).toDouble(&okSpeed);
    if (!okSpeed || !(speed > 0) || speed > 100000) {
        printErr(QStringLiteral("--speed: must be a number above 0 (1, 10, 60, ...)"));
        return BadInput;
    }
    if (p.isSet(guiOpt)) {
        if (p.isSet(teamOpt)) { // checked here, so that a bad file is a one-line error and not a window
            if (auto team = exercise::loadTeamScript(p.value(teamOpt)); !team) {
                printError(team.error());
                return BadInput;
            }
        }
        return runGui(args, scenarioPath, p.value(teamOpt), p.value(atOpt), p.isSet(afterOpt), p.value(shotOpt));
    }
    if (!p.isSet(headlessOpt)) {
        printErr(QStringLiteral(
            "give --headless to play without a display, or --gui to open the workbench in exercise mode"));
        return BadInput;
    }

    exercise::HeadlessOptions options;
    options.speed = speed;
    options.realtime = p.isSet(realtimeOpt);
    if (!p.isSet(noPolicyOpt)) {
        const QString policyPath = p.isSet(policyOpt) ? p.value(policyOpt) : scenario->policy;
        if (!policyPath.isEmpty()) {
            auto policy = exercise::loadPolicy(policyPath);
            if (!policy) {
                printError(policy.error());
                return BadInput;
            }
            options.policy = std::move(*policy);
        }
    }
    if (p.isSet(teamOpt)) {
        auto team = exercise::loadTeamScript(p.value(teamOpt));
        if (!team) {
            printError(team.error());
            return BadInput;
        }
        options.team = std::move(*team);
    }
    if (p.isSet(untilOpt)) {
        auto until = exercise::parseOffset(p.value(untilOpt).toStdString());
        if (!until) {
            printErr(QStringLiteral("--until: not a time offset (\"+20m\", \"90s\", \"00:12:30\")"));
            return BadInput;
        }
        options.stopAtNs = *until;
    }
    QTemporaryDir tmp;
    if (!tmp.isValid()) {
        printErr(QStringLiteral("cannot create a temporary directory"));
        return Failed;
    }
    options.participantCase = p.isSet(caseOpt) ? p.value(caseOpt) : tmp.filePath(QStringLiteral("participants.db"));
    if (QFileInfo::exists(options.participantCase)) {
        printErr(QStringLiteral("%1: the participants' case already exists").arg(options.participantCase));
        return BadInput;
    }
    auto full = facilitatorCase(*scenario, tmp.path());
    if (!full) {
        printError(full.error(), scenario->source);
        return exitFor(full.error());
    }
    auto run = exercise::runHeadless(*scenario, *full, options);
    if (!run) {
        printError(run.error());
        return exitFor(run.error());
    }
    if (p.isSet(reportOpt)) {
        QFile f(p.value(reportOpt));
        const std::string html = exercise::afterActionHtml(*scenario, run->truth, run->score, run->policy);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            f.write(html.data(), static_cast<qint64>(html.size())) != static_cast<qint64>(html.size())) {
            printErr(QStringLiteral("%1: cannot write: %2").arg(p.value(reportOpt), f.errorString()));
            return Failed;
        }
    }
    if (p.isSet(jsonOpt))
        printIndentedJson(exercise::headlessToJson(*scenario, options, *run));
    else
        writeOut(textTimeline(*scenario, options, *run));
    return Ok;
}

} // namespace chainsight::cli
