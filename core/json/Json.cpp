// Strict JSON: simdjson does the parsing, UTF-8 validation and surrogate checks; the walk below adds the
// I-JSON rules simdjson leaves to the caller (duplicate keys, the 2^53 integer range, nesting depth).
#include "core/json/Json.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>
#include <cstdio>
#include <unordered_set>

namespace chainsight::json {

namespace {
constexpr int64_t kMaxSafeInt = 9007199254740991LL; // 2^53 - 1

QString describe(simdjson::error_code e)
{
    switch (e) {
    case simdjson::UTF8_ERROR:
        return QStringLiteral("invalid UTF-8");
    case simdjson::STRING_ERROR:
        return QStringLiteral("invalid string (a lone surrogate, a bad escape or a control character)");
    case simdjson::UNESCAPED_CHARS:
        return QStringLiteral("unescaped control character in a string");
    case simdjson::UNCLOSED_STRING:
        return QStringLiteral("unterminated string");
    case simdjson::NUMBER_ERROR:
        return QStringLiteral("malformed number, or an integer beyond 2^53-1 (I-JSON)");
    case simdjson::DEPTH_ERROR:
        return QStringLiteral("nesting too deep");
    case simdjson::CAPACITY:
        return QStringLiteral("document too large");
    case simdjson::EMPTY:
        return QStringLiteral("empty document");
    case simdjson::TAPE_ERROR:
    case simdjson::TRAILING_CONTENT:
        return QStringLiteral("not a single JSON value (trailing or misplaced content)");
    default:
        return QStringLiteral("malformed JSON (%1)").arg(QString::fromUtf8(simdjson::error_message(e)));
    }
}

std::string childPath(const std::string& parent, std::string_view key)
{
    std::string p = parent;
    if (!p.empty()) p += '/';
    p.append(key);
    return p;
}
} // namespace

Value Value::boolean(bool b)
{
    Value v;
    v.m_kind = Kind::Bool;
    v.m_bool = b;
    return v;
}
Value Value::integer(int64_t i)
{
    Value v;
    v.m_kind = Kind::Int;
    v.m_int = i;
    return v;
}
Value Value::number(double d)
{
    Value v;
    v.m_kind = Kind::Double;
    v.m_double = d;
    return v;
}
Value Value::string(std::string s)
{
    Value v;
    v.m_kind = Kind::String;
    v.m_string = std::move(s);
    return v;
}
Value Value::array(std::vector<Value> items)
{
    Value v;
    v.m_kind = Kind::Array;
    v.m_items = std::move(items);
    return v;
}
Value Value::object(std::vector<Member> members)
{
    Value v;
    v.m_kind = Kind::Object;
    v.m_members = std::move(members);
    return v;
}

const Value* Value::find(std::string_view key) const
{
    if (m_kind != Kind::Object) return nullptr;
    for (const auto& m : m_members)
        if (m.first == key) return &m.second;
    return nullptr;
}

std::string_view Value::str(std::string_view key) const
{
    const Value* v = find(key);
    return (v && v->isString()) ? std::string_view(v->m_string) : std::string_view();
}

void Value::set(std::string key, Value v)
{
    if (m_kind != Kind::Object) return;
    for (auto& m : m_members) {
        if (m.first == key) {
            m.second = std::move(v);
            return;
        }
    }
    m_members.emplace_back(std::move(key), std::move(v));
}

void appendQuoted(std::string& out, std::string_view s)
{
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

void Value::dumpTo(std::string& out) const
{
    switch (m_kind) {
    case Kind::Null:
        out += "null";
        break;
    case Kind::Bool:
        out += m_bool ? "true" : "false";
        break;
    case Kind::Int:
        out += std::to_string(m_int);
        break;
    case Kind::Double: {
        if (!std::isfinite(m_double)) {
            out += "null";
            break;
        }
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", m_double);
        out += buf;
        // A whole number beyond 2^53 printed without a fraction or exponent would read back as an integer,
        // which I-JSON (and so the parser) refuses: keep it a number with a fraction.
        // And -0 would read back as the integer 0: keep its sign.
        if ((std::fabs(m_double) > 9007199254740991.0 || (m_double == 0 && std::signbit(m_double))) &&
            std::strpbrk(buf, ".eE") == nullptr)
            out += ".0";
        break;
    }
    case Kind::String:
        appendQuoted(out, m_string);
        break;
    case Kind::Array: {
        out += '[';
        bool first = true;
        for (const auto& v : m_items) {
            if (!first) out += ',';
            first = false;
            v.dumpTo(out);
        }
        out += ']';
        break;
    }
    case Kind::Object: {
        out += '{';
        bool first = true;
        for (const auto& [k, v] : m_members) {
            if (!first) out += ',';
            first = false;
            appendQuoted(out, k);
            out += ':';
            v.dumpTo(out);
        }
        out += '}';
        break;
    }
    }
}

std::string Value::dump() const
{
    std::string out;
    dumpTo(out);
    return out;
}

std::string Value::scalarText() const
{
    switch (m_kind) {
    case Kind::Bool:
        return m_bool ? "true" : "false";
    case Kind::Int:
        return std::to_string(m_int);
    case Kind::Double: {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.15g", m_double);
        return buf;
    }
    case Kind::String:
        return m_string;
    default:
        return {};
    }
}

struct Parser::Impl
{
    simdjson::dom::parser parser;
    simdjson::padded_string buffer;
    const Limits* limits = nullptr;
    std::string errorPath;
    QString errorMessage;

    bool convert(simdjson::dom::element el, Value& out, const std::string& path, size_t depth)
    {
        if (depth > limits->maxDepth) {
            errorPath = path;
            errorMessage = QStringLiteral("nesting deeper than %1 levels").arg(limits->maxDepth);
            return false;
        }
        switch (el.type()) {
        case simdjson::dom::element_type::OBJECT: {
            simdjson::dom::object obj = el.get_object().value_unsafe();
            std::vector<Member> members;
            members.reserve(obj.size());
            // Small objects: linear scan is cheaper than hashing; large ones use a set.
            std::unordered_set<std::string_view> seen;
            const bool big = obj.size() > 16;
            for (auto field : obj) {
                std::string_view key = field.key;
                bool dup = false;
                if (big) {
                    dup = !seen.insert(key).second;
                } else {
                    for (const auto& m : members)
                        if (m.first == key) {
                            dup = true;
                            break;
                        }
                }
                if (dup) {
                    errorPath = childPath(path, key);
                    errorMessage =
                        QStringLiteral("duplicate key \"%1\"").arg(QString::fromUtf8(key.data(), key.size()));
                    return false;
                }
                Value child;
                if (!convert(field.value, child, childPath(path, key), depth + 1)) return false;
                members.emplace_back(std::string(key), std::move(child));
            }
            out = Value::object(std::move(members));
            return true;
        }
        case simdjson::dom::element_type::ARRAY: {
            simdjson::dom::array arr = el.get_array().value_unsafe();
            std::vector<Value> items;
            items.reserve(arr.size());
            size_t i = 0;
            for (auto child : arr) {
                Value v;
                if (!convert(child, v, childPath(path, std::to_string(i)), depth + 1)) return false;
                items.push_back(std::move(v));
                ++i;
            }
            out = Value::array(std::move(items));
            return true;
        }
        case simdjson::dom::element_type::INT64: {
            int64_t i = el.get_int64().value_unsafe();
            if (i > kMaxSafeInt || i < -kMaxSafeInt) {
                errorPath = path;
                errorMessage = QStringLiteral("integer %1 is beyond 2^53-1 (I-JSON)").arg(i);
                return false;
            }
            out = Value::integer(i);
            return true;
        }
        case simdjson::dom::element_type::UINT64: {
            errorPath = path;
            errorMessage = QStringLiteral("integer %1 is beyond 2^53-1 (I-JSON)").arg(el.get_uint64().value_unsafe());
            return false;
        }
        case simdjson::dom::element_type::DOUBLE:
            out = Value::number(el.get_double().value_unsafe());
            return true;
        case simdjson::dom::element_type::STRING: {
            std::string_view s = el.get_string().value_unsafe();
            out = Value::string(std::string(s));
            return true;
        }
        case simdjson::dom::element_type::BOOL:
            out = Value::boolean(el.get_bool().value_unsafe());
            return true;
        case simdjson::dom::element_type::NULL_VALUE:
            out = Value::null();
            return true;
        }
        return true;
    }
};

Parser::Parser() : d(std::make_unique<Impl>()) {}
Parser::~Parser() = default;

Result<Value> Parser::parse(std::string_view text, const Limits& limits)
{
    if (text.size() > limits.maxBytes)
        return makeError(
            ErrorCode::Limit,
            QStringLiteral("JSON text of %1 bytes exceeds the limit of %2").arg(text.size()).arg(limits.maxBytes));
    d->limits = &limits;
    // simdjson needs SIMDJSON_PADDING readable bytes after the text; copy into our padded buffer.
    if (d->buffer.size() < text.size() + 1) d->buffer = simdjson::padded_string(text.size() * 2 + 64);
    std::memcpy(d->buffer.data(), text.data(), text.size());
    auto doc = d->parser.parse(reinterpret_cast<const uint8_t*>(d->buffer.data()), text.size(), false);
    if (doc.error()) return makeError(ErrorCode::Json, describe(doc.error()));
    Value out;
    d->errorPath.clear();
    if (!d->convert(doc.value_unsafe(), out, std::string(), 0))
        return makeError(ErrorCode::Json, d->errorMessage, {}, -1, QString::fromStdString(d->errorPath));
    return out;
}

} // namespace chainsight::json
