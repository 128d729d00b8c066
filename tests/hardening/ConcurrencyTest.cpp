// The window reads a case while an import writes to it (issue 9): a second connection, as the GUI opens
// one, reads the case throughout a large import and always sees a consistent state, never an error: all
// of the earlier content and none or all of the bundle being imported (WAL snapshot isolation).
#include "tests/unit/Fixtures.h"

#include <atomic>
#include <chrono>
#include <thread>

using namespace chainsight;
using namespace chainsight::testing;

TEST(Concurrency, ReaderSeesAllOrNothingWhileAnImportWrites)
{
    QTemporaryDir tmp;
    const QString casePath = tmp.filePath("case.db");
    const QString small = tmp.filePath("small"), large = tmp.filePath("large");
    ASSERT_TRUE(smallIncident().write(small));
    const int64_t n = 20000;
    ASSERT_TRUE(writeSyntheticBundle(large, n, 5));
    {
        auto cs = openCase(casePath);
        ASSERT_TRUE(importInto(*cs, small).ok());
    }
    std::atomic<bool> done{false}, readerEnded{false};
    std::atomic<int> reads{0}, sawNone{0}, sawAll{0};
    std::string readerError;
    std::thread reader([&] {
        struct Ended
        {
            std::atomic<bool>& flag;
            ~Ended() { flag = true; } // readerError is read only after the join: the waits below watch this
        } ended{readerEnded};
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::ReadOnly;
        auto cs = store::CaseStore::open(casePath, o);
        if (!cs.ok()) {
            readerError = "open: " + errorText(cs.error());
            return;
        }
        while (!done.load()) {
            auto count = (*cs)->eventCount();
            auto bundles = (*cs)->bundles();
            auto types = (*cs)->countsByType();
            if (!count.ok() || !bundles.ok() || !types.ok()) {
                readerError = "read failed during the import";
                return;
            }
            if (*count == 8)
                ++sawNone;
            else if (*count == 8 + n)
                ++sawAll;
            else {
                readerError = "saw " + std::to_string(*count) + " events: a half-written import";
                return;
            }
            ++reads;
        }
    });
    {
        auto cs = openCase(casePath);
        // At its first progress report the import waits (up to 60 s) for two more reads, so the reader is known
        // to have run while the import was under way, whatever the machine's load.
        importers::ImportOptions o;
        o.actor = custody::Actor{"tester", "test-host"};
        bool waited = false;
        o.progress = [&](int64_t, int64_t) {
            if (waited) return;
            waited = true;
            const int target = reads.load() + 2;
            const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
            while (reads.load() < target && !readerEnded.load() && std::chrono::steady_clock::now() < until)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        };
        auto r = importers::importPath(*cs, large, o);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : errorText(r.error()));
        if (r.ok()) {
            EXPECT_EQ(r->events, n);
        }
    }
    // Let the reader see the committed state too (up to 60 s).
    for (int i = 0; i < 6000 && sawAll.load() == 0 && !readerEnded.load(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    done = true;
    reader.join();
    EXPECT_TRUE(readerError.empty()) << readerError;
    EXPECT_GE(reads.load(), 3); // the two the import waited for, and one of the committed state
    EXPECT_GT(sawNone.load(), 0) << "the reader never ran while the import was under way";
    EXPECT_GT(sawAll.load(), 0);
    std::printf("[ concurrency ] %d reads during the import: %d before the commit, %d after\n", reads.load(),
                sawNone.load(), sawAll.load());
}
