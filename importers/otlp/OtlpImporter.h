// OpenTelemetry traces (OTLP JSON) as a case import: see OtlpDecoder.h for the mapping, ForeignImport.h for the
// guarantees.
#pragma once

#include "importers/Importer.h"

namespace chainsight::importers {

class OtlpImporter : public Importer
{
public:
    std::string name() const override { return "otlp"; }
    std::string description() const override { return "OpenTelemetry traces, OTLP JSON, GenAI semantic conventions"; }
    int sniff(io::BundleSource& source) override;
    Result<ImportReport> import(store::CaseStore& store, io::BundleSource& source,
                                const ImportOptions& options) override;
};

} // namespace chainsight::importers
