// Read queries the incident report needs over the analyst's side of the case (schema v2: classifications,
// checklist, RACI, notes) and a consistent snapshot of the case file for the evidence package. Read-only: the
// tables are written by their owners (core/response); the report renders whatever they hold.
#pragma once

#include "core/Result.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chainsight::store {

class CaseStore;

struct ClassificationRow
{
    std::string ts, actor, source, incidentType, reason;
    std::optional<int> tier;
    std::optional<double> confidence;
};

struct ChecklistRow
{
    std::string item, state, owner, due, notes, events, changedBy, changedAt;
};

struct RaciRow
{
    std::string activity, role, value;
};

struct NoteRow
{
    int64_t id = 0;
    std::string ts, actor, event, text; // event: the bundle's event id, "" when the note is on the case
};

namespace report {
Result<std::vector<ClassificationRow>> classifications(CaseStore& store);
Result<std::vector<ChecklistRow>> checklist(CaseStore& store);
Result<std::vector<RaciRow>> raci(CaseStore& store);
Result<std::vector<NoteRow>> notes(CaseStore& store);
// Writes a transactionally consistent copy of the case to path (VACUUM INTO); path must not exist.
Status snapshot(CaseStore& store, const QString& path);
} // namespace report

} // namespace chainsight::store
