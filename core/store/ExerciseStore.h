// The SQL the exercise needs on the participants' case: the team's analyst classifications and checklist items
// (schema v2 tables) as the scoring reads them, and the writes of a scripted (headless) team. The caller wraps each
// write and its custody entry in one transaction.
#pragma once

#include "core/Result.h"

#include <string>
#include <vector>

namespace chainsight::store {

class CaseStore;

struct ExerciseClassification
{
    std::string ts, actor, type, source;
};

struct ExerciseChecklistItem
{
    std::string item, state, changedBy, changedAt;
};

class ExerciseStore
{
public:
    explicit ExerciseStore(CaseStore& store) : m_store(store) {}
    Result<std::vector<ExerciseClassification>> classifications(); // in insertion order
    Result<std::vector<ExerciseChecklistItem>> checklist();
    Status insertClassification(const ExerciseClassification& c, const std::string& reason);
    Status putChecklistState(const ExerciseChecklistItem& item);

private:
    CaseStore& m_store;
};

} // namespace chainsight::store
