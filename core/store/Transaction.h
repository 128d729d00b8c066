// A write transaction on a case: rolls back on destruction unless committed.
#pragma once

#include "core/Result.h"

namespace chainsight::store {

class Database;

class Transaction
{
public:
    explicit Transaction(Database* db) : m_db(db) {}
    Transaction(Transaction&& o) noexcept : m_db(o.m_db) { o.m_db = nullptr; }
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    Status commit();
    bool active() const { return m_db != nullptr; }

private:
    Database* m_db;
};

} // namespace chainsight::store
