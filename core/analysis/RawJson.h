// Read-only, allocation-light access to JSON text that was already validated (an event row of a case: the
// importer checked it with the strict parser in core/json before storing it). The analysis reads a million
// such rows; building a DOM for each costs more than the rest of the analysis, so this walks the text in
// place and decodes only the strings asked for. Malformed input never reads out of bounds: it yields
// Missing values and empty strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chainsight::analysis {

class RawValue
{
public:
    enum class Kind : uint8_t { Missing, Null, Bool, Number, String, Array, Object };

    RawValue() = default;
    // text: one JSON value (surrounding whitespace allowed).
    explicit RawValue(std::string_view text);

    Kind kind() const { return m_kind; }
    bool exists() const { return m_kind != Kind::Missing; }
    bool isNull() const { return m_kind == Kind::Null; }
    bool isString() const { return m_kind == Kind::String; }
    bool isObject() const { return m_kind == Kind::Object; }
    bool isArray() const { return m_kind == Kind::Array; }
    bool isNumber() const { return m_kind == Kind::Number; }
    bool isBool() const { return m_kind == Kind::Bool; }
    std::string_view raw() const { return m_raw; }

    // A string's decoded text (escapes resolved); for other kinds, the raw JSON text ("" for Missing/Null).
    std::string text() const;
    // true/false for Bool; numbers as integers (truncated)
    bool asBool() const { return m_raw == "true"; }
    int64_t asInt() const;

    // Object member (the first with that key); Missing when absent or not an object.
    RawValue find(std::string_view key) const;
    // The decoded string at key, or "" (shorthand for find(key).isString() ? text() : "").
    std::string str(std::string_view key) const;

    // fn(key, value) for each member of an object; fn(value) for each item of an array. Return false to stop.
    template <class Fn>
    void forEachMember(Fn&& fn) const;
    template <class Fn>
    void forEachItem(Fn&& fn) const;
    // fn(path, value) for every scalar leaf, path joined with '/' (array items by index), as json::Value.
    template <class Fn>
    void forEachLeaf(Fn&& fn, const std::string& prefix = {}) const;

    // Helpers for the walkers (exposed for the templates).
    static size_t skipSpace(std::string_view s, size_t i);
    static size_t skipValue(std::string_view s, size_t i); // index after the value starting at i
    static std::string decodeString(std::string_view quoted); // "..." with escapes -> UTF-8

private:
    std::string_view m_raw;
    Kind m_kind = Kind::Missing;
};

template <class Fn>
void RawValue::forEachMember(Fn&& fn) const
{
    if (m_kind != Kind::Object) return;
    const std::string_view s = m_raw;
    size_t i = skipSpace(s, 1);
    while (i < s.size() && s[i] == '"') {
        const size_t keyEnd = skipValue(s, i);
        if (keyEnd > s.size()) return;
        const std::string_view keyRaw = s.substr(i, keyEnd - i);
        size_t j = skipSpace(s, keyEnd);
        if (j >= s.size() || s[j] != ':') return;
        j = skipSpace(s, j + 1);
        const size_t valEnd = skipValue(s, j);
        if (valEnd > s.size() || valEnd <= j) return;
        const std::string key = keyRaw.find('\\') == std::string_view::npos && keyRaw.size() >= 2
                                    ? std::string(keyRaw.substr(1, keyRaw.size() - 2))
                                    : decodeString(keyRaw);
        if (!fn(key, RawValue(s.substr(j, valEnd - j)))) return;
        i = skipSpace(s, valEnd);
        if (i < s.size() && s[i] == ',') i = skipSpace(s, i + 1);
        else return;
    }
}

template <class Fn>
void RawValue::forEachItem(Fn&& fn) const
{
    if (m_kind != Kind::Array) return;
    const std::string_view s = m_raw;
    size_t i = skipSpace(s, 1);
    while (i < s.size() && s[i] != ']') {
        const size_t end = skipValue(s, i);
        if (end > s.size() || end <= i) return;
        if (!fn(RawValue(s.substr(i, end - i)))) return;
        i = skipSpace(s, end);
        if (i < s.size() && s[i] == ',') i = skipSpace(s, i + 1);
        else return;
    }
}

template <class Fn>
void RawValue::forEachLeaf(Fn&& fn, const std::string& prefix) const
{
    if (m_kind == Kind::Object) {
        forEachMember([&](const std::string& k, const RawValue& v) {
            v.forEachLeaf(fn, prefix.empty() ? k : prefix + '/' + k);
            return true;
        });
    } else if (m_kind == Kind::Array) {
        size_t n = 0;
        forEachItem([&](const RawValue& v) {
            v.forEachLeaf(fn, prefix.empty() ? std::to_string(n) : prefix + '/' + std::to_string(n));
            ++n;
            return true;
        });
    } else if (m_kind != Kind::Missing) {
        fn(prefix, *this);
    }
}

// The members of one object, found in one pass and kept for lookups (the buffer is reused).
class RawObject
{
public:
    void parse(std::string_view text);
    bool valid() const { return m_valid; }
    RawValue find(std::string_view key) const;
    std::string str(std::string_view key) const;

private:
    std::vector<std::pair<std::string_view, RawValue>> m_members; // raw keys (without quotes)
    bool m_valid = false;
};

} // namespace chainsight::analysis
