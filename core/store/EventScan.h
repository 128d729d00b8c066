// A narrow, allocation-free pass over every event of a case in time order, for whole-case analysis: the
// columns an analysis needs, as views into SQLite's row buffers (valid during the callback only). When the
// rows were stored in time order (the usual case: one import of a time-sorted bundle) they are read in
// table order, sequentially; otherwise through the time index.
#pragma once

#include "core/Result.h"
#include "core/model/Event.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string_view>

namespace chainsight::store {

class CaseStore;

// What a reader prepared from one event ahead of its use (see EventPrefetch).
struct EventExtra
{
    virtual ~EventExtra() = default;
};

struct EventView
{
    int64_t rowid = 0, bundle = 0, tsNs = 0;
    EventType type = EventType::Prompt;
    std::string_view id, agent, session, identity, parent, callId, tool, json;
    const EventExtra* extra = nullptr; // EventPrefetch's prepare step, if any; its views point into json
};

// fn returns false to stop. The order is (ts, rowid), as CaseStore::forEachEvent.
Status scanEvents(CaseStore& store, const std::function<bool(const EventView&)>& fn);

// The decision log, as narrowly: the columns an analysis needs, in table order (not by seq).
struct DecisionView
{
    int64_t bundle = 0, tsNs = 0;
    Verdict verdict = Verdict::Unknown;
    std::string_view agent, session, event;
};
Status scanDecisions(CaseStore& store, const std::function<void(const DecisionView&)>& fn);

// The same pass, read ahead: a worker thread steps SQLite on a second, read-only connection and copies the
// rows into batches, while the calling thread runs fn over the batches before. Starting it before other
// work (loading the decision log) overlaps that work with the first reads. prepare, if given, is the work
// that needs one event alone (parsing, text scans): it runs once per row, on whichever thread reaches the
// row's batch first (the reader while it is ahead, the caller when it catches up), so it must touch
// nothing either thread uses. It fills the row's slot, which reaches fn as EventView::extra: a null slot
// to create, or one an earlier row left, to reuse (so the scan does not allocate and free per row). When
// no second connection can serve (an in-memory case, the store inside an uncommitted transaction the other
// connection would not see, or one that fails before its first row) forEach scans and prepares on the
// calling thread, in the same order.
class EventPrefetch
{
public:
    using Prepare = std::function<void(const EventView&, std::unique_ptr<EventExtra>& slot)>;
    // cancel, if given, stops the reading and preparing as soon as it is set (between two rows); forEach then
    // returns without handing over what it had not prepared, and the caller sees the flag.
    static std::unique_ptr<EventPrefetch> start(CaseStore& store, Prepare prepare = {}, const std::atomic<bool>* cancel = nullptr);
    ~EventPrefetch(); // stops the worker and waits for it
    EventPrefetch(const EventPrefetch&) = delete;
    EventPrefetch& operator=(const EventPrefetch&) = delete;

    // Once. fn returns false to stop; the views are valid during the call only.
    Status forEach(const std::function<bool(const EventView&)>& fn);

    struct Impl;

private:
    explicit EventPrefetch(std::unique_ptr<Impl> d);
    std::unique_ptr<Impl> d;
};

} // namespace chainsight::store
