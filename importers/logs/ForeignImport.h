// The import of one foreign log file (OTLP, CloudTrail, agent transcript) on its own: the same guarantees as the native importer.
// The file is identified by the SHA-256 of its bytes as collected (the compressed bytes of a .gz), kept whole in
// the case as evidence, decoded as it streams, and everything lands in one transaction with the custody entry
// that records the import; any error leaves the case as it was and names the file and the line or field.
#pragma once

#include "importers/Importer.h"
#include "importers/logs/LogDecoder.h"

#include <functional>
#include <memory>

namespace chainsight::importers {

struct ForeignImportSpec
{
    std::string format; // the importer's name
    std::string title;  // "OpenTelemetry trace", for the bundle's title
    // Runs before the import's transaction starts (the case is readable then): e.g. loads correlation context.
    std::function<Status(store::CaseStore&)> prepare;
    // Makes the decoder for the bundle being imported.
    std::function<std::unique_ptr<LogDecoder>(LogSink& sink, const std::string& bundleId, const std::string& stem)>
        make;
};

Result<ImportReport> importForeignFile(store::CaseStore& store, io::BundleSource& source, const ImportOptions& options,
                                       const ForeignImportSpec& spec);

// The first bytes of a one-file source (inflated), for sniffing.
std::string sourceHead(io::BundleSource& source, size_t bytes = 64 * 1024);

// Sniffs a foreign log's format from its first bytes: "otlp", "cloudtrail", or "" when neither.
std::string sniffLogFormat(std::string_view head);

} // namespace chainsight::importers
