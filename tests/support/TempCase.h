// A case in a temporary directory for tests, removed with the object: open, import, read back, analyse.
// Needs CHAINSIGHT_SOURCE_DIR defined by the test target.
#pragma once

#include "core/analysis/Analysis.h"
#include "core/store/CaseStore.h"
#include "importers/Importer.h"

#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace chainsight::testing {

inline QString sourcePath(const QString& rel) { return QStringLiteral(CHAINSIGHT_SOURCE_DIR "/") + rel; }

struct TempCase
{
    QTemporaryDir dir;
    std::unique_ptr<store::CaseStore> store;

    TempCase()
    {
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::OpenOrCreate;
        auto cs = store::CaseStore::open(dir.filePath(QStringLiteral("case.db")), o);
        EXPECT_TRUE(cs.ok()) << (cs.ok() ? "" : cs.error().toString().toStdString());
        if (cs.ok()) store = std::move(*cs);
    }
    Result<importers::ImportReport> import(const QString& path, const std::string& format = {})
    {
        importers::ImportOptions o;
        o.actor = custody::Actor{"tester", "test-host"};
        return importers::importPath(*store, path, o, format);
    }
    importers::ImportReport mustImport(const QString& path, const std::string& format = {})
    {
        auto r = import(path, format);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().toString().toStdString());
        return r.ok() ? *r : importers::ImportReport{};
    }
    std::vector<Event> events()
    {
        std::vector<Event> out;
        EXPECT_TRUE(store
                        ->forEachEvent([&](const Event& e) {
                            out.push_back(e);
                            return true;
                        })
                        .ok());
        return out;
    }
    std::map<std::string, int64_t> counts()
    {
        auto c = store->tableCounts();
        EXPECT_TRUE(c.ok());
        return c.ok() ? *c : std::map<std::string, int64_t>{};
    }
    analysis::AnalysisReport analyze(const analysis::AnalysisOptions& options = {})
    {
        auto r = analysis::analyzeCase(*store, options);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().toString().toStdString());
        return r.ok() ? std::move(*r) : analysis::AnalysisReport();
    }
};

} // namespace chainsight::testing
