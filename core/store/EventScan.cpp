#include "core/store/EventScan.h"

#include "core/store/CaseStore.h"
#include "core/store/Database.h"
#include "core/store/Rows.h"

#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

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

Status scanDatabase(Database& db, const std::function<bool(const EventView&)>& fn)
{
    // Plain reads, not memory-mapped: measured on a 1M-event case (8 KiB pages, rows spilling onto overflow
    // pages), a table scan took 0.46 s read and 0.75 s mapped.
    (void)db.exec("PRAGMA mmap_size = 0");
    auto ordered = rowsInTimeOrder(db);
    if (!ordered) return ordered.error();
    auto st = db.prepare("SELECT " + std::string(kCols) + " FROM events " +
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

// A batch of copied rows: the strings of every row back to back in one buffer.
struct Batch
{
    struct Row
    {
        int64_t rowid = 0, bundle = 0, tsNs = 0;
        EventType type = EventType::Prompt;
        uint32_t off[8] = {}, len[8] = {}; // id, agent, session, identity, parent, callId, tool, json
    };
    std::string bytes;
    std::vector<Row> rows;
    std::vector<std::unique_ptr<EventExtra>> extras; // per row, when there is a prepare step; kept for reuse
    enum class Stage { Raw, Preparing, Ready } stage = Stage::Raw; // under the prefetch's mutex

    void add(const EventView& v)
    {
        Row& r = rows.emplace_back();
        r.rowid = v.rowid;
        r.bundle = v.bundle;
        r.tsNs = v.tsNs;
        r.type = v.type;
        const std::string_view parts[8] = {v.id, v.agent, v.session, v.identity, v.parent, v.callId, v.tool, v.json};
        for (int i = 0; i < 8; ++i) {
            r.off[i] = static_cast<uint32_t>(bytes.size());
            r.len[i] = static_cast<uint32_t>(parts[i].size());
            bytes.append(parts[i]);
        }
    }
    EventView view(size_t i, bool prepared) const
    {
        const Row& r = rows[i];
        EventView v;
        v.rowid = r.rowid;
        v.bundle = r.bundle;
        v.tsNs = r.tsNs;
        v.type = r.type;
        std::string_view* parts[8] = {&v.id, &v.agent, &v.session, &v.identity, &v.parent, &v.callId, &v.tool, &v.json};
        for (int k = 0; k < 8; ++k) *parts[k] = std::string_view(bytes.data() + r.off[k], r.len[k]);
        if (prepared) v.extra = extras[i].get();
        return v;
    }
    void clear()
    {
        bytes.clear();
        rows.clear();
    }
};

constexpr size_t kBatchRows = 2048;
constexpr size_t kBatchBytes = 1 << 20;
constexpr size_t kQueuedBatches = 8; // read ahead at most this many (and one being filled, one being used)
constexpr size_t kReadyLead = 2;      // the reader prepares before reading on while fewer are ready
} // namespace

Status scanEvents(CaseStore& store, const std::function<bool(const EventView&)>& fn)
{
    Database* db = store.database();
    if (!db) return makeError(ErrorCode::Internal, QStringLiteral("the case is not open"));
    return scanDatabase(*db, fn);
}

Status scanDecisions(CaseStore& store, const std::function<void(const DecisionView&)>& fn)
{
    Database* db = store.database();
    if (!db) return makeError(ErrorCode::Internal, QStringLiteral("the case is not open"));
    auto st = db->prepare("SELECT bundle, ts, verdict, agent, session, event FROM decisions");
    if (!st) return st.error();
    DecisionView v;
    return rows::eachRow(*st, [&](const Statement& row) {
        v.bundle = row.int64(0);
        v.tsNs = row.int64(1);
        v.verdict = verdictFromName(row.textView(2));
        v.agent = row.textView(3);
        v.session = row.textView(4);
        v.event = row.textView(5);
        fn(v);
    });
}

struct EventPrefetch::Impl
{
    CaseStore* store = nullptr;
    Prepare prepare;
    const std::atomic<bool>* cancel = nullptr;
    bool ahead = false; // a worker reads on its own connection
    std::thread worker;
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::unique_ptr<Batch>> full, spare;
    bool done = false, stop = false;
    int64_t handedOver = 0; // batches pushed
    Status status;

    Status scanHere(const std::function<bool(const EventView&)>& fn) const
    {
        if (!prepare) return scanEvents(*store, fn);
        std::unique_ptr<EventExtra> slot;
        return scanEvents(*store, [&](const EventView& v) {
            prepare(v, slot);
            EventView prepared = v;
            prepared.extra = slot.get();
            return fn(prepared);
        });
    }

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }

    // A batch prepared in part (cancelled) is never read: forEach checks the flag, which stays set, first.
    void prepareBatch(Batch& b) const
    {
        if (b.extras.size() < b.rows.size()) b.extras.resize(b.rows.size());
        for (size_t i = 0; i < b.rows.size() && !cancelled(); ++i) prepare(b.view(i, false), b.extras[i]);
    }

    // Who prepares a batch: the reader, oldest first, while it keeps a lead of prepared batches (or cannot
    // read on); it never claims the batch the consumer takes next, and the consumer prepares that one
    // itself when it finds it raw. So when the reader falls behind the consumer takes a share (on the 1M
    // bench about a fifth of the batches), and it seldom waits for a batch the reader has half done.
    size_t readyAhead() const
    {
        size_t n = 0;
        for (const auto& b : full) n += b->stage == Batch::Stage::Ready ? 1 : 0;
        return n;
    }
    bool helpOnce(std::unique_lock<std::mutex>& lock)
    {
        Batch* b = nullptr;
        for (size_t i = 1; i < full.size() && !b; ++i)
            if (full[i]->stage == Batch::Stage::Raw) b = full[i].get();
        if (!b || stop) return false;
        b->stage = Batch::Stage::Preparing;
        lock.unlock();
        prepareBatch(*b); // the consumer may take it meanwhile; it waits for Ready before reading it
        lock.lock();
        b->stage = Batch::Stage::Ready;
        changed.notify_all();
        return true;
    }

    void run(std::unique_ptr<Database> db)
    {
        std::unique_ptr<Batch> batch = std::make_unique<Batch>();
        auto push = [&]() -> bool {
            std::unique_lock lock(mutex);
            while (!stop && full.size() >= kQueuedBatches)
                if (!helpOnce(lock)) changed.wait(lock, [&] { return stop || full.size() < kQueuedBatches; });
            if (stop) return false;
            // The batch is complete, so its views are final.
            batch->stage = prepare ? Batch::Stage::Raw : Batch::Stage::Ready;
            full.push_back(std::move(batch));
            ++handedOver;
            if (!spare.empty()) {
                batch = std::move(spare.front());
                spare.pop_front();
            } else {
                batch = std::make_unique<Batch>();
            }
            changed.notify_all();
            while (!stop && readyAhead() < kReadyLead && helpOnce(lock)) {
            }
            lock.unlock();
            batch->clear(); // a used batch: its extras stay, for the next rows to reuse
            return true;
        };
        Status s = scanDatabase(*db, [&](const EventView& v) {
            if (cancelled()) return false;
            batch->add(v);
            return batch->rows.size() < kBatchRows && batch->bytes.size() < kBatchBytes ? true : push();
        });
        if (s && !batch->rows.empty()) push();
        db.reset();
        std::unique_lock lock(mutex);
        while (helpOnce(lock)) {
        }
        status = s;
        done = true;
        changed.notify_all();
    }
};

EventPrefetch::EventPrefetch(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}

std::unique_ptr<EventPrefetch> EventPrefetch::start(CaseStore& store, Prepare prepare, const std::atomic<bool>* cancel)
{
    auto d = std::make_unique<Impl>();
    d->store = &store;
    d->prepare = std::move(prepare);
    d->cancel = cancel;
    Database* db = store.database();
    const QString path = store.path();
    // An uncommitted transaction on the store's connection holds rows a second connection would not see.
    if (db && sqlite3_get_autocommit(db->handle()) && !path.isEmpty() && !path.startsWith(QLatin1Char(':')) &&
        !path.startsWith(QLatin1String("file:"))) {
        auto second = Database::open(path, Database::Access::ReadOnly, false);
        if (second) {
            d->ahead = true;
            d->worker = std::thread([impl = d.get(), conn = std::move(*second)]() mutable { impl->run(std::move(conn)); });
        }
    }
    return std::unique_ptr<EventPrefetch>(new EventPrefetch(std::move(d)));
}

EventPrefetch::~EventPrefetch()
{
    if (!d->ahead) return;
    {
        std::lock_guard lock(d->mutex);
        d->stop = true;
        d->changed.notify_all();
    }
    d->worker.join();
}

Status EventPrefetch::forEach(const std::function<bool(const EventView&)>& fn)
{
    if (!d->ahead) return d->scanHere(fn);
    std::unique_ptr<Batch> batch;
    for (;;) {
        {
            std::unique_lock lock(d->mutex);
            if (batch) d->spare.push_back(std::move(batch));
            d->changed.wait(lock, [&] { return !d->full.empty() || d->done; });
            if (d->full.empty()) {
                // Done, and everything read was handed over. A second connection that failed before
                // reading anything (a case on read-only media, say) leaves the work to the store's own.
                if (!d->status && d->handedOver == 0) {
                    lock.unlock();
                    return d->scanHere(fn);
                }
                return d->status;
            }
            batch = std::move(d->full.front());
            d->full.pop_front();
            d->changed.notify_all();
            if (batch->stage == Batch::Stage::Raw) {
                batch->stage = Batch::Stage::Preparing;
                lock.unlock();
                d->prepareBatch(*batch);
            } else {
                d->changed.wait(lock, [&] { return batch->stage == Batch::Stage::Ready; });
            }
        }
        if (d->cancelled()) return {}; // the batch may be prepared in part
        for (size_t i = 0; i < batch->rows.size(); ++i)
            if (!fn(batch->view(i, static_cast<bool>(d->prepare)))) return {};
    }
}

} // namespace chainsight::store
