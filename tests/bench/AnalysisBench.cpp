// Analysis benchmark: writes a synthetic bundle of N events (default 1,000,000; several agents, sessions and
// event types, a signed decision for every tool call), imports it into a fresh case, then times
// analysis::analyzeCase on it and prints the time and the analysis's peak RSS.
// Usage: analysis_bench [N] [WORKDIR]      or      analysis_bench --case CASE.db   (analyse an existing case)
//        --serial (anywhere): no read-ahead thread, everything on one thread (AnalysisOptions::readAhead off)
#include "core/Allocator.h"
#include "core/analysis/Analysis.h"
#include "core/store/CaseStore.h"
#include "importers/Importer.h"
#include "tests/support/BundleWriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

using namespace chainsight;

namespace {
long statusKb(const char* key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
    return -1;
}

// Resets the kernel's peak-RSS mark (VmHWM) so the next reading covers the analysis alone.
bool resetPeak()
{
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    return static_cast<bool>(out);
}
} // namespace

int main(int argc, char** argv)
{
    chainsight::configureAllocator(argv); // as the chainsight binary does
    QCoreApplication app(argc, argv);
    analysis::AnalysisOptions options;
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--serial") {
            options.readAhead = false;
            for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
            --argc;
            break;
        }
    QString casePath;
    std::unique_ptr<QTemporaryDir> tmp;
    int64_t n = 1000000;
    if (argc > 2 && std::string(argv[1]) == "--case") {
        casePath = QString::fromLocal8Bit(argv[2]);
    } else {
        if (argc > 1) n = std::atoll(argv[1]);
        tmp = std::make_unique<QTemporaryDir>(argc > 2 ? QString::fromLocal8Bit(argv[2]) + "/analysis-bench-XXXXXX"
                                                       : QDir::tempPath() + "/analysis-bench-XXXXXX");
        if (qEnvironmentVariableIsSet("ANALYSIS_BENCH_KEEP")) tmp->setAutoRemove(false); // keep the case for --case runs
        const QString bundle = tmp->filePath("bundle");
        QElapsedTimer t;
        t.start();
        if (!testing::writeSyntheticBundle(bundle, n, 42)) {
            std::fprintf(stderr, "cannot write the synthetic bundle\n");
            return 1;
        }
        std::printf("bundle: %lld events written in %.2f s\n", static_cast<long long>(n), t.elapsed() / 1000.0);
        casePath = tmp->filePath("case.db");
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::OpenOrCreate;
        o.bulk = true;
        auto cs = store::CaseStore::open(casePath, o);
        if (!cs) {
            std::fprintf(stderr, "%s\n", qPrintable(cs.error().toString()));
            return 1;
        }
        t.restart();
        auto r = importers::importPath(**cs, bundle, {});
        if (!r) {
            std::fprintf(stderr, "import failed: %s\n", qPrintable(r.error().toString()));
            return 1;
        }
        std::printf("import: %lld events in %.2f s (case %s)\n", static_cast<long long>(r->events), t.elapsed() / 1000.0,
                    qPrintable(casePath));
        QDir(bundle).removeRecursively();
    }

    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::ReadOnly;
    auto cs = store::CaseStore::open(casePath, o);
    if (!cs) {
        std::fprintf(stderr, "%s\n", qPrintable(cs.error().toString()));
        return 1;
    }
    const long rssBefore = statusKb("VmRSS:");
    const bool reset = resetPeak();
    QElapsedTimer t;
    t.start();
    auto report = analysis::analyzeCase(**cs, options);
    const double seconds = t.nsecsElapsed() / 1e9;
    if (!report) {
        std::fprintf(stderr, "analysis failed: %s\n", qPrintable(report.error().toString()));
        return 1;
    }
    const long peak = statusKb("VmHWM:");
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    int64_t findings = 0;
    for (const auto& f : report->findings) findings += f.severity >= analysis::Severity::Medium ? 1 : 0;
    std::printf("analysis: %lld events, %zu sessions, %zu findings (%lld medium or above), %lld taint edges, incident %s\n",
                static_cast<long long>(report->events), report->sessions.size(), report->findings.size(), static_cast<long long>(findings),
                static_cast<long long>(report->taintTotal), std::string(analysis::incidentTypeName(report->type)).c_str());
    // The call's whole time, as a caller waits for it; the report's own figure stops before the engine and the
    // read-ahead are torn down.
    std::printf("analysis time: %.2f s (%.0f events/s)%s; the report says %.2f s (before teardown)\n", seconds,
                report->events / seconds, options.readAhead ? "" : " (serial)", report->seconds);
    std::printf("analysis peak RSS: %.1f MB%s (process RSS before: %.1f MB; process peak overall: %.1f MB)\n",
                peak / 1024.0, reset ? "" : " (peak not reset: includes the import)", rssBefore / 1024.0, ru.ru_maxrss / 1024.0);
    return 0;
}
