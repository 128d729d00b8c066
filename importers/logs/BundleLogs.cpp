#include "importers/logs/BundleLogs.h"

#include "core/ingest/IngestSession.h"
#include "core/io/Gzip.h"
#include "importers/cloudtrail/CloudTrailDecoder.h"
#include "importers/logs/ForeignImport.h"
#include "importers/otlp/OtlpDecoder.h"

#include <QString>

#include <cstring>
#include <unordered_set>

namespace chainsight::importers {

namespace {
class MemoryReader : public io::EntryReader
{
public:
    explicit MemoryReader(std::string_view data) : m_data(data) {}
    Result<size_t> read(char* buf, size_t cap) override
    {
        const size_t n = std::min(cap, m_data.size() - m_pos);
        std::memcpy(buf, m_data.data() + m_pos, n);
        m_pos += n;
        return n;
    }

private:
    std::string_view m_data;
    size_t m_pos = 0;
};

// Events and decisions of one log file into the bundle's session: decision numbers follow the bundle's own
// decision log, registry entries for agents the bundle already lists are left to agents.json, and an event id
// the logs already produced (the same span exported twice, in two files) is kept once.
class BundleSink : public LogSink
{
public:
    BundleSink(ingest::IngestSession& s, int handle, int64_t& nextSeq, std::set<std::string>& agents,
               std::unordered_set<std::string>& ids, ImportReport& r, Correlator& c)
        : m_session(s), m_handle(handle), m_nextSeq(nextSeq), m_agents(agents), m_ids(ids), m_report(r), m_correlator(c)
    {
    }
    void event(Event&& e) override
    {
        if (!m_ids.insert(e.id).second) {
            ++m_duplicates;
            return;
        }
        m_correlator.addEvent(e); // an OTLP tool call in logs/ is an agent action for the CloudTrail file after it
        m_session.addEvent(std::move(e), m_handle);
    }
    void decision(Decision&& d) override
    {
        d.seq = m_nextSeq++;
        m_session.addDecision(std::move(d));
    }
    void baseline(AgentBaseline&& b) override
    {
        if (m_agents.insert(b.id).second) m_session.addBaseline(std::move(b));
    }
    void warning(std::string w) override { m_report.warnings.push_back(std::move(w)); }
    int64_t duplicates() const { return m_duplicates; }

private:
    ingest::IngestSession& m_session;
    int m_handle;
    int64_t& m_nextSeq;
    std::set<std::string>& m_agents;
    std::unordered_set<std::string>& m_ids;
    ImportReport& m_report;
    Correlator& m_correlator;
    int64_t m_duplicates = 0;
};
} // namespace

void BundleLogs::fileBegin(const std::string& path, int handle)
{
    m_files.push_back({path, handle, {}, false});
    m_open = true;
}

void BundleLogs::fileBytes(std::string_view bytes)
{
    if (!m_open) return;
    Pending& p = m_files.back();
    if (p.tooLarge) return;
    if (m_total + bytes.size() > kMaxLogBytes) {
        p.tooLarge = true;
        m_total -= p.bytes.size();
        std::string().swap(p.bytes);
        return;
    }
    p.bytes.append(bytes);
    m_total += bytes.size();
}

void BundleLogs::fileEnd()
{
    m_open = false;
}

void BundleLogs::nativeEvent(const Event& e)
{
    if (e.type == EventType::ToolCall || e.type == EventType::IdentityChange) m_correlator.addEvent(e, 0, m_bundleId);
    if (!e.identity.empty() && e.type != EventType::Auth)
        m_correlator.addAssumedIdentity(e.agent, e.session, e.identity, e.tsNs);
}

void BundleLogs::nativeDecision(const Decision& d)
{
    m_maxSeq = std::max(m_maxSeq, d.seq);
}

void BundleLogs::nativeBaseline(const AgentBaseline& b)
{
    m_agents.insert(b.id);
    if (b.identities)
        for (const auto& id : *b.identities)
            m_correlator.addBaselineIdentity(b.id, id);
}

Result<std::vector<ImportReport>> BundleLogs::decode(ingest::IngestSession& session, const ImportOptions& options)
{
    std::vector<ImportReport> out;
    int64_t nextSeq = m_maxSeq + 1;
    std::unordered_set<std::string> ids;
    // OTLP before CloudTrail, so tool calls traced in logs/ can be what a cloud record is linked to.
    std::vector<std::pair<std::string, Pending*>> order;
    for (Pending& p : m_files) {
        std::string inflated;
        std::string_view head = p.bytes;
        if (io::looksGzip(p.bytes)) {
            MemoryReader raw(p.bytes);
            io::GzipReader gz(raw, QString::fromStdString(p.path), options.limits);
            inflated.resize(64 * 1024);
            size_t got = 0;
            while (got < inflated.size()) {
                auto n = gz.read(inflated.data() + got, inflated.size() - got);
                if (!n || *n == 0) break;
                got += *n;
            }
            inflated.resize(got);
            head = inflated;
        }
        order.emplace_back(p.tooLarge ? std::string() : sniffLogFormat(head.substr(0, 64 * 1024)), &p);
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        auto rank = [](const std::string& f) { return f == "otlp" ? 0 : f == "cloudtrail" ? 1 : 2; };
        return rank(a.first) < rank(b.first);
    });
    for (auto& [format, p] : order) {
        ImportReport r;
        r.bundleId = m_bundleId;
        r.importer = format;
        if (format.empty()) {
            r.importer = "none";
            r.warnings.push_back(p->path + (p->tooLarge ? ": too large to decode with the bundle; kept as evidence"
                                                        : ": not a log format Chainsight decodes; kept as evidence"));
            out.push_back(std::move(r));
            continue;
        }
        BundleSink sink(session, p->handle, nextSeq, m_agents, ids, r, m_correlator);
        std::unique_ptr<LogDecoder> decoder;
        if (format == "otlp")
            decoder = std::make_unique<OtlpDecoder>(sink, m_bundleId);
        else
            decoder = std::make_unique<CloudTrailDecoder>(sink, m_correlator, m_bundleId, m_bundleId);
        const QString path = QString::fromStdString(p->path); // a lambda may not capture the binding p (clang 14)
        auto located = [&path](Error e) {
            if (e.file.isEmpty() || e.file == path) e.file = path;
            return e;
        };
        for (int pass = 0; pass < decoder->passes(); ++pass) {
            if (options.cancel && options.cancel->load())
                return makeError(ErrorCode::Cancelled, QStringLiteral("import cancelled"));
            if (session.failed()) return makeError(ErrorCode::Internal, QStringLiteral("the import writer stopped"));
            CS_TRY(decoder->beginPass(pass));
            std::string buf(1 << 20, '\0');
            MemoryReader raw(p->bytes);
            std::unique_ptr<io::GzipReader> gz;
            io::EntryReader* reader = &raw;
            if (io::looksGzip(p->bytes)) {
                gz = std::make_unique<io::GzipReader>(raw, QString::fromStdString(p->path), options.limits);
                reader = gz.get();
            }
            for (;;) {
                auto n = reader->read(buf.data(), buf.size());
                if (!n) return located(n.error());
                if (*n == 0) break;
                if (Status s = decoder->feed(std::string_view(buf.data(), *n)); !s) return located(s.error());
            }
            if (Status s = decoder->endPass(); !s) return located(s.error());
        }
        r.events = decoder->events();
        r.decisions = decoder->decisions();
        json::Value d = json::Value::object();
        d.set("path", json::Value::string(p->path));
        d.set("format", json::Value::string(format));
        const json::Value summary = decoder->summary();
        for (const auto& [k, v] : summary.members())
            d.set(k, v);
        if (sink.duplicates()) d.set("duplicate_events", json::Value::integer(sink.duplicates()));
        m_detail.append(std::move(d));
        std::string().swap(p->bytes);
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace chainsight::importers
