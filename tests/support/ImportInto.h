// The import the window runs (app/GuiMain.cpp), for the widget tests and gui_bench: the case at casePath (created
// if new, with the app's bulk settings) gets the bundle.
// Header-only: the programs that include it link chainsight_importers themselves (test support links core only).
#pragma once

#include "core/custody/Custody.h"
#include "core/store/CaseStore.h"
#include "importers/Importer.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>

namespace chainsight::testing {

inline Status importInto(const QString& casePath, const QString& bundlePath, const std::atomic<bool>* cancel,
                         const std::function<void(int64_t, int64_t)>& progress, QString* summary)
{
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::OpenOrCreate;
    o.bulk = true;
    auto st = store::CaseStore::open(casePath, o);
    if (!st) return st.error();
    importers::ImportOptions options;
    options.cancel = cancel;
    options.progress = progress;
    options.actor = custody::Actor{"tester", "test-host"};
    auto r = importers::importPath(**st, bundlePath, options);
    if (!r) return r.error();
    if (summary) *summary = QStringLiteral("imported %1 events").arg(r->events);
    return {};
}

} // namespace chainsight::testing
