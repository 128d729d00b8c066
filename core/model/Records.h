// Plain records the case store reads and writes besides events: bundles, evidence files, keys, custody.
#pragma once

#include <cstdint>
#include <string>

namespace chainsight {

struct BundleRecord
{
    int64_t id = 0;
    std::string bundleId;      // the collector's bundle_id (or a name derived from the file for foreign formats)
    std::string format;        // native, otlp, transcript, cloudtrail, ...
    std::string title, collectedAt, collector;
    int64_t windowStart = 0, windowEnd = 0; // ns; 0 when unknown
    std::string contentSha256; // SHA-256 of manifest.json (native) or of the imported file: the import's identity
    std::string manifest;      // manifest JSON as collected
    std::string source;        // where it was imported from
    std::string importedAt, importedBy, importedOn;
    int64_t parentBundle = 0;  // for logs/ imported as part of a native bundle
};

struct EvidenceFile
{
    int64_t id = 0;
    int64_t bundle = 0;
    std::string path;   // path inside the bundle
    std::string sha256; // as recorded at import (the manifest's, checked against the bytes)
    int64_t bytes = 0;
    std::string role;   // manifest, events, agents, decisions, blob, key, log, other
};

struct KeyRecord
{
    std::string keyId, fingerprint, pem;
    std::string pinnedAt, pinnedBy; // pinned keys only
    int64_t bundle = 0;             // bundle keys only
};

struct CustodyEntry
{
    int64_t seq = 0;
    std::string ts, actor, host, action, target, detail; // detail: a JSON object
    std::string prev, hash;
};

} // namespace chainsight
