// Tamper location at scale (issue 9): over a large signed fixture (20,000 events, a decision for every tool
// call, written by tests/support), 10,000 random single-byte flips of the decision log and 10,000 of the
// event rows kept in a case are each detected and located: decision-log flips to their seq/line, event-row
// flips to their file and line. Then deleted, reordered, truncated and inserted lines, and the whole chain
// re-sealed with another key. Flips are applied in rounds, each to a distinct line, so that one verification
// checks many flips while every flip must still be found at its own line.
#include "core/custody/DecisionLog.h"
#include "core/store/Database.h"
#include "tests/unit/Fixtures.h"

#include <algorithm>
#include <random>
#include <set>

using namespace chainsight;
using namespace chainsight::testing;

namespace {

std::vector<std::string> splitLines(const std::string& text)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        out.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

int envInt(const char* name, int fallback)
{
    return qEnvironmentVariableIsSet(name) ? qEnvironmentVariableIntValue(name) : fallback;
}

// The large fixture, written once for the whole test program.
class LargeFixture : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_tmp = new QTemporaryDir;
        s_bundle = s_tmp->filePath("large");
        ASSERT_TRUE(writeSyntheticBundle(s_bundle, envInt("CHAINSIGHT_TAMPER_EVENTS", 20000), 9));
        s_lines = splitLines(readFile(QDir(s_bundle).filePath("decisions.jsonl")));
        s_pem = readFile(QDir(s_bundle).filePath("keys/gw-bench.pem"));
    }
    static void TearDownTestSuite()
    {
        delete s_tmp;
        s_tmp = nullptr;
    }

    // Lines (1-based) the verifier marks invalid or refuses, with the check that failed.
    static std::map<int64_t, std::string> failedLines(const std::vector<std::string>& lines,
                                                      const std::string& pem = s_pem)
    {
        custody::KeyRing ring;
        EXPECT_TRUE(ring.addPinned("gw-bench", QByteArray::fromStdString(pem)).ok());
        custody::DecisionLogVerifier v(ring);
        std::map<int64_t, std::string> failed;
        for (size_t i = 0; i < lines.size(); ++i) {
            std::string detail;
            auto d = v.add(lines[i], static_cast<int64_t>(i + 1), &detail);
            if (!d.ok())
                failed[static_cast<int64_t>(i + 1)] = "format";
            else if (!d->valid) {
                EXPECT_EQ(d->line, static_cast<int64_t>(i + 1));
                EXPECT_FALSE(detail.empty()) << "line " << i + 1 << " failed without saying why";
                failed[static_cast<int64_t>(i + 1)] = d->failure;
            }
        }
        return failed;
    }

    static QTemporaryDir* s_tmp;
    static QString s_bundle;
    static std::vector<std::string> s_lines;
    static std::string s_pem;
};
QTemporaryDir* LargeFixture::s_tmp = nullptr;
QString LargeFixture::s_bundle;
std::vector<std::string> LargeFixture::s_lines;
std::string LargeFixture::s_pem;

} // namespace

TEST_F(LargeFixture, TenThousandDecisionLogFlipsAreEachLocatedToTheirSeq)
{
    ASSERT_GT(s_lines.size(), 3000u);
    ASSERT_TRUE(failedLines(s_lines).empty()) << "the fixture itself does not verify";
    const int flips = envInt("CHAINSIGHT_TAMPER_FLIPS", 10000);
    const size_t perRound = 500; // on lines at least 3 apart: a flip may also break the next line's chain link
    std::mt19937_64 rng(20260506);
    int located = 0, done = 0;
    while (done < flips) {
        std::vector<std::string> mutated = s_lines;
        std::set<size_t> chosen;
        while (chosen.size() < std::min<size_t>(perRound, static_cast<size_t>(flips - done))) {
            const size_t line = rng() % s_lines.size();
            auto near = chosen.lower_bound(line >= 2 ? line - 2 : 0);
            if (near != chosen.end() && *near <= line + 2) continue;
            chosen.insert(line);
        }
        for (size_t line : chosen) {
            std::string& l = mutated[line];
            const size_t pos = rng() % l.size();
            l[pos] = static_cast<char>(l[pos] ^ static_cast<char>(1u << (rng() % 8)));
        }
        const auto failed = failedLines(mutated);
        for (size_t line : chosen) {
            if (failed.count(static_cast<int64_t>(line + 1)))
                ++located;
            else
                ADD_FAILURE() << "flip on line " << line + 1 << " (seq " << line << ") not located";
        }
        // Nothing is blamed far from a flip: at most the line after it (its chain link).
        for (const auto& [line, check] : failed) {
            const size_t l = static_cast<size_t>(line - 1);
            EXPECT_TRUE(chosen.count(l) || (l > 0 && chosen.count(l - 1)))
                << "line " << line << " blamed (" << check << ") without a flip";
        }
        done += static_cast<int>(chosen.size());
    }
    EXPECT_EQ(located, flips);
    std::printf("[ tamper ] %d decision-log flips over %zu signed lines: %d located to their seq\n", flips,
                s_lines.size(), located);
}

TEST_F(LargeFixture, DeletedReorderedTruncatedAndInsertedLinesAreLocated)
{
    const size_t n = s_lines.size();
    std::mt19937 rng(11);
    for (int round = 0; round < 5; ++round) {
        const size_t k = 1 + rng() % (n - 2);
        { // deleted: the next line no longer follows (sequence, chain)
            auto m = s_lines;
            m.erase(m.begin() + static_cast<long>(k));
            const auto f = failedLines(m);
            ASSERT_TRUE(f.count(static_cast<int64_t>(k + 1))) << "deleted seq " << k << " not located";
            EXPECT_EQ(f.size(), 1u) << "only the line where the gap is should fail";
        }
        { // two lines swapped
            auto m = s_lines;
            std::swap(m[k], m[k + 1]);
            const auto f = failedLines(m);
            EXPECT_TRUE(f.count(static_cast<int64_t>(k + 1)) && f.count(static_cast<int64_t>(k + 2)))
                << "swap at seq " << k;
        }
        { // a line cut short
            auto m = s_lines;
            m[k] = m[k].substr(0, rng() % m[k].size());
            const auto f = failedLines(m);
            EXPECT_TRUE(f.count(static_cast<int64_t>(k + 1))) << "truncated line " << k + 1;
        }
        { // a line inserted: a copy of another one, and a foreign line
            auto m = s_lines;
            m.insert(m.begin() + static_cast<long>(k), s_lines[rng() % n]);
            EXPECT_TRUE(failedLines(m).count(static_cast<int64_t>(k + 1))) << "inserted copy at line " << k + 1;
            auto m2 = s_lines;
            m2.insert(m2.begin() + static_cast<long>(k), R"({"seq":1,"note":"not a decision"})");
            EXPECT_TRUE(failedLines(m2).count(static_cast<int64_t>(k + 1))) << "inserted line " << k + 1;
        }
    }
    // The file truncated: the log just ends early; every line left verifies, and the count says how many.
    auto cut = s_lines;
    cut.resize(n / 2);
    EXPECT_TRUE(failedLines(cut).empty());
}

TEST_F(LargeFixture, ChainResealedWithAnotherKeyFailsEveryLineAgainstThePinnedKey)
{
    json::Parser p;
    std::vector<std::string> payloads;
    for (const auto& l : s_lines) {
        auto v = p.parse(l);
        ASSERT_TRUE(v.ok());
        payloads.push_back(
            QByteArray::fromBase64(QByteArray::fromStdString(std::string(v->str("payload")))).toStdString());
    }
    payloads[payloads.size() / 3] =
        R"({"ts":"2026-05-06T01:00:00Z","agent":"refund-agent","session":"x","decision":"ALLOW","policy":"p","reason":"forged"})";
    auto rogue = crypto::PrivateKey::generate();
    ASSERT_TRUE(rogue);
    const auto resealed = BundleWriter::signDecisionLines(payloads, *rogue, "gw-bench");
    const auto failed = failedLines(resealed);
    ASSERT_EQ(failed.size(), resealed.size()); // every line, each at its own seq
    for (const auto& [line, check] : failed)
        EXPECT_NE(check.find("signature"), std::string::npos) << "line " << line << ": " << check;
    // Against the rogue key itself (what a bundle-only key would vouch for) the chain is perfect: hence "unpinned".
    EXPECT_TRUE(failedLines(resealed, rogue->publicPem().toStdString()).empty());
}

TEST_F(LargeFixture, TenThousandEventRowFlipsInACaseAreEachLocatedToTheirLine)
{
    QTemporaryDir tmp;
    const QString casePath = tmp.filePath("case.db");
    {
        auto cs = openCase(casePath);
        ASSERT_TRUE(cs);
        auto r = importInto(*cs, s_bundle);
        ASSERT_TRUE(r.ok()) << errorText(r.error());
    }
    auto db = store::Database::open(casePath, store::Database::Access::ReadWrite, false);
    ASSERT_TRUE(db.ok());
    // Every event row: (rowid, line, json).
    struct Row
    {
        int64_t rowid, line;
        std::string json;
    };
    std::vector<Row> rows;
    {
        auto st = (*db)->prepare("SELECT rowid, line, json FROM events ORDER BY rowid");
        ASSERT_TRUE(st.ok());
        while (true) {
            auto more = st->step();
            ASSERT_TRUE(more.ok());
            if (!*more) break;
            rows.push_back({st->int64(0), st->int64(1), std::string(st->textView(2))});
        }
    }
    ASSERT_GT(rows.size(), 10000u);
    const int flips = envInt("CHAINSIGHT_TAMPER_FLIPS", 10000);
    const size_t perRound = 2000;
    std::mt19937_64 rng(99);
    int located = 0, done = 0;
    while (done < flips) {
        std::set<size_t> chosen;
        while (chosen.size() < std::min<size_t>(perRound, static_cast<size_t>(flips - done)))
            chosen.insert(rng() % rows.size());
        auto update = (*db)->prepare("UPDATE events SET json = ?1 WHERE rowid = ?2");
        ASSERT_TRUE(update.ok());
        ASSERT_TRUE((*db)->exec("BEGIN").ok());
        for (size_t i : chosen) {
            std::string j = rows[i].json;
            const size_t pos = rng() % j.size();
            j[pos] = static_cast<char>(j[pos] ^ static_cast<char>(1u << (rng() % 8)));
            update->reset();
            ASSERT_TRUE(update->bind(1, j).bind(2, rows[i].rowid).exec().ok());
        }
        ASSERT_TRUE((*db)->exec("COMMIT").ok());
        {
            store::OpenOptions o;
            o.mode = store::OpenOptions::Mode::ReadOnly;
            auto cs = store::CaseStore::open(casePath, o);
            ASSERT_TRUE(cs.ok());
            auto rep = custody::verifyCase(**cs, custody::VerifyDepth::Full);
            ASSERT_TRUE(rep.ok());
            std::set<int64_t> blamed;
            for (const auto& p : rep->problems) {
                EXPECT_EQ(p.file, "events.jsonl") << p.toLine();
                blamed.insert(p.line);
            }
            for (size_t i : chosen) {
                if (blamed.count(rows[i].line))
                    ++located;
                else
                    ADD_FAILURE() << "flip in the row of line " << rows[i].line << " not located";
            }
            EXPECT_EQ(blamed.size(), chosen.size()) << "lines blamed without a flip";
        }
        // Restore for the next round.
        ASSERT_TRUE((*db)->exec("BEGIN").ok());
        for (size_t i : chosen) {
            update->reset();
            ASSERT_TRUE(update->bind(1, rows[i].json).bind(2, rows[i].rowid).exec().ok());
        }
        ASSERT_TRUE((*db)->exec("COMMIT").ok());
        done += static_cast<int>(chosen.size());
    }
    EXPECT_EQ(located, flips);
    std::printf("[ tamper ] %d event-row flips over %zu rows: %d located to file and line\n", flips, rows.size(),
                located);
}
