// Helpers for the analysis tests: expected-result files and JSON lists (the temporary case: tests/support/TempCase.h).
#pragma once

#include "core/analysis/Analysis.h"
#include "core/json/Json.h"
#include "core/store/CaseStore.h"
#include "importers/Importer.h"
#include "tests/support/BundleWriter.h"
#include "tests/support/TempCase.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace chainsight::testing {

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
