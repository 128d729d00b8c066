#include "core/store/EventScan.h"

#include "core/store/CaseStore.h"
#include "core/store/Database.h"

namespace chainsight::store {

namespace {
constexpr std::string_view kCols = "id, bundle, eid, ts, type, agent, session, identity, parent, call_id, tool, json";

void fill(const Statement& st, EventView& v)
{
    v.rowid = st.int64(0);
    v.bundle = st.int64(1);
    v.id = st.textView(2);
    v.tsNs = st.int64(3);
    v.type = static_cast<EventType>(st.int64(4));
    v.agent = st.textView(5);
    v.session = st.textView(6);
    v.identity = st.textView(7);
    v.parent = st.textView(8);
    v.callId = st.textView(9);
    v.tool = st.textView(10);
    v.json = st.textView(11);
}

// Are the rows in time order already? One pass over the time index, which holds (ts, rowid).
Result<bool> rowsInTimeOrder(Database& db)
{
    auto st = db.prepare("SELECT id FROM events INDEXED BY events_ts ORDER BY ts, id");
    if (!st) return st.error();
    int64_t last = INT64_MIN;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) return true;
        const int64_t id = st->int64(0);
        if (id < last) return false;
        last = id;
    }
}
} // namespace

Status scanEvents(CaseStore& store, const std::function<bool(const EventView&)>& fn)
{
    Database* db = store.database();
    if (!db) return makeError(ErrorCode::Internal, QStringLiteral("the case is not open"));
    // Memory-mapped reads: the scan touches every page once, copying them into the page cache buys nothing.
    (void)db->exec("PRAGMA mmap_size = 4294967296");
    auto ordered = rowsInTimeOrder(*db);
    if (!ordered) return ordered.error();
    auto st = db->prepare("SELECT " + std::string(kCols) + " FROM events " +
                          (*ordered ? std::string("ORDER BY id") : std::string("INDEXED BY events_ts ORDER BY ts, id")));
    if (!st) return st.error();
    EventView v;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        fill(*st, v);
        if (!fn(v)) break;
    }
    return {};
}

} // namespace chainsight::store
