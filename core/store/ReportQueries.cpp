// Read queries for the incident report (see ReportQueries.h).
#include "core/store/ReportQueries.h"
#include "core/store/CaseStore.h"
#include "core/store/Database.h"

namespace chainsight::store::report {

namespace {
// The v2 tables exist from schema version 2 on; an older case simply has none of these rows.
bool hasV2(CaseStore& store)
{
    return store.schemaVersion() >= 2;
}
} // namespace

Result<std::vector<ClassificationRow>> classifications(CaseStore& store)
{
    std::vector<ClassificationRow> out;
    if (!hasV2(store)) return out;
    auto st = store.database()->prepare(
        "SELECT ts, actor, source, incident_type, tier, confidence, reason FROM classifications ORDER BY id");
    if (!st) return st.error();
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        ClassificationRow c;
        c.ts = st->text(0);
        c.actor = st->text(1);
        c.source = st->text(2);
        c.incidentType = st->text(3);
        if (!st->isNull(4)) c.tier = static_cast<int>(st->int64(4));
        if (!st->isNull(5)) c.confidence = st->real(5);
        c.reason = st->text(6);
        out.push_back(std::move(c));
    }
    return out;
}

Result<std::vector<ChecklistRow>> checklist(CaseStore& store)
{
    std::vector<ChecklistRow> out;
    if (!hasV2(store)) return out;
    auto st = store.database()->prepare(
        "SELECT item, state, owner, due, notes, events, changed_by, changed_at FROM checklist_items ORDER BY item");
    if (!st) return st.error();
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        out.push_back(
            {st->text(0), st->text(1), st->text(2), st->text(3), st->text(4), st->text(5), st->text(6), st->text(7)});
    }
    return out;
}

Result<std::vector<RaciRow>> raci(CaseStore& store)
{
    std::vector<RaciRow> out;
    if (!hasV2(store)) return out;
    auto st = store.database()->prepare("SELECT activity, role, value FROM raci ORDER BY activity, role");
    if (!st) return st.error();
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        out.push_back({st->text(0), st->text(1), st->text(2)});
    }
    return out;
}

Result<std::vector<NoteRow>> notes(CaseStore& store)
{
    std::vector<NoteRow> out;
    if (!hasV2(store)) return out;
    auto st = store.database()->prepare(
        "SELECT n.id, n.ts, n.actor, COALESCE(e.eid, ''), n.text FROM notes n LEFT JOIN events e ON e.id = n.event "
        "ORDER BY n.ts, n.id");
    if (!st) return st.error();
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        out.push_back({st->int64(0), st->text(1), st->text(2), st->text(3), st->text(4)});
    }
    return out;
}

Status snapshot(CaseStore& store, const QString& path)
{
    auto st = store.database()->prepare("VACUUM INTO ?");
    if (!st) return st.error();
    st->bind(1, path);
    return st->exec();
}

} // namespace chainsight::store::report
