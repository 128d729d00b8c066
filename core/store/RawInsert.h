// Baselines for the import benchmark: the plain SQLite prepared-insert rate of event rows, in one transaction.
// Bare: a table of the same columns, no indexes, no full-text (the strict baseline of issue 2).
// SameTables: the same rows into the case's own event table definition plus its full-text table and, at commit, its
// event indexes, i.e. the SQLite work a fully indexed, searchable case needs, without parsing, hashing or evidence.
// Kept in core/store because it is SQL.
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
    enum class Baseline { Bare, SameTables };
    static Result<std::unique_ptr<RawInserter>> create(const QString& path, Baseline baseline = Baseline::Bare);
    ~RawInserter();
    Status insert(const std::vector<Event>& rows); // inside the open transaction
    Status commit(); // builds the indexes first for SameTables

private:
    RawInserter();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace chainsight::store
