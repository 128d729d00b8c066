#include "core/analysis/RawJson.h"

#include <cstdlib>
#include <limits>

namespace chainsight::analysis {

namespace {
constexpr size_t kBad = std::numeric_limits<size_t>::max();

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void appendUtf8(std::string& out, uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

size_t skipString(std::string_view s, size_t i)
{
    // s[i] == '"'
    for (size_t j = i + 1; j < s.size(); ++j) {
        if (s[j] == '\\') ++j;
        else if (s[j] == '"') return j + 1;
    }
    return kBad;
}
} // namespace

size_t RawValue::skipSpace(std::string_view s, size_t i)
{
    while (i < s.size() && isSpace(s[i])) ++i;
    return i;
}

size_t RawValue::skipValue(std::string_view s, size_t i)
{
    if (i >= s.size()) return kBad;
    const char c = s[i];
    if (c == '"') return skipString(s, i);
    if (c == '{' || c == '[') {
        int depth = 0;
        for (size_t j = i; j < s.size(); ++j) {
            const char d = s[j];
            if (d == '"') {
                j = skipString(s, j);
                if (j == kBad) return kBad;
                --j;
            } else if (d == '{' || d == '[') {
                ++depth;
            } else if (d == '}' || d == ']') {
                if (--depth == 0) return j + 1;
            }
        }
        return kBad;
    }
    size_t j = i;
    while (j < s.size() && s[j] != ',' && s[j] != '}' && s[j] != ']' && s[j] != ':' && !isSpace(s[j])) ++j;
    return j > i ? j : kBad;
}

std::string RawValue::decodeString(std::string_view q)
{
    std::string out;
    if (q.size() < 2 || q.front() != '"') return out;
    q = q.substr(1, q.size() - 2);
    out.reserve(q.size());
    for (size_t i = 0; i < q.size(); ++i) {
        const char c = q[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= q.size()) break;
        switch (q[i]) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
            auto hex4 = [&](size_t at) -> int32_t {
                if (at + 4 > q.size()) return -1;
                int32_t v = 0;
                for (size_t k = 0; k < 4; ++k) {
                    const int h = hexValue(q[at + k]);
                    if (h < 0) return -1;
                    v = v * 16 + h;
                }
                return v;
            };
            int32_t cp = hex4(i + 1);
            if (cp < 0) break;
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 2 < q.size() && q[i + 1] == '\\' && q[i + 2] == 'u') {
                const int32_t lo = hex4(i + 3);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            appendUtf8(out, static_cast<uint32_t>(cp));
            break;
        }
        default: out += q[i]; break; // \" \\ \/
        }
    }
    return out;
}

RawValue::RawValue(std::string_view text)
{
    size_t b = skipSpace(text, 0);
    size_t e = text.size();
    while (e > b && isSpace(text[e - 1])) --e;
    if (b >= e) return;
    m_raw = text.substr(b, e - b);
    switch (m_raw.front()) {
    case '"': m_kind = Kind::String; break;
    case '{': m_kind = Kind::Object; break;
    case '[': m_kind = Kind::Array; break;
    case 'n': m_kind = Kind::Null; break;
    case 't':
    case 'f': m_kind = Kind::Bool; break;
    default: m_kind = Kind::Number; break;
    }
}

std::string RawValue::text() const
{
    switch (m_kind) {
    case Kind::String:
        if (m_raw.size() >= 2 && m_raw.find('\\') == std::string_view::npos) return std::string(m_raw.substr(1, m_raw.size() - 2));
        return decodeString(m_raw);
    case Kind::Missing:
    case Kind::Null:
        return {};
    default:
        return std::string(m_raw);
    }
}

int64_t RawValue::asInt() const
{
    if (m_kind != Kind::Number) return 0;
    return std::strtoll(std::string(m_raw).c_str(), nullptr, 10);
}

RawValue RawValue::find(std::string_view key) const
{
    RawValue out;
    if (m_kind != Kind::Object) return out;
    const std::string_view s = m_raw;
    size_t i = skipSpace(s, 1);
    while (i < s.size() && s[i] == '"') {
        const size_t keyEnd = skipString(s, i);
        if (keyEnd == kBad) return out;
        const std::string_view keyRaw = s.substr(i + 1, keyEnd - i - 2);
        size_t j = skipSpace(s, keyEnd);
        if (j >= s.size() || s[j] != ':') return out;
        j = skipSpace(s, j + 1);
        const size_t valEnd = skipValue(s, j);
        if (valEnd == kBad || valEnd > s.size()) return out;
        if (keyRaw == key || (keyRaw.find('\\') != std::string_view::npos && decodeString(s.substr(i, keyEnd - i)) == key))
            return RawValue(s.substr(j, valEnd - j));
        i = skipSpace(s, valEnd);
        if (i < s.size() && s[i] == ',') i = skipSpace(s, i + 1);
        else return out;
    }
    return out;
}

std::string RawValue::str(std::string_view key) const
{
    const RawValue v = find(key);
    return v.isString() ? v.text() : std::string();
}

void RawObject::parse(std::string_view text)
{
    m_members.clear();
    const RawValue root(text);
    m_valid = root.isObject();
    if (!m_valid) return;
    const std::string_view s = root.raw();
    size_t i = RawValue::skipSpace(s, 1);
    while (i < s.size() && s[i] == '"') {
        const size_t keyEnd = skipString(s, i);
        if (keyEnd == kBad) return;
        const std::string_view key = s.substr(i + 1, keyEnd - i - 2);
        size_t j = RawValue::skipSpace(s, keyEnd);
        if (j >= s.size() || s[j] != ':') return;
        j = RawValue::skipSpace(s, j + 1);
        const size_t valEnd = RawValue::skipValue(s, j);
        if (valEnd == kBad || valEnd > s.size()) return;
        m_members.emplace_back(key, RawValue(s.substr(j, valEnd - j)));
        i = RawValue::skipSpace(s, valEnd);
        if (i < s.size() && s[i] == ',') i = RawValue::skipSpace(s, i + 1);
        else return;
    }
}

RawValue RawObject::find(std::string_view key) const
{
    for (const auto& [k, v] : m_members)
        if (k == key) return v;
    return {};
}

std::string RawObject::str(std::string_view key) const
{
    const RawValue v = find(key);
    return v.isString() ? v.text() : std::string();
}

} // namespace chainsight::analysis
