// Everything the incident report shows, gathered from one case: the analysis (type, tier, reasons, findings,
// taint, blast radius, AI-BOM, completeness, ATLAS), the kill chain with the evidence behind each step, the
// evidence inventory with its SHA-256 sums, the custody log, and the analyst's side (classifications,
// checklist, RACI, notes). QtCore only; collect off the UI thread (it runs the analysis).
#pragma once

#include "core/Result.h"
#include "core/analysis/Analysis.h"
#include "core/model/Records.h"
#include "core/store/CaseQueries.h"
#include "core/store/ReportQueries.h"

#include <QString>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::report {

// One step of the kill chain: a poisoned source the harmful actions drew on, or a harmful action.
struct KillChainStep
{
    enum class Role { Source, Action, Context };
    Role role = Role::Context;
    std::string eventId;
    int64_t rowid = 0, tsNs = 0;
    std::string type, agent, session, identity, tool, summary;
    std::vector<analysis::AtlasRef> atlas;
    std::string json;           // the event as collected
    std::string sha256;         // SHA-256 of the event's JSON as collected
    std::string evidencePath;   // the bundle file it was read from
    std::string evidenceSha256; // that file's recorded SHA-256
    std::string blobSha256;     // the document it references (a poisoned document's hash), if any
    std::string decision;       // the strongest runtime decision on it ("block", "allow", ...), "" when none
};
std::string_view roleName(KillChainStep::Role r);

struct EvidenceItem
{
    std::string bundleId;
    EvidenceFile file;
};

struct ReportData
{
    std::string title, caseFile, generatedAt, generatedBy, tool;
    std::vector<BundleRecord> bundles;
    analysis::AnalysisReport analysis;
    std::vector<KillChainStep> killChain; // in time order
    std::vector<EvidenceItem> evidence;
    std::vector<CustodyEntry> custody;
    bool custodyIntact = true;
    std::vector<store::ClassificationRow> classifications;
    std::vector<store::ChecklistRow> checklist;
    std::vector<store::RaciRow> raci;
    std::vector<store::NoteRow> notes;
    std::vector<AgentBaseline> baselines;
    int64_t events = 0, minTs = 0, maxTs = 0;
    std::vector<std::pair<std::string, int64_t>> countsByType;
    std::shared_ptr<const store::CaseIndex> index; // for the charts
};

struct CollectOptions
{
    const std::atomic<bool>* cancel = nullptr;
    bool withIndex = true; // load the in-memory index the charts are drawn from
    // What the workbench already holds for this case: used as they are instead of running the analysis or
    // loading the index again. Null: collectReport computes it.
    std::shared_ptr<const analysis::AnalysisReport> analysis;
    std::shared_ptr<const store::CaseIndex> index;
};

// Reads the case at store.path() (the store may be read-only) and runs the analysis (unless given).
Result<ReportData> collectReport(store::CaseStore& store, const CollectOptions& options = {});

// Helpers shared by the renderers and exports.
std::string formatTs(int64_t tsNs); // RFC 3339 UTC with milliseconds
QString fromStd(const std::string& s);

} // namespace chainsight::report
