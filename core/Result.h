// Errors as values: no exception crosses a module boundary. An Error names what is wrong and,
// where it comes from input, the file and the line (or field) so the user can find it.
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace chainsight {

enum class ErrorCode {
    Io,              // a file could not be read or written
    Format,          // the input is not what its format says
    Json,            // the JSON itself is malformed or breaks I-JSON
    Manifest,        // manifest.json is wrong, or a file disagrees with it
    Integrity,       // a hash, chain or signature does not hold
    Limit,           // an input exceeds a safety limit
    Unsafe,          // a path or archive entry is hostile (traversal, symlink, bomb)
    Database,        // SQLite reported an error
    NotACase,        // the file is not a Chainsight case
    Duplicate,       // already present
    Cancelled,       // the user cancelled
    Blocked,         // work is blocked (evidence mismatch)
    Usage,           // a command line or API was used wrongly
    Network,         // a backend could not be reached
    Internal,
    Unsupported      // no importer reads this input (a folder import skips such files)
};

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    QString file;     // the file the problem is in, if any
    qint64 line = -1; // 1-based line, if the problem is at a line
    QString field;    // the JSON field, if any

    // "FILE:LINE: message", "FILE: field: message" or just "message": the one-line form users see.
    QString toString() const
    {
        QString out;
        if (!file.isEmpty()) {
            out += file;
            if (line > 0) out += QLatin1Char(':') + QString::number(line);
            out += QStringLiteral(": ");
        }
        if (!field.isEmpty()) out += field + QStringLiteral(": ");
        return out + message;
    }
};

inline Error makeError(ErrorCode code, QString message, QString file = {}, qint64 line = -1, QString field = {})
{
    return Error{code, std::move(message), std::move(file), line, std::move(field)};
}

// A small expected<T, Error>. Result<void> is specialised below.
template <class T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

// Propagate an error: CS_TRY(expr) returns its error from the enclosing function.
#define CS_TRY(expr)                                                                                                   \
    do {                                                                                                               \
        auto&& cs_try_result_ = (expr);                                                                                \
        if (!cs_try_result_.ok()) return cs_try_result_.error();                                                       \
    } while (0)

} // namespace chainsight
