// A thin RAII wrapper over one SQLite connection and its prepared statements. Only core/store uses it:
// no header outside this folder names SQL or sqlite3.
#pragma once

#include "core/Result.h"
#include "core/store/Transaction.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace chainsight::store {

class Database;

class Statement
{
public:
    Statement() = default;
    Statement(Database* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
    ~Statement();
    Statement(Statement&& o) noexcept : m_db(o.m_db), m_stmt(o.m_stmt) { o.m_stmt = nullptr; }
    Statement& operator=(Statement&& o) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool valid() const { return m_stmt != nullptr; }
    Statement& bind(int idx, int64_t v);
    Statement& bind(int idx, int v) { return bind(idx, static_cast<int64_t>(v)); }
    Statement& bind(int idx, double v);
    Statement& bind(int idx, std::string_view v); // empty binds NULL? no: binds ''.
    Statement& bind(int idx, const QString& v);
    // Binds without copying: v must outlive the statement's next step.
    Statement& bindStatic(int idx, std::string_view v);
    Statement& bindStaticOptional(int idx, std::string_view v) { return v.empty() ? bindNull(idx) : bindStatic(idx, v); }
    Statement& bindBlob(int idx, const void* data, size_t len);
    Statement& bindNull(int idx);
    Statement& bindOptional(int idx, std::string_view v) { return v.empty() ? bindNull(idx) : bind(idx, v); }

    // Steps once: true when a row is ready, false when done; errors as values.
    Result<bool> step();
    // Steps to completion (for INSERT/UPDATE).
    Status exec();
    void reset();

    int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::string_view textView(int col) const; // valid until the next step
    QString qtext(int col) const;
    std::string_view blob(int col) const;
    bool isNull(int col) const;

private:
    Database* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

class Database
{
public:
    enum class Access { ReadWrite, ReadOnly };
    static Result<std::unique_ptr<Database>> open(const QString& path, Access access, bool create);
    ~Database();

    Status exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    int64_t lastInsertId() const;
    int changes() const;
    Error error(const QString& context) const;
    int extendedErrorCode() const;
    // Integer result of a one-row query (PRAGMA user_version etc.).
    Result<int64_t> scalar(std::string_view sql);
    void interrupt();
    sqlite3* handle() const { return m_db; }

private:
    Database() = default;
    sqlite3* m_db = nullptr;
};

} // namespace chainsight::store
