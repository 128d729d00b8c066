// The case file guards itself: application_id, foreign keys, migrations from every earlier version.
#include "tests/unit/Fixtures.h"

#include "core/model/Time.h"
#include "core/store/Database.h"
#include "core/store/EventScan.h"
#include "core/store/Transaction.h"
#include "tests/support/BundleWriter.h"
#include "core/store/Schema.h"

#include <QFile>

#include <atomic>
#include <chrono>
#include <thread>

using namespace chainsight;
using namespace chainsight::testing;

TEST(Store, NewCaseHasApplicationIdAndLatestSchema)
{
    QTemporaryDir tmp;
    auto cs = openCase(tmp.filePath("c.db"));
    ASSERT_TRUE(cs);
    EXPECT_EQ(cs->schemaVersion(), store::latestSchemaVersion());
    auto appId = cs->database()->scalar("PRAGMA application_id");
    ASSERT_TRUE(appId.ok());
    EXPECT_EQ(*appId, store::kApplicationId);
    auto fk = cs->database()->scalar("PRAGMA foreign_keys");
    ASSERT_TRUE(fk.ok());
    EXPECT_EQ(*fk, 1);
    // Foreign keys are enforced: an event of a bundle that does not exist is refused.
    EXPECT_FALSE(cs->database()->exec("INSERT INTO events(bundle, eid, ts, type, agent, session, summary, json) "
                                      "VALUES(999, 'x', 0, 0, 'a', 's', '', '{}')").ok());
}

TEST(Store, RefusesFilesThatAreNotCases)
{
    QTemporaryDir tmp;
    const QString text = tmp.filePath("notes.db");
    writeFile(text, "these are not the droids you are looking for, not a database at all, really");
    store::OpenOptions o;
    auto r = store::CaseStore::open(text, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::NotACase);

    const QString other = tmp.filePath("other.db");
    {
        auto db = store::Database::open(other, store::Database::Access::ReadWrite, true);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE((*db)->exec("PRAGMA application_id = 1234; CREATE TABLE t(x)").ok());
    }
    auto r2 = store::CaseStore::open(other, o);
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().code, ErrorCode::NotACase);
    EXPECT_TRUE(r2.error().message.contains("application_id"));

    const QString plain = tmp.filePath("plain.db");
    {
        auto db = store::Database::open(plain, store::Database::Access::ReadWrite, true);
        ASSERT_TRUE((*db)->exec("CREATE TABLE t(x)").ok());
    }
    EXPECT_FALSE(store::CaseStore::open(plain, o).ok());
    EXPECT_FALSE(store::CaseStore::open(tmp.filePath("missing.db"), o).ok());
}

TEST(Store, RefusesANewerSchema)
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath("c.db");
    {
        auto cs = openCase(path);
        ASSERT_TRUE(cs->database()->exec("PRAGMA user_version = 999").ok());
    }
    store::OpenOptions o;
    auto r = store::CaseStore::open(path, o);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.contains("newer"));
}

TEST(Store, MigratesFromEveryEarlierVersionKeepingData)
{
    for (const auto& m : store::migrations()) {
        if (m.version == store::latestSchemaVersion()) continue;
        SCOPED_TRACE(m.version);
        QTemporaryDir tmp;
        const QString path = tmp.filePath("old.db");
        const QString bundle = tmp.filePath("b");
        ASSERT_TRUE(smallIncident().write(bundle));
        {
            store::OpenOptions o;
            o.mode = store::OpenOptions::Mode::OpenOrCreate;
            o.targetVersion = m.version;
            auto cs = store::CaseStore::open(path, o);
            ASSERT_TRUE(cs.ok());
            EXPECT_EQ((*cs)->schemaVersion(), m.version);
            // Every version from 1 on holds evidence: import into the old schema.
            auto r = importInto(**cs, bundle);
            ASSERT_TRUE(r.ok()) << errorText(r.error());
        }
        auto cs = openCase(path);
        ASSERT_TRUE(cs);
        EXPECT_EQ(cs->schemaVersion(), store::latestSchemaVersion());
        auto n = cs->eventCount();
        ASSERT_TRUE(n.ok());
        EXPECT_EQ(*n, 8);
        auto rep = custody::verifyCase(*cs);
        ASSERT_TRUE(rep.ok());
        EXPECT_TRUE(rep->intact());
        EXPECT_TRUE(cs->integrityCheck().ok());
    }
}

TEST(Store, FullTextSearchFindsEventText)
{
    QTemporaryDir tmp;
    const QString bundle = tmp.filePath("b");
    ASSERT_TRUE(smallIncident().write(bundle));
    auto cs = openCase(tmp.filePath("c.db"));
    ASSERT_TRUE(importInto(*cs, bundle).ok());
    auto st = cs->database()->prepare("SELECT e.eid FROM events_fts f JOIN events e ON e.id = f.rowid WHERE events_fts MATCH ?");
    ASSERT_TRUE(st.ok());
    st->bind(1, std::string("\"acct-9901\""));
    auto r = st->step();
    ASSERT_TRUE(r.ok() && *r);
    EXPECT_EQ(st->text(0), "e6");
}

namespace {
// What a prepare step saw, to check it reaches the right row on the right thread.
struct SeenBy : store::EventExtra
{
    int64_t rowid = 0;
    std::thread::id thread;
};

std::vector<int64_t> scanOrder(store::CaseStore& cs)
{
    std::vector<int64_t> rows;
    EXPECT_TRUE(store::scanEvents(cs, [&](const store::EventView& v) {
                    rows.push_back(v.rowid);
                    return true;
                }).ok());
    return rows;
}

// Runs a prefetch to the end (or to stop rows); returns the rows and how many of them were prepared on another
// thread. With waitForReader, the consumer holds at its first row (up to 60 s) until the reader has prepared a row
// on its thread: the reader then has a lead whatever the machine's load (a fixed pause per 100 rows was not enough
// for it to get ahead on a loaded CI machine under the sanitizers).
std::pair<std::vector<int64_t>, size_t> prefetchOrder(store::CaseStore& cs, size_t stop = SIZE_MAX, bool waitForReader = false)
{
    std::vector<int64_t> rows;
    size_t elsewhere = 0;
    const std::thread::id consumer = std::this_thread::get_id();
    std::atomic<int> preparedByReader{0};
    auto ahead = store::EventPrefetch::start(cs, [&](const store::EventView& v, std::unique_ptr<store::EventExtra>& slot) {
        if (!slot) slot = std::make_unique<SeenBy>(); // else one an earlier row left, reused
        auto* seen = static_cast<SeenBy*>(slot.get());
        seen->rowid = v.rowid;
        seen->thread = std::this_thread::get_id();
        if (seen->thread != consumer) preparedByReader.fetch_add(1);
    });
    EXPECT_TRUE(ahead->forEach([&](const store::EventView& v) {
                    const auto* seen = dynamic_cast<const SeenBy*>(v.extra);
                    EXPECT_TRUE(seen && seen->rowid == v.rowid) << "row " << v.rowid;
                    if (seen && seen->thread != consumer) ++elsewhere;
                    EXPECT_FALSE(v.json.empty());
                    rows.push_back(v.rowid);
                    if (waitForReader && rows.size() == 1) {
                        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
                        while (preparedByReader.load() == 0 && std::chrono::steady_clock::now() < until)
                            std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    }
                    return rows.size() < stop;
                }).ok());
    ahead.reset(); // the reader is joined before preparedByReader goes
    return {rows, elsewhere};
}
} // namespace

TEST(Store, EventPrefetchPreparesOnAnotherThreadInScanOrder)
{
    QTemporaryDir tmp;
    const QString bundle = tmp.filePath("b");
    ASSERT_TRUE(chainsight::testing::writeSyntheticBundle(bundle, 5000, 7)); // several batches
    auto cs = openCase(tmp.filePath("c.db"));
    ASSERT_TRUE(importInto(*cs, bundle).ok());
    const std::vector<int64_t> serial = scanOrder(*cs);
    ASSERT_EQ(serial.size(), 5000u);

    // The reader prepares batches ahead of the one this thread takes next while this thread works through them.
    auto [rows, elsewhere] = prefetchOrder(*cs, SIZE_MAX, true);
    EXPECT_EQ(rows, serial);
    EXPECT_GT(elsewhere, 0u);

    // stopping early leaves nothing running (the destructor joins the worker)
    auto [first, unused] = prefetchOrder(*cs, 100);
    EXPECT_EQ(first, std::vector<int64_t>(serial.begin(), serial.begin() + 100));

    // inside an uncommitted transaction a second connection would not see the rows: all on this thread
    auto tx = cs->begin();
    ASSERT_TRUE(tx.ok());
    auto [inTx, elsewhereInTx] = prefetchOrder(*cs);
    EXPECT_EQ(inTx, serial);
    EXPECT_EQ(elsewhereInTx, 0u);
}

TEST(Store, EventPrefetchStopsPreparingWhenCancelled)
{
    QTemporaryDir tmp;
    const QString bundle = tmp.filePath("b");
    ASSERT_TRUE(chainsight::testing::writeSyntheticBundle(bundle, 5000, 7));
    auto cs = openCase(tmp.filePath("c.db"));
    ASSERT_TRUE(importInto(*cs, bundle).ok());
    std::atomic<bool> cancel{false};
    std::atomic<int64_t> prepared{0};
    auto ahead = store::EventPrefetch::start(
        *cs,
        [&](const store::EventView& v, std::unique_ptr<store::EventExtra>& slot) {
            if (!slot) slot = std::make_unique<SeenBy>();
            static_cast<SeenBy*>(slot.get())->rowid = v.rowid;
            ++prepared;
        },
        &cancel);
    int64_t handed = 0, unprepared = 0, preparedAtCancel = -1;
    // fn never stops by itself: the flag alone must end the scan, at the next batch, and no row that was
    // not prepared (a batch cut short by the flag) may reach it
    EXPECT_TRUE(ahead->forEach([&](const store::EventView& v) {
                    const auto* seen = dynamic_cast<const SeenBy*>(v.extra);
                    if (!seen || seen->rowid != v.rowid) ++unprepared;
                    if (++handed == 100) {
                        cancel = true; // first: what the reader prepares after the count below is the row in hand
                        preparedAtCancel = prepared.load();
                    }
                    return true;
                }).ok());
    ahead.reset(); // the reader is joined: nothing prepares after this
    EXPECT_EQ(unprepared, 0);
    EXPECT_GE(handed, 100);
    EXPECT_LT(handed, 5000);
    // After the flag, the reader finishes at most the row it was on. (How much it prepared before depends on the
    // scheduling: a reader far ahead may already have prepared every row.)
    ASSERT_GE(preparedAtCancel, 100);
    EXPECT_LE(prepared.load(), preparedAtCancel + 1);
}

TEST(Store, EventPrefetchFallsBackWhenTheSecondConnectionCannotRead)
{
    QTemporaryDir tmp;
    const QString bundle = tmp.filePath("b");
    ASSERT_TRUE(smallIncident().write(bundle));
    const QString path = tmp.filePath("c.db");
    auto cs = openCase(path);
    ASSERT_TRUE(importInto(*cs, bundle).ok());
    const std::vector<int64_t> serial = scanOrder(*cs);
    ASSERT_FALSE(serial.empty());
    // The store keeps its open files; what now sits at the path is no database for a second connection
    // (and no write-ahead log beside it, from which it could read the pages anyway).
    ASSERT_TRUE(QFile::rename(path, tmp.filePath("moved.db")));
    for (const char* suffix : {"-wal", "-shm"})
        if (QFile::exists(path + suffix)) {
            ASSERT_TRUE(QFile::rename(path + suffix, tmp.filePath("moved.db") + suffix));
        }
    QFile junk(path);
    ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
    junk.write(QByteArray(8192, 'x'));
    junk.close();
    auto [rows, elsewhere] = prefetchOrder(*cs);
    EXPECT_EQ(rows, serial);
    EXPECT_EQ(elsewhere, 0u);
}

TEST(Time, ParsesAndFormatsRfc3339)
{
    auto t = parseRfc3339("2026-05-06T02:03:04.123456789Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(formatRfc3339(*t), "2026-05-06T02:03:04.123456789Z");
    EXPECT_EQ(formatRfc3339(*parseRfc3339("2026-05-06T02:03:04.5Z")), "2026-05-06T02:03:04.500Z");
    EXPECT_EQ(*parseRfc3339("2026-05-06T04:03:04+02:00"), *parseRfc3339("2026-05-06T02:03:04Z"));
    EXPECT_EQ(*parseRfc3339("1970-01-01T00:00:00Z"), 0);
    EXPECT_FALSE(parseRfc3339("2026-05-06 02:03:04"));
    EXPECT_FALSE(parseRfc3339("2026-13-06T02:03:04Z"));
    EXPECT_FALSE(parseRfc3339("2026-05-06T02:03:04.Z"));
    EXPECT_FALSE(parseRfc3339("2026-05-06T02:03:04Zjunk"));
    EXPECT_TRUE(parseRfc3339("2024-02-29T00:00:00Z"));
    EXPECT_FALSE(parseRfc3339("2023-02-29T00:00:00Z"));
}
