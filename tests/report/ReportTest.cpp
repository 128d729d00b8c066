// The incident report: every section with the case's real figures, in the HTML and in the PDF (through its
// text); the legal review copy masks what it must and keeps every hash; template errors; ATLAS layer, STIX
// bundle and timeline exports against their formats' required fields.
#include "core/crypto/Crypto.h"
#include "core/custody/Custody.h"
#include "core/report/Exports.h"
#include "core/report/Redaction.h"
#include "core/report/ReportRenderer.h"
#include "core/store/CaseStore.h"
#include "core/store/Database.h"
#include "importers/Importer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace chainsight;

namespace {

QString src(const char* rel)
{
    return QStringLiteral(CHAINSIGHT_SOURCE_DIR "/") + QString::fromUtf8(rel);
}

// The demo incident in a case, with the analyst's side filled in as the playbook and containment areas would.
class ReportFixture : public ::testing::Test
{
protected:
    static inline QTemporaryDir* dir = nullptr;
    static inline report::ReportData* data = nullptr;

    static QString casePath() { return dir->filePath(QStringLiteral("demo.db")); }

    static void SetUpTestSuite()
    {
        dir = new QTemporaryDir;
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::OpenOrCreate;
        auto cs = store::CaseStore::open(casePath(), o);
        ASSERT_TRUE(cs.ok());
        importers::ImportOptions io;
        io.actor = custody::Actor{"tester", "test-host"};
        auto imp = importers::importPath(**cs, src("resources/demo/refund-incident"), io, {});
        ASSERT_TRUE(imp.ok()) << imp.error().toString().toStdString();
        auto* db = (*cs)->database();
        ASSERT_TRUE(
            db->exec("INSERT INTO checklist_items(item, state, owner, due, changed_by, changed_at) VALUES "
                     "('contain.revoke-credentials', 'done', 'Dana Ops', '2026-05-06', 'dana', '2026-05-06T03:00:00Z'),"
                     "('eradicate.clean-kb', 'open', 'Kim KB-Owner', '2026-05-08', '', '')")
                .ok());
        ASSERT_TRUE(db->exec("INSERT INTO raci(activity, role, value) VALUES ('Contain the agent', 'SOC lead', 'A'),"
                             "('Contain the agent', 'Platform on-call', 'R'), ('Notify legal', 'DPO', 'C')")
                        .ok());
        ASSERT_TRUE(
            db->exec("INSERT INTO notes(ts, actor, event, text) VALUES ('2026-05-06T03:10:00Z', 'dana', NULL, "
                     "'Customer marek.romano@inbox.example called; token sk-live0123456789abcdefXYZ seen in a paste')")
                .ok());
        ASSERT_TRUE(
            db->exec("INSERT INTO classifications(ts, actor, source, incident_type, tier, confidence, reason) VALUES "
                     "('2026-05-06T03:05:00Z', 'dana', 'analyst', 'reasoning_compromise', 3, 0.9, 'poisoned refund "
                     "policy confirmed')")
                .ok());
        auto tx = (*cs)->begin();
        ASSERT_TRUE(tx.ok());
        json::Parser p;
        ASSERT_TRUE(custody::append(**cs, custody::Actor{"dana", "ws-7"}, "contain.intent", "refund-agent",
                                    *p.parse(R"({"action":"revoke_credentials","identity":"sa:refund-bot@prod"})"))
                        .ok());
        ASSERT_TRUE(
            custody::append(**cs, custody::Actor{"dana", "ws-7"}, "contain.outcome", "refund-agent",
                            *p.parse(R"({"action":"revoke_credentials","status":"succeeded","receipt":"rcpt-77a1"})"))
                .ok());
        ASSERT_TRUE((*cs)->commit(*tx).ok());
        cs->reset();

        o.mode = store::OpenOptions::Mode::ReadOnly;
        auto ro = store::CaseStore::open(casePath(), o);
        ASSERT_TRUE(ro.ok());
        auto d = report::collectReport(**ro);
        ASSERT_TRUE(d.ok()) << d.error().toString().toStdString();
        data = new report::ReportData(std::move(*d));
    }
    static void TearDownTestSuite()
    {
        delete data;
        delete dir;
    }
};

// The figures and names every report of the demo must hold, taken from the analysis and the store, not typed in.
std::vector<QString> expectedTexts(const report::ReportData& d)
{
    std::vector<QString> out = {
        QStringLiteral("Summary"),
        QStringLiteral("Incident type, tier and reasons"),
        QStringLiteral("Timeline and execution graph"),
        QStringLiteral("Kill chain, mapped to MITRE ATLAS"),
        QStringLiteral("Findings"),
        QStringLiteral("Blast radius"),
        QStringLiteral("Runtime AI-BOM"),
        QStringLiteral("Six-artifact completeness"),
        QStringLiteral("Response checklist"),
        QStringLiteral("RACI matrix"),
        QStringLiteral("Containment actions and receipts"),
        QStringLiteral("Evidence inventory"),
        QStringLiteral("Custody log"),
        QStringLiteral("Analyst notes"),
        QStringLiteral("NIST SP 800-61r3 / CSF 2.0 mapping"),
        QStringLiteral("EU AI Act Article 73"),
        QStringLiteral("Reasoning compromise — tier %1").arg(d.analysis.tier),
        QString::number(d.events),
        QStringLiteral("Dana Ops"),
        QStringLiteral("Platform on-call"),
        QStringLiteral("rcpt-77a1"),
        QStringLiteral("contain.outcome"),
        QStringLiteral("poisoned refund policy confirmed"),
    };
    for (const auto& id : d.analysis.harmfulActions)
        out.push_back(QString::fromStdString(id));
    for (const auto& id : d.analysis.injectionSources)
        out.push_back(QString::fromStdString(id));
    for (const auto& s : d.killChain)
        for (const auto& a : s.atlas)
            out.push_back(QString::fromStdString(a.id));
    for (const auto& dest : d.analysis.blast.destinations)
        if (dest.find('@') == std::string::npos) out.push_back(QString::fromStdString(dest));
    for (const auto& b : d.analysis.aiBom)
        for (const auto& m : b.models)
            out.push_back(QString::fromStdString(m));
    return out;
}

TEST_F(ReportFixture, DataIsTheCasesOwn)
{
    EXPECT_EQ(data->analysis.type, analysis::IncidentType::ReasoningCompromise);
    EXPECT_EQ(data->events, 4324);
    EXPECT_EQ(data->analysis.harmfulActions.size(), 7u);
    ASSERT_FALSE(data->killChain.empty());
    EXPECT_EQ(data->killChain.front().eventId, "evt-001623"); // the poisoned policy document comes first
    EXPECT_EQ(data->checklist.size(), 2u);
    EXPECT_EQ(data->raci.size(), 3u);
    EXPECT_EQ(data->notes.size(), 1u);
    EXPECT_TRUE(data->custodyIntact);
    EXPECT_FALSE(data->evidence.empty());
}

TEST_F(ReportFixture, HtmlHoldsEverySectionWithTheCasesFigures)
{
    auto r = report::renderReport(*data, {});
    ASSERT_TRUE(r.ok()) << r.error().toString().toStdString();
    const QString html = QString::fromUtf8(report::standaloneHtml(*r));
    for (const QString& t : expectedTexts(*data))
        EXPECT_TRUE(html.contains(t.toHtmlEscaped())) << t.toStdString();
    for (const auto& e : data->evidence)
        EXPECT_TRUE(html.contains(QString::fromStdString(e.file.sha256))) << e.file.path;
    for (const auto& c : data->custody)
        EXPECT_TRUE(html.contains(QString::fromStdString(c.hash))) << c.seq;
    for (const auto& f : data->analysis.findings) {
        if (f.severity < analysis::Severity::High) continue;
        EXPECT_TRUE(html.contains(QString::fromStdString(f.summary).toHtmlEscaped())) << f.summary;
    }
    // Both pictures are embedded, and they are real drawings.
    EXPECT_EQ(html.count(QStringLiteral("data:image/png;base64,")), 2);
    ASSERT_TRUE(r->images.count(QStringLiteral("graph")));
    EXPECT_GT(r->images.at(QStringLiteral("graph")).width(), 400);
    EXPECT_GT(r->images.at(QStringLiteral("timeline")).width(), 400);
    // The kill chain is drawn in red in the graph picture.
    const QImage g = r->images.at(QStringLiteral("graph")).convertToFormat(QImage::Format_RGB32);
    int red = 0;
    for (int y = 0; y < g.height(); y += 2)
        for (int x = 0; x < g.width(); x += 2)
            if (g.pixelColor(x, y) == QColor(0xc6, 0x28, 0x28)) ++red;
    EXPECT_GT(red, 50);
    // The full report shows the originals unmasked.
    EXPECT_TRUE(html.contains(QStringLiteral("marek.romano@inbox.example")));
}

TEST_F(ReportFixture, PdfTextHoldsEverySectionWithTheCasesFigures)
{
    auto r = report::renderReport(*data, {});
    ASSERT_TRUE(r.ok());
    auto pdf = report::renderPdf(*r);
    ASSERT_TRUE(pdf.ok());
    ASSERT_TRUE(pdf->startsWith("%PDF-"));
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("report.pdf"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(*pdf);
    f.close();
    QProcess p;
    p.start(QStringLiteral("pdftotext"), {QStringLiteral("-enc"), QStringLiteral("UTF-8"), path, QStringLiteral("-")});
    ASSERT_TRUE(p.waitForFinished(60000));
    const QString raw = QString::fromUtf8(p.readAllStandardOutput());
    if (raw.isEmpty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
    QString text = raw;
    // The PDF's font sets "fi"/"fl" as ligatures, which pdftotext gives back as one character.
    text.replace(QChar(0xFB01), QStringLiteral("fi")).replace(QChar(0xFB02), QStringLiteral("fl"));
    text.replace(QRegularExpression(QStringLiteral("\\s+")), QStringLiteral(" "));
    for (const QString& t : expectedTexts(*data))
        EXPECT_TRUE(text.contains(t)) << t.toStdString();
    // Hashes may wrap inside a narrow table cell: look for them with the line breaks taken out.
    QString joined = raw;
    joined.remove(QRegularExpression(QStringLiteral("\\s+")));
    for (const auto& e : data->evidence)
        EXPECT_TRUE(joined.contains(QString::fromStdString(e.file.sha256))) << e.file.path;
    EXPECT_TRUE(text.contains(QStringLiteral("Page 1 of")));
}

TEST(Redaction, MasksSecretsAndPersonalDataAndKeepsHashes)
{
    report::Redactor r = report::Redactor::defaults();
    ASSERT_GE(r.rules().size(), 8u);
    const QString hash = QStringLiteral("67055f53e78e71cb159a07ee56333e8b1dbcba97248d5a33741c75b0993d8c8d");
    const QString digits = QStringLiteral("4111111111111111111111111111111111111111111111111111111111111111");
    const QString in =
        QStringLiteral("mail bob.smith@example.com, key sk-proj-abcdefghijklmnop1234, \"password\": \"hunter22\", "
                       "card 4111 1111 1111 1111, call +44 20 7946 0958, Authorization: Bearer abcdefgh12345678, "
                       "IBAN DE89 3704 0044 0532 0130 00, doc %1, all-digit hash %2")
            .arg(hash, digits);
    const QString out = r.apply(in);
    for (const char* gone : {"bob.smith@example.com", "sk-proj-abcdefghijklmnop1234", "hunter22", "4111 1111 1111 1111",
                             "7946 0958", "abcdefgh12345678", "DE89 3704"})
        EXPECT_FALSE(out.contains(QString::fromUtf8(gone))) << gone << " in " << out.toStdString();
    for (const char* label : {"[EMAIL]", "[API KEY]", "[SECRET]", "[CARD]", "[PHONE]", "[IBAN]"})
        EXPECT_TRUE(out.contains(QString::fromUtf8(label))) << label << " not in " << out.toStdString();
    EXPECT_TRUE(out.contains(hash));
    EXPECT_TRUE(out.contains(digits)); // 64 hex digits are a hash even when they are all digits
    EXPECT_GE(r.total(), 7);
}

TEST(Redaction, PatternsAreConfigurableAndBadOnesNamed)
{
    auto r =
        report::Redactor::fromJson(R"({"patterns":[{"name":"account","regex":"acct-\\d+","replacement":"[ACCOUNT]"}]})",
                                   QStringLiteral("org.json"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->apply(QStringLiteral("paid acct-8814")), QStringLiteral("paid [ACCOUNT]"));
    auto bad =
        report::Redactor::fromJson(R"({"patterns":[{"name":"x","regex":"(unclosed"}]})", QStringLiteral("org.json"));
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().toString().startsWith(QStringLiteral("org.json: patterns[0].regex:")))
        << bad.error().toString().toStdString();
    auto notJson = report::Redactor::fromJson("{\n\"patterns\": [,]}", QStringLiteral("org.json"));
    ASSERT_FALSE(notJson.ok());
    EXPECT_EQ(notJson.error().line, 2);
}

TEST_F(ReportFixture, LegalCopyMasksAndKeepsEveryHash)
{
    report::Redactor redactor = report::Redactor::defaults();
    report::RenderOptions o;
    o.redactor = &redactor;
    auto r = report::renderReport(*data, o);
    ASSERT_TRUE(r.ok());
    const QString html = r->html;
    EXPECT_TRUE(r->legalCopy);
    EXPECT_GT(r->redactions, 0);
    EXPECT_TRUE(html.contains(QStringLiteral("LEGAL REVIEW COPY")));
    // Customer addresses in tool arguments and outputs, and the note's e-mail and API key, are gone.
    for (const auto& dest : data->analysis.blast.destinations) {
        if (dest.find('@') == std::string::npos) continue;
        EXPECT_FALSE(html.contains(QString::fromStdString(dest))) << dest;
    }
    EXPECT_FALSE(html.contains(QStringLiteral("marek.romano@inbox.example")));
    EXPECT_FALSE(html.contains(QStringLiteral("sk-live0123456789abcdefXYZ")));
    EXPECT_TRUE(html.contains(QStringLiteral("[EMAIL]")));
    EXPECT_TRUE(html.contains(QStringLiteral("[API KEY]")));
    // Every original is still named by its SHA-256, and exhibits are numbered.
    for (const auto& e : data->evidence)
        EXPECT_TRUE(html.contains(QString::fromStdString(e.file.sha256))) << e.file.path;
    for (const auto& s : data->killChain)
        if (s.role != report::KillChainStep::Role::Context) {
            EXPECT_TRUE(html.contains(QString::fromStdString(s.sha256))) << s.eventId;
            if (!s.blobSha256.empty()) {
                EXPECT_TRUE(html.contains(QString::fromStdString(s.blobSha256))) << s.eventId;
            }
        }
    EXPECT_TRUE(html.contains(QStringLiteral("Exhibit K-1")));
    EXPECT_TRUE(html.contains(QStringLiteral("EX-001")));
}

TEST_F(ReportFixture, TemplateChoosesSectionsAndNamesItsErrors)
{
    report::RenderOptions o;
    o.templateHtml = "<html><body><h1>ACME SOC</h1>{{title}}\n{{section:summary}}\n{{section:evidence}}</body></html>";
    auto r = report::renderReport(*data, o);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->html.contains(QStringLiteral("ACME SOC")));
    EXPECT_TRUE(r->html.contains(QStringLiteral("Evidence inventory")));
    EXPECT_FALSE(r->html.contains(QStringLiteral("Custody log")));
    EXPECT_TRUE(r->images.empty()); // no charts section: nothing drawn

    o.templateHtml = "<html>\n<body>\n{{section:summary}}\n{{section:sumary}}\n</body></html>";
    o.templateFile = QStringLiteral("acme.html");
    auto bad = report::renderReport(*data, o);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().toString(), QStringLiteral("acme.html:4: unknown section \"sumary\""));
    o.templateHtml = "<p>{{titel}}</p>";
    EXPECT_FALSE(report::renderReport(*data, o).ok());
    o.templateHtml = "<p>{{title}} {{ broken</p>";
    EXPECT_FALSE(report::renderReport(*data, o).ok());
}

// A kill chain of thousands of steps: the table shows the first 200 and the exhibits the first 100, each saying
// how many are left out, of which role, over what time; the demo's short chain shows all and says nothing.
TEST_F(ReportFixture, LongKillChainShowsItsFirstStepsAndSaysWhatIsLeftOut)
{
    const QString full = report::renderSection("kill_chain", *data, nullptr, {});
    EXPECT_FALSE(full.contains(QStringLiteral("not shown here")));
    ASSERT_FALSE(data->killChain.empty());

    report::ReportData big = *data;
    const report::KillChainStep* action = nullptr;
    for (const auto& s : data->killChain)
        if (s.role == report::KillChainStep::Role::Action) action = &s;
    ASSERT_NE(action, nullptr);
    const size_t before = big.killChain.size();
    const size_t nonContextBefore = std::count_if(big.killChain.begin(), big.killChain.end(), [](const auto& s) {
        return s.role != report::KillChainStep::Role::Context;
    });
    const size_t added = 3000;
    for (size_t i = 0; i < added; ++i) {
        report::KillChainStep s = *action;
        s.eventId = "loop-" + std::to_string(i);
        s.tsNs = action->tsNs + static_cast<int64_t>(i + 1) * 1'000'000'000LL;
        big.killChain.push_back(std::move(s));
    }

    const QString table = report::renderSection("kill_chain", big, nullptr, {});
    EXPECT_EQ(table.count(QStringLiteral("<tr")) - 1, 201) << "a header, 200 steps and the line that says the rest";
    const QString tableRest = QStringLiteral("%1 more step(s) not shown here").arg(before + added - 200);
    EXPECT_TRUE(table.contains(tableRest)) << table.right(600).toStdString();
    EXPECT_TRUE(table.contains(QStringLiteral("chainsight analyze CASE.db --json")));
    EXPECT_FALSE(table.contains(QStringLiteral("loop-2999"))) << "the last step is left out";

    const QString exhibits = report::renderSection("exhibits", big, nullptr, {});
    EXPECT_TRUE(exhibits.contains(QStringLiteral("Exhibit K-100 ")));
    EXPECT_FALSE(exhibits.contains(QStringLiteral("Exhibit K-101 ")));
    EXPECT_TRUE(exhibits.contains(
        QStringLiteral("%1 more kill-chain event(s) not shown here").arg(nonContextBefore + added - 100)))
        << exhibits.right(600).toStdString();
    // The rest's time span ends at the last step's time.
    const QString last = QString::fromStdString(report::formatTs(big.killChain.back().tsNs))
                             .replace(QLatin1Char('T'), QLatin1Char(' '))
                             .remove(QLatin1Char('Z'));
    EXPECT_TRUE(exhibits.contains(QStringLiteral("to %1 UTC").arg(last))) << exhibits.right(600).toStdString();
}

TEST_F(ReportFixture, AtlasLayerHasTheNavigatorRequiredFields)
{
    const QJsonObject layer = QJsonDocument::fromJson(report::atlasLayerJson(*data)).object();
    // Layer format 4.x required: name, versions (layer), domain, techniques with techniqueID.
    EXPECT_FALSE(layer.value(QStringLiteral("name")).toString().isEmpty());
    EXPECT_EQ(layer.value(QStringLiteral("domain")).toString(), QStringLiteral("atlas-atlas"));
    EXPECT_TRUE(layer.value(QStringLiteral("versions"))
                    .toObject()
                    .value(QStringLiteral("layer"))
                    .toString()
                    .startsWith(QStringLiteral("4.")));
    const QJsonArray techniques = layer.value(QStringLiteral("techniques")).toArray();
    ASSERT_FALSE(techniques.isEmpty());
    std::set<QString> ids;
    static const QRegularExpression idRe(QStringLiteral("^AML\\.T\\d{4}(\\.\\d{3})?$"));
    for (const auto& t : techniques) {
        const QString id = t.toObject().value(QStringLiteral("techniqueID")).toString();
        EXPECT_TRUE(idRe.match(id).hasMatch()) << id.toStdString();
        EXPECT_TRUE(t.toObject().value(QStringLiteral("score")).isDouble());
        ids.insert(id);
    }
    for (const auto& s : data->killChain)
        for (const auto& a : s.atlas)
            EXPECT_TRUE(ids.count(QString::fromStdString(a.id))) << a.id;
}

TEST_F(ReportFixture, StixBundleHasTheRequiredFieldsAndTheIndicators)
{
    const QJsonObject bundle = QJsonDocument::fromJson(report::stixBundleJson(*data)).object();
    EXPECT_EQ(bundle.value(QStringLiteral("type")).toString(), QStringLiteral("bundle"));
    static const QRegularExpression idRe(
        QStringLiteral("^[a-z][a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    static const QRegularExpression tsRe(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$"));
    EXPECT_TRUE(idRe.match(bundle.value(QStringLiteral("id")).toString()).hasMatch());
    QString patterns;
    int indicators = 0;
    for (const auto& v : bundle.value(QStringLiteral("objects")).toArray()) {
        const QJsonObject o = v.toObject();
        EXPECT_TRUE(idRe.match(o.value(QStringLiteral("id")).toString()).hasMatch());
        EXPECT_TRUE(o.value(QStringLiteral("id"))
                        .toString()
                        .startsWith(o.value(QStringLiteral("type")).toString() + QStringLiteral("--")));
        EXPECT_EQ(o.value(QStringLiteral("spec_version")).toString(), QStringLiteral("2.1"));
        EXPECT_TRUE(tsRe.match(o.value(QStringLiteral("created")).toString()).hasMatch());
        EXPECT_TRUE(tsRe.match(o.value(QStringLiteral("modified")).toString()).hasMatch());
        if (o.value(QStringLiteral("type")).toString() != QLatin1String("indicator")) continue;
        ++indicators;
        EXPECT_EQ(o.value(QStringLiteral("pattern_type")).toString(), QStringLiteral("stix"));
        EXPECT_TRUE(tsRe.match(o.value(QStringLiteral("valid_from")).toString()).hasMatch());
        const QString pattern = o.value(QStringLiteral("pattern")).toString();
        EXPECT_TRUE(pattern.startsWith(QLatin1Char('[')) && pattern.endsWith(QLatin1Char(']')))
            << pattern.toStdString();
        patterns += pattern + QLatin1Char('\n');
    }
    EXPECT_EQ(static_cast<size_t>(indicators), report::indicators(*data).size());
    // The attacker accounts that received refunds, the attacker's settlement domain, the poisoned document's hash.
    for (const auto& t : data->analysis.taint) {
        if (!t.harmful) continue;
        EXPECT_TRUE(patterns.contains(QStringLiteral("'%1'").arg(QString::fromStdString(t.value)))) << t.value;
    }
    EXPECT_TRUE(patterns.contains(QStringLiteral("[domain-name:value = 'settle-ops.example.net']")));
    EXPECT_FALSE(patterns.contains(QStringLiteral("api.payments.internal"))); // allowed egress is no indicator
    EXPECT_TRUE(patterns.contains(QStringLiteral("[file:hashes.'SHA-256' = '%1']")
                                      .arg(QString::fromStdString(data->killChain.front().blobSha256))));
}

TEST_F(ReportFixture, TimelineExportsForTimesketch)
{
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::ReadOnly;
    auto cs = store::CaseStore::open(casePath(), o);
    ASSERT_TRUE(cs.ok());
    QTemporaryDir tmp;
    const QString jsonl = tmp.filePath(QStringLiteral("t.jsonl")), csv = tmp.filePath(QStringLiteral("t.csv"));
    ASSERT_TRUE(report::writeTimeline(**cs, jsonl).ok());
    ASSERT_TRUE(report::writeTimeline(**cs, csv).ok());
    EXPECT_FALSE(report::writeTimeline(**cs, tmp.filePath(QStringLiteral("t.txt"))).ok());
    QFile f(jsonl);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    int64_t n = 0, last = 0;
    while (!f.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
        ASSERT_FALSE(o.value(QStringLiteral("message")).toString().isEmpty());
        ASSERT_TRUE(o.value(QStringLiteral("datetime")).toString().endsWith(QStringLiteral("+00:00")));
        ASSERT_EQ(o.value(QStringLiteral("timestamp_desc")).toString(), QStringLiteral("Event Recorded"));
        const int64_t ts = o.value(QStringLiteral("timestamp")).toInteger();
        ASSERT_GE(ts, last); // in time order
        last = ts;
        ++n;
    }
    EXPECT_EQ(n, data->events);
    QFile c(csv);
    ASSERT_TRUE(c.open(QIODevice::ReadOnly));
    EXPECT_TRUE(c.readLine().startsWith("message,datetime,timestamp,timestamp_desc,"));
}

} // namespace
