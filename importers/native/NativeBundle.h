// Walks a native evidence bundle (spec: evidence-bundle-v1.md) once, streaming: checks the manifest, hashes
// every file, parses events.jsonl, agents.json and the signed decision log, and hands what it finds to a
// visitor. The importer's visitor writes to the case and stops at the first problem; the verifier's
// visitor collects every problem and goes on.
#pragma once

#include "core/Result.h"
#include "core/custody/DecisionLog.h"
#include "core/io/BundleSource.h"
#include "core/model/Event.h"
#include "core/model/Records.h"

#include <map>
#include <string>
#include <vector>

namespace chainsight::importers {

struct ManifestFile
{
    std::string path, sha256;
    int64_t bytes = 0;
};

struct Manifest
{
    std::string bundleId, title, collectedAt, collectorJson;
    int64_t windowStart = 0, windowEnd = 0;
    std::vector<ManifestFile> files;
    std::string raw;    // manifest.json as collected
    std::string sha256; // of raw
};

// Parses and checks manifest.json; errors name manifest.json and the field.
Result<Manifest> parseManifest(std::string_view bytes);

class NativeVisitor
{
public:
    virtual ~NativeVisitor() = default;
    // A problem: return true to go on (verification), false to stop (import).
    virtual bool problem(const Error& e) = 0;
    virtual void fileBegin(const std::string& path, const std::string& role) {}
    virtual void fileBytes(std::string_view bytes) {}
    virtual void fileEnd(const std::string& path, const std::string& sha256, int64_t bytes) {}
    virtual void event(Event&& e) {}
    virtual void decision(Decision&& d, const std::string& detail) {}
    // A visitor that stores decisions as they stream says so here: it then gets each decision at once, its
    // Ed25519 signature still being checked on worker threads (valid as far as the other checks go), and
    // decisionRevised() for one whose signature then fails (ordinal: its place among the decisions handed out,
    // from 0), before the walk returns. Otherwise decisions arrive fully checked, in order.
    virtual bool deferSignatures() const { return false; }
    virtual void decisionRevised(int64_t ordinal, const Decision& d, const std::string& detail) {}
    virtual void baseline(AgentBaseline&& b) {}
    virtual void key(KeyRecord&& k) {}
    virtual void blob(const std::string& path, const std::string& sha256, std::string&& data) {}
    virtual bool cancelled() { return false; }
    virtual void progress(int64_t done, int64_t total) {}
};

struct WalkSummary
{
    int64_t files = 0, filesValid = 0;
    int64_t events = 0, eventsBad = 0;
    int64_t decisions = 0, decisionsValid = 0;
    std::map<std::string, custody::KeyTrust> keys; // key_id -> trust, for keys the decision log used
    std::vector<std::string> bundleKeys;            // key ids found in keys/
    bool hasDecisions = false;
};

struct WalkLimits
{
    int64_t maxLineBytes = 16 << 20;
    int64_t maxBlobBytes = 512LL << 20;
    int64_t maxManifestBytes = 16 << 20;
};

// Walks the bundle. pinned: the analyst's pinned keys (key id -> PEM); may be empty.
// Returns an error when the walk had to stop (manifest unreadable, visitor said stop, cancelled).
Result<WalkSummary> walkNativeBundle(io::BundleSource& source, const std::map<std::string, std::string>& pinned,
                                     NativeVisitor& visitor, Manifest* manifestOut = nullptr, const WalkLimits& limits = {});

// The role of a file in a bundle: manifest, events, agents, decisions, blob, key, log, other.
std::string roleOf(const std::string& path);

} // namespace chainsight::importers
