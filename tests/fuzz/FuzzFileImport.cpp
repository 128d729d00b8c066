// Fuzz target for an importer of single files, end to end (the format's parsing, the mapping onto events,
// the write into a case), into a scratch case that is replaced every few hundred inputs. Built once per
// format: CHAINSIGHT_FUZZ_FORMAT names the importer ("transcript", "otlp", "cloudtrail"),
// CHAINSIGHT_FUZZ_FILE the name the input is written under (content decides, but names are kept as evidence).
#include "core/store/CaseStore.h"
#include "importers/Importer.h"
#include "tests/fuzz/FuzzSupport.h"

#include <cstdlib>

using namespace chainsight;

static std::unique_ptr<store::CaseStore>& scratchCase()
{
    static std::unique_ptr<store::CaseStore> cs;
    return cs;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static int runs = 0;
    auto& cs = scratchCase();
    // A new case every 500 inputs: an import reads what the case already holds (CloudTrail correlates
    // identities across it), so a case grown by thousands of inputs slows every later one.
    if (!cs || ++runs % 500 == 0) {
        cs.reset();
        const QString casePath = fuzz::scratchDir() + QStringLiteral("/case.db");
        QFile::remove(casePath);
        QFile::remove(casePath + QStringLiteral("-wal"));
        QFile::remove(casePath + QStringLiteral("-shm"));
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::OpenOrCreate;
        auto opened = store::CaseStore::open(casePath, o);
        if (!opened.ok()) std::abort();
        cs = std::move(*opened);
    }
    const QString path = fuzz::writeInput(QStringLiteral(CHAINSIGHT_FUZZ_FILE), data, size);
    importers::ImportOptions options;
    options.actor = custody::Actor{"fuzzer", "fuzz-host"};
    auto r = importers::importPath(*cs, path, options, CHAINSIGHT_FUZZ_FORMAT);
    if (!r.ok() && r.error().message.isEmpty()) std::abort();
    return 0;
}
