// Exports for other tools: a MITRE ATLAS Navigator layer of the techniques seen, a STIX 2.1 bundle of
// indicators (attacker destinations and accounts, hashes of poisoned documents) for MISP or OpenCTI, and the
// timeline as JSON Lines or CSV in the shape Timesketch imports (message, datetime, timestamp_desc).
#pragma once

#include "core/Result.h"
#include "core/report/ReportData.h"

#include <QByteArray>
#include <QString>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::report {

// ATLAS Navigator layer format 4.5 (domain "atlas-atlas").
QByteArray atlasLayerJson(const ReportData& data);

struct StixIndicator
{
    std::string kind;  // email-addr, domain-name, url, ipv4-addr, user-account, file
    std::string value; // the address, account, or SHA-256
    std::string name, description;
    int64_t firstSeenNs = 0;
};
// The indicators the case yields: values that travelled into harmful actions, egress outside every agent's
// allowed egress, and the SHA-256 of documents that poisoned the agent.
std::vector<StixIndicator> indicators(const ReportData& data);
QByteArray stixBundleJson(const ReportData& data);

// Writes every event, in time order, as .jsonl or .csv (by suffix).
Status writeTimeline(store::CaseStore& store, const QString& path);

} // namespace chainsight::report

namespace chainsight::report {
// Appends a `report.export` custody entry (kind, file name, SHA-256 of what was written) to the case, in its
// own transaction: exporting is something done with the evidence, so the log says so.
Status recordExport(const QString& casePath, const std::string& kind, const QString& file);
} // namespace chainsight::report
