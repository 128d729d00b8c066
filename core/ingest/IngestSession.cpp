#include "core/ingest/IngestSession.h"

#include "core/store/CaseStore.h"
#include "core/store/Database.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

namespace chainsight::ingest {

namespace {
constexpr size_t kChunkBytes = 1 << 20;   // evidence is kept in 1 MiB chunks
constexpr size_t kBatchOps = 2048;        // ops handed to the writer at once
constexpr size_t kBatchBytes = 4 << 20;
constexpr size_t kMaxQueuedBatches = 8;   // bounds memory whatever the bundle size

struct OpBeginFile
{
    int handle;
    std::string path, role;
};
struct OpChunk
{
    int handle;
    std::string data;
};
struct OpEndFile
{
    int handle;
    std::string sha256;
    int64_t bytes;
};
struct OpBlobFile
{
    std::string path, sha256, data;
};
struct OpEvent
{
    Event e;
    int handle;
};
struct OpReviseDecision
{
    int64_t ordinal;
    std::string failure;
};
struct OpBuildIndexes
{
};
using Op = std::variant<OpBeginFile, OpChunk, OpEndFile, OpBlobFile, OpEvent, AgentBaseline, Decision, OpReviseDecision,
                        OpBuildIndexes, KeyRecord>;
} // namespace

struct IngestSession::Impl
{
    store::CaseStore& store;
    std::unique_ptr<store::Transaction> tx;
    int64_t bundleRow = 0;
    bool rebuildIndexes = false;
    bool indexesBuilt = false; // by the writer, once the bulk of the events is in (buildIndexes)

    // Producer-side state.
    std::vector<Op> batch;
    size_t batchBytes = 0;
    int nextHandle = 1;
    std::vector<std::string> pendingChunk; // per handle: bytes not yet a full chunk
    std::vector<int64_t> chunkSeq;

    int64_t decisionsAdded = 0; // producer side

    // Writer-side state.
    int64_t firstDecisionRow = 0, decisionsWritten = 0;
    std::vector<int64_t> fileIds; // handle -> evidence_files.id
    std::vector<std::string> filePaths, fileRoles;

    std::mutex mutex;
    std::condition_variable cv;
    std::deque<std::vector<Op>> queue;
    std::vector<std::vector<Op>> spare; // emptied batches, kept for reuse
    bool closing = false;
    bool writerDone = false;
    std::optional<Error> error;
    std::thread writer;

    explicit Impl(store::CaseStore& s) : store(s) {}

    Status apply(Op& op, std::atomic<int64_t>& events)
    {
        return std::visit(
            [&](auto& o) -> Status {
                using T = std::decay_t<decltype(o)>;
                if constexpr (std::is_same_v<T, OpBeginFile>) {
                    if (fileIds.size() <= static_cast<size_t>(o.handle)) {
                        fileIds.resize(o.handle + 1, 0);
                        filePaths.resize(o.handle + 1);
                        fileRoles.resize(o.handle + 1);
                    }
                    // The row is written at OpEndFile once the hash is known; chunks need its id now.
                    EvidenceFile f{0, bundleRow, o.path, std::string(64, '0'), 0, o.role};
                    auto id = store.insertEvidenceFile(f);
                    if (!id) return id.error();
                    fileIds[o.handle] = *id;
                    filePaths[o.handle] = o.path;
                    fileRoles[o.handle] = o.role;
                    return {};
                } else if constexpr (std::is_same_v<T, OpChunk>) {
                    // seq is implicit in arrival order
                    return store.appendEvidenceChunk(fileIds[o.handle], nextChunkSeq(o.handle), o.data);
                } else if constexpr (std::is_same_v<T, OpEndFile>) {
                    return updateFileHash(fileIds[o.handle], o.sha256, o.bytes);
                } else if constexpr (std::is_same_v<T, OpBlobFile>) {
                    CS_TRY(store.insertBlob(o.sha256, o.data));
                    EvidenceFile f{0, bundleRow, o.path, o.sha256, static_cast<int64_t>(o.data.size()), "blob"};
                    auto id = store.insertEvidenceFile(f);
                    if (!id) return id.error();
                    return {};
                } else if constexpr (std::is_same_v<T, OpEvent>) {
                    o.e.bundle = bundleRow;
                    const int64_t fid = (o.handle > 0 && static_cast<size_t>(o.handle) < fileIds.size()) ? fileIds[o.handle] : 0;
                    Status s = store.insertEvent(o.e, fid);
                    if (!s) {
                        Error e = s.error();
                        if (e.file.isEmpty() && o.handle > 0) e.file = QString::fromStdString(filePaths[o.handle]);
                        return e;
                    }
                    ++events;
                    return {};
                } else if constexpr (std::is_same_v<T, AgentBaseline>) {
                    return store.insertBaseline(bundleRow, o);
                } else if constexpr (std::is_same_v<T, Decision>) {
                    auto rowid = store.insertDecision(bundleRow, o);
                    if (!rowid) return rowid.error();
                    // One transaction, one writer: the session's decisions take consecutive rows, so an ordinal
                    // finds its row without a map that would grow with the log.
                    if (decisionsWritten == 0) firstDecisionRow = *rowid;
                    else if (*rowid != firstDecisionRow + decisionsWritten)
                        return makeError(ErrorCode::Internal, QStringLiteral("decision rows are not consecutive"));
                    ++decisionsWritten;
                    return {};
                } else if constexpr (std::is_same_v<T, OpBuildIndexes>) {
                    if (!rebuildIndexes || indexesBuilt) return {};
                    indexesBuilt = true;
                    return store.createEventIndexes();
                } else if constexpr (std::is_same_v<T, OpReviseDecision>) {
                    if (o.ordinal < 0 || o.ordinal >= decisionsWritten)
                        return makeError(ErrorCode::Internal, QStringLiteral("no decision %1 to revise").arg(o.ordinal));
                    return store.markDecisionInvalid(firstDecisionRow + o.ordinal, o.failure);
                } else {
                    return store.insertBundleKey(bundleRow, o);
                }
            },
            op);
    }

    std::vector<int64_t> writerChunkSeq;
    int64_t nextChunkSeq(int handle)
    {
        if (writerChunkSeq.size() <= static_cast<size_t>(handle)) writerChunkSeq.resize(handle + 1, 0);
        return writerChunkSeq[handle]++;
    }

    Status updateFileHash(int64_t fileId, const std::string& sha, int64_t bytes);
    // Adds an op to the batch, handing the batch to the writer when it is full or `now`.
    void enqueue(Op op, size_t bytes, bool now = false);
};

IngestSession::IngestSession(store::CaseStore& store) : d(std::make_unique<Impl>(store)) {}

IngestSession::~IngestSession() { abort(); }

Status IngestSession::begin(const BundleRecord& bundle, int64_t expectedEvents)
{
    auto tx = d->store.begin();
    if (!tx) return tx.error();
    d->tx = std::move(*tx);
    if (expectedEvents > 50000) {
        auto existing = d->store.eventCount();
        if (!existing) return existing.error();
        if (expectedEvents > *existing) {
            CS_TRY(d->store.dropEventIndexes()); // rolled back with the transaction if the import fails
            d->rebuildIndexes = true;
        }
    }
    auto row = d->store.insertBundle(bundle);
    if (!row) {
        d->tx.reset();
        return row.error();
    }
    d->bundleRow = *row;
    d->writer = std::thread([this] {
        for (;;) {
            std::vector<Op> ops;
            {
                std::unique_lock lock(d->mutex);
                d->cv.wait(lock, [&] { return !d->queue.empty() || d->closing; });
                if (d->queue.empty()) break;
                ops = std::move(d->queue.front());
                d->queue.pop_front();
                d->cv.notify_all();
            }
            if (!m_failed.load()) {
                for (auto& op : ops) {
                    Status s = d->apply(op, m_events);
                    if (!s) {
                        std::lock_guard lock(d->mutex);
                        d->error = s.error();
                        m_failed = true;
                        break;
                    }
                }
            }
            // Hand the vector back for reuse: fresh megabyte-sized batches cost page faults.
            ops.clear();
            std::lock_guard lock(d->mutex);
            if (d->spare.size() < kMaxQueuedBatches) d->spare.push_back(std::move(ops));
        }
        std::lock_guard lock(d->mutex);
        d->writerDone = true;
        d->cv.notify_all();
    });
    return {};
}

void IngestSession::Impl::enqueue(Op op, size_t bytes, bool now)
{
    Impl* d = this;
    d->batch.push_back(std::move(op));
    d->batchBytes += bytes;
    if (now || d->batch.size() >= kBatchOps || d->batchBytes >= kBatchBytes) {
        std::unique_lock lock(d->mutex);
        d->cv.wait(lock, [&] { return d->queue.size() < kMaxQueuedBatches || d->writerDone; });
        d->queue.push_back(std::move(d->batch));
        d->batch = {};
        if (!d->spare.empty()) {
            d->batch = std::move(d->spare.back());
            d->spare.pop_back();
        } else {
            d->batch.reserve(kBatchOps);
        }
        d->batchBytes = 0;
        d->cv.notify_all();
    }
}

int IngestSession::beginFile(const std::string& path, const std::string& role)
{
    const int h = d->nextHandle++;
    if (d->pendingChunk.size() <= static_cast<size_t>(h)) d->pendingChunk.resize(h + 1);
    d->enqueue(OpBeginFile{h, path, role}, path.size());
    return h;
}

void IngestSession::fileBytes(int handle, std::string_view bytes)
{
    std::string& pending = d->pendingChunk[handle];
    while (!bytes.empty()) {
        const size_t take = std::min(bytes.size(), kChunkBytes - pending.size());
        pending.append(bytes.data(), take);
        bytes.remove_prefix(take);
        if (pending.size() == kChunkBytes) {
            d->enqueue(OpChunk{handle, std::move(pending)}, kChunkBytes);
            pending = std::string();
            pending.reserve(kChunkBytes);
        }
    }
}

void IngestSession::endFile(int handle, const std::string& sha256, int64_t bytes)
{
    std::string& pending = d->pendingChunk[handle];
    if (!pending.empty() || bytes == 0) {
        const size_t n = pending.size();
        d->enqueue(OpChunk{handle, std::move(pending)}, n);
        pending = std::string();
    }
    d->enqueue(OpEndFile{handle, sha256, bytes}, 64);
}

void IngestSession::addBlobFile(const std::string& path, const std::string& sha256, std::string data)
{
    const size_t n = data.size();
    d->enqueue(OpBlobFile{path, sha256, std::move(data)}, n);
}

void IngestSession::addEvent(Event e, int fileHandle)
{
    const size_t n = e.json.size() + e.text.size() + e.summary.size() + 128;
    d->enqueue(OpEvent{std::move(e), fileHandle}, n);
}

void IngestSession::addBaseline(AgentBaseline b) { d->enqueue(std::move(b), 256); }
int64_t IngestSession::addDecision(Decision dec)
{
    const size_t n = dec.payloadJson.size() + 256;
    d->enqueue(std::move(dec), n);
    return d->decisionsAdded++;
}

void IngestSession::buildIndexes() { d->enqueue(OpBuildIndexes{}, 0, true); }

void IngestSession::reviseDecision(int64_t ordinal, std::string failure)
{
    const size_t n = failure.size() + 64;
    d->enqueue(OpReviseDecision{ordinal, std::move(failure)}, n);
}
void IngestSession::addBundleKey(KeyRecord k) { d->enqueue(std::move(k), 256); }

Result<int64_t> IngestSession::finish(const custody::Actor& actor, const std::string& action, const std::string& target,
                                      const json::Value& detail)
{
    if (!d->tx) return makeError(ErrorCode::Internal, QStringLiteral("import was not started"));
    {
        std::unique_lock lock(d->mutex);
        if (!d->batch.empty()) d->queue.push_back(std::move(d->batch));
        d->batch = {};
        d->closing = true;
        d->cv.notify_all();
    }
    d->writer.join();
    if (d->error) {
        Error e = *d->error;
        d->tx.reset(); // rollback
        return e;
    }
    if (d->rebuildIndexes && !d->indexesBuilt) {
        if (Status s = d->store.createEventIndexes(); !s) {
            d->tx.reset();
            return s.error();
        }
    }
    auto entry = custody::append(d->store, actor, action, target, detail);
    if (!entry) {
        d->tx.reset();
        return entry.error();
    }
    Status s = d->store.commit(d->tx);
    if (!s) return s.error();
    return d->bundleRow;
}

void IngestSession::abort()
{
    if (d->writer.joinable()) {
        {
            std::lock_guard lock(d->mutex);
            m_failed = true;
            d->queue.clear();
            d->closing = true;
            d->cv.notify_all();
        }
        d->writer.join();
    }
    d->tx.reset();
}

Error IngestSession::writerError()
{
    std::optional<Error> e;
    {
        std::lock_guard lock(d->mutex);
        e = d->error;
    }
    abort();
    return e ? *e : makeError(ErrorCode::Internal, QStringLiteral("the import writer stopped"));
}

Status IngestSession::Impl::updateFileHash(int64_t fileId, const std::string& sha, int64_t bytes)
{
    return store.updateEvidenceFile(fileId, sha, bytes);
}

} // namespace chainsight::ingest
