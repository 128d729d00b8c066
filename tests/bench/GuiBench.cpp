// Workbench benchmark on a large case (default 1,000,000 events): generates a synthetic bundle once, imports it
// into a cached case, then, in a fresh window, prints the time from launch to the first paint of the open case,
// the index, graph build and Graphviz layout times, the visible node count, the full-text search latency the
// evidence table sees (median and p90 over varied queries), a timeline re-bin, and the peak RSS.
// Usage: gui_bench [N] [CACHE_DIR]   (QT_QPA_PLATFORM=offscreen for a headless run)
#include "core/Allocator.h"
#include "app/MainWindow.h"
#include "core/store/CaseStore.h"
#include "importers/Importer.h"
#include "tests/support/BundleWriter.h"
#include "tests/support/ImportInto.h"
#include "views/AnalysisService.h"
#include "views/CaseContext.h"
#include "views/EventTableView.h"
#include "views/GraphView.h"
#include "views/TimelineView.h"
#include "views/models/EventTableModel.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace chainsight;

namespace {

QElapsedTimer g_launch;

long peakRssKb()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

using chainsight::testing::importInto;

// Records the first paint of a widget after arm().
class PaintProbe : public QObject
{
public:
    qint64 at = -1;
    bool armed = false;
    bool eventFilter(QObject* o, QEvent* e) override
    {
        if (armed && at < 0 && e->type() == QEvent::Paint) at = g_launch.elapsed();
        return QObject::eventFilter(o, e);
    }
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

} // namespace

int main(int argc, char** argv)
{
    chainsight::configureAllocator(argv); // as the chainsight binary does
    g_launch.start();
    const int64_t n = argc > 1 ? std::atoll(argv[1]) : 1000000;
    const QString cacheDir =
        argc > 2 ? QString::fromLocal8Bit(argv[2]) : QDir::tempPath() + QStringLiteral("/chainsight-gui-bench");
    QStandardPaths::setTestModeEnabled(true); // never the analyst's settings or recent cases
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ChainsightGuiBench"));
    QDir().mkpath(cacheDir);
    const QString casePath = QDir(cacheDir).filePath(QStringLiteral("case-%1.db").arg(n));

    if (!QFileInfo::exists(casePath)) {
        std::printf("building the cached case %s (once)…\n", qPrintable(casePath));
        std::fflush(stdout);
        QElapsedTimer t;
        t.start();
        const QString bundle = QDir(cacheDir).filePath(QStringLiteral("bundle-%1").arg(n));
        if (!testing::writeSyntheticBundle(bundle, n, 42, true)) {
            std::fprintf(stderr, "gui_bench: cannot write the synthetic bundle in %s\n", qPrintable(bundle));
            return 1;
        }
        const QString partial = casePath + QStringLiteral(".part");
        QFile::remove(partial);
        if (Status s = importInto(partial, bundle, nullptr, {}, nullptr); !s) {
            std::fprintf(stderr, "gui_bench: import failed: %s\n", qPrintable(s.error().toString()));
            return 1;
        }
        QFile::rename(partial, casePath);
        QDir(bundle).removeRecursively();
        std::printf("  generated and imported in %.1f s\n", t.elapsed() / 1000.0);
        std::printf("(rerun for launch figures from a warm cache)\n");
        g_launch.restart();
    }

    const qint64 appReady = g_launch.elapsed();
    MainWindow w(&importInto);
    w.useDefaultLayout();
    w.resize(1600, 1000);
    PaintProbe probe;
    QWidget* tableViewport = w.tableView()->table()->viewport();
    tableViewport->installEventFilter(&probe);
    w.show();
    probe.armed = true;
    const qint64 openStart = g_launch.elapsed();
    if (!w.openCase(casePath)) {
        std::fprintf(stderr, "gui_bench: cannot open %s\n", qPrintable(casePath));
        return 1;
    }
    const qint64 opened = g_launch.elapsed();
    // First paint: the window's event loop paints the table with its first rows.
    QElapsedTimer guard;
    guard.start();
    while (probe.at < 0 && guard.elapsed() < 30000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    const qint64 firstPaint = probe.at;
    const int rowsAtFirstPaint = w.tableView()->model()->rowCount(); // the loop stops right after that paint
    const bool settled = w.waitUntilSettled(600000);
    const qint64 settledAt = g_launch.elapsed();
    const auto& ctx = *w.context();

    std::printf("case: %s, %lld events\n", qPrintable(casePath), static_cast<long long>(ctx.eventCount()));
    std::printf("launch → QApplication ready:        %6lld ms\n", static_cast<long long>(appReady));
    std::printf("launch → case open (figures read):  %6lld ms   (open took %lld ms)\n", static_cast<long long>(opened),
                static_cast<long long>(opened - openStart));
    std::printf("launch → first paint of the table:  %6lld ms   goal < 1500 ms%s\n", static_cast<long long>(firstPaint),
                firstPaint >= 0 && firstPaint < 1500 ? "  ok" : "  MISSED");
    std::printf("  rows in the table at first paint:  %d\n", rowsAtFirstPaint);
    std::printf("case index (off the UI thread):     %6lld ms\n", static_cast<long long>(ctx.indexLoadMs()));
    const qint64 graphTotal = w.graphView()->buildMs() + w.graphView()->layoutMs();
    std::printf(
        "graph build + layout:               %6lld ms   (build %lld + layout %lld; %d nodes shown) goal < 1000 ms%s\n",
        static_cast<long long>(graphTotal), static_cast<long long>(w.graphView()->buildMs()),
        static_cast<long long>(w.graphView()->layoutMs()), w.graphView()->visibleNodeCount(),
        graphTotal < 1000 ? "  ok" : "  MISSED");
    std::printf("analysis (off the UI thread):       %6lld ms\n", static_cast<long long>(w.analysis()->lastRunMs()));
    std::printf("launch → everything settled:        %6lld ms%s\n", static_cast<long long>(settledAt),
                settled ? "" : "  (timed out)");

    // Search as the evidence table runs it: FTS5 for the words, the in-memory index for order and facets.
    const char* words[] = {"refund",   "acct-8814", "payments", "crm.lookup", "ticket",   "error",
                           "timeout",  "email",     "session",  "policy",     "approved", "customer",
                           "summary",  "tool",      "report*",  "invoice",    "delivery", "order 77",
                           "shipping", "password",  "transfer", "settlement", "zzzqqq",   "kb"};
    std::vector<double> ms;
    std::vector<long long> hits;
    auto index = ctx.index();
    store::EventSort sort;
    for (int round = 0; round < 2; ++round) {
        for (const char* word : words) {
            store::EventFilter f;
            f.search = QString::fromUtf8(word);
            QElapsedTimer t;
            t.start();
            auto ids = w.context()->queries()->orderedIds(f, sort, index.get());
            const double took = t.nsecsElapsed() / 1e6;
            if (round == 1) { // the first round warms the page cache, as an analyst's first query does
                ms.push_back(took);
                hits.push_back(ids ? static_cast<long long>(ids->size()) : -1);
            }
        }
    }
    std::printf(
        "search latency (%zu queries):        median %.1f ms, p90 %.1f ms, max %.1f ms   goal median < 50 ms%s\n",
        ms.size(), percentile(ms, 0.5), percentile(ms, 0.9), percentile(ms, 1.0),
        percentile(ms, 0.5) < 50 ? "  ok" : "  MISSED");
    long long maxHits = 0;
    for (long long h : hits)
        maxHits = std::max(maxHits, h);
    std::printf("  (hits per query up to %lld)\n", maxHits);

    // A timeline zoom re-bins from the index.
    QElapsedTimer t;
    t.start();
    const auto [from, to] = ctx.timeWindow();
    for (int i = 0; i < 10; ++i)
        w.timelineView()->setRange(from + (to - from) / 20 * i, to - (to - from) / 20 * i);
    std::printf("timeline re-bin (zoom):             %6.1f ms each\n", t.nsecsElapsed() / 1e6 / 10);
    // The table scrolls by pages: jump to the end and back.
    t.restart();
    QTableView* table = w.tableView()->table();
    table->scrollToBottom();
    QApplication::processEvents();
    table->scrollToTop();
    QApplication::processEvents();
    std::printf("table jump to the last row and back:%6.1f ms\n", t.nsecsElapsed() / 1e6);
    std::printf("peak RSS:                           %6.1f MB\n", peakRssKb() / 1024.0);
    return 0;
}
