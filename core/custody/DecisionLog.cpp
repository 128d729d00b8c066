#include "core/custody/DecisionLog.h"

#include "core/model/Time.h"

#include <QByteArray>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace chainsight::custody {

std::string_view keyTrustName(KeyTrust t)
{
    switch (t) {
    case KeyTrust::Pinned:
        return "pinned";
    case KeyTrust::Unpinned:
        return "unpinned";
    default:
        return "missing";
    }
}

Status KeyRing::addPinned(const std::string& keyId, const QByteArray& pem)
{
    auto k = crypto::PublicKey::fromPem(pem);
    if (!k) return k.error();
    m_pinned[keyId] = std::move(*k);
    return {};
}

Status KeyRing::addBundle(const std::string& keyId, const QByteArray& pem)
{
    auto k = crypto::PublicKey::fromPem(pem);
    if (!k) return k.error();
    m_bundle[keyId] = std::move(*k);
    return {};
}

const crypto::PublicKey* KeyRing::find(const std::string& keyId, KeyTrust* trust) const
{
    if (auto it = m_pinned.find(keyId); it != m_pinned.end()) {
        *trust = KeyTrust::Pinned;
        return &it->second;
    }
    if (auto it = m_bundle.find(keyId); it != m_bundle.end()) {
        *trust = KeyTrust::Unpinned;
        return &it->second;
    }
    *trust = KeyTrust::Missing;
    return nullptr;
}

namespace {
bool decodeBase64(std::string_view in, QByteArray& out)
{
    auto r = QByteArray::fromBase64Encoding(QByteArray(in.data(), static_cast<qsizetype>(in.size())),
                                            QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!r) return false;
    // Canonical only: the unused low bits of the last character must be zero, or one decoded value would have
    // several spellings and a changed byte of the log could still verify. Padding may be there or not.
    std::string_view unpadded = in;
    while (!unpadded.empty() && unpadded.back() == '=') unpadded.remove_suffix(1);
    const QByteArray decoded = *r;
    const QByteArray again = decoded.toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals);
    if (std::string_view(again.constData(), static_cast<size_t>(again.size())) != unpadded) return false;
    out = decoded;
    return true;
}

void addFailure(Decision& d, std::string* detail, const char* check, const std::string& why)
{
    if (!d.failure.empty()) d.failure += ',';
    d.failure += check;
    if (detail) {
        if (!detail->empty()) *detail += "; ";
        *detail += why;
    }
}
} // namespace

Result<Decision> DecisionLogVerifier::add(std::string_view line, int64_t lineNo, std::string* detail, SignatureJob* deferred)
{
    if (deferred) deferred->pending = false;
    ++m_total;
    if (detail) detail->clear();
    auto parsed = m_parser.parse(line);
    if (!parsed) {
        Error e = parsed.error();
        e.line = lineNo;
        return e;
    }
    const json::Value& v = *parsed;
    Decision d;
    d.line = lineNo;
    if (!v.isObject()) return makeError(ErrorCode::Format, QStringLiteral("a decision line must be a JSON object"), {}, lineNo);
    const json::Value* seq = v.find("seq");
    if (!seq || !seq->isInt() || seq->asInt() < 0)
        return makeError(ErrorCode::Format, QStringLiteral("field \"seq\" must be a non-negative integer"), {}, lineNo, QStringLiteral("seq"));
    d.seq = seq->asInt();
    for (std::string_view key : {"payload", "prev", "hash", "key_id", "sig"}) {
        const json::Value* f = v.find(key);
        if (!f || !f->isString())
            return makeError(ErrorCode::Format, QStringLiteral("field \"%1\" must be a string").arg(QLatin1String(key.data(), key.size())),
                             {}, lineNo, QString::fromLatin1(key.data(), key.size()));
    }
    d.keyId = v.str("key_id");
    d.hash = v.str("hash");
    const std::string prev(v.str("prev"));

    QByteArray payload, sig;
    bool formatOk = true;
    if (!decodeBase64(v.str("payload"), payload)) {
        addFailure(d, detail, "format", "payload is not valid base64");
        formatOk = false;
    }
    if (!decodeBase64(v.str("sig"), sig) || sig.size() != 64) {
        addFailure(d, detail, "format", "sig is not a base64 Ed25519 signature");
        formatOk = false;
    }
    if (!crypto::isSha256Hex(d.hash) || !crypto::isSha256Hex(prev)) {
        addFailure(d, detail, "format", "prev and hash must be 64 lowercase hex characters");
        formatOk = false;
    }

    // The decision itself.
    if (formatOk) {
        auto inner = m_parser.parse(std::string_view(payload.constData(), static_cast<size_t>(payload.size())));
        if (!inner || !inner->isObject()) {
            addFailure(d, detail, "format", "payload is not a JSON object");
        } else {
            d.payloadJson = std::string(payload.constData(), static_cast<size_t>(payload.size()));
            const json::Value& in = *inner;
            if (auto ts = parseRfc3339(in.str("ts"))) d.tsNs = *ts;
            d.agent = in.str("agent");
            d.session = in.str("session");
            d.event = in.str("event");
            d.policy = in.str("policy");
            d.reason = in.str("reason");
            d.verdict = verdictFromName(in.str("decision"));
            if (d.verdict == Verdict::Unknown) addFailure(d, detail, "format", "decision is not ALLOW, LOG, CONSTRAIN or BLOCK");
        }
    }

    if (d.seq != m_expectedSeq)
        addFailure(d, detail, "sequence", "seq " + std::to_string(d.seq) + " where " + std::to_string(m_expectedSeq) + " was expected");
    if (prev != m_prevHash) addFailure(d, detail, "chain", "prev differs from the previous line's hash");
    if (formatOk) {
        crypto::Sha256 h;
        h.update(prev);
        h.update(payload.constData(), static_cast<size_t>(payload.size()));
        const crypto::Digest digest = h.finish();
        if (crypto::toHex(digest) != d.hash) {
            addFailure(d, detail, "hash", "hash is not SHA-256(prev + payload)");
        }
        KeyTrust trust;
        const crypto::PublicKey* key = m_keys.find(d.keyId, &trust);
        m_keysSeen[d.keyId] = trust;
        if (!key) {
            addFailure(d, detail, "key", "no key \"" + d.keyId + "\" (neither pinned nor in the bundle)");
        } else {
            // The signature is over the 32 raw bytes of the hash the line claims.
            QByteArray claimed = QByteArray::fromHex(QByteArray::fromStdString(d.hash));
            if (deferred) {
                deferred->key = key;
                std::memcpy(deferred->digest.data(), claimed.constData(), 32);
                deferred->signatureSized = sig.size() == static_cast<qsizetype>(deferred->signature.size());
                if (deferred->signatureSized) std::memcpy(deferred->signature.data(), sig.constData(), deferred->signature.size());
                deferred->trust = trust;
                deferred->pending = true;
            } else if (!key->verify(reinterpret_cast<const uint8_t*>(claimed.constData()), static_cast<size_t>(claimed.size()), sig)) {
                addFailure(d, detail, "signature",
                           std::string("Ed25519 signature does not verify with the ") + std::string(keyTrustName(trust)) + " key \"" + d.keyId + "\"");
            }
        }
    }
    m_expectedSeq = d.seq + 1;
    m_prevHash = d.hash;
    d.valid = d.failure.empty();
    if (d.valid && !(deferred && deferred->pending)) ++m_valid;
    return d;
}

void DecisionLogVerifier::complete(Decision& d, std::string* detail, KeyTrust trust, bool signatureOk)
{
    if (!signatureOk)
        addFailure(d, detail, "signature",
                   std::string("Ed25519 signature does not verify with the ") + std::string(keyTrustName(trust)) + " key \"" + d.keyId + "\"");
    d.valid = d.failure.empty();
    if (d.valid) ++m_valid;
}

// Jobs carry their submission number; any of the threads takes the oldest job, and its answer goes into the
// slot of that number, so next() hands the answers out in submission order whichever thread finished first.
struct SignatureWorker::Impl
{
    std::mutex mutex;
    std::condition_variable work, done;
    std::deque<std::pair<int64_t, SignatureJob>> jobs;
    std::deque<std::optional<bool>> results; // results[i] answers job firstResult + i
    int64_t submitted = 0, firstResult = 0;
    bool stop = false;
    std::vector<std::thread> threads;

    // With the mutex held: the answer to the oldest job not yet taken, if it is done.
    bool takeOldest(bool* ok)
    {
        if (results.empty() || !results.front().has_value()) return false;
        *ok = *results.front();
        results.pop_front();
        ++firstResult;
        return true;
    }
};

SignatureWorker::SignatureWorker(int threads, bool background) : d(std::make_unique<Impl>())
{
    if (threads <= 0) threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
    for (int t = 0; t < threads; ++t) {
        d->threads.emplace_back([this, background] {
#ifdef __linux__
            // In the background, below the threads that parse and write: the checks soak up idle time and do not
            // slow an import's critical path (Linux gives each thread its own nice value; if it cannot be lowered,
            // nothing else changes).
            if (background) (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
#else
            (void)background;
#endif
            for (;;) {
                std::pair<int64_t, SignatureJob> job;
                {
                    std::unique_lock lock(d->mutex);
                    d->work.wait(lock, [&] { return d->stop || !d->jobs.empty(); });
                    if (d->stop) return;
                    job = std::move(d->jobs.front());
                    d->jobs.pop_front();
                }
                const SignatureJob& j = job.second;
                const bool ok = j.key && j.signatureSized &&
                                j.key->verify(j.digest.data(), j.digest.size(), j.signature.data(), j.signature.size());
                std::lock_guard lock(d->mutex);
                d->results[static_cast<size_t>(job.first - d->firstResult)] = ok;
                if (job.first == d->firstResult) d->done.notify_all(); // only the oldest answer unblocks next()
            }
        });
    }
}

SignatureWorker::~SignatureWorker()
{
    {
        std::lock_guard lock(d->mutex);
        d->stop = true;
        d->jobs.clear();
        d->work.notify_all();
    }
    for (auto& t : d->threads)
        t.join();
}

void SignatureWorker::submit(const SignatureJob& job)
{
    std::lock_guard lock(d->mutex);
    d->jobs.emplace_back(d->submitted++, job);
    d->results.emplace_back();
    d->work.notify_one();
}

bool SignatureWorker::next()
{
    std::unique_lock lock(d->mutex);
    d->done.wait(lock, [&] { return !d->results.empty() && d->results.front().has_value(); });
    bool ok = false;
    (void)d->takeOldest(&ok);
    return ok;
}

bool SignatureWorker::tryNext(bool* ok)
{
    std::lock_guard lock(d->mutex);
    return d->takeOldest(ok);
}

} // namespace chainsight::custody
