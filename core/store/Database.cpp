#include "core/store/Database.h"

#include <sqlite3.h>

namespace chainsight::store {

Statement::~Statement()
{
    if (m_stmt) sqlite3_finalize(m_stmt);
}

Statement& Statement::operator=(Statement&& o) noexcept
{
    if (this != &o) {
        if (m_stmt) sqlite3_finalize(m_stmt);
        m_db = o.m_db;
        m_stmt = o.m_stmt;
        o.m_stmt = nullptr;
    }
    return *this;
}

Statement& Statement::bind(int idx, int64_t v)
{
    sqlite3_bind_int64(m_stmt, idx, v);
    return *this;
}
Statement& Statement::bind(int idx, double v)
{
    sqlite3_bind_double(m_stmt, idx, v);
    return *this;
}
Statement& Statement::bind(int idx, std::string_view v)
{
    sqlite3_bind_text64(m_stmt, idx, v.data() ? v.data() : "", v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}
Statement& Statement::bindStatic(int idx, std::string_view v)
{
    sqlite3_bind_text64(m_stmt, idx, v.data() ? v.data() : "", v.size(), SQLITE_STATIC, SQLITE_UTF8);
    return *this;
}

Statement& Statement::bind(int idx, const QString& v)
{
    QByteArray u = v.toUtf8();
    sqlite3_bind_text64(m_stmt, idx, u.constData(), static_cast<sqlite3_uint64>(u.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}
Statement& Statement::bindBlob(int idx, const void* data, size_t len)
{
    sqlite3_bind_blob64(m_stmt, idx, len ? data : "", len, SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bindNull(int idx)
{
    sqlite3_bind_null(m_stmt, idx);
    return *this;
}

Result<bool> Statement::step()
{
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Error e = m_db->error(QStringLiteral("step"));
    sqlite3_reset(m_stmt);
    return e;
}

Status Statement::exec()
{
    for (;;) {
        auto r = step();
        if (!r) return r.error();
        if (!*r) break;
    }
    sqlite3_reset(m_stmt);
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
double Statement::real(int col) const { return sqlite3_column_double(m_stmt, col); }
std::string Statement::text(int col) const { return std::string(textView(col)); }
std::string_view Statement::textView(int col) const
{
    const unsigned char* p = sqlite3_column_text(m_stmt, col);
    int n = sqlite3_column_bytes(m_stmt, col);
    return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
}
QString Statement::qtext(int col) const
{
    auto v = textView(col);
    return QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
}
std::string_view Statement::blob(int col) const
{
    const void* p = sqlite3_column_blob(m_stmt, col);
    int n = sqlite3_column_bytes(m_stmt, col);
    return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
}
bool Statement::isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

Result<std::unique_ptr<Database>> Database::open(const QString& path, Access access, bool create)
{
    // Memory statistics take a global mutex on every allocation; we never read them.
    static const bool configured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)configured;
    std::unique_ptr<Database> db(new Database);
    int flags = access == Access::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create && access == Access::ReadWrite) flags |= SQLITE_OPEN_CREATE;
    flags |= SQLITE_OPEN_NOMUTEX; // one connection per thread, by design
    int rc = sqlite3_open_v2(path.toUtf8().constData(), &db->m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        QString msg = db->m_db ? QString::fromUtf8(sqlite3_errmsg(db->m_db)) : QStringLiteral("cannot open");
        return makeError(ErrorCode::Io, QStringLiteral("cannot open case: %1").arg(msg), path);
    }
    sqlite3_extended_result_codes(db->m_db, 1);
    sqlite3_busy_timeout(db->m_db, 10000);
    return db;
}

Database::~Database()
{
    if (m_db) sqlite3_close_v2(m_db);
}

Error Database::error(const QString& context) const
{
    return makeError(ErrorCode::Database, QStringLiteral("%1: %2").arg(context, QString::fromUtf8(sqlite3_errmsg(m_db))));
}

int Database::extendedErrorCode() const { return sqlite3_extended_errcode(m_db); }

Status Database::exec(std::string_view sql)
{
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        QString msg = QString::fromUtf8(err ? err : sqlite3_errmsg(m_db));
        sqlite3_free(err);
        return makeError(ErrorCode::Database, msg);
    }
    return {};
}

Result<Statement> Database::prepare(std::string_view sql)
{
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return error(QStringLiteral("prepare"));
    return Statement(this, stmt);
}

int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }

Result<int64_t> Database::scalar(std::string_view sql)
{
    auto st = prepare(sql);
    if (!st) return st.error();
    auto r = st->step();
    if (!r) return r.error();
    if (!*r) return int64_t(0);
    return st->int64(0);
}

void Database::interrupt() { sqlite3_interrupt(m_db); }

Transaction::~Transaction()
{
    if (m_db) (void)m_db->exec("ROLLBACK");
}

Status Transaction::commit()
{
    if (!m_db) return makeError(ErrorCode::Internal, QStringLiteral("transaction already finished"));
    Status s = m_db->exec("COMMIT");
    if (s) m_db = nullptr;
    return s;
}

} // namespace chainsight::store
