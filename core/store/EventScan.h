// A narrow, allocation-free pass over every event of a case in time order, for whole-case analysis: the
// columns an analysis needs, as views into SQLite's row buffers (valid during the callback only). When the
// rows were stored in time order (the usual case: one import of a time-sorted bundle) they are read in
// table order, sequentially; otherwise through the time index.
#pragma once

#include "core/Result.h"
#include "core/model/Event.h"

#include <functional>
#include <string_view>

namespace chainsight::store {

class CaseStore;

struct EventView
{
    int64_t rowid = 0, bundle = 0, tsNs = 0;
    EventType type = EventType::Prompt;
    std::string_view id, agent, session, identity, parent, callId, tool, json;
};

// fn returns false to stop. The order is (ts, rowid), as CaseStore::forEachEvent.
Status scanEvents(CaseStore& store, const std::function<bool(const EventView&)>& fn);

} // namespace chainsight::store
