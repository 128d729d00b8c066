// The native importer: formats, atomicity, one-line errors with file and line, duplicates, hostile input.
#include "tests/unit/Fixtures.h"

#include "core/crypto/Crypto.h"

#include <QFile>

#include <atomic>
#include <set>

using namespace chainsight;
using namespace chainsight::testing;

class ImportTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(tmp.isValid());
        bundle = tmp.filePath("bundle");
        ASSERT_TRUE(smallIncident().write(bundle));
        cs = openCase(tmp.filePath("case.db"));
        ASSERT_TRUE(cs);
    }
    // Imports a mutated copy of the bundle and checks that it fails with the given file (and line) and leaves
    // the case exactly as it was.
    void expectRefused(const QString& path, const std::string& file, int64_t line, const std::string& needle)
    {
        const auto before = counts(*cs);
        auto r = importInto(*cs, path);
        ASSERT_FALSE(r.ok()) << "imported a bad bundle";
        const std::string text = errorText(r.error());
        EXPECT_EQ(r.error().file.toStdString(), file) << text;
        if (line > 0) {
            EXPECT_EQ(r.error().line, line) << text;
        }
        EXPECT_NE(text.find(needle), std::string::npos) << "'" << needle << "' not in: " << text;
        EXPECT_EQ(text.find('\n'), std::string::npos) << "error must be one line: " << text;
        EXPECT_EQ(counts(*cs), before) << "the case changed: " << text;
    }
    // Imports the bundle (4 decisions) and checks that exactly the decisions with the given seqs are stored
    // invalid, each for its signature alone, and the others valid.
    void expectSignatureFailures(const QString& path, const std::set<int64_t>& badSeqs)
    {
        auto r = importInto(*cs, path);
        ASSERT_TRUE(r.ok()) << errorText(r.error());
        EXPECT_EQ(r->decisions, 4);
        EXPECT_EQ(r->decisionsValid, 4 - static_cast<int64_t>(badSeqs.size()));
        auto rows = cs->decisions();
        ASSERT_TRUE(rows.ok());
        ASSERT_EQ(rows->size(), 4u);
        for (const auto& row : *rows) {
            const bool bad = badSeqs.count(row.decision.seq) != 0;
            EXPECT_EQ(row.decision.valid, !bad) << "seq " << row.decision.seq << ": " << row.decision.failure;
            EXPECT_EQ(row.decision.failure, bad ? "signature" : "") << "seq " << row.decision.seq;
        }
    }
    QString copyBundle(const QString& name)
    {
        const QString dst = tmp.filePath(name);
        for (const auto& item : itemsOf(bundle)) writeFile(QDir(dst).filePath(QString::fromStdString(item.path)), item.data);
        return dst;
    }
    QTemporaryDir tmp;
    QString bundle;
    std::unique_ptr<store::CaseStore> cs;
};

TEST_F(ImportTest, ImportsDirectoryWithEverything)
{
    auto r = importInto(*cs, bundle);
    ASSERT_TRUE(r.ok()) << errorText(r.error());
    EXPECT_EQ(r->importer, "native");
    EXPECT_EQ(r->events, 8);
    EXPECT_EQ(r->decisions, 4);
    EXPECT_EQ(r->decisionsValid, 4);
    auto c = counts(*cs);
    EXPECT_EQ(c["events"], 8);
    EXPECT_EQ(c["decisions"], 4);
    EXPECT_EQ(c["blobs"], 1);
    EXPECT_EQ(c["agents"], 1);
    EXPECT_EQ(c["bundle_keys"], 1);
    EXPECT_EQ(c["custody"], 1);
    // Unknown fields are kept: the event row is the line as collected.
    bool found = false;
    ASSERT_TRUE(cs->forEachEvent([&](const Event& e) {
        if (e.id == "e6") {
            found = e.json.find("\"x_collector_note\":\"kept\"") != std::string::npos;
            EXPECT_EQ(e.tool, "payments.refund");
            EXPECT_EQ(e.callId, "c2");
        }
        return true;
    }).ok());
    EXPECT_TRUE(found);
    // The custody entry names the files with their hashes and who imported.
    auto log = cs->custody();
    ASSERT_TRUE(log.ok());
    ASSERT_EQ(log->size(), 1u);
    EXPECT_EQ((*log)[0].action, "import");
    EXPECT_EQ((*log)[0].actor, "tester");
    EXPECT_EQ((*log)[0].host, "test-host");
    EXPECT_NE((*log)[0].detail.find(crypto::sha256Hex(readFile(QDir(bundle).filePath("events.jsonl")))), std::string::npos);
}

// A bundle named by a relative path, as on a command line: the same files, not "no manifest.json".
TEST_F(ImportTest, ImportsDirectoryGivenByARelativePath)
{
    const QString previous = QDir::currentPath();
    ASSERT_TRUE(QDir::setCurrent(tmp.path()));
    auto r = importInto(*cs, QStringLiteral("bundle"));
    auto again = importInto(*cs, QStringLiteral("./bundle/"));
    QDir::setCurrent(previous);
    ASSERT_TRUE(r.ok()) << errorText(r.error());
    EXPECT_EQ(r->importer, "native");
    EXPECT_EQ(r->events, 8);
    ASSERT_TRUE(again.ok()) << errorText(again.error());
    EXPECT_TRUE(again->alreadyImported);
}

TEST_F(ImportTest, ImportsZipAndTarGzWithOrWithoutTopFolder)
{
    const QString zip = tmp.filePath("b.zip"), tgz = tmp.filePath("b.tar.gz");
    ASSERT_TRUE(io::writeArchive(zip, io::ArchiveFormat::Zip, itemsOf(bundle)).ok());
    ASSERT_TRUE(io::writeArchive(tgz, io::ArchiveFormat::TarGz, itemsOf(bundle, "incident-01/")).ok());
    auto z = importInto(*cs, zip);
    ASSERT_TRUE(z.ok()) << errorText(z.error());
    EXPECT_EQ(z->events, 8);
    auto other = openCase(tmp.filePath("other.db"));
    auto t = importInto(*other, tgz);
    ASSERT_TRUE(t.ok()) << errorText(t.error());
    EXPECT_EQ(t->events, 8);
    EXPECT_EQ(t->decisionsValid, 4);
}

// Decisions are stored while their signatures are still being checked on worker threads; a check that fails
// afterwards must still mark its row invalid, before the import commits.
TEST_F(ImportTest, DecisionWhoseSignatureFailsIsStoredInvalid)
{
    // One line (seq 2) carries another key's signature over the right hash: only the signature check fails.
    auto other = crypto::PrivateKey::generate();
    ASSERT_TRUE(other.ok());
    const QString dir = copyBundle(QStringLiteral("one-bad-sig"));
    {
        QFile f(QDir(dir).filePath("decisions.jsonl"));
        ASSERT_TRUE(f.open(QIODevice::ReadOnly));
        std::vector<std::string> lines;
        for (const QByteArray& l : f.readAll().split('\n'))
            if (!l.isEmpty()) lines.push_back(l.toStdString());
        f.close();
        ASSERT_EQ(lines.size(), 4u);
        json::Parser parser;
        auto v = parser.parse(lines[2]);
        ASSERT_TRUE(v.ok());
        const QByteArray hash = QByteArray::fromHex(QByteArray::fromStdString(std::string(v->str("hash"))));
        const QByteArray sig = other->sign(reinterpret_cast<const uint8_t*>(hash.constData()), static_cast<size_t>(hash.size()));
        ASSERT_EQ(sig.size(), 64);
        v->set("sig", json::Value::string(sig.toBase64().toStdString()));
        lines[2] = v->dump();
        std::string text;
        for (const auto& l : lines) text += l + "\n";
        ASSERT_TRUE(writeFile(QDir(dir).filePath("decisions.jsonl"), text));
        ASSERT_TRUE(refreshManifest(dir));
    }
    expectSignatureFailures(dir, {2});
}

TEST_F(ImportTest, EveryDecisionFailsAgainstAPinnedKeyThatDidNotSign)
{
    // The analyst pinned another key under the log's key id: the pinned key wins and no signature verifies.
    auto other = crypto::PrivateKey::generate();
    ASSERT_TRUE(other.ok());
    KeyRecord k;
    k.keyId = "gw-test";
    k.pem = other->publicPem().toStdString();
    k.pinnedBy = "analyst";
    ASSERT_TRUE(cs->pinKey(k).ok());
    expectSignatureFailures(bundle, {0, 1, 2, 3});
}

TEST_F(ImportTest, SecondImportOfTheSameBundleIsRecognised)
{
    ASSERT_TRUE(importInto(*cs, bundle).ok());
    const auto before = counts(*cs);
    const QString zip = tmp.filePath("same.zip");
    ASSERT_TRUE(io::writeArchive(zip, io::ArchiveFormat::Zip, itemsOf(bundle)).ok());
    auto again = importInto(*cs, zip);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->alreadyImported);
    EXPECT_EQ(counts(*cs), before);
}

TEST_F(ImportTest, ADifferentBundleWithTheSameIdIsRefused)
{
    ASSERT_TRUE(importInto(*cs, bundle).ok());
    const QString other = copyBundle("other");
    writeFile(QDir(other).filePath("events.jsonl"), eventLine("x1", "2026-05-06T01:40:00Z", "auth", "a", "s", R"("outcome":"success")") + "\n");
    ASSERT_TRUE(refreshManifest(other));
    expectRefused(other, "manifest.json", -1, "already in the case");
}

struct ManifestCase
{
    const char* name;
    std::function<void(const QString& dir)> mutate;
    std::string file;
    std::string needle;
};

TEST_F(ImportTest, ManifestErrorsAreOneLineAndLeaveTheCaseUntouched)
{
    ASSERT_TRUE(importInto(*cs, bundle).ok()); // a case with content: nothing of it may change
    const QString manifestName = "manifest.json";
    auto editManifest = [](const QString& dir, const std::string& from, const std::string& to) {
        std::string m = readFile(QDir(dir).filePath("manifest.json"));
        auto pos = m.find(from);
        ASSERT_NE(pos, std::string::npos) << from;
        m.replace(pos, from.size(), to);
        writeFile(QDir(dir).filePath("manifest.json"), m);
    };
    std::vector<ManifestCase> cases = {
        {"no-manifest", [](const QString& d) { QFile::remove(QDir(d).filePath("manifest.json")); }, "", "no manifest.json"},
        {"not-json", [](const QString& d) { writeFile(QDir(d).filePath("manifest.json"), "{\"format\": "); }, "manifest.json", "JSON"},
        {"wrong-format", [&](const QString& d) { editManifest(d, "agent-evidence-bundle", "something-else"); }, "manifest.json", "format"},
        {"version-2", [&](const QString& d) { editManifest(d, "\"version\":1", "\"version\":2"); }, "manifest.json", "unsupported bundle version 2"},
        {"dup-key", [&](const QString& d) { editManifest(d, "\"version\":1", "\"version\":1,\"version\":1"); }, "manifest.json", "duplicate key"},
        {"missing-file", [](const QString& d) { QFile::remove(QDir(d).filePath("agents.json")); }, "agents.json", "missing from the bundle"},
        {"unlisted-file", [](const QString& d) { writeFile(QDir(d).filePath("notes.txt"), "hello"); }, "notes.txt", "not listed in the manifest"},
        {"size", [](const QString& d) {
             std::string e = readFile(QDir(d).filePath("events.jsonl"));
             writeFile(QDir(d).filePath("events.jsonl"), e + "\n");
         }, "events.jsonl", "the manifest says"},
        {"hash", [](const QString& d) {
             std::string e = readFile(QDir(d).filePath("events.jsonl"));
             e[e.find("order 77")] = 'O';
             writeFile(QDir(d).filePath("events.jsonl"), e);
         }, "events.jsonl", "SHA-256 mismatch"},
        {"traversal-path", [&](const QString& d) { editManifest(d, "\"path\":\"agents.json\"", "\"path\":\"../agents.json\""); }, "manifest.json", "never contain '..'"},
        {"absolute-path", [&](const QString& d) { editManifest(d, "\"path\":\"agents.json\"", "\"path\":\"/etc/agents.json\""); }, "manifest.json", "must be relative"},
        {"bad-sha", [&](const QString& d) { editManifest(d, "\"sha256\":\"", "\"sha256\":\"XYZ"); }, "manifest.json", "64 lowercase hex"},
    };
    int i = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const QString dir = copyBundle(QStringLiteral("m%1").arg(i++));
        c.mutate(dir);
        // Bundle ids collide with the imported one only when the manifest survives: vary it.
        std::string m = readFile(QDir(dir).filePath("manifest.json"));
        if (auto pos = m.find("b-test-01"); pos != std::string::npos) {
            m.replace(pos, 9, "b-test-" + std::to_string(100 + i));
            writeFile(QDir(dir).filePath("manifest.json"), m);
        }
        expectRefused(dir, c.file.empty() ? dir.toStdString() : c.file, -1, c.needle);
    }
}

struct LineCase
{
    const char* name;
    std::string line; // replaces line 3 of events.jsonl
    std::string needle;
};

TEST_F(ImportTest, EventErrorsNameFileAndLine)
{
    std::vector<LineCase> cases = {
        {"not-json", "{\"id\": \"e3\",", "JSON"},
        {"missing-id", R"({"ts":"2026-05-06T01:40:00Z","type":"prompt","agent":"a","session":"s"})", "\"id\" is required"},
        {"bad-ts", eventLine("e3", "yesterday", "prompt", "a", "s"), "RFC 3339"},
        {"bad-date", eventLine("e3", "2026-02-30T01:00:00Z", "prompt", "a", "s"), "RFC 3339"},
        {"unknown-type", eventLine("e3", "2026-05-06T01:40:00Z", "telepathy", "a", "s"), "unknown event type"},
        {"duplicate-key", R"({"id":"e3","id":"e3b","ts":"2026-05-06T01:40:00Z","type":"prompt","agent":"a","session":"s"})", "duplicate key"},
        {"invalid-utf8", eventLine("e3", "2026-05-06T01:40:00Z", "prompt", "a", "s", "\"content\":\"\xC3\x28\""), "UTF-8"},
        {"lone-surrogate", eventLine("e3", "2026-05-06T01:40:00Z", "prompt", "a", "s", R"("content":"\ud83d")"), "surrogate"},
        {"big-int", eventLine("e3", "2026-05-06T01:40:00Z", "llm_output", "a", "s", R"("tokens_in":9007199254740993)"), "2^53"},
        {"negative-tokens", eventLine("e3", "2026-05-06T01:40:00Z", "llm_output", "a", "s", R"("tokens_in":-5)"), "non-negative integer"},
        {"args-not-object", eventLine("e3", "2026-05-06T01:40:00Z", "tool_call", "a", "s", R"("tool":"x","arguments":"rm -rf")"), "must be an object"},
        {"duplicate-event-id", eventLine("e1", "2026-05-06T01:40:00Z", "prompt", "a", "s"), "duplicate event id"},
        {"array-line", "[1,2,3]", "JSON object"},
        {"bad-blob-ref", eventLine("e3", "2026-05-06T01:40:00Z", "retrieval", "a", "s", R"("blob":"../../etc/passwd")"), "SHA-256"},
    };
    ASSERT_TRUE(importInto(*cs, bundle).ok());
    int i = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const QString dir = copyBundle(QStringLiteral("l%1").arg(i++));
        std::string events = readFile(QDir(dir).filePath("events.jsonl"));
        std::vector<std::string> lines;
        size_t start = 0;
        while (start < events.size()) {
            size_t nl = events.find('\n', start);
            lines.push_back(events.substr(start, nl - start));
            start = nl + 1;
        }
        lines[2] = c.line;
        std::string out;
        for (const auto& l : lines) out += l + "\n";
        writeFile(QDir(dir).filePath("events.jsonl"), out);
        ASSERT_TRUE(refreshManifest(dir, "b-line-" + std::to_string(i)));
        expectRefused(dir, "events.jsonl", 3, c.needle);
    }
}

TEST_F(ImportTest, EveryChangedByteIsDetectedAndLocated)
{
    // Exhaustive single-byte flips over every file but the manifest (whose flips are covered below).
    const std::vector<std::string> files = {"events.jsonl", "decisions.jsonl", "agents.json", "keys/gw-test.pem"};
    int tried = 0;
    for (const auto& file : files) {
        const std::string original = readFile(QDir(bundle).filePath(QString::fromStdString(file)));
        for (size_t pos = 0; pos < original.size(); pos += (original.size() > 3000 ? 7 : 1)) {
            std::string mutated = original;
            mutated[pos] = static_cast<char>(mutated[pos] ^ 0x01);
            writeFile(QDir(bundle).filePath(QString::fromStdString(file)), mutated);
            auto src = io::BundleSource::open(bundle);
            ASSERT_TRUE(src.ok());
            auto r = importers::allImporters().front()->import(*cs, **src, {});
            ASSERT_FALSE(r.ok()) << file << " byte " << pos << " flipped but imported";
            EXPECT_EQ(r.error().file.toStdString(), file) << file << " byte " << pos << ": " << errorText(r.error());
            ++tried;
        }
        writeFile(QDir(bundle).filePath(QString::fromStdString(file)), original);
    }
    EXPECT_GT(tried, 1000);
    EXPECT_EQ(counts(*cs)["events"], 0);
    // A blob changed: its name no longer matches.
    auto r = importInto(*cs, bundle);
    ASSERT_TRUE(r.ok()) << errorText(r.error()); // intact again after restoring
}

TEST_F(ImportTest, ManifestFileListFlipsAreAllRefused)
{
    // Every byte of the manifest's file list (paths, hashes, sizes, structure) is checked against the bundle.
    // Free text before it (title, collector) is not evidence; its hash is recorded with the import instead.
    const std::string original = readFile(QDir(bundle).filePath("manifest.json"));
    const size_t from = original.find("\"files\"");
    ASSERT_NE(from, std::string::npos);
    int tried = 0;
    for (size_t pos = from; pos < original.size(); ++pos) {
        std::string mutated = original;
        mutated[pos] = static_cast<char>(mutated[pos] ^ 0x01);
        writeFile(QDir(bundle).filePath("manifest.json"), mutated);
        auto r = importInto(*cs, bundle);
        ASSERT_FALSE(r.ok()) << "manifest byte " << pos << " flipped but imported";
        ++tried;
    }
    EXPECT_GT(tried, 300);
    EXPECT_EQ(counts(*cs)["events"], 0);
}

TEST_F(ImportTest, CancelLeavesTheCaseAsItWas)
{
    ASSERT_TRUE(importInto(*cs, bundle).ok());
    const QString big = tmp.filePath("big");
    ASSERT_TRUE(writeSyntheticBundle(big, 20000));
    const auto before = counts(*cs);
    std::atomic<bool> cancel{false};
    importers::ImportOptions o;
    o.cancel = &cancel;
    o.progress = [&](int64_t done, int64_t total) {
        if (done > total / 3) cancel = true;
    };
    auto r = importers::importPath(*cs, big, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
    EXPECT_EQ(counts(*cs), before);
    // And the case still takes the bundle afterwards.
    auto again = importInto(*cs, big);
    ASSERT_TRUE(again.ok()) << errorText(again.error());
    EXPECT_EQ(again->events, 20000);
}

TEST_F(ImportTest, HostileArchivesAreRefused)
{
    auto items = itemsOf(bundle);
    struct Case
    {
        const char* name;
        io::ArchiveItem extra;
        io::ArchiveFormat format;
        std::string needle;
    };
    std::vector<Case> cases = {
        {"dotdot-zip", {"../evil.txt", "x"}, io::ArchiveFormat::Zip, "path traversal"},
        {"dotdot-tar", {"a/../../evil.txt", "x"}, io::ArchiveFormat::TarGz, "path traversal"},
        {"absolute", {"/etc/cron.d/evil", "x"}, io::ArchiveFormat::TarGz, "absolute path"},
        {"drive", {"C:/evil.txt", "x"}, io::ArchiveFormat::Zip, "drive-letter"},
        {"backslash", {"..\\evil.txt", "x"}, io::ArchiveFormat::TarGz, "backslash"},
        {"backslash-zip", {"..\\evil.txt", "x"}, io::ArchiveFormat::Zip, "path traversal"}, // libarchive reads \\ as / in zips
        {"symlink", {"link", "", io::ArchiveItem::Type::Symlink, "/etc/passwd"}, io::ArchiveFormat::TarGz, "is a link"},
        {"hardlink", {"hard", "", io::ArchiveItem::Type::Hardlink, "events.jsonl"}, io::ArchiveFormat::TarGz, "is a link"},
    };
    int i = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto all = items;
        all.push_back(c.extra);
        const QString path = tmp.filePath(QStringLiteral("hostile-%1").arg(i++));
        ASSERT_TRUE(io::writeArchive(path, c.format, all).ok());
        auto before = counts(*cs);
        auto r = importInto(*cs, path);
        ASSERT_FALSE(r.ok());
        EXPECT_NE(errorText(r.error()).find(c.needle), std::string::npos) << errorText(r.error());
        // Nothing imported; the refusal itself is on record in the custody log.
        before["custody"] += 1;
        EXPECT_EQ(counts(*cs), before);
        auto log = cs->custody();
        ASSERT_TRUE(log.ok());
        EXPECT_EQ(log->back().action, "import_refused");
        EXPECT_NE(log->back().detail.find(c.needle), std::string::npos) << log->back().detail;
    }
    // Nothing was written outside the case.
    EXPECT_FALSE(QFile::exists(tmp.filePath("../evil.txt")));
}

TEST_F(ImportTest, DecompressionBombsAreRefused)
{
    auto items = itemsOf(bundle);
    items.push_back({"logs/huge.log", std::string(64 << 20, '\0')}); // 64 MiB of zeros: ~1000x in deflate
    const QString zip = tmp.filePath("bomb.zip");
    ASSERT_TRUE(io::writeArchive(zip, io::ArchiveFormat::Zip, items).ok());
    auto r = importInto(*cs, zip);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Limit) << errorText(r.error());
    EXPECT_NE(errorText(r.error()).find("bomb"), std::string::npos) << errorText(r.error());
    EXPECT_EQ(counts(*cs)["events"], 0);
    auto log = cs->custody();
    ASSERT_TRUE(log.ok());
    ASSERT_EQ(log->size(), 1u);
    EXPECT_EQ(log->back().action, "import_refused");

    io::SourceLimits tight;
    tight.maxEntries = 3;
    auto many = io::BundleSource::open(bundle, tight);
    ASSERT_FALSE(many.ok());
    EXPECT_EQ(many.error().code, ErrorCode::Limit);
}

TEST_F(ImportTest, SymlinkOutOfTheBundleIsRefused)
{
    const QString dir = copyBundle("linked");
    ASSERT_TRUE(QFile::link("/etc/hostname", QDir(dir).filePath("logs.txt")));
    auto r = importInto(*cs, dir);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unsafe);
    EXPECT_NE(errorText(r.error()).find("outside the bundle"), std::string::npos);
}
