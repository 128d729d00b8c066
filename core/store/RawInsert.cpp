#include "core/store/RawInsert.h"

#include "core/store/Database.h"
#include "core/store/Schema.h"

namespace chainsight::store {

struct RawInserter::Impl
{
    std::unique_ptr<Database> db;
    Statement insert;
    Statement fts;
    bool sameTables = false;
};

RawInserter::RawInserter() : d(std::make_unique<Impl>()) {}
RawInserter::~RawInserter() = default;

Result<std::unique_ptr<RawInserter>> RawInserter::create(const QString& path, Baseline baseline)
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
    if (baseline == Baseline::SameTables) {
        r->d->sameTables = true;
        CS_TRY(r->d->db->exec("CREATE UNIQUE INDEX events_eid ON events(bundle, eid);"
                              "CREATE VIRTUAL TABLE events_fts USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2');"));
        auto f = r->d->db->prepare("INSERT INTO events_fts(rowid, text) VALUES(?, ?)");
        if (!f) return f.error();
        r->d->fts = std::move(*f);
    }
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
        if (d->sameTables) {
            d->fts.bind(1, d->db->lastInsertId()).bindStatic(2, e.text);
            CS_TRY(d->fts.exec());
        }
    }
    return {};
}

Status RawInserter::commit()
{
    if (d->sameTables) CS_TRY(d->db->exec(std::string(eventIndexesSql())));
    return d->db->exec("COMMIT");
}

} // namespace chainsight::store
