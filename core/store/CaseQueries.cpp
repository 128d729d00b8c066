// The workbench's read queries (see CaseQueries.h). SQL for the table, facets and details; one scan of the
// events table builds the in-memory CaseIndex that timeline and graph work from.
#include "core/store/CaseQueries.h"

#include "core/crypto/Crypto.h"
#include "core/store/CaseStore.h"
#include "core/store/Database.h"
#include "core/store/Rows.h"

#include <QRegularExpression>

#include <algorithm>
#include <functional>
#include <numeric>
#include <unordered_map>
#include <variant>

namespace chainsight::store {

namespace {

using Bind = std::variant<int64_t, std::string>;

constexpr std::string_view kRowCols =
    "e.id, e.ts, e.type, e.agent, e.session, e.identity, e.tool, e.summary, e.eid, "
    "(SELECT d.verdict FROM decisions d WHERE d.bundle = e.bundle AND d.event = e.eid ORDER BY "
    "CASE d.verdict WHEN 'BLOCK' THEN 0 WHEN 'CONSTRAIN' THEN 1 WHEN 'LOG' THEN 2 WHEN 'ALLOW' THEN 3 ELSE 4 END LIMIT 1)";

EventRow readRow(const Statement& st)
{
    EventRow r;
    r.rowid = st.int64(0);
    r.tsNs = st.int64(1);
    r.type = static_cast<EventType>(st.int64(2));
    r.agent = st.text(3);
    r.session = st.text(4);
    r.identity = st.text(5);
    r.tool = st.text(6);
    r.summary = st.text(7);
    r.eid = st.text(8);
    r.verdict = st.isNull(9) ? Verdict::Unknown : verdictFromName(st.textView(9));
    return r;
}

void bindAll(Statement& st, const std::vector<Bind>& binds)
{
    int i = 1;
    for (const Bind& b : binds) {
        if (std::holds_alternative<int64_t>(b)) st.bind(i++, std::get<int64_t>(b));
        else st.bind(i++, std::string_view(std::get<std::string>(b)));
    }
}

// " AND col IN (?,?,...)"
void addIn(std::string& sql, std::vector<Bind>& binds, std::string_view col, const std::vector<std::string>& values)
{
    if (values.empty()) return;
    sql += " AND ";
    sql += col;
    sql += " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
        sql += i ? ",?" : "?";
        binds.emplace_back(values[i]);
    }
    sql += ')';
}

// The WHERE clause of a filter (always starts with "WHERE 1").
std::string whereOf(const EventFilter& f, std::vector<Bind>& binds)
{
    std::string sql = " WHERE 1";
    if (!f.types.empty()) {
        sql += " AND e.type IN (";
        for (size_t i = 0; i < f.types.size(); ++i) {
            sql += i ? ",?" : "?";
            binds.emplace_back(static_cast<int64_t>(f.types[i]));
        }
        sql += ')';
    }
    addIn(sql, binds, "e.agent", f.agents);
    addIn(sql, binds, "e.session", f.sessions);
    addIn(sql, binds, "e.identity", f.identities);
    if (f.fromNs) {
        sql += " AND e.ts >= ?";
        binds.emplace_back(*f.fromNs);
    }
    if (f.toNs) {
        sql += " AND e.ts <= ?";
        binds.emplace_back(*f.toNs);
    }
    const std::string q = ftsQuery(f.search);
    if (!q.empty()) {
        sql += " AND e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)";
        binds.emplace_back(q);
    }
    return sql;
}

std::string orderOf(const EventSort& s)
{
    const char* dir = s.descending ? " DESC" : "";
    std::string col;
    switch (s.key) {
    case SortKey::Time:
        break;
    case SortKey::Type:
        col = "e.type";
        break;
    case SortKey::Agent:
        col = "e.agent";
        break;
    case SortKey::Session:
        col = "e.session";
        break;
    case SortKey::Identity:
        col = "e.identity";
        break;
    case SortKey::Summary:
        col = "e.summary";
        break;
    case SortKey::EventId:
        col = "e.eid";
        break;
    case SortKey::Decision:
        col = "(SELECT min(CASE d.verdict WHEN 'BLOCK' THEN 0 WHEN 'CONSTRAIN' THEN 1 WHEN 'LOG' THEN 2 WHEN 'ALLOW' THEN 3 "
              "ELSE 4 END) FROM decisions d WHERE d.bundle = e.bundle AND d.event = e.eid)";
        break;
    }
    std::string out = " ORDER BY ";
    if (!col.empty()) out += col + dir + ", ";
    out += std::string("e.ts") + dir + ", e.id" + dir;
    return out;
}

int verdictRank(Verdict v) // higher is stronger
{
    switch (v) {
    case Verdict::Block:
        return 4;
    case Verdict::Constrain:
        return 3;
    case Verdict::Log:
        return 2;
    case Verdict::Allow:
        return 1;
    default:
        return 0;
    }
}

uint64_t keyHash(int64_t bundle, std::string_view s)
{
    uint64_t h = std::hash<std::string_view>{}(s);
    return h ^ (static_cast<uint64_t>(bundle) * 0x9E3779B97F4A7C15ULL);
}

struct SvHash
{
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Interns strings into a dense id table (lookups by string_view allocate nothing).
struct Interner
{
    std::unordered_map<std::string, uint32_t, SvHash, std::equal_to<>> ids;
    std::vector<std::string>* names;
    uint32_t last = UINT32_MAX;
    explicit Interner(std::vector<std::string>* n) : names(n) { ids.reserve(1024); }
    uint32_t operator()(std::string_view s)
    {
        if (last != UINT32_MAX && (*names)[last] == s) return last;
        auto it = ids.find(s);
        if (it != ids.end()) return last = it->second;
        uint32_t id = static_cast<uint32_t>(names->size());
        names->emplace_back(s);
        ids.emplace(std::string(s), id);
        return last = id;
    }
};

std::string displayJson(const json::Value& v)
{
    return v.isString() ? v.asString() : (v.isNull() ? std::string() : v.dump());
}

} // namespace

std::string ftsQuery(const QString& text)
{
    std::string out;
    const QStringList words = text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    for (QString w : words) {
        bool prefix = false;
        while (w.endsWith(QLatin1Char('*'))) {
            w.chop(1);
            prefix = true;
        }
        w.remove(QChar(0));
        // Only words with something the tokenizer keeps (letters or digits) can match anything.
        bool hasToken = false;
        for (QChar c : std::as_const(w))
            if (c.isLetterOrNumber()) {
                hasToken = true;
                break;
            }
        if (!hasToken) continue;
        const std::string u = w.toStdString();
        if (!out.empty()) out += ' ';
        out += '"';
        for (char c : u) {
            if (c == '"') out += '"';
            out += c;
        }
        out += '"';
        if (prefix) out += '*';
    }
    return out;
}

int CaseIndex::indexOf(int64_t rowid) const
{
    auto it = std::lower_bound(rowids.begin(), rowids.end(), rowid);
    if (it == rowids.end() || *it != rowid) return -1;
    return static_cast<int>(it - rowids.begin());
}

uint32_t CaseIndex::agentId(const std::string& name) const
{
    for (size_t i = 0; i < agentNames.size(); ++i)
        if (agentNames[i] == name) return static_cast<uint32_t>(i);
    return UINT32_MAX;
}

CaseIndex::Histogram CaseIndex::histogram(int64_t fromNs, int64_t toNs, int bins) const
{
    Histogram h;
    h.bins = std::max(1, bins);
    h.fromNs = fromNs;
    h.toNs = std::max(toNs, fromNs + 1);
    h.binNs = std::max<int64_t>(1, (h.toNs - h.fromNs + h.bins - 1) / h.bins);
    h.counts.assign(agentNames.size() * kEventTypeCount * h.bins, 0);
    h.tokensIn.assign(h.bins, 0);
    h.tokensOut.assign(h.bins, 0);
    auto lo = std::lower_bound(byTime.begin(), byTime.end(), h.fromNs, [&](uint32_t i, int64_t t) { return ts[i] < t; });
    for (auto it = lo; it != byTime.end(); ++it) {
        const uint32_t i = *it;
        if (ts[i] >= h.toNs) break;
        const int bin = static_cast<int>((ts[i] - h.fromNs) / h.binNs);
        ++h.counts[(size_t(agents[i]) * kEventTypeCount + types[i]) * h.bins + std::min(bin, h.bins - 1)];
    }
    auto tlo = std::lower_bound(tokens.begin(), tokens.end(), h.fromNs, [&](const Tokens& t, int64_t v) { return ts[t.index] < v; });
    for (auto it = tlo; it != tokens.end() && ts[it->index] < h.toNs; ++it) {
        const int bin = std::min(h.bins - 1, static_cast<int>((ts[it->index] - h.fromNs) / h.binNs));
        h.tokensIn[bin] += it->in;
        h.tokensOut[bin] += it->out;
    }
    return h;
}

int CaseIndex::firstIn(int64_t fromNs, int64_t toNs, uint32_t agent, int type) const
{
    auto lo = std::lower_bound(byTime.begin(), byTime.end(), fromNs, [&](uint32_t i, int64_t t) { return ts[i] < t; });
    for (auto it = lo; it != byTime.end() && ts[*it] < toNs; ++it) {
        if (agent != UINT32_MAX && agents[*it] != agent) continue;
        if (type >= 0 && types[*it] != type) continue;
        return static_cast<int>(*it);
    }
    return -1;
}

struct CaseQueries::Impl
{
    std::unique_ptr<CaseStore> store;
    Database* db = nullptr;

    template <class Fn>
    Status each(std::string_view sql, const std::vector<Bind>& binds, Fn&& fn)
    {
        auto st = db->prepare(sql);
        if (!st) return st.error();
        bindAll(*st, binds);
        return rows::eachRow(*st, fn);
    }
};

CaseQueries::CaseQueries() : d(std::make_unique<Impl>()) {}
CaseQueries::~CaseQueries() = default;

Result<std::unique_ptr<CaseQueries>> CaseQueries::open(const QString& casePath)
{
    OpenOptions o;
    o.mode = OpenOptions::Mode::ReadOnly;
    auto store = CaseStore::open(casePath, o);
    if (!store) return store.error();
    std::unique_ptr<CaseQueries> q(new CaseQueries);
    q->d->store = std::move(*store);
    q->d->db = q->d->store->database();
    return q;
}

const QString& CaseQueries::path() const { return d->store->path(); }

void CaseQueries::interrupt() { d->db->interrupt(); }

Result<std::vector<int64_t>> CaseQueries::orderedIds(const EventFilter& filter, const EventSort& sort, const CaseIndex* index)
{
    std::vector<int64_t> out;
    if (!index || sort.key == SortKey::Summary || sort.key == SortKey::EventId) {
        std::vector<Bind> binds;
        const std::string sql = "SELECT e.id FROM events e" + whereOf(filter, binds) + orderOf(sort);
        CS_TRY(d->each(sql, binds, [&](const Statement& st) { out.push_back(st.int64(0)); }));
        return out;
    }

    const CaseIndex& ix = *index;
    const size_t n = ix.size();
    // Text search narrows first: a mark per index position.
    std::vector<uint8_t> textHit;
    if (!ftsQuery(filter.search).empty()) {
        auto hits = search(filter.search);
        if (!hits) return hits.error();
        textHit.assign(n, 0);
        size_t j = 0;
        for (int64_t r : *hits) { // both ascending: merge
            while (j < n && ix.rowids[j] < r) ++j;
            if (j < n && ix.rowids[j] == r) textHit[j] = 1;
        }
    }
    auto allowed = [](const std::vector<std::string>& names, const std::vector<std::string>& wanted, size_t offset) {
        std::vector<uint8_t> ok;
        if (wanted.empty()) return ok;
        ok.assign(names.size(), 0);
        for (size_t i = offset; i < names.size(); ++i)
            if (std::find(wanted.begin(), wanted.end(), names[i]) != wanted.end()) ok[i] = 1;
        return ok;
    };
    const auto agentOk = allowed(ix.agentNames, filter.agents, 0);
    const auto sessionOk = allowed(ix.sessionNames, filter.sessions, 0);
    const auto identityOk = allowed(ix.identityNames, filter.identities, 1);
    uint32_t typeMask = 0;
    for (EventType t : filter.types) typeMask |= 1u << static_cast<int>(t);

    auto lo = ix.byTime.begin();
    auto hi = ix.byTime.end();
    if (filter.fromNs) lo = std::lower_bound(ix.byTime.begin(), ix.byTime.end(), *filter.fromNs, [&](uint32_t i, int64_t t) { return ix.ts[i] < t; });
    if (filter.toNs) hi = std::upper_bound(lo, ix.byTime.end(), *filter.toNs, [&](int64_t t, uint32_t i) { return t < ix.ts[i]; });
    std::vector<uint32_t> sel;
    sel.reserve(static_cast<size_t>(hi - lo));
    for (auto it = lo; it != hi; ++it) {
        const uint32_t i = *it;
        if (typeMask && !(typeMask & (1u << ix.types[i]))) continue;
        if (!agentOk.empty() && !agentOk[ix.agents[i]]) continue;
        if (!sessionOk.empty() && !sessionOk[ix.sessions[i]]) continue;
        if (!identityOk.empty() && !identityOk[ix.identities[i]]) continue;
        if (!textHit.empty() && !textHit[i]) continue;
        sel.push_back(i);
    }

    // sel is in time order; other keys sort stably on top of it.
    auto rankOf = [](const std::vector<std::string>& names) {
        std::vector<uint32_t> order(names.size()), rank(names.size());
        std::iota(order.begin(), order.end(), 0u);
        std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
        for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<uint32_t>(r);
        return rank;
    };
    auto sortBy = [&](const std::vector<uint32_t>& column, const std::vector<uint32_t>& rank) {
        std::stable_sort(sel.begin(), sel.end(), [&](uint32_t a, uint32_t b) { return rank[column[a]] < rank[column[b]]; });
    };
    switch (sort.key) {
    case SortKey::Type:
        std::stable_sort(sel.begin(), sel.end(), [&](uint32_t a, uint32_t b) { return ix.types[a] < ix.types[b]; });
        break;
    case SortKey::Agent:
        sortBy(ix.agents, rankOf(ix.agentNames));
        break;
    case SortKey::Session:
        sortBy(ix.sessions, rankOf(ix.sessionNames));
        break;
    case SortKey::Identity:
        sortBy(ix.identities, rankOf(ix.identityNames)); // "" (none) ranks first, as NULL does in SQL
        break;
    case SortKey::Decision:
        // Strongest first when ascending: what the analyst looks for is BLOCK.
        std::stable_sort(sel.begin(), sel.end(), [&](uint32_t a, uint32_t b) {
            return verdictRank(static_cast<Verdict>(ix.verdicts[a])) > verdictRank(static_cast<Verdict>(ix.verdicts[b]));
        });
        break;
    default:
        break;
    }
    out.reserve(sel.size());
    for (uint32_t i : sel) out.push_back(ix.rowids[i]);
    if (sort.descending) std::reverse(out.begin(), out.end());
    return out;
}

Result<int64_t> CaseQueries::count(const EventFilter& filter)
{
    std::vector<Bind> binds;
    const std::string sql = "SELECT count(*) FROM events e" + whereOf(filter, binds);
    int64_t n = 0;
    CS_TRY(d->each(sql, binds, [&](const Statement& st) { n = st.int64(0); }));
    return n;
}

Result<std::vector<EventRow>> CaseQueries::rows(const std::vector<int64_t>& rowids)
{
    std::unordered_map<int64_t, EventRow> found;
    found.reserve(rowids.size());
    constexpr size_t kChunk = 400;
    for (size_t at = 0; at < rowids.size(); at += kChunk) {
        const size_t end = std::min(rowids.size(), at + kChunk);
        std::string sql = "SELECT " + std::string(kRowCols) + " FROM events e WHERE e.id IN (";
        std::vector<Bind> binds;
        for (size_t i = at; i < end; ++i) {
            sql += i > at ? ",?" : "?";
            binds.emplace_back(rowids[i]);
        }
        sql += ')';
        CS_TRY(d->each(sql, binds, [&](const Statement& st) {
            EventRow r = readRow(st);
            found.emplace(r.rowid, std::move(r));
        }));
    }
    std::vector<EventRow> out;
    out.reserve(rowids.size());
    for (int64_t id : rowids) {
        auto it = found.find(id);
        if (it != found.end()) out.push_back(it->second);
    }
    return out;
}

Result<std::vector<EventRow>> CaseQueries::page(const EventFilter& filter, const EventSort& sort, int64_t offset, int64_t limit)
{
    std::vector<Bind> binds;
    std::string sql = "SELECT " + std::string(kRowCols) + " FROM events e" + whereOf(filter, binds) + orderOf(sort) + " LIMIT ? OFFSET ?";
    binds.emplace_back(limit);
    binds.emplace_back(offset);
    std::vector<EventRow> out;
    CS_TRY(d->each(sql, binds, [&](const Statement& st) { out.push_back(readRow(st)); }));
    return out;
}

Result<std::vector<int64_t>> CaseQueries::search(const QString& text, int64_t limit)
{
    std::vector<int64_t> out;
    const std::string q = ftsQuery(text);
    if (q.empty()) return out;
    std::vector<Bind> binds{q};
    std::string sql = "SELECT rowid FROM events_fts WHERE events_fts MATCH ? ORDER BY rowid";
    if (limit > 0) {
        sql += " LIMIT ?";
        binds.emplace_back(limit);
    }
    CS_TRY(d->each(sql, binds, [&](const Statement& st) { out.push_back(st.int64(0)); }));
    return out;
}

namespace {
std::vector<FacetValue> facetFromIndex(Facet f, const CaseIndex& ix)
{
    std::vector<FacetValue> out;
    auto countIds = [&](const std::vector<uint32_t>& ids, const std::vector<std::string>& names, bool skipNone) {
        std::vector<int64_t> counts(names.size(), 0);
        for (uint32_t id : ids)
            if (id < counts.size()) ++counts[id];
        for (size_t i = skipNone ? 1 : 0; i < names.size(); ++i)
            if (counts[i] > 0) out.push_back({names[i], counts[i]});
        std::sort(out.begin(), out.end(), [](const FacetValue& a, const FacetValue& b) { return a.value < b.value; });
    };
    switch (f) {
    case Facet::Type: {
        std::vector<int64_t> counts(256, 0);
        for (uint8_t t : ix.types)
            ++counts[t];
        for (size_t t = 0; t < counts.size(); ++t)
            if (counts[t] > 0) out.push_back({std::string(eventTypeName(static_cast<EventType>(t))), counts[t]});
        break;
    }
    case Facet::Agent:
        countIds(ix.agents, ix.agentNames, false);
        break;
    case Facet::Session:
        countIds(ix.sessions, ix.sessionNames, false);
        break;
    case Facet::Identity:
        countIds(ix.identities, ix.identityNames, true);
        break;
    }
    return out;
}
} // namespace

Result<std::vector<FacetValue>> CaseQueries::facet(Facet f, const CaseIndex* index)
{
    if (index) return facetFromIndex(f, *index);
    std::string sql;
    switch (f) {
    case Facet::Type:
        sql = "SELECT type, count(*) FROM events GROUP BY type ORDER BY type";
        break;
    case Facet::Agent:
        sql = "SELECT agent, count(*) FROM events GROUP BY agent ORDER BY agent";
        break;
    case Facet::Session:
        sql = "SELECT session, count(*) FROM events GROUP BY session ORDER BY session";
        break;
    case Facet::Identity:
        sql = "SELECT identity, count(*) FROM events WHERE identity IS NOT NULL GROUP BY identity ORDER BY identity";
        break;
    }
    std::vector<FacetValue> out;
    CS_TRY(d->each(sql, {}, [&](const Statement& st) {
        FacetValue v;
        v.value = f == Facet::Type ? std::string(eventTypeName(static_cast<EventType>(st.int64(0)))) : st.text(0);
        v.count = st.int64(1);
        out.push_back(std::move(v));
    }));
    return out;
}

Result<int64_t> CaseQueries::eventCount() { return d->store->eventCount(); }
Result<std::pair<int64_t, int64_t>> CaseQueries::timeWindow() { return d->store->timeWindow(); }

Result<std::string> CaseQueries::caseTitle()
{
    auto t = d->store->meta("title");
    if (!t) return t.error();
    if (*t && !(*t)->empty()) return **t;
    std::string title;
    CS_TRY(d->each("SELECT title FROM bundles WHERE title IS NOT NULL AND title <> '' ORDER BY id LIMIT 1", {},
                   [&](const Statement& st) { title = st.text(0); }));
    return title;
}

Result<std::optional<Event>> CaseQueries::event(int64_t rowid) { return d->store->event(rowid); }

Result<int64_t> CaseQueries::findEvent(const std::string& eventId)
{
    int64_t rowid = 0;
    // CROSS JOIN keeps bundles as the outer loop, so each bundle is one (bundle, eid) index search. With a plain
    // JOIN and more than one bundle SQLite chose to scan the whole (bundle, eid) index instead: 14 ms a lookup on a
    // 204k-event case, and the report's kill chain of 6,974 steps took 97 s.
    CS_TRY(d->each("SELECT e.id FROM bundles b CROSS JOIN events e ON e.bundle = b.id AND e.eid = ? ORDER BY b.id LIMIT 1",
                   {eventId},
                   [&](const Statement& st) { rowid = st.int64(0); }));
    return rowid;
}

Result<std::vector<Event>> CaseQueries::parentChain(int64_t rowid, int maxDepth)
{
    std::vector<Event> chain;
    auto cur = event(rowid);
    if (!cur) return cur.error();
    if (!*cur) return chain;
    Event e = std::move(**cur);
    std::vector<int64_t> seen{e.rowid};
    for (int depth = 0; depth < maxDepth && !e.parent.empty(); ++depth) {
        std::optional<Event> parent;
        CS_TRY(d->each("SELECT " + std::string(rows::kEventCols) + " FROM events WHERE bundle = ? AND eid = ?", {e.bundle, e.parent},
                       [&](const Statement& st) { parent = rows::readEvent(st); }));
        if (!parent || std::find(seen.begin(), seen.end(), parent->rowid) != seen.end()) break;
        seen.push_back(parent->rowid);
        chain.push_back(*parent);
        e = std::move(*parent);
    }
    return chain;
}

Result<std::optional<EventDetail>> CaseQueries::eventDetail(int64_t rowid)
{
    auto ev = event(rowid);
    if (!ev) return ev.error();
    if (!*ev) return std::optional<EventDetail>();
    EventDetail det;
    det.event = std::move(**ev);
    const Event& e = det.event;
    json::Parser parser;
    auto parsed = parser.parse(e.json);
    det.fields = parsed ? std::move(*parsed) : json::Value::string(e.json);
    det.sha256 = crypto::sha256Hex(e.json);

    auto chain = parentChain(rowid);
    if (!chain) return chain.error();
    det.parentChain = std::move(*chain);

    std::vector<int64_t> childIds;
    std::string sql = "SELECT id FROM events WHERE bundle = ? AND parent = ?";
    std::vector<Bind> binds{e.bundle, e.id};
    if (e.type == EventType::ToolCall && !e.callId.empty()) {
        sql += " UNION SELECT id FROM events WHERE bundle = ? AND call_id = ? AND type = ?";
        binds.emplace_back(e.bundle);
        binds.emplace_back(e.callId);
        binds.emplace_back(static_cast<int64_t>(EventType::ToolResult));
    }
    sql += " ORDER BY 1 LIMIT 200";
    CS_TRY(d->each(sql, binds, [&](const Statement& st) {
        if (st.int64(0) != rowid) childIds.push_back(st.int64(0));
    }));
    auto kids = rows(childIds);
    if (!kids) return kids.error();
    det.children = std::move(*kids);

    CS_TRY(d->each("SELECT " + rows::decisionCols({}, true) + " FROM decisions WHERE bundle = ? AND event = ? ORDER BY seq",
                   {e.bundle, e.id}, [&](const Statement& st) {
                       DecisionInfo di;
                       di.bundle = rows::readDecision(st, di.decision, true);
                       di.eventRowid = rowid;
                       det.decisions.push_back(std::move(di));
                   }));

    CS_TRY(d->each("SELECT f.path, f.sha256, b.bundle_id FROM events e JOIN bundles b ON b.id = e.bundle "
                   "LEFT JOIN evidence_files f ON f.id = e.file WHERE e.id = ?",
                   {rowid}, [&](const Statement& st) {
                       det.evidencePath = st.text(0);
                       det.evidenceSha256 = st.text(1);
                       det.bundleId = st.text(2);
                   }));

    if (det.fields.isObject()) {
        std::string sha(det.fields.str("blob"));
        if (sha.empty())
            if (const json::Value* out = det.fields.find("output"); out && out->isObject()) sha = out->str("blob");
        if (!sha.empty()) {
            det.blobSha256 = sha;
            CS_TRY(d->each("SELECT bytes FROM blobs WHERE sha256 = ?", {sha}, [&](const Statement& st) { det.blobBytes = st.int64(0); }));
        }
    }
    return std::optional<EventDetail>(std::move(det));
}

Result<std::optional<std::string>> CaseQueries::blob(const std::string& sha256) { return d->store->blob(sha256); }

Result<std::vector<DecisionInfo>> CaseQueries::decisions(int64_t fromNs, int64_t toNs)
{
    std::vector<DecisionInfo> out;
    CS_TRY(d->each("SELECT " + rows::decisionCols("d", false) +
                       ", e.id FROM decisions d LEFT JOIN events e ON e.bundle = d.bundle AND e.eid = d.event "
                       "WHERE d.ts BETWEEN ? AND ? ORDER BY d.ts, d.seq",
                   {fromNs, toNs}, [&](const Statement& st) {
                       DecisionInfo di;
                       di.bundle = rows::readDecision(st, di.decision, false);
                       const int rowidCol = rows::decisionColumnCount(false);
                       di.eventRowid = st.isNull(rowidCol) ? 0 : st.int64(rowidCol);
                       out.push_back(std::move(di));
                   }));
    return out;
}

Result<std::vector<CaseQueries::TokenPoint>> CaseQueries::tokenUsage(int64_t fromNs, int64_t toNs)
{
    std::vector<TokenPoint> out;
    CS_TRY(d->each("SELECT ts, json_extract(json, '$.tokens_in'), json_extract(json, '$.tokens_out') FROM events "
                   "WHERE type = ? AND ts BETWEEN ? AND ? ORDER BY ts",
                   {static_cast<int64_t>(EventType::LlmOutput), fromNs, toNs},
                   [&](const Statement& st) { out.push_back({st.int64(0), st.int64(1), st.int64(2)}); }));
    return out;
}

Result<std::vector<std::string>> CaseQueries::unpinnedDecisionKeys()
{
    std::vector<std::string> out;
    CS_TRY(d->each("SELECT DISTINCT key_id FROM decisions WHERE key_id IS NOT NULL AND key_id <> '' "
                   "AND key_id NOT IN (SELECT key_id FROM pinned_keys) ORDER BY key_id",
                   {}, [&](const Statement& st) { out.push_back(st.text(0)); }));
    return out;
}

Result<std::shared_ptr<const CaseIndex>> CaseQueries::loadIndex(const std::atomic<bool>* cancel,
                                                              const std::function<void(int64_t, int64_t)>& progress)
{
    auto ix = std::make_shared<CaseIndex>();
    auto total = eventCount();
    if (!total) return total.error();
    const size_t n = static_cast<size_t>(*total);
    ix->rowids.reserve(n);
    ix->ts.reserve(n);
    ix->types.reserve(n);
    ix->agents.reserve(n);
    ix->sessions.reserve(n);
    ix->identities.reserve(n);
    ix->tools.reserve(n);
    ix->attrs.reserve(n);
    ix->attrs2.reserve(n);
    ix->identityNames.emplace_back();
    ix->toolNames.emplace_back();
    ix->attrNames.emplace_back();
    Interner agents(&ix->agentNames), sessions(&ix->sessionNames), identities(&ix->identityNames), tools(&ix->toolNames),
        attrs(&ix->attrNames);

    // (hash of bundle+eid, index) and (hash of bundle+call_id, index of the call): resolved after the scan.
    std::vector<std::pair<uint64_t, uint32_t>> byEid, byCall;
    byEid.reserve(n);
    std::vector<uint64_t> parentKey;
    std::vector<uint8_t> hasParent;
    parentKey.reserve(n);
    hasParent.reserve(n);
    std::vector<std::pair<uint32_t, uint64_t>> resultCalls;
    std::vector<int64_t> bundleOf;
    bundleOf.reserve(n);
    json::Parser parser;

    // Multi-path json_extract returns a JSON array: one parse per event of the types that need it.
    const std::string sql =
        "SELECT id, bundle, eid, ts, type, agent, session, identity, parent, call_id, tool, CASE type "
        "WHEN 0 THEN json_extract(json, '$.role', '$.channel', '$.source') "
        "WHEN 1 THEN json_extract(json, '$.source', '$.source.uri') "
        "WHEN 4 THEN json_extract(json, '$.to', '$.mechanism') "
        "WHEN 5 THEN json_extract(json, '$.to_agent', '$.to_session') "
        "WHEN 6 THEN json_extract(json, '$.tokens_in', '$.tokens_out') "
        "WHEN 7 THEN json_extract(json, '$.store', '$.key') "
        "WHEN 8 THEN json_extract(json, '$.store', '$.blob') "
        "WHEN 9 THEN json_extract(json, '$.dest', '$.protocol') "
        "WHEN 10 THEN json_extract(json, '$.principal', '$.outcome') "
        "WHEN 11 THEN json_extract(json, '$.syscall', '$.signal') END "
        "FROM events ORDER BY id";
    // Memory-mapped reads for the one full scan (no read() per page); unmapped again afterwards.
    (void)d->db->exec("PRAGMA mmap_size = 8589934592");
    struct Unmap
    {
        Database* db;
        ~Unmap() { (void)db->exec("PRAGMA mmap_size = 0"); }
    } unmap{d->db};
    auto st = d->db->prepare(sql);
    if (!st) return st.error();
    int64_t done = 0;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        if ((++done & 0x3FFF) == 0) {
            if (cancel && cancel->load()) return makeError(ErrorCode::Cancelled, QStringLiteral("cancelled"));
            if (progress) progress(done, static_cast<int64_t>(n));
        }
        const uint32_t idx = static_cast<uint32_t>(ix->rowids.size());
        const int64_t bundle = st->int64(1);
        const auto type = static_cast<EventType>(st->int64(4));
        ix->rowids.push_back(st->int64(0));
        bundleOf.push_back(bundle);
        ix->ts.push_back(st->int64(3));
        ix->types.push_back(static_cast<uint8_t>(type));
        const uint32_t agent = agents(st->textView(5));
        ix->agents.push_back(agent);
        const uint32_t session = sessions(st->textView(6));
        ix->sessions.push_back(session);
        if (ix->sessionAgent.size() <= session) ix->sessionAgent.resize(session + 1, agent);
        ix->identities.push_back(st->isNull(7) ? 0 : identities(st->textView(7)));
        ix->tools.push_back(st->isNull(10) ? 0 : tools(st->textView(10)));
        byEid.emplace_back(keyHash(bundle, st->textView(2)), idx);
        hasParent.push_back(!st->isNull(8));
        parentKey.push_back(st->isNull(8) ? 0 : keyHash(bundle, st->textView(8)));
        if (!st->isNull(9)) {
            if (type == EventType::ToolCall) byCall.emplace_back(keyHash(bundle, st->textView(9)), idx);
            else if (type == EventType::ToolResult) resultCalls.emplace_back(idx, keyHash(bundle, st->textView(9)));
        }
        uint32_t a1 = 0, a2 = 0;
        if (!st->isNull(11)) {
            auto v = parser.parse(st->textView(11));
            if (v && v->isArray() && v->items().size() >= 2) {
                const auto& it = v->items();
                switch (type) {
                case EventType::Prompt: {
                    // Where prompts come from, at the grain of a channel: "user via ticket" (a source's own id, such
                    // as the ticket number, would make every prompt a node of its own).
                    std::string label = displayJson(it[0]);
                    if (!displayJson(it[1]).empty()) label += (label.empty() ? "" : " via ") + displayJson(it[1]);
                    a1 = attrs(label);
                    if (it.size() > 2 && !it[2].isNull())
                        a2 = attrs(it[2].isObject() ? std::string(it[2].str("uri").empty() ? it[2].str("id") : it[2].str("uri")) : displayJson(it[2]));
                    break;
                }
                case EventType::Retrieval:
                    if (it[0].isObject()) {
                        std::string uri(it[0].str("uri"));
                        if (uri.empty()) uri = it[0].str("id");
                        a1 = attrs(uri);
                        a2 = attrs(it[0].str("kind"));
                    } else {
                        a1 = attrs(displayJson(it[0]));
                    }
                    break;
                case EventType::LlmOutput: {
                    const int64_t in = it[0].isInt() ? it[0].asInt() : 0, out = it[1].isInt() ? it[1].asInt() : 0;
                    if (in > 0 || out > 0) ix->tokens.push_back({idx, static_cast<uint32_t>(in), static_cast<uint32_t>(out)});
                    break;
                }
                default:
                    a1 = attrs(displayJson(it[0]).empty() && it.size() > 1 ? displayJson(it[1]) : displayJson(it[0]));
                    a2 = attrs(displayJson(it[1]));
                    break;
                }
            }
        }
        ix->attrs.push_back(a1);
        ix->attrs2.push_back(a2);
    }
    const size_t count = ix->rowids.size();

    // Parents by hash lookup (a 64-bit hash collision would only misplace a graph edge).
    std::sort(byEid.begin(), byEid.end());
    std::sort(byCall.begin(), byCall.end());
    auto lookup = [](const std::vector<std::pair<uint64_t, uint32_t>>& table, uint64_t key) -> int32_t {
        auto it = std::lower_bound(table.begin(), table.end(), std::make_pair(key, 0u));
        return it != table.end() && it->first == key ? static_cast<int32_t>(it->second) : -1;
    };
    ix->parents.assign(count, -1);
    for (size_t i = 0; i < count; ++i) {
        if (!hasParent[i]) continue;
        const int32_t p = lookup(byEid, parentKey[i]);
        if (p >= 0 && p != static_cast<int32_t>(i) && bundleOf[p] == bundleOf[i]) ix->parents[i] = p;
    }
    for (const auto& [idx, key] : resultCalls)
        if (ix->parents[idx] < 0) ix->parents[idx] = lookup(byCall, key);

    ix->byTime.resize(count);
    std::iota(ix->byTime.begin(), ix->byTime.end(), 0u);
    std::stable_sort(ix->byTime.begin(), ix->byTime.end(), [&](uint32_t a, uint32_t b) { return ix->ts[a] < ix->ts[b]; });
    std::sort(ix->tokens.begin(), ix->tokens.end(), [&](const CaseIndex::Tokens& a, const CaseIndex::Tokens& b) {
        return ix->ts[a.index] < ix->ts[b.index];
    });
    if (count) {
        ix->minTs = ix->ts[ix->byTime.front()];
        ix->maxTs = ix->ts[ix->byTime.back()];
    }

    // Decisions onto their events.
    ix->verdicts.assign(count, static_cast<uint8_t>(Verdict::Unknown));
    CS_TRY(d->each("SELECT bundle, event, ts, agent, verdict FROM decisions ORDER BY ts, seq", {}, [&](const Statement& s) {
        CaseIndex::DecisionMark m;
        m.ts = s.int64(2);
        m.verdict = verdictFromName(s.textView(4));
        m.event = s.isNull(1) ? -1 : lookup(byEid, keyHash(s.int64(0), s.textView(1)));
        if (m.event >= 0 && bundleOf[m.event] != s.int64(0)) m.event = -1;
        if (m.event >= 0) {
            m.agent = ix->agents[m.event];
            uint8_t& v = ix->verdicts[m.event];
            if (verdictRank(m.verdict) > verdictRank(static_cast<Verdict>(v))) v = static_cast<uint8_t>(m.verdict);
        } else {
            const std::string name = s.text(3);
            m.agent = ix->agentId(name);
        }
        ix->decisions.push_back(m);
    }));
    if (progress) progress(static_cast<int64_t>(count), static_cast<int64_t>(count));
    return std::shared_ptr<const CaseIndex>(std::move(ix));
}

} // namespace chainsight::store
