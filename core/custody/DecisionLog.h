// Verification of the signed, hash-chained runtime decision log (decisions.jsonl, bundle spec v1):
// sequence, chain, hash and Ed25519 signature, against keys the analyst pinned or, reported as such,
// keys that only the bundle vouches for.
#pragma once

#include "core/Result.h"
#include "core/crypto/Crypto.h"
#include "core/json/Json.h"
#include "core/model/Event.h"

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace chainsight::custody {

enum class KeyTrust { Pinned, Unpinned, Missing };
std::string_view keyTrustName(KeyTrust t);

class KeyRing
{
public:
    // Returns the problem when the PEM is not an Ed25519 public key.
    Status addPinned(const std::string& keyId, const QByteArray& pem);
    Status addBundle(const std::string& keyId, const QByteArray& pem);
    // The key to verify with: a pinned key wins over a bundle key of the same id.
    const crypto::PublicKey* find(const std::string& keyId, KeyTrust* trust) const;
    bool hasPinned(const std::string& keyId) const { return m_pinned.count(keyId) != 0; }
    bool hasBundle(const std::string& keyId) const { return m_bundle.count(keyId) != 0; }

private:
    std::map<std::string, crypto::PublicKey> m_pinned, m_bundle;
};

// A signature check handed to another thread (Ed25519 verification dominates the cost of a decision log).
struct SignatureJob
{
    const crypto::PublicKey* key = nullptr;
    std::array<uint8_t, 32> digest{};
    std::array<uint8_t, 64> signature{}; // by value: a job shares no data with the thread that made it
    bool signatureSized = false;         // the line's signature had the 64 bytes of an Ed25519 one
    KeyTrust trust = KeyTrust::Missing;
    bool pending = false;
};

// Verifies signature jobs on worker threads (threads <= 0: one per core, at most 4), answering in the order they
// were submitted. background: the threads run at a lower priority than the rest of the process.
class SignatureWorker
{
public:
    explicit SignatureWorker(int threads = 0, bool background = false);
    ~SignatureWorker();
    void submit(const SignatureJob& job);
    bool next(); // the result of the oldest job not yet taken (blocks until it is done)
    // The same without blocking: false when the oldest job is not done yet.
    bool tryNext(bool* ok);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// The first check that failed on a line; "" when the line is intact.
// Checks, in order: format, sequence, chain, hash, key, signature.
class DecisionLogVerifier
{
public:
    explicit DecisionLogVerifier(const KeyRing& keys) : m_keys(keys) {}

    // Verifies one line. Only a line that is not JSON at all comes back as an Error; any other failure is
    // on the Decision (valid=false, failure=the checks that failed, comma-separated) with `detail` saying why.
    // With `deferred`, the signature is not checked here but described in *deferred (pending=true) for
    // complete() to finish once it has been verified elsewhere.
    Result<Decision> add(std::string_view line, int64_t lineNo, std::string* detail = nullptr, SignatureJob* deferred = nullptr);
    // Finishes a decision whose job was pending: trust is the job's (it names the key in the failure).
    void complete(Decision& d, std::string* detail, KeyTrust trust, bool signatureOk);

    int64_t total() const { return m_total; }
    int64_t validCount() const { return m_valid; }
    // key_id -> trust, for every key the log named.
    const std::map<std::string, KeyTrust>& keysSeen() const { return m_keysSeen; }

private:
    const KeyRing& m_keys;
    json::Parser m_parser;
    int64_t m_expectedSeq = 0;
    std::string m_prevHash = std::string(64, '0');
    int64_t m_total = 0, m_valid = 0;
    std::map<std::string, KeyTrust> m_keysSeen;
};

} // namespace chainsight::custody
