// One import into a case, as one transaction. The importer (producer) parses and hashes on its own thread;
// a writer thread owns the case connection and applies what it is handed, in order. Nothing is visible
// until finish() commits, together with the custody entry that records the import; any error, a cancel,
// or destruction without finish() rolls everything back.
#pragma once

#include "core/Result.h"
#include "core/custody/Custody.h"
#include "core/model/Event.h"
#include "core/model/Records.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::ingest {

class IngestSession
{
public:
    // Takes the store for the duration of the import (the writer thread uses it).
    explicit IngestSession(store::CaseStore& store);
    ~IngestSession();
    IngestSession(const IngestSession&) = delete;
    IngestSession& operator=(const IngestSession&) = delete;

    // Starts the writer and the transaction, and inserts the bundle row. expectedEvents (an estimate) lets a
    // load larger than the case so far build the event indexes once at the end instead of row by row.
    Status begin(const BundleRecord& bundle, int64_t expectedEvents = 0);

    // Evidence files: their bytes are kept in the case as collected. Returns a handle for events.
    int beginFile(const std::string& path, const std::string& role);
    void fileBytes(int handle, std::string_view bytes);
    // Records the file's hash and size (already checked by the importer).
    void endFile(int handle, const std::string& sha256, int64_t bytes);
    // A blob: stored once, content-addressed, and listed as an evidence file of this bundle.
    void addBlobFile(const std::string& path, const std::string& sha256, std::string data);

    void addEvent(Event e, int fileHandle);
    void addBaseline(AgentBaseline b);
    // Returns the decision's ordinal in this session (0, 1, ...), for reviseDecision.
    int64_t addDecision(Decision d);
    // A decision added before its signature check finished, whose check then failed: its row is marked invalid
    // with the failures (the comma-separated checks) before the import commits.
    void reviseDecision(int64_t ordinal, std::string failure);
    void addBundleKey(KeyRecord k);

    // The bulk of the events is in: the writer builds the event indexes a large load dropped now, while the
    // importer finishes what is left (signature checks, small files); events added later update them row by row.
    // Without it, finish() builds them.
    void buildIndexes();

    // The first error the writer met, if any (check it now and then to stop early).
    bool failed() const { return m_failed.load(); }

    // Drains the writer, appends the custody entry and commits.
    Result<int64_t> finish(const custody::Actor& actor, const std::string& action, const std::string& target,
                           const json::Value& detail);
    // Rolls back (also done by the destructor).
    void abort();
    // After failed(): stops the writer, rolls back and returns what went wrong.
    Error writerError();

    int64_t eventsWritten() const { return m_events.load(); }

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    std::atomic<bool> m_failed{false};
    std::atomic<int64_t> m_events{0};
};

} // namespace chainsight::ingest
