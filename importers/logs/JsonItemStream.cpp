#include "importers/logs/JsonItemStream.h"

#include "core/json/Json.h"

#include <cstring>

namespace chainsight::importers {

namespace {
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool startsValue(char c)
{
    return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
}
QString printable(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return QStringLiteral("'%1'").arg(QChar(c));
    return QStringLiteral("byte 0x%1").arg(u, 2, 16, QLatin1Char('0'));
}
constexpr std::string_view kMaxSafe = "9007199254740991";
} // namespace

bool quoteBigIntegers(std::string_view in, std::string& out)
{
    bool changed = false;
    bool inString = false, escape = false;
    size_t copied = 0;
    for (size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (inString) {
            if (escape) escape = false;
            else if (c == '\\') escape = true;
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            continue;
        }
        if (c != '-' && (c < '0' || c > '9')) continue;
        size_t j = i + (c == '-' ? 1 : 0);
        const size_t digitsStart = j;
        while (j < in.size() && in[j] >= '0' && in[j] <= '9') ++j;
        const bool integer = j >= in.size() || (in[j] != '.' && in[j] != 'e' && in[j] != 'E');
        size_t end = j;
        while (end < in.size() && (in[end] == '.' || in[end] == 'e' || in[end] == 'E' || in[end] == '+' || in[end] == '-' ||
                                   (in[end] >= '0' && in[end] <= '9')))
            ++end;
        const std::string_view digits = in.substr(digitsStart, j - digitsStart);
        const bool big = integer && (digits.size() > kMaxSafe.size() || (digits.size() == kMaxSafe.size() && digits > kMaxSafe));
        if (big) {
            if (!changed) {
                out.clear();
                out.reserve(in.size() + 16);
            }
            changed = true;
            out.append(in.substr(copied, i - copied));
            out += '"';
            out.append(in.substr(i, end - i));
            out += '"';
            copied = end;
        }
        i = end - 1;
    }
    if (changed) out.append(in.substr(copied));
    return changed;
}

JsonItemStream::JsonItemStream(std::vector<std::vector<std::string>> routes, Sink sink, Limits limits)
    : m_routes(std::move(routes)), m_sink(std::move(sink)), m_limits(limits)
{
}

Error JsonItemStream::error(const QString& message, const QString& field) const
{
    return makeError(ErrorCode::Json, message, {}, m_line, field.isEmpty() ? QString::fromStdString(pathString(true)) : field);
}

std::string JsonItemStream::pathString(bool withCurrent) const
{
    std::string out;
    for (size_t k = 0; k < m_stack.size(); ++k) {
        const Frame& f = m_stack[k];
        if (!withCurrent && k + 1 == m_stack.size()) break;
        if (f.object && f.expect != Expect::Value && f.expect != Expect::CommaOrEnd && f.expect != Expect::Colon) {
            // between members: the object itself
            if (k + 1 == m_stack.size()) break;
        }
        if (f.object && f.key.empty() && f.keys.empty()) break;
        if (!f.object && f.index < 0) break;
        if (!out.empty()) out += '/';
        out += f.object ? f.key : std::to_string(f.index);
    }
    return out;
}

int JsonItemStream::matchRoute(bool& prefix, bool& wantObject) const
{
    prefix = false;
    const size_t depth = m_stack.size();
    for (size_t r = 0; r < m_routes.size(); ++r) {
        const auto& route = m_routes[r];
        if (route.size() < depth) continue;
        bool ok = true;
        for (size_t k = 0; k < depth && ok; ++k) {
            const Frame& f = m_stack[k];
            ok = route[k] == "*" ? !f.object : (f.object && f.key == route[k]);
        }
        if (!ok) continue;
        if (route.size() == depth) return static_cast<int>(r);
        if (!prefix) {
            prefix = true;
            wantObject = route[depth] != "*";
        }
    }
    return -1;
}

Status JsonItemStream::startValue(char c)
{
    if (!startsValue(c)) return error(QStringLiteral("unexpected %1 where a value was expected").arg(printable(c)));
    bool prefix = false, wantObject = false;
    int route = -1;
    if (m_stack.empty()) {
        // A new top-level document: the routes start inside an object.
        if (c != '{')
            return makeError(ErrorCode::Format, QStringLiteral("expected a JSON object at the top of the document"), {}, m_line);
        ++m_documents;
        prefix = true;
        wantObject = true;
    } else {
        Frame& top = m_stack.back();
        top.expect = Expect::CommaOrEnd; // what follows the value
        route = matchRoute(prefix, wantObject);
    }
    if (route < 0 && prefix && (c == '{' || c == '[')) {
        if ((c == '{') != wantObject)
            return error(wantObject ? QStringLiteral("expected an object") : QStringLiteral("expected an array"));
        Frame f;
        f.object = c == '{';
        f.expect = Expect::KeyOrEnd;
        m_stack.push_back(std::move(f));
        return {};
    }
    if (route < 0 && prefix && c != 'n')
        return error(wantObject ? QStringLiteral("expected an object") : QStringLiteral("expected an array"));
    // Capture: an item, or a value off the routes that is validated and dropped.
    m_mode = Mode::Capture;
    m_captureRoute = route;
    m_captureLine = m_line;
    m_captureDepth = 0;
    m_inString = m_escape = m_bigDigits = false;
    m_scalar = c != '{' && c != '[' && c != '"';
    m_digits = 0;
    m_capture.clear();
    return {};
}

Status JsonItemStream::endCapture()
{
    m_mode = Mode::Skeleton;
    std::string_view text = m_capture;
    std::string rewritten;
    if (m_bigDigits && quoteBigIntegers(text, rewritten)) text = rewritten;
    if (m_captureRoute >= 0) {
        Item item;
        item.route = m_captureRoute;
        item.text = text;
        item.line = m_captureLine;
        item.document = m_documents - 1;
        m_indices.clear();
        for (const Frame& f : m_stack)
            if (!f.object) m_indices.push_back(f.index);
        item.indices = &m_indices;
        item.path = pathString(true);
        ++m_items;
        Status s = m_sink(item);
        if (!s) {
            Error e = s.error();
            if (e.line < 0) e.line = m_captureLine;
            if (!item.path.empty()) e.field = QString::fromStdString(item.path) + (e.field.isEmpty() ? QString() : QStringLiteral("/") + e.field);
            return e;
        }
        return {};
    }
    // Off the routes: checked as strictly as the items, then dropped.
    static thread_local json::Parser parser;
    json::Limits limits;
    limits.maxBytes = m_limits.maxItemBytes;
    auto v = parser.parse(text, limits);
    if (!v) {
        Error e = v.error();
        e.line = m_captureLine;
        const std::string at = pathString(true);
        e.field = QString::fromStdString(at) + (e.field.isEmpty() || at.empty() ? e.field : QStringLiteral("/") + e.field);
        return e;
    }
    return {};
}

Status JsonItemStream::step(std::string_view chunk, size_t& i)
{
    const size_t n = chunk.size();
    if (m_mode == Mode::Capture) {
        const size_t start = i;
        auto flush = [&](size_t upto) -> Status {
            m_capture.append(chunk.data() + start, upto - start);
            if (m_capture.size() > m_limits.maxItemBytes)
                return makeError(ErrorCode::Limit, QStringLiteral("a value larger than %1 bytes").arg(m_limits.maxItemBytes), {},
                                 m_captureLine, QString::fromStdString(pathString(true)));
            return {};
        };
        while (i < n) {
            const char c = chunk[i];
            if (m_inString) {
                if (m_escape) {
                    m_escape = false;
                } else if (c == '\\') {
                    m_escape = true;
                } else if (c == '"') {
                    m_inString = false;
                    if (m_captureDepth == 0) {
                        ++i;
                        CS_TRY(flush(i));
                        return endCapture();
                    }
                } else if (c == '\n') {
                    ++m_line;
                }
                ++i;
                continue;
            }
            if (m_scalar) {
                if (c == ',' || c == '}' || c == ']' || isSpace(c)) {
                    CS_TRY(flush(i));
                    return endCapture(); // the delimiter belongs to the skeleton
                }
                if (c >= '0' && c <= '9') {
                    if (++m_digits >= 16) m_bigDigits = true;
                } else {
                    m_digits = 0;
                }
                ++i;
                continue;
            }
            switch (c) {
            case '"':
                m_inString = true;
                m_digits = 0;
                break;
            case '{':
            case '[':
                if (++m_captureDepth > m_limits.maxDepth)
                    return makeError(ErrorCode::Json, QStringLiteral("nesting deeper than %1 levels").arg(m_limits.maxDepth), {}, m_line,
                                     QString::fromStdString(pathString(true)));
                m_digits = 0;
                break;
            case '}':
            case ']':
                m_digits = 0;
                if (--m_captureDepth == 0) {
                    ++i;
                    CS_TRY(flush(i));
                    return endCapture();
                }
                break;
            case '\n':
                ++m_line;
                m_digits = 0;
                break;
            default:
                if (c >= '0' && c <= '9') {
                    if (++m_digits >= 16) m_bigDigits = true;
                } else {
                    m_digits = 0;
                }
            }
            ++i;
        }
        return flush(n);
    }
    if (m_mode == Mode::KeyString) {
        while (i < n) {
            const char c = chunk[i++];
            m_keyBuf += c;
            if (m_escape) {
                m_escape = false;
            } else if (c == '\\') {
                m_escape = true;
            } else if (c == '"') {
                m_mode = Mode::Skeleton;
                static thread_local json::Parser parser;
                auto k = parser.parse(m_keyBuf);
                if (!k || !k->isString()) return error(k ? QStringLiteral("invalid key") : k.error().message);
                Frame& f = m_stack.back();
                for (const auto& seen : f.keys)
                    if (seen == k->asString()) return error(QStringLiteral("duplicate key \"%1\"").arg(QString::fromStdString(seen)));
                f.keys.push_back(k->asString());
                f.key = k->asString();
                f.expect = Expect::Colon;
                return {};
            } else if (c == '\n') {
                return error(QStringLiteral("unterminated key"));
            }
            if (m_keyBuf.size() > 65536) return error(QStringLiteral("a key longer than 64 KiB"));
        }
        return {};
    }
    // Skeleton.
    while (i < n) {
        const char c = chunk[i];
        if (isSpace(c)) {
            if (c == '\n') ++m_line;
            ++i;
            continue;
        }
        if (m_stack.empty()) {
            CS_TRY(startValue(c));
            ++i; // the top-level '{'
            return {};
        }
        Frame& f = m_stack.back();
        switch (f.expect) {
        case Expect::KeyOrEnd:
        case Expect::Key:
            if (f.object) {
                if (c == '}' && f.expect == Expect::KeyOrEnd) {
                    m_stack.pop_back();
                    ++i;
                    return {};
                }
                if (c != '"') return error(QStringLiteral("expected a key, found %1").arg(printable(c)));
                m_mode = Mode::KeyString;
                m_keyBuf.assign(1, '"');
                m_escape = false;
                ++i;
                return {};
            }
            // arrays: KeyOrEnd means "a value or ]"
            if (c == ']' && f.expect == Expect::KeyOrEnd) {
                m_stack.pop_back();
                ++i;
                return {};
            }
            ++f.index;
            f.expect = Expect::Value;
            return startValue(c).ok() ? (m_mode == Mode::Skeleton ? (++i, Status{}) : Status{}) : startValue(c);
        case Expect::Colon:
            if (c != ':') return error(QStringLiteral("expected ':', found %1").arg(printable(c)));
            f.expect = Expect::Value;
            ++i;
            continue;
        case Expect::Value: {
            if (!f.object) ++f.index;
            const bool container = c == '{' || c == '[';
            CS_TRY(startValue(c));
            // A container on a route was pushed as a frame: its opening bracket is consumed here. Captured values
            // (containers or scalars) are consumed by the capture itself.
            if (m_mode == Mode::Skeleton && container) ++i;
            return {};
        }
        case Expect::CommaOrEnd:
            if (c == ',') {
                f.expect = f.object ? Expect::Key : Expect::Value;
                ++i;
                continue;
            }
            if (c == (f.object ? '}' : ']')) {
                m_stack.pop_back();
                ++i;
                return {};
            }
            return error(QStringLiteral("expected ',' or '%1', found %2").arg(QChar(f.object ? '}' : ']'), printable(c)));
        }
    }
    return {};
}

namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
}

Status JsonItemStream::feed(std::string_view chunk)
{
    if (!m_started) {
        // A UTF-8 byte order mark before the document is skipped, however the first bytes are cut.
        while (!chunk.empty() && m_bomBytes < kBom.size() && chunk.front() == kBom[m_bomBytes]) {
            ++m_bomBytes;
            chunk.remove_prefix(1);
        }
        if (chunk.empty() && m_bomBytes < kBom.size()) return {}; // maybe more of the mark in the next chunk
        CS_TRY(start());
    }
    return feedText(chunk);
}

// The first bytes are in: a partial mark was no mark, its bytes belong to the text.
Status JsonItemStream::start()
{
    m_started = true;
    return m_bomBytes < kBom.size() ? feedText(kBom.substr(0, m_bomBytes)) : Status{};
}

Status JsonItemStream::feedText(std::string_view chunk)
{
    size_t i = 0;
    while (i < chunk.size()) CS_TRY(step(chunk, i));
    return {};
}

Status JsonItemStream::finish()
{
    if (!m_started) CS_TRY(start());
    if (m_mode == Mode::Capture && m_scalar && m_captureDepth == 0 && !m_inString && !m_stack.empty())
        return makeError(ErrorCode::Json, QStringLiteral("unexpected end of input: the document is truncated"), {}, m_line);
    if (m_mode != Mode::Skeleton || !m_stack.empty())
        return makeError(ErrorCode::Json, QStringLiteral("unexpected end of input: the document is truncated"), {}, m_line,
                         QString::fromStdString(pathString(true)));
    return {};
}

} // namespace chainsight::importers
