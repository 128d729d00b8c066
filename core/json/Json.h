// Strict JSON (I-JSON, RFC 7493) for untrusted evidence. Parsing goes through simdjson behind this wall;
// what comes out is our own small DOM that keeps member order. Duplicate keys, invalid UTF-8, lone
// surrogates and integers beyond 2^53-1 are refused, never resolved one way or the other.
#pragma once

#include "core/Result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chainsight::json {

class Value;
using Member = std::pair<std::string, Value>;

class Value
{
public:
    enum class Kind : uint8_t { Null, Bool, Int, Double, String, Array, Object };

    Value() = default;
    static Value null() { return Value(); }
    static Value boolean(bool b);
    static Value integer(int64_t i);
    static Value number(double d);
    static Value string(std::string s);
    static Value array(std::vector<Value> items = {});
    static Value object(std::vector<Member> members = {});

    Kind kind() const { return m_kind; }
    bool isNull() const { return m_kind == Kind::Null; }
    bool isBool() const { return m_kind == Kind::Bool; }
    bool isInt() const { return m_kind == Kind::Int; }
    bool isNumber() const { return m_kind == Kind::Int || m_kind == Kind::Double; }
    bool isString() const { return m_kind == Kind::String; }
    bool isArray() const { return m_kind == Kind::Array; }
    bool isObject() const { return m_kind == Kind::Object; }

    bool asBool() const { return m_bool; }
    int64_t asInt() const { return m_kind == Kind::Int ? m_int : static_cast<int64_t>(m_double); }
    double asDouble() const { return m_kind == Kind::Double ? m_double : static_cast<double>(m_int); }
    const std::string& asString() const { return m_string; }
    const std::vector<Value>& items() const { return m_items; }
    std::vector<Value>& items() { return m_items; }
    const std::vector<Member>& members() const { return m_members; }
    std::vector<Member>& members() { return m_members; }

    // Object lookup; nullptr when absent or when this is not an object.
    const Value* find(std::string_view key) const;
    // The string at key, or empty when absent or not a string.
    std::string_view str(std::string_view key) const;
    // Sets or replaces a member (objects only).
    void set(std::string key, Value v);
    void append(Value v) { m_items.push_back(std::move(v)); }

    // Compact serialisation; strings escaped per RFC 8259.
    std::string dump() const;
    void dumpTo(std::string& out) const;
    // A scalar as display text ("true", "12", the string itself); empty for arrays/objects/null.
    std::string scalarText() const;

    // Calls fn(path, value) for every scalar leaf; path uses '/' between keys and array indices.
    template <class Fn>
    void forEachLeaf(Fn&& fn, const std::string& prefix = {}) const
    {
        if (m_kind == Kind::Object) {
            for (const auto& [k, v] : m_members) v.forEachLeaf(fn, prefix.empty() ? k : prefix + '/' + k);
        } else if (m_kind == Kind::Array) {
            for (size_t i = 0; i < m_items.size(); ++i)
                m_items[i].forEachLeaf(fn, prefix.empty() ? std::to_string(i) : prefix + '/' + std::to_string(i));
        } else {
            fn(prefix, *this);
        }
    }

private:
    Kind m_kind = Kind::Null;
    bool m_bool = false;
    int64_t m_int = 0;
    double m_double = 0;
    std::string m_string;
    std::vector<Value> m_items;
    std::vector<Member> m_members;
};

struct Limits
{
    size_t maxDepth = 64;
    size_t maxBytes = 16 * 1024 * 1024;
};

// A reusable strict parser (keeps its buffers between calls; not thread-safe, one per thread).
class Parser
{
public:
    Parser();
    ~Parser();
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;

    // Parses one JSON text. On error, the Error's message says what is wrong and its field the JSON
    // path where that is known; the caller fills in the file and line.
    Result<Value> parse(std::string_view text, const Limits& limits = {});

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Appends s to out as a JSON string literal.
void appendQuoted(std::string& out, std::string_view s);

} // namespace chainsight::json
