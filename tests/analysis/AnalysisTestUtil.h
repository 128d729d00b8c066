// Helpers for the analysis tests: a temporary case, imports, the analysis, expected-result files.
#pragma once

#include "core/analysis/Analysis.h"
#include "core/json/Json.h"
#include "core/store/CaseStore.h"
#include "importers/Importer.h"
#include "tests/support/BundleWriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace chainsight::testing {

inline QString sourcePath(const QString& rel) { return QStringLiteral(CHAINSIGHT_SOURCE_DIR "/") + rel; }

// A case in a temporary directory, removed with the object.
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
    analysis::AnalysisReport analyze()
    {
        auto r = analysis::analyzeCase(*store);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().toString().toStdString());
        return r.ok() ? std::move(*r) : analysis::AnalysisReport();
    }
};

inline std::vector<std::string> stringList(const json::Value* v)
{
    std::vector<std::string> out;
    if (v && v->isArray())
        for (const auto& i : v->items())
            if (i.isString()) out.push_back(i.asString());
    return out;
}

inline bool contains(const std::vector<std::string>& list, const std::string& s) { return std::find(list.begin(), list.end(), s) != list.end(); }

inline std::string joined(const std::vector<std::string>& list)
{
    std::string out;
    for (const auto& s : list) out += (out.empty() ? "" : " ") + s;
    return out;
}

// Writes the report as JSON under $CHAINSIGHT_ANALYSIS_DUMP (for looking at it by hand), if set.
inline void dumpReport(const analysis::AnalysisReport& r, const std::string& name)
{
    const QByteArray dir = qgetenv("CHAINSIGHT_ANALYSIS_DUMP");
    if (dir.isEmpty()) return;
    QDir().mkpath(QString::fromUtf8(dir));
    writeFile(QString::fromUtf8(dir) + QStringLiteral("/") + QString::fromStdString(name) + QStringLiteral(".json"),
              analysis::reportToJson(r, true).dump());
}

} // namespace chainsight::testing
