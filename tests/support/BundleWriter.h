// Writes evidence bundles for tests and benchmarks: events, a signed hash-chained decision log, blobs, keys
// and a manifest with every file's SHA-256, exactly as the bundle spec describes.
#pragma once

#include "core/crypto/Crypto.h"
#include "core/json/Json.h"

#include <QString>

#include <map>
#include <string>
#include <vector>

namespace chainsight::testing {

class BundleWriter
{
public:
    BundleWriter();

    std::string bundleId = "b-test-01";
    std::string title = "Test incident";
    std::string keyId = "gw-test";
    crypto::PrivateKey key;             // signs the decision log
    bool writeKeyFile = true;           // put keys/<keyId>.pem in the bundle

    void addEventLine(std::string line) { m_events.push_back(std::move(line)); }
    // A decision payload object (ts, agent, session, event, decision, policy, reason).
    void addDecision(const json::Value& payload) { m_decisions.push_back(payload.dump()); }
    void setAgentsJson(std::string json) { m_agents = std::move(json); }
    std::string addBlob(const std::string& data); // returns its SHA-256
    void addFile(const std::string& path, const std::string& data) { m_files[path] = data; }

    // Writes the bundle directory (created if missing). Returns false on I/O failure.
    bool write(const QString& dir) const;
    // The public key PEM (to pin).
    std::string publicPem() const;

    // Signed decision lines as they will be written (for tamper tests).
    std::vector<std::string> decisionLines() const;
    static std::vector<std::string> signDecisionLines(const std::vector<std::string>& payloads, const crypto::PrivateKey& key,
                                                      const std::string& keyId);

private:
    std::vector<std::string> m_events, m_decisions;
    std::string m_agents;
    std::map<std::string, std::string> m_files;
};

// One event line in native form; extra is a JSON object's members to add (e.g. R"("tool":"x")").
std::string eventLine(const std::string& id, const std::string& ts, const std::string& type, const std::string& agent,
                      const std::string& session, const std::string& extra = {});

// Rewrites manifest.json of a bundle directory so its hashes match the files again (to test checks that
// sit behind the manifest, such as the decision-log chain).
bool refreshManifest(const QString& dir, const std::string& bundleId = "b-test-01");

// A synthetic bundle of n events (several agents, sessions and types, realistic sizes), streamed to disk,
// with a decision for every tool call. Used by the import benchmark.
bool writeSyntheticBundle(const QString& dir, int64_t n, uint32_t seed = 42, bool withDecisions = true);

bool writeFile(const QString& path, const std::string& data);
std::string readFile(const QString& path);

} // namespace chainsight::testing
