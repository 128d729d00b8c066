// Reading scenario and automation-policy files: strict JSON, every field checked, errors naming the field.
#include "core/exercise/Scenario.h"

#include "core/crypto/Crypto.h"
#include "core/io/Files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cctype>
#include <set>

namespace chainsight::exercise {

namespace {

constexpr int64_t kSec = 1000000000LL;
constexpr size_t kMaxFileBytes = 4 * 1024 * 1024;
constexpr size_t kMaxInjects = 10000;

Error fieldError(const QString& file, const QString& field, const QString& what)
{
    return makeError(ErrorCode::Format, what, file, -1, field);
}

QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

Result<std::string> optString(const json::Value& obj, std::string_view key, const QString& file, const QString& path)
{
    const json::Value* v = obj.find(key);
    if (!v || v->isNull()) return std::string();
    if (!v->isString()) return fieldError(file, path + q(key), QStringLiteral("must be a string"));
    return v->asString();
}

Result<std::vector<std::string>> optStrings(const json::Value& obj, std::string_view key, const QString& file,
                                            const QString& path)
{
    std::vector<std::string> out;
    const json::Value* v = obj.find(key);
    if (!v || v->isNull()) return out;
    if (!v->isArray()) return fieldError(file, path + q(key), QStringLiteral("must be an array of strings"));
    for (size_t i = 0; i < v->items().size(); ++i) {
        const json::Value& it = v->items()[i];
        if (!it.isString() || it.asString().empty())
            return fieldError(file, path + q(key) + QStringLiteral("/%1").arg(i),
                              QStringLiteral("must be a non-empty string"));
        out.push_back(it.asString());
    }
    return out;
}

// An offset given as a string ("+90s") or a number of seconds.
Result<int64_t> offsetField(const json::Value& v, const QString& file, const QString& field)
{
    if (v.isNumber()) {
        const double s = v.asDouble();
        if (!(s >= 0) || s > 1e9)
            return fieldError(file, field, QStringLiteral("must be a number of seconds between 0 and 1e9"));
        return static_cast<int64_t>(s * 1e9);
    }
    if (v.isString()) {
        if (auto o = parseOffset(v.asString())) return *o;
    }
    return fieldError(file, field,
                      QStringLiteral("is not a time offset (\"+90s\", \"+12m\", \"+1h30m\", \"00:12:30\" or seconds)"));
}

} // namespace

std::optional<int64_t> parseOffset(std::string_view text)
{
    std::string s(text);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.erase(s.begin());
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    if (!s.empty() && s.front() == '+') s.erase(s.begin());
    if (s.empty() || s.size() > 32) return std::nullopt;
    // hh:mm:ss or mm:ss
    if (s.find(':') != std::string::npos) {
        std::vector<int64_t> parts;
        size_t start = 0;
        while (start <= s.size()) {
            const size_t colon = s.find(':', start);
            const std::string part = s.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            if (part.empty() || part.size() > 6 ||
                !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return std::nullopt;
            parts.push_back(std::stoll(part));
            if (colon == std::string::npos) break;
            start = colon + 1;
        }
        if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
        int64_t secs = 0;
        for (size_t i = 0; i < parts.size(); ++i) {
            if (i > 0 && parts[i] >= 60) return std::nullopt;
            secs = secs * 60 + parts[i];
        }
        return secs * kSec;
    }
    // 1h30m15s, 90s, 12m, 45 (seconds); a fraction is allowed on the last figure.
    int64_t total = 0;
    size_t i = 0;
    bool any = false;
    while (i < s.size()) {
        size_t j = i;
        while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.'))
            ++j;
        if (j == i || j - i > 12) return std::nullopt;
        const std::string num = s.substr(i, j - i);
        if (std::count(num.begin(), num.end(), '.') > 1) return std::nullopt;
        const double value = std::stod(num);
        int64_t unit = kSec;
        if (j < s.size()) {
            const char u = s[j];
            if (u == 'h')
                unit = 3600 * kSec;
            else if (u == 'm')
                unit = 60 * kSec;
            else if (u == 's')
                unit = kSec;
            else
                return std::nullopt;
            ++j;
        } else if (any) {
            return std::nullopt; // "1h30" is ambiguous
        }
        total += static_cast<int64_t>(value * static_cast<double>(unit));
        any = true;
        i = j;
    }
    return any ? std::optional<int64_t>(total) : std::nullopt;
}

std::string formatOffset(int64_t ns)
{
    const bool neg = ns < 0;
    int64_t s = (neg ? -ns : ns) / kSec;
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%s%lld:%02lld:%02lld", neg ? "-" : "+", static_cast<long long>(s / 3600),
                      static_cast<long long>((s / 60) % 60), static_cast<long long>(s % 60));
    else
        std::snprintf(buf, sizeof buf, "%s%lld:%02lld", neg ? "-" : "+", static_cast<long long>(s / 60),
                      static_cast<long long>(s % 60));
    return buf;
}

Result<Scenario> parseScenario(std::string_view text, const QString& file)
{
    if (text.size() > kMaxFileBytes) return makeError(ErrorCode::Limit, QStringLiteral("larger than 4 MiB"), file);
    json::Parser parser;
    auto parsed = parser.parse(text);
    if (!parsed) {
        Error e = parsed.error();
        e.file = file;
        return e;
    }
    const json::Value& root = *parsed;
    if (!root.isObject()) return fieldError(file, QString(), QStringLiteral("a scenario is a JSON object"));
    Scenario s;
    s.file = file;
    s.baseDir = QFileInfo(file).absolutePath();
    s.sha256 = crypto::sha256Hex(text);
    if (root.str("format") != "chainsight-exercise")
        return fieldError(file, QStringLiteral("format"), QStringLiteral("must be \"chainsight-exercise\""));
    const json::Value* version = root.find("version");
    if (!version || !version->isInt() || version->asInt() != 1)
        return fieldError(file, QStringLiteral("version"), QStringLiteral("must be 1"));
    auto title = optString(root, "title", file, {});
    if (!title) return title.error();
    s.title = *title;
    if (s.title.empty()) return fieldError(file, QStringLiteral("title"), QStringLiteral("is required"));
    auto desc = optString(root, "description", file, {});
    if (!desc) return desc.error();
    s.description = *desc;

    auto bundle = optString(root, "bundle", file, {});
    if (!bundle) return bundle.error();
    auto caseFile = optString(root, "case", file, {});
    if (!caseFile) return caseFile.error();
    if (bundle->empty() == caseFile->empty())
        return fieldError(file, QStringLiteral("bundle"),
                          QStringLiteral("give exactly one of \"bundle\" (a bundle path) or \"case\" (a case file)"));
    const std::string& rel = bundle->empty() ? *caseFile : *bundle;
    s.sourceIsCase = bundle->empty();
    s.source = QDir::cleanPath(QDir(s.baseDir).absoluteFilePath(q(rel)));

    if (const json::Value* st = root.find("start"); st && !st->isNull()) {
        auto o = offsetField(*st, file, QStringLiteral("start"));
        if (!o) return o.error();
        s.startOffsetNs = *o;
    }
    auto policy = optString(root, "automation_policy", file, {});
    if (!policy) return policy.error();
    if (!policy->empty()) s.policy = QDir::cleanPath(QDir(s.baseDir).absoluteFilePath(q(*policy)));

    // injects
    if (const json::Value* inj = root.find("injects"); inj && !inj->isNull()) {
        if (!inj->isArray()) return fieldError(file, QStringLiteral("injects"), QStringLiteral("must be an array"));
        if (inj->items().size() > kMaxInjects)
            return fieldError(file, QStringLiteral("injects"), QStringLiteral("more than 10000 injects"));
        std::set<std::string> ids;
        for (size_t i = 0; i < inj->items().size(); ++i) {
            const json::Value& it = inj->items()[i];
            const QString path = QStringLiteral("injects/%1/").arg(i);
            if (!it.isObject()) return fieldError(file, path.chopped(1), QStringLiteral("must be an object"));
            Inject in;
            const json::Value* at = it.find("at");
            if (!at) return fieldError(file, path + QStringLiteral("at"), QStringLiteral("is required"));
            auto o = offsetField(*at, file, path + QStringLiteral("at"));
            if (!o) return o.error();
            in.atNs = *o;
            auto id = optString(it, "id", file, path);
            if (!id) return id.error();
            in.id = id->empty() ? "inj-" + std::to_string(i + 1) : *id;
            if (!ids.insert(in.id).second)
                return fieldError(file, path + QStringLiteral("id"), QStringLiteral("duplicate inject id"));
            auto from = optString(it, "from", file, path);
            if (!from) return from.error();
            in.from = *from;
            auto msg = optString(it, "message", file, path);
            if (!msg) return msg.error();
            if (msg->empty()) return fieldError(file, path + QStringLiteral("message"), QStringLiteral("is required"));
            in.message = *msg;
            auto ev = optStrings(it, "evidence", file, path);
            if (!ev) return ev.error();
            in.evidence = *ev;
            s.injects.push_back(std::move(in));
        }
        std::stable_sort(s.injects.begin(), s.injects.end(),
                         [](const Inject& a, const Inject& b) { return a.atNs < b.atNs; });
    }

    // expected answer
    const json::Value* exp = root.find("expected");
    if (!exp || !exp->isObject())
        return fieldError(file, QStringLiteral("expected"), QStringLiteral("is required (an object)"));
    ExpectedAnswer& a = s.answer;
    auto type = optString(*exp, "incident_type", file, QStringLiteral("expected/"));
    if (!type) return type.error();
    static const std::set<std::string> kTypes = {"none", "reasoning_compromise", "privilege_boundary_escape",
                                                 "runtime_execution_escape"};
    if (!kTypes.count(*type))
        return fieldError(
            file, QStringLiteral("expected/incident_type"),
            QStringLiteral(
                "must be none, reasoning_compromise, privilege_boundary_escape or runtime_execution_escape"));
    a.incidentType = *type;
    if (const json::Value* by = exp->find("classify_by"); by && !by->isNull()) {
        auto o = offsetField(*by, file, QStringLiteral("expected/classify_by"));
        if (!o) return o.error();
        a.classifyByNs = *o;
    }
    for (auto [key, out] : {std::pair<const char*, std::vector<std::string>*>{"injection_sources", &a.injectionSources},
                            {"harmful_actions", &a.harmfulActions},
                            {"checklist", &a.checklist}}) {
        auto v = optStrings(*exp, key, file, QStringLiteral("expected/"));
        if (!v) return v.error();
        *out = *v;
    }
    auto fs = optString(*exp, "first_signal", file, QStringLiteral("expected/"));
    if (!fs) return fs.error();
    a.firstSignal = *fs;
    auto notes = optString(*exp, "notes", file, QStringLiteral("expected/"));
    if (!notes) return notes.error();
    a.notes = *notes;
    if (const json::Value* c = exp->find("containment"); c && !c->isNull()) {
        if (!c->isArray())
            return fieldError(file, QStringLiteral("expected/containment"), QStringLiteral("must be an array"));
        for (size_t i = 0; i < c->items().size(); ++i) {
            const json::Value& it = c->items()[i];
            const QString path = QStringLiteral("expected/containment/%1/").arg(i);
            if (!it.isObject()) return fieldError(file, path.chopped(1), QStringLiteral("must be an object"));
            ExpectedContainment ec;
            auto action = optString(it, "action", file, path);
            if (!action) return action.error();
            if (action->empty())
                return fieldError(file, path + QStringLiteral("action"), QStringLiteral("is required"));
            ec.action = *action;
            auto target = optString(it, "target", file, path);
            if (!target) return target.error();
            ec.target = *target;
            if (const json::Value* by = it.find("by"); by && !by->isNull()) {
                auto o = offsetField(*by, file, path + QStringLiteral("by"));
                if (!o) return o.error();
                ec.byNs = *o;
            }
            a.containment.push_back(std::move(ec));
        }
    }
    return s;
}

Result<Scenario> loadScenario(const QString& path)
{
    auto bytes = io::readFileBounded(path, static_cast<int64_t>(kMaxFileBytes));
    if (!bytes) return bytes.error();
    auto s = parseScenario(*bytes, path);
    if (!s) return s;
    s->baseDir = QFileInfo(path).absolutePath();
    if (!QFileInfo::exists(s->source))
        return fieldError(path, s->sourceIsCase ? QStringLiteral("case") : QStringLiteral("bundle"),
                          QStringLiteral("not found: %1").arg(s->source));
    return s;
}

json::Value scenarioToJson(const Scenario& s)
{
    using json::Value;
    Value o = Value::object();
    o.set("format", Value::string("chainsight-exercise"));
    o.set("version", Value::integer(1));
    o.set("title", Value::string(s.title));
    if (!s.description.empty()) o.set("description", Value::string(s.description));
    const std::string rel = QDir(s.baseDir).relativeFilePath(s.source).toStdString();
    o.set(s.sourceIsCase ? "case" : "bundle", Value::string(rel));
    if (s.startOffsetNs) o.set("start", Value::string(formatOffset(s.startOffsetNs)));
    if (!s.policy.isEmpty())
        o.set("automation_policy", Value::string(QDir(s.baseDir).relativeFilePath(s.policy).toStdString()));
    Value injects = Value::array();
    for (const Inject& in : s.injects) {
        Value i = Value::object();
        i.set("id", Value::string(in.id));
        i.set("at", Value::string(formatOffset(in.atNs)));
        if (!in.from.empty()) i.set("from", Value::string(in.from));
        i.set("message", Value::string(in.message));
        if (!in.evidence.empty()) {
            Value ev = Value::array();
            for (const auto& e : in.evidence)
                ev.append(Value::string(e));
            i.set("evidence", std::move(ev));
        }
        injects.append(std::move(i));
    }
    o.set("injects", std::move(injects));
    Value e = Value::object();
    e.set("incident_type", Value::string(s.answer.incidentType));
    if (s.answer.classifyByNs >= 0) e.set("classify_by", Value::string(formatOffset(s.answer.classifyByNs)));
    auto strings = [](const std::vector<std::string>& v) {
        Value a = Value::array();
        for (const auto& x : v)
            a.append(Value::string(x));
        return a;
    };
    e.set("injection_sources", strings(s.answer.injectionSources));
    e.set("harmful_actions", strings(s.answer.harmfulActions));
    if (!s.answer.firstSignal.empty()) e.set("first_signal", Value::string(s.answer.firstSignal));
    Value c = Value::array();
    for (const auto& ec : s.answer.containment) {
        Value x = Value::object();
        x.set("action", Value::string(ec.action));
        if (!ec.target.empty()) x.set("target", Value::string(ec.target));
        if (ec.byNs >= 0) x.set("by", Value::string(formatOffset(ec.byNs)));
        c.append(std::move(x));
    }
    e.set("containment", std::move(c));
    e.set("checklist", strings(s.answer.checklist));
    if (!s.answer.notes.empty()) e.set("notes", Value::string(s.answer.notes));
    o.set("expected", std::move(e));
    return o;
}

std::string_view policyModeName(PolicyMode m)
{
    return m == PolicyMode::Automatic ? "automatic" : "route-to-analyst";
}

Result<AutomationPolicy> parsePolicy(std::string_view text, const QString& file)
{
    json::Parser parser;
    auto parsed = parser.parse(text);
    if (!parsed) {
        Error e = parsed.error();
        e.file = file;
        return e;
    }
    const json::Value& root = *parsed;
    if (!root.isObject() || root.str("format") != "chainsight-automation-policy")
        return fieldError(file, QStringLiteral("format"), QStringLiteral("must be \"chainsight-automation-policy\""));
    const json::Value* version = root.find("version");
    if (!version || !version->isInt() || version->asInt() != 1)
        return fieldError(file, QStringLiteral("version"), QStringLiteral("must be 1"));
    AutomationPolicy p;
    p.file = file;
    p.title = std::string(root.str("title"));
    const json::Value* rules = root.find("rules");
    if (!rules || !rules->isArray())
        return fieldError(file, QStringLiteral("rules"), QStringLiteral("is required (an array)"));
    static const std::set<std::string> kSev = {"", "info", "low", "medium", "high", "critical"};
    static const std::set<std::string> kTypes = {"reasoning_compromise", "privilege_boundary_escape",
                                                 "runtime_execution_escape"};
    std::set<std::string> ids;
    for (size_t i = 0; i < rules->items().size(); ++i) {
        const json::Value& it = rules->items()[i];
        const QString path = QStringLiteral("rules/%1/").arg(i);
        if (!it.isObject()) return fieldError(file, path.chopped(1), QStringLiteral("must be an object"));
        PolicyRule r;
        for (auto [key, out] : {std::pair<const char*, std::string*>{"id", &r.id},
                                {"agent", &r.agent},
                                {"finding", &r.finding},
                                {"incident_type", &r.incidentType},
                                {"min_severity", &r.minSeverity},
                                {"action", &r.action},
                                {"target", &r.target}}) {
            auto v = optString(it, key, file, path);
            if (!v) return v.error();
            if (!v->empty()) *out = *v;
        }
        if (r.id.empty()) r.id = "rule-" + std::to_string(i + 1);
        if (!ids.insert(r.id).second)
            return fieldError(file, path + QStringLiteral("id"), QStringLiteral("duplicate rule id"));
        if (r.finding.empty() == r.incidentType.empty())
            return fieldError(file, path + QStringLiteral("finding"),
                              QStringLiteral("give exactly one of \"finding\" or \"incident_type\""));
        if (!r.incidentType.empty() && !kTypes.count(r.incidentType))
            return fieldError(file, path + QStringLiteral("incident_type"), QStringLiteral("unknown incident type"));
        if (!kSev.count(r.minSeverity))
            return fieldError(file, path + QStringLiteral("min_severity"),
                              QStringLiteral("must be info, low, medium, high or critical"));
        if (const json::Value* c = it.find("min_confidence"); c && !c->isNull()) {
            if (!c->isNumber() || c->asDouble() < 0 || c->asDouble() > 1)
                return fieldError(file, path + QStringLiteral("min_confidence"),
                                  QStringLiteral("must be a number from 0 to 1"));
            r.minConfidence = c->asDouble();
        }
        if (r.action.empty()) return fieldError(file, path + QStringLiteral("action"), QStringLiteral("is required"));
        if (r.target.empty()) r.target = "{agent}";
        const std::string mode(it.str("mode"));
        if (mode == "automatic")
            r.mode = PolicyMode::Automatic;
        else if (mode == "route-to-analyst" || mode.empty())
            r.mode = PolicyMode::RouteToAnalyst;
        else
            return fieldError(file, path + QStringLiteral("mode"),
                              QStringLiteral("must be automatic or route-to-analyst"));
        p.rules.push_back(std::move(r));
    }
    return p;
}

Result<AutomationPolicy> loadPolicy(const QString& path)
{
    auto bytes = io::readFileBounded(path, static_cast<int64_t>(kMaxFileBytes));
    if (!bytes) return bytes.error();
    return parsePolicy(*bytes, path);
}

} // namespace chainsight::exercise
