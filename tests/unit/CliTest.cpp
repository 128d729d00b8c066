// The headless command line as scripts see it: exit codes, one-line errors on stderr, stable JSON keys.
#include "tests/support/BundleWriter.h"

#include "core/json/Json.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace chainsight;
using namespace chainsight::testing;

namespace {
struct CliRun
{
    int code;
    QString out, err;
};

CliRun chainsightRun(const QStringList& args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));          // subcommands must not need a display
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.insert(QStringLiteral("CHAINSIGHT_ANALYST"), QStringLiteral("cli-tester"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(CHAINSIGHT_BIN), args);
    EXPECT_TRUE(p.waitForFinished(120000));
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject parseJson(const QString& text)
{
    QJsonParseError e;
    auto doc = QJsonDocument::fromJson(text.toUtf8(), &e);
    EXPECT_EQ(e.error, QJsonParseError::NoError) << text.toStdString();
    return doc.object();
}

void writeIncident(const QString& dir, BundleWriter& w)
{
    const std::string a = "refund-agent", s = "s1";
    w.addEventLine(eventLine("e1", "2026-05-06T01:40:00Z", "prompt", a, s, R"("role":"user","content":"refund order 9")"));
    w.addEventLine(eventLine("e2", "2026-05-06T01:40:01Z", "tool_call", a, s, R"("tool":"payments.refund","call_id":"c1","arguments":{"recipient":"acct-9"})"));
    w.addEventLine(eventLine("e3", "2026-05-06T01:40:02Z", "tool_result", a, s, R"("call_id":"c1","status":"ok")"));
    w.addEventLine(eventLine("e4", "2026-05-06T01:40:03Z", "auth", "other-agent", "s2", R"("principal":"sa:x","outcome":"success")"));
    for (int i = 0; i < 3; ++i) {
        json::Value d = json::Value::object();
        d.set("ts", json::Value::string("2026-05-06T01:40:01Z"));
        d.set("agent", json::Value::string(a));
        d.set("event", json::Value::string("e2"));
        d.set("decision", json::Value::string(i == 2 ? "BLOCK" : "ALLOW"));
        w.addDecision(d);
    }
    ASSERT_TRUE(w.write(dir));
}
} // namespace

class Cli : public ::testing::Test
{
protected:
    void SetUp() override
    {
        bundle = tmp.filePath("bundle");
        writeIncident(bundle, writer);
        casePath = tmp.filePath("case.db");
    }
    QTemporaryDir tmp;
    BundleWriter writer;
    QString bundle, casePath;
};

TEST_F(Cli, ImportInfoAndVerifyAnIntactCase)
{
    CliRun imp = chainsightRun({"import", bundle, "--case", casePath});
    ASSERT_EQ(imp.code, 0) << imp.err.toStdString();
    EXPECT_TRUE(imp.out.contains("4 events")) << imp.out.toStdString();
    EXPECT_TRUE(imp.err.contains("unpinned")) << "a bundle-only key must be reported";

    CliRun info = chainsightRun({"info", casePath, "--json"});
    ASSERT_EQ(info.code, 0) << info.err.toStdString();
    QJsonObject o = parseJson(info.out);
    EXPECT_EQ(o["events"].toInt(), 4);
    EXPECT_EQ(o["by_type"].toObject()["tool_call"].toInt(), 1);
    EXPECT_EQ(o["by_agent"].toObject()["refund-agent"].toInt(), 3);
    EXPECT_EQ(o["bundles"].toArray().size(), 1);
    EXPECT_EQ(o["window"].toObject()["start"].toString(), "2026-05-06T01:40:00Z");
    EXPECT_EQ(o["window"].toObject()["end"].toString(), "2026-05-06T01:40:03Z");

    CliRun v = chainsightRun({"verify", casePath});
    EXPECT_EQ(v.code, 0) << v.out.toStdString();
    EXPECT_TRUE(v.out.contains("files valid 4/4")) << v.out.toStdString();
    EXPECT_TRUE(v.out.contains("decisions valid 3/3")) << v.out.toStdString();
    EXPECT_TRUE(v.out.contains("gw-test unpinned")) << v.out.toStdString();

    // Pin the key: now the signatures count.
    const QString keyFile = tmp.filePath("gw-test.pem");
    ASSERT_TRUE(writeFile(keyFile, writer.publicPem()));
    CliRun pin = chainsightRun({"keys", "pin", keyFile, "--case", casePath});
    ASSERT_EQ(pin.code, 0) << pin.err.toStdString();
    CliRun list = chainsightRun({"keys", "list", "--case", casePath, "--json"});
    ASSERT_EQ(list.code, 0);
    QJsonObject keys = parseJson(list.out);
    EXPECT_EQ(keys["pinned"].toArray().size(), 1);
    EXPECT_EQ(keys["bundle_keys"].toArray()[0].toObject()["status"].toString(), "pinned");
    CliRun vj = chainsightRun({"verify", casePath, "--json"});
    EXPECT_EQ(vj.code, 0);
    QJsonObject vo = parseJson(vj.out);
    EXPECT_TRUE(vo["intact"].toBool());
    EXPECT_EQ(vo["keys_unpinned"].toInt(), 0);
    EXPECT_EQ(vo["decisions"].toObject()["valid"].toInt(), 3);

    // A second import of the same bundle is recognised.
    CliRun again = chainsightRun({"import", bundle, "--case", casePath, "--json"});
    EXPECT_EQ(again.code, 0);
    EXPECT_TRUE(parseJson(again.out)["imports"].toArray()[0].toObject()["already_imported"].toBool());
}

TEST_F(Cli, BadInputIsOneLineWithFileAndLineAndExit2)
{
    std::string events = readFile(QDir(bundle).filePath("events.jsonl"));
    events.replace(events.find("\"tool_result\""), 13, "\"tool_reslt\"");
    writeFile(QDir(bundle).filePath("events.jsonl"), events);
    ASSERT_TRUE(refreshManifest(bundle));
    CliRun r = chainsightRun({"import", bundle, "--case", casePath});
    EXPECT_EQ(r.code, 2);
    const QStringList lines = r.err.trimmed().split('\n');
    ASSERT_EQ(lines.size(), 1) << r.err.toStdString();
    EXPECT_TRUE(lines[0].startsWith("chainsight: " + bundle + "/events.jsonl:3: ")) << lines[0].toStdString();
    EXPECT_TRUE(lines[0].contains("unknown event type")) << lines[0].toStdString();
    // The case exists but holds nothing.
    CliRun info = chainsightRun({"info", casePath, "--json"});
    EXPECT_EQ(parseJson(info.out)["events"].toInt(), 0);
}

TEST_F(Cli, VerifyBundleReportsEachFailureAndExits1)
{
    CliRun ok = chainsightRun({"verify", bundle, "--json"});
    EXPECT_EQ(ok.code, 0) << ok.out.toStdString();
    EXPECT_TRUE(parseJson(ok.out)["intact"].toBool());

    // Drop decision seq 1 and add an unlisted file, keeping the manifest as it was.
    std::string d = readFile(QDir(bundle).filePath("decisions.jsonl"));
    size_t first = d.find('\n'), second = d.find('\n', first + 1);
    d.erase(first + 1, second - first);
    writeFile(QDir(bundle).filePath("decisions.jsonl"), d);
    writeFile(QDir(bundle).filePath("extra.txt"), "planted");
    CliRun bad = chainsightRun({"verify", bundle});
    EXPECT_EQ(bad.code, 1);
    EXPECT_TRUE(bad.out.contains("decisions.jsonl: seq 2: sequence,chain")) << bad.out.toStdString();
    EXPECT_TRUE(bad.out.contains("decisions.jsonl: sha256")) << bad.out.toStdString();
    EXPECT_TRUE(bad.out.contains("extra.txt: unlisted")) << bad.out.toStdString();
    EXPECT_TRUE(bad.out.contains("decisions valid 1/2")) << bad.out.toStdString();

    CliRun js = chainsightRun({"verify", bundle, "--json", "--key", tmp.filePath("none.pem")});
    EXPECT_EQ(js.code, 2) << "a key file that does not exist is bad input";
    CliRun j = chainsightRun({"verify", bundle, "--json"});
    QJsonObject o = parseJson(j.out);
    EXPECT_FALSE(o["intact"].toBool());
    bool seqFound = false;
    for (const auto& f : o["failures"].toArray())
        seqFound = seqFound || (f.toObject()["seq"].toInt() == 2 && f.toObject()["file"].toString() == "decisions.jsonl");
    EXPECT_TRUE(seqFound);
}

TEST_F(Cli, UsageErrorsExit2)
{
    EXPECT_EQ(chainsightRun({"import", bundle}).code, 2);
    EXPECT_EQ(chainsightRun({"info", tmp.filePath("nope.db")}).code, 2);
    EXPECT_EQ(chainsightRun({"verify", tmp.filePath("nope")}).code, 2);
    // exercise --gui checks its --team file before it starts a window (it used to drop --team altogether).
    const QString scenario = QStringLiteral(CHAINSIGHT_SOURCE_DIR "/resources/exercises/refund-incident.exercise.json");
    CliRun team = chainsightRun({"exercise", scenario, "--gui", "--team", tmp.filePath("no-team.json")});
    EXPECT_EQ(team.code, 2);
    EXPECT_TRUE(team.err.startsWith("chainsight: ") && team.err.contains("no-team.json") && team.err.count('\n') == 1)
        << team.err.toStdString();
    CliRun v = chainsightRun({"--version"});
    EXPECT_EQ(v.code, 0);
    EXPECT_TRUE(v.out.startsWith("chainsight "));
}
