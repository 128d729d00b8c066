// Chain of custody: who did what to the case, when and from where, in a hash-chained log kept inside the
// case. Every entry is written in the same transaction as the change it describes.
#pragma once

#include "core/Result.h"
#include "core/json/Json.h"
#include "core/model/Records.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::custody {

// The analyst and machine an action is attributed to. CHAINSIGHT_ANALYST overrides the login name.
struct Actor
{
    std::string name;
    std::string host;
    static Actor current();
};

// SHA-256 chaining: hash = SHA-256(prev_hex "\n" canonical), canonical = the JSON array
// [seq, ts, actor, host, action, target, detail] with detail compact JSON.
std::string custodyHash(const CustodyEntry& e);

// Appends one entry; call inside the transaction of the change it records.
Result<CustodyEntry> append(store::CaseStore& store, const Actor& actor, const std::string& action,
                            const std::string& target, const json::Value& detail);

struct ChainProblem
{
    int64_t seq;
    std::string what; // "sequence", "chain", "hash"
};

// Checks a custody log end to end; empty when intact.
std::vector<ChainProblem> verifyChain(const std::vector<CustodyEntry>& entries);

// The current UTC time as RFC 3339 with milliseconds.
std::string nowRfc3339();

} // namespace chainsight::custody
