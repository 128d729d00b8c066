// The logs/ folder of a native bundle: each file is recognised by content and decoded by the matching
// foreign-log decoder into the bundle being imported, in the bundle's own transaction, its events tied to the
// evidence file they came from. The bundle's own events feed the correlation of cloud records, so a CloudTrail
// record in logs/ gets the bundle's tool call that caused it as its causal parent. A file no decoder knows is
// kept as evidence, with a warning.
#pragma once

#include "importers/Importer.h"
#include "importers/logs/Correlator.h"

#include <set>
#include <string>
#include <vector>

namespace chainsight::ingest {
class IngestSession;
}

namespace chainsight::importers {

class BundleLogs
{
public:
    explicit BundleLogs(std::string bundleId) : m_bundleId(std::move(bundleId)) {}
    // Before the bundle's transaction: agent actions already in the case.
    Status loadCase(store::CaseStore& store) { return m_correlator.loadCase(store); }

    // While the bundle is walked.
    void fileBegin(const std::string& path, int handle);
    void fileBytes(std::string_view bytes);
    void fileEnd();
    void nativeEvent(const Event& e);
    void nativeDecision(const Decision& d);
    void nativeBaseline(const AgentBaseline& b);

    // After the walk: decodes every log file into the session. One report per file.
    Result<std::vector<ImportReport>> decode(ingest::IngestSession& session, const ImportOptions& options);
    json::Value custodyDetail() const { return m_detail; }

    static constexpr size_t kMaxLogBytes = 512u << 20; // held in memory until the bundle's own events are known

private:
    struct Pending
    {
        std::string path;
        int handle = 0;
        std::string bytes;
        bool tooLarge = false;
    };
    std::string m_bundleId;
    Correlator m_correlator;
    std::vector<Pending> m_files;
    bool m_open = false;
    size_t m_total = 0;
    int64_t m_maxSeq = -1;
    std::set<std::string> m_agents;
    json::Value m_detail = json::Value::array();
};

} // namespace chainsight::importers
