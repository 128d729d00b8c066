// SQL of the exercise (see ExerciseStore.h).
#include "core/store/ExerciseStore.h"

#include "core/store/CaseStore.h"
#include "core/store/Database.h"

namespace chainsight::store {

Result<std::vector<ExerciseClassification>> ExerciseStore::classifications()
{
    auto st = m_store.database()->prepare("SELECT ts, actor, incident_type, source FROM classifications ORDER BY id");
    if (!st) return st.error();
    std::vector<ExerciseClassification> out;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        out.push_back({st->text(0), st->text(1), st->text(2), st->text(3)});
    }
    return out;
}

Result<std::vector<ExerciseChecklistItem>> ExerciseStore::checklist()
{
    auto st =
        m_store.database()->prepare("SELECT item, state, changed_by, changed_at FROM checklist_items ORDER BY item");
    if (!st) return st.error();
    std::vector<ExerciseChecklistItem> out;
    for (;;) {
        auto r = st->step();
        if (!r) return r.error();
        if (!*r) break;
        out.push_back({st->text(0), st->text(1), st->text(2), st->text(3)});
    }
    return out;
}

Status ExerciseStore::insertClassification(const ExerciseClassification& c, const std::string& reason)
{
    auto st = m_store.database()->prepare(
        "INSERT INTO classifications(ts, actor, source, incident_type, reason) VALUES(?, ?, ?, ?, ?)");
    if (!st) return st.error();
    st->bind(1, c.ts)
        .bind(2, c.actor)
        .bind(3, c.source.empty() ? std::string("analyst") : c.source)
        .bind(4, c.type)
        .bind(5, reason);
    return st->exec();
}

Status ExerciseStore::putChecklistState(const ExerciseChecklistItem& item)
{
    auto st = m_store.database()->prepare(
        "INSERT INTO checklist_items(item, state, changed_by, changed_at) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(item) DO UPDATE SET state = excluded.state, changed_by = excluded.changed_by, changed_at = "
        "excluded.changed_at");
    if (!st) return st.error();
    st->bind(1, item.item).bind(2, item.state).bind(3, item.changedBy).bind(4, item.changedAt);
    return st->exec();
}

} // namespace chainsight::store
