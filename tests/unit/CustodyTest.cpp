// Decision-log verification (sequence, chain, hash, signature, pinned vs bundle keys), the custody chain,
// and the case re-checking its own evidence.
#include "tests/unit/Fixtures.h"

#include "core/custody/Custody.h"
#include "core/custody/DecisionLog.h"
#include "core/store/Database.h"
#include "importers/native/NativeBundle.h"

using namespace chainsight;
using namespace chainsight::testing;

namespace {
struct Failure
{
    int64_t seq;
    std::string checks;
    int64_t line;
};

class Collect : public importers::NativeVisitor
{
public:
    std::vector<Failure> failures;
    std::vector<Error> problems;
    bool problem(const Error& e) override
    {
        problems.push_back(e);
        return true;
    }
    void decision(Decision&& d, const std::string&) override
    {
        if (!d.valid) failures.push_back({d.seq, d.failure, d.line});
    }
};

std::vector<std::string> splitLines(const std::string& s)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start < s.size()) {
        size_t nl = s.find('\n', start);
        if (nl == std::string::npos) nl = s.size();
        out.push_back(s.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

std::string joinLines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}
} // namespace

class DecisionLogTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        writer = smallIncident();
        for (int i = 0; i < 6; ++i) { // 10 decisions in all
            json::Value d = json::Value::object();
            d.set("ts", json::Value::string("2026-05-06T01:41:0" + std::to_string(i) + "Z"));
            d.set("agent", json::Value::string("refund-agent"));
            d.set("session", json::Value::string("sess-1"));
            d.set("decision", json::Value::string("LOG"));
            d.set("policy", json::Value::string("p"));
            d.set("reason", json::Value::string("r"));
            writer.addDecision(d);
        }
        dir = tmp.filePath("b");
        ASSERT_TRUE(writer.write(dir));
        pinned[writer.keyId] = writer.publicPem();
        lines = splitLines(readFile(QDir(dir).filePath("decisions.jsonl")));
        ASSERT_EQ(lines.size(), 10u);
    }
    Collect verify(const std::vector<std::string>& decisionLines, bool pin = true)
    {
        writeFile(QDir(dir).filePath("decisions.jsonl"), joinLines(decisionLines));
        EXPECT_TRUE(refreshManifest(dir));
        auto src = io::BundleSource::open(dir);
        EXPECT_TRUE(src.ok());
        Collect c;
        auto r = importers::walkNativeBundle(**src, pin ? pinned : std::map<std::string, std::string>{}, c);
        EXPECT_TRUE(r.ok());
        if (r.ok()) summary = *r;
        return c;
    }
    static json::Value parse(const std::string& line)
    {
        json::Parser p;
        return *p.parse(line);
    }
    QTemporaryDir tmp;
    BundleWriter writer;
    QString dir;
    std::map<std::string, std::string> pinned;
    std::vector<std::string> lines;
    importers::WalkSummary summary;
};

TEST_F(DecisionLogTest, IntactLogVerifiesWithPinnedKey)
{
    auto c = verify(lines);
    EXPECT_TRUE(c.failures.empty());
    EXPECT_EQ(summary.decisionsValid, 10);
    EXPECT_EQ(summary.keys.at("gw-test"), custody::KeyTrust::Pinned);
    auto unpinned = verify(lines, false);
    EXPECT_TRUE(unpinned.failures.empty());
    EXPECT_EQ(summary.keys.at("gw-test"), custody::KeyTrust::Unpinned);
}

TEST_F(DecisionLogTest, ForgedPayloadIsCaughtByHashAtItsSeq)
{
    auto v = parse(lines[4]);
    QByteArray payload = QByteArray::fromBase64(QByteArray::fromStdString(std::string(v.str("payload"))));
    ASSERT_TRUE(payload.contains("\"LOG\""));
    payload.replace("\"LOG\"", "\"BLOCK\"");
    v.set("payload", json::Value::string(payload.toBase64().toStdString()));
    auto forged = lines;
    forged[4] = v.dump();
    auto c = verify(forged);
    for (const auto& p : c.problems) ADD_FAILURE() << errorText(p);
    ASSERT_EQ(c.failures.size(), 1u);
    EXPECT_EQ(c.failures[0].seq, 4);
    EXPECT_EQ(c.failures[0].checks, "hash");
}

TEST_F(DecisionLogTest, ForgedPayloadWithRecomputedHashIsCaughtBySignatureAndChain)
{
    auto v = parse(lines[4]);
    const std::string payload = "{\"decision\":\"ALLOW\",\"agent\":\"refund-agent\",\"ts\":\"2026-05-06T01:41:00Z\"}";
    crypto::Sha256 h;
    h.update(std::string(v.str("prev")));
    h.update(payload);
    v.set("payload", json::Value::string(QByteArray::fromStdString(payload).toBase64().toStdString()));
    v.set("hash", json::Value::string(crypto::toHex(h.finish())));
    auto forged = lines;
    forged[4] = v.dump();
    auto c = verify(forged);
    ASSERT_EQ(c.failures.size(), 2u);
    EXPECT_EQ(c.failures[0].seq, 4);
    EXPECT_EQ(c.failures[0].checks, "signature");
    EXPECT_EQ(c.failures[1].seq, 5);
    EXPECT_EQ(c.failures[1].checks, "chain");
}

TEST_F(DecisionLogTest, ReorderedLinesAreCaughtBySequenceAndChain)
{
    auto swapped = lines;
    std::swap(swapped[6], swapped[7]);
    auto c = verify(swapped);
    ASSERT_GE(c.failures.size(), 2u);
    EXPECT_EQ(c.failures[0].seq, 7);
    EXPECT_NE(c.failures[0].checks.find("sequence"), std::string::npos);
    EXPECT_NE(c.failures[0].checks.find("chain"), std::string::npos);
}

TEST_F(DecisionLogTest, DroppedLineIsCaughtAtTheNextSeq)
{
    auto dropped = lines;
    dropped.erase(dropped.begin() + 3);
    auto c = verify(dropped);
    ASSERT_EQ(c.failures.size(), 1u);
    EXPECT_EQ(c.failures[0].seq, 4);
    EXPECT_EQ(c.failures[0].checks, "sequence,chain");
}

TEST_F(DecisionLogTest, InsertedAndTruncatedLinesAreCaught)
{
    auto inserted = lines;
    inserted.insert(inserted.begin() + 2, lines[2]);
    auto c = verify(inserted);
    ASSERT_FALSE(c.failures.empty());
    EXPECT_EQ(c.failures[0].seq, 2);

    auto truncated = lines;
    truncated[9] = truncated[9].substr(0, truncated[9].size() / 2);
    auto t = verify(truncated);
    ASSERT_EQ(t.problems.size(), 1u);
    EXPECT_EQ(t.problems[0].file, "decisions.jsonl");
    EXPECT_EQ(t.problems[0].line, 10);
}

TEST_F(DecisionLogTest, ResealedWithAnotherKeyFailsAgainstThePinnedKey)
{
    auto rogue = crypto::PrivateKey::generate();
    ASSERT_TRUE(rogue.ok());
    std::vector<std::string> payloads;
    for (const auto& l : lines) {
        auto v = parse(l);
        QByteArray p = QByteArray::fromBase64(QByteArray::fromStdString(std::string(v.str("payload"))));
        payloads.push_back(p.toStdString());
    }
    auto resealed = BundleWriter::signDecisionLines(payloads, *rogue, "gw-test");
    writeFile(QDir(dir).filePath("keys/gw-test.pem"), rogue->publicPem().toStdString()); // the bundle vouches for it
    auto c = verify(resealed);
    ASSERT_EQ(c.failures.size(), 10u);
    for (const auto& f : c.failures) EXPECT_EQ(f.checks, "signature");
    // Without a pinned key the chain looks perfect: that is why bundle-only keys are reported as unpinned.
    auto unpinned = verify(resealed, false);
    EXPECT_TRUE(unpinned.failures.empty());
    EXPECT_EQ(summary.keys.at("gw-test"), custody::KeyTrust::Unpinned);
}

TEST_F(DecisionLogTest, EverySingleByteFlipIsLocatedToItsSeqOrLine)
{
    const std::string original = joinLines(lines);
    // Map each byte offset to its line (seq == line - 1 here).
    int located = 0, total = 0;
    for (size_t pos = 0; pos < original.size(); ++pos) {
        if (original[pos] == '\n') continue;
        std::string mutated = original;
        mutated[pos] = static_cast<char>(mutated[pos] ^ 0x01);
        const int64_t line = 1 + std::count(original.begin(), original.begin() + static_cast<long>(pos), '\n');
        auto c = verify(splitLines(mutated));
        ++total;
        bool found = false;
        for (const auto& f : c.failures) found = found || f.line == line;
        for (const auto& p : c.problems) found = found || (p.file == "decisions.jsonl" && p.line == line);
        if (found) ++located;
        else ADD_FAILURE() << "flip at byte " << pos << " (line " << line << ") not located";
    }
    EXPECT_EQ(located, total);
}

TEST(CustodyChain, DetectsEditedDeletedAndReorderedEntries)
{
    std::vector<CustodyEntry> entries;
    std::string prev(64, '0');
    for (int i = 0; i < 5; ++i) {
        CustodyEntry e{i, "2026-05-06T02:00:0" + std::to_string(i) + "Z", "ana", "ws-1", "edit", "item", "{\"n\":" + std::to_string(i) + "}", prev, ""};
        e.hash = custody::custodyHash(e);
        prev = e.hash;
        entries.push_back(e);
    }
    EXPECT_TRUE(custody::verifyChain(entries).empty());
    auto edited = entries;
    edited[2].actor = "mallory";
    auto p = custody::verifyChain(edited);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].seq, 2);
    EXPECT_EQ(p[0].what, "hash");
    auto deleted = entries;
    deleted.erase(deleted.begin() + 1);
    auto d = custody::verifyChain(deleted);
    ASSERT_FALSE(d.empty());
    EXPECT_EQ(d[0].seq, 2);
}

class CaseIntegrityTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        bundle = tmp.filePath("bundle");
        ASSERT_TRUE(smallIncident().write(bundle));
        casePath = tmp.filePath("case.db");
        auto cs = openCase(casePath);
        ASSERT_TRUE(importInto(*cs, bundle).ok());
    }
    void tamper(const std::string& sql)
    {
        auto db = store::Database::open(casePath, store::Database::Access::ReadWrite, false);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE((*db)->exec(sql).ok());
    }
    QTemporaryDir tmp;
    QString bundle, casePath;
};

TEST_F(CaseIntegrityTest, IntactCaseVerifies)
{
    auto cs = openCase(casePath);
    EXPECT_TRUE(custody::checkOnOpen(*cs).ok());
    auto rep = custody::verifyCase(*cs);
    ASSERT_TRUE(rep.ok());
    EXPECT_TRUE(rep->intact()) << rep->problems.front().toLine();
    EXPECT_EQ(rep->events, 8);
    EXPECT_EQ(rep->eventsValid, 8);
    EXPECT_EQ(rep->decisionsValid, 4);
    EXPECT_EQ(rep->custodyValid, 1);
}

TEST_F(CaseIntegrityTest, ChangedEvidenceBlocksWorkAndIsLogged)
{
    tamper("UPDATE evidence_chunks SET data = CAST(replace(CAST(data AS TEXT), 'order 77', 'order 78') AS BLOB) "
           "WHERE file = (SELECT id FROM evidence_files WHERE path = 'events.jsonl')");
    auto cs = openCase(casePath);
    Status s = custody::checkOnOpen(*cs);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::Blocked);
    EXPECT_NE(errorText(s.error()).find("events.jsonl"), std::string::npos);
    auto log = cs->custody();
    ASSERT_TRUE(log.ok());
    EXPECT_EQ(log->back().action, "integrity_failure");
    // The chain still holds: the failure itself is on record.
    EXPECT_TRUE(custody::verifyChain(*log).empty());
}

TEST_F(CaseIntegrityTest, EditedEventRowIsLocatedToItsLine)
{
    tamper("UPDATE events SET json = replace(json, 'acct-9901', 'acct-1001') WHERE eid = 'e6'");
    auto cs = openCase(casePath);
    auto rep = custody::verifyCase(*cs);
    ASSERT_TRUE(rep.ok());
    ASSERT_EQ(rep->problems.size(), 1u);
    EXPECT_EQ(rep->problems[0].file, "events.jsonl");
    EXPECT_EQ(rep->problems[0].line, 6);
    EXPECT_EQ(rep->problems[0].check, "event");
}

TEST_F(CaseIntegrityTest, EditedCustodyEntryIsLocated)
{
    tamper("UPDATE custody SET actor = 'mallory' WHERE seq = 0");
    auto cs = openCase(casePath);
    auto rep = custody::verifyCase(*cs);
    ASSERT_TRUE(rep.ok());
    ASSERT_FALSE(rep->intact());
    EXPECT_EQ(rep->problems[0].file, "custody");
    EXPECT_EQ(rep->problems[0].seq, 0);
}

TEST_F(CaseIntegrityTest, TamperedStoredDecisionLogIsLocatedToSeq)
{
    // Pin the collector's key, then change a stored decision line's verdict in the evidence itself.
    tamper("UPDATE evidence_chunks SET data = CAST(replace(CAST(data AS TEXT), '\"seq\":2,', '\"seq\":7,') AS BLOB) "
           "WHERE file = (SELECT id FROM evidence_files WHERE path = 'decisions.jsonl')");
    auto cs = openCase(casePath);
    auto rep = custody::verifyCase(*cs);
    ASSERT_TRUE(rep.ok());
    bool seqFound = false, fileFound = false;
    for (const auto& p : rep->problems) {
        seqFound = seqFound || (p.file == "decisions.jsonl" && p.seq == 7 && p.check.find("sequence") != std::string::npos);
        fileFound = fileFound || (p.file == "decisions.jsonl" && p.check == "sha256");
    }
    EXPECT_TRUE(seqFound);
    EXPECT_TRUE(fileFound);
}
