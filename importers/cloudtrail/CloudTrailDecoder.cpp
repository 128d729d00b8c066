// Record-by-record translation of CloudTrail into native-shaped events. The mapping table is in docs/importers.md.
#include "importers/cloudtrail/CloudTrailDecoder.h"

#include "core/model/Time.h"
#include "importers/logs/JsonItemStream.h"
#include "importers/logs/KeyWatch.h"

#include <set>

namespace chainsight::importers {

namespace {
using json::Value;

Error fieldError(const std::string& field, const QString& message)
{
    return makeError(ErrorCode::Format, message, {}, -1, QString::fromStdString(field));
}

std::string serviceOf(std::string_view eventSource)
{
    const size_t dot = eventSource.find('.');
    return std::string(eventSource.substr(0, dot));
}

// AssumeRole and its kin: the mechanism an identity_change records.
std::string identityMechanism(std::string_view source, std::string_view name)
{
    if (source != "sts.amazonaws.com") return {};
    if (name == "AssumeRole") return "assume_role";
    if (name == "AssumeRoleWithWebIdentity" || name == "AssumeRoleWithSAML" || name == "GetFederationToken" ||
        name == "GetSessionToken" || name == "AssumeRoot")
        return "token_exchange";
    return {};
}

bool isSignIn(const Value& r)
{
    const std::string_view type = r.str("eventType");
    const std::string_view source = r.str("eventSource");
    return type == "AwsConsoleSignIn" || source == "signin.amazonaws.com" || r.str("eventName") == "ConsoleLogin";
}

struct Who
{
    std::string principal; // the identity the event is on
    std::vector<std::string> aliases;
    std::string sessionName, accessKey, type;
};

Who whoOf(const Value& r)
{
    Who w;
    const Value* u = r.find("userIdentity");
    if (!u || !u->isObject()) {
        w.principal = "aws:unknown";
        return w;
    }
    w.type = u->str("type");
    const std::string arn(u->str("arn"));
    const std::string principalId(u->str("principalId"));
    w.accessKey = u->str("accessKeyId");
    if (!arn.empty()) w.aliases.push_back(arn);
    if (!u->str("userName").empty()) w.aliases.push_back(std::string(u->str("userName")));
    if (const Value* sc = u->find("sessionContext"); sc && sc->isObject())
        if (const Value* si = sc->find("sessionIssuer"); si && si->isObject()) {
            if (!si->str("arn").empty()) w.aliases.push_back(std::string(si->str("arn")));
            if (!si->str("userName").empty()) w.aliases.push_back(std::string(si->str("userName")));
        }
    // arn:aws:sts::123:assumed-role/Role/session: the role session name often carries the agent's session.
    if (const size_t ar = arn.find(":assumed-role/"); ar != std::string::npos) {
        const size_t slash = arn.find('/', ar + 14);
        if (slash != std::string::npos) w.sessionName = arn.substr(slash + 1);
    } else if (const size_t colon = principalId.find(':'); colon != std::string::npos) {
        w.sessionName = principalId.substr(colon + 1);
    }
    if (!principalId.empty()) w.aliases.push_back(principalId);
    if (const Value* wf = u->find("webIdFederationData"); wf && wf->isObject() && !wf->str("federatedProvider").empty())
        w.aliases.push_back(std::string(wf->str("federatedProvider")));
    if (w.type == "AWSService" && !u->str("invokedBy").empty()) w.aliases.push_back(std::string(u->str("invokedBy")));
    w.principal = !arn.empty()                   ? arn
                  : !principalId.empty()         ? principalId
                  : !u->str("invokedBy").empty() ? std::string(u->str("invokedBy"))
                                                 : "aws:" + w.type;
    if (w.principal == "aws:") w.principal = "aws:unknown";
    return w;
}
} // namespace

struct CloudTrailDecoder::Impl
{
    LogSink& sink;
    Correlator& correlator;
    std::string bundleId, stem;
    std::unique_ptr<JsonItemStream> stream;
    json::Parser parser;
    std::set<std::string> seenIds;
    int64_t nRecords = 0, nEvents = 0, nDuplicates = 0, nCorrelated = 0, nIdentity = 0;
    KeyWatch records{"\"Records\""}; // a "Records" key somewhere: what makes a JSON document a CloudTrail log

    Impl(LogSink& s, Correlator& c, std::string b, std::string st)
        : sink(s), correlator(c), bundleId(std::move(b)), stem(std::move(st))
    {
    }
    Status record(const Value& r, int64_t line, const std::string& field);
};

Status CloudTrailDecoder::Impl::record(const Value& r, int64_t line, const std::string& field)
{
    ++nRecords;
    auto at = [&](const char* name) { return field.empty() ? std::string(name) : field + "/" + name; };
    if (!r.isObject()) return fieldError(field, QStringLiteral("a record must be an object"));
    const Value* timeV = r.find("eventTime");
    if (!timeV || !timeV->isString())
        return fieldError(at("eventTime"), QStringLiteral("a record needs its eventTime"));
    const auto ts = parseRfc3339(timeV->asString());
    if (!ts)
        return fieldError(
            at("eventTime"),
            QStringLiteral("not an RFC 3339 time: \"%1\"").arg(QString::fromStdString(timeV->asString())));
    const std::string source(r.str("eventSource")), name(r.str("eventName"));
    if (source.empty() || name.empty())
        return fieldError(at(source.empty() ? "eventSource" : "eventName"),
                          QStringLiteral("a record needs eventSource and eventName"));
    std::string eventId(r.str("eventID"));
    if (eventId.empty()) eventId = r.str("requestID");
    if (eventId.empty()) eventId = "line" + std::to_string(line) + "-" + std::to_string(nRecords);
    if (!seenIds.insert(eventId).second) {
        ++nDuplicates; // CloudTrail may deliver a record twice: the first copy stands
        return {};
    }

    Who who = whoOf(r);
    const std::string service = serviceOf(source);
    const std::string api = service + ":" + name;
    const std::string errorCode(r.str("errorCode"));
    bool failed = !errorCode.empty();
    if (const Value* re = r.find("responseElements"); re && re->isObject() && re->str("ConsoleLogin") == "Failure")
        failed = true;
    const std::string mechanism = failed ? std::string() : identityMechanism(source, name);

    // Who was behind it on the agent side.
    auto m = correlator.match(who.aliases, who.sessionName, *ts, name, service, !mechanism.empty());
    std::string agent, session;
    Value correlation = Value::null();
    std::string parent;
    if (m) {
        agent = m->action->agent;
        session = m->action->session;
        correlation = Value::object();
        correlation.set("event", Value::string(m->action->eventId));
        if (!m->action->bundleId.empty()) correlation.set("bundle", Value::string(m->action->bundleId));
        correlation.set("agent", Value::string(m->action->agent));
        correlation.set("session", Value::string(m->action->session));
        correlation.set("tool", Value::string(m->action->tool));
        correlation.set("basis", Value::string(m->basis));
        correlation.set("delta_ms", Value::integer(m->deltaNs / 1000000));
        if (m->action->bundleRow == 0 && (m->action->bundleId.empty() || m->action->bundleId == bundleId))
            parent = m->action->eventId;
        ++nCorrelated;
    } else if (auto s = correlator.sessionOf(who.aliases, *ts)) {
        agent = s->first;
        session = s->second;
    } else {
        agent = correlator.baselineAgent(who.aliases);
        std::string bare = who.principal;
        if (const size_t slash = bare.rfind('/'); slash != std::string::npos) bare = bare.substr(slash + 1);
        if (agent.empty()) {
            // No agent behind it that we know of: the principal itself (its role, not one session of it).
            const size_t ar = who.principal.find(":assumed-role/");
            agent = "aws:" + (ar != std::string::npos
                                  ? who.principal.substr(ar + 14, who.principal.find('/', ar + 14) - ar - 14)
                                  : bare);
        }
        session = "aws:" + (!who.accessKey.empty() ? who.accessKey : !who.sessionName.empty() ? who.sessionName : bare);
    }

    Value o = Value::object();
    o.set("id", Value::string("ct-" + eventId));
    o.set("ts", Value::string(formatRfc3339(*ts)));
    const char* type = !mechanism.empty() ? "identity_change" : "auth";
    o.set("type", Value::string(type));
    o.set("agent", Value::string(agent));
    o.set("session", Value::string(session));
    o.set("identity", Value::string(who.principal));
    if (!parent.empty()) o.set("parent", Value::string(parent));
    if (!mechanism.empty()) {
        const Value* re = r.find("responseElements");
        const Value* rp = r.find("requestParameters");
        std::string to;
        if (re && re->isObject())
            if (const Value* aru = re->find("assumedRoleUser"); aru && aru->isObject()) to = aru->str("arn");
        if (to.empty() && re && re->isObject())
            if (const Value* fu = re->find("federatedUser"); fu && fu->isObject()) to = fu->str("arn");
        if (to.empty() && rp && rp->isObject()) to = rp->str("roleArn");
        if (to.empty()) to = who.principal; // GetSessionToken: new credentials for the same principal
        o.set("from", Value::string(who.principal));
        o.set("to", Value::string(to));
        o.set("mechanism", Value::string(mechanism));
        Value scopes = Value::array();
        if (rp && rp->isObject()) {
            if (const Value* pa = rp->find("policyArns"); pa && pa->isArray())
                for (const Value& p : pa->items())
                    if (p.isObject() && !p.str("arn").empty()) scopes.append(Value::string(std::string(p.str("arn"))));
            if (!rp->str("roleSessionName").empty())
                o.set("role_session_name", Value::string(std::string(rp->str("roleSessionName"))));
            if (!rp->str("sourceIdentity").empty())
                o.set("source_identity", Value::string(std::string(rp->str("sourceIdentity"))));
        }
        o.set("scopes", std::move(scopes));
        // The session now also holds the new identity, for the records that follow (an AssumeRole chain).
        int64_t until = 0;
        if (re && re->isObject())
            if (const Value* c = re->find("credentials"); c && c->isObject())
                if (auto exp = parseRfc3339(c->str("expiration"))) until = *exp;
        correlator.addAssumedIdentity(agent, session, to, *ts, until);
        ++nIdentity;
    } else {
        o.set("principal", Value::string(who.principal));
        o.set("action", Value::string(api));
        o.set("outcome", Value::string(failed ? "failure" : "success"));
        o.set("category", Value::string(isSignIn(r) ? "sign_in" : "resource"));
        Value resources = Value::array();
        if (const Value* rs = r.find("resources"); rs && rs->isArray())
            for (const Value& x : rs->items())
                if (x.isObject() && !x.str("ARN").empty()) resources.append(Value::string(std::string(x.str("ARN"))));
        if (!resources.items().empty()) o.set("resources", std::move(resources));
    }
    // The record itself, whole: every field CloudTrail wrote is kept.
    Value cloud = Value::object();
    cloud.set("provider", Value::string("aws"));
    cloud.set("api", Value::string(api));
    cloud.set("record", r);
    o.set("cloud", std::move(cloud));
    if (!correlation.isNull()) o.set("correlation", std::move(correlation));

    std::string raw = o.dump();
    auto e = eventFromJson(o, std::move(raw));
    if (!e) {
        Error err = e.error();
        if (!field.empty())
            err.field =
                QString::fromStdString(field) + (err.field.isEmpty() ? QString() : QStringLiteral("/") + err.field);
        return err;
    }
    e->line = line;
    ++nEvents;
    sink.event(std::move(*e));
    return {};
}

CloudTrailDecoder::CloudTrailDecoder(LogSink& sink, Correlator& correlator, std::string bundleId, std::string stem)
    : d(std::make_unique<Impl>(sink, correlator, std::move(bundleId), std::move(stem)))
{
}
CloudTrailDecoder::~CloudTrailDecoder() = default;

Status CloudTrailDecoder::beginPass(int)
{
    // {"Records": [...]} documents, one or more one after another (concatenated deliveries).
    std::vector<std::vector<std::string>> routes = {{"Records", "*"}};
    d->stream = std::make_unique<JsonItemStream>(std::move(routes), [this](const JsonItemStream::Item& item) -> Status {
        auto v = d->parser.parse(item.text);
        if (!v) return v.error();
        return d->record(*v, item.line, {});
    });
    return {};
}

Status CloudTrailDecoder::feed(std::string_view chunk)
{
    d->records.feed(chunk);
    return d->stream->feed(chunk);
}

Status CloudTrailDecoder::endPass()
{
    CS_TRY(d->stream->finish());
    if (d->stream->documents() == 0 || !d->records.seen())
        return makeError(ErrorCode::Format, QStringLiteral("not a CloudTrail log: no {\"Records\": [...]} document"));
    if (d->nRecords == 0) d->sink.warning("the CloudTrail file holds no records");
    return {};
}

int64_t CloudTrailDecoder::events() const
{
    return d->nEvents;
}

json::Value CloudTrailDecoder::summary() const
{
    Value o = Value::object();
    o.set("records", Value::integer(d->nRecords));
    o.set("duplicate_records", Value::integer(d->nDuplicates));
    o.set("events", Value::integer(d->nEvents));
    o.set("identity_changes", Value::integer(d->nIdentity));
    o.set("correlated", Value::integer(d->nCorrelated));
    return o;
}

int CloudTrailDecoder::sniff(std::string_view head)
{
    size_t i = 0;
    if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        ++i;
    if (i >= head.size() || head[i] != '{') return 0;
    if (head.find("\"Records\"") == std::string_view::npos) return 0;
    const bool fields = head.find("\"eventName\"") != std::string_view::npos ||
                        head.find("\"eventSource\"") != std::string_view::npos ||
                        head.find("\"eventVersion\"") != std::string_view::npos;
    return fields ? 95 : 40;
}

} // namespace chainsight::importers
