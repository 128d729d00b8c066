// A baseline for the import benchmark: the plain SQLite prepared-insert rate of event rows into a table of
// the same columns (no indexes, no full-text), in one transaction. Kept in core/store because it is SQL.
#pragma once

#include "core/Result.h"
#include "core/model/Event.h"

#include <QString>

#include <memory>
#include <vector>

namespace chainsight::store {

class RawInserter
{
public:
    static Result<std::unique_ptr<RawInserter>> create(const QString& path);
    ~RawInserter();
    Status insert(const std::vector<Event>& rows); // inside the open transaction
    Status commit();

private:
    RawInserter();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace chainsight::store
