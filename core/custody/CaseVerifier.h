// Re-verifies a case against itself: the evidence bytes against the SHA-256 recorded at import, each stored
// decision log against its chain and signatures (with the keys pinned now), every event row against the
// line it was parsed from, and the custody log's own chain. Used when a case is opened, before export,
// and by `chainsight verify CASE.db`.
#pragma once

#include "core/Result.h"
#include "core/custody/DecisionLog.h"

#include <map>
#include <string>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::custody {

struct VerifyProblem
{
    std::string bundle;   // bundle_id
    std::string file;     // path inside the bundle, or "custody"
    int64_t line = -1;    // events: the line
    int64_t seq = -1;     // decisions / custody: the seq
    std::string check;    // sha256, size, missing, event, sequence, chain, hash, signature, key, format
    std::string message;
    std::string toLine() const; // "FILE:LINE: message" style, one line
};

struct VerifyReport
{
    int64_t files = 0, filesValid = 0;
    int64_t decisions = 0, decisionsValid = 0;
    int64_t events = 0, eventsValid = 0;
    int64_t custody = 0, custodyValid = 0;
    std::map<std::string, KeyTrust> keys; // decision keys and their trust
    std::vector<VerifyProblem> problems;
    bool intact() const { return problems.empty(); }
};

enum class VerifyDepth {
    Evidence, // hashes of the stored evidence files and the custody chain (fast; on open)
    Full      // also decision logs and event rows
};

Result<VerifyReport> verifyCase(store::CaseStore& store, VerifyDepth depth = VerifyDepth::Full);

// Checks the evidence when a case is opened; a mismatch is appended to the custody log (when writable)
// and returned as a Blocked error naming the first problem.
Status checkOnOpen(store::CaseStore& store);

} // namespace chainsight::custody
