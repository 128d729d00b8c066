// The case file: one SQLite database holding the evidence as collected, the events parsed from it, and the
// custody log. Opening checks that the file is a case (application_id), turns foreign keys on, and
// migrates an older schema in order. One CaseStore is one connection: use it from one thread at a time.
#pragma once

#include "core/Result.h"
#include "core/model/Event.h"
#include "core/model/Records.h"
#include "core/store/Transaction.h"

#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chainsight::store {

class Database;

struct OpenOptions
{
    enum class Mode { OpenOrCreate, OpenExisting, ReadOnly };
    Mode mode = Mode::OpenExisting;
    int targetVersion = -1; // tests only: migrate no further than this version
    bool bulk = false;      // larger page cache for imports
};

struct TypeCount
{
    EventType type;
    int64_t count;
};
struct NameCount
{
    std::string name;
    int64_t count;
};

struct DecisionRow
{
    int64_t bundle = 0;
    Decision decision;
};

// Whether the file is an SQLite database, which is how a case file is told from an evidence bundle or log: whether it
// is a Chainsight case (application_id, tables) is checked by CaseStore::open, with its own one-line error.
bool looksLikeCaseFile(const QString& path);

class CaseStore
{
public:
    static Result<std::unique_ptr<CaseStore>> open(const QString& path, const OpenOptions& options = {});
    ~CaseStore();

    const QString& path() const { return m_path; }
    int schemaVersion() const { return m_version; }
    bool readOnly() const { return m_readOnly; }

    // BEGIN IMMEDIATE; the returned guard rolls back unless committed.
    Result<std::unique_ptr<Transaction>> begin();
    Status commit(std::unique_ptr<Transaction>& tx);

    // Case metadata (title, created_at, ...).
    Result<std::optional<std::string>> meta(const std::string& key);
    Status setMeta(const std::string& key, const std::string& value);

    // Bundles and their evidence files.
    Result<std::optional<BundleRecord>> bundleByContentHash(const std::string& sha256);
    Result<std::optional<BundleRecord>> bundleByBundleId(const std::string& bundleId);
    Result<std::vector<BundleRecord>> bundles();
    Result<int64_t> insertBundle(const BundleRecord& b);
    Result<int64_t> insertEvidenceFile(const EvidenceFile& f);
    Status appendEvidenceChunk(int64_t fileId, int64_t seq, std::string_view data);
    Status updateEvidenceFile(int64_t fileId, const std::string& sha256, int64_t bytes);
    Result<std::vector<EvidenceFile>> evidenceFiles(int64_t bundle = 0);
    // Streams the stored bytes of an evidence file, chunk by chunk.
    Status readEvidence(int64_t fileId, const std::function<bool(std::string_view)>& sink);

    // Events: inserted with their full-text entry; rowid is set on each. A duplicate id within a bundle
    // is an error naming the line.
    Status insertEvent(Event& e, int64_t fileId);
    // Inside a transaction: drop the event indexes for a bulk load, and build them again (before commit).
    Status dropEventIndexes();
    Status createEventIndexes();
    Result<int64_t> eventCount();

    // Content-addressed blobs (already present: kept, not duplicated).
    Status insertBlob(const std::string& sha256, std::string_view data);
    Result<std::optional<std::string>> blob(const std::string& sha256);

    Status insertBaseline(int64_t bundle, const AgentBaseline& b);
    Result<std::vector<AgentBaseline>> baselines();

    // Returns the row id.
    Result<int64_t> insertDecision(int64_t bundle, const Decision& d);
    // A decision stored before its signature check finished, whose check then failed (same transaction).
    Status markDecisionInvalid(int64_t rowid, const std::string& failure);
    Result<std::vector<DecisionRow>> decisions(int64_t bundle = 0);
    // Decisions made in (afterNs, untilNs], in time order; decisions on one event, in seq order.
    Result<std::vector<DecisionRow>> decisionsBetween(int64_t afterNs, int64_t untilNs);
    Result<std::vector<DecisionRow>> decisionsOn(int64_t bundle, const std::string& eventId);

    Status insertBundleKey(int64_t bundle, const KeyRecord& k);
    Result<std::vector<KeyRecord>> bundleKeys(int64_t bundle = 0);
    Status pinKey(const KeyRecord& k);
    Result<std::vector<KeyRecord>> pinnedKeys();

    // Custody rows; the chain itself is computed by custody::CustodyLog.
    Result<std::optional<CustodyEntry>> lastCustody();
    Status insertCustody(const CustodyEntry& e);
    Result<std::vector<CustodyEntry>> custody();

    // Summary figures for `info` and the status bar.
    Result<std::vector<TypeCount>> countsByType();
    Result<std::vector<NameCount>> countsByAgent();
    Result<std::pair<int64_t, int64_t>> timeWindow(); // min, max ts (ns); (0,0) when empty

    // Reads the events with afterTsNs < ts <= maxTsNs in time order (then rowid), streaming: for analysis, exports
    // and replay.
    Status forEachEvent(const std::function<bool(const Event&)>& fn, int64_t maxTsNs = INT64_MAX,
                        int64_t afterTsNs = INT64_MIN);
    Result<std::optional<Event>> event(int64_t rowid);
    // (line, json, id) of every event parsed from one evidence file, in line order.
    Status forEachEventOfFile(int64_t fileId, const std::function<bool(int64_t, std::string_view, const std::string&)>& fn);

    Status integrityCheck();
    // Row count of every table (a cheap fingerprint of the case's state; used by tests and `info`).
    Result<std::map<std::string, int64_t>> tableCounts();
    Database* database() { return m_db.get(); }

private:
    CaseStore() = default;
    Status configure(const OpenOptions& options, bool isNew);
    Status migrate(int target);

    QString m_path;
    int m_version = 0;
    bool m_readOnly = false;
    std::unique_ptr<Database> m_db;
    struct Prepared;
    std::unique_ptr<Prepared> m_st;
};

} // namespace chainsight::store
