// Import benchmark: writes a synthetic bundle of N events (default 1,000,000), imports it, and prints
// events/s, the raw SQLite prepared-insert rate of the same rows in the same run, their ratio, and the
// import's peak RSS. Usage: import_bench [N] [WORKDIR] [--no-decisions] [--bundle DIR]
// --bundle keeps the synthetic bundle in DIR and reuses it when it is there already (for profiling the import
// alone: `chainsight import DIR --case x.db` under perf).
#include "core/Allocator.h"
#include "core/json/Json.h"
#include "core/store/CaseStore.h"
#include "core/store/RawInsert.h"
#include "importers/Importer.h"
#include "tests/support/BundleWriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cstdio>
#include <string>

using namespace chainsight;

namespace {
long peakRssKb()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}
} // namespace

int main(int argc, char** argv)
{
    chainsight::configureAllocator(argv); // as the chainsight binary does
    QCoreApplication app(argc, argv);
    const int64_t n = argc > 1 ? std::atoll(argv[1]) : 1000000;
    QTemporaryDir tmp(argc > 2 ? QString::fromLocal8Bit(argv[2]) + "/import-bench-XXXXXX" : QDir::tempPath() + "/import-bench-XXXXXX");
    if (!tmp.isValid()) {
        std::fprintf(stderr, "cannot create a working folder: %s\n", qPrintable(tmp.errorString()));
        return 2;
    }
    bool withDecisions = true;
    QString bundle = tmp.filePath("bundle");
    for (int i = 3; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--no-decisions") withDecisions = false;
        else if (a == "--bundle" && i + 1 < argc) bundle = QString::fromLocal8Bit(argv[++i]);
        else {
            std::fprintf(stderr, "usage: import_bench [N] [WORKDIR] [--no-decisions] [--bundle DIR]\n");
            return 2;
        }
    }
    QElapsedTimer t;
    t.start();
    if (QFileInfo::exists(QDir(bundle).filePath("manifest.json")))
        std::printf("reusing the bundle in %s\n", qPrintable(bundle));
    else if (!testing::writeSyntheticBundle(bundle, n, 42, withDecisions)) {
        std::fprintf(stderr, "cannot write the synthetic bundle\n");
        return 1;
    }
    const double writeS = t.elapsed() / 1000.0;
    const qint64 bundleBytes = QFileInfo(QDir(bundle).filePath("events.jsonl")).size();
    std::printf("bundle: %lld events, events.jsonl %.1f MB, %s, written in %.2f s\n", static_cast<long long>(n), bundleBytes / 1e6,
                withDecisions ? "a signed decision for every tool call" : "no decision log", writeS);
    const long rssBefore = peakRssKb();

    // 1. The import, as `chainsight import` does it: parse, hash, store evidence, index, full-text.
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::OpenOrCreate;
    o.bulk = true;
    auto cs = store::CaseStore::open(tmp.filePath("case.db"), o);
    if (!cs) {
        std::fprintf(stderr, "%s\n", qPrintable(cs.error().toString()));
        return 1;
    }
    t.restart();
    auto r = importers::importPath(**cs, bundle, {});
    const double importS = t.elapsed() / 1000.0;
    if (!r) {
        std::fprintf(stderr, "import failed: %s\n", qPrintable(r.error().toString()));
        return 1;
    }
    const long importRss = peakRssKb();
    // Searchable and indexed on return: a query answers now.
    t.restart();
    auto count = (*cs)->eventCount();
    const double countMs = t.nsecsElapsed() / 1e6;
    cs->reset();
    const double importRate = static_cast<double>(r->events) / importS; // a reused bundle may hold another N
    std::printf("import: %.2f s, %.0f events/s (%lld events, %lld decisions verified), count query %.1f ms\n", importS, importRate,
                static_cast<long long>(r->events), static_cast<long long>(r->decisionsValid), countMs);
    std::printf("import peak RSS: %.1f MB (process before import: %.1f MB)\n", importRss / 1024.0, rssBefore / 1024.0);
    (void)count;

    // 2. The raw baselines: the same rows, parsed beforehand (not timed), inserted with prepared statements in one
    // transaction. Bare: a table of the same columns without indexes or full-text (issue 2's baseline). Same tables:
    // the case's event table, its full-text rows and its indexes (the SQLite work alone of a searchable case).
    auto rawRate = [&](store::RawInserter::Baseline baseline, const QString& file) -> double {
        auto raw = store::RawInserter::create(tmp.filePath(file), baseline);
        if (!raw) {
            std::fprintf(stderr, "%s\n", qPrintable(raw.error().toString()));
            return 0;
        }
        QFile f(QDir(bundle).filePath("events.jsonl"));
        f.open(QIODevice::ReadOnly);
        json::Parser parser;
        std::vector<Event> batch;
        double insertS = 0;
        int64_t rows = 0, lineNo = 0;
        while (!f.atEnd()) {
            batch.clear();
            while (!f.atEnd() && batch.size() < 100000) {
                QByteArray line = f.readLine();
                if (line.endsWith('\n')) line.chop(1);
                ++lineNo;
                auto v = parser.parse(std::string_view(line.constData(), static_cast<size_t>(line.size())));
                auto e = eventFromJson(*v, line.toStdString());
                e->line = lineNo;
                batch.push_back(std::move(*e));
            }
            t.restart();
            if (!(*raw)->insert(batch)) return 0;
            insertS += t.nsecsElapsed() / 1e9;
            rows += static_cast<int64_t>(batch.size());
        }
        t.restart();
        if (!(*raw)->commit()) return 0;
        insertS += t.nsecsElapsed() / 1e9;
        raw->reset();
        QFile::remove(tmp.filePath(file));
        return rows / insertS;
    };
    const double bare = rawRate(store::RawInserter::Baseline::Bare, QStringLiteral("raw.db"));
    if (bare <= 0) return 1;
    std::printf("raw SQLite prepared insert of the same rows (bare table): %.0f rows/s\n", bare);
    std::printf("ratio import/raw: %.0f%% (goal >= 40%%, aim 60%%)\n", 100.0 * importRate / bare);
    const double same = rawRate(store::RawInserter::Baseline::SameTables, QStringLiteral("raw-fts.db"));
    if (same <= 0) return 1;
    std::printf("raw SQLite prepared insert of the same rows into the case's tables (+ full-text + indexes): %.0f rows/s\n", same);
    std::printf("ratio import/raw-same-tables: %.0f%%\n", 100.0 * importRate / same);
    return 0;
}
