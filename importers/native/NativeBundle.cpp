#include "importers/native/NativeBundle.h"

#include "core/crypto/Crypto.h"
#include "core/json/Json.h"
#include "core/model/Time.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <future>
#include <optional>
#include <memory>
#include <set>

namespace chainsight::importers {

namespace {
const QString kManifest = QStringLiteral("manifest.json");

Error manifestError(const QString& msg, const QString& field = {})
{
    return makeError(ErrorCode::Manifest, msg, kManifest, -1, field);
}

bool startsWith(const std::string& s, std::string_view p) { return s.size() >= p.size() && s.compare(0, p.size(), p) == 0; }
bool endsWith(const std::string& s, std::string_view p)
{
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}
QString q(const std::string& s) { return QString::fromStdString(s); }
} // namespace

std::string roleOf(const std::string& path)
{
    if (path == "manifest.json") return "manifest";
    if (path == "events.jsonl") return "events";
    if (path == "agents.json") return "agents";
    if (path == "decisions.jsonl") return "decisions";
    if (startsWith(path, "blobs/")) return "blob";
    if (startsWith(path, "keys/") && endsWith(path, ".pem")) return "key";
    if (startsWith(path, "logs/")) return "log";
    return "other";
}

Result<Manifest> parseManifest(std::string_view bytes)
{
    json::Parser parser;
    auto parsed = parser.parse(bytes);
    if (!parsed) {
        Error e = parsed.error();
        e.file = kManifest;
        return e;
    }
    const json::Value& m = *parsed;
    if (!m.isObject()) return manifestError(QStringLiteral("must be a JSON object"));
    if (m.str("format") != "agent-evidence-bundle")
        return manifestError(QStringLiteral("\"format\" must be \"agent-evidence-bundle\""), QStringLiteral("format"));
    const json::Value* version = m.find("version");
    if (!version || !version->isInt()) return manifestError(QStringLiteral("\"version\" must be an integer"), QStringLiteral("version"));
    if (version->asInt() != 1)
        return manifestError(QStringLiteral("unsupported bundle version %1 (this Chainsight reads version 1)").arg(version->asInt()),
                             QStringLiteral("version"));
    Manifest out;
    out.raw = std::string(bytes);
    out.sha256 = crypto::sha256Hex(bytes);
    out.bundleId = m.str("bundle_id");
    if (out.bundleId.empty()) return manifestError(QStringLiteral("\"bundle_id\" must be a non-empty string"), QStringLiteral("bundle_id"));
    out.title = m.str("incident_title");
    out.collectedAt = m.str("collected_at");
    if (const json::Value* c = m.find("collector")) out.collectorJson = c->dump();
    if (const json::Value* w = m.find("window"); w && w->isObject()) {
        if (!w->str("start").empty()) {
            auto t = parseRfc3339(w->str("start"));
            if (!t) return manifestError(QStringLiteral("not an RFC 3339 time"), QStringLiteral("window/start"));
            out.windowStart = *t;
        }
        if (!w->str("end").empty()) {
            auto t = parseRfc3339(w->str("end"));
            if (!t) return manifestError(QStringLiteral("not an RFC 3339 time"), QStringLiteral("window/end"));
            out.windowEnd = *t;
        }
    }
    const json::Value* files = m.find("files");
    if (!files || !files->isArray()) return manifestError(QStringLiteral("\"files\" must be an array"), QStringLiteral("files"));
    std::set<std::string> seen;
    size_t i = 0;
    for (const auto& f : files->items()) {
        const QString at = QStringLiteral("files/%1").arg(i++);
        if (!f.isObject()) return manifestError(QStringLiteral("must be an object {path, sha256, bytes}"), at);
        ManifestFile mf;
        const std::string raw(f.str("path"));
        if (raw.empty()) return manifestError(QStringLiteral("\"path\" must be a non-empty string"), at + "/path");
        auto checked = io::BundleSource::checkPath(raw);
        if (!checked || *checked != raw)
            return manifestError(QStringLiteral("path \"%1\" must be relative, use '/', and never contain '..'").arg(q(raw)), at + "/path");
        mf.path = raw;
        if (mf.path == "manifest.json") return manifestError(QStringLiteral("manifest.json cannot list itself"), at + "/path");
        if (!seen.insert(mf.path).second) return manifestError(QStringLiteral("\"%1\" is listed twice").arg(q(raw)), at + "/path");
        mf.sha256 = f.str("sha256");
        if (!crypto::isSha256Hex(mf.sha256))
            return manifestError(QStringLiteral("\"sha256\" of \"%1\" must be 64 lowercase hex characters").arg(q(raw)), at + "/sha256");
        const json::Value* b = f.find("bytes");
        if (!b || !b->isInt() || b->asInt() < 0)
            return manifestError(QStringLiteral("\"bytes\" of \"%1\" must be a non-negative integer").arg(q(raw)), at + "/bytes");
        mf.bytes = b->asInt();
        out.files.push_back(std::move(mf));
    }
    return out;
}

namespace {

// Splits a stream into lines, bounded in length, across chunk boundaries.
class LineSplitter
{
public:
    explicit LineSplitter(int64_t maxLine) : m_max(maxLine) {}

    // Calls fn(line, lineNo) for each complete line; returns false if a line was too long (the rest of the
    // file is then not parsed, but still hashed by the caller).
    template <class Fn>
    bool feed(std::string_view chunk, Fn&& fn)
    {
        if (m_overflow) return false;
        while (!chunk.empty()) {
            const size_t nl = chunk.find('\n');
            if (nl == std::string_view::npos) {
                if (static_cast<int64_t>(m_pending.size() + chunk.size()) > m_max) {
                    m_overflow = true;
                    return false;
                }
                m_pending.append(chunk);
                return true;
            }
            ++m_line;
            if (m_pending.empty()) {
                deliver(chunk.substr(0, nl), fn);
            } else {
                if (static_cast<int64_t>(m_pending.size() + nl) > m_max) {
                    m_overflow = true;
                    return false;
                }
                m_pending.append(chunk.substr(0, nl));
                deliver(m_pending, fn);
                m_pending.clear();
            }
            chunk.remove_prefix(nl + 1);
        }
        return true;
    }
    template <class Fn>
    void finish(Fn&& fn)
    {
        if (!m_overflow && !m_pending.empty()) {
            ++m_line;
            deliver(m_pending, fn);
            m_pending.clear();
        }
    }
    int64_t line() const { return m_line + 1; }
    bool overflowed() const { return m_overflow; }

private:
    template <class Fn>
    void deliver(std::string_view line, Fn&& fn)
    {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        // blank lines are allowed and skipped
        if (line.find_first_not_of(" \t") == std::string_view::npos) return;
        fn(line, m_line);
    }
    int64_t m_max;
    int64_t m_line = 0;
    std::string m_pending;
    bool m_overflow = false;
};

// events.jsonl is parsed in blocks of whole lines on worker threads while this thread reads and hashes;
// blocks are handed on in file order, so events (and the first error) arrive exactly as a serial parse
// would deliver them.
class ParallelEventParser
{
public:
    struct Block
    {
        std::vector<Event> events;
        std::vector<Error> errors; // every bad line of the block, in order
    };

    explicit ParallelEventParser(int64_t maxLine) : m_maxLine(maxLine) {}

    // Feeds bytes; complete blocks are parsed in the background. Returns false if a line is too long.
    bool feed(std::string_view chunk)
    {
        m_pending.append(chunk);
        if (m_pending.size() < kBlockBytes) return true;
        const size_t cut = m_pending.rfind('\n');
        if (cut == std::string::npos) return static_cast<int64_t>(m_pending.size()) <= m_maxLine;
        std::string block = m_pending.substr(0, cut + 1);
        m_pending.erase(0, cut + 1);
        if (static_cast<int64_t>(m_pending.size()) > m_maxLine) return false;
        submit(std::move(block));
        return true;
    }
    void finish()
    {
        if (!m_pending.empty()) submit(std::move(m_pending));
        m_pending.clear();
    }
    // The oldest parsed block, if one is ready (wait=false) or at all (wait=true).
    std::optional<Block> take(bool wait)
    {
        if (m_inFlight.empty()) return std::nullopt;
        if (!wait && m_inFlight.size() < kMaxInFlight &&
            m_inFlight.front().wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            return std::nullopt;
        Block b = m_inFlight.front().get();
        m_inFlight.pop_front();
        return b;
    }
    bool busy() const { return !m_inFlight.empty(); }
    int64_t lineAfterPending() const { return m_nextLine; }

private:
    static constexpr size_t kBlockBytes = 2 << 20;
    static constexpr size_t kMaxInFlight = 3;

    void submit(std::string block)
    {
        const int64_t first = m_nextLine;
        m_nextLine += std::count(block.begin(), block.end(), '\n') + (block.empty() || block.back() == '\n' ? 0 : 1);
        m_inFlight.push_back(std::async(std::launch::async, [text = std::move(block), first] { return parse(text, first); }));
    }

    static Block parse(const std::string& text, int64_t firstLine)
    {
        Block out;
        json::Parser parser;
        int64_t lineNo = firstLine;
        size_t start = 0;
        while (start < text.size()) {
            size_t nl = text.find('\n', start);
            if (nl == std::string::npos) nl = text.size();
            std::string_view line(text.data() + start, nl - start);
            start = nl + 1;
            const int64_t thisLine = lineNo++;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
            auto v = parser.parse(line);
            if (!v) {
                out.errors.push_back(v.error());
                out.errors.back().line = thisLine;
                continue;
            }
            auto ev = eventFromJson(*v, std::string(line));
            if (!ev) {
                out.errors.push_back(ev.error());
                out.errors.back().line = thisLine;
                continue;
            }
            ev->line = thisLine;
            out.events.push_back(std::move(*ev));
        }
        return out;
    }

    int64_t m_maxLine;
    int64_t m_nextLine = 1;
    std::string m_pending;
    std::deque<std::future<Block>> m_inFlight;
};

} // namespace

Result<WalkSummary> walkNativeBundle(io::BundleSource& source, const std::map<std::string, std::string>& pinned,
                                     NativeVisitor& visitor, Manifest* manifestOut, const WalkLimits& limits)
{
    WalkSummary summary;
    Error stopError;
    bool stopped = false;
    auto report = [&](Error e) {
        if (stopped) return false;
        if (!visitor.problem(e)) {
            stopError = std::move(e);
            stopped = true;
            return false;
        }
        return true;
    };

    // 1. The manifest: without it nothing can be checked.
    if (!source.entry("manifest.json"))
        return makeError(ErrorCode::Manifest, QStringLiteral("no manifest.json at the top of the bundle"), source.path());
    auto rawManifest = source.readAll("manifest.json", limits.maxManifestBytes);
    if (!rawManifest) {
        Error e = rawManifest.error();
        e.file = kManifest;
        return e;
    }
    auto manifest = parseManifest(*rawManifest);
    if (!manifest) return manifest.error();
    if (manifestOut) *manifestOut = *manifest;

    // 2. Listed against present.
    std::map<std::string, const ManifestFile*> listed;
    for (const auto& f : manifest->files) listed[f.path] = &f;
    for (const auto& f : manifest->files) {
        const io::SourceEntry* e = source.entry(f.path);
        if (!e) {
            if (!report(makeError(ErrorCode::Manifest, QStringLiteral("listed in the manifest but missing from the bundle"), q(f.path))))
                return stopError;
        } else if (e->size != f.bytes) {
            if (!report(makeError(ErrorCode::Manifest,
                                  QStringLiteral("size %1 bytes, the manifest says %2").arg(e->size).arg(f.bytes), q(f.path))))
                return stopError;
        }
    }
    for (const auto& e : source.entries()) {
        if (e.path != "manifest.json" && !listed.count(e.path)) {
            if (!report(makeError(ErrorCode::Manifest, QStringLiteral("present in the bundle but not listed in the manifest"), q(e.path))))
                return stopError;
        }
    }
    if (!listed.count("events.jsonl")) {
        if (!report(makeError(ErrorCode::Manifest, QStringLiteral("a bundle must hold events.jsonl"), q("events.jsonl")))) return stopError;
    }

    // 3. Keys and the baseline first: the decision log is verified with the keys as it streams.
    custody::KeyRing ring;
    for (const auto& [id, pem] : pinned) (void)ring.addPinned(id, QByteArray::fromStdString(pem));
    for (const auto& e : source.entries()) {
        if (roleOf(e.path) != "key" || !listed.count(e.path)) continue;
        auto pem = source.readAll(e.path, 1 << 20);
        if (!pem) {
            if (!report(pem.error())) return stopError;
            continue;
        }
        const std::string keyId = e.path.substr(5, e.path.size() - 5 - 4);
        auto key = crypto::PublicKey::fromPem(QByteArray::fromStdString(*pem));
        if (!key) {
            if (!report(makeError(ErrorCode::Format, QStringLiteral("not an Ed25519 public key in PEM"), q(e.path)))) return stopError;
            continue;
        }
        (void)ring.addBundle(keyId, QByteArray::fromStdString(*pem));
        summary.bundleKeys.push_back(keyId);
        visitor.key(KeyRecord{keyId, key->fingerprint(), *pem, {}, {}, 0});
    }
    if (listed.count("agents.json") && source.entry("agents.json")) {
        auto raw = source.readAll("agents.json", limits.maxManifestBytes);
        if (!raw) {
            if (!report(raw.error())) return stopError;
        } else {
            json::Parser parser;
            auto v = parser.parse(*raw);
            if (!v) {
                Error e = v.error();
                e.file = QStringLiteral("agents.json");
                if (!report(e)) return stopError;
            } else {
                auto bl = baselinesFromJson(*v);
                if (!bl) {
                    Error e = bl.error();
                    e.file = QStringLiteral("agents.json");
                    if (!report(e)) return stopError;
                } else {
                    for (auto& b : *bl) visitor.baseline(std::move(b));
                }
            }
        }
    }

    // 4. Stream every listed file once.
    int64_t total = 0, done = 0;
    for (const auto& e : source.entries()) total += e.size;
    custody::DecisionLogVerifier verifier(ring);
    json::Parser parser;
    std::vector<char> buf(1 << 20);

    // Signatures are checked on worker threads while reading goes on. Without deferral, decisions reach the
    // visitor in order once checked (at most 4096 wait). With it, they reach the visitor at once and what is
    // left to know of them waits here, slim, until their check is done: up to kMaxDeferred, so the checks
    // overlap the events that follow and memory stays bounded whatever the log's size.
    constexpr size_t kMaxDeferred = 1 << 16;
    const bool defer = visitor.deferSignatures();
    std::unique_ptr<custody::SignatureWorker> worker;
    struct Deferred
    {
        int64_t ordinal = 0, seq = 0;
        std::string keyId, failure, detail;
        custody::KeyTrust trust = custody::KeyTrust::Missing; // of the key checking it, for complete()
    };
    std::deque<Deferred> deferred;
    int64_t handedOut = 0;
    // Finishes the oldest deferred decisions whose check is done (all of them when wait).
    auto settleDeferred = [&](size_t keep, bool wait) {
        while (deferred.size() > keep) {
            Deferred& p = deferred.front();
            bool sigOk = true;
            if (wait) sigOk = worker->next();
            else if (!worker->tryNext(&sigOk)) return;
            Decision d;
            d.seq = p.seq;
            d.keyId = std::move(p.keyId);
            d.failure = std::move(p.failure);
            verifier.complete(d, &p.detail, p.trust, sigOk);
            if (d.valid) ++summary.decisionsValid;
            else if (!sigOk) visitor.decisionRevised(p.ordinal, d, p.detail);
            deferred.pop_front();
        }
    };

    Status walked = source.forEach([&](const io::SourceEntry& entry, io::EntryReader& reader) -> Status {
        if (visitor.cancelled()) return makeError(ErrorCode::Cancelled, QStringLiteral("import cancelled"));
        const bool isManifest = entry.path == "manifest.json";
        auto it = listed.find(entry.path);
        if (!isManifest && it == listed.end()) return {}; // already reported as unlisted
        const std::string role = roleOf(entry.path);
        const QString qpath = q(entry.path);
        visitor.fileBegin(entry.path, role);
        crypto::Sha256 hash;
        int64_t size = 0;
        LineSplitter lines(limits.maxLineBytes);
        const bool isEvents = role == "events", isDecisions = role == "decisions", isBlob = role == "blob";
        std::string blobData;
        bool blobTooBig = false;
        bool ok = true;

        ParallelEventParser eventParser(limits.maxLineBytes);
        auto deliverBlocks = [&](bool wait) {
            while (auto block = eventParser.take(wait)) {
                if (!ok) continue; // drain: an earlier block already stopped the parse
                for (auto& e : block->events) {
                    ++summary.events;
                    visitor.event(std::move(e));
                }
                for (Error err : block->errors) {
                    ++summary.eventsBad;
                    err.file = qpath;
                    if (!(ok = report(err))) break;
                }
            }
        };
        struct PendingDecision
        {
            Decision decision;
            std::string detail;
            custody::SignatureJob job;
        };
        std::deque<PendingDecision> pendingDecisions; // without deferral
        auto flushDecisions = [&](size_t keep) {
            while (pendingDecisions.size() > keep) {
                PendingDecision& p = pendingDecisions.front();
                if (p.job.pending) verifier.complete(p.decision, &p.detail, p.job.trust, worker->next());
                if (p.decision.valid) ++summary.decisionsValid;
                visitor.decision(std::move(p.decision), p.detail);
                pendingDecisions.pop_front();
            }
        };
        auto onDecisionLine = [&](std::string_view line, int64_t lineNo) {
            if (!ok) return;
            PendingDecision p;
            auto d = verifier.add(line, lineNo, &p.detail, &p.job);
            ++summary.decisions;
            if (!d) {
                Error err = d.error();
                err.file = qpath;
                flushDecisions(0);
                ok = report(err);
                return;
            }
            p.decision = std::move(*d);
            if (p.job.pending) {
                if (!worker) worker = std::make_unique<custody::SignatureWorker>(0, defer);
                worker->submit(p.job);
            }
            if (!defer) {
                pendingDecisions.push_back(std::move(p));
                flushDecisions(4096);
                return;
            }
            if (!p.job.pending) {
                if (p.decision.valid) ++summary.decisionsValid;
            } else {
                deferred.push_back({handedOut, p.decision.seq, p.decision.keyId, p.decision.failure, p.detail, p.job.trust});
            }
            ++handedOut;
            visitor.decision(std::move(p.decision), p.detail);
            if (deferred.size() >= kMaxDeferred) settleDeferred(kMaxDeferred - 1, true); // the bound: wait for the oldest
        };

        for (;;) {
            auto n = reader.read(buf.data(), buf.size());
            if (!n) return n.error();
            if (*n == 0) break;
            std::string_view chunk(buf.data(), *n);
            hash.update(chunk);
            size += static_cast<int64_t>(*n);
            visitor.fileBytes(chunk);
            if (isEvents && ok) {
                if (!eventParser.feed(chunk) && ok)
                    ok = report(makeError(ErrorCode::Limit, QStringLiteral("line longer than %1 bytes").arg(limits.maxLineBytes), qpath,
                                          eventParser.lineAfterPending()));
                deliverBlocks(false);
            } else if (isDecisions && ok) {
                if (!lines.feed(chunk, onDecisionLine) && ok)
                    ok = report(makeError(ErrorCode::Limit, QStringLiteral("line longer than %1 bytes").arg(limits.maxLineBytes), qpath, lines.line()));
            } else if (isBlob && !blobTooBig) {
                if (static_cast<int64_t>(blobData.size()) + static_cast<int64_t>(*n) > limits.maxBlobBytes) {
                    blobTooBig = true;
                    blobData.clear();
                    ok = report(makeError(ErrorCode::Limit, QStringLiteral("blob larger than the limit of %1 bytes").arg(limits.maxBlobBytes), qpath));
                } else {
                    blobData.append(chunk);
                }
            }
            if (!deferred.empty()) settleDeferred(0, false);
            done += static_cast<int64_t>(*n);
            visitor.progress(done, total);
            if (stopped) return stopError;
            if (visitor.cancelled()) return makeError(ErrorCode::Cancelled, QStringLiteral("import cancelled"));
        }
        if (isEvents) {
            if (ok) eventParser.finish();
            deliverBlocks(true);
        }
        if (isDecisions && ok) lines.finish(onDecisionLine);
        flushDecisions(0);
        if (stopped) return stopError;
        if (isDecisions) summary.hasDecisions = true;

        const std::string sha = crypto::toHex(hash.finish());
        visitor.fileEnd(entry.path, sha, size);
        if (isManifest) return {};
        ++summary.files;
        bool fileOk = true;
        const ManifestFile& mf = *it->second;
        if (sha != mf.sha256) {
            fileOk = false;
            if (!report(makeError(ErrorCode::Integrity,
                                  QStringLiteral("SHA-256 mismatch: the manifest says %1, the file hashes to %2").arg(q(mf.sha256), q(sha)), qpath)))
                return stopError;
        }
        if (isBlob) {
            const std::string name = entry.path.substr(6);
            if (!crypto::isSha256Hex(name)) {
                fileOk = false;
                if (!report(makeError(ErrorCode::Format, QStringLiteral("a blob must be named by its SHA-256"), qpath))) return stopError;
            } else if (name != sha) {
                fileOk = false;
                if (!report(makeError(ErrorCode::Integrity, QStringLiteral("blob content does not match its name (hashes to %1)").arg(q(sha)), qpath)))
                    return stopError;
            } else if (!blobTooBig) {
                visitor.blob(entry.path, sha, std::move(blobData));
            }
        }
        if (fileOk && ok) ++summary.filesValid;
        return {};
    });
    if (!walked) return walked.error();
    if (stopped) return stopError;
    settleDeferred(0, true);
    summary.keys = verifier.keysSeen();
    return summary;
}

} // namespace chainsight::importers
