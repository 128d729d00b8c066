#include "importers/transcript/TranscriptImporter.h"

#include "core/crypto/Crypto.h"
#include "core/ingest/IngestSession.h"
#include "core/store/CaseStore.h"
#include "importers/transcript/TranscriptMapper.h"

#include <QFileInfo>

namespace chainsight::importers {

namespace {
constexpr size_t kSniffBytes = 64 * 1024;
constexpr size_t kReadChunk = 1 << 20;
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

Result<std::pair<std::string, int64_t>> hashEntry(io::BundleSource& source)
{
    crypto::Sha256 h;
    int64_t size = 0;
    std::string buf(kReadChunk, '\0');
    Status s = source.forEach([&](const io::SourceEntry&, io::EntryReader& r) -> Status {
        for (;;) {
            auto n = r.read(buf.data(), buf.size());
            if (!n) return n.error();
            if (*n == 0) return {};
            h.update(std::string_view(buf.data(), *n));
            size += static_cast<int64_t>(*n);
        }
    });
    if (!s) return s.error();
    return std::make_pair(crypto::toHex(h.finish()), size);
}
} // namespace

int TranscriptImporter::sniff(io::BundleSource& source)
{
    if (source.kind() != io::BundleSource::Kind::File) return 0;
    std::string head;
    Status s = source.forEach([&](const io::SourceEntry&, io::EntryReader& r) -> Status {
        head.resize(kSniffBytes);
        size_t got = 0;
        while (got < head.size()) {
            auto n = r.read(head.data() + got, head.size() - got);
            if (!n) return n.error();
            if (*n == 0) break;
            got += *n;
        }
        head.resize(got);
        return {};
    });
    if (!s) return 0;
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
    ImportReport report;
    report.importer = name();
    if (source.kind() != io::BundleSource::Kind::File || source.entries().empty())
        return makeError(ErrorCode::Usage, QStringLiteral("the transcript importer reads one JSON or JSON Lines file"), source.path());
    const QString path = source.path();
    const QString fileName = QFileInfo(path).fileName();
    const std::string stem = QFileInfo(path).completeBaseName().toStdString();

    // The file's hash is the import's identity: the same file again is the same import.
    auto hashed = hashEntry(source);
    if (!hashed) return hashed.error();
    const std::string sha = hashed->first;
    const int64_t size = hashed->second; // not a structured binding: a lambda below captures it (clang 14)
    auto existing = store.bundleByContentHash(sha);
    if (!existing) return existing.error();
    if (*existing) {
        report.alreadyImported = true;
        report.bundleRow = (*existing)->id;
        report.bundleId = (*existing)->bundleId;
        return report;
    }

    BundleRecord b;
    b.bundleId = (stem.empty() ? std::string("transcript") : stem) + "-" + sha.substr(0, 12);
    b.format = name();
    b.title = "Agent transcript " + fileName.toStdString();
    b.contentSha256 = sha;
    b.source = path.toStdString();
    b.importedAt = custody::nowRfc3339();
    b.importedBy = options.actor.name;
    b.importedOn = options.actor.host;
    b.parentBundle = options.parentBundle;
    report.bundleId = b.bundleId;

    ingest::IngestSession session(store);
    CS_TRY(session.begin(b));
    const int handle = session.beginFile(fileName.toStdString(), "log");

    enum class Mode { Unknown, Lines, Document };
    Mode mode = Mode::Unknown;
    TranscriptMapper mapper(stem, "openai-messages");
    json::Parser parser;
    json::Limits lineLimits;
    lineLimits.maxBytes = kMaxLineBytes;
    std::string pending, document;
    int64_t lineNo = 0, done = 0, events = 0, position = 0;
    std::optional<Error> failure;
    auto sink = [&](Event&& e) {
        ++events;
        session.addEvent(std::move(e), handle);
    };
    auto fail = [&](Error e, int64_t line) {
        if (e.file.isEmpty()) e.file = fileName;
        if (line > 0 && e.line < 0) e.line = line;
        failure = std::move(e);
    };

    auto onLine = [&](std::string_view line) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (mode == Mode::Document) {
            document.append(line);
            document += '\n';
            return;
        }
        if (trimLeft(line).empty()) return;
        auto v = parser.parse(line, lineLimits);
        if (mode == Mode::Unknown) {
            const bool lineMode = v && (v->isObject() || looksLikeMessages(*v)) && shapeOf(*v) != Shape::Runs && shapeOf(*v) != Shape::Other;
            if (!lineMode) {
                // Not one run per line: a (pretty-printed) document.
                mode = Mode::Document;
                document.append(line);
                document += '\n';
                return;
            }
            mode = Mode::Lines;
            mapper.setFormat("jsonl-runs");
        }
        if (!v) return fail(v.error(), lineNo);
        const Shape shape = shapeOf(*v);
        TranscriptRun run;
        run.line = lineNo;
        if (shape == Shape::Header && position == 0) {
            mapper.setDatasetHeader(*v);
            if (v->find("metadata") && v->find("metadata")->str("benchmark").find("dojo") != std::string_view::npos)
                mapper.setFormat("agentdojo-jsonl");
            ++position;
            return;
        }
        if (shape == Shape::Messages) {
            run.messages = &*v;
        } else if (shape == Shape::Run) {
            run.messages = v->find("messages");
            run.metadata = v->find("metadata");
            run.wrapper = &*v;
        } else {
            return fail(makeError(ErrorCode::Format, QStringLiteral("expected a run: an object with a \"messages\" array, or an array of messages")),
                        lineNo);
        }
        const json::Value* idx = run.wrapper ? run.wrapper->find("index") : nullptr;
        run.index = idx && idx->isInt() ? idx->asInt() : position;
        ++position;
        Status s = mapper.mapRun(run, sink);
        if (!s) fail(s.error(), lineNo);
    };

    crypto::Sha256 check;
    int64_t checkSize = 0;
    std::string buf(kReadChunk, '\0');
    Status read = source.forEach([&](const io::SourceEntry&, io::EntryReader& r) -> Status {
        for (;;) {
            if (options.cancel && options.cancel->load()) return makeError(ErrorCode::Cancelled, QStringLiteral("import cancelled"));
            if (session.failed()) return {};
            auto n = r.read(buf.data(), buf.size());
            if (!n) return n.error();
            if (*n == 0) return {};
            std::string_view chunk(buf.data(), *n);
            check.update(chunk);
            checkSize += static_cast<int64_t>(*n);
            session.fileBytes(handle, chunk);
            while (!chunk.empty() && !failure) {
                const size_t nl = chunk.find('\n');
                if (nl == std::string_view::npos) {
                    pending.append(chunk);
                    break;
                }
                if (pending.empty()) {
                    onLine(chunk.substr(0, nl));
                } else {
                    pending.append(chunk.substr(0, nl));
                    onLine(pending);
                    pending.clear();
                }
                chunk.remove_prefix(nl + 1);
            }
            if (failure) return *failure;
            if (pending.size() > kMaxDocumentBytes || document.size() > kMaxDocumentBytes)
                return makeError(ErrorCode::Limit, QStringLiteral("a transcript document or line is larger than %1 bytes").arg(kMaxDocumentBytes),
                                 fileName, lineNo + 1);
            done += static_cast<int64_t>(*n);
            if (options.progress) options.progress(done, size);
        }
    });
    if (read && !failure && !pending.empty()) onLine(pending);
    if (session.failed()) return session.writerError();
    if (!read) {
        session.abort();
        Error e = read.error();
        if (e.file.isEmpty()) e.file = fileName;
        return e;
    }
    if (failure) {
        session.abort();
        return *failure;
    }
    if (crypto::toHex(check.finish()) != sha || checkSize != size) {
        session.abort();
        return makeError(ErrorCode::Integrity, QStringLiteral("the file changed while it was being imported"), fileName);
    }

    if (mode == Mode::Document) {
        json::Limits docLimits;
        docLimits.maxBytes = kMaxDocumentBytes;
        auto doc = parser.parse(document, docLimits);
        if (!doc) {
            session.abort();
            Error e = doc.error();
            e.file = fileName;
            return e;
        }
        std::string().swap(document);
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
                return makeError(ErrorCode::Format, QStringLiteral("expected a run: an object with a \"messages\" array"), fileName,
                                 -1, QString::fromStdString(prefix.empty() ? std::string("(document)") : prefix.substr(0, prefix.size() - 1)));
            }
            Status s = mapper.mapRun(run, sink);
            if (!s) {
                Error e = s.error();
                e.file = fileName;
                return e;
            }
            return {};
        };
        Status mapped;
        if (shape == Shape::Runs) {
            const json::Value* runs = runsArray(*doc);
            std::string base = doc->isArray() ? std::string() : std::string(doc->find("runs") ? "runs/" : doc->find("transcripts") ? "transcripts/" : "conversations/");
            if (doc->isObject()) mapper.setDatasetHeader(*doc);
            for (size_t i = 0; i < runs->items().size() && mapped; ++i)
                mapped = mapOne(runs->items()[i], static_cast<int64_t>(i), base + std::to_string(i) + "/");
        } else if (shape == Shape::Run || shape == Shape::Messages) {
            mapped = mapOne(*doc, -1, {});
        } else {
            mapped = makeError(ErrorCode::Format,
                               QStringLiteral("not an agent transcript: expected an array of messages, an object with \"messages\", "
                                              "or JSON Lines of runs"),
                               fileName);
        }
        if (!mapped) {
            session.abort();
            return mapped.error();
        }
    } else if (mode == Mode::Unknown) {
        session.abort();
        return makeError(ErrorCode::Format, QStringLiteral("the file is empty"), fileName);
    }
    session.endFile(handle, sha, size);
    if (session.failed()) return session.writerError();

    json::Value detail = json::Value::object();
    detail.set("source", json::Value::string(b.source));
    detail.set("format", json::Value::string(name()));
    detail.set("sha256", json::Value::string(sha));
    detail.set("bytes", json::Value::integer(size));
    detail.set("runs", json::Value::integer(mapper.runs()));
    detail.set("events", json::Value::integer(events));
    auto row = session.finish(options.actor, "import", b.bundleId, detail);
    if (!row) return row.error();
    report.bundleRow = *row;
    report.events = events;
    if (mapper.runs() == 0) report.warnings.push_back("the transcript holds no runs");
    return report;
}

} // namespace chainsight::importers
