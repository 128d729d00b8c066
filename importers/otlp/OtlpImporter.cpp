#include "importers/otlp/OtlpImporter.h"

#include "importers/logs/ForeignImport.h"
#include "importers/otlp/OtlpDecoder.h"

namespace chainsight::importers {

int OtlpImporter::sniff(io::BundleSource& source)
{
    if (source.kind() != io::BundleSource::Kind::File) return 0;
    return OtlpDecoder::sniff(sourceHead(source));
}

Result<ImportReport> OtlpImporter::import(store::CaseStore& store, io::BundleSource& source,
                                          const ImportOptions& options)
{
    ForeignImportSpec spec;
    spec.format = name();
    spec.title = "OpenTelemetry trace";
    spec.make = [](LogSink& sink, const std::string&, const std::string& stem) {
        return std::make_unique<OtlpDecoder>(sink, stem);
    };
    return importForeignFile(store, source, options, spec);
}

} // namespace chainsight::importers
