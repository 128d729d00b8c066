#include "core/store/RawInsert.h"

#include "core/store/Database.h"

namespace chainsight::store {

struct RawInserter::Impl
{
    std::unique_ptr<Database> db;
    Statement insert;
};

RawInserter::RawInserter() : d(std::make_unique<Impl>()) {}
RawInserter::~RawInserter() = default;

Result<std::unique_ptr<RawInserter>> RawInserter::create(const QString& path)
{
    std::unique_ptr<RawInserter> r(new RawInserter);
    auto db = Database::open(path, Database::Access::ReadWrite, true);
    if (!db) return db.error();
    r->d->db = std::move(*db);
    CS_TRY(r->d->db->exec("PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -131072;"
                          "CREATE TABLE events(id INTEGER PRIMARY KEY, bundle INTEGER NOT NULL, eid TEXT NOT NULL, ts INTEGER NOT NULL, "
                          "type INTEGER NOT NULL, agent TEXT NOT NULL, session TEXT NOT NULL, identity TEXT, parent TEXT, call_id TEXT, "
                          "tool TEXT, trace_id TEXT, span_id TEXT, summary TEXT NOT NULL, json TEXT NOT NULL, file INTEGER, line INTEGER);"
                          "BEGIN"));
    auto st = r->d->db->prepare("INSERT INTO events(bundle, eid, ts, type, agent, session, identity, parent, call_id, tool, "
                                "trace_id, span_id, summary, json, file, line) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st) return st.error();
    r->d->insert = std::move(*st);
    return r;
}

Status RawInserter::insert(const std::vector<Event>& rows)
{
    Statement& st = d->insert;
    for (const Event& e : rows) {
        st.bind(1, int64_t(1)).bindStatic(2, e.id).bind(3, e.tsNs).bind(4, static_cast<int64_t>(e.type)).bindStatic(5, e.agent).bindStatic(6, e.session);
        st.bindStaticOptional(7, e.identity).bindStaticOptional(8, e.parent).bindStaticOptional(9, e.callId).bindStaticOptional(10, e.tool);
        st.bindStaticOptional(11, e.traceId).bindStaticOptional(12, e.spanId).bindStatic(13, e.summary).bindStatic(14, e.json).bind(15, int64_t(1)).bind(16, e.line);
        CS_TRY(st.exec());
    }
    return {};
}

Status RawInserter::commit() { return d->db->exec("COMMIT"); }

} // namespace chainsight::store
