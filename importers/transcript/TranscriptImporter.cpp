#include "importers/transcript/TranscriptImporter.h"

#include "importers/logs/ForeignImport.h"
#include "importers/logs/LogDecoder.h"
#include "importers/transcript/TranscriptMapper.h"

#include <QFileInfo>

namespace chainsight::importers {

namespace {
constexpr size_t kSniffBytes = 64 * 1024;
constexpr size_t kMaxDocumentBytes = 256u << 20; // a whole-document transcript is parsed at once
constexpr size_t kMaxLineBytes = 64u << 20;      // one JSONL run

std::string_view trimLeft(std::string_view s)
{
    if (s.size() >= 3 && static_cast<unsigned char>(s[0]) == 0xEF && static_cast<unsigned char>(s[1]) == 0xBB &&
        static_cast<unsigned char>(s[2]) == 0xBF)
        s.remove_prefix(3);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
    return s;
}

bool looksLikeMessages(const json::Value& v)
{
    if (!v.isArray() || v.items().empty()) return false;
    const json::Value& m = v.items().front();
    return m.isObject() && m.find("role") && m.find("role")->isString();
}

// What a parsed JSONL line or document is.
enum class Shape { Run, Header, Messages, Runs, Other };
Shape shapeOf(const json::Value& v)
{
    if (v.isArray()) {
        if (looksLikeMessages(v)) return Shape::Messages;
        if (!v.items().empty() && v.items().front().isObject() && v.items().front().find("messages")) return Shape::Runs;
        return Shape::Other;
    }
    if (!v.isObject()) return Shape::Other;
    if (const json::Value* m = v.find("messages"); m && m->isArray()) return Shape::Run;
    for (const char* key : {"runs", "transcripts", "conversations"})
        if (const json::Value* r = v.find(key); r && r->isArray()) return Shape::Runs;
    if (v.find("metadata") && v.members().size() <= 2) return Shape::Header;
    return Shape::Other;
}

const json::Value* runsArray(const json::Value& v)
{
    if (v.isArray()) return &v;
    for (const char* key : {"runs", "transcripts", "conversations"})
        if (const json::Value* r = v.find(key); r && r->isArray()) return r;
    return nullptr;
}

// Transcript bytes into events, driven by importForeignFile: JSON Lines of runs are mapped as each line arrives;
// anything else is collected and parsed as one document at the end (bounded by kMaxDocumentBytes).
class TranscriptDecoder : public LogDecoder
{
public:
    TranscriptDecoder(LogSink& sink, const std::string& stem) : m_sink(sink), m_mapper(stem, "openai-messages")
    {
        m_lineLimits.maxBytes = kMaxLineBytes;
    }

    Status beginPass(int) override { return {}; }

    Status feed(std::string_view chunk) override
    {
        while (!chunk.empty()) {
            const size_t nl = chunk.find('\n');
            if (nl == std::string_view::npos) {
                m_pending.append(chunk);
                break;
            }
            if (m_pending.empty()) {
                CS_TRY(onLine(chunk.substr(0, nl)));
            } else {
                m_pending.append(chunk.substr(0, nl));
                CS_TRY(onLine(m_pending));
                m_pending.clear();
            }
            chunk.remove_prefix(nl + 1);
        }
        if (m_pending.size() > kMaxDocumentBytes || m_document.size() > kMaxDocumentBytes)
            return makeError(ErrorCode::Limit,
                             QStringLiteral("a transcript document or line is larger than %1 bytes").arg(kMaxDocumentBytes),
                             QString(), m_lineNo + 1);
        return {};
    }

    Status endPass() override
    {
        if (!m_pending.empty()) {
            CS_TRY(onLine(m_pending));
            m_pending.clear();
        }
        if (m_mode == Mode::Unknown) return makeError(ErrorCode::Format, QStringLiteral("the file is empty"));
        if (m_mode == Mode::Document) return mapDocument();
        return {};
    }

    int64_t events() const override { return m_events; }
    json::Value summary() const override
    {
        json::Value d = json::Value::object();
        d.set("runs", json::Value::integer(m_mapper.runs()));
        d.set("events", json::Value::integer(m_events));
        return d;
    }

private:
    enum class Mode { Unknown, Lines, Document };

    Status map(const TranscriptRun& run)
    {
        return m_mapper.mapRun(run, [this](Event&& e) {
            ++m_events;
            m_sink.event(std::move(e));
        });
    }

    Status onLine(std::string_view line)
    {
        ++m_lineNo;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (m_mode == Mode::Document) {
            (m_document += line) += '\n';
            return {};
        }
        if (trimLeft(line).empty()) return {};
        auto v = m_parser.parse(line, m_lineLimits);
        if (m_mode == Mode::Unknown) {
            const bool lineMode = v && (v->isObject() || looksLikeMessages(*v)) && shapeOf(*v) != Shape::Runs &&
                                  shapeOf(*v) != Shape::Other;
            if (!lineMode) {
                // Not one run per line: a (pretty-printed) document.
                m_mode = Mode::Document;
                (m_document += line) += '\n';
                return {};
            }
            m_mode = Mode::Lines;
            m_mapper.setFormat("jsonl-runs");
        }
        auto atLine = [this](Error e) {
            if (e.line < 0) e.line = m_lineNo;
            return e;
        };
        if (!v) return atLine(v.error());
        const Shape shape = shapeOf(*v);
        TranscriptRun run;
        run.line = m_lineNo;
        if (shape == Shape::Header && m_position == 0) {
            m_mapper.setDatasetHeader(*v);
            if (v->find("metadata") && v->find("metadata")->str("benchmark").find("dojo") != std::string_view::npos)
                m_mapper.setFormat("agentdojo-jsonl");
            ++m_position;
            return {};
        }
        if (shape == Shape::Messages) {
            run.messages = &*v;
        } else if (shape == Shape::Run) {
            run.messages = v->find("messages");
            run.metadata = v->find("metadata");
            run.wrapper = &*v;
        } else {
            return atLine(makeError(
                ErrorCode::Format,
                QStringLiteral("expected a run: an object with a \"messages\" array, or an array of messages")));
        }
        const json::Value* idx = run.wrapper ? run.wrapper->find("index") : nullptr;
        run.index = idx && idx->isInt() ? idx->asInt() : m_position;
        ++m_position;
        if (Status s = map(run); !s) return atLine(s.error());
        return {};
    }

    Status mapDocument()
    {
        json::Limits docLimits;
        docLimits.maxBytes = kMaxDocumentBytes;
        auto doc = m_parser.parse(m_document, docLimits);
        if (!doc) return doc.error();
        std::string().swap(m_document);
        const Shape shape = shapeOf(*doc);
        auto mapOne = [&](const json::Value& v, int64_t index, const std::string& prefix) -> Status {
            TranscriptRun run;
            run.index = index;
            run.fieldPrefix = prefix;
            if (looksLikeMessages(v) || (v.isArray() && v.items().empty())) {
                run.messages = &v;
            } else if (v.isObject() && v.find("messages")) {
                run.messages = v.find("messages");
                run.metadata = v.find("metadata");
                run.wrapper = &v;
                if (const json::Value* idx = v.find("index"); idx && idx->isInt() && index >= 0) run.index = idx->asInt();
            } else {
                return makeError(ErrorCode::Format, QStringLiteral("expected a run: an object with a \"messages\" array"),
                                 QString(), -1,
                                 QString::fromStdString(prefix.empty() ? std::string("(document)")
                                                                       : prefix.substr(0, prefix.size() - 1)));
            }
            return map(run);
        };
        if (shape == Shape::Runs) {
            const json::Value* runs = runsArray(*doc);
            const std::string base = doc->isArray()               ? std::string()
                                     : doc->find("runs")          ? std::string("runs/")
                                     : doc->find("transcripts")   ? std::string("transcripts/")
                                                                  : std::string("conversations/");
            if (doc->isObject()) m_mapper.setDatasetHeader(*doc);
            for (size_t i = 0; i < runs->items().size(); ++i)
                CS_TRY(mapOne(runs->items()[i], static_cast<int64_t>(i), base + std::to_string(i) + "/"));
            return {};
        }
        if (shape == Shape::Run || shape == Shape::Messages) return mapOne(*doc, -1, {});
        return makeError(ErrorCode::Format,
                         QStringLiteral("not an agent transcript: expected an array of messages, an object with "
                                        "\"messages\", or JSON Lines of runs"));
    }

    LogSink& m_sink;
    TranscriptMapper m_mapper;
    json::Parser m_parser;
    json::Limits m_lineLimits;
    Mode m_mode = Mode::Unknown;
    std::string m_pending, m_document;
    int64_t m_lineNo = 0, m_position = 0, m_events = 0;
};
} // namespace

int TranscriptImporter::sniff(io::BundleSource& source)
{
    if (source.kind() != io::BundleSource::Kind::File) return 0;
    const std::string head = sourceHead(source, kSniffBytes);
    std::string_view h = trimLeft(head);
    if (h.empty() || (h.front() != '[' && h.front() != '{')) return 0;
    // Other formats that also hold "messages" somewhere.
    if (h.find("\"resourceSpans\"") != std::string_view::npos || h.find("\"Records\"") != std::string_view::npos ||
        h.find("\"agent-evidence-bundle\"") != std::string_view::npos)
        return 0;
    json::Parser parser;
    const size_t nl = h.find('\n');
    if (nl != std::string_view::npos) {
        auto first = parser.parse(h.substr(0, nl));
        if (first) {
            const Shape shape = shapeOf(*first);
            if (shape == Shape::Run || shape == Shape::Messages || shape == Shape::Runs) return 90;
            if (shape == Shape::Header && h.find("\"messages\"", nl) != std::string_view::npos) return 90;
        }
    } else if (auto whole = parser.parse(h); whole) {
        const Shape shape = shapeOf(*whole);
        if (shape == Shape::Run || shape == Shape::Messages || shape == Shape::Runs) return 90;
    }
    // A pretty-printed document: look for the message structure in its text.
    if (h.find("\"role\"") != std::string_view::npos &&
        (h.find("\"messages\"") != std::string_view::npos || h.front() == '[') &&
        (h.find("\"content\"") != std::string_view::npos || h.find("\"tool_calls\"") != std::string_view::npos))
        return 60;
    return 0;
}

Result<ImportReport> TranscriptImporter::import(store::CaseStore& store, io::BundleSource& source, const ImportOptions& options)
{
    if (source.kind() != io::BundleSource::Kind::File || source.entries().empty())
        return makeError(ErrorCode::Usage, QStringLiteral("the transcript importer reads one JSON or JSON Lines file"), source.path());
    ForeignImportSpec spec;
    spec.format = name();
    spec.title = "Agent transcript";
    spec.make = [](LogSink& sink, const std::string&, const std::string& stem) { return makeTranscriptDecoder(sink, stem); };
    return importForeignFile(store, source, options, spec);
}

std::unique_ptr<LogDecoder> makeTranscriptDecoder(LogSink& sink, const std::string& stem)
{
    return std::make_unique<TranscriptDecoder>(sink, stem);
}

} // namespace chainsight::importers
